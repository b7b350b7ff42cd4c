"""Explorers: labelled controls drawn at once with their starting values, redrawn on change."""

import datetime as dt

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from pspo_lab import ParameterError, load_dataset
from pspo_lab.widgets.explorers import (
    date_picker,
    delivery_explorer,
    dropdown,
    explore,
    float_slider,
    int_slider,
    sprint_simulator,
)

BACKLOG = load_dataset("backlog")


def kinds(explorer):
    return [out.get("name") or sorted(out["data"]) for out in explorer.output.outputs]


def test_draws_at_once_and_again_on_every_change():
    calls = []

    def draw(items, by):
        calls.append((items, by))
        print(f"{items} items by {by}")

    explorer = explore(draw, {"items": int_slider("Items still to finish", 30, 1, 150),
                              "by": date_picker("Finish by", dt.date(2026, 3, 1))})
    assert calls == [(30, dt.date(2026, 3, 1))]
    assert explorer.output.outputs[0]["text"] == "30 items by 2026-03-01\n"
    explorer.controls["items"].value = 12
    assert explorer.output.outputs == ({"output_type": "stream", "name": "stdout",
                                        "text": "12 items by 2026-03-01\n"},)
    assert len(calls) == 2
    assert explorer.widget().children[-1] is explorer.output


def test_new_figures_are_shown_and_closed_and_a_table_comes_last():
    open_before = len(plt.get_fignums())

    def draw(share):
        print("share", share)
        plt.subplots()[1].bar(["done", "open"], [share, 1 - share])
        return pd.DataFrame({"share": [share]})

    explorer = explore(draw, {"share": float_slider("Share done", 0.5, 0, 1, 0.1, ".0%")})
    assert kinds(explorer) == ["stdout", ["image/png", "text/html", "text/plain"],
                               ["text/html", "text/plain"]]
    chart = explorer.output.outputs[1]["data"]["text/html"]
    assert chart.startswith("<img src=\"data:image/png;base64,") and 'alt="Chart: ' in chart
    assert len(plt.get_fignums()) == open_before
    assert isinstance(explorer.result, pd.DataFrame)


def test_a_pspo_lab_error_is_shown_as_one_line_and_the_next_change_recovers():
    def draw(part):
        if part == 2:
            raise ParameterError("part: 2 has no resources (expected 1)")
        print("part", part)

    explorer = explore(draw, {"part": dropdown("Course part", [("One", 1), ("Two", 2)], 1)})
    explorer.controls["part"].value = 2
    [shown] = explorer.output.outputs
    assert shown["name"] == "stderr" and shown["text"].startswith("ParameterError: part: 2")
    explorer.controls["part"].value = 1
    assert kinds(explorer) == ["stdout"]


def test_controls_carry_learner_labels_and_fit_the_drawing_function():
    def draw(sprints):
        return None

    with pytest.raises(ParameterError, match="control 'sprints' needs a label"):
        explore(draw, {"sprints": int_slider("sprints", 6, 1, 26)})
    with pytest.raises(ParameterError, match="do not fit its parameters"):
        explore(draw, {"weeks": int_slider("Sprint length (weeks)", 2, 1, 4)})
    with pytest.raises(ParameterError, match="no controls"):
        explore(draw, {})


def test_delivery_explorer_updates_one_chart_in_place():
    explorer = delivery_explorer(BACKLOG, sprints=4)
    figure = explorer.result
    before = explorer.output.outputs[0]["data"]["image/png"]
    explorer.controls["learning"].value = 0.0
    explorer.controls["capacity"].value = 50
    explorer.controls["sprints"].value = 9
    assert explorer.result is figure
    assert len(figure.axes[0].lines[0].get_xdata()) == 9
    assert explorer.output.outputs[0]["data"]["image/png"] != before
    labels = [c.description for c in explorer.controls.values()]
    assert labels == ["Sprints to simulate", "Points finished per Sprint",
                      "Learning from each release"]


def test_sprint_simulator_starts_from_the_notebooks_sprint_length():
    simulator = sprint_simulator(BACKLOG.head(30), seed=1, sprints=3, sprint_weeks=3)
    assert simulator.values() == {"sprint_weeks": 3, "dod_strength": 1.0, "sprint_goals": 1}
    assert kinds(simulator) == ["stdout", ["image/png", "text/html", "text/plain"]]
    simulator.controls["sprint_goals"].value = 2
    assert simulator.output.outputs[0]["text"].startswith("after 3 Sprints:")
    with pytest.raises(ParameterError, match="sprint_weeks"):
        sprint_simulator(BACKLOG.head(30), sprint_weeks=6)
