"""Real exports as tools write them: date formats, encodings, separators, columns, statuses.

Each sample in ``datasets/imports`` is checked by the number a learner sees: the cycle time
of a named item, and the note lines printed under the data description.
"""

import pandas as pd
import pytest
from repo_paths import REPO_ROOT

from pspo_lab import DataError, ParameterError
from pspo_lab.analysis.export_dates import check_timezone, infer_date_order, parse_dates
from pspo_lab.analysis.flow import cycle_times
from pspo_lab.analysis.importers import describe_flow_data, load_flow_data, read_items

IMPORTS = REPO_ROOT / "datasets" / "imports"
TRANSITIONS = {"id": "Issue key", "title": "Summary", "type": "Issue Type",
               "backlog": "Created", "in_progress": "In Progress", "done": "Done"}


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def days(cells, timezone="UTC", **options):
    parsed = parse_dates(pd.Series(cells), source="x.csv", column="c", timezone=timezone,
                         **options)
    return [f"{d:%Y-%m-%d}" if pd.notna(d) else None for d in parsed]


@pytest.mark.parametrize(("cell", "timezone", "expected"), [
    ("4/Mar/25 2:05 PM", "UTC", "2025-03-04"),  # Jira default d/MMM/yy h:mm a (12-hour)
    ("04/Mar/25 14:05", "UTC", "2025-03-04"),  # Jira dd/MMM/yy HH:mm (24-hour profile)
    ("4/Mar/25", "UTC", "2025-03-04"),  # Jira date picker d/MMM/yy (date only)
    ("04/Mar/2025 11:59 pm", "UTC", "2025-03-04"),  # four-digit year, lower-case am/pm
    ("2025-03-04T23:30:00.123Z", "Europe/Berlin", "2025-03-05"),  # Azure DevOps, UTC
    ("2025-03-04T23:30:00Z", "America/New_York", "2025-03-04"),  # GitHub, UTC
    ("2025-03-05T00:30:00+01:00", "UTC", "2025-03-04"),  # ISO with an offset
    ("2025-03-04 09:20", "UTC", "2025-03-04"),  # ISO without a zone: local time
    ("25/03/2025", "UTC", "2025-03-25"),  # Excel dd/mm/yyyy
    ("03/25/2025 9:20 AM", "UTC", "2025-03-25"),  # Excel or Azure DevOps mm/dd/yyyy
    ("25.03.2025 17:45", "UTC", "2025-03-25"),  # Excel, German dd.mm.yyyy HH:mm
    ("25/03/25", "UTC", "2025-03-25"),  # two-digit year
])
def test_each_export_date_format_is_read(cell, timezone, expected):
    assert days([cell], timezone) == [expected]


def test_ambiguous_dates_are_decided_by_a_day_above_12_anywhere_in_the_column():
    assert days(["03/04/2025", "13/04/2025"]) == ["2025-04-03", "2025-04-13"]
    assert days(["03/04/2025", "04/13/2025"]) == ["2025-03-04", "2025-04-13"]


def test_undecidable_dates_are_refused_naming_the_parameter(tmp_path):
    path = write(tmp_path, "mine.csv", "id,in_progress,done\nA,03/04/25,05/04/25\n")
    with pytest.raises(DataError) as caught:
        load_flow_data(path)
    assert str(caught.value) == (
        "mine.csv column 'in_progress': '03/04/25' could be 3 April or March 4, and no date "
        'in the file has a day above 12 to decide; set date_order="day-first" or '
        'date_order="month-first"')
    first = load_flow_data(path, date_order="day-first")
    assert cycle_times(first.items).to_dict() == {"A": 3}  # 3 to 5 April
    assert cycle_times(load_flow_data(path, date_order="month-first").items).to_dict() == \
        {"A": 62}  # 4 March to 4 May


def test_one_column_decides_the_order_for_the_whole_file(tmp_path):
    path = write(tmp_path, "mine.csv", "id,in_progress,done\nA,03/04/2025,20/04/2025\n")
    assert cycle_times(load_flow_data(path).items).to_dict() == {"A": 18}
    mixed = write(tmp_path, "mixed.csv", "id,in_progress,done\nA,13/04/2025,04/20/2025\n")
    with pytest.raises(DataError, match="expected one date order in the file"):
        load_flow_data(mixed)
    with pytest.raises(ParameterError, match="date_order parameter: 'dmy' is not one of"):
        infer_date_order({"c": pd.Series(["03/04/2025"])}, "x.csv", given="dmy")


def test_a_misspelt_timezone_gets_one_line_suggesting_close_names():
    with pytest.raises(ParameterError) as caught:
        load_flow_data(IMPORTS / "jira_export.csv", timezone="Europe/Berln")
    assert str(caught.value) == ("timezone parameter: 'Europe/Berln' is not a known timezone "
                                 "(did you mean 'Europe/Berlin' or 'Europe/Dublin' or "
                                 "'Europe/Belfast'?)")
    assert check_timezone("Europe/Berlin") == "Europe/Berlin"


def sample(name, item, **options):
    data = load_flow_data(IMPORTS / name, **options)
    return cycle_times(data.items).get(item), describe_flow_data(data).splitlines()[1:]


def test_custom_field_start_date_gives_cycle_time_not_lead_time():
    # PAN-201: created 3 March, started 5 March (custom field), resolved 7 March
    assert sample("jira_custom_start.csv", "PAN-201") == (3, [])  # was 5 (lead time)
    explicit = sample("jira_custom_start.csv", "PAN-201",
                      start_column="Custom field (Start date)")
    assert explicit == (3, [])


