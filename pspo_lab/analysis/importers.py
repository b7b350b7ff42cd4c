"""Read a team's own work-item export into the item table that :mod:`pspo_lab.analysis.flow` uses.

Every reader returns the same table: ``id``, ``title``, ``type`` and one calendar-date
column per workflow stage, in workflow order (the last stage is "done"). Timestamps are
reduced to calendar dates in the ``timezone`` you state (see
:func:`pspo_lab.analysis.flow.to_calendar_dates`). A bad file raises one
:class:`~pspo_lab.DataError` line naming the file, the row (spreadsheet numbering:
header = row 1) or JSON item, the column, and what was expected.

=====================  ===========================================================
format                 stages
=====================  ===========================================================
stage-dated CSV        any, given by a column mapping ``{stage: column}``
Jira CSV export        backlog = Created, in_progress = a start column (optional,
                       else Created), done = Resolved when the status is done
Azure DevOps export    backlog = Created Date, in_progress = Activated Date,
                       review = Resolved Date, done = Closed Date when closed
GitHub issues JSON     backlog = in_progress = created_at, done = closed_at
=====================  ===========================================================

A reopened item that is not done again has no finish: its done date is dropped when the
current status says it is not done (Jira, Azure DevOps) or the issue is open (GitHub).

>>> data = load_flow_data("datasets/imports/github_issues.json")
>>> data.stages
('backlog', 'in_progress', 'done')
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pspo_lab.analysis.flow import daily_counts, daily_throughput, prepare_items, to_calendar_dates
from pspo_lab.content import casestudy
from pspo_lab.content.datasets import load_dataset
from pspo_lab.core.errors import DataError, ParameterError

JIRA_DATE_FORMATS = ("%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%Y-%m-%d %H:%M")
"""Date formats of Jira CSV exports (the default ``dd/MMM/yy h:mm a`` first)."""

AZURE_DATE_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y")
"""Date formats of Azure DevOps query exports (US locale), tried after ISO 8601."""

CASE_STUDY = "FreshCrate case study"
"""Source name of the case-study data."""

JIRA_DONE = ("done", "closed", "resolved")
AZURE_DONE = ("closed", "done")


@dataclass(frozen=True)
class FlowData:
    """Everything the forecasting notebook needs, from the case study or a learner's file.

    Attributes
    ----------
    items
        Prepared item table (:func:`pspo_lab.analysis.flow.prepare_items`): stage dates, ``start``,
        ``finish``. Empty when only throughput counts were given.
    stages
        Stage columns in workflow order.
    today
        The day forecasts start from: the ``as_of`` date when one was given, else the
        case study's export date or the last date in the learner's file.
    throughput
        Items finished per calendar day up to ``today``, zeros included.
    arrivals
        Items added per calendar day (entries into the first stage), zeros included. All
        zeros for a throughput file, which says nothing about arrivals.
    source
        Where the data came from, for titles and messages.
    today_from
        Why ``today`` is that day: ``"as_of"``, ``"export date"`` (case study) or
        ``"last date in the file"``.
    """

    items: pd.DataFrame
    stages: tuple[str, ...]
    today: pd.Timestamp
    throughput: pd.Series
    arrivals: pd.Series
    source: str
    today_from: str

    @property
    def item_level(self) -> bool:
        """Whether there are work items with dates (``False`` for throughput counts only).

        Examples
        --------
        >>> load_flow_data(seed=42).item_level
        True
        """
        return not self.items.empty


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise DataError(f"{path}: file not found (expected a CSV export)")
    text = path.read_text(encoding="utf-8-sig")
    if not text.strip():
        raise DataError(f"{path.name}: file is empty (expected a header line and rows)")
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as error:
        raise DataError(f"{path.name}: not a readable CSV file ({str(error).strip()})"
                        ) from None
    raw.columns = [str(c).strip() for c in raw.columns]
    if raw.empty:
        raise DataError(f"{path.name}: has no data rows (expected a header line and rows)")
    return raw


def _require(raw: pd.DataFrame, columns: Sequence[str], source: str, what: str) -> None:
    for column in columns:
        if column not in raw.columns:
            raise DataError(f"{source}: column {column!r} is missing (expected a {what} with "
                            f"columns {', '.join(columns)}; found {', '.join(raw.columns)})")


def parse_dates(cells: pd.Series, *, source: str, column: str, timezone: str = "UTC",
                formats: Sequence[str] = (), row_label: str = "row", row_offset: int = 2
                ) -> pd.Series:
    """Parse text cells as timestamps and reduce them to calendar dates in ``timezone``.

    ISO 8601 is tried first (with or without a UTC offset), then each of ``formats``.
    Empty cells stay missing.

    Raises
    ------
    DataError
        ``"<source> row 5, column 'Created': 'yesterday' is not a date or time ..."``.

    Examples
    --------
    >>> cells = pd.Series(["2025-03-01T23:30:00Z", "", "03/Mar/25 9:05 AM"])
    >>> parse_dates(cells, source="x.csv", column="Created", timezone="Europe/Berlin",
    ...     formats=JIRA_DATE_FORMATS).dt.strftime("%Y-%m-%d").tolist()
    ['2025-03-02', nan, '2025-03-03']
    """
    text = cells.astype(str).str.strip()
    empty = text.eq("") | text.str.lower().isin(["nan", "none", "null"])
    result = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns]")
    todo = ~empty
    iso = pd.to_datetime(text.where(todo), format="ISO8601", errors="coerce", utc=True)
    has_offset = text.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True) & iso.notna()
    if has_offset.any():
        result[has_offset] = to_calendar_dates(iso[has_offset], timezone).to_numpy()
    todo &= ~has_offset
    for fmt in ("ISO8601", *formats):
        if not todo.any():
            break
        parsed = pd.to_datetime(text.where(todo), format=fmt, errors="coerce")
        hit = todo & parsed.notna()
        result[hit] = parsed[hit].dt.normalize().to_numpy()
        todo &= ~hit
    if todo.any():
        position = int(np.flatnonzero(todo.to_numpy())[0])
        example = "2025-03-12, 2025-03-12T09:41:00+01:00"
        if formats:
            example += ", " + pd.Timestamp("2025-03-12 09:41").strftime(formats[0])
        raise DataError(f"{source} {row_label} {position + row_offset}, column {column!r}: "
                        f"{cells.iloc[position]!r} is not a date or time (expected e.g. "
                        f"{example})")
    return result


def _table(ids: pd.Series, titles: pd.Series, types: pd.Series,
           stages: Mapping[str, pd.Series], source: str, row_label: str = "row",
           row_offset: int = 2) -> pd.DataFrame:
    ids = ids.astype(str).str.strip()
    blank = ids.eq("")
    duplicated = ids.duplicated() & ~blank
    for bad, why in ((blank, "empty identifier"), (duplicated, "duplicate identifier")):
        if bad.any():
            position = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(f"{source} {row_label} {position + row_offset}: {why} "
                            f"{ids.iloc[position]!r} (expected a unique id per item)")
    frame = pd.DataFrame({"id": ids, "title": titles.astype(str), "type": types.astype(str)})
    for stage, dates in stages.items():
        frame[stage] = dates.to_numpy()
    return frame.reset_index(drop=True)


def read_stage_dated_csv(path: str | Path, mapping: Mapping[str, str] | None = None, *,
                         timezone: str = "UTC") -> pd.DataFrame:
    """Read a generic CSV with one date (or timestamp) column per workflow stage.

    Parameters
    ----------
    path
        The CSV file.
    mapping
        ``{name: column in the file}``. The keys ``id``, ``title`` and ``type`` name the
        item columns (default: columns called id, title and type; title and type are
        optional); every other key is a stage, in workflow order, the done stage last.
        Default: the case-study stages (backlog, ready, in_progress, review, done) found
        in the file.
    timezone
        Timezone in which timestamps become calendar dates.

    Examples
    --------
    >>> items = read_stage_dated_csv("datasets/imports/stage_dated.csv",
    ...     {"id": "Key", "title": "Summary", "backlog": "Created", "in_progress": "Started",
    ...      "review": "Review", "done": "Finished"})
    >>> items.columns.tolist()
    ['id', 'title', 'type', 'backlog', 'in_progress', 'review', 'done']
    """
    path = Path(path)
    raw = _read_csv(path)
    mapping = dict(mapping) if mapping is not None else {
        s: s for s in casestudy.STAGES if s in raw.columns}
    item_columns = {key: mapping.pop(key, key) for key in ("id", "title", "type")}
    if len(mapping) < 2:
        raise DataError(f"{path.name}: found stage columns {list(mapping.values())} (expected "
                        f"at least two, e.g. {', '.join(casestudy.STAGES)}, or a column "
                        "mapping {stage: column})")
    _require(raw, [item_columns["id"], *mapping.values()], path.name, "stage-dated CSV")
    dates = {stage: parse_dates(raw[column], source=path.name, column=column,
                                timezone=timezone) for stage, column in mapping.items()}
    blank = pd.Series("", index=raw.index)
    return _table(raw[item_columns["id"]], raw.get(item_columns["title"], blank),
                  raw.get(item_columns["type"], blank), dates, path.name)


def read_jira_csv(path: str | Path, *, started_column: str | None = None,
                  timezone: str = "UTC") -> pd.DataFrame:
    """Read a Jira issue CSV export (columns Issue key, Summary, Issue Type, Status, ...).

    Jira's standard export has no start date: pass ``started_column`` if your export has
    one (e.g. a custom field "Start date"); without it ``in_progress`` is the Created
    date, so "cycle time" becomes lead time. An issue counts as done when its
    "Status Category" is Done (or, without that column, its Status is Done, Closed or
    Resolved); a reopened issue keeps no Resolved date.

    Examples
    --------
    >>> items = read_jira_csv("datasets/imports/jira_export.csv",
    ...                       started_column="Start date")
    >>> items.columns.tolist()[3:]
    ['backlog', 'in_progress', 'done']
    """
    path = Path(path)
    raw = _read_csv(path)
    needed = ["Issue key", "Status", "Created", "Resolved"]
    _require(raw, needed + ([started_column] if started_column else []), path.name,
             "Jira CSV export")
    parse = {"source": path.name, "timezone": timezone, "formats": JIRA_DATE_FORMATS}
    created = parse_dates(raw["Created"], column="Created", **parse)
    started = (parse_dates(raw[started_column], column=started_column, **parse)
               if started_column else created)
    resolved = parse_dates(raw["Resolved"], column="Resolved", **parse)
    status = raw.get("Status Category", raw["Status"]).str.strip().str.lower()
    resolved = resolved.where(status.isin(JIRA_DONE))
    blank = pd.Series("", index=raw.index)
    return _table(raw["Issue key"], raw.get("Summary", blank), raw.get("Issue Type", blank),
                  {"backlog": created, "in_progress": started, "done": resolved}, path.name)


def read_azure_devops_csv(path: str | Path, *, timezone: str = "UTC") -> pd.DataFrame:
    """Read an Azure DevOps query export (ID, Work Item Type, Title, State, dates).

    Stages: backlog = Created Date, in_progress = Activated Date, review = Resolved Date,
    done = Closed Date (kept only when the State is Closed or Done). Removed items are left
    out. Activated and Resolved Date columns are optional.

    Examples
    --------
    >>> items = read_azure_devops_csv("datasets/imports/azure_devops_export.csv")
    >>> items.columns.tolist()[3:]
    ['backlog', 'in_progress', 'review', 'done']
    """
    path = Path(path)
    raw = _read_csv(path)
    _require(raw, ["ID", "State", "Created Date", "Closed Date"], path.name,
             "Azure DevOps export")
    state = raw["State"].str.strip().str.lower()
    kept = ~state.eq("removed")
    parse = {"source": path.name, "timezone": timezone, "formats": AZURE_DATE_FORMATS}
    columns = {"backlog": "Created Date", "in_progress": "Activated Date",
               "review": "Resolved Date", "done": "Closed Date"}
    dates = {stage: parse_dates(raw[column], column=column, **parse)[kept]
             for stage, column in columns.items() if column in raw.columns}
    dates["done"] = dates["done"].where(state[kept].isin(AZURE_DONE))
    blank = pd.Series("", index=raw.index)
    return _table(raw["ID"][kept], raw.get("Title", blank)[kept],
                  raw.get("Work Item Type", blank)[kept], dates, path.name)


def read_github_issues_json(path: str | Path, *, timezone: str = "UTC") -> pd.DataFrame:
    """Read GitHub issues as JSON (the REST API list, or ``{"items": [...]}`` from search).

    Pull requests are left out. Stages: backlog = in_progress = created_at (GitHub has no
    start date, so cycle time is lead time), done = closed_at for issues whose state is
    closed; an issue reopened and still open has no finish. The type is the first label.

    Examples
    --------
    >>> items = read_github_issues_json("datasets/imports/github_issues.json")
    >>> items["id"].iloc[0]
    '#101'
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found (expected a GitHub issues JSON file)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DataError(f"{path.name} line {error.lineno}: not valid JSON ({error.msg})"
                        ) from None
    issues = data.get("items") if isinstance(data, dict) else data
    if not isinstance(issues, list) or not all(isinstance(i, dict) for i in issues):
        raise DataError(f"{path.name}: expected a list of issue objects (as the GitHub API "
                        "returns them)")
    issues = [i for i in issues if "pull_request" not in i]
    if not issues:
        raise DataError(f"{path.name}: has no issues (expected at least one)")
    for position, issue in enumerate(issues, start=1):
        for field in ("number", "created_at", "state"):
            if field not in issue:
                raise DataError(f"{path.name} item {position}: field {field!r} is missing "
                                "(expected number, title, state, created_at, closed_at)")
    frame = pd.DataFrame({
        "number": [f"#{i['number']}" for i in issues],
        "title": [str(i.get("title", "")) for i in issues],
        "type": [(i.get("labels") or [{"name": "issue"}])[0].get("name", "issue")
                 for i in issues],
        "created_at": [str(i.get("created_at") or "") for i in issues],
        "closed_at": [str(i.get("closed_at") or "") for i in issues],
        "state": [str(i.get("state", "")) for i in issues]})
    parse = {"source": path.name, "timezone": timezone, "row_label": "item", "row_offset": 1}
    created = parse_dates(frame["created_at"], column="created_at", **parse)
    closed = parse_dates(frame["closed_at"], column="closed_at", **parse)
    closed = closed.where(frame["state"].eq("closed"))
    return _table(frame["number"], frame["title"], frame["type"],
                  {"backlog": created, "in_progress": created, "done": closed}, path.name,
                  row_label="item", row_offset=1)


