"""Readers of work-item exports as the tools (and spreadsheets) write them.

Every reader returns the same table: ``id``, ``title``, ``type`` and one calendar-date
column per workflow stage, in workflow order (the last stage is "done"), with the lines
the learner should see about how the file was read in ``table.attrs["notes"]``.

How a CSV export is read:

* **Encoding and separator** are detected: UTF-8 first, else the encoding
  charset-normalizer finds (Excel writes Windows-1252 in many locales); comma, semicolon,
  tab or pipe by :func:`csv.Sniffer`. Anything but UTF-8 and commas is noted
  (``read as cp1252, separated by ';'``), and messages about columns say it too.
* **Dates** in the formats of :mod:`pspo_lab.analysis.export_dates`; numeric dates are
  day-first or month-first for the whole file, or the ``date_order`` parameter decides.
* **Repeated columns** (a status entered twice, e.g. two ``Done`` columns, which pandas
  names ``Done`` and ``Done.1``): the done stage takes the *last* date of all copies (the
  flow rule "after a reopen, the last finish"), every other stage the *first* (work
  started when it first entered the stage). A note says which column was repeated.
* **Status against date**: an item whose status is done but that has no done date, or the
  reverse (e.g. reopened), counts as not finished, and a note gives how many there are.

>>> table = read_jira_csv("datasets/imports/jira_export.csv")
>>> table.attrs["notes"]  # doctest: +ELLIPSIS
["jira_export.csv: 1 item has a Resolved date but a status that is not done ('Reopened'...]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pspo_lab.analysis.export_dates import infer_date_order, parse_dates
from pspo_lab.content import casestudy
from pspo_lab.core.errors import DataError, ParameterError
from pspo_lab.core.files import load_json, read_text, read_text_detecting
from pspo_lab.core.tables import parse_csv_cells, sniff_delimiter

JIRA_DONE = ("done", "closed", "resolved", "released", "shipped", "deployed")
"""Statuses that count as done in a Jira export without a "Status Category" column."""
AZURE_DONE = ("closed", "done")
"""States that count as done in an Azure DevOps export."""
JIRA_START_COLUMNS = ("Start date", "Custom field (Start date)")
"""Start columns looked for in a Jira export when ``start_column`` is not given."""
AZURE_DATE_ORDER = "month-first"
"""Order of ambiguous numeric dates in an Azure DevOps export (its default US locale)."""
MAX_DAILY_COUNT = 1_000_000
"""Largest number of items a throughput file may count on one row."""


@dataclass
class CsvExport:
    """The text cells of a CSV export, with how the file was read."""

    cells: pd.DataFrame
    source: str
    encoding: str
    delimiter: str
    notes: list[str] = field(default_factory=list)

    @property
    def how(self) -> str:
        """``"read as utf-8, separated by ','"``."""
        return f"read as {self.encoding}, separated by {self.delimiter!r}"

    def copies(self, name: str) -> list[str]:
        """The columns written with header ``name`` (pandas adds ``.1``, ``.2`` to repeats)."""
        header = self.cells.attrs.get("header", [])
        if len(header) == len(self.cells.columns):
            found = [c for c, h in zip(self.cells.columns, header, strict=True) if h == name]
            if found:
                return found
        return [name] if name in self.cells.columns else []

    def has(self, name: str) -> bool:
        """Whether a column is written with header ``name``."""
        return bool(self.copies(name))

    def found(self) -> str:
        """The headers as written, for messages."""
        header = self.cells.attrs.get("header") or list(self.cells.columns)
        return f"found {', '.join(dict.fromkeys(header))} ({self.how})"

    def require(self, columns: Sequence[str], what: str) -> None:
        """One line naming the first missing column and the columns found."""
        for column in columns:
            if not self.has(column):
                raise DataError(f"{self.source}: column {column!r} is missing (expected a "
                                f"{what} with columns {', '.join(columns)}; {self.found()})")

    def column(self, name: str, parameter: str) -> str:
        """Check a column named by a parameter, listing the columns found if it is not one."""
        if not isinstance(name, str) or not self.has(name):
            raise ParameterError(f"{parameter} parameter: {name!r} is not a column of "
                                 f"{self.source} ({self.found()})")
        return name

    def text(self, name: str) -> pd.Series:
        """The cells of the first copy of column ``name`` (blank when there is none)."""
        copies = self.copies(name)
        return self.cells[copies[0]] if copies else pd.Series("", index=self.cells.index)


def read_csv_export(path: str | Path) -> CsvExport:
    """Read a CSV export whatever its encoding and separator (see the module notes).

    Examples
    --------
    >>> export = read_csv_export("datasets/imports/jira_semicolons.csv")
    >>> export.how, export.notes
    ("read as utf-8, separated by ';'", ["jira_semicolons.csv: read as utf-8, separated by ';'"])
    """
    path = Path(path)
    text, encoding = read_text_detecting(path, "a CSV export")
    if not text.strip():
        raise DataError(f"{path.name}: file is empty (expected a header line and rows)")
    delimiter = sniff_delimiter(text)
    export = CsvExport(parse_csv_cells(text, path.name, delimiter), path.name, encoding,
                       delimiter)
    if export.cells.empty:
        raise DataError(f"{path.name}: has no data rows (expected a header line and rows)")
    if (encoding, delimiter) != ("utf-8", ","):
        export.notes.append(f"{path.name}: {export.how}")
    return export


def _copies(export: CsvExport, name: str, timezone: str, order: str | None) -> pd.DataFrame:
    """The dates of every copy of column ``name``, one column per copy."""
    return pd.concat([parse_dates(export.cells[c], source=export.source, column=name,
                                  timezone=timezone, date_order=order)
                      for c in export.copies(name)], axis=1)


def _dates(export: CsvExport, name: str, *, last: bool, timezone: str,
           order: str | None) -> pd.Series:
    """Dates of column ``name``; of repeated copies the last (``last``) or the first date."""
    copies = export.copies(name)
    parsed = _copies(export, name, timezone, order)
    if len(copies) > 1:
        export.notes.append(f"{export.source}: column {name!r} appears {len(copies)} times; "
                            f"each item's {'last' if last else 'first'} date was used")
    return parsed.max(axis=1) if last else parsed.min(axis=1)


def _order(export: CsvExport, columns: Sequence[str], given: str | None,
           default: str | None = None) -> str | None:
    cells = {name: pd.concat([export.cells[c] for c in export.copies(name)], ignore_index=True)
             for name in columns}
    return infer_date_order(cells, export.source, given, default)


def done_statuses_parameter(value: Sequence[str] | str | None, default: Sequence[str]
                            ) -> tuple[str, ...]:
    """The ``done_statuses`` parameter in lower case (text may list them with commas).

    Examples
    --------
    >>> done_statuses_parameter("Done, Released", JIRA_DONE)
    ('done', 'released')
    """
    if value is None:
        return tuple(default)
    if isinstance(value, str):
        value = value.split(",")
    if not all(isinstance(v, str) for v in value) or not any(v.strip() for v in value):
        raise ParameterError(f"done_statuses parameter: {value!r} is not a list of statuses "
                             "(expected e.g. [\"Done\", \"Released\"], or None)")
    return tuple(v.strip().lower() for v in value if v.strip())


def _counted(count: int) -> str:
    return f"{count} item{'s' if count != 1 else ''} {'have' if count != 1 else 'has'}"


def finished_dates(dates: pd.Series, done: pd.Series, status: pd.Series, *, source: str,
                   date_column: str, notes: list[str]) -> pd.Series:
    """Keep a done date only where the status is done; note both kinds of mismatch.

    Examples
    --------
    >>> notes = []
    >>> kept = finished_dates(pd.Series(pd.to_datetime(["2025-03-01", None])),
    ...     pd.Series([False, True]), pd.Series(["Reopened", "Done"]), source="x.csv",
    ...     date_column="Resolved", notes=notes)
    >>> kept.isna().tolist()
    [True, True]
    >>> print("\\n".join(notes))  # doctest: +NORMALIZE_WHITESPACE
    x.csv: 1 item has a Resolved date but a status that is not done ('Reopened' 1): counted
    as not finished; add the status to done_statuses if it means done for your team
    x.csv: 1 item has a done status but no Resolved date ('Done' 1): counted as not finished
    """
    dated = dates.notna()
    for mask, what in ((dated & ~done, f"a {date_column} date but a status that is not done"),
                       (~dated & done, f"a done status but no {date_column} date")):
        if mask.any():
            counts = status[mask].value_counts()
            listed = ", ".join(f"{s!r} {n}" for s, n in counts.head(4).items())
            fix = ("; add the status to done_statuses if it means done for your team"
                   if "not done" in what else "")
            notes.append(f"{source}: {_counted(int(mask.sum()))} {what} ({listed}): counted "
                         f"as not finished{fix}")
    return dates.where(done)


def item_table(ids: pd.Series, titles: pd.Series, types: pd.Series,
               stages: Mapping[str, pd.Series], source: str, notes: Sequence[str] = (),
               row_label: str = "row", row_offset: int = 2) -> pd.DataFrame:
    """The common item table, refusing blank or repeated ids and a file without dates.

    Examples
    --------
    >>> item_table(pd.Series(["A"]), pd.Series(["t"]), pd.Series([""]),
    ...     {"done": pd.Series([pd.NaT])}, "x.csv")
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: x.csv: no item has a date in any stage column (expected dates in done)
    """
    ids = ids.astype(str).str.strip()
    blank = ids.eq("")
    duplicated = ids.duplicated() & ~blank
    for bad, why in ((blank, "empty identifier"), (duplicated, "duplicate identifier")):
        if bad.any():
            position = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(f"{source} {row_label} {position + row_offset}: {why} "
                            f"{ids.iloc[position]!r} (expected a unique id per item)")
    if all(dates.isna().all() for dates in stages.values()):
        raise DataError(f"{source}: no item has a date in any stage column (expected dates "
                        f"in {', '.join(stages)})")
    frame = pd.DataFrame({"id": ids, "title": titles.astype(str), "type": types.astype(str)})
    for stage, dates in stages.items():
        frame[stage] = dates.to_numpy()
    frame = frame.reset_index(drop=True)
    frame.attrs["notes"] = list(notes)
    return frame


def read_stage_dated_csv(path: str | Path, mapping: Mapping[str, str] | None = None, *,
                         start_column: str | None = None, timezone: str = "UTC",
                         date_order: str | None = None) -> pd.DataFrame:
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
        in the file, of which ``done`` is required.
    start_column
        The column whose date is the start (the ``in_progress`` stage).
    timezone
        Timezone in which timestamps become calendar dates.
    date_order
        ``"day-first"`` or ``"month-first"`` for numeric dates no date in the file decides.

    Examples
    --------
    >>> items = read_stage_dated_csv("datasets/imports/stage_dated.csv",
    ...     {"id": "Key", "title": "Summary", "backlog": "Created", "in_progress": "Started",
    ...      "review": "Review", "done": "Finished"})
    >>> items.columns.tolist()
    ['id', 'title', 'type', 'backlog', 'in_progress', 'review', 'done']
    """
    export = read_csv_export(path)
    if mapping is not None and not isinstance(mapping, Mapping):
        raise ParameterError(f"column_mapping parameter: {mapping!r} is not a mapping "
                             '(expected e.g. {"id": "Key", "in_progress": "Started", '
                             '"done": "Finished"})')
    if mapping is None:
        if not export.has("done"):
            raise DataError(f"{export.source}: no 'done' column (expected a date column per "
                            f"stage such as {', '.join(casestudy.STAGES)}, or a column_mapping "
                            f"naming yours; {export.found()})")
        found = {s: s for s in casestudy.STAGES if export.has(s)}
        if start_column is not None:
            found["in_progress"] = start_column
        mapping = {s: found[s] for s in casestudy.STAGES if s in found}
    else:
        mapping = dict(mapping)
        if start_column is not None:
            mapping["in_progress"] = start_column
    item_columns = {key: mapping.pop(key, key) for key in ("id", "title", "type")}
    if len(mapping) < 2:
        raise DataError(f"{export.source}: found stage columns {list(mapping.values())} "
                        f"(expected at least two, e.g. {', '.join(casestudy.STAGES)}, or a "
                        f"column mapping {{stage: column}}; {export.found()})")
    if start_column is not None:
        export.column(start_column, "start_column")
    export.require([item_columns["id"], *mapping.values()], "stage-dated CSV")
    order = _order(export, list(mapping.values()), date_order)
    done = list(mapping)[-1]
    dates = {stage: _dates(export, column, last=stage == done, timezone=timezone,
                           order=order) for stage, column in mapping.items()}
    repeated = [c for s, c in mapping.items() if s != done and len(export.copies(c)) > 1]
    if repeated:  # a stage entered again after the last done: reopened, not finished
        latest = pd.concat([_copies(export, c, timezone, order).max(axis=1) for c in repeated],
                           axis=1).max(axis=1)
        reopened = latest.gt(dates[done])
        if reopened.any():
            export.notes.append(f"{export.source}: {_counted(int(reopened.sum()))} an entry "
                                f"into {' or '.join(map(repr, repeated))} after the last "
                                f"{mapping[done]!r} date (reopened): counted as not finished")
            dates[done] = dates[done].where(~reopened)
    return item_table(export.text(item_columns["id"]), export.text(item_columns["title"]),
                      export.text(item_columns["type"]), dates, export.source, export.notes)


