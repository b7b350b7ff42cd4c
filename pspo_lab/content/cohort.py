"""A cohort: one run of the course for a group of learners, with its sessions and parameters.

>>> from pspo_lab.content.syllabus import load_syllabus
>>> cohort = load_syllabus().example_cohort
>>> cohort.timezone, [s.syllabus_ids for s in cohort.sessions]
('Europe/London', [[1, 2, 3], [4, 5, 6]])
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

COHORT_ID = r"^[a-z0-9][a-z0-9_-]{0,63}$"
#: Where the course lives; the default repository of nbgitpuller links and the Binder badge.
REPOSITORY_URL = "https://github.com/pspo-lab/pspo-lab"
_CSV_KEY = re.compile(r"^[a-z][a-z0-9_]*_csv$")


class Session(BaseModel):
    """One teaching session: local start and end (in the cohort's timezone) and its parts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: dt.datetime
    end: dt.datetime
    syllabus_ids: list[int] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Session:
        if self.end <= self.start:
            raise ValueError(f"session ends ({self.end:%Y-%m-%d %H:%M}) before it starts "
                             f"({self.start:%Y-%m-%d %H:%M})")
        return self


class CohortParameters(BaseModel):
    """Notebook parameters shared by every notebook of a cohort.

    ``seed`` gives the cohort its own case-study numbers; ``workspace`` is a folder of saved
    learner work the notebooks read (``None``: an empty one, so hand-outs never show anyone's
    saved work); every other key must
    end in ``_csv`` and names one of the team's own CSV files (e.g. ``items_csv``), passed to
    the notebooks that define a parameter of that name. Paths are relative to the cohort file.

    Examples
    --------
    >>> CohortParameters(seed=7, items_csv="team/items.csv").csv_files()
    {'items_csv': 'team/items.csv'}
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    seed: int = Field(default=42, ge=0)
    workspace: str | None = None

    @model_validator(mode="after")
    def _csv_paths(self) -> CohortParameters:
        for key, value in (self.model_extra or {}).items():
            if not _CSV_KEY.match(key):
                raise ValueError(f"unknown key {key!r} (expected seed, workspace or a name "
                                 "ending in _csv for one of your CSV files)")
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{key}: {value!r} is not a file path (expected e.g. "
                                 f"{key}: team/{key[:-4]}.csv)")
        return self

    def csv_files(self) -> dict[str, str]:
        """The ``*_csv`` parameters and their paths, as written in the cohort file."""
        return dict(sorted((self.model_extra or {}).items()))


class Cohort(BaseModel):
    """A group of learners taking the course together."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=COHORT_ID)
    title: str = Field(min_length=1)
    trainer: str = ""
    location: str = ""
    start_date: dt.date
    timezone: str
    sessions: list[Session] = Field(min_length=1)
    parameters: CohortParameters = Field(default_factory=CohortParameters)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA timezone such as 'Europe/London'"
                             ) from None
        return value

    @model_validator(mode="after")
    def _no_overlap(self) -> Cohort:
        problem = _overlap(self.sessions)
        if problem:
            raise ValueError(problem)
        return self

    def part_ids(self) -> list[int]:
        """The syllabus ids the sessions cover, each once, in teaching order."""
        ordered = sorted(self.sessions, key=lambda s: s.start)
        return list(dict.fromkeys(i for s in ordered for i in s.syllabus_ids))


def _overlap(sessions: list[Session]) -> str | None:
    ordered = sorted(sessions, key=lambda s: s.start)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.start < before.end:
            return (f"sessions overlap: {before.start:%Y-%m-%d %H:%M} to "
                    f"{before.end:%H:%M} and {after.start:%Y-%m-%d %H:%M}")
    return None


def agenda(cohort: Cohort, titles: dict[int, str] | None = None,
           display_timezone: str | None = None) -> pd.DataFrame:
    """The cohort's sessions as a table, with times in the cohort's (or another) timezone.

    Parameters
    ----------
    cohort
        The cohort.
    titles
        Part titles by syllabus id, to list what each session covers.
    display_timezone
        Show times in this IANA timezone instead (e.g. a learner's own).

    Examples
    --------
    >>> from pspo_lab.content.syllabus import load_syllabus
    >>> agenda(load_syllabus().example_cohort).loc[0, "starts"]
    'Fri 07 Nov 2025 09:00 GMT'
    """
    zone = ZoneInfo(cohort.timezone)
    shown = ZoneInfo(display_timezone) if display_timezone else zone
    rows = []
    for number, session in enumerate(sorted(cohort.sessions, key=lambda s: s.start), 1):
        start = _localise(session.start, zone).astimezone(shown)
        end = _localise(session.end, zone).astimezone(shown)
        rows.append({
            "session": number,
            "starts": start.strftime("%a %d %b %Y %H:%M %Z"),
            "ends": end.strftime("%H:%M %Z"),
            "hours": round((end - start).total_seconds() / 3600, 2),
            "parts": ", ".join(titles.get(i, str(i)) if titles else str(i)
                               for i in session.syllabus_ids),
        })
    return pd.DataFrame(rows)


