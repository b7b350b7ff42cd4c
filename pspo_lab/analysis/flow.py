"""Flow metrics from stage-dated work items: cycle time, work item age, WIP and throughput.

The four basic flow measures of the Kanban Guide for Scrum Teams (KG-02 to KG-06) computed
with definitions stated once and used everywhere in the course:

* **Input**: one row per work item with the date it entered each workflow stage (one column
  per stage, in workflow order). A skipped stage is back-filled from the next filled stage.
  ``start`` is the (back-filled) entry into the first in-progress stage, ``finish`` the entry
  into the done stage (after a reopen, the last one: the done column holds the last entry).
* **Dates**: timestamps are reduced to calendar dates in ONE stated timezone
  (:func:`to_calendar_dates`) before any subtraction, so 23:30 in New York and 04:30 UTC the
  next morning count as the same day only if you say so.
* **Cycle time** = (finish date - start date) + 1 calendar days: an item started and finished
  on the same day took 1 day. ``inclusive=False`` gives the elapsed days instead.
* **Work item age** = (today - start date) + 1 for items started but not finished by today.
* **WIP(d)** = items with start <= d and (no finish or finish > d).
* **Throughput** = items finished per calendar day, with every day of the window present
  (days without completions count as 0). Weekly throughput sums ISO weeks (Monday to
  Sunday), labelled by their Monday.
* **Percentiles** use the nearest rank (numpy ``method="inverted_cdf"``): "85% of items
  finished within X days" is then literally true of the data. 50/70/85/95 by default.

The charts of these measures are in :mod:`pspo_lab.analysis.flow_charts`.

>>> items = prepare_items(pd.DataFrame({"id": ["A", "B"],
...     "in_progress": ["2025-03-03", "2025-03-03"], "done": ["2025-03-03", "2025-03-07"]}),
...     stages=("in_progress", "done"))
>>> cycle_times(items).tolist()
[1, 5]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from pspo_lab.content.casestudy import STAGES
from pspo_lab.core.errors import DataError, ParameterError

DEFAULT_PERCENTILES: tuple[int, ...] = (50, 70, 85, 95)
"""Percentiles shown for service level expectations and forecasts."""

_OFFSET = re.compile(r"(?:Z|[+-]\d\d:?\d\d)$")


def to_calendar_dates(values: Sequence | pd.Series, timezone: str = "UTC") -> pd.Series:
    """Reduce timestamps to calendar dates (midnight, no timezone) in ``timezone``.

    Values that carry a UTC offset (``...Z``, ``...+02:00`` or tz-aware timestamps) are first
    converted to ``timezone``; values without one are taken as local times in ``timezone``.
    Only then is the time of day dropped, so every later subtraction counts calendar days.

    Parameters
    ----------
    values
        Strings, datetimes or timestamps; empty strings and missing values stay missing.
    timezone
        IANA timezone name, e.g. ``"UTC"`` or ``"Europe/Berlin"``.

    Returns
    -------
    pandas.Series
        ``datetime64`` dates at midnight, without timezone.

    Examples
    --------
    >>> late = ["2025-03-01T23:30:00-05:00"]
    >>> to_calendar_dates(late, "UTC").dt.strftime("%Y-%m-%d").tolist()
    ['2025-03-02']
    >>> to_calendar_dates(late, "America/New_York").dt.strftime("%Y-%m-%d").tolist()
    ['2025-03-01']
    """
    series = pd.Series(values)
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        text = series.astype("string").str.strip().replace("", pd.NA)
        aware = text.str.contains(_OFFSET).fillna(False).astype(bool)
        naive = text.notna() & ~aware
        parsed = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
        if aware.any():  # each value with an offset is converted on its own ...
            parsed[aware] = to_calendar_dates(
                pd.to_datetime(text[aware], utc=True, format="ISO8601"), timezone).to_numpy()
        if naive.any():  # ... and one without is already a local time in ``timezone``
            parsed[naive] = pd.to_datetime(text[naive], format="ISO8601").to_numpy()
    else:
        parsed = pd.to_datetime(series)
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        parsed = parsed.dt.tz_convert(timezone).dt.tz_localize(None)
    return parsed.dt.normalize().astype("datetime64[ns]")


def prepare_items(items: pd.DataFrame, stages: Sequence[str] = STAGES, *,
                  start_stage: str = "in_progress", timezone: str = "UTC",
                  source: str = "work items") -> pd.DataFrame:
    """Stage dates as calendar dates, skipped stages back-filled, plus ``start`` and ``finish``.

    Parameters
    ----------
    items
        One row per work item, one date column per stage (empty: skipped or not reached).
    stages
        The stage columns in workflow order; the last one is the done stage.
    start_stage
        The first stage in which work has started (cycle time starts on entering it).
    timezone
        Timezone in which timestamps become calendar dates (see :func:`to_calendar_dates`).
    source
        Name used in error messages, e.g. the file name.

    Returns
    -------
    pandas.DataFrame
        A copy with the stage columns back-filled (a skipped stage gets the date of the next
        filled stage) and two new columns: ``start`` and ``finish``.

    Raises
    ------
    DataError
        If a stage column is missing or an item finished before it started.

    Examples
    --------
    >>> raw = pd.DataFrame({"id": ["A"], "in_progress": [None], "review": [None],
    ...                     "done": ["2025-03-05"]})
    >>> prepare_items(raw, ("in_progress", "review", "done"))["start"].dt.day.tolist()
    [5]
    """
    stages = list(stages)
    missing = [s for s in stages if s not in items.columns]
    if missing:
        raise DataError(f"{source}: stage column {missing[0]!r} is missing (expected one date "
                        f"column per stage: {', '.join(stages)})")
    if start_stage not in stages:
        raise DataError(f"{source}: start stage {start_stage!r} is not one of the stages "
                        f"{', '.join(stages)}")
    frame = items.copy()
    dates = pd.DataFrame({s: to_calendar_dates(frame[s], timezone).to_numpy()
                          for s in stages}, index=frame.index)
    dates = dates.bfill(axis=1).astype("datetime64[ns]")
    frame[stages] = dates
    frame["start"] = dates[start_stage]
    frame["finish"] = dates[stages[-1]]
    backwards = (frame["finish"] < frame["start"]).to_numpy()
    if backwards.any():
        row = int(np.flatnonzero(backwards)[0])
        raise DataError(f"{source} row {row + 2}, column {stages[-1]!r}: "
                        f"{frame['finish'].iloc[row]:%Y-%m-%d} is before {start_stage!r} "
                        f"{frame['start'].iloc[row]:%Y-%m-%d} (expected finish on or after "
                        "start)")
    return frame


def _ids(items: pd.DataFrame, mask: pd.Series) -> pd.Index:
    return pd.Index(items.loc[mask, "id"] if "id" in items else items.index[mask])


def cycle_times(items: pd.DataFrame, *, inclusive: bool = True) -> pd.Series:
    """Calendar days from start to finish of every finished item (KG-04).

    Parameters
    ----------
    items
        Output of :func:`prepare_items`.
    inclusive
        ``True``: (finish - start) + 1, so a same-day item took 1 day. ``False``: elapsed
        days (finish - start), so a same-day item took 0 days.

    Returns
    -------
    pandas.Series
        Integer days indexed by item id, in the order of ``items``.

    Examples
    --------
    >>> items = prepare_items(pd.DataFrame({"id": ["A", "B"],
    ...     "in_progress": ["2025-03-03", "2025-03-03"], "done": ["2025-03-03", None]}),
    ...     stages=("in_progress", "done"))
    >>> cycle_times(items).to_dict(), cycle_times(items, inclusive=False).to_dict()
    ({'A': 1}, {'A': 0})
    """
    finished = items["finish"].notna() & items["start"].notna()
    days = (items.loc[finished, "finish"] - items.loc[finished, "start"]).dt.days
    days = days.astype("int64") + (1 if inclusive else 0)
    return pd.Series(days.to_numpy(), index=_ids(items, finished), name="cycle_time")


def _in_progress(items: pd.DataFrame, today: pd.Timestamp) -> pd.Series:
    """Items started on or before ``today`` and not finished by then."""
    return items["start"].le(today) & ~items["finish"].le(today)


def work_item_age(items: pd.DataFrame, today: pd.Timestamp | str, *,
                  inclusive: bool = True) -> pd.Series:
    """Age of every item in progress on ``today``: (today - start) + 1 days (KG-05).

    An item is in progress on ``today`` if it started on or before ``today`` and had not
    finished by then. ``inclusive=False`` gives elapsed days.

    Examples
    --------
    >>> items = prepare_items(pd.DataFrame({"id": ["A", "B", "C"],
    ...     "in_progress": ["2025-03-03", "2025-03-10", "2025-03-01"],
    ...     "done": [None, None, "2025-03-04"]}), stages=("in_progress", "done"))
    >>> work_item_age(items, "2025-03-10").to_dict()
    {'A': 8, 'B': 1}
    """
    today = pd.Timestamp(today).normalize()
    active = _in_progress(items, today)
    days = (today - items.loc[active, "start"]).dt.days.astype("int64")
    return pd.Series((days + (1 if inclusive else 0)).to_numpy(), index=_ids(items, active),
                     name="age")


def _day_range(start: pd.Timestamp | str | None, end: pd.Timestamp | str | None,
               fallback: pd.Series) -> pd.DatetimeIndex:
    known = fallback.dropna()
    first = pd.Timestamp(start) if start is not None else (known.min() if len(known) else None)
    last = pd.Timestamp(end) if end is not None else (known.max() if len(known) else None)
    if first is None or last is None:
        return pd.DatetimeIndex([], name="date")
    return pd.date_range(first.normalize(), last.normalize(), freq="D", name="date")


def _count_by(dates: pd.Series, days: pd.DatetimeIndex) -> np.ndarray:
    """How many of ``dates`` (missing ones ignored) fall on or before each day."""
    return np.searchsorted(np.sort(dates.dropna().to_numpy()), days.to_numpy(),
                           side="right").astype("int64")


def wip_series(items: pd.DataFrame, start: pd.Timestamp | str | None = None,
               end: pd.Timestamp | str | None = None) -> pd.Series:
    """WIP(d) for every calendar day d: items with start <= d and (no finish or finish > d).

    Parameters
    ----------
    items
        Output of :func:`prepare_items`.
    start, end
        First and last day (default: first start and last start or finish).

    Examples
    --------
    >>> items = prepare_items(pd.DataFrame({"in_progress": ["2025-03-03", "2025-03-04"],
    ...     "done": ["2025-03-04", None]}), stages=("in_progress", "done"))
    >>> wip_series(items, "2025-03-02", "2025-03-05").tolist()
    [0, 1, 1, 1]
    """
    started = items["start"].dropna()
    days = _day_range(start, end, pd.concat([started, items["finish"]]))
    wip = (_count_by(started, days)
           - _count_by(items.loc[items["start"].notna(), "finish"], days))
    return pd.Series(wip, index=days, name="wip")


def daily_throughput(items: pd.DataFrame, start: pd.Timestamp | str | None = None,
                     end: pd.Timestamp | str | None = None) -> pd.Series:
    """Items finished on each calendar day from ``start`` to ``end``, zeros included (KG-06).

    Examples
    --------
    >>> items = prepare_items(pd.DataFrame({"in_progress": ["2025-03-03"] * 3,
    ...     "done": ["2025-03-03", "2025-03-05", "2025-03-05"]}), stages=("in_progress", "done"))
    >>> daily_throughput(items).tolist()
    [1, 0, 2]
    """
    return daily_counts(items["finish"], start, end).rename("throughput")


def daily_counts(dates: pd.Series, start: pd.Timestamp | str | None = None,
                 end: pd.Timestamp | str | None = None) -> pd.Series:
    """How many of ``dates`` fall on each calendar day from ``start`` to ``end``, zeros included.

    The default range runs from the first to the last date; missing dates are ignored.

    Examples
    --------
    >>> daily_counts(pd.Series(pd.to_datetime(["2025-03-03", "2025-03-05", None]))).tolist()
    [1, 0, 1]
    """
    known = dates.dropna()
    days = _day_range(start, end, known)
    counts = known.value_counts().reindex(days, fill_value=0)
    return pd.Series(counts.to_numpy().astype("int64"), index=days, name="count")


def weekly_throughput(daily: pd.Series) -> pd.Series:
    """Sum daily throughput over ISO weeks (Monday to Sunday), labelled by the Monday.

    A week cut by the start or end of ``daily`` sums only the days present.

    Examples
    --------
    >>> days = pd.date_range("2025-03-01", "2025-03-10")  # Saturday to the next Monday
    >>> weekly = weekly_throughput(pd.Series(1, index=days))
    >>> [(f"{d:%a %d}", n) for d, n in weekly.items()]
    [('Mon 24', 2), ('Mon 03', 7), ('Mon 10', 1)]
    """
    index = pd.DatetimeIndex(daily.index)
    monday = index - pd.to_timedelta(index.day_of_week, unit="D")
    weekly = daily.groupby(monday).sum()
    weekly.index = pd.DatetimeIndex(weekly.index, name="week")
    return weekly.rename("throughput")


def percentiles(values: Sequence[float] | pd.Series | np.ndarray,
                ps: Sequence[int] = DEFAULT_PERCENTILES) -> pd.Series:
    """Nearest-rank percentiles (numpy ``method="inverted_cdf"``).

    The p-th percentile is the smallest value such that at least p% of the values are less
    than or equal to it, so "85% of items finished within X days" holds for the data itself.

    Returns
    -------
    pandas.Series
        Indexed by percentile; missing values when ``values`` is empty.

    Examples
    --------
    >>> percentiles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).to_dict()
    {50: 5, 70: 7, 85: 9, 95: 10}
    """
    data = np.asarray(values)
    if data.size == 0:
        return pd.Series([np.nan] * len(ps), index=list(ps), name="percentile", dtype=float)
    found = np.percentile(data, list(ps), method="inverted_cdf")
    return pd.Series(found, index=list(ps), name="percentile")


def arrivals_and_departures(arrived: pd.Series, departed: pd.Series, freq: str = "MS",
                            end: pd.Timestamp | str | None = None) -> pd.DataFrame:
    """Items arriving and leaving per period, the net growth and the items still open.

    Every period from the first date to the last (or to ``end``) is present, with zeros
    where nothing arrived or left; ``open`` is the running total of ``net``.

    Parameters
    ----------
    arrived, departed
        Dates on which items arrived and left (missing values are ignored).
    freq
        Period length as in :meth:`pandas.Series.resample` (``"MS"``: calendar months,
        labelled by their first day).
    end
        Extend the periods up to this date (e.g. the export date) even if nothing happened.

    Examples
    --------
    >>> flow = arrivals_and_departures(pd.to_datetime(pd.Series(["2025-01-03", "2025-01-09"])),
    ...                                pd.to_datetime(pd.Series(["2025-03-10", None])))
    >>> flow.values.tolist()
    [[2, 0, 2, 2], [0, 0, 0, 2], [0, 1, -1, 1]]
    """
    dates = [pd.DataFrame({"date": pd.to_datetime(arrived.dropna()), "arrivals": 1,
                           "departures": 0}),
             pd.DataFrame({"date": pd.to_datetime(departed.dropna()), "arrivals": 0,
                           "departures": 1})]
    if end is not None:
        dates.append(pd.DataFrame({"date": [pd.Timestamp(end)], "arrivals": 0,
                                   "departures": 0}))
    events = pd.concat(dates, ignore_index=True).set_index("date")
    table = events.resample(freq)[["arrivals", "departures"]].sum().astype("int64")
    table.index.name = None
    table["net"] = table["arrivals"] - table["departures"]
    table["open"] = table["net"].cumsum()
    return table


def sle_sentence(times: pd.Series, p: int = 85) -> str:
    """A service level expectation in words, from cycle times (KG-11).

    Examples
    --------
    >>> sle_sentence(pd.Series([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))
    '85% of the 10 finished items took 9 days or less (nearest rank, days counted inclusively).'
    >>> sle_sentence(pd.Series([], dtype=int))
    'No finished items with a start date: cycle times need item dates, not only counts.'
    """
    if len(times) == 0:
        return "No finished items with a start date: cycle times need item dates, not only counts."
    value = percentiles(times, (p,)).iloc[0]
    return (f"{p}% of the {len(times)} finished items took {value:g} days or less (nearest "
            "rank, days counted inclusively).")


def cumulative_flow(items: pd.DataFrame, stages: Sequence[str] = STAGES,
                    start: pd.Timestamp | str | None = None,
                    end: pd.Timestamp | str | None = None) -> pd.DataFrame:
    """Cumulative flow: for each day, how many items had entered each stage by then.

    Uses the back-filled stage dates of :func:`prepare_items`, so the bands never cross.

    Examples
    --------
    >>> items = prepare_items(pd.DataFrame({"in_progress": ["2025-03-03", "2025-03-04"],
    ...     "done": ["2025-03-04", None]}), stages=("in_progress", "done"))
    >>> cumulative_flow(items, ("in_progress", "done")).to_dict("list")
    {'in_progress': [1, 2], 'done': [0, 1]}
    """
    stages = list(stages)
    days = _day_range(start, end, pd.concat([items[s] for s in stages]))
    flow = {s: _count_by(items[s], days) for s in stages}
    return pd.DataFrame(flow, index=days).astype("int64")


def current_stage(items: pd.DataFrame, stages: Sequence[str], today: pd.Timestamp | str
                  ) -> pd.Series:
    """The stage each item was in on ``today``: the last stage entered on or before it.

    Examples
    --------
    >>> items = prepare_items(pd.DataFrame({"id": ["A"], "in_progress": ["2025-03-03"],
    ...     "review": ["2025-03-05"], "done": [None]}), ("in_progress", "review", "done"))
    >>> current_stage(items, ("in_progress", "review", "done"), "2025-03-04").tolist()
    ['in_progress']
    """
    today = pd.Timestamp(today).normalize()
    entered = pd.DataFrame({s: items[s].le(today) for s in stages})
    last = entered.to_numpy()[:, ::-1].argmax(axis=1)
    names = np.array(list(stages))[len(stages) - 1 - last]
    names = np.where(entered.to_numpy().any(axis=1), names, "")
    return pd.Series(names, index=items.index, name="stage")


def aging_wip(items: pd.DataFrame, stages: Sequence[str], today: pd.Timestamp | str
              ) -> pd.DataFrame:
    """Items in progress on ``today`` with their current stage and work item age.

    Examples
    --------
    >>> items = prepare_items(pd.DataFrame({"id": ["A", "B"],
    ...     "in_progress": ["2025-03-03", "2025-03-04"], "review": ["2025-03-05", None],
    ...     "done": [None, None]}), ("in_progress", "review", "done"))
    >>> aging_wip(items, ("in_progress", "review", "done"), "2025-03-06").to_dict("list")
    {'id': ['A', 'B'], 'stage': ['review', 'in_progress'], 'age': [4, 3]}
    """
    age = work_item_age(items, today)
    active = _in_progress(items, pd.Timestamp(today).normalize())
    stage = current_stage(items.loc[active], stages, today)
    return pd.DataFrame({"id": age.index.to_list(), "stage": stage.to_list(),
                         "age": age.to_list()})


def item_level_note(what: str, needs: str = "a start and a finish date per item") -> str:
    """Say that ``what`` needs item-level data, which a file of throughput counts lacks.

    Examples
    --------
    >>> item_level_note("Aging work in progress")  # doctest: +NORMALIZE_WHITESPACE
    'Aging work in progress needs item-level data (a start and a finish date per item);
    this data has only counts of finished items per day.'
    """
    return (f"{what} needs item-level data ({needs}); this data has only counts of finished "
            "items per day.")


def flow_summary(items: pd.DataFrame, today: pd.Timestamp | str, window_days: int = 90, *,
                 throughput: pd.Series | None = None) -> dict[str, float | int | None]:
    """The four flow measures over the ``window_days`` ending ``today``, and Little's Law.

    Little's Law (KG-07): average cycle time = average WIP / average throughput, for a
    stable system over the same period. ``littles_law_cycle_time`` is that prediction next
    to the measured mean (exclusive) cycle time of the items finished in the window.

    Parameters
    ----------
    items
        Output of :func:`prepare_items`; may be empty when only counts are known.
    today, window_days
        The window: ``window_days`` calendar days ending ``today``.
    throughput
        Daily throughput to average instead of counting ``items`` (e.g. a file of counts);
        days of the window missing from it count as 0.

    Returns
    -------
    dict
        ``mean_wip``, ``mean_throughput``, ``mean_cycle_time``, ``littles_law_cycle_time``
        and ``items_in_progress``. What cannot be known is ``None`` (never NaN): WIP,
        cycle times and Little's Law without items, cycle times without finished items,
        Little's Law without throughput.

    Examples
    --------
    >>> from pspo_lab.content.casestudy import TODAY
    >>> from pspo_lab import load_dataset
    >>> table = prepare_items(load_dataset("work_items"))
    >>> sorted(flow_summary(table, TODAY))[:3]
    ['items_in_progress', 'littles_law_cycle_time', 'mean_cycle_time']
    >>> counts = pd.Series([2, 0, 1], index=pd.date_range("2025-03-01", periods=3))
    >>> flow_summary(table.iloc[0:0], "2025-03-03", 3, throughput=counts)
    ... # doctest: +NORMALIZE_WHITESPACE
    {'mean_wip': None, 'mean_throughput': 1.0, 'mean_cycle_time': None,
     'littles_law_cycle_time': None, 'items_in_progress': None}
    """
    if window_days < 1:
        raise ParameterError(f"window_days: {window_days} is not usable (expected 1 or more "
                             "days)")
    today = pd.Timestamp(today).normalize()
    first = today - pd.Timedelta(days=window_days - 1)
    if throughput is None:
        throughput = daily_throughput(items, first, today)
    days = pd.date_range(first, today, freq="D")
    mean_throughput = float(throughput.reindex(days, fill_value=0).mean())
    if items.empty:
        return {"mean_wip": None, "mean_throughput": round(mean_throughput, 2),
                "mean_cycle_time": None, "littles_law_cycle_time": None,
                "items_in_progress": None}
    wip = wip_series(items, first, today)
    in_window = items["finish"].between(first, today)
    exclusive = cycle_times(items.loc[in_window], inclusive=False)
    return {"mean_wip": round(float(wip.mean()), 2),
            "mean_throughput": round(mean_throughput, 2),
            "mean_cycle_time": round(float(exclusive.mean()), 2) if len(exclusive) else None,
            "littles_law_cycle_time": round(float(wip.mean()) / mean_throughput, 2)
            if mean_throughput else None,
            "items_in_progress": int(wip.iloc[-1])}


def littles_law_sentence(summary: dict[str, float | int | None], window_days: int = 90) -> str:
    """Say a :func:`flow_summary` in words, or what is missing for Little's Law.

    Examples
    --------
    >>> print(littles_law_sentence({"mean_wip": None, "mean_throughput": 0.56,
    ...     "mean_cycle_time": None, "littles_law_cycle_time": None}))
    ... # doctest: +NORMALIZE_WHITESPACE
    Last 90 days: throughput 0.56 items/day. Little's Law needs item-level data (a start and
    a finish date per item, for WIP and cycle time); this data has only counts of finished
    items per day.
    >>> print(littles_law_sentence({"mean_wip": 3.0, "mean_throughput": 0.0,
    ...     "mean_cycle_time": None, "littles_law_cycle_time": None}, 30))
    ... # doctest: +NORMALIZE_WHITESPACE
    Last 30 days: average WIP 3.0, no items finished, so Little's Law gives no cycle time
    (WIP / 0 throughput).
    """
    start = f"Last {window_days} days: "
    if summary["mean_wip"] is None:
        return (f"{start}throughput {summary['mean_throughput']} items/day. "
                + item_level_note("Little's Law", "a start and a finish date per item, for "
                                  "WIP and cycle time"))
    if summary["littles_law_cycle_time"] is None:
        return (f"{start}average WIP {summary['mean_wip']}, no items finished, so Little's "
                "Law gives no cycle time (WIP / 0 throughput).")
    return (f"{start}average WIP {summary['mean_wip']}, throughput "
            f"{summary['mean_throughput']} items/day, measured cycle time "
            f"{summary['mean_cycle_time']} elapsed days; Little's Law gives "
            f"{summary['littles_law_cycle_time']} days")


def aging_sentence(items: pd.DataFrame, aging: pd.DataFrame, p: int = 85) -> str:
    """How many items are in progress and how many are older than the p-th percentile.

    Parameters
    ----------
    items
        Output of :func:`prepare_items` (its finished items give the percentile).
    aging
        Output of :func:`aging_wip` for the same items.
    p
        Percentile of cycle time that counts as "old".

    Examples
    --------
    >>> table = prepare_items(pd.DataFrame({"id": ["A", "B", "C"],
    ...     "in_progress": ["2025-03-01", "2025-03-02", "2025-03-05"],
    ...     "done": ["2025-03-03", None, None]}), ("in_progress", "done"))
    >>> aging_sentence(table, aging_wip(table, ("in_progress", "done"), "2025-03-06"))
    'In progress: 2 items, 1 of them older than the 85th percentile of cycle time (3 days).'
    >>> aging_sentence(table.iloc[0:0], aging_wip(table.iloc[0:0], ("in_progress", "done"),
    ...     "2025-03-06"))  # doctest: +ELLIPSIS
    'Aging work in progress needs item-level data (a start date per unfinished item); ...'
    """
    if items.empty:
        return item_level_note("Aging work in progress", "a start date per unfinished item")
    times = cycle_times(items)
    if len(times) == 0:
        return (f"In progress: {len(aging)} items; no finished items yet, so no cycle-time "
                "percentile to compare their age with.")
    limit = percentiles(times, (p,)).iloc[0]
    older = int((aging["age"] > limit).sum())
    return (f"In progress: {len(aging)} items, {older} of them older than the {p}th "
            f"percentile of cycle time ({limit:g} days).")

