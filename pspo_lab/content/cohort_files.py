"""Cohort files as trainers write them: found by name, checked against the syllabus, scaffolded.

These functions need the syllabus (its part ids and example cohort); the cohort model itself
lives in :mod:`pspo_lab.content.cohort`, which the syllabus builds on.

>>> load_cohort("apac-evening").timezone
'Asia/Singapore'
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ValidationError

from pspo_lab.content.cohort import (
    COHORT_ID,
    FIRST_YEAR,
    LAST_YEAR,
    Cohort,
    CohortParameters,
    Session,
    parse_cohort,
    session_overlap,
)
from pspo_lab.content.packaged import data_file
from pspo_lab.content.syllabus import load_syllabus
from pspo_lab.core.errors import DataError, ParameterError, place_field
from pspo_lab.core.files import load_yaml, read_text

#: Range of first-session dates ``cohort new`` accepts.
FIRST_DAY, LAST_DAY = dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)


def load_cohort(cohort: str) -> Cohort:
    """The cohort named by a notebook's ``cohort`` parameter.

    ``"example"`` is the example event of the syllabus; another name is looked up as
    ``datasets/cohorts/<name>.yaml``; anything ending in ``.yaml``/``.yml`` is a file path.

    Examples
    --------
    >>> load_cohort("example").location
    'Virtual'
    >>> load_cohort("apac-evening").timezone
    'Asia/Singapore'
    """
    if cohort == "example":
        return load_syllabus().example_cohort
    path = Path(cohort) if cohort.endswith((".yaml", ".yml")) else (
        data_file("cohorts") / f"{cohort}.yaml")
    if not path.is_file():
        known = sorted(p.stem for p in (data_file("cohorts")).glob("*.yaml"))
        raise ParameterError(f"cohort parameter: {cohort!r} not found as {path} (expected "
                             f"'example', one of {known}, or a path to a cohort .yaml file)")
    return read_cohort_file(path)


def _expected_keys(loc: tuple) -> str:
    if loc[:1] == ("sessions",) and len(loc) == 3:
        names = Session.model_fields
    elif loc[:1] == ("parameters",):
        names = ["seed", "workspace", "<name>_csv"]
    else:
        names = Cohort.model_fields
    return ", ".join(names)


def _describe(source: str, problem: dict[str, Any]) -> str:
    loc = tuple(problem["loc"])
    where = ".".join(str(p) for p in loc) or "(top level)"
    kind = problem["type"]
    if kind == "extra_forbidden":
        return (f"{source} field '{where}': unknown key (expected one of "
                f"{_expected_keys(loc)})")
    if kind == "missing":
        return f"{source} field '{where}': required key is missing"
    where, message = place_field(where, problem["msg"].removeprefix("Value error, "))
    got = problem.get("input")
    got_text = f" (got {got!r})" if got is not None and not isinstance(got, dict | list) else ""
    return f"{source} field '{where}': {message}{got_text}"


def check_cohort(path: str | Path, syllabus: Any = None) -> list[str]:
    """Every problem of a cohort file, one line each naming file, field and what was expected.

    Checks the YAML, unknown keys, types, the timezone, inverted or overlapping sessions,
    syllabus ids that do not exist and data files (``*_csv`` parameters) that are missing.

    Parameters
    ----------
    path
        The cohort YAML file.
    syllabus
        The :class:`~pspo_lab.content.syllabus.Syllabus` whose part ids are valid (default: the
        course syllabus).

    Returns
    -------
    list of str
        Empty when the file is fine.

    Examples
    --------
    >>> from pspo_lab.content.packaged import data_file
    >>> check_cohort(data_file("cohorts") / "apac-evening.yaml")
    []
    >>> check_cohort("nowhere.yaml")
    ["nowhere.yaml: file not found (expected a cohort YAML file, see 'pspo-lab cohort new')"]
    """

    path = Path(path)
    source = str(path)
    if not path.is_file():
        return [f"{source}: file not found (expected a cohort YAML file, see "
                "'pspo-lab cohort new')"]
    try:
        data = load_yaml(read_text(path, "a cohort YAML file"), source)
    except DataError as error:
        return [str(error)]
    if not isinstance(data, dict):
        return [f"{source}: expected a mapping with keys {', '.join(Cohort.model_fields)}"]
    try:
        cohort = Cohort.model_validate(data)
    except ValidationError as error:
        # Report the schema problems, then check whatever parts are valid on their own, so
        # a trainer sees every problem of the file in one run.
        problems = [_describe(source, p) for p in error.errors()]
        raw_sessions = data.get("sessions") if isinstance(data.get("sessions"), list) else []
        sessions = [s for s in map(_valid_or_none(Session), raw_sessions) if s is not None]
        overlap = session_overlap(sessions)
        if overlap and not any(overlap in p for p in problems):
            problems.append(f"{source} field 'sessions': {overlap}")
        parameters = _valid_or_none(CohortParameters)(data.get("parameters") or {})
        return problems + _reference_problems(source, path, raw_sessions, parameters, syllabus)
    sessions_data = [s.model_dump() for s in cohort.sessions]
    return _reference_problems(source, path, sessions_data, cohort.parameters, syllabus)


def _valid_or_none(model: type[BaseModel]) -> Any:
    def validate(value: Any) -> Any:
        try:
            return model.model_validate(value)
        except ValidationError:
            return None
    return validate


def _reference_problems(source: str, path: Path, sessions: list[Any],
                        parameters: CohortParameters | None, syllabus: Any) -> list[str]:
    """Syllabus ids that do not exist, data files that are missing, a workspace that is a file."""

    syllabus = syllabus or load_syllabus()
    known = [p.id for p in syllabus.parts]
    problems = []
    for number, session in enumerate(sessions):
        ids = session.get("syllabus_ids") if isinstance(session, dict) else None
        unknown = [i for i in ids if isinstance(i, int) and i not in known] if isinstance(
            ids, list) else []
        if unknown:
            problems.append(f"{source} field 'sessions.{number}.syllabus_ids': syllabus ids "
                            f"{unknown} do not exist (expected ids {known[0]}-{known[-1]})")
    if parameters is None:
        return problems
    for key, value in parameters.csv_files().items():
        target = path.parent / value
        if not target.is_file():
            problems.append(f"{source} field 'parameters.{key}': file {value!r} not found "
                            f"(expected a CSV file at {target}, relative to the cohort file)")
    folder = parameters.workspace
    if folder is not None and (path.parent / folder).is_file():
        problems.append(f"{source} field 'parameters.workspace': {folder!r} is a file "
                        "(expected a folder of saved work)")
    return problems


def scaffold_cohort(cohort_id: str, start_date: dt.date, timezone: str = "UTC",
                    syllabus: Any = None) -> str:
    """YAML text of a new cohort: two parts per four-hour session, a catch-up two weeks later.

    Parameters
    ----------
    cohort_id
        Lower-case letters, digits, ``-`` and ``_`` (it names the output folder).
    start_date
        Day of the first session; one session a day follows, weekends skipped.
    timezone
        IANA timezone of the session times.

    Examples
    --------
    >>> text = scaffold_cohort("spring-2026", dt.date(2026, 4, 6), "Europe/Berlin")
    >>> parse_cohort(text, "spring-2026.yaml").sessions[-1].syllabus_ids
    [9]
    """

    if not re.fullmatch(COHORT_ID.strip("^$"), cohort_id):
        raise ParameterError(f"cohort id {cohort_id!r} is not usable (expected lower-case "
                             "letters, digits, '-' or '_', starting with a letter or digit)")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ParameterError(f"timezone {timezone!r} is not an IANA timezone such as "
                             "'Europe/London'") from None
    if not FIRST_DAY <= start_date <= LAST_DAY:
        raise ParameterError(f"start date {start_date} is not usable (expected a date between "
                             f"{FIRST_DAY} and {LAST_DAY})")
    ids = [p.id for p in (syllabus or load_syllabus()).parts]
    taught, catchup = ids[:-1], ids[-1:]
    day, lines = start_date, []
    for first in range(0, len(taught), 2):
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        lines.append(f'  - {{start: "{day}T09:00:00", end: "{day}T13:00:00", '
                     f"syllabus_ids: {taught[first:first + 2]}}}")
        last, day = day, day + dt.timedelta(days=1)
    later = last + dt.timedelta(days=14)
    lines.append(f'  - {{start: "{later}T09:00:00", end: "{later}T11:00:00", '
                 f"syllabus_ids: {catchup}}}")
    return "\n".join([
        f"# Cohort {cohort_id}: check it with 'pspo-lab cohort check {cohort_id}.yaml'.",
        f"id: {cohort_id}",
        f"title: PSPO class {cohort_id}",
        "trainer: Course trainer",
        "location: Virtual",
        f"start_date: {start_date}",
        f"timezone: {timezone}",
        "# Local times in the timezone above; syllabus_ids are parts of datasets/syllabus.yaml.",
        "sessions:", *lines,
        "parameters:",
        "  seed: 42           # another seed gives the class its own case-study numbers",
        "  workspace: null    # folder of saved learner work the notebooks read (null: none)",
        "  # items_csv: team/work_items.csv   # your team's own CSV, relative to this file",
        "",
    ])


def read_cohort_file(path: str | Path) -> Cohort:
    """A cohort file that passes :func:`check_cohort`.

    Raises
    ------
    DataError
        With the first problem and the number of further ones.

    Examples
    --------
    >>> from pspo_lab.content.packaged import data_file
    >>> read_cohort_file(data_file("cohorts") / "apac-evening.yaml").parameters.seed
    7
    """
    problems = check_cohort(path)
    if problems:
        more = f" (and {len(problems) - 1} more problem(s); run 'pspo-lab cohort check')" \
            if len(problems) > 1 else ""
        raise DataError(problems[0] + more)
    return parse_cohort(read_text(path, "a cohort YAML file"), str(path))
