"""Importers of module 7: every format gives the same item table; bad files get one line."""

import json

import pandas as pd
import pytest
from repo_paths import REPO_ROOT

from pspo_lab import DataError, ParameterError
from pspo_lab.analysis.flow import cycle_times
from pspo_lab.analysis.forecast import throughput_samples
from pspo_lab.analysis.importers import (
    describe_flow_data,
    load_flow_data,
    parse_as_of,
    parse_dates,
    read_azure_devops_csv,
    read_github_issues_json,
    read_items,
    read_jira_csv,
    read_stage_dated_csv,
    read_throughput_csv,
)

IMPORTS = REPO_ROOT / "datasets" / "imports"
MAPPING = {"id": "Key", "title": "Summary", "backlog": "Created", "in_progress": "Started",
           "review": "Review", "done": "Finished"}


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_sample_reads_into_the_same_item_table():
    tables = {
        "generic": read_stage_dated_csv(IMPORTS / "stage_dated.csv", MAPPING),
        "jira": read_jira_csv(IMPORTS / "jira_export.csv", start_column="Start date"),
        "azure": read_azure_devops_csv(IMPORTS / "azure_devops_export.csv"),
        "github": read_github_issues_json(IMPORTS / "github_issues.json"),
    }
    for name, table in tables.items():
        assert table.columns[:3].tolist() == ["id", "title", "type"], name
        assert table.columns[-1] == "done", name
        assert table["id"].is_unique, name
        assert all(table[c].dtype.kind == "M" for c in table.columns[3:]), name


def test_samples_agree_on_cycle_times_where_they_share_a_start_stage():
    generic = load_flow_data(IMPORTS / "stage_dated.csv", mapping=MAPPING)
    jira = load_flow_data(IMPORTS / "jira_export.csv")
    azure = load_flow_data(IMPORTS / "azure_devops_export.csv")
    first = cycle_times(generic.items).head(20).tolist()
    assert cycle_times(jira.items).head(20).tolist() == first
    assert cycle_times(azure.items).head(20).tolist() == first


def test_reopened_items_have_no_finish():
    jira = read_jira_csv(IMPORTS / "jira_export.csv")
    raw = pd.read_csv(IMPORTS / "jira_export.csv", dtype=str, keep_default_na=False)
    reopened = raw["Status"].eq("Reopened").to_numpy()
    assert reopened.sum() == 1 and raw.loc[reopened, "Resolved"].iloc[0] != ""
    assert jira.loc[reopened, "done"].isna().all()
    github = read_github_issues_json(IMPORTS / "github_issues.json")
    issues = [i for i in json.loads((IMPORTS / "github_issues.json").read_text())
              if "pull_request" not in i]
    still_open = [i["closed_at"] is not None and i["state"] == "open" for i in issues]
    assert any(still_open)
    assert github.loc[still_open, "done"].isna().all()


def test_removed_azure_items_and_pull_requests_are_left_out():
    raw = pd.read_csv(IMPORTS / "azure_devops_export.csv", dtype=str)
    assert len(read_azure_devops_csv(IMPORTS / "azure_devops_export.csv")) == \
        len(raw) - raw["State"].eq("Removed").sum()
    assert "#999" not in read_github_issues_json(IMPORTS / "github_issues.json")["id"].tolist()


def test_format_is_recognised_from_name_and_header():
    assert read_items(IMPORTS / "azure_devops_export.csv").columns[-2] == "review"
    assert read_items(IMPORTS / "jira_export.csv")["in_progress"].notna().any()
    assert read_items(IMPORTS / "stage_dated.csv", MAPPING)["id"].iloc[0] == "PAN-1"


def test_timezone_moves_evening_timestamps_to_the_next_day():
    path = IMPORTS / "stage_dated.csv"
    berlin = read_stage_dated_csv(path, MAPPING, timezone="Europe/Berlin")
    honolulu = read_stage_dated_csv(path, MAPPING, timezone="Pacific/Honolulu")
    # Honolulu is 12 hours behind Berlin in summer: a morning in Berlin is the evening
    # before in Honolulu, an afternoon is the same date
    raw = pd.read_csv(path, dtype=str)
    morning = raw["Created"].str[11:13].astype(int).lt(12)
    shift = (berlin["backlog"] - honolulu["backlog"]).dt.days
    assert shift.eq(morning.astype(int)).all() and morning.any() and (~morning).any()


def test_parse_dates_reads_jira_and_azure_formats():
    parsed = parse_dates(pd.Series(["4/May/25 9:20 PM", "5/4/2025 9:20:00 AM"]), source="x",
                         column="c", formats=("%d/%b/%y %I:%M %p", "%m/%d/%Y %I:%M:%S %p"))
    assert [f"{d:%Y-%m-%d}" for d in parsed] == ["2025-05-04", "2025-05-04"]