def read_jira_csv(path: str | Path, *, start_column: str | None = None,
                  done_statuses: Sequence[str] | str | None = None, timezone: str = "UTC",
                  date_order: str | None = None) -> pd.DataFrame:
    """Read a Jira issue CSV export (columns Issue key, Summary, Issue Type, Status, ...).

    Jira's standard export has no start date. ``start_column`` names the column that
    has one; without it, the first of :data:`JIRA_START_COLUMNS` in the file is used
    (a custom field is exported as ``Custom field (Start date)``), else ``in_progress``
    is the Created date, so "cycle time" becomes lead time (a note says so). An issue
    counts as done when its "Status Category" is Done or its Status is one of
    ``done_statuses`` (default :data:`JIRA_DONE`); the done date is the Resolved date.

    Examples
    --------
    >>> items = read_jira_csv("datasets/imports/jira_export.csv",
    ...                       start_column="Start date")
    >>> items.columns.tolist()[3:]
    ['backlog', 'in_progress', 'done']
    """
    export = read_csv_export(path)
    export.require(["Issue key", "Status", "Created", "Resolved"], "Jira CSV export")
    if start_column is None:
        start_column = next((c for c in JIRA_START_COLUMNS if export.has(c)), None)
        if start_column is None:
            export.notes.append(f"{export.source}: no start column ({JIRA_START_COLUMNS[0]}) "
                                "found, so work counts as started when it was created: cycle "
                                "times are lead times; set start_column to the column with "
                                "the start date")
    else:
        export.column(start_column, "start_column")
    done = done_statuses_parameter(done_statuses, JIRA_DONE)
    columns = ["Created", "Resolved"] + ([start_column] if start_column else [])
    order = _order(export, columns, date_order)
    parse = {"timezone": timezone, "order": order}
    created = _dates(export, "Created", last=False, **parse)
    started = _dates(export, start_column, last=False, **parse) if start_column else created
    status = export.text("Status").str.strip()
    is_done = status.str.lower().isin(done)
    if export.has("Status Category"):
        is_done |= export.text("Status Category").str.strip().str.lower().eq("done")
    resolved = finished_dates(_dates(export, "Resolved", last=True, **parse), is_done, status,
                              source=export.source, date_column="Resolved", notes=export.notes)
    return item_table(export.text("Issue key"), export.text("Summary"),
                      export.text("Issue Type"),
                      {"backlog": created, "in_progress": started, "done": resolved},
                      export.source, export.notes)


