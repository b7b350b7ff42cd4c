"""A cohort: one run of the course for a group of learners, with its sessions and parameters.

>>> from pspo_lab.content.syllabus import load_syllabus
>>> cohort = load_syllabus().example_cohort
>>> cohort.timezone, [s.syllabus_ids for s in cohort.sessions]
('Europe/London', [[1, 2, 3], [4, 5, 6]])
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from pspo_lab.core.errors import DataError, ParameterError, format_pydantic_error
from pspo_lab.core.files import load_yaml

COHORT_ID = r"^[a-z0-9][a-z0-9_-]{0,63}$"
#: Where the course lives; the default repository of nbgitpuller links and the Binder badge.
REPOSITORY_URL = "https://github.com/pspo-lab/pspo-lab"
#: The years a course date may fall in: a typo such as 2205 or 0205 is refused.
FIRST_YEAR, LAST_YEAR = 2000, 2099
_CSV_KEY = re.compile(r"^[a-z][a-z0-9_]*_csv$")


class Session(BaseModel):
    """One teaching session: local start and end (in the cohort's timezone) and its parts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: dt.datetime
    end: dt.datetime
    syllabus_ids: list[int] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Session:
        if (self.start.tzinfo is None) != (self.end.tzinfo is None):
            raise ValueError("one session time has a UTC offset and the other not (expected "
                             "local times in the cohort's timezone, or an offset on both)")
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

    seed: int = Field(default=42, ge=0, le=2**32 - 1, strict=True)
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

    @model_validator(mode="before")
    @classmethod
    def _local_times(cls, data: object) -> object:
        """Session times written with a UTC offset become local times of the cohort."""
        if not isinstance(data, dict) or not isinstance(data.get("sessions"), list):
            return data
        try:
            zone = ZoneInfo(str(data.get("timezone")))
        except (ZoneInfoNotFoundError, ValueError):
            return data
        sessions = []
        for session in data["sessions"]:
            if isinstance(session, dict):
                session = {key: _local(value, zone) if key in ("start", "end") else value
                           for key, value in session.items()}
            sessions.append(session)
        return {**data, "sessions": sessions}

    @model_validator(mode="after")
    def _real_times(self) -> Cohort:
        zone = ZoneInfo(self.timezone)
        if not FIRST_YEAR <= self.start_date.year <= LAST_YEAR:
            raise ValueError(f"start_date {self.start_date} is not usable (expected a date "
                             f"from {FIRST_YEAR} to {LAST_YEAR})")
        for number, session in enumerate(self.sessions):
            for moment in (session.start, session.end):
                if not FIRST_YEAR <= moment.year <= LAST_YEAR:
                    raise ValueError(f"sessions.{number}: {moment:%Y-%m-%d %H:%M} is not "
                                     f"usable (expected a time from {FIRST_YEAR} to {LAST_YEAR})")
                if not exists(moment, zone):
                    raise ValueError(f"sessions.{number}: {moment:%Y-%m-%d %H:%M} does not "
                                     f"exist in {self.timezone} (the clocks skip it when "
                                     "daylight saving time starts)")
        return self

    @model_validator(mode="after")
    def _nosession_overlap(self) -> Cohort:
        problem = session_overlap(self.sessions)
        if problem:
            raise ValueError(problem)
        return self

    def part_ids(self) -> list[int]:
        """The syllabus ids the sessions cover, each once, in teaching order."""
        ordered = sorted(self.sessions, key=lambda s: s.start)
        return list(dict.fromkeys(i for s in ordered for i in s.syllabus_ids))


def session_overlap(sessions: list[Session]) -> str | None:
    """A sentence naming the first two sessions that overlap in time, or ``None``.

    Examples
    --------
    >>> from pspo_lab.content.syllabus import load_syllabus
    >>> session_overlap(load_syllabus().example_cohort.sessions) is None
    True
    """
    offsets = {m.tzinfo is None for s in sessions for m in (s.start, s.end)}
    if len(offsets) > 1:
        return ("some session times have a UTC offset and others not (expected local times "
                "in the cohort's timezone, or an offset on every time)")
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
            "hours": round((end.astimezone(dt.UTC) - start.astimezone(dt.UTC))
                           .total_seconds() / 3600, 2),
            "parts": ", ".join(titles.get(i, str(i)) if titles else str(i)
                               for i in session.syllabus_ids),
        })
    return pd.DataFrame(rows)


def _localise(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def _local(value: object, zone: ZoneInfo) -> object:
    """A session time with a UTC offset as a local time of ``zone``; others unchanged."""
    try:
        moment = TypeAdapter(dt.datetime).validate_python(value)
    except ValidationError:
        return value
    if moment.tzinfo is None:
        return value
    return moment.astimezone(zone).replace(tzinfo=None)


def exists(moment: dt.datetime, zone: ZoneInfo) -> bool:
    """Whether a local time happens in ``zone`` (not skipped when clocks go forward).

    Examples
    --------
    >>> exists(dt.datetime(2026, 3, 29, 1, 30), ZoneInfo("Europe/London"))
    False
    >>> exists(dt.datetime(2026, 3, 29, 2, 30), ZoneInfo("Europe/London"))
    True
    """
    if moment.tzinfo is not None:
        return True
    there = moment.replace(tzinfo=zone)
    return there.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) == moment


def parse_cohort(text: str, source: str) -> Cohort:
    """Validate cohort YAML text; errors name ``source`` and the field.

    Only the file's own shape is checked (keys, types, timezone, session times); whether the
    syllabus ids and data files exist is left to
    :func:`~pspo_lab.content.cohort_files.check_cohort`.

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
    data = load_yaml(text, source)
    if not isinstance(data, dict):
        raise DataError(f"{source}: expected a mapping with keys id, title, timezone, sessions")
    try:
        return Cohort.model_validate(data)
    except ValidationError as error:
        raise DataError(format_pydantic_error(source, error)) from None


def hub_link(hub_url: str, repository: str = REPOSITORY_URL, branch: str = "main",
             notebook: str = "notebooks/00_welcome.ipynb") -> str:
    """An nbgitpuller link that clones the course into each learner's JupyterHub home.

    The folder is named in the link (``targetpath``): nbgitpuller would otherwise name it
    after the last part of the repository URL as it is, ``.git`` and all, and the notebook
    the link opens would not be found.

    Examples
    --------
    >>> hub_link("https://hub.example.org/")  # doctest: +NORMALIZE_WHITESPACE
    'https://hub.example.org/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fpspo-lab%2Fpspo-lab&branch=main&targetpath=pspo-lab&urlpath=lab%2Ftree%2Fpspo-lab%2Fnotebooks%2F00_welcome.ipynb'
    """

    parts = urlsplit(hub_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ParameterError(f"hub URL {hub_url!r} is not usable (expected e.g. "
                             "https://hub.example.org)")
    folder = repository.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1]
    return (f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?repo={quote(repository, safe='')}"
            f"&branch={quote(branch, safe='')}&targetpath={quote(folder, safe='')}"
            f"&urlpath={quote(f'lab/tree/{folder}/{notebook}', safe='')}")