def read_throughput_csv(path: str | Path, *, timezone: str = "UTC") -> pd.Series:
    """Read finished-item counts: a ``date`` column and an optional ``count`` column.

    Each row is one finished item on ``date``, or ``count`` items when that column exists;
    rows on the same date add up. Days without rows count as 0.

    Examples
    --------
    >>> daily = read_throughput_csv("datasets/imports/throughput.csv")
    >>> int(daily.min()), daily.index.is_monotonic_increasing
    (0, True)
    """
    path = Path(path)
    raw = _read_csv(path)
    _require(raw, ["date"], path.name, "throughput CSV")
    dates = parse_dates(raw["date"], source=path.name, column="date", timezone=timezone)
    empty = dates.isna().to_numpy()
    if empty.any():
        raise DataError(f"{path.name} row {int(np.flatnonzero(empty)[0]) + 2}, column 'date': "
                        "empty cell (expected a date as YYYY-MM-DD)")
    counts = pd.Series(1, index=raw.index)
    if "count" in raw.columns:
        counts = pd.to_numeric(raw["count"].str.strip(), errors="coerce")
        bad = (counts.isna() | (counts < 0) | (counts % 1 != 0)).to_numpy()
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise DataError(f"{path.name} row {row + 2}, column 'count': "
                            f"{raw['count'].iloc[row]!r} is not a whole number >= 0")
    daily = counts.astype("int64").groupby(dates.to_numpy()).sum()
    days = pd.date_range(daily.index.min(), daily.index.max(), freq="D", name="date")
    return daily.reindex(days, fill_value=0).rename("throughput")