def read_azure_devops_csv(path: str | Path, *, start_column: str | None = None,
                          done_statuses: Sequence[str] | str | None = None,
                          timezone: str = "UTC", date_order: str | None = None
                          ) -> pd.DataFrame:
    """Read an Azure DevOps query export (ID, Work Item Type, Title, State, dates).

    Stages: backlog = Created Date, in_progress = Activated Date (or ``start_column``),
    review = Resolved Date, done = Closed Date (kept only when the State is one of
    ``done_statuses``, default Closed or Done). Removed items are left out. Activated and
    Resolved Date columns are optional. Numeric dates no date decides are month-first.

    Examples
    --------
    >>> items = read_azure_devops_csv("datasets/imports/azure_devops_export.csv")
    >>> items.columns.tolist()[3:]
    ['backlog', 'in_progress', 'review', 'done']
    """
    export = read_csv_export(path)
    export.require(["ID", "State", "Created Date", "Closed Date"], "Azure DevOps export")
    state = export.text("State").str.strip()
    kept = ~state.str.lower().eq("removed")
    columns = {"backlog": "Created Date", "in_progress": "Activated Date",
               "review": "Resolved Date", "done": "Closed Date"}
    if start_column is not None:
        columns["in_progress"] = export.column(start_column, "start_column")
    columns = {s: c for s, c in columns.items() if export.has(c)}
    order = _order(export, list(columns.values()), date_order, AZURE_DATE_ORDER)
    dates = {stage: _dates(export, column, last=stage == "done", timezone=timezone,
                           order=order)[kept] for stage, column in columns.items()}
    is_done = state[kept].str.lower().isin(done_statuses_parameter(done_statuses, AZURE_DONE))
    dates["done"] = finished_dates(dates["done"], is_done, state[kept], source=export.source,
                                   date_column="Closed Date", notes=export.notes)
    return item_table(export.text("ID")[kept], export.text("Title")[kept],
                      export.text("Work Item Type")[kept], dates, export.source, export.notes)


