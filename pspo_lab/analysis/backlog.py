"""Reading a Product Backlog file: the case study's, a WSJF-only file or a learner's own.

The workbench of module 6 and the plan-health section of module 4 read backlogs through
this module: :func:`read_backlog` for a file with the four WSJF estimates,
:func:`read_learner_backlog` for a learner's own export (only ``id`` and ``title`` are
required), :func:`load_backlog` for "FreshCrate's backlog or mine", and :func:`ready_for`
to skip, with one sentence, a section whose columns a file lacks.

Examples
--------
>>> missing_for(pd.DataFrame(columns=["id", "title", "effort"]), "moscow")
['moscow']
"""

from __future__ import annotations

import difflib
from pathlib import Path

import numpy as np
import pandas as pd

from pspo_lab.content.casestudy import FIBONACCI_SCALE, SCHEMAS, TODAY
from pspo_lab.content.datasets import load_dataset
from pspo_lab.core.errors import DataError, ParameterError
from pspo_lab.core.tables import Column, Schema, read_table

WSJF_COLUMNS = ("user_business_value", "time_criticality", "risk_reduction", "job_size")

WSJF_SCHEMA = Schema(
    name="wsjf backlog",
    description="The smallest backlog file the workbench accepts: an id, a title and the "
                "four WSJF estimates.",
    columns=tuple(column for column in SCHEMAS["backlog"].columns
                  if column.name in ("id", "title", *WSJF_COLUMNS)),
)
"""A narrower schema than ``backlog`` for learners who only score WSJF."""


def check_scale(frame: pd.DataFrame, columns: tuple[str, ...] = WSJF_COLUMNS,
                source: str = "backlog") -> pd.DataFrame:
    """Check that relative estimates use the scale 1, 2, 3, 5, 8, 13, 20 and return ``frame``.

    Raises
    ------
    DataError
        Naming the first row (spreadsheet numbering: header is row 1) and column off the scale.

    Examples
    --------
    >>> check_scale(pd.DataFrame({"job_size": [3, 4]}), ("job_size",), "mine.csv")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: mine.csv row 3, column 'job_size': 4 is not on the scale 1, 2, ...
    """
    for column in columns:
        off = ~frame[column].isin(FIBONACCI_SCALE)
        if off.any():
            first = int(np.flatnonzero(off.to_numpy())[0])
            raise DataError(f"{source} row {first + 2}, column {column!r}: "
                            f"{frame[column].iloc[first]} is not on the scale "
                            + ", ".join(map(str, FIBONACCI_SCALE)))
    return frame


def read_backlog(path: str | Path, schema: Schema = WSJF_SCHEMA) -> pd.DataFrame:
    """Read a learner's backlog CSV, check it with ``schema`` and the WSJF scale.

    Missing columns, non-numeric scores and a zero job size are reported as one line naming
    the file, row and column (see :func:`pspo_lab.core.tables.read_table`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> mine = pathlib.Path(tempfile.mkdtemp()) / "mine.csv"
    >>> _ = mine.write_text("id,title,user_business_value,time_criticality,risk_reduction,"
    ...                     "job_size\\nA,Add gift cards,5,3,1,0\\n")
    >>> read_backlog(mine)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: mine.csv row 2, column 'job_size': '0' is out of range ...
    """
    frame = read_table(path, schema)
    return check_scale(frame, WSJF_COLUMNS, Path(path).name)


LEARNER_REQUIRED = ("id", "title")
"""The only columns every learner backlog file must have."""

LEARNER_COLUMNS = tuple(
    Column("activity", "str", "User activity or theme it supports (free text, story map "
           "backbone)") if column.name == "activity" else column
    for column in SCHEMAS["backlog"].columns)
"""Columns a learner backlog may have: the case study's, with ``activity`` as free text.

Only :data:`LEARNER_REQUIRED` must be present; every other column is optional and, when
present, checked by the case study's rule. ``true_value`` is what an item turned out to be
worth, which nobody knows before release: the simulations that need it skip a learner file
without it (see :func:`ready_for`)."""


def _learner_schema(names: list[str]) -> Schema:
    return Schema(name="your backlog",
                  description="A learner's own Product Backlog: id and title, plus any "
                              "columns of the case-study backlog.",
                  columns=tuple(c for c in LEARNER_COLUMNS if c.name in names))


