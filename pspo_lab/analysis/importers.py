"""Read a team's own work-item export into the item table that :mod:`pspo_lab.analysis.flow` uses.

Every reader (in :mod:`pspo_lab.analysis.export_readers`, which also states how encodings,
separators, date formats, repeated columns and statuses are handled) returns the same
table: ``id``, ``title``, ``type`` and one calendar-date column per workflow stage, in
workflow order (the last stage is "done"). Timestamps are reduced to calendar dates in the
``timezone`` you state (see :func:`pspo_lab.analysis.flow.to_calendar_dates`). A bad file
raises one :class:`~pspo_lab.DataError` line naming the file, the row (spreadsheet
numbering: header = row 1) or JSON item, the column, and what was expected.

=====================  ===========================================================
format                 stages
=====================  ===========================================================
stage-dated CSV        any, given by a column mapping ``{stage: column}``
Jira CSV export        backlog = Created, in_progress = a start column (Start date,
                       Custom field (Start date) or ``start_column``; else
                       Created), done = Resolved when the status is done
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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pspo_lab.analysis.export_dates import JIRA_DATE_FORMATS, check_timezone, parse_dates
from pspo_lab.analysis.export_readers import (
    read_azure_devops_csv,
    read_csv_export,
    read_github_issues_json,
    read_jira_csv,
    read_stage_dated_csv,
    read_throughput_csv,
)
from pspo_lab.analysis.flow import daily_counts, daily_throughput, prepare_items
from pspo_lab.content import casestudy
from pspo_lab.content.datasets import load_dataset
from pspo_lab.core.errors import ParameterError

__all__ = [
    "CASE_STUDY", "JIRA_DATE_FORMATS", "FlowData", "describe_flow_data", "load_flow_data",
    "parse_as_of", "parse_dates", "read_azure_devops_csv", "read_github_issues_json",
    "read_items", "read_jira_csv", "read_stage_dated_csv", "read_throughput_csv",
]

CASE_STUDY = "FreshCrate case study"
"""Source name of the case-study data."""


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
    notes
        What the learner should know about how the file was read: the encoding and
        separator when not UTF-8 and commas, repeated columns, items whose status and
        dates disagree (with counts), a missing start column.
    """

    items: pd.DataFrame
    stages: tuple[str, ...]
    today: pd.Timestamp
    throughput: pd.Series
    arrivals: pd.Series
    source: str
    today_from: str
    notes: tuple[str, ...] = ()

    @property
    def item_level(self) -> bool:
        """Whether there are work items with dates (``False`` for throughput counts only).

        Examples
        --------
        >>> load_flow_data(seed=42).item_level
        True
        """
        return not self.items.empty


def read_items(path: str | Path, mapping: Mapping[str, str] | None = None, *,
               start_column: str | None = None,
               done_statuses: Sequence[str] | str | None = None, timezone: str = "UTC",
               date_order: str | None = None) -> pd.DataFrame:
    """Read any supported export, recognising its format from the name and header.

    ``.json`` files are GitHub issues; a header with "Issue key" is Jira (its "Start date"
    or "Custom field (Start date)" column is the start unless ``start_column`` names
    another); one with "Work Item Type" or "Closed Date" is Azure DevOps; anything else is
    a stage-dated CSV read with ``mapping``. ``done_statuses`` applies to Jira and Azure
    DevOps, ``date_order`` to numeric dates like 03/04/2025 (see
    :mod:`pspo_lab.analysis.export_readers` for every rule). What the learner should know
    about the reading is in ``table.attrs["notes"]``.

    Examples
    --------
    >>> len(read_items("datasets/imports/jira_export.csv")) > 10
    True
    """
    path = Path(path)
    check_timezone(timezone)
    if path.suffix.lower() == ".json":
        if start_column is not None or done_statuses is not None:
            name = "start_column" if start_column is not None else "done_statuses"
            raise ParameterError(f"{name} parameter: {path.name} is a GitHub issues file, "
                                 "whose start is its creation and whose done state is "
                                 "'closed' (expected None)")
        return read_github_issues_json(path, timezone=timezone)
    export = read_csv_export(path)
    options = {"start_column": start_column, "timezone": timezone, "date_order": date_order}
    if mapping is None and export.has("Issue key"):
        return read_jira_csv(path, done_statuses=done_statuses, **options)
    if mapping is None and (export.has("Work Item Type") or export.has("Closed Date")):
        return read_azure_devops_csv(path, done_statuses=done_statuses, **options)
    if done_statuses is not None:
        raise ParameterError(f"done_statuses parameter: {path.name} is read as a CSV with a "
                             "date per stage, which has no status column (expected None; an "
                             "item is done when its done column has a date)")
    return read_stage_dated_csv(path, mapping, **options)


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
                   timezone: str = "UTC", as_of: str | dt.date | None = None,
                   start_column: str | None = None,
                   done_statuses: Sequence[str] | str | None = None,
                   date_order: str | None = None) -> FlowData:
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
    start_column
        The column of the learner's export whose date is the start of work (default: the
        format's own, see :func:`read_items`).
    done_statuses
        Statuses that count as done in a Jira or Azure DevOps export (default: the
        format's own, e.g. Done, Closed, Resolved, Released, Shipped, Deployed for Jira).
    date_order
        ``"day-first"`` or ``"month-first"`` for numeric dates like 03/04/2025 that no
        date in the file decides.

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
    check_timezone(timezone)
    if throughput_csv is not None:
        daily = read_throughput_csv(throughput_csv, timezone=timezone, date_order=date_order)
        source, stages = Path(throughput_csv).name, casestudy.STAGES
        last = daily.index.max()
        today, today_from = _forecast_day(day, last, last, source)
        days = pd.date_range(daily.index.min(), today, freq="D", name="date")
        daily = daily.reindex(days, fill_value=0)
        empty = prepare_items(pd.DataFrame({"id": pd.Series(dtype=str),
                                            **{s: pd.Series(dtype="datetime64[ns]")
                                               for s in stages}}), stages)
        return FlowData(empty, stages, today, daily, pd.Series(0, index=days, name="arrivals"),
                        source, today_from, tuple(daily.attrs.get("notes", ())))
    if items_csv is None:
        raw = load_dataset("work_items", seed=seed)
        stages, default, source = casestudy.STAGES, casestudy.TODAY, CASE_STUDY
    else:
        raw = read_items(items_csv, mapping, start_column=start_column,
                         done_statuses=done_statuses, timezone=timezone, date_order=date_order)
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
                    today_from, tuple(raw.attrs.get("notes", ())))


def describe_flow_data(data: FlowData, timezone: str = "UTC") -> str:
    """One line saying what the notebook runs on and which day counts as today.

    For a throughput file it gives the counted items (not the empty item table), and when
    ``today`` is only the last date of a learner's file it says how to set the real date.
    Each of the data's notes follows on a line of its own, starting "Note:".

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
    return "\n".join([f"{data.source}: {what}; today is {data.today:%a %d %b %Y} ({why}); "
                      f"dates counted in {timezone}.", *(f"Note: {n}" for n in data.notes)])