def read_items(path: str | Path, mapping: Mapping[str, str] | None = None, *,
               timezone: str = "UTC") -> pd.DataFrame:
    """Read any supported export, recognising its format from the name and header.

    ``.json`` files are GitHub issues; a header with "Issue key" is Jira (its optional
    "Start date" column is used as the start); one with "Work Item Type" or "Closed Date"
    is Azure DevOps; anything else is a stage-dated CSV read with ``mapping``.

    Examples
    --------
    >>> len(read_items("datasets/imports/jira_export.csv")) > 10
    True
    """
    path = Path(path)
    if path.suffix.lower() == ".json":
        return read_github_issues_json(path, timezone=timezone)
    header = set(_read_csv(path).columns)
    if mapping is None and "Issue key" in header:
        started = "Start date" if "Start date" in header else None
        return read_jira_csv(path, started_column=started, timezone=timezone)
    if mapping is None and header & {"Work Item Type", "Closed Date"}:
        return read_azure_devops_csv(path, timezone=timezone)
    return read_stage_dated_csv(path, mapping, timezone=timezone)


def parse_as_of(as_of: str | dt.date | None) -> pd.Timestamp | None:
    """Validate the ``as_of`` parameter: the real date the forecast is made on.

    Accepts ``None`` (no date given), a date or datetime, or text in the ISO form
    ``YYYY-MM-DD`` (the form notebook 09's ``as_of`` uses).

    Raises
    ------
    ParameterError
        ``"as_of parameter: '21/11/2025' is not a date (expected YYYY-MM-DD, ...)"``.

    Examples
    --------
    >>> parse_as_of("2025-11-21")
    Timestamp('2025-11-21 00:00:00')
    >>> parse_as_of(None) is None
    True
    >>> parse_as_of("21/11/2025")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.ParameterError: as_of parameter: '21/11/2025' is not a date (expected ...
    """
    if as_of is None:
        return None
    if isinstance(as_of, dt.date):
        return pd.Timestamp(as_of).normalize().tz_localize(None)
    try:
        return pd.Timestamp(dt.date.fromisoformat(as_of.strip()))
    except (AttributeError, TypeError, ValueError):
        raise ParameterError(f"as_of parameter: {as_of!r} is not a date (expected YYYY-MM-DD, "
                             'e.g. as_of = "2025-11-21", or None)') from None