def test_repeated_transition_columns_use_the_first_start_and_the_last_done():
    # PAN-211: in progress 1 April, done 5 April, reopened 10 April, done again 19 April
    days_211, notes = sample("jira_repeated_transitions.csv", "PAN-211", mapping=TRANSITIONS)
    assert days_211 == 19  # was 5 (the first Done)
    assert notes == [
        "Note: jira_repeated_transitions.csv: column 'In Progress' appears 2 times; each "
        "item's first date was used",
        "Note: jira_repeated_transitions.csv: column 'Done' appears 2 times; each item's "
        "last date was used",
        "Note: jira_repeated_transitions.csv: 1 item has an entry into 'In Progress' after "
        "the last 'Done' date (reopened): counted as not finished"]
    # PAN-214 went back to In Progress after its only Done: not finished
    assert sample("jira_repeated_transitions.csv", "PAN-214", mapping=TRANSITIONS)[0] is None


def test_date_only_and_24_hour_jira_exports_load():
    assert sample("jira_date_only.csv", "PAN-221") == (9, [])  # 4 to 12 March; was refused
    assert sample("jira_24_hour.csv", "PAN-231") == (10, [])  # 4 to 13 March; was refused


def test_windows_1252_export_is_read_and_says_so():
    assert sample("jira_cp1252.csv", "PAN-241") == (
        10, ["Note: jira_cp1252.csv: read as cp1252, separated by ','"])  # was a traceback
    titles = read_items(IMPORTS / "jira_cp1252.csv")["title"].tolist()
    assert titles[0] == "Crème fraîche and other dairy in one aisle"
    assert titles[-1] == "Scan a barcode to add an item (“quick add”)"


def test_semicolon_export_with_released_status_is_read_and_says_so():
    # Status "Released" and no Status Category column: PAN-251 is finished
    assert sample("jira_semicolons.csv", "PAN-251") == (
        11, ["Note: jira_semicolons.csv: read as utf-8, separated by ';'"])  # was refused
    assert read_items(IMPORTS / "jira_semicolons.csv")["title"].iloc[0] == \
        "Share the shopping list, with a partner"


def test_semicolon_file_with_wrong_columns_says_what_was_detected(tmp_path):
    path = write(tmp_path, "mine.csv", "Key;Begin;End\nA;2025-03-01;2025-03-02\n")
    with pytest.raises(DataError) as caught:
        load_flow_data(path)
    assert "found Key, Begin, End (read as utf-8, separated by ';')" in str(caught.value)


def test_unknown_start_column_lists_the_columns_found():
    with pytest.raises(ParameterError) as caught:
        load_flow_data(IMPORTS / "jira_custom_start.csv", start_column="Start")
    message = str(caught.value)
    assert message.startswith("start_column parameter: 'Start' is not a column of "
                              "jira_custom_start.csv (found Summary, Issue key, Issue id,")
    assert "Custom field (Start date) (read as utf-8, separated by ',')" in message
    with pytest.raises(ParameterError, match="start_column parameter: github_issues.json is a "
                       "GitHub issues file"):
        load_flow_data(IMPORTS / "github_issues.json", start_column="created_at")


def test_jira_export_reads_through_a_column_mapping_too():
    mapping = {"id": "Issue key", "backlog": "Created", "in_progress": "Start date",
               "done": "Resolved"}
    generic = cycle_times(load_flow_data(IMPORTS / "jira_export.csv", mapping=mapping).items)
    jira = cycle_times(load_flow_data(IMPORTS / "jira_export.csv").items)
    # the mapping knows no statuses: only the reopened PAN-88 differs (finished there)
    assert generic.drop("PAN-88").equals(jira) and "PAN-88" not in jira
    with pytest.raises(ParameterError, match="done_statuses parameter: jira_export.csv is "
                       "read as a CSV with a date per stage"):
        load_flow_data(IMPORTS / "jira_export.csv", mapping=mapping, done_statuses=["Done"])


JIRA = ("Issue key,Summary,Status,Created,Resolved\n"
        "P-1,a,Live,01/Mar/25 9:00 AM,05/Mar/25 9:00 AM\n"
        "P-2,b,Live,01/Mar/25 9:00 AM,06/Mar/25 9:00 AM\n"
        "P-3,c,Done,02/Mar/25 9:00 AM,\n"
        "P-4,d,Done,02/Mar/25 9:00 AM,04/Mar/25 9:00 AM\n")


def test_status_and_date_disagreements_are_counted_not_hidden(tmp_path):
    path = write(tmp_path, "jira.csv", JIRA)
    data = load_flow_data(path)
    assert data.items["finish"].notna().tolist() == [False, False, False, True]
    assert describe_flow_data(data).splitlines()[1:] == [
        "Note: jira.csv: no start column (Start date) found, so work counts as started when "
        "it was created: cycle times are lead times; set start_column to the column with "
        "the start date",
        "Note: jira.csv: 2 items have a Resolved date but a status that is not done ('Live' "
        "2): counted as not finished; add the status to done_statuses if it means done for "
        "your team",
        "Note: jira.csv: 1 item has a done status but no Resolved date ('Done' 1): counted "
        "as not finished"]


def test_done_statuses_parameter_counts_other_statuses_as_done(tmp_path):
    path = write(tmp_path, "jira.csv", JIRA)
    data = load_flow_data(path, done_statuses=["Done", "Live"])
    assert cycle_times(data.items).to_dict() == {"P-1": 5, "P-2": 6, "P-4": 3}
    assert not any("Live" in note for note in data.notes)
    assert load_flow_data(path, done_statuses="done, live").notes == data.notes
    with pytest.raises(ParameterError, match="done_statuses parameter: "):
        load_flow_data(path, done_statuses=[1, 2])
