"""Empiricism: complexity factors, delivery simulation, plan health."""

import numpy as np
import pandas as pd
import pytest

from pspo_lab import DataError, ParameterError, load_dataset
from pspo_lab.analysis.empiricism import (
    ZONES,
    ComplexityFactors,
    age_profile,
    arrivals_departures,
    delivery_simulation,
    delivery_summary,
    factor_table,
    feedback_loop_effect,
    forecast_text,
    load_plan_data,
    oldest_items,
    plan_forecast,
    plot_arrivals_departures,
    plot_delivery,
    plot_stacey,
    stacey_zone,
)
from pspo_lab.content.casestudy import TODAY
from pspo_lab.core import records
from pspo_lab.core.workspace import Workspace
from pspo_lab.widgets.forms import RecordForm


def test_stacey_zones_grow_with_both_distances():
    zones = [[ZONES.index(stacey_zone(r, t)) for t in range(1, 6)] for r in range(1, 6)]
    grid = np.array(zones)
    assert (np.diff(grid, axis=0) >= 0).all() and (np.diff(grid, axis=1) >= 0).all()
    assert grid[0, 0] == 0 and grid[4, 4] == 3


def test_factor_form_parses_and_plots_without_writing(tmp_path):
    import matplotlib.pyplot as plt

    form = RecordForm(Workspace(tmp_path), records.COMPLEXITY_FACTORS, ComplexityFactors)
    table = factor_table(form.value().factors)
    assert len(table) == 5 and set(table["zone"]) <= set(ZONES)
    assert "complex" in set(table["zone"])
    plot_stacey(table)
    plt.close("all")
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize(("line", "message"), [
    ("Only a name", "has 1 field"),
    ("Name; high; 2", "requirements: 'high' is not a whole number"),
    ("Name; 0; 2", "requirements: 0 is out of range"),
])
def test_bad_factor_lines_are_named(line, message):
    with pytest.raises(DataError, match=message):
        factor_table(["Fine; 1; 1", line])


def test_bad_factor_line_reports_its_line_number():
    with pytest.raises(DataError, match="line 2"):
        factor_table(["Fine; 1; 1", "Broken"])
    with pytest.raises(DataError, match="no factors"):
        factor_table([])


def test_no_drift_means_no_waste_for_anyone():
    summary = delivery_summary(delivery_simulation(value_drift=0, runs=20))
    assert (summary["waste_pct"] == 0).all()


def test_shorter_feedback_and_more_inspection_deliver_more():
    value = {}
    for loop in (0, 4, 12):
        sim = delivery_simulation(value_drift=0.4, feedback_loop_weeks=loop, runs=300, seed=3)
        value[loop] = delivery_summary(sim).loc["empirical", "value_delivered"]
    assert value[0] > value[4] > value[12]
    often = delivery_summary(delivery_simulation(inspect_every_weeks=1, runs=300, seed=3))
    rarely = delivery_summary(delivery_simulation(inspect_every_weeks=13, runs=300, seed=3))
    assert often.loc["empirical", "value_delivered"] > rarely.loc["empirical",
                                                                 "value_delivered"]
    plan = delivery_summary(delivery_simulation(runs=300, seed=3)).loc["plan-driven"]
    assert plan["value_delivered"] == rarely.loc["plan-driven", "value_delivered"]


def test_simulation_is_seeded_and_checks_parameters():
    import matplotlib.pyplot as plt

    a = delivery_simulation(runs=20, seed=4)
    pd.testing.assert_frame_equal(a, delivery_simulation(runs=20, seed=4))
    assert set(a["strategy"]) == {"plan-driven", "empirical"} and len(a) == 2 * 52
    plot_delivery(a)
    plt.close("all")
    with pytest.raises(ParameterError, match="at least 1"):
        delivery_simulation(inspect_every_weeks=0)
    with pytest.raises(ParameterError, match="value_drift"):
        delivery_simulation(value_drift=-1)


