"""Errors written for people: one line naming the file, the place and what was expected."""

from __future__ import annotations

import difflib
import re


class PspoLabError(Exception):
    """Base class of every error pspo-lab raises on purpose.

    The message is one line a learner or trainer can act on. In notebooks,
    :func:`pspo_lab.widgets.notebook.setup` shows it without a traceback.
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


# People meet these errors as ``pspo_lab.DataError`` (the top-level package exports them),
# so tracebacks and doctests name them there rather than by this module's path.
for _error in (PspoLabError, DataError, ParameterError):
    _error.__module__ = "pspo_lab"


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
    first, message = problems[0], problems[0]["msg"]
    misspelt = _misspelt_key(problems)
    if misspelt is not None:
        first, message, resembled = misspelt
        # the missing key it resembles is the same mistake, not a further problem
        problems = [p for p in problems if not (p["type"] == "missing"
                                                 and tuple(p["loc"]) == resembled)]
    where = ".".join(str(p) for p in first["loc"]) or "(top level)"
    where, message = place_field(where, message)
    got = first.get("input")
    got_text = ""
    if got is not None and not isinstance(got, dict | list):
        shown = repr(got)
        got_text = f" (got {shown if len(shown) <= 60 else shown[:57] + '...'})"
    more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
    return f"{source} field '{where}': {message}{got_text}{more}"


def place_field(where: str, message: str) -> tuple[str, str]:
    """A whole-model check that names its own field (``"sessions.2: ..."``) is placed there.

    Examples
    --------
    >>> place_field("(top level)", "Value error, sessions.2: 02:15 does not exist")
    ('sessions.2', '02:15 does not exist')
    """
    found = re.match(r"^(?:Value error, )?([a-z_]+(?:\.\d+)+): (.*)$", message)
    if where == "(top level)" and found:
        return found.group(1), found.group(2)
    return where, message


def _misspelt_key(problems: list[dict]) -> tuple[dict, str, tuple] | None:
    """An unknown key that looks like a required key missing beside it (``duraton``)."""
    for extra in (p for p in problems if p["type"] == "extra_forbidden"):
        parent, key = tuple(extra["loc"][:-1]), str(extra["loc"][-1])
        missing = [str(p["loc"][-1]) for p in problems
                   if p["type"] == "missing" and tuple(p["loc"][:-1]) == parent]
        close = difflib.get_close_matches(key, missing, n=1)
        if close:
            return ({"loc": extra["loc"]}, f"unknown key (did you mean '{close[0]}'?)",
                    (*parent, close[0]))
    return None