def _label(issue: dict, position: int, source: str) -> str:
    labels = issue.get("labels") or [{"name": "issue"}]
    first = labels[0] if isinstance(labels, list) else labels
    if not isinstance(first, dict):
        raise DataError(f"{source} item {position}: field 'labels' holds {first!r} (expected "
                        "label objects with a name, as the GitHub API returns them)")
    return str(first.get("name", "issue"))


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
    data = load_json(read_text(path, "a GitHub issues JSON file"), path.name)
    issues = data.get("items") if isinstance(data, dict) else data
    if not isinstance(issues, list) or not all(isinstance(i, dict) for i in issues):
        raise DataError(f"{path.name}: expected a list of issue objects (as the GitHub API "
                        "returns them)")
    issues = [i for i in issues if "pull_request" not in i]
    if not issues:
        raise DataError(f"{path.name}: has no issues (expected at least one)")
    for position, issue in enumerate(issues, start=1):
        for name in ("number", "created_at", "state"):
            if name not in issue:
                raise DataError(f"{path.name} item {position}: field {name!r} is missing "
                                "(expected number, title, state, created_at, closed_at)")
    frame = pd.DataFrame({
        "number": [f"#{i['number']}" for i in issues],
        "title": [str(i.get("title", "")) for i in issues],
        "type": [_label(i, n, path.name) for n, i in enumerate(issues, start=1)],
        "created_at": [str(i.get("created_at") or "") for i in issues],
        "closed_at": [str(i.get("closed_at") or "") for i in issues],
        "state": [str(i.get("state", "")) for i in issues]})
    parse = {"source": path.name, "timezone": timezone, "row_label": "item", "row_offset": 1}
    created = parse_dates(frame["created_at"], column="created_at", **parse)
    notes: list[str] = []
    closed = finished_dates(parse_dates(frame["closed_at"], column="closed_at", **parse),
                            frame["state"].eq("closed"), frame["state"], source=path.name,
                            date_column="closed_at", notes=notes)
    return item_table(frame["number"], frame["title"], frame["type"],
                      {"backlog": created, "in_progress": created, "done": closed}, path.name,
                      notes, row_label="item", row_offset=1)