def test_oldest_items_and_age_profile():
    backlog = pd.DataFrame({"id": ["A", "B", "C"], "title": ["a", "b", "c"],
                            "created": pd.to_datetime(["2025-10-01", "2024-01-01",
                                                       "2025-01-01"])})
    oldest = oldest_items(backlog, n=2)
    assert oldest["id"].tolist() == ["B", "C"]
    assert oldest["age_days"].iloc[0] == (TODAY - pd.Timestamp("2024-01-01")).days
    profile = age_profile(backlog)
    assert profile["older_than_1y_pct"] == pytest.approx(33.3)
    with pytest.raises(DataError, match="missing column"):
        oldest_items(backlog.drop(columns="created"))


def test_arrivals_and_departures_balance():
    work = pd.DataFrame({"backlog": pd.to_datetime(["2025-08-03", "2025-08-20", "2025-09-02"]),
                         "done": pd.to_datetime(["2025-09-10", None, "2025-10-01"])})
    backlog = pd.DataFrame({"created": pd.to_datetime(["2025-10-05"])})
    flow = arrivals_departures(backlog, work)
    assert list(flow.index.astype(str)) == ["2025-08", "2025-09", "2025-10"]
    assert flow["arrivals"].tolist() == [2, 1, 1]
    assert flow["departures"].tolist() == [0, 1, 1]
    assert flow["open_items"].tolist() == [2, 2, 2]
    with pytest.raises(DataError, match="work_items table: missing"):
        arrivals_departures(backlog, work.drop(columns="done"))


@pytest.mark.parametrize("seed", [42, 7])
def test_case_study_plan_keeps_growing(seed):
    import matplotlib.pyplot as plt

    backlog, work = load_dataset("backlog", seed=seed), load_dataset("work_items", seed=seed)
    flow = arrivals_departures(backlog, work)
    open_now = len(backlog) + int(work["done"].isna().sum())
    assert flow["open_items"].iloc[-1] == open_now
    forecast = plan_forecast(flow)
    assert forecast["months_if_arrivals_continue"] is None
    assert forecast["months_if_nothing_arrives"] > 0
    plot_arrivals_departures(flow)
    plt.close("all")


def test_plan_forecast_when_the_plan_shrinks_and_bad_window():
    flow = pd.DataFrame({"arrivals": [5, 5, 5], "departures": [10, 10, 10],
                         "open_items": [50, 45, 40]})
    assert plan_forecast(flow, window=3)["months_if_arrivals_continue"] == 8.0
    with pytest.raises(ParameterError, match="window 6"):
        plan_forecast(flow)


def test_feedback_loop_effect_table():
    effect = feedback_loop_effect((0, 4), runs=100, seed=2)
    assert effect.index.tolist() == ["plan-driven", "loop 0 weeks", "loop 4 weeks"]
    assert effect.loc["loop 0 weeks", "value_delivered"] > effect.loc["loop 4 weeks",
                                                                      "value_delivered"]


def test_forecast_text_handles_a_plan_that_never_finishes():
    text = forecast_text({"open_items": 5, "arrivals_per_month": 0.0,
                          "departures_per_month": 0.0, "months_if_nothing_arrives": None,
                          "months_if_arrivals_continue": None})
    assert "nothing has been finished lately" in text and "grows faster" in text


def test_plan_data_never_mixes_learner_items_with_freshcrate(tmp_path):
    with pytest.raises(ParameterError, match="work_items_csv parameter: needs backlog_csv"):
        load_plan_data(42, work_items_csv=str(tmp_path / "items.csv"))
    mine = tmp_path / "backlog.csv"
    mine.write_text("id,title,created\nA-1,Login,2026-01-05\nA-2,Search,2026-02-10\n",
                    encoding="utf-8")
    backlog, items, today = load_plan_data(42, str(mine))
    assert items is None and len(backlog) == 2 and str(today.date()) == "2026-02-10"