def read_learner_backlog(path: str | Path, require: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read a learner's own backlog CSV: ``id`` and ``title`` plus any case-study columns.

    Parameters
    ----------
    path
        The CSV file; its name starts every error message.
    require
        Further columns the caller cannot do without (e.g. ``("created",)`` for ages).

    Returns
    -------
    pandas.DataFrame
        The known columns typed and checked as in ``datasets/backlog.csv`` (``activity`` is
        free text, WSJF estimates on the scale 1, 2, 3, 5, 8, 13, 20), extra columns as text.

    Raises
    ------
    DataError
        One line naming the file and the first problem: a required column missing, a cell
        that breaks its column's rule, or an unknown column that looks like a misspelled one.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> mine = pathlib.Path(tempfile.mkdtemp()) / "mine.csv"
    >>> _ = mine.write_text("id,title,activity,effort\\nA,Add gift cards,Gifting,2\\n")
    >>> read_learner_backlog(mine).columns.tolist()
    ['id', 'title', 'activity', 'effort']
    >>> read_learner_backlog(mine, require=("created",))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: mine.csv column 'created' is missing; expected columns: id, ...
    """
    known = [c.name for c in LEARNER_COLUMNS]
    unknown = sorted(set(require) - set(known))
    if unknown:
        raise ParameterError(f"require: {unknown} are not backlog columns (expected some of "
                             + ", ".join(known) + ")")
    needed = [name for name in known if name in (*LEARNER_REQUIRED, *require)]
    header = read_table(path, _learner_schema(needed)).columns.tolist()
    for name in header:
        close = difflib.get_close_matches(name, [k for k in known if k not in header], n=1,
                                          cutoff=0.8)
        if name not in known and close:
            raise DataError(f"{Path(path).name} column {name!r} is not a backlog column: "
                            f"misspelled {close[0]!r}?")
    frame = read_table(path, _learner_schema(header))
    present = tuple(c for c in WSJF_COLUMNS if c in frame.columns)
    return check_scale(frame, present, Path(path).name)


NEEDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "wsjf": ("WSJF", WSJF_COLUMNS),
    "cd3": ("CD3", ("cost_of_delay_week", "duration_weeks")),
    "rice": ("RICE", ("reach", "impact", "confidence", "effort")),
    "value_per_effort": ("value per effort", ("value_estimate", "effort")),
    "moscow": ("The MoSCoW check", ("moscow", "effort")),
    "value_effort": ("The value-vs-effort grid", ("value_estimate", "effort")),
    "stability": ("The top-N stability check", WSJF_COLUMNS),
    "thirty_five": ("The Thirty-Five simulation", ("true_value",)),
    "sponsors": ("The sponsored-items comparison",
                 ("sponsor", "effort", "value_estimate", *WSJF_COLUMNS)),
    "health": ("The backlog health check", ("created", "last_touched", "effort")),
    "cut": ("Cutting to the top items", (*WSJF_COLUMNS, "effort", "created", "last_touched")),
    "story_map": ("The story map", ("activity", "effort", *WSJF_COLUMNS)),
    "item_texts": ("Showing what each item says", ("description", "problem",
                                                   "acceptance_criteria")),
    "value_check": ("Comparing estimated and delivered value", ("value_estimate",
                                                               "true_value")),
}
"""What each part of the workbench needs: a label for messages and the columns it reads."""


def missing_for(frame: pd.DataFrame, use: str) -> list[str]:
    """Columns of :data:`NEEDS` ``use`` that ``frame`` lacks, in the order they are needed.

    Examples
    --------
    >>> missing_for(pd.DataFrame(columns=["id", "moscow"]), "moscow")
    ['effort']
    """
    if use not in NEEDS:
        raise ParameterError(f"use {use!r} is unknown (expected one of " + ", ".join(NEEDS) + ")")
    return [column for column in NEEDS[use][1] if column not in frame.columns]


def ready_for(frame: pd.DataFrame, use: str) -> bool:
    """Whether ``frame`` has the columns ``use`` needs; if not, print one line naming them.

    Notebooks guard a section with it, so a learner's file without, say, MoSCoW classes
    skips that section with a sentence instead of stopping with a traceback.

    Examples
    --------
    >>> ready_for(pd.DataFrame(columns=["id", "title"]), "moscow")  # doctest: +ELLIPSIS
    The MoSCoW check needs the column(s) 'moscow', 'effort', which your backlog does not ...
    False
    """
    missing = missing_for(frame, use)
    if missing:
        print(f"{NEEDS[use][0]} needs the column(s) " + ", ".join(map(repr, missing))
              + ", which your backlog does not have (datasets/README.md describes them); "
              "skipped.")
    return not missing


def export_date(*tables: pd.DataFrame | None) -> pd.Timestamp:
    """The latest date in any date column of the tables: the day the data was exported.

    ``None`` stands for a table the learner did not give and is skipped.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> export_date(load_dataset("backlog"), load_dataset("work_items")) <= TODAY
    True
    >>> export_date(load_dataset("backlog"), None) <= TODAY
    True
    """
    latest = [table[column].max() for table in tables if table is not None
              for column in table.columns
              if pd.api.types.is_datetime64_any_dtype(table[column])]
    latest = [value for value in latest if pd.notna(value)]
    if not latest:
        raise DataError("no dates found (expected date columns such as 'created' or 'done')")
    return pd.Timestamp(max(latest)).normalize()


def load_backlog(seed: int, backlog_csv: str | None = None) -> tuple[pd.DataFrame, pd.Timestamp]:
    """The backlog to work on and the date its ages count up to.

    Parameters
    ----------
    seed
        The case study's seed (used when no file is given).
    backlog_csv
        The learner's own backlog (see :func:`read_learner_backlog`).

    Returns
    -------
    tuple
        ``(backlog, today)``: FreshCrate's backlog and its fixed date, or the learner's file
        and the latest date in it (the day it was exported), so that ages and stale items
        are measured at the file's own date.

    Examples
    --------
    >>> backlog, today = load_backlog(42)
    >>> len(backlog), today == TODAY
    (120, True)
    """
    if backlog_csv is None:
        return load_dataset("backlog", seed=seed), TODAY
    backlog = read_learner_backlog(backlog_csv)
    dated = any(pd.api.types.is_datetime64_any_dtype(backlog[c]) for c in backlog.columns)
    return backlog, (export_date(backlog) if dated else TODAY)


def fit_counts(items: int, **counts: int) -> tuple[dict[str, int], str]:
    """Cap item counts such as ``top`` or ``keep`` at the size of a small backlog.

    The notebook's defaults suit FreshCrate's 120 items; a learner's backlog may be shorter.

    Parameters
    ----------
    items
        How many items the backlog has.
    **counts
        The requested counts by parameter name.

    Returns
    -------
    tuple
        The counts, each at most ``items``, and a sentence naming those that were capped
        (empty when none was).

    Examples
    --------
    >>> fit_counts(8, top=10, keep=30)
    ({'top': 8, 'keep': 8}, 'Your backlog has 8 items: top and keep are set to 8.')
    >>> fit_counts(120, top=10)
    ({'top': 10}, '')
    """
    capped = [name for name, value in counts.items() if value > items]
    fitted = {name: min(value, items) for name, value in counts.items()}
    note = (f"Your backlog has {items} items: {' and '.join(capped)} "
            f"{'is' if len(capped) == 1 else 'are'} set to {items}." if capped else "")
    return fitted, note


def game_cards(frame: pd.DataFrame, participants: int, seed: int) -> pd.DataFrame:
    """One backlog item per participant of a card game, drawn at random (all of a short file).

    Parameters
    ----------
    frame
        The Product Backlog.
    participants
        How many people play; each gets one card.
    seed
        Seed of the draw.

    Returns
    -------
    pandas.DataFrame
        ``participants`` rows, or every row (with a printed note) when the backlog is shorter.

    Examples
    --------
    >>> small = pd.DataFrame({"id": ["A", "B"]})
    >>> len(game_cards(small, 16, seed=1))
    Your backlog has 2 items, fewer than the 16 participants: the game uses all 2.
    2
    """
    if participants < 1:
        raise ParameterError(f"participants parameter: {participants!r} is not usable "
                             "(expected a whole number >= 1)")
    if len(frame) < participants:
        print(f"Your backlog has {len(frame)} items, fewer than the {participants} "
              f"participants: the game uses all {len(frame)}.")
        return frame.sample(len(frame), random_state=seed)
    return frame.sample(participants, random_state=seed)
