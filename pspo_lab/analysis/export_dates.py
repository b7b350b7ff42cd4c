"""Dates as work-item exports write them, read into calendar dates in one stated timezone.

:func:`parse_dates` reads, in this order:

* ISO 8601, with or without a zone (Azure DevOps ``2025-03-04T14:05:00.123Z``, GitHub
  ``2025-03-04T14:05:00Z``, ``2025-03-04T16:05:00+02:00``, or a plain ``2025-03-04``);
* Jira's formats with a month name (:data:`JIRA_DATE_FORMATS`): the default profile
  ``d/MMM/yy h:mm a`` (``4/Mar/25 2:05 PM``), the 24-hour ``dd/MMM/yy HH:mm``
  (``04/Mar/25 14:05``) and the date picker's ``d/MMM/yy`` (``4/Mar/25``);
* numeric dates as Excel and Azure DevOps write them in a regional format, ``dd/mm/yyyy``
  or ``mm/dd/yyyy`` (two- or four-digit years, ``/``, ``.`` or ``-``, with or without a
  12- or 24-hour time).

Which number is the day is decided for a whole file by :func:`infer_date_order`: a first
number above 12 means day-first, a second number above 12 month-first. When no date
decides (``03/04/25`` throughout), the file is refused with a message naming the
``date_order`` parameter, unless the reader has a documented default (Azure DevOps
exports use the US order).

>>> parse_dates(pd.Series(["4/Mar/25", "04/Mar/25 14:05", "2025-03-04T23:30:00Z"]),
...     source="x.csv", column="Created", timezone="Europe/Berlin").dt.day.tolist()
[4, 4, 5]
"""

from __future__ import annotations

import difflib
import re
import zoneinfo
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from pspo_lab.analysis.flow import to_calendar_dates
from pspo_lab.core.errors import DataError, ParameterError
from pspo_lab.core.tables import EARLIEST, LATEST

JIRA_DATE_FORMATS = ("%d/%b/%y %I:%M %p", "%d/%b/%y %H:%M", "%d/%b/%y", "%d/%b/%Y %I:%M %p",
                     "%d/%b/%Y %H:%M", "%d/%b/%Y", "%Y-%m-%d %H:%M")
"""Jira's CSV date formats: 12-hour (the default profile), 24-hour and date-only."""

DATE_ORDERS = ("day-first", "month-first")
"""Values of the ``date_order`` parameter for numeric dates such as 03/04/2025."""

_TIMES = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p")
_NUMERIC = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{2}|\d{4})(?:[ T].*)?$")
_OFFSET = r"(?:Z|[+-]\d\d:?\d\d)$"


