"""Flow metric definitions of module 7, including their edge cases."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pspo_lab import DataError, ParameterError, load_dataset
from pspo_lab.analysis.flow import (
    aging_sentence,
    aging_wip,
    cumulative_flow,
    current_stage,
    cycle_times,
    daily_throughput,
    flow_summary,
    item_level_note,
    littles_law_sentence,
    percentiles,
    prepare_items,
    to_calendar_dates,
    weekly_throughput,
    wip_series,
    work_item_age,
)
from pspo_lab.analysis.flow_charts import (
    plot_aging_wip,
    plot_cumulative_flow,
    plot_cycle_time_histogram,
    plot_cycle_time_scatter,
    plot_throughput,
    plot_wip,
)
from pspo_lab.content.casestudy import STAGES, TODAY

THREE = ("in_progress", "review", "done")


def items(rows, stages=THREE, **kwargs):
    frame = pd.DataFrame(rows, columns=["id", *stages])
    return prepare_items(frame, stages, **kwargs)


def test_same_day_item_takes_one_day_inclusive_and_zero_elapsed():
    table = items([("A", "2025-03-03", None, "2025-03-03")])
    assert cycle_times(table).tolist() == [1]
    assert cycle_times(table, inclusive=False).tolist() == [0]


def test_cycle_time_counts_calendar_days_including_weekends():
    table = items([("A", "2025-03-07", "2025-03-08", "2025-03-10")])  # Friday to Monday
    assert cycle_times(table).tolist() == [4]


def test_skipped_stages_are_back_filled_from_the_next_stage():
    table = items([("A", None, None, "2025-03-05"), ("B", "2025-03-01", None, "2025-03-04")])
    assert table["review"].dt.day.tolist() == [5, 4]
    assert table["start"].dt.day.tolist() == [5, 1]
    assert cycle_times(table).tolist() == [1, 4]


def test_unreached_stages_stay_empty():
    table = items([("A", "2025-03-01", None, None)])
    assert table["review"].isna().all() and table["finish"].isna().all()
    assert cycle_times(table).empty


def test_reopened_item_finishes_on_its_last_done_date():
    # a reopen leaves the last entry into done in the done column
    table = items([("A", "2025-03-01", "2025-03-02", "2025-03-09")])
    assert cycle_times(table).tolist() == [9]


def test_finish_before_start_names_the_row():
    with pytest.raises(DataError, match=r"mine.csv row 3, column 'done'"):
        items([("A", "2025-03-01", None, "2025-03-02"), ("B", "2025-03-05", None,
                                                          "2025-03-01")], source="mine.csv")


def test_missing_stage_column_is_named():
    with pytest.raises(DataError, match="stage column 'review' is missing"):
        prepare_items(pd.DataFrame({"in_progress": [], "done": []}), THREE)


def test_timestamps_become_dates_in_the_stated_timezone_before_subtracting():
    # started 23:30 in New York on 1 March (04:30 UTC on 2 March), done 2 March 20:00 there
    raw = pd.DataFrame({"id": ["A"], "in_progress": ["2025-03-01T23:30:00-05:00"],
                        "done": ["2025-03-02T20:00:00-05:00"]})
    new_york = prepare_items(raw, ("in_progress", "done"), timezone="America/New_York")
    utc = prepare_items(raw, ("in_progress", "done"), timezone="UTC")
    assert cycle_times(new_york).tolist() == [2]
    assert cycle_times(utc).tolist() == [2]  # 2 March 04:30 -> 3 March 01:00 UTC
    tokyo = to_calendar_dates(["2025-03-01T23:30:00-05:00"], "Asia/Tokyo")
    assert f"{tokyo.iloc[0]:%Y-%m-%d}" == "2025-03-02"


def test_naive_timestamps_are_local_and_lose_their_time_of_day():
    dates = to_calendar_dates(["2025-03-01 23:59", "", None], "Europe/Berlin")
    assert f"{dates.iloc[0]:%Y-%m-%d %H:%M}" == "2025-03-01 00:00"
    assert dates.iloc[1:].isna().all()


def test_mixed_offset_and_naive_timestamps_each_follow_their_rule():
    # 02:00 UTC is 21:00 on 1 March in New York; a naive 02:00 is already local: 2 March
    dates = to_calendar_dates(["2025-03-02T02:00:00Z", "2025-03-02T02:00:00", ""],
                              "America/New_York")
    assert dates.dt.strftime("%Y-%m-%d").tolist()[:2] == ["2025-03-01", "2025-03-02"]
    assert dates.isna().tolist() == [False, False, True]


def test_work_item_age_only_for_items_in_progress():
    table = items([("A", "2025-03-01", None, None), ("B", "2025-03-01", None, "2025-03-03"),
                   ("C", "2025-03-10", None, None), ("D", "2025-03-05", None, "2025-03-12")])
    assert work_item_age(table, "2025-03-05").to_dict() == {"A": 5, "D": 1}
    assert work_item_age(table, "2025-03-05", inclusive=False).to_dict() == {"A": 4, "D": 0}


def test_wip_counts_start_inclusive_and_finish_exclusive():
    table = items([("A", "2025-03-02", None, "2025-03-04"), ("B", "2025-03-03", None, None),
                   ("C", "2025-03-03", None, "2025-03-03")])
    wip = wip_series(table, "2025-03-01", "2025-03-05")
    assert wip.tolist() == [0, 1, 2, 1, 1]


def test_daily_throughput_keeps_zero_days_and_window_without_completions():
    table = items([("A", "2025-03-01", None, "2025-03-01"), ("B", "2025-03-01", None,
                                                             "2025-03-04")])
    assert daily_throughput(table).tolist() == [1, 0, 0, 1]
    empty = daily_throughput(table, "2025-04-01", "2025-04-03")
    assert empty.tolist() == [0, 0, 0]
    assert daily_throughput(table.iloc[0:0]).empty


def test_weekly_throughput_uses_iso_weeks_labelled_by_monday():
    days = pd.date_range("2025-12-28", "2026-01-05")  # Sunday .. Monday, across a year end
    weekly = weekly_throughput(pd.Series(np.arange(len(days)), index=days))
    assert [f"{d:%Y-%m-%d}" for d in weekly.index] == ["2025-12-22", "2025-12-29",
                                                        "2026-01-05"]
    assert weekly.tolist() == [0, sum(range(1, 8)), 8]


def test_percentiles_are_nearest_rank_and_literally_true():
    data = [1, 1, 2, 3, 5, 8, 13, 21]
    found = percentiles(data, (50, 85))
    assert found.tolist() == [3, 13]
    for p, value in found.items():
        assert np.mean(np.array(data) <= value) >= p / 100
    assert percentiles([]).isna().all()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(1, 60), min_size=1, max_size=40))
def test_percentiles_are_ordered_and_values_of_the_data(values):
    found = percentiles(values)
    assert found.is_monotonic_increasing
    assert set(found.tolist()) <= set(values)


def test_cumulative_flow_bands_never_cross():
    table = prepare_items(load_dataset("work_items"))
    flow = cumulative_flow(table, STAGES)
    ordered = flow.to_numpy()
    assert (np.diff(ordered, axis=1) <= 0).all()
    assert flow["done"].iloc[-1] == table["finish"].notna().sum()


def test_current_stage_and_aging_wip():
    table = items([("A", "2025-03-01", "2025-03-03", None), ("B", "2025-03-02", None, None),
                   ("C", "2025-03-01", None, "2025-03-02")])
    assert current_stage(table, THREE, "2025-03-04").tolist() == ["review", "in_progress",
                                                                  "done"]
    aging = aging_wip(table, THREE, "2025-03-04")
    assert aging.to_dict("list") == {"id": ["A", "B"], "stage": ["review", "in_progress"],
                                     "age": [4, 3]}


def test_flow_summary_little_law_matches_measurement_roughly():
    summary = flow_summary(prepare_items(load_dataset("work_items")), TODAY, 180)
    assert summary["mean_throughput"] > 0
    assert summary["littles_law_cycle_time"] == pytest.approx(summary["mean_cycle_time"],
                                                              rel=0.35)


def test_charts_return_their_axes():
    import matplotlib.pyplot as plt

    table = prepare_items(load_dataset("work_items"))
    _, axes = plt.subplots(2, 3)
    assert plot_cycle_time_scatter(table, ax=axes[0, 0]) is axes[0, 0]
    assert plot_cycle_time_histogram(table, ax=axes[0, 1]) is axes[0, 1]
    assert plot_cumulative_flow(table, ax=axes[0, 2]) is axes[0, 2]
    assert plot_wip(table, ax=axes[1, 0]) is axes[1, 0]
    assert plot_aging_wip(table, STAGES, TODAY, ax=axes[1, 1]) is axes[1, 1]
    assert plot_throughput(daily_throughput(table), ax=axes[1, 2]) is axes[1, 2]
    plt.close("all")


def test_aging_wip_legend_is_outside_the_plot_area():
    import matplotlib.pyplot as plt

    ax = plot_aging_wip(prepare_items(load_dataset("work_items")), STAGES, TODAY)
    ax.figure.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    assert legend.x0 >= ax.get_window_extent().x1
    plt.close("all")


def test_flow_summary_of_counts_uses_the_counts_and_knows_no_wip():
    counts = pd.Series([2, 0, 1, 3], index=pd.date_range("2025-03-01", periods=4))
    empty = items([])
    summary = flow_summary(empty, "2025-03-05", 5, throughput=counts)
    assert summary["mean_throughput"] == 1.2, "the missing 5 March counts as 0"
    assert {k for k, v in summary.items() if v is None} == {
        "mean_wip", "mean_cycle_time", "littles_law_cycle_time", "items_in_progress"}
    sentence = littles_law_sentence(summary, 5)
    assert sentence.startswith("Last 5 days: throughput 1.2 items/day.")
    assert "needs item-level data" in sentence and "nan" not in sentence.lower()


def test_flow_summary_never_returns_nan():
    table = items([("A", "2025-03-01", None, None)])
    summary = flow_summary(table, "2025-03-05", 5)
    assert summary == {"mean_wip": 1.0, "mean_throughput": 0.0, "mean_cycle_time": None,
                       "littles_law_cycle_time": None, "items_in_progress": 1}
    assert "no items finished" in littles_law_sentence(summary, 5)


def test_flow_summary_given_throughput_matches_counting_items():
    table = prepare_items(load_dataset("work_items"))
    own = flow_summary(table, TODAY, 90)
    assert flow_summary(table, TODAY, 90, throughput=daily_throughput(table)) == own
    assert littles_law_sentence(own).startswith(f"Last 90 days: average WIP {own['mean_wip']}")


def test_aging_sentence_counts_old_items_or_says_what_is_missing():
    table = items([("A", "2025-03-01", None, "2025-03-02"), ("B", "2025-03-01", None, None),
                   ("C", "2025-03-04", None, None)])
    aging = aging_wip(table, THREE, "2025-03-05")
    assert aging_sentence(table, aging) == ("In progress: 2 items, 1 of them older than the "
                                            "85th percentile of cycle time (2 days).")
    unfinished = items([("B", "2025-03-01", None, None)])
    assert "no finished items yet" in aging_sentence(
        unfinished, aging_wip(unfinished, THREE, "2025-03-05"))
    empty = items([])
    note = aging_sentence(empty, aging_wip(empty, THREE, "2025-03-05"))
    assert note == item_level_note("Aging work in progress", "a start date per unfinished item")
    assert "only counts" in note


def test_flow_summary_refuses_an_empty_window():
    with pytest.raises(ParameterError, match="window_days: 0 is not usable"):
        flow_summary(load_dataset("work_items"), "2025-10-31", 0)
