"""Module 1 logic: product definition card and the project-vs-product delivery simulation."""


import matplotlib.pyplot as plt
import pandas as pd
import pytest

from pspo_lab import DataError, ParameterError, load_dataset
from pspo_lab.analysis.product import (
    DeliveryChart,
    ProductDefinition,
    compare_delivery,
    delivery_summary,
    plot_product_card,
    simulate_delivery,
)


@pytest.fixture(scope="module")
def backlog():
    return load_dataset("backlog")


def tiny_backlog():
    return pd.DataFrame({"id": ["A", "B", "C"], "activity": ["Cook", "Cook", "Plan the week"],
                         "job_size": [5, 5, 5], "value_estimate": [30, 20, 10],
                         "true_value": [10, 20, 40]})


def test_project_releases_once_and_product_every_sprint():
    project = simulate_delivery(tiny_backlog(), "project", sprints=3, capacity=5)
    product = simulate_delivery(tiny_backlog(), "product", sprints=3, capacity=5, learning=0)
    assert project["released_items"].tolist() == [0, 0, 3]
    assert project["value"].tolist() == [0, 0, 70]
    assert project["delay_cost"].tolist() == [10, 30, 0]
    assert product["released_items"].tolist() == [1, 2, 3]
    assert product["value"].tolist() == [10, 30, 70]
    assert product["learned"].tolist() == [1, 1, 1]


def test_cost_of_delay_is_the_value_the_project_did_not_earn(backlog):
    summary = delivery_summary(compare_delivery(backlog, learning=0))
    assert (summary.loc["project", "value_earned"] + summary.loc["project", "cost_of_delay"]
            == summary.loc["product", "value_earned"])
    assert summary.loc["product", "cost_of_delay"] == 0


def test_learning_reorders_after_a_disappointing_release():
    # A (Cook) disappoints: with learning the other Cook item B drops behind C.
    frame = tiny_backlog().assign(value_estimate=[30, 25, 20], true_value=[3, 2, 20])
    blind = simulate_delivery(frame, "product", sprints=2, capacity=5, learning=0)
    wise = simulate_delivery(frame, "product", sprints=2, capacity=5, learning=1)
    assert blind["value"].iloc[1] == 5
    assert wise["value"].iloc[1] == 23


def test_simulation_is_deterministic_and_seeded(backlog):
    first = compare_delivery(backlog)
    assert first.equals(compare_delivery(backlog))
    other = compare_delivery(load_dataset("backlog", seed=7))
    assert not first["cumulative_value"].equals(other["cumulative_value"])


@pytest.mark.parametrize("kwargs, message", [
    ({"sprints": 0}, "sprints"), ({"capacity": 0.5}, "capacity"), ({"learning": 2}, "learning"),
])
def test_bad_simulation_parameters(backlog, kwargs, message):
    with pytest.raises(ParameterError, match=message):
        simulate_delivery(backlog, "product", **kwargs)


def test_backlog_without_true_value_is_refused(backlog):
    with pytest.raises(DataError, match="true_value"):
        simulate_delivery(backlog.drop(columns="true_value"), "product")
    with pytest.raises(ParameterError, match="mode"):
        simulate_delivery(backlog, "programme")


def test_chart_updates_in_place(backlog):
    chart = DeliveryChart(compare_delivery(backlog, sprints=4))
    chart.update(compare_delivery(backlog, sprints=8))
    line = chart.lines[("product", "cumulative_value")]
    assert len(line.get_xdata()) == 8
    plt.close(chart.figure)


def test_product_card_and_definition_limits():
    ax = plot_product_card(ProductDefinition())
    assert "FreshCrate" in ax.get_title()
    with pytest.raises(ValueError, match="at most 60"):
        ProductDefinition(name="x" * 61)
    plt.close("all")