def check_timezone(timezone: str) -> str:
    """Return ``timezone`` if it is an IANA name, else one line suggesting close names.

    Examples
    --------
    >>> check_timezone("Europe/Berln")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.ParameterError: timezone parameter: 'Europe/Berln' is not a known timezone ...
    """
    try:
        zoneinfo.ZoneInfo(str(timezone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        names = {name.lower(): name for name in zoneinfo.available_timezones()}
        close = difflib.get_close_matches(str(timezone).lower(), names, n=3, cutoff=0.6)
        hint = (" (did you mean " + " or ".join(repr(names[c]) for c in close) + "?)"
                if close else " (expected an IANA name such as 'UTC' or 'Europe/Berlin')")
        raise ParameterError(f"timezone parameter: {timezone!r} is not a known timezone{hint}"
                             ) from None
    return timezone


def _numeric_parts(cells: pd.Series) -> pd.DataFrame:
    text = cells.astype(str).str.strip()
    parts = text.str.extract(_NUMERIC)[[0, 2]]
    parts["cell"] = text.to_numpy()
    return parts.dropna().astype({0: int, 2: int})


def infer_date_order(columns: Mapping[str, pd.Series], source: str,
                     given: str | None = None, default: str | None = None) -> str | None:
    """Day-first or month-first, for the numeric dates of all ``columns`` of one file.

    Parameters
    ----------
    columns
        ``{column name: text cells}`` of every date column read from the file.
    source
        The file name, for messages.
    given
        The ``date_order`` parameter, if the learner set it: it wins.
    default
        The reader's documented order when no date decides (``None``: refuse).

    Returns
    -------
    str or None
        ``"day-first"``, ``"month-first"``, or ``None`` when no cell is a numeric date.

    Raises
    ------
    ParameterError
        ``given`` is not one of :data:`DATE_ORDERS`.
    DataError
        The file mixes both orders, or no date decides and there is no default.

    Examples
    --------
    >>> cells = {"Created": pd.Series(["03/04/2025", "25/04/2025"])}
    >>> infer_date_order(cells, "x.csv")
    'day-first'
    >>> infer_date_order({"Created": pd.Series(["03/04/25"])}, "x.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: x.csv column 'Created': '03/04/25' could be 3 April or March 4, ...
    """
    if given is not None:
        if given not in DATE_ORDERS:
            raise ParameterError(f"date_order parameter: {given!r} is not one of "
                                 f"{', '.join(map(repr, DATE_ORDERS))} (or None)")
        return given
    found: dict[str, tuple[str, str]] = {}
    first_numeric = None
    for column, cells in columns.items():
        parts = _numeric_parts(cells)
        if parts.empty:
            continue
        first_numeric = first_numeric or (column, parts["cell"].iloc[0])
        for order, position in (("day-first", 0), ("month-first", 2)):
            deciding = parts[parts[position] > 12]
            if len(deciding) and order not in found:
                found[order] = (column, deciding["cell"].iloc[0])
    if len(found) == 2:
        (c1, v1), (c2, v2) = found["day-first"], found["month-first"]
        raise DataError(f"{source}: column {c1!r} has {v1!r} (day first) but column {c2!r} "
                        f"has {v2!r} (month first); expected one date order in the file")
    if found:
        return next(iter(found))
    if first_numeric is None or default is not None:
        return default if first_numeric else None
    column, cell = first_numeric
    day, month = (int(x) for x in _NUMERIC.match(cell).group(1, 3))
    as_day = pd.Timestamp(2000, month, day) if month <= 12 else None
    as_month = pd.Timestamp(2000, day, month) if day <= 12 else None
    reading = (f"{day} {as_day:%B} or {as_month:%B} {month}" if as_day is not None
               and as_month is not None else "either way")
    raise DataError(f"{source} column {column!r}: {cell!r} could be {reading}, and no date "
                    "in the file has a day above 12 to decide; set date_order=\"day-first\" "
                    "or date_order=\"month-first\"")


def _numeric_formats(order: str, separators: set[str]) -> list[str]:
    day_month = "%d{0}%m{0}" if order == "day-first" else "%m{0}%d{0}"
    return [day_month.format(sep) + year + time for sep in sorted(separators)
            for year in ("%Y", "%y") for time in _TIMES]


def parse_dates(cells: pd.Series, *, source: str, column: str, timezone: str = "UTC",
                formats: Sequence[str] = (), date_order: str | None = None,
                row_label: str = "row", row_offset: int = 2) -> pd.Series:
    """Parse text cells as timestamps and reduce them to calendar dates in ``timezone``.

    ISO 8601 is tried first (a value with a zone is converted to ``timezone``), then
    ``formats``, then Jira's month-name formats, then numeric dates in ``date_order``
    (decided from this column by :func:`infer_date_order` when ``None``). Empty cells stay
    missing; dates outside 1970-2099 are refused.

    Raises
    ------
    DataError
        ``"<source> row 5, column 'Created': 'yesterday' is not a date or time ..."``.

    Examples
    --------
    >>> cells = pd.Series(["2025-03-01T23:30:00Z", "", "03/Mar/25 9:05 AM"])
    >>> parse_dates(cells, source="x.csv", column="Created", timezone="Europe/Berlin"
    ...     ).dt.strftime("%Y-%m-%d").tolist()
    ['2025-03-02', nan, '2025-03-03']
    """
    check_timezone(timezone)
    text = cells.astype(str).str.strip()
    empty = text.eq("") | text.str.lower().isin(["nan", "none", "null", "nat"])
    result = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns]")
    todo = ~empty

    def take(parsed: pd.Series) -> None:
        hit = todo & parsed.notna()
        if not hit.any():
            return
        local = parsed[hit]
        if isinstance(local.dtype, pd.DatetimeTZDtype):
            local = local.dt.tz_convert(timezone).dt.tz_localize(None)
        outside = ((local < EARLIEST) | (local > LATEST + pd.Timedelta(days=1))).to_numpy()
        if outside.any():
            position = cells.index.get_loc(local.index[int(np.flatnonzero(outside)[0])])
            raise DataError(f"{source} {row_label} {position + row_offset}, column {column!r}: "
                            f"{cells.iloc[position]!r} is outside {EARLIEST:%Y}-{LATEST:%Y} "
                            "(expected a date when the work happened)")
        result[hit] = to_calendar_dates(local.astype("datetime64[ns]")).to_numpy()
        todo[hit] = False

    zoned = text.str.contains(_OFFSET, regex=True)
    take(pd.to_datetime(text.where(todo & zoned), format="ISO8601", errors="coerce", utc=True))
    for fmt in ("ISO8601", *formats, *JIRA_DATE_FORMATS):
        if todo.any():
            take(pd.to_datetime(text.where(todo), format=fmt, errors="coerce"))
    numeric = _numeric_parts(text[todo])
    if len(numeric):
        order = date_order or infer_date_order({column: text[todo]}, source)
        separators = set(text[numeric.index].str.extract(_NUMERIC)[1])
        for fmt in _numeric_formats(order, separators):
            if todo.any():
                take(pd.to_datetime(text.where(todo), format=fmt, errors="coerce"))
    if todo.any():
        position = int(np.flatnonzero(todo.to_numpy())[0])
        raise DataError(f"{source} {row_label} {position + row_offset}, column {column!r}: "
                        f"{cells.iloc[position]!r} is not a date or time (expected e.g. "
                        "2025-03-12, 2025-03-12T09:41:00+01:00, 12/Mar/25 9:41 AM, "
                        "12/03/2025)")
    return result
