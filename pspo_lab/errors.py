"""Errors written for people: one line naming the file, the place and what was expected."""

from __future__ import annotations


class PspoLabError(Exception):
    """Base class of every error pspo-lab raises on purpose.

    The message is one line a learner or trainer can act on. In notebooks,
    :func:`pspo_lab.notebook.setup` shows it without a traceback.
    """


class DataError(PspoLabError, ValueError):
    """A data file (CSV, YAML, JSON) or a DataFrame does not have the expected content.

    Examples
    --------
    >>> DataError("work_items.csv row 17, column 'done': '2025-13-02' is not a date")
    DataError("work_items.csv row 17, column 'done': '2025-13-02' is not a date")
    """


class ParameterError(PspoLabError, ValueError):
    """A notebook or command-line parameter has a value that cannot be used."""


def format_pydantic_error(source: str, error: Exception) -> str:
    """Turn a pydantic ``ValidationError`` into one line naming source and field.

    Parameters
    ----------
    source
        What was being read, e.g. ``"syllabus.yaml"``.
    error
        The ``pydantic.ValidationError``.

    Returns
    -------
    str
        ``"<source> field 'parts.2.duration': Input should be a valid integer (got 'two')"``,
        plus a count of further problems when there are several.
    """
    problems = error.errors()  # type: ignore[attr-defined]
    first = problems[0]
    where = ".".join(str(p) for p in first["loc"]) or "(top level)"
    got = first.get("input")
    got_text = ""
    if got is not None and not isinstance(got, dict | list):
        shown = repr(got)
        got_text = f" (got {shown if len(shown) <= 60 else shown[:57] + '...'})"
    more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
    return f"{source} field '{where}': {first['msg']}{got_text}{more}"