def _forecast_day(as_of: pd.Timestamp | None, last_event: pd.Timestamp, default: pd.Timestamp,
                  source: str) -> tuple[pd.Timestamp, str]:
    """The day forecasts start from, refusing an ``as_of`` before the data's last event."""
    if as_of is None:
        return default, ("export date" if source == CASE_STUDY else "last date in the file")
    if as_of < last_event:
        raise ParameterError(f"as_of parameter: {as_of:%Y-%m-%d} is before the last event in "
                             f"{source} ({last_event:%Y-%m-%d}); expected the day you make the "
                             "forecast, on or after that date")
    return as_of, "as_of"


def load_flow_data(items_csv: str | Path | None = None, throughput_csv: str | Path | None = None,
                   *, seed: int | None = None, mapping: Mapping[str, str] | None = None,
                   timezone: str = "UTC", as_of: str | dt.date | None = None) -> FlowData:
    """The notebook's data: the case study, or the learner's item or throughput file.

    Parameters
    ----------
    items_csv
        A work-item export (any format :func:`read_items` knows), or ``None``.
    throughput_csv
        A file of finished-item counts (:func:`read_throughput_csv`), or ``None``.
        Only the forecasts work from counts alone; the item charts stay empty.
    seed
        Case-study seed, used when both files are ``None``.
    mapping
        Column mapping for a stage-dated CSV.
    timezone
        Timezone in which timestamps become calendar dates.
    as_of
        The real date the forecast is made on (``YYYY-MM-DD``), so that the sampling window
        ends today and the days without completions since the last event count as zeros.
        ``None``: the case study's export date, or the last date in the learner's file
        (for a throughput file, by construction a day with completions).

    Raises
    ------
    ParameterError
        If both files are given, or ``as_of`` is not a date or lies before the last
        event of the data.

    Examples
    --------
    >>> data = load_flow_data(seed=42)
    >>> f"{data.today:%Y-%m-%d}", data.stages[-1], int(data.throughput.sum()) > 100
    ('2025-10-31', 'done', True)
    >>> later = load_flow_data(seed=42, as_of="2025-11-14")
    >>> int(later.throughput.loc["2025-11-01":].sum()), later.today_from
    (0, 'as_of')
    """
    if items_csv is not None and throughput_csv is not None:
        raise ParameterError("items_csv and throughput_csv parameters: give one file, not "
                             "both (items_csv has everything throughput_csv would add)")
    day = parse_as_of(as_of)
    if throughput_csv is not None:
        daily = read_throughput_csv(throughput_csv, timezone=timezone)
        source, stages = Path(throughput_csv).name, casestudy.STAGES
        last = daily.index.max()
        today, today_from = _forecast_day(day, last, last, source)
        days = pd.date_range(daily.index.min(), today, freq="D", name="date")
        daily = daily.reindex(days, fill_value=0)
        empty = prepare_items(pd.DataFrame({"id": pd.Series(dtype=str),
                                            **{s: pd.Series(dtype="datetime64[ns]")
                                               for s in stages}}), stages)
        return FlowData(empty, stages, today, daily, pd.Series(0, index=days, name="arrivals"),
                        source, today_from)
    if items_csv is None:
        raw = load_dataset("work_items", seed=seed)
        stages, default, source = casestudy.STAGES, casestudy.TODAY, CASE_STUDY
    else:
        raw = read_items(items_csv, mapping, timezone=timezone)
        stages = tuple(c for c in raw.columns if c not in ("id", "title", "type"))
        default = pd.Timestamp(raw[list(stages)].max().max())
        source = Path(items_csv).name
    start_stage = "in_progress" if "in_progress" in stages else stages[0]
    items = prepare_items(raw, stages, start_stage=start_stage, timezone=timezone,
                          source=source)
    today, today_from = _forecast_day(day, items[list(stages)].max().max(), default, source)
    first = items[list(stages)].min().min()
    return FlowData(items, tuple(stages), today, daily_throughput(items, first, today),
                    daily_counts(items[stages[0]], first, today).rename("arrivals"), source,
                    today_from)


