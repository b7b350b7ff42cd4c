"""Column schemas for tabular data and a validator that reports problems the way people read them.

A :class:`Schema` lists the columns a table must have. :func:`validate_table` checks raw text
cells (as read from a CSV file) against it and returns a typed DataFrame, or raises one
:class:`~pspo_lab.DataError` whose message names the file, the row (as a spreadsheet
shows it: the header is row 1, the first data row is row 2), the column and what was expected.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from pspo_lab.core.errors import DataError
from pspo_lab.core.files import check_lines, read_text

Kind = Literal["str", "int", "float", "date", "category"]
#: Largest size of a number in a column without its own maximum.
LARGEST = 1e12
#: Range of dates a date column accepts.
EARLIEST, LATEST = pd.Timestamp("1970-01-01"), pd.Timestamp("2099-12-31")


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Parameters
    ----------
    name
        Column header as it appears in the CSV file.
    kind
        ``"str"``, ``"int"``, ``"float"``, ``"date"`` (``YYYY-MM-DD``) or ``"category"``.
    description
        What the column means (used for the data dictionary).
    unit
        Unit of measure, or ``""``.
    nullable
        Whether empty cells are allowed.
    minimum, maximum
        Inclusive bounds for numbers.
    choices
        Allowed values for ``"category"`` columns, in their natural order.
    unique
        Whether every value must differ (identifiers).
    optional
        Whether a file may leave the whole column out (it is checked when present), e.g. a
        column added to a table after files of the older shape were in use.
    """

    name: str
    kind: Kind
    description: str
    unit: str = ""
    nullable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    unique: bool = False
    optional: bool = False

    def expected(self) -> str:
        """Describe in words what a cell of this column should hold."""
        if self.kind == "date":
            return "a date as YYYY-MM-DD"
        if self.kind == "category":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind in ("int", "float"):
            noun = "a whole number" if self.kind == "int" else "a number"
            bounds = []
            if self.minimum is not None:
                bounds.append(f">= {self.minimum:g}")
            if self.maximum is not None:
                bounds.append(f"<= {self.maximum:g}")
            return noun + (" " + " and ".join(bounds) if bounds else "")
        return "text"


@dataclass(frozen=True)
class Schema:
    """The columns of a table and the rules that link them.

    Parameters
    ----------
    name
        Short name of the table, e.g. ``"work_items"``.
    description
        One sentence on what a row is.
    columns
        The columns, in file order.
    date_order
        Date columns that must not go backwards where both cells are filled
        (e.g. a work item cannot be done before it started).
    extra_columns_allowed
        Whether columns the schema does not know are kept (learners' files often have more).
    """

    name: str
    description: str
    columns: tuple[Column, ...]
    date_order: tuple[str, ...] = ()
    extra_columns_allowed: bool = True
    notes: tuple[str, ...] = field(default=())

    @property
    def names(self) -> list[str]:
        """Column names in order."""
        return [c.name for c in self.columns]


