"""Module 5: Sprint Goals traced to the Product Goal, and a Review of the outcome."""

import matplotlib.pyplot as plt
import pytest

from pspo_lab import DataError, load_dataset
from pspo_lab.analysis.sprint_review import (
    goal_trace,
    plot_goal_outcome,
    progress_by_goal,
    review_inspection,
)

GOALS = load_dataset("sprint_goals")


def test_the_trace_links_each_sprint_to_its_change():
    trace = goal_trace(GOALS)
    assert trace.index.tolist() == GOALS["sprint"].tolist()
    assert (trace["change"] == (trace["after"] - trace["before"]).round(1)).all()


def test_sprints_that_serve_the_product_goal_move_it_further():
    progress = progress_by_goal(GOALS)
    assert progress["sprints"].tolist() == [7.0, 5.0]
    assert progress.loc["yes", "total_change"] < -2 < progress.loc["no", "total_change"]


def test_the_review_inspects_the_latest_sprint_by_default_and_any_sprint_asked_for():
    latest = GOALS.iloc[-1]
    text = review_inspection(GOALS)
    assert text.splitlines()[0] == f"Sprint {latest['sprint']} · Sprint Goal: " \
                                   f"{latest['sprint_goal']}"
    assert f"{latest['minutes_after'] - 5:.1f} minutes still to go" in text
    assert "Sprint 30 ·" in review_inspection(GOALS, 30)
    reached = GOALS.assign(minutes_after=4.5)
    assert review_inspection(reached).endswith("the target is reached.")
    within_print = GOALS.assign(minutes_after=5.04)  # printed as 5.0: not "0.0 still to go"
    assert review_inspection(within_print).endswith("the target is reached.")
    with pytest.raises(DataError, match="no Sprint 3 "):
        review_inspection(GOALS, 3)


def test_the_outcome_chart_marks_each_sprint_and_says_where_progress_came_from():
    ax = plot_goal_outcome(GOALS)
    assert len(ax.collections) == 2  # served and did not serve
    label = ax.figure.get_label()
    assert label.startswith(f"Minutes to plan a week fell from "
                            f"{GOALS['minutes_before'].iloc[0]:.1f} to "
                            f"{GOALS['minutes_after'].iloc[-1]:.1f} over 12 Sprints")
    plt.close(ax.figure)


def test_the_outcome_chart_says_rose_when_the_measure_went_up():
    worse = GOALS.assign(minutes_before=GOALS["minutes_before"] * 0 + 6.0,
                         minutes_after=GOALS["minutes_before"] * 0 + 7.5)
    ax = plot_goal_outcome(worse)
    assert ax.figure.get_label().startswith("Minutes to plan a week rose from 6.0 to 7.5 over "
                                            "12 Sprints")
    plt.close(ax.figure)
