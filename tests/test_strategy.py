"""Module 2 logic: adoption lifecycle and total cost of ownership."""

import matplotlib.pyplot as plt
import pytest

from pspo_lab import DataError
from pspo_lab.analysis.strategy import (
    SEGMENTS,
    CostInputs,
    continue_or_discontinue,
    cost_inputs,
    lifecycle_position,
    plot_adoption_lifecycle,
    plot_tco,
    retirement_year,
    segment_table,
    target_summary,
    tco_table,
)


def test_segment_shares_are_the_published_facts():
    assert list(SEGMENTS.values()) == [2.5, 13.5, 34.0, 34.0, 16.0]
    assert segment_table()["cumulative"].iloc[-1] == 100


@pytest.mark.parametrize("adoption, segment", [(0, "Innovators"), (2.5, "Early adopters"),
                                               (15.9, "Early adopters"),
                                               (16, "Early majority"), (84, "Laggards"),
                                               (100, "Laggards")])
def test_lifecycle_position(adoption, segment):
    assert lifecycle_position(adoption) == segment


def test_targets_and_chasm():
    assert target_summary(["Early adopters", "Early majority"]) == {"share": 47.5,
                                                                   "crosses_chasm": True}
    with pytest.raises(DataError, match="'Pioneers' is not a segment"):
        target_summary(["Pioneers"])
    with pytest.raises(DataError, match="out of range"):
        lifecycle_position(120)
    ax = plot_adoption_lifecycle(["Early majority"], position=20)
    assert "chasm" in " ".join(t.get_text() for t in ax.texts)
    plt.close("all")


def test_tco_grows_maintenance_with_debt_interest():
    table = tco_table(CostInputs(years=3, build=100, run_per_year=10, support_per_year=0,
                                 maintenance_per_year=100, debt_interest=0.5,
                                 opportunity_cost_per_year=0, value_per_year=50,
                                 value_trend=0))
    assert table["maintenance"].tolist() == [0, 100, 150, 225]
    assert table["total"].tolist() == [100, 110, 160, 235]
    assert table["cumulative"].iloc[-1] == 605
    assert table["net"].iloc[1] == -60


def test_continue_vs_discontinue_ignores_sunk_build_cost():
    costs = CostInputs(years=2, build=10**6, run_per_year=0, support_per_year=0,
                       maintenance_per_year=0, debt_interest=0, opportunity_cost_per_year=10,
                       value_per_year=30, value_trend=0, discontinue_cost=5)
    table = continue_or_discontinue(costs)
    assert table["continue"].tolist() == [20, 40]
    assert table["discontinue"].tolist() == [-5, -5]
    assert retirement_year(costs) is None
    assert retirement_year(costs.model_copy(update={"value_per_year": 4})) == 1


def test_non_numeric_cost_gives_one_clear_line():
    with pytest.raises(DataError) as error:
        cost_inputs({"support_per_year": "a lot", "run_per_year": "12k"})
    message = str(error.value)
    assert "\n" not in message
    assert "cost inputs field" in message and "(and 1 more problem(s))" in message
    assert cost_inputs({"years": "3"}).years == 3
    with pytest.raises(DataError, match="'debt_interest'"):
        cost_inputs({"debt_interest": -0.1})
    assert len(plot_tco(CostInputs(years=2)).patches) == 15
    plt.close("all")
