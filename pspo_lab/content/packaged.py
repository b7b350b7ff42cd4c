"""Where the course data that ships inside the package lives.

Everything the notebooks read at run time (syllabus, case-study tables, cohort examples,
question bank, references) is package data under ``pspo_lab/content/data/``. It is found
next to this module, so the package works the same from a checkout, an editable install or
a built wheel, from any working directory.

>>> data_file("syllabus.yaml").name
'syllabus.yaml'
"""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def data_file(*parts: str) -> Path:
    """Path of a packaged data file or folder, e.g. ``data_file("cohorts", "x.yaml")``.

    Parameters
    ----------
    *parts
        Path components below ``pspo_lab/content/data``.

    Returns
    -------
    Path
        The path; it is not checked for existence (callers report a missing file).

    Examples
    --------
    >>> data_file("casestudy", "work_items.csv").is_file()
    True
    """
    return DATA_DIR.joinpath(*parts)
