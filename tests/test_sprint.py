"""The Sprint simulator."""

import pandas as pd
import pytest

from pspo_lab import DataError, ParameterError, load_dataset
from pspo_lab.analysis.sprint import (
    QUALITY_SHARE,
    plot_sprints,
    simulate_sprints,
    sprint_outcome,
)

BACKLOG = load_dataset("backlog")


def test_worked_example_full_definition_of_done():
    # capacity 20 points (2 weeks x 10, noise-free seed aside): items of 5 fit four times
    items = pd.DataFrame({"id": list("ABCDEF"), "job_size": [5] * 6})
    run = simulate_sprints(items, sprints=1, sprint_weeks=2, dod_strength=1.0, seed=3)
    capacity = run.loc[1, "capacity"]
    assert run.loc[1, "done_items"] == int(capacity // 5)
    assert run.loc[1, "technical_debt"] == 0
    assert run.loc[1, "perceived_done"] == run.loc[1, "actually_done"]


def test_weak_definition_of_done_builds_debt_and_a_transparency_gap():
    weak = simulate_sprints(BACKLOG, sprints=6, dod_strength=0.5, seed=1)
    strong = simulate_sprints(BACKLOG, sprints=6, dod_strength=1.0, seed=1)
    assert strong["technical_debt"].max() == 0 and strong["transparency_gap"].max() == 0
    assert weak["technical_debt"].is_monotonic_increasing
    last = weak.iloc[-1]
    # the gap is the skipped quality work: QUALITY_SHARE x (1 - strength) of what looks done
    assert last["transparency_gap"] == pytest.approx(QUALITY_SHARE * 0.5, abs=0.002)
    assert last["perceived_done"] - last["actually_done"] == pytest.approx(
        last["technical_debt"], abs=0.2)


def test_debt_slows_later_sprints():
    weak = simulate_sprints(BACKLOG, sprints=10, dod_strength=0.0, seed=2)
    strong = simulate_sprints(BACKLOG, sprints=10, dod_strength=1.0, seed=2)
    assert weak["capacity"].iloc[-1] < strong["capacity"].iloc[-1]


def test_several_sprint_goals_finish_less_and_return_more():
    one = simulate_sprints(BACKLOG, sprints=6, sprint_goals=1, seed=4)
    three = simulate_sprints(BACKLOG, sprints=6, sprint_goals=3, seed=4)
    assert three["done_points"].sum() < one["done_points"].sum()
    assert three["returned"].sum() > one["returned"].sum()


def test_undone_work_returns_and_is_finished_later():
    items = pd.DataFrame({"id": ["A", "B"], "job_size": [13, 13]})
    run = simulate_sprints(items, sprints=3, sprint_weeks=1, seed=0)
    assert run.loc[1, "returned"] == 1
    assert run["increment"].str.split().explode().dropna().tolist()[:1] == ["A"]
    assert "B" in " ".join(run["increment"])


def test_simulation_is_deterministic_per_seed():
    pd.testing.assert_frame_equal(simulate_sprints(BACKLOG, seed=5), simulate_sprints(BACKLOG,
                                                                                      seed=5))


@pytest.mark.parametrize("kwargs", [{"sprint_weeks": 5}, {"dod_strength": 1.5},
                                    {"sprint_goals": 0}, {"sprints": 0}])
def test_bad_parameters_are_named(kwargs):
    name = next(iter(kwargs))
    with pytest.raises(ParameterError, match=name):
        simulate_sprints(BACKLOG, **kwargs)


def test_missing_column_is_named():
    with pytest.raises(DataError, match="'job_size' is missing"):
        simulate_sprints(BACKLOG.drop(columns="job_size"))


def test_plot_returns_axes():
    assert plot_sprints(simulate_sprints(BACKLOG, sprints=2)).get_xlabel() == "Sprint"


def test_outcome_sentence_names_debt_and_gap():
    run = simulate_sprints(BACKLOG, sprints=4, dod_strength=0.4, seed=2)
    sentence = sprint_outcome(run)
    assert sentence.startswith("after 4 Sprints:")
    assert f"technical debt {run['technical_debt'].iloc[-1]:.0f} points" in sentence
