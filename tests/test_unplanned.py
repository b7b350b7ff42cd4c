"""Module 4: the share of each Sprint spent on unplanned work (defects), and its trend."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from pspo_lab import DataError, load_dataset
from pspo_lab.analysis.unplanned import plot_unplanned_work, unplanned_summary, unplanned_work
from pspo_lab.content.casestudy import TODAY


def _items(rows):
    frame = pd.DataFrame(rows, columns=["type", "backlog", "done", "size"])
    for column in ("backlog", "done"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def test_sprints_start_on_the_monday_of_the_first_arrival_and_only_finished_ones_count():
    items = _items([("feature", "2025-01-08", "2025-01-10", 3),   # Sprint 1 (from Mon 6 Jan)
                    ("defect", "2025-01-15", "2025-01-24", 2),    # reported in 1, done in 2
                    ("defect", "2025-01-21", "2025-01-23", 2),    # reported and done in 2
                    ("feature", "2025-01-21", "2025-02-04", 5)])  # Sprint 3, still running
    table = unplanned_work(items, today=pd.Timestamp("2025-02-05"))
    assert table.index.tolist() == [1, 2]
    assert table["start"].dt.strftime("%Y-%m-%d").tolist() == ["2025-01-06", "2025-01-20"]
    assert table.loc[2, ["defect_share", "defects", "same_sprint"]].tolist() == [100.0, 2, 1]


def test_the_case_study_has_defects_in_most_sprints_and_the_summary_reads_its_numbers():
    table = unplanned_work(load_dataset("work_items"), today=TODAY)
    assert (table["defects"] > 0).mean() > 0.8
    assert table["start"].max() + pd.Timedelta(days=13) <= TODAY
    summary = unplanned_summary(table)
    first = table["defect_share"].head(6).mean()
    assert summary.startswith(f"Defects took {first:.0f}% of finished work in the first 6")
    assert f"of the {table['defects'].sum():.0f} defects fixed" in summary


def test_the_chart_states_its_message_as_alt_text():
    table = unplanned_work(load_dataset("work_items"))
    ax = plot_unplanned_work(table)
    assert ax.figure.get_label() == unplanned_summary(table).split(". ")[0] + "."
    assert ax.get_xlabel() == "Sprint"
    plt.close(ax.figure)


def test_no_finished_work_is_one_clear_line():
    items = _items([("feature", "2025-01-08", None, 3)])
    with pytest.raises(DataError, match="no finished item"):
        unplanned_work(items)
    with pytest.raises(DataError, match="no Sprint has finished yet"):
        unplanned_work(_items([("defect", "2025-01-08", "2025-01-09", 1)]))