def describe_flow_data(data: FlowData, timezone: str = "UTC") -> str:
    """One line saying what the notebook runs on and which day counts as today.

    For a throughput file it gives the counted items (not the empty item table), and when
    ``today`` is only the last date of a learner's file it says how to set the real date.

    Examples
    --------
    >>> print(describe_flow_data(load_flow_data(seed=42)))  # doctest: +NORMALIZE_WHITESPACE
    FreshCrate case study: 462 items, stages backlog > ready > in_progress > review > done;
    today is Fri 31 Oct 2025 (the export date); dates counted in UTC.
    >>> counts = load_flow_data(throughput_csv="datasets/imports/throughput.csv")
    >>> print(describe_flow_data(counts))  # doctest: +NORMALIZE_WHITESPACE
    throughput.csv: 88 finished items counted from 15 May 2025, no item dates (forecasts
    only); today is Thu 30 Oct 2025 (the last date in the file: set as_of to the real date
    so that the days since then count); dates counted in UTC.
    """
    if data.item_level:
        what = f"{len(data.items)} items, stages {' > '.join(data.stages)}"
    else:
        what = (f"{int(data.throughput.sum())} finished items counted from "
                f"{data.throughput.index.min():%d %b %Y}, no item dates (forecasts only)")
    why = {"as_of": "as_of", "export date": "the export date"}.get(data.today_from)
    if why is None:
        why = (f"the {data.today_from}: set as_of to the real date so that the days since "
               "then count")
    return (f"{data.source}: {what}; today is {data.today:%a %d %b %Y} ({why}); dates "
            f"counted in {timezone}.")