class _Problems:
    """Collects problems and raises them as one DataError showing the first."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[str] = []

    def add(self, text: str) -> None:
        """Note one problem; :meth:`raise_if_any` reports the first and counts the rest.

        Parameters
        ----------
        text
            The problem without the source, e.g. ``"row 3 column 'points': ..."``.

        Examples
        --------
        >>> problems = _Problems("items.csv")
        >>> problems.add("row 3 column 'points': not a number")
        >>> problems.add("row 5 column 'points': below 0")
        >>> problems.raise_if_any()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        pspo_lab.DataError: items.csv row 3 column 'points': not a number (and 1 more ...)
        """
        self.items.append(text)

    def raise_if_any(self) -> None:
        if self.items:
            more = f" (and {len(self.items) - 1} more problem(s))" if len(self.items) > 1 else ""
            raise DataError(f"{self.source} {self.items[0]}{more}")


def _row(index: int) -> int:
    """Spreadsheet row number of a zero-based data row (the header is row 1)."""
    return index + 2


def _check_columns(raw: pd.DataFrame, schema: Schema, problems: _Problems) -> None:
    present = list(raw.columns)
    for column in schema.columns:
        if column.name in present or column.optional:
            continue
        close = difflib.get_close_matches(column.name, present, n=1, cutoff=0.6)
        hint = f" (found {close[0]!r}: misspelled?)" if close else ""
        problems.add(f"column {column.name!r} is missing{hint}; expected columns: "
                     + ", ".join(c.name for c in schema.columns if not c.optional))
    if not schema.extra_columns_allowed:
        for name in present:
            if name not in schema.names:
                problems.add(f"column {name!r} is not expected; expected columns: "
                             + ", ".join(schema.names))


def _convert(raw: pd.Series, column: Column, problems: _Problems) -> pd.Series:
    text = raw.astype(str).str.strip()
    empty = text.eq("")
    if not column.nullable and empty.any():
        first = int(np.flatnonzero(empty.to_numpy())[0])
        problems.add(f"row {_row(first)}, column {column.name!r}: empty cell "
                     f"(expected {column.expected()})")
    if column.kind == "date":
        values = pd.to_datetime(text.where(~empty), format="%Y-%m-%d", errors="coerce")
    elif column.kind in ("int", "float"):
        values = pd.to_numeric(text.where(~empty), errors="coerce")
    else:
        values = text.where(~empty)
    bad = values.isna() & ~empty
    if column.kind == "date":
        odd = values.notna() & ((values < EARLIEST) | (values > LATEST))
        if odd.any():
            first = int(np.flatnonzero(odd.to_numpy())[0])
            problems.add(f"row {_row(first)}, column {column.name!r}: {raw.iloc[first]!r} is "
                         f"outside {EARLIEST:%Y}-{LATEST:%Y} (expected {column.expected()})")
            return values
    if column.kind == "int":
        bad |= values.notna() & (values % 1 != 0)
    if column.kind == "category":
        bad = ~empty & ~text.isin(column.choices)
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        problems.add(f"row {_row(first)}, column {column.name!r}: {raw.iloc[first]!r} is not "
                     f"{column.expected()}")
        return values
    if column.kind in ("int", "float"):
        infinite = ~np.isfinite(values.fillna(0).to_numpy(dtype=float))
        if infinite.any():
            first = int(np.flatnonzero(infinite)[0])
            problems.add(f"row {_row(first)}, column {column.name!r}: {raw.iloc[first]!r} is "
                         f"not a finite number (expected {column.expected()})")
            return values
        huge = np.abs(values.fillna(0).to_numpy(dtype=float)) > LARGEST
        if column.maximum is None and huge.any():
            first = int(np.flatnonzero(huge)[0])
            problems.add(f"row {_row(first)}, column {column.name!r}: {raw.iloc[first]!r} is "
                         f"implausibly large (expected {column.expected()}, at most {LARGEST:g} "
                         "in size)")
            return values
        low = values.lt(column.minimum) if column.minimum is not None else False
        high = values.gt(column.maximum) if column.maximum is not None else False
        out = low | high
        if np.any(out):
            first = int(np.flatnonzero(np.asarray(out))[0])
            problems.add(f"row {_row(first)}, column {column.name!r}: {raw.iloc[first]!r} is out "
                         f"of range (expected {column.expected()})")
        if column.kind == "int":
            values = values.astype("Int64") if column.nullable else values.astype("int64")
    if column.unique:
        duplicated = values.duplicated(keep="first") & values.notna()
        if duplicated.any():
            first = int(np.flatnonzero(duplicated.to_numpy())[0])
            problems.add(f"row {_row(first)}, column {column.name!r}: duplicate value "
                         f"{raw.iloc[first]!r} (expected every value to be unique)")
    return values


def _check_date_order(frame: pd.DataFrame, schema: Schema, problems: _Problems) -> None:
    order = [c for c in schema.date_order if c in frame.columns]
    for earlier, later in zip(order, order[1:], strict=False):
        backwards = frame[later] < frame[earlier]
        if backwards.any():
            first = int(np.flatnonzero(backwards.to_numpy())[0])
            problems.add(
                f"row {_row(first)}, column {later!r}: {frame[later].iloc[first]:%Y-%m-%d} is "
                f"before {earlier!r} {frame[earlier].iloc[first]:%Y-%m-%d} (expected dates "
                f"in the order {' <= '.join(order)})")


def require_columns(frame: pd.DataFrame, needed: Iterable[str], table: str, hint: str = ""
                    ) -> None:
    """Raise one line naming the columns ``frame`` lacks, sorted, with an optional hint.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"month": []}), ("month", "value"), "ebm")
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: ebm table: missing column(s) ['value']
    """
    missing = set(needed) - set(frame.columns)
    if missing:
        raise DataError(f"{table} table: missing column(s) {sorted(missing)}"
                        + (f" {hint}" if hint else ""))


def validate_table(raw: pd.DataFrame, schema: Schema, source: str) -> pd.DataFrame:
    """Check a table of raw text cells against a schema and return it with proper types.

    Parameters
    ----------
    raw
        Every cell as text (as ``pd.read_csv(..., dtype=str, keep_default_na=False)`` gives).
    schema
        The rules to check.
    source
        Name used in error messages, normally the file name.

    Returns
    -------
    pandas.DataFrame
        Dates as ``datetime64``, numbers as numbers, empty cells as missing values;
        known columns first in schema order, then any extra columns unchanged.

    Raises
    ------
    DataError
        One line naming ``source``, the row and column of the first problem, what was
        expected, and how many more problems there are.

    Examples
    --------
    >>> from pspo_lab.content.casestudy import SCHEMAS
    >>> raw = pd.DataFrame({"id": ["S1"], "name": ["Ana"], "role": ["Head of Sales"],
    ...     "group": ["internal"], "interest": ["4"], "influence": ["9"]})
    >>> validate_table(raw, SCHEMAS["stakeholders"], "mine.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: mine.csv row 2, column 'influence': '9' is out of range ...
    """
    problems = _Problems(source)
    if raw.shape[0] == 0:
        problems.add("has no data rows (expected a header line and at least one row)")
        problems.raise_if_any()
    _check_columns(raw, schema, problems)
    problems.raise_if_any()
    typed = {column.name: _convert(raw[column.name], column, problems)
             for column in schema.columns if column.name in raw.columns}
    problems.raise_if_any()
    frame = pd.DataFrame(typed)
    _check_date_order(frame, schema, problems)
    problems.raise_if_any()
    extras = [c for c in raw.columns if c not in schema.names]
    return pd.concat([frame, raw[extras]], axis=1) if extras else frame


def read_table(path: str | Path, schema: Schema, *, text: str | None = None) -> pd.DataFrame:
    """Read a CSV file and validate it with :func:`validate_table`.

    Parameters
    ----------
    path
        The CSV file (its name appears in error messages).
    schema
        The rules the file must follow.
    text
        CSV content to parse instead of reading ``path`` (``path`` still names it).

    Raises
    ------
    DataError
        If the file is missing, empty, not CSV, or breaks a rule of ``schema``.
    """
    path = Path(path)
    source = path.name
    if text is None:
        if path.is_file() or path.is_dir():
            text = read_text(path, f"a CSV file for {schema.name}")
        else:
            raise DataError(f"{path}: file not found (expected a CSV file for {schema.name})")
    else:
        check_lines(text, source)
    if not text.strip():
        raise DataError(f"{source}: file is empty (expected a header line with columns "
                        + ", ".join(schema.names) + ")")
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise DataError(f"{source}: not a readable CSV file ({str(error).strip()})") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    return validate_table(raw, schema, source)


#: Separators a CSV export may use: comma, semicolon (Excel in locales with a decimal
#: comma), tab and pipe.
DELIMITERS = ",;\t|"


def sniff_delimiter(text: str) -> str:
    """The separator of CSV ``text``, judged from its first lines (``","`` when unclear).

    Examples
    --------
    >>> sniff_delimiter("Issue key;Created\\nPAN-1;04/05/2025\\n")
    ';'
    >>> sniff_delimiter("just one column\\n")
    ','
    """
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def parse_csv_cells(text: str, source: str, delimiter: str = ",") -> pd.DataFrame:
    """Every cell of CSV ``text`` as text (headers stripped), or one line naming ``source``.

    A header repeated in the file is renamed by pandas (``Done``, ``Done.1``, ...); the
    headers as written are kept in ``frame.attrs["header"]``.

    Examples
    --------
    >>> cells = parse_csv_cells("id;Done;Done\\nA;1;2\\n", "x.csv", ";")
    >>> cells.columns.tolist(), cells.attrs["header"]
    (['id', 'Done', 'Done.1'], ['id', 'Done', 'Done'])
    """
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=delimiter)
        header = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    except (pd.errors.ParserError, csv.Error) as error:
        raise DataError(f"{source}: not a readable CSV file ({str(error).strip()})") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    raw.attrs["header"] = [str(c).strip() for c in header]
    return raw


def to_csv_text(frame: pd.DataFrame, columns: Iterable[str] | None = None) -> str:
    """Write a DataFrame as CSV text the same way every time (dates as YYYY-MM-DD).

    Examples
    --------
    >>> to_csv_text(pd.DataFrame({"a": [1.5, 2.0]}))
    'a\\n1.5\\n2.0\\n'
    """
    out = frame if columns is None else frame[list(columns)]
    return out.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d")