@pytest.mark.parametrize(("name", "text", "reader", "message"), [
    ("mine.csv", "Key,Created,Finished\nA,2025-03-01,2025-03-02\nB,soon,2025-03-03\n",
     lambda p: read_stage_dated_csv(p, {"id": "Key", "backlog": "Created", "done": "Finished"}),
     "mine.csv row 3, column 'Created': 'soon' is not a date or time"),
    ("mine.csv", "Key,Created\nA,2025-03-01\n",
     lambda p: read_stage_dated_csv(p, {"id": "Key", "backlog": "Created", "done": "Finished"}),
     "mine.csv: column 'Finished' is missing"),
    ("jira.csv", "Issue key,Status,Created,Resolved\nP-1,Done,04/May/25 9:20 AM,tomorrow\n",
     read_jira_csv, "jira.csv row 2, column 'Resolved': 'tomorrow' is not a date or time"),
    ("ado.csv", "ID,State,Created Date,Closed Date\n1,Closed,5/4/2025,5/5/2025\n1,New,5/4/2025,\n",
     read_azure_devops_csv, "ado.csv row 3: duplicate identifier '1'"),
    ("gh.json", '[{"number": 1, "state": "open"}]', read_github_issues_json,
     "gh.json item 1: field 'created_at' is missing"),
    ("gh.json", '[{"number": 1,', read_github_issues_json, "gh.json: not a JSON file (line 1"),
    ("tp.csv", "date,count\n2025-03-01,2\n2025-03-02,-1\n", read_throughput_csv,
     "tp.csv row 3, column 'count': '-1' is not a whole number >= 0"),
    ("empty.csv", "", read_throughput_csv, "empty.csv: file is empty"),
    ("late.csv", "id,in_progress,done\nA,2025-03-05,2025-03-01\n", load_flow_data,
     "late.csv row 2, column 'done': 2025-03-01 is before 'in_progress' 2025-03-05"),
])
def test_bad_files_get_one_line_naming_file_row_and_column(tmp_path, name, text, reader,
                                                            message):
    with pytest.raises(DataError) as caught:
        reader(write(tmp_path, name, text))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        read_items(tmp_path / "nope.csv")


def test_load_flow_data_sources():
    case = load_flow_data(seed=7)
    assert case.source == "FreshCrate case study" and f"{case.today:%Y-%m-%d}" == "2025-10-31"
    assert case.throughput.index[-1] == case.today
    assert case.arrivals.sum() == len(case.items)
    counts = load_flow_data(throughput_csv=IMPORTS / "throughput.csv")
    assert counts.items.empty and counts.throughput.sum() > 50
    with pytest.raises(ParameterError, match="give one file"):
        load_flow_data(IMPORTS / "jira_export.csv", IMPORTS / "throughput.csv")


@pytest.mark.parametrize("value", ["21/11/2025", "2025-13-01", "tomorrow", "", 20251121, 3.5])
def test_bad_as_of_gets_one_parameter_error_naming_parameter_and_format(value):
    with pytest.raises(ParameterError) as caught:
        load_flow_data(throughput_csv=IMPORTS / "throughput.csv", as_of=value)
    message = str(caught.value)
    assert message.startswith(f"as_of parameter: {value!r} is not a date")
    assert "expected YYYY-MM-DD" in message and "\n" not in message


def test_as_of_accepts_text_dates_and_datetimes():
    import datetime as dt

    expected = pd.Timestamp("2025-11-21")
    assert parse_as_of(" 2025-11-21 ") == expected
    assert parse_as_of(dt.date(2025, 11, 21)) == expected
    assert parse_as_of(dt.datetime(2025, 11, 21, 17, 30)) == expected
    assert parse_as_of(pd.Timestamp("2025-11-21 09:00")) == expected
    assert parse_as_of(None) is None


@pytest.mark.parametrize("source", [{"throughput_csv": IMPORTS / "throughput.csv"},
                                    {"items_csv": IMPORTS / "jira_export.csv"}, {}])
def test_as_of_before_the_last_event_is_refused(source):
    last = load_flow_data(**source, seed=42).today
    with pytest.raises(ParameterError) as caught:
        load_flow_data(**source, seed=42, as_of=f"{last - pd.Timedelta(days=1):%Y-%m-%d}")
    assert "is before the last event in" in str(caught.value)
    assert f"({last:%Y-%m-%d})" in str(caught.value)
    same_day = load_flow_data(**source, seed=42, as_of=f"{last:%Y-%m-%d}")
    assert same_day.today == last and same_day.today_from == "as_of"


def test_counts_window_ends_at_as_of_with_trailing_zero_days():
    default = load_flow_data(throughput_csv=IMPORTS / "throughput.csv")
    assert default.today_from == "last date in the file"
    assert default.throughput.iloc[-1] > 0, "a counts file ends on a completion by construction"
    later = load_flow_data(throughput_csv=IMPORTS / "throughput.csv", as_of="2025-11-21")
    assert later.today == pd.Timestamp("2025-11-21")
    tail = later.throughput.loc[default.today + pd.Timedelta(days=1):]
    assert len(tail) == 22 and tail.sum() == 0
    assert later.arrivals.index.equals(later.throughput.index)
    samples = throughput_samples(later.throughput, later.today, 90)
    assert (samples[-22:] == 0).all()
    assert samples.mean() < throughput_samples(default.throughput, default.today, 90).mean()


def test_items_window_ends_at_as_of():
    data = load_flow_data(IMPORTS / "jira_export.csv", as_of="2030-01-01")
    assert data.throughput.index[-1] == pd.Timestamp("2030-01-01")
    assert data.arrivals.index[-1] == pd.Timestamp("2030-01-01")
    assert data.throughput.sum() == data.items["finish"].notna().sum()


def test_description_uses_counts_without_items_and_names_the_day():
    counts = load_flow_data(throughput_csv=IMPORTS / "throughput.csv")
    text = describe_flow_data(counts, "Europe/Berlin")
    assert not counts.item_level
    assert text.startswith(f"throughput.csv: {int(counts.throughput.sum())} finished items")
    assert "0 items" not in text and "set as_of" in text and "Europe/Berlin" in text
    dated = describe_flow_data(load_flow_data(throughput_csv=IMPORTS / "throughput.csv",
                                              as_of="2025-11-21"))
    assert "today is Fri 21 Nov 2025 (as_of)" in dated
    case = describe_flow_data(load_flow_data(seed=7))
    assert "(the export date)" in case and "set as_of" not in case
