"""A cohort: one run of the course for a group of learners, with its sessions and parameters.

>>> from pspo_lab.syllabus import load_syllabus
>>> cohort = load_syllabus().example_cohort
>>> cohort.timezone, [s.syllabus_ids for s in cohort.sessions]
('Europe/London', [[1, 2, 3], [4, 5, 6]])
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


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


class Cohort(BaseModel):
    """A group of learners taking the course together."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
    title: str = Field(min_length=1)
    trainer: str = ""
    location: str = ""
    start_date: dt.date
    timezone: str
    sessions: list[Session] = Field(min_length=1)

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
        ordered = sorted(self.sessions, key=lambda s: s.start)
        for before, after in zip(ordered, ordered[1:], strict=False):
            if after.start < before.end:
                raise ValueError(f"sessions overlap: {before.start:%Y-%m-%d %H:%M} to "
                                 f"{before.end:%H:%M} and {after.start:%Y-%m-%d %H:%M}")
        return self


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
    >>> from pspo_lab.syllabus import load_syllabus
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
    """Validate cohort YAML text; errors name ``source`` and the field."""
    import yaml
    from pydantic import ValidationError

    from .errors import DataError, format_pydantic_error

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

    from .datasets import datasets_dir
    from .errors import ParameterError
    from .syllabus import load_syllabus

    if cohort == "example":
        return load_syllabus().example_cohort
    path = Path(cohort) if cohort.endswith((".yaml", ".yml")) else (
        datasets_dir() / "cohorts" / f"{cohort}.yaml")
    if not path.is_file():
        known = sorted(p.stem for p in (datasets_dir() / "cohorts").glob("*.yaml"))
        raise ParameterError(f"cohort parameter: {cohort!r} not found as {path} (expected "
                             f"'example', one of {known}, or a path to a cohort .yaml file)")
    return parse_cohort(path.read_text(encoding="utf-8"), path.name)
