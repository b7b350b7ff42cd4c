"""The blueprint of a practice exam: questions per PSPO I focus area, and caps.

The blueprint is data, ``pspo_lab/content/data/blueprint.yaml``: each focus area (Product
Value, Product Backlog Management, ..., Scrum theory and the framework) gets a number of the
80 questions and is fed by one or more bank topics; caps limit item kinds per exam (Kanban
flow items, named techniques from outside the Guides). The draw itself is
:func:`pspo_lab.analysis.sessions.draw_exam`.

>>> blueprint = load_blueprint()
>>> blueprint.questions, blueprint.area_of("events").title
(80, 'Scrum theory and the framework')
>>> [(cap.name, cap.at_most) for cap in blueprint.caps]
[('flow', 2), ('named-technique', 2)]
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pspo_lab.content.packaged import data_file
from pspo_lab.content.question_bank import TOPICS, Question
from pspo_lab.core.errors import DataError, format_pydantic_error
from pspo_lab.core.files import load_yaml, read_text


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FocusArea(_Strict):
    """A focus area: its id, title, questions per exam and the bank topics feeding it."""

    id: str
    title: str
    questions: int = Field(ge=0)
    topics: list[str] = Field(min_length=1)


class Cap(_Strict):
    """At most ``at_most`` questions per exam of one ``topic`` or one ``basis``."""

    name: str
    at_most: int = Field(ge=0)
    topic: str | None = None
    basis: Literal["guide", "practice"] | None = None

    @model_validator(mode="after")
    def _one_selector(self) -> Cap:
        if (self.topic is None) == (self.basis is None):
            raise ValueError(f"cap {self.name!r} names exactly one of 'topic' or 'basis'")
        return self

    def applies_to(self, question: Question) -> bool:
        """Whether ``question`` counts against this cap.

        Examples
        --------
        >>> cap = Cap(name="techniques", basis="practice", at_most=2)
        >>> q = Question(id="BS-001", type="truefalse", difficulty=1,
        ...              stem="The Business Model Canvas has nine blocks.", basis="practice",
        ...              source="Osterwalder and Pigneur, Business Model Generation (2010)",
        ...              options=[{"text": "True", "correct": True}, {"text": "False"}],
        ...              explanation="Nine building blocks.", refs=["SG-02"])
        >>> cap.applies_to(q)
        True
        """
        if self.topic is not None:
            return question.topic == self.topic
        return question.basis == self.basis


class Blueprint(_Strict):
    """Questions per focus area and caps; every bank topic feeds exactly one area."""

    questions: int = Field(ge=1)
    focus_areas: list[FocusArea] = Field(min_length=1)
    caps: list[Cap] = []

    @model_validator(mode="after")
    def _consistent(self) -> Blueprint:
        total = sum(a.questions for a in self.focus_areas)
        if total != self.questions:
            raise ValueError(f"the focus areas add up to {total} questions, not {self.questions}")
        topics = [t for a in self.focus_areas for t in a.topics]
        unknown = sorted(set(topics) - set(TOPICS))
        if unknown:
            raise ValueError(f"unknown topic(s) {unknown} (expected topics of the bank: "
                             f"{', '.join(TOPICS)})")
        repeated = sorted({t for t in topics if topics.count(t) > 1})
        if repeated:
            raise ValueError(f"topic(s) {repeated} feed more than one focus area")
        return self

    def area_of(self, topic: str) -> FocusArea:
        """The focus area that ``topic`` feeds.

        Raises
        ------
        DataError
            If no focus area lists the topic.
        """
        for area in self.focus_areas:
            if topic in area.topics:
                return area
        raise DataError(f"blueprint: no focus area lists topic {topic!r}")

    @classmethod
    def per_topic(cls, counts: dict[str, int]) -> Blueprint:
        """A blueprint with one focus area per topic and no caps (for short exams).

        Examples
        --------
        >>> Blueprint.per_topic({"events": 2, "scrum_team": 3}).questions
        5
        """
        areas = [FocusArea(id=t, title=TOPICS[t].title if t in TOPICS else t, questions=n,
                           topics=[t]) for t, n in counts.items()]
        return cls(questions=sum(counts.values()), focus_areas=areas)


def load_blueprint(path: str | Path | None = None) -> Blueprint:
    """Load and validate the blueprint (default: the packaged ``blueprint.yaml``).

    Raises
    ------
    DataError
        One line naming the file and the field that is wrong.

    Examples
    --------
    >>> [a.questions for a in load_blueprint().focus_areas]
    [24, 10, 12, 7, 8, 8, 11]
    """
    path = Path(path) if path is not None else data_file("blueprint.yaml")
    return _blueprint_cached(path.resolve())


@lru_cache(maxsize=4)
def _blueprint_cached(path: Path) -> Blueprint:
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    try:
        data = load_yaml(read_text(path, "a blueprint YAML file"), path.name)
        return Blueprint.model_validate(data)
    except yaml.YAMLError as error:
        raise DataError(f"{path.name}: not valid YAML ({error})") from None
    except ValidationError as error:
        raise DataError(format_pydantic_error(path.name, error)) from None