def read_throughput_csv(path: str | Path, *, timezone: str = "UTC",
                        date_order: str | None = None) -> pd.Series:
    """Read finished-item counts: a ``date`` column and an optional ``count`` column.

    Each row is one finished item on ``date``, or ``count`` items when that column exists;
    rows on the same date add up. Days without rows count as 0.

    Examples
    --------
    >>> daily = read_throughput_csv("datasets/imports/throughput.csv")
    >>> int(daily.min()), daily.index.is_monotonic_increasing
    (0, True)
    """
    export = read_csv_export(path)
    export.require(["date"], "throughput CSV")
    name = export.source
    dates = parse_dates(export.text("date"), source=name, column="date", timezone=timezone,
                        date_order=date_order)
    empty = dates.isna().to_numpy()
    if empty.any():
        raise DataError(f"{name} row {int(np.flatnonzero(empty)[0]) + 2}, column 'date': "
                        "empty cell (expected a date as YYYY-MM-DD)")
    counts = pd.Series(1, index=export.cells.index)
    if export.has("count"):
        cells = export.text("count")
        counts = pd.to_numeric(cells.str.strip(), errors="coerce")
        bad = (counts.isna() | (counts < 0) | (counts % 1 != 0)
               | (counts > MAX_DAILY_COUNT)).to_numpy()
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise DataError(f"{name} row {row + 2}, column 'count': {cells.iloc[row]!r} is not "
                            f"a whole number >= 0 (expected at most {MAX_DAILY_COUNT:,} a day)")
    daily = counts.astype("int64").groupby(dates.to_numpy()).sum()
    days = pd.date_range(daily.index.min(), daily.index.max(), freq="D", name="date")
    series = daily.reindex(days, fill_value=0).rename("throughput")
    series.attrs["notes"] = export.notes
    return series
