"""Access to the course data in the style of ``seaborn.load_dataset``.

>>> from pspo_lab import load_dataset
>>> load_dataset("work_items").columns[:3].tolist()
['id', 'title', 'type']

The files shipped in ``pspo_lab/content/data/casestudy`` are the case study for the
default seed.
Another seed regenerates the same tables with other numbers, validated the same way.
A learner's own CSV goes through :func:`read_csv`, which applies the same checks.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pandas as pd

from pspo_lab.content import casestudy
from pspo_lab.content.packaged import data_file
from pspo_lab.core.errors import DataError
from pspo_lab.core.tables import Schema, read_table, to_csv_text
from pspo_lab.core.workspace import write_atomic


def datasets_dir() -> Path:
    """Folder holding the case-study tables of the default seed.

    ``PSPO_LAB_DATASETS`` overrides it; otherwise it is the folder shipped inside the
    package (``pspo_lab/content/data/casestudy``).

    Examples
    --------
    >>> (datasets_dir() / "work_items.csv").is_file()
    True
    """
    override = os.environ.get("PSPO_LAB_DATASETS")
    return Path(override) if override else data_file("casestudy")


def dataset_names() -> list[str]:
    """Names accepted by :func:`load_dataset`.

    Examples
    --------
    >>> "backlog" in dataset_names()
    True
    """
    return sorted(casestudy.SCHEMAS)


def schema(name: str) -> Schema:
    """The schema of a case-study table, raising :class:`DataError` for an unknown name.

    Parameters
    ----------
    name
        One of :func:`dataset_names`.

    Returns
    -------
    Schema
        The columns, their types and rules, and the table's description.

    Raises
    ------
    DataError
        If ``name`` is not a case-study table; the message lists the valid names.

    Examples
    --------
    >>> schema("stakeholders").names[:3]
    ['id', 'name', 'role']
    >>> schema("backlogs")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: unknown dataset 'backlogs' (expected one of backlog, ...)
    """
    try:
        return casestudy.SCHEMAS[name]
    except KeyError:
        raise DataError(f"unknown dataset {name!r} (expected one of "
                        + ", ".join(dataset_names()) + ")") from None


@lru_cache(maxsize=32)
def _generated_csv(seed: int) -> dict[str, str]:
    return {name: to_csv_text(frame, casestudy.SCHEMAS[name].names)
            for name, frame in casestudy.generate(seed).items()}


def load_dataset(name: str, seed: int | None = None) -> pd.DataFrame:
    """Load a validated case-study table as a DataFrame.

    Parameters
    ----------
    name
        One of :func:`dataset_names`, e.g. ``"work_items"`` or ``"backlog"``.
    seed
        ``None`` or the case-study seed reads the committed file; any other seed
        generates a fresh, equally valid case study (what cohorts with their own
        ``seed`` parameter see).

    Returns
    -------
    pandas.DataFrame
        Typed columns as described in ``datasets/README.md``.

    Examples
    --------
    >>> items = load_dataset("work_items")
    >>> items["done"].dtype.kind
    'M'
    >>> len(load_dataset("stakeholders", seed=7))
    12
    """
    table_schema = schema(name)
    if seed is None or seed == casestudy.CASE_STUDY_SEED:
        path = datasets_dir() / f"{name}.csv"
        if path.is_file():
            return read_table(path, table_schema)
        seed = casestudy.CASE_STUDY_SEED
    return read_table(f"{name}.csv (generated, seed {seed})", table_schema,
                      text=_generated_csv(int(seed))[name])


def read_csv(path: str | Path, name: str) -> pd.DataFrame:
    """Read a learner's own CSV file with the rules of the case-study table ``name``.

    Parameters
    ----------
    path
        The learner's file.
    name
        Which table it stands for, e.g. ``"backlog"``.

    Raises
    ------
    DataError
        One line naming the file, row and column of the first problem.
    """
    return read_table(path, schema(name))


def write_datasets(folder: str | Path, seed: int = casestudy.CASE_STUDY_SEED) -> list[Path]:
    """Write every case-study table of ``seed`` as CSV into ``folder``.

    Files are written to a temporary name and renamed, so an interrupted run leaves the
    previous files intact.

    Parameters
    ----------
    folder
        Target folder, created if missing; files of the same names are replaced.
    seed
        Case-study seed; the default reproduces the committed files.

    Returns
    -------
    list of Path
        The written ``<name>.csv`` files, one per case-study table.

    Examples
    --------
    >>> import tempfile
    >>> paths = write_datasets(tempfile.mkdtemp(), seed=7)
    >>> sorted(p.stem for p in paths) == dataset_names()
    True
    >>> len(read_csv(paths[0].parent / "stakeholders.csv", "stakeholders"))
    12
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in _generated_csv(seed).items():
        target = folder / f"{name}.csv"
        write_atomic(target, text)
        written.append(target)
    return written


def data_dictionary() -> str:
    """Markdown describing every case-study table and column (the body of datasets/README.md)."""
    lines = []
    for name in dataset_names():
        table = casestudy.SCHEMAS[name]
        lines += [f"### `{name}.csv`", "", table.description, "",
                  "| column | type | unit | meaning | rules |", "|---|---|---|---|---|"]
        for c in table.columns:
            rules = [] if c.nullable else ["required"]
            if c.optional:
                rules.append("the column may be left out")
            if c.unique:
                rules.append("unique")
            if c.kind in ("int", "float", "category"):
                rules.append(c.expected())
            lines.append(f"| `{c.name}` | {c.kind} | {c.unit} | {c.description} | "
                         f"{'; '.join(rules)} |")
        if table.date_order:
            lines += ["", "Dates must not go backwards: " + " <= ".join(
                f"`{c}`" for c in table.date_order) + " (where filled)."]
        lines.append("")
    return "\n".join(lines)


def dataset_overview(seed: int | None = None) -> pd.DataFrame:
    """One row per case-study table: rows, columns and what a row is.

    Examples
    --------
    >>> int(dataset_overview().loc["stakeholders", "rows"])
    12
    """
    rows = []
    for name in dataset_names():
        frame = load_dataset(name, seed=seed)
        rows.append({"dataset": name, "rows": len(frame), "columns": frame.shape[1],
                     "a row is": casestudy.SCHEMAS[name].description.split(". ")[0]})
    return pd.DataFrame(rows).set_index("dataset")