def _localise(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def parse_cohort(text: str, source: str) -> Cohort:
    """Validate cohort YAML text; errors name ``source`` and the field.

    Only the file's own shape is checked (keys, types, timezone, session times); whether the
    syllabus ids and data files exist is left to :func:`check_cohort`.

    Parameters
    ----------
    text
        The YAML content of a cohort file.
    source
        Name used in error messages, usually the file name.

    Returns
    -------
    Cohort
        The validated cohort.

    Raises
    ------
    DataError
        If the text is not YAML, not a mapping, or a field is missing, unknown or invalid;
        only the first problem is reported.

    Examples
    --------
    >>> text = "\\n".join([
    ...     "id: spring",
    ...     "title: Spring cohort",
    ...     "start_date: 2026-03-02",
    ...     "timezone: Europe/Berlin",
    ...     "sessions:",
    ...     "  - {start: 2026-03-02 09:00, end: 2026-03-02 13:00, syllabus_ids: [0, 1]}"])
    >>> cohort = parse_cohort(text, "spring.yaml")
    >>> cohort.part_ids(), cohort.parameters.seed
    ([0, 1], 42)
    >>> parse_cohort(text.replace("Europe/Berlin", "Berlin"), "spring.yaml")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: spring.yaml field 'timezone': ... is not an IANA timezone ...
    """
    import yaml
    from pydantic import ValidationError

    from pspo_lab.core.errors import DataError, format_pydantic_error

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DataError(f"{source}: not valid YAML ({getattr(error, 'problem', error)})"
                        ) from None
    if not isinstance(data, dict):
        raise DataError(f"{source}: expected a mapping with keys id, title, timezone, sessions")
    try:
        return Cohort.model_validate(data)
    except ValidationError as error:
        raise DataError(format_pydantic_error(source, error)) from None


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
    from pathlib import Path

    from pspo_lab.content.packaged import data_file
    from pspo_lab.content.syllabus import load_syllabus
    from pspo_lab.core.errors import ParameterError

    if cohort == "example":
        return load_syllabus().example_cohort
    path = Path(cohort) if cohort.endswith((".yaml", ".yml")) else (
        data_file("cohorts") / f"{cohort}.yaml")
    if not path.is_file():
        known = sorted(p.stem for p in (data_file("cohorts")).glob("*.yaml"))
        raise ParameterError(f"cohort parameter: {cohort!r} not found as {path} (expected "
                             f"'example', one of {known}, or a path to a cohort .yaml file)")
    return parse_cohort(path.read_text(encoding="utf-8"), path.name)


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
    message = problem["msg"].removeprefix("Value error, ")
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
    import yaml

    path = Path(path)
    source = str(path)
    if not path.is_file():
        return [f"{source}: file not found (expected a cohort YAML file, see "
                "'pspo-lab cohort new')"]
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        return [f"{source}{where}: not valid YAML ({getattr(error, 'problem', error)})"]
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
        overlap = _overlap(sessions)
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
    from pspo_lab.content.syllabus import load_syllabus

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
    from pspo_lab.core.errors import DataError

    problems = check_cohort(path)
    if problems:
        more = f" (and {len(problems) - 1} more problem(s); run 'pspo-lab cohort check')" \
            if len(problems) > 1 else ""
        raise DataError(problems[0] + more)
    return parse_cohort(Path(path).read_text(encoding="utf-8"), str(path))


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
    from pspo_lab.content.syllabus import load_syllabus
    from pspo_lab.core.errors import ParameterError

    if not re.match(COHORT_ID, cohort_id):
        raise ParameterError(f"cohort id {cohort_id!r} is not usable (expected lower-case "
                             "letters, digits, '-' or '_', starting with a letter or digit)")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ParameterError(f"timezone {timezone!r} is not an IANA timezone such as "
                             "'Europe/London'") from None
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


def hub_link(hub_url: str, repository: str = REPOSITORY_URL, branch: str = "main",
             notebook: str = "notebooks/00_welcome.ipynb") -> str:
    """An nbgitpuller link that clones the course into each learner's JupyterHub home.

    Examples
    --------
    >>> hub_link("https://hub.example.org/")  # doctest: +NORMALIZE_WHITESPACE
    'https://hub.example.org/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fpspo-lab%2Fpspo-lab&branch=main&urlpath=lab%2Ftree%2Fpspo-lab%2Fnotebooks%2F00_welcome.ipynb'
    """
    from pspo_lab.core.errors import ParameterError

    parts = urlsplit(hub_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ParameterError(f"hub URL {hub_url!r} is not usable (expected e.g. "
                             "https://hub.example.org)")
    folder = repository.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1]
    return (f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?repo={quote(repository, safe='')}"
            f"&branch={quote(branch, safe='')}"
            f"&urlpath={quote(f'lab/tree/{folder}/{notebook}', safe='')}")
