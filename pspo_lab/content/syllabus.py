"""The course structure (syllabus parts, assessment format, example cohort) as validated data.

>>> from pspo_lab.content.syllabus import load_syllabus
>>> syllabus = load_syllabus()
>>> [p.id for p in syllabus.parts]
[1, 2, 3, 4, 5, 6, 7, 8, 9]
>>> syllabus.assessment.questions, syllabus.assessment.minutes, syllabus.assessment.pass_mark
(80, 60, 0.85)
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    ValidationError,
    field_validator,
    model_validator,
)

from pspo_lab.content.cohort import Cohort
from pspo_lab.content.packaged import data_file
from pspo_lab.core.errors import DataError, format_pydantic_error
from pspo_lab.core.files import load_yaml

if TYPE_CHECKING:
    from matplotlib.axes import Axes

ResourceType = Literal["blog", "video", "article", "guide", "pdf", "exercise", "assessment",
                       "pathway"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Resource(_Strict):
    """A learning resource of a syllabus part."""

    title: str = Field(min_length=1)
    link: HttpUrl
    minutes: int = Field(gt=0)
    type: ResourceType


class Assignment(_Strict):
    """What learners do between sessions, in our own words."""

    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    examples: list[str] = Field(default_factory=list)


class Part(_Strict):
    """One part of the syllabus, taught in one notebook."""

    id: int = Field(ge=1)
    title: str = Field(min_length=1)
    notebook: str = Field(pattern=r"^\d\d_[a-z0-9_]+$")
    duration: int = Field(gt=0, description="minutes")
    outcome: str = Field(min_length=1)
    recap: str | None = Field(default=None, description="the idea to take away, for the recap")
    aims: list[str] = Field(min_length=1, max_length=4,
                            description="the outcome spelled out as steps sections serve")
    resources: list[Resource] = Field(default_factory=list)
    assignment: Assignment | None = None


class Assessment(_Strict):
    """Format of the certification assessment."""

    name: str
    questions: int = Field(gt=0)
    minutes: int = Field(gt=0)
    pass_mark: float = Field(gt=0, le=1)
    formats: list[str]
    languages: list[str]
    credential: str = Field(min_length=1)
    password: str = Field(min_length=1, description="how the course's password may be used")
    retake: str = Field(min_length=1, description="when a failed attempt is retaken for free")
    renewal: str = Field(min_length=1)
    next_level: str = Field(min_length=1, description="what passing offers towards PSPO II")
    pdus: str = Field(min_length=1, description="whether PMI PDUs can be claimed, and how")
    practice: Resource


class Goal(_Strict):
    """An objective or outcome of the course, with the parts that practise it."""

    text: str = Field(min_length=1, max_length=160)
    parts: list[int] = Field(min_length=1)


class Course(_Strict):
    """Name and code of the course, and what it aims at."""

    title: str
    code: str
    level: str
    case_study: str
    debrief_minutes: int = Field(ge=0, description="minutes of each session kept for debriefs")
    objectives: list[Goal] = Field(min_length=1, description="what learners practise")
    outcomes: list[Goal] = Field(min_length=1, description="what changes where they work")


class Syllabus(_Strict):
    """The whole course structure."""

    course: Course
    assessment: Assessment
    parts: list[Part] = Field(min_length=1)
    example_cohort: Cohort

    @field_validator("parts")
    @classmethod
    def _unique_ids(cls, parts: list[Part]) -> list[Part]:
        ids = [p.id for p in parts]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"part ids must be unique (id {twice[0]} is used more than once)")
        return parts

    @model_validator(mode="after")
    def _consistent(self) -> Syllabus:
        ids = [p.id for p in self.parts]
        unknown = sorted({i for s in self.example_cohort.sessions for i in s.syllabus_ids}
                         - set(ids))
        if unknown:
            raise ValueError(f"example_cohort names syllabus ids {unknown} that no part has")
        for kind in ("objectives", "outcomes"):
            for number, goal in enumerate(getattr(self.course, kind)):
                if missing := sorted(set(goal.parts) - set(ids)):
                    raise ValueError(f"course.{kind}.{number}.parts names part {missing[0]}, "
                                     f"which the syllabus does not have (expected one of {ids})")
        return self

    def part(self, part_id: int) -> Part:
        """The part with id ``part_id``.

        Parameters
        ----------
        part_id
            A syllabus part id (1 for the first module).

        Returns
        -------
        Part
            Its title, notebook, duration, outcome, resources and assignment.

        Raises
        ------
        DataError
            If no part has that id; the message lists the ids there are.

        Examples
        --------
        >>> syllabus = load_syllabus()
        >>> syllabus.part(7).notebook
        '07_releases_and_forecasting'
        >>> syllabus.part(42)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        pspo_lab.DataError: syllabus has no part 42 (expected one of [1, 2, 3, ...])
        """
        for part in self.parts:
            if part.id == part_id:
                return part
        raise DataError(f"syllabus has no part {part_id} (expected one of "
                        f"{[p.id for p in self.parts]})")


def parse_syllabus(text: str, source: str = "syllabus.yaml") -> Syllabus:
    """Validate syllabus YAML text.

    Parameters
    ----------
    text
        The YAML content (keys ``course``, ``assessment``, ``parts``, ``example_cohort``).
    source
        Name used in error messages.

    Returns
    -------
    Syllabus
        The validated course structure.

    Raises
    ------
    DataError
        One line naming ``source`` and the first field that is wrong.

    Examples
    --------
    >>> text = data_file("syllabus.yaml").read_text(encoding="utf-8")
    >>> parse_syllabus(text).course.code
    'PSPO'
    >>> parse_syllabus("- just a list")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: syllabus.yaml: expected a mapping with keys course, assessment, ...
    """
    try:
        data = load_yaml(text, source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise DataError(f"{source}{where}: not valid YAML ({getattr(error, 'problem', error)})"
                        ) from None
    if not isinstance(data, dict):
        raise DataError(f"{source}: expected a mapping with keys course, assessment, parts, "
                        "example_cohort")
    try:
        return Syllabus.model_validate(data)
    except ValidationError as error:
        raise DataError(format_pydantic_error(source, error)) from None


def load_syllabus(path: str | Path | None = None) -> Syllabus:
    """Load and validate the syllabus (default: the packaged ``syllabus.yaml``).

    Examples
    --------
    >>> load_syllabus().part(7).title
    'Releases & Forecasting'
    """
    path = Path(path) if path is not None else data_file("syllabus.yaml")
    return _load_cached(path.resolve())


@lru_cache(maxsize=8)
def _load_cached(path: Path) -> Syllabus:
    if not path.is_file():
        raise DataError(f"{path}: file not found (expected the course syllabus YAML)")
    return parse_syllabus(path.read_text(encoding="utf-8"), source=path.name)


def course_map(syllabus: Syllabus | None = None) -> pd.DataFrame:
    """One row per syllabus part: notebook, title, duration, resources and reading time.

    Examples
    --------
    >>> course_map().loc[7, "notebook"]
    '07_releases_and_forecasting'
    """
    syllabus = syllabus or load_syllabus()
    rows = [{"part": p.id, "notebook": p.notebook, "title": p.title,
             "session_minutes": p.duration, "resources": len(p.resources),
             "resource_minutes": sum(r.minutes for r in p.resources),
             "assignment": p.assignment.title if p.assignment else ""}
            for p in syllabus.parts]
    return pd.DataFrame(rows).set_index("part")


def resources_table(part_id: int, syllabus: Syllabus | None = None) -> pd.DataFrame:
    """The learning resources of one part as a table (title, type, minutes, link).

    Parameters
    ----------
    part_id
        The syllabus part id.
    syllabus
        The syllabus to read; ``None`` loads the course syllabus.

    Returns
    -------
    pandas.DataFrame
        One row per resource in syllabus order; empty (with the same columns) for a part
        without resources.

    Raises
    ------
    DataError
        If the syllabus has no part ``part_id``.

    Examples
    --------
    >>> resources_table(7)[["type", "minutes"]]
        type  minutes
    0   blog       15
    1  guide       15
    2   blog        5
    """
    part = (syllabus or load_syllabus()).part(part_id)
    return pd.DataFrame([{"title": r.title, "type": r.type, "minutes": r.minutes,
                          "link": str(r.link)} for r in part.resources],
                        columns=["title", "type", "minutes", "link"])


def assessment_facts(syllabus: Syllabus | None = None) -> pd.DataFrame:
    """What a learner should know about the PSPO I assessment before sitting it.

    Examples
    --------
    >>> facts = assessment_facts()
    >>> facts.loc["Questions and time", "what to know"]
    '80 questions in 60 minutes'
    >>> facts.loc["Pass mark", "what to know"]
    '85%'
    """
    exam = (syllabus or load_syllabus()).assessment
    rows = {
        "Questions and time": f"{exam.questions} questions in {exam.minutes} minutes",
        "Pass mark": f"{exam.pass_mark:.0%}",
        "Question types": ", ".join(exam.formats),
        "Languages": ", ".join(exam.languages),
        "Password": exam.password,
        "Retake": exam.retake,
        "Credential": exam.credential,
        "Renewal": exam.renewal,
        "After passing": exam.next_level,
        "PMI PDUs": exam.pdus,
        "Free practice": f"{exam.practice.title} ({exam.practice.link})",
    }
    return pd.DataFrame({"what to know": rows}).rename_axis("fact")


def course_goals(syllabus: Syllabus | None = None) -> pd.DataFrame:
    """The course's objectives and outcomes, each with the notebooks that practise it.

    Parameters
    ----------
    syllabus
        The syllabus to read; ``None`` loads the course syllabus.

    Returns
    -------
    pandas.DataFrame
        One row per goal: ``kind`` ("objective" or "outcome"), ``goal`` (the text) and
        ``notebooks`` (the numbers of the notebooks that practise it, e.g. ``"02, 06"``).

    Examples
    --------
    >>> goals = course_goals()
    >>> goals["kind"].value_counts().to_dict()
    {'objective': 11, 'outcome': 4}
    >>> goals.iloc[1].tolist()
    ['objective', 'Think in products rather than in projects', '01']
    """
    syllabus = syllabus or load_syllabus()
    notebook = {p.id: p.notebook[:2] for p in syllabus.parts}
    rows = [{"kind": kind.rstrip("s"), "goal": goal.text,
             "notebooks": ", ".join(notebook[i] for i in goal.parts)}
            for kind in ("objectives", "outcomes") for goal in getattr(syllabus.course, kind)]
    return pd.DataFrame(rows, columns=["kind", "goal", "notebooks"])


def course_recap(syllabus: Syllabus | None = None) -> pd.DataFrame:
    """One row per taught part: its title, the idea to take away and its notebook.

    Examples
    --------
    >>> recap = course_recap()
    >>> recap.index.tolist()
    [1, 2, 3, 4, 5, 6, 7]
    >>> recap.loc[4, "notebook"]
    '04_empiricism.ipynb'
    """
    rows = [{"part": p.id, "title": p.title, "idea to take away": p.recap,
             "notebook": f"{p.notebook}.ipynb"}
            for p in (syllabus or load_syllabus()).parts if p.recap]
    return pd.DataFrame(rows).set_index("part")


def plot_course_map(syllabus: Syllabus | None = None, ax: Axes | None = None) -> Axes:
    """Bar chart of session time and reading/watching time per syllabus part.

    Examples
    --------
    >>> ax = plot_course_map()
    >>> len(ax.patches)
    18
    """
    import matplotlib.pyplot as plt

    table = course_map(syllabus)
    if ax is None:
        # constrained layout keeps the whole part titles and the legend inside the figure
        _, ax = plt.subplots(figsize=(10, 5), layout="constrained")
    labels = [f"{i}. {t}" for i, t in zip(table.index, table["title"], strict=True)]
    positions = range(len(table))
    ax.barh([p + 0.2 for p in positions], table["session_minutes"], height=0.4,
            label="session (min)", color="#749335")
    ax.barh([p - 0.2 for p in positions], table["resource_minutes"], height=0.4,
            label="resources to read or watch (min)", color="#9bb7d4")
    ax.set_yticks(list(positions), labels)
    ax.invert_yaxis()
    ax.set_xlabel("minutes")
    ax.set_title("The course at a glance")
    # below the chart, where it covers no bar
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2, frameon=False)
    return ax
