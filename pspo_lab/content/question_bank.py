"""The PSPO I practice question bank: schema and loading.

Questions are YAML files ``pspo_lab/content/data/questions/<topic>.yaml``, one per topic,
validated when they are loaded: a malformed file stops with one line naming the file, the
question id and the field. The checks of a valid bank's quality (stale wording, positional
options, near-duplicate stems, key positions) are in :mod:`pspo_lab.content.bank_quality`.
Every question cites facts of ``pspo_lab/content/data/references.yaml`` (short, attributed
quotations of the Scrum Guide 2020, the EBM Guide and the Kanban Guide for Scrum Teams,
CC BY-SA 4.0) by id, e.g. ``SG-27`` for the Product Owner's accountability for value.

>>> text = '''
... topic: scrum_team
... questions:
...   - id: ST-001
...     type: truefalse
...     difficulty: 1
...     stem: The Product Owner may be a committee.
...     options:
...       - text: "True"
...       - text: "False"
...         correct: true
...     explanation: The Product Owner is one person.
...     refs: [SG-32]
... '''
>>> [q.id for q in parse_question_file(text, "scrum_team.yaml")]
['ST-001']
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pspo_lab.content.packaged import data_file
from pspo_lab.core.errors import DataError, format_pydantic_error
from pspo_lab.core.files import load_yaml, read_text


@dataclass(frozen=True)
class Topic:
    """A topic of the bank: its id (the file stem), question-id prefix and title."""

    id: str
    prefix: str
    title: str


TOPICS: dict[str, Topic] = {t.id: t for t in [
    Topic("empiricism_values", "EV", "Empiricism and Scrum values"),
    Topic("scrum_team", "ST", "Scrum Team and accountabilities"),
    Topic("events", "EVT", "Scrum events"),
    Topic("artifacts", "AR", "Artifacts and commitments"),
    Topic("definition_of_done", "DD", "Definition of Done"),
    Topic("product_value_ebm", "PV", "Product value and EBM"),
    Topic("backlog_management", "BM", "Product Backlog management"),
    Topic("vision_product_goal", "VG", "Product vision and Product Goal"),
    Topic("business_strategy", "BS", "Business strategy"),
    Topic("stakeholders_customers", "SC", "Stakeholders and customers"),
    Topic("forecasting_release", "FR", "Forecasting and release planning"),
    Topic("flow", "FL", "Flow and Kanban for Scrum Teams"),
]}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    """One answer option; ``correct`` is given only on the options of the key."""

    text: str = Field(min_length=1)
    correct: bool = False
    why: str | None = Field(None, min_length=1)


class Question(_Strict):
    """One question of the bank (see the module docstring for the YAML layout).

    Optional fields: ``fact`` names the fact an item tests; items sharing it are variants,
    never drawn into one exam. ``basis: practice`` marks a technique from outside the Guides
    (Business Model Canvas, Kano, ...), with its published ``source``. ``formerly`` is the
    item's id before it moved to another topic (saved attempts still find it). ``written`` and
    ``reviewed`` are the item's author date and last review.
    """

    id: str = Field(pattern=r"^[A-Z]{2,3}-\d{3}$")
    type: Literal["single", "multi", "truefalse"]
    difficulty: int = Field(ge=1, le=3)
    stem: str = Field(min_length=10)
    choose: int | None = Field(None, ge=2)
    options: list[Option] = Field(min_length=2, max_length=8)
    explanation: str = Field(min_length=10)
    refs: list[str] = Field(min_length=1)
    about_term: str | None = None
    topic: str | None = None
    fact: str | None = Field(None, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    basis: Literal["guide", "practice"] = "guide"
    source: str | None = Field(None, min_length=5)
    formerly: str | None = Field(None, pattern=r"^[A-Z]{2,3}-\d{3}$")
    written: dt.date | None = None
    reviewed: dt.date | None = None

    @model_validator(mode="after")
    def _consistent_key(self) -> Question:
        if (self.basis == "practice") != (self.source is not None):
            raise ValueError("'source' (the published origin, e.g. Osterwalder and Pigneur, "
                             "Business Model Generation) goes with 'basis: practice', and only "
                             "there")
        if self.written and self.reviewed and self.reviewed < self.written:
            raise ValueError(f"reviewed {self.reviewed} is before written {self.written}")
        correct = sum(o.correct for o in self.options)
        if self.type == "truefalse":
            texts = [o.text for o in self.options]
            if sorted(texts) != ["False", "True"]:
                raise ValueError(f"a truefalse question has exactly the two options "
                                 f"'True' and 'False', got {texts}")
        if self.type == "multi":
            if self.choose is None:
                raise ValueError("a multi question needs 'choose' (how many options are correct)")
            if self.choose != correct:
                raise ValueError(f"choose {self.choose} does not match the {correct} option(s) "
                                 "marked correct")
        else:
            if self.choose is not None:
                raise ValueError(f"'choose' is only for multi questions, not {self.type}")
            if correct != 1:
                raise ValueError(f"a {self.type} question has exactly one correct option, "
                                 f"got {correct}")
        texts = [o.text.strip().lower() for o in self.options]
        if len(set(texts)) != len(texts):
            raise ValueError("two options have the same text")
        return self

    @property
    def key(self) -> list[int]:
        """Positions (in the file's order) of the correct options.

        Examples
        --------
        >>> q = Question(id="ST-001", type="truefalse", difficulty=1,
        ...              stem="The Product Owner may be a committee.",
        ...              options=[{"text": "True"}, {"text": "False", "correct": True}],
        ...              explanation="One person, not a committee.", refs=["SG-32"])
        >>> q.key
        [1]
        """
        return [i for i, option in enumerate(self.options) if option.correct]

    @property
    def picks(self) -> int:
        """How many options a learner selects: ``choose`` for multi, else 1."""
        return self.choose or 1


class Fact(_Strict):
    """One checkable guide fact that questions cite by id."""

    id: str = Field(pattern=r"^[A-Z0-9]+-\d+$")
    document: str
    section: str
    statement: str = Field(min_length=5)
    quotes: list[str] = Field(min_length=1)


class Document(_Strict):
    """A guide the facts are quoted from."""

    title: str
    authors: str
    url: str


class Licence(_Strict):
    """The licence of the quotations (CC BY-SA 4.0) with attribution and changes."""

    name: str
    url: str
    attribution: str
    changes: str


class References(_Strict):
    """The whole references file: licence, documents and facts."""

    licence: Licence
    documents: dict[str, Document]
    facts: list[Fact]

    @model_validator(mode="after")
    def _known_documents(self) -> References:
        for fact in self.facts:
            if fact.document not in self.documents:
                raise ValueError(f"fact {fact.id} names unknown document {fact.document!r}")
        ids = [f.id for f in self.facts]
        duplicated = sorted(i for i, n in Counter(ids).items() if n > 1)
        if duplicated:
            raise ValueError(f"fact ids must be unique, repeated: {duplicated}")
        return self

    def fact(self, fact_id: str) -> Fact:
        """The fact with id ``fact_id``.

        Parameters
        ----------
        fact_id
            A fact id such as ``"SG-27"``.

        Returns
        -------
        Fact
            The fact with its document, section, statement and quotations.

        Raises
        ------
        DataError
            If no fact has that id.

        Examples
        --------
        >>> refs = load_references()
        >>> refs.fact("SG-27").statement
        'PO is accountable for maximizing the value of the product.'
        >>> refs.fact("SG-999")
        Traceback (most recent call last):
        ...
        pspo_lab.DataError: references.yaml has no fact 'SG-999'
        """
        for fact in self.facts:
            if fact.id == fact_id:
                return fact
        raise DataError(f"references.yaml has no fact {fact_id!r}")

    def cite(self, fact_id: str) -> str:
        """A one-line citation: id, statement and the first quotation with its source.

        Examples
        --------
        >>> load_references().cite("SG-32")  # doctest: +ELLIPSIS
        'SG-32 (Scrum Guide 2020, Product Owner): ... "The Product Owner is one person, ..."'
        """
        fact = self.fact(fact_id)
        source = {"scrum-guide-2020": "Scrum Guide 2020", "scrum-guide-2017": "Scrum Guide 2017"
                  }.get(fact.document, self.documents[fact.document].title)
        return f'{fact.id} ({source}, {fact.section}): {fact.statement} "{fact.quotes[0]}"'


def _read_yaml(path: Path) -> object:
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    try:
        return load_yaml(read_text(path, "a YAML file"), path.name)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise DataError(f"{path.name}{where}: not valid YAML "
                        f"({getattr(error, 'problem', error)})") from None


def load_references(path: str | Path | None = None) -> References:
    """Load and validate the references file (default: the packaged ``references.yaml``).

    Examples
    --------
    >>> refs = load_references()
    >>> refs.fact("SG-27").section, refs.licence.name
    ('Product Owner', 'CC BY-SA 4.0')
    """
    path = Path(path) if path is not None else data_file("references.yaml")
    return _references_cached(path.resolve())


@lru_cache(maxsize=4)
def _references_cached(path: Path) -> References:
    try:
        return References.model_validate(_read_yaml(path))
    except ValidationError as error:
        raise DataError(format_pydantic_error(path.name, error)) from None


def parse_question_file(text: str, source: str, fact_ids: set[str] | None = None
                        ) -> list[Question]:
    """Validate the YAML text of one topic file and return its questions.

    Parameters
    ----------
    text
        The YAML text (``topic`` and ``questions``).
    source
        The file name; its stem must be the topic id.
    fact_ids
        Known reference ids; ``None`` uses the packaged references file.

    Raises
    ------
    DataError
        One line naming the file, the question id and the field that is wrong.
    """
    try:
        data = load_yaml(text, source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise DataError(f"{source}{where}: not valid YAML "
                        f"({getattr(error, 'problem', error)})") from None
    if not isinstance(data, dict) or set(data) != {"topic", "questions"}:
        raise DataError(f"{source}: expected a mapping with exactly the keys 'topic' and "
                        "'questions'")
    topic = TOPICS.get(data["topic"])
    stem = Path(source).stem
    if topic is None or topic.id != stem:
        raise DataError(f"{source} field 'topic': {data['topic']!r} must be the file's stem "
                        f"and one of {', '.join(TOPICS)}")
    if not isinstance(data["questions"], list) or not data["questions"]:
        raise DataError(f"{source} field 'questions': expected a non-empty list of questions")
    known = fact_ids if fact_ids is not None else {f.id for f in load_references().facts}
    questions = []
    for number, raw in enumerate(data["questions"], start=1):
        label = raw.get("id", f"#{number}") if isinstance(raw, dict) else f"#{number}"
        where = f"{source} question {label}"
        if not isinstance(raw, dict):
            raise DataError(f"{where}: expected a mapping of question fields")
        try:
            question = Question.model_validate(raw | {"topic": raw.get("topic", topic.id)})
        except ValidationError as error:
            raise DataError(format_pydantic_error(where, error)) from None
        if question.topic != topic.id:
            raise DataError(f"{where} field 'topic': {question.topic!r} differs from the "
                            f"file's topic {topic.id!r}")
        if not question.id.startswith(topic.prefix + "-"):
            raise DataError(f"{where} field 'id': expected the prefix {topic.prefix}- of "
                            f"topic {topic.id}")
        unknown = [r for r in question.refs if r not in known]
        if unknown:
            raise DataError(f"{where} field 'refs': unknown reference id(s) {unknown} "
                            "(expected ids of pspo_lab/content/data/references.yaml, e.g. SG-27)")
        questions.append(question)
    return questions


class Bank:
    """All questions of the bank, in file order, with lookups by id and topic.

    Parameters
    ----------
    questions
        Questions with their ``topic`` set; ids must be unique.
    """

    def __init__(self, questions: list[Question]) -> None:
        repeated = sorted(i for i, n in Counter(q.id for q in questions).items() if n > 1)
        if repeated:
            raise DataError(f"question bank: question id(s) {repeated} used more than once "
                            "(expected stable, unique ids)")
        self.questions = list(questions)
        self.by_id = {q.formerly: q for q in questions if q.formerly} | {q.id: q
                                                                          for q in questions}

    def __len__(self) -> int:
        return len(self.questions)

    def __repr__(self) -> str:
        return f"Bank({len(self)} questions)"

    def topic(self, topic_id: str) -> list[Question]:
        """The questions of one topic.

        Parameters
        ----------
        topic_id
            A topic id, e.g. ``"scrum_team"`` (see ``TOPICS``).

        Returns
        -------
        list of Question
            In bank order; empty for a topic without questions or an unknown id.

        Examples
        --------
        >>> q = Question(id="ST-001", type="truefalse", difficulty=1, topic="scrum_team",
        ...              stem="The Product Owner may be a committee.",
        ...              options=[{"text": "True"}, {"text": "False", "correct": True}],
        ...              explanation="One person, not a committee.", refs=["SG-32"])
        >>> bank = Bank([q])
        >>> [x.id for x in bank.topic("scrum_team")], bank.topic("events")
        (['ST-001'], [])
        """
        return [q for q in self.questions if q.topic == topic_id]

    def summary(self) -> pd.DataFrame:
        """Questions per topic and type, with the topic titles, one row per topic."""
        rows = []
        for topic in TOPICS.values():
            found = self.topic(topic.id)
            kinds = Counter(q.type for q in found)
            rows.append({"topic": topic.id, "title": topic.title, "questions": len(found),
                         "single": kinds["single"], "multi": kinds["multi"],
                         "truefalse": kinds["truefalse"]})
        return pd.DataFrame(rows).set_index("topic")


def questions_dir() -> Path:
    """The packaged folder of topic files, ``pspo_lab/content/data/questions``."""
    return data_file("questions")


def load_bank(folder: str | Path | None = None) -> Bank:
    """Load and validate every ``<topic>.yaml`` file of ``folder`` (default: the package's).

    Files are read in name order. The result is cached and read again only when a file's
    name, size or modification time changes.

    Parameters
    ----------
    folder
        Folder of topic files; ``None`` uses :func:`questions_dir`.

    Returns
    -------
    Bank
        Every question of every file, with its topic set.

    Raises
    ------
    DataError
        For a missing folder, an unknown topic file, or a malformed question (file, question
        id and field are named).

    Examples
    --------
    >>> load_bank().by_id["ST-001"].topic
    'scrum_team'
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> load_bank(folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: ...: no question files (expected <topic>.yaml files such as ...)
    >>> _ = (folder / "scrum_team.yaml").write_text("\\n".join([
    ...     "topic: scrum_team",
    ...     "questions:",
    ...     "  - {id: ST-001, type: truefalse, difficulty: 1, refs: [SG-32],",
    ...     "     stem: The Product Owner may be a committee.,",
    ...     "     explanation: The Product Owner is one person.,",
    ...     "     options: [{text: 'True'}, {text: 'False', correct: true}]}"]))
    >>> load_bank(folder)
    Bank(1 questions)
    """
    folder = Path(folder) if folder is not None else questions_dir()
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        raise DataError(f"{folder}: no question files (expected <topic>.yaml files such as "
                        "scrum_team.yaml)")
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    return _bank_cached(folder.resolve(), stamp)


@lru_cache(maxsize=4)
def _bank_cached(folder: Path, stamp: tuple) -> Bank:
    known = {f.id for f in load_references().facts}
    questions = []
    for name, _, _ in stamp:
        path = folder / name
        questions += parse_question_file(path.read_text(encoding="utf-8"), name, known)
    return Bank(questions)
