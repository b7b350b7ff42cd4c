"""The PSPO I practice assessment engine: learn, exam, weak-topic practice and review.

All state lives in Python objects; the widgets in :mod:`pspo_lab.widgets.quiz` only call
these functions. An :class:`Attempt` is one sitting:

* **learn** (and the 5-question **check** at the end of modules 1-7, and weak-topic
  **practice**): every answer returns its :class:`Feedback` at once, with the explanation
  and the guide facts it rests on;
* **exam**: 80 questions drawn by :data:`EXAM_BLUEPRINT`, a 60-minute limit measured from
  timestamps (no background timer), no feedback until :meth:`Attempt.finish` (feedback and
  review of a running exam raise :class:`ExamStillOpen`), 85% to pass, all-or-nothing
  scoring per question (a multi question counts only if exactly its key is chosen).

Options are shuffled per attempt from its seed. Each practice exam's seed comes from the
notebook's seed and the number of exams already saved in the workspace
(:func:`attempt_seed`), so a retake is a new draw and every run stays reproducible.

Attempts are saved in the learner's workspace (kind ``assessment-attempts``): the
in-progress attempt is autosaved as answers are given, so a kernel restart can resume it,
and finishing saves it explicitly. An attempt only ever writes its own, newly named record.

>>> import datetime as dt
>>> from pspo_lab.content.question_bank import load_bank
>>> bank = load_bank("tests/fixtures/questions")
>>> clock = FakeClock(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC))
>>> exam = start_exam(bank, seed=1, blueprint={"scrum_team": 3, "events": 2}, clock=clock)
>>> answer_all(exam, "key", seed=1)
5
>>> clock.advance(minutes=10)
>>> exam.time_remaining()
datetime.timedelta(seconds=3000)
>>> result = exam.finish()
>>> result.score, result.passed
(1.0, True)
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pspo_lab.content.question_bank import TOPICS, Bank, Question, load_bank, load_references
from pspo_lab.core import records
from pspo_lab.core.errors import DataError, ParameterError, PspoLabError, format_pydantic_error
from pspo_lab.core.workspace import SCHEMA_VERSION, Record, Workspace, write_atomic

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from pspo_lab.widgets.quiz import QuizView

Mode = Literal["learn", "exam", "practice", "check"]
STRATEGIES = ("key", "random", "none")

#: Questions per topic in a practice exam (80 in all). Framework topics and product-ownership
#: topics get about equal weight, like the PSPO I focus areas.
EXAM_BLUEPRINT: dict[str, int] = {
    "empiricism_values": 7, "scrum_team": 9, "events": 8, "artifacts": 7,
    "definition_of_done": 5, "product_value_ebm": 9, "backlog_management": 9,
    "vision_product_goal": 7, "business_strategy": 6, "stakeholders_customers": 6,
    "forecasting_release": 7,
}

#: Topics of the end-of-module check of syllabus parts 1-7.
MODULE_TOPICS: dict[int, tuple[str, ...]] = {
    1: ("product_value_ebm", "stakeholders_customers"),
    2: ("business_strategy", "vision_product_goal"),
    3: ("product_value_ebm",),
    4: ("empiricism_values",),
    5: ("scrum_team", "events", "artifacts", "definition_of_done"),
    6: ("backlog_management", "stakeholders_customers"),
    7: ("forecasting_release",),
}

Clock = Callable[[], dt.datetime]


class TimeUp(PspoLabError):
    """An exam answer came after the time limit; the attempt must be finished."""


class ExamStillOpen(ParameterError):
    """Keys, explanations or the review of an exam were asked for before it was finished."""


def utc_now() -> dt.datetime:
    """The current time in UTC (the default clock of attempts)."""
    return dt.datetime.now(dt.UTC)


class FakeClock:
    """A clock that only moves when told to: for tests and examples.

    Examples
    --------
    >>> clock = FakeClock(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC))
    >>> clock.advance(minutes=61)
    >>> clock().isoformat()
    '2026-01-05T10:01:00+00:00'
    """

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move the clock forward by ``datetime.timedelta(**delta)``."""
        self.now += dt.timedelta(**delta)


class TopicScore(BaseModel):
    """Correct answers out of questions asked, for one topic."""

    model_config = ConfigDict(extra="forbid")

    correct: int = Field(ge=0)
    questions: int = Field(ge=0)


class Summary(BaseModel):
    """What is kept of a finished attempt's result, independent of later bank changes."""

    model_config = ConfigDict(extra="forbid")

    correct: int = Field(ge=0)
    questions: int = Field(ge=0)
    score: float = Field(ge=0, le=1)
    passed: bool
    topics: dict[str, TopicScore]


class AttemptState(BaseModel):
    """The saved form of an attempt (plain JSON in the workspace)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,79}$")
    mode: Mode
    title: str
    seed: int = Field(ge=0)
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    minutes: int | None = Field(None, gt=0)
    pass_mark: float = Field(gt=0, le=1)
    question_ids: list[str] = Field(min_length=1)
    topics: list[str]
    orders: list[list[int]]
    answers: dict[str, list[int]] = Field(default_factory=dict)
    flagged: list[str] = Field(default_factory=list)
    answered_by: str = "learner"
    summary: Summary | None = None


@dataclass(frozen=True)
class Shown:
    """A question as the learner sees it in this attempt (options in shuffled order)."""

    number: int
    id: str
    topic: str
    type: str
    stem: str
    options: list[str]
    picks: int
    chosen: list[int]
    flagged: bool

    @property
    def prompt(self) -> str:
        """The instruction under the stem, e.g. ``"Choose 2 answers."``.

        Empty when the stem already says how many to pick (``"(choose 2)"``), so that the
        number is shown once.

        Examples
        --------
        >>> def shown(stem):
        ...     return Shown(1, "X-001", "events", "multi", stem, ["a", "b", "c"], 2, [], False)
        >>> shown("Which two are true?").prompt
        'Choose 2 answers.'
        >>> shown("Which are true? (choose 2)").prompt
        ''
        """
        if self.type == "multi":
            if f"(choose {self.picks})" in self.stem:
                return ""
            return f"Choose {self.picks} answers."
        return "True or false?" if self.type == "truefalse" else "Choose the best answer."


@dataclass(frozen=True)
class Feedback:
    """What learn mode shows right after an answer (positions as displayed, 0-based)."""

    correct: bool
    chosen: list[int]
    key: list[int]
    explanation: str
    why: dict[int, str]
    references: list[str]


@dataclass
class Result:
    """Score, pass/fail and per-topic percentages of an attempt."""

    correct: int
    questions: int
    pass_mark: float
    topics: pd.DataFrame = field(repr=False)

    @property
    def score(self) -> float:
        """Share of questions answered exactly right (0 when there are none)."""
        return round(self.correct / self.questions, 4) if self.questions else 0.0

    @property
    def passed(self) -> bool:
        """Whether the score reaches the pass mark."""
        return self.score >= self.pass_mark

    def headline(self) -> str:
        """One line like the results e-mail.

        Examples
        --------
        >>> Result(68, 80, 0.85, pd.DataFrame()).headline()
        'Score 68/80 (85.0%): passed (pass mark 85%)'
        """
        verdict = "passed" if self.passed else "not passed"
        return (f"Score {self.correct}/{self.questions} ({self.score:.1%}): {verdict} "
                f"(pass mark {self.pass_mark:.0%})")

    def below_pass_mark(self) -> pd.DataFrame:
        """The topics scored below the pass mark, weakest first (then by title, A to Z).

        Examples
        --------
        >>> table = topic_table({"events": (3, 4), "artifacts": (1, 4), "scrum_team": (3, 4)})
        >>> Result(7, 12, 0.85, table).below_pass_mark()["title"].tolist()
        ['Artifacts and commitments', 'Scrum events', 'Scrum Team and accountabilities']
        """
        below = self.topics[self.topics["percent"] < 100 * self.pass_mark]
        return below.sort_values(["percent", "title"], kind="stable",
                                 key=lambda c: c.str.lower() if c.name == "title" else c)

    def summary(self) -> Summary:
        """The part of the result that is saved with the attempt."""
        topics = {row.Index: TopicScore(correct=int(row.correct), questions=int(row.questions))
                  for row in self.topics.itertuples()}
        return Summary(correct=self.correct, questions=self.questions, score=self.score,
                       passed=self.passed, topics=topics)


def topic_table(scores: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """Per-topic table (title, questions, correct, percent) from ``{topic: (correct, n)}``.

    A topic without questions has no percentage (NaN), not 0%.

    Examples
    --------
    >>> topic_table({"events": (3, 4)}).to_dict("index")
    {'events': {'title': 'Scrum events', 'questions': 4, 'correct': 3, 'percent': 75.0}}
    >>> topic_table({"events": (0, 0)})["percent"].isna().tolist()
    [True]
    """
    rows = [{"topic": t, "title": TOPICS[t].title if t in TOPICS else t, "questions": n,
             "correct": c, "percent": round(100 * c / n, 1) if n else np.nan}
            for t, (c, n) in scores.items()]
    return pd.DataFrame(rows, columns=["topic", "title", "questions", "correct", "percent"]
                        ).set_index("topic")


class AttemptStore:
    """Where attempts are saved: the learner's workspace, kind ``assessment-attempts``.

    Autosaves write the attempt's own record in place (atomically); :meth:`save` goes
    through :meth:`Workspace.save`, which keeps the previous version in history. A new
    attempt never takes the name of an existing record.
    """

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def new_name(self, mode: str, started: dt.datetime) -> str:
        """A record name no existing attempt uses, e.g. ``exam-20260105-090000-1a2b``."""
        while True:
            name = f"{mode}-{started:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"
            if not self.workspace.path(*records.ASSESSMENT_ATTEMPTS.named(name)).exists():
                return name

    def autosave(self, state: AttemptState) -> None:
        """Write the in-progress attempt to its own record, replacing only that record."""
        record = Record(schema_version=SCHEMA_VERSION, kind=records.ASSESSMENT_ATTEMPTS.kind,
                        name=state.name, saved_at=utc_now(), data=state.model_dump(mode="json"))
        write_atomic(self.workspace.path(*records.ASSESSMENT_ATTEMPTS.named(state.name)),
                     record.model_dump_json(indent=2) + "\n")

    def save(self, state: AttemptState) -> None:
        """Save the attempt explicitly (the autosaved version goes to history)."""
        self.workspace.save(*records.ASSESSMENT_ATTEMPTS.named(state.name),
                            state.model_dump(mode="json"))

    def attempts(self) -> list[AttemptState]:
        """Every saved attempt, oldest first.

        Raises
        ------
        DataError
            If a saved attempt does not have the expected fields.
        """
        states = []
        for record in self.workspace.records(records.ASSESSMENT_ATTEMPTS.kind):
            try:
                states.append(AttemptState.model_validate(record.data))
            except ValidationError as error:
                where = records.ASSESSMENT_ATTEMPTS.named(record.name).path
                raise DataError(format_pydantic_error(f"workspace record {where}", error)
                                ) from None
        return sorted(states, key=lambda s: s.started_at)

    def unfinished(self, mode: str | None = None) -> list[AttemptState]:
        """Attempts that were started but not finished (e.g. before a kernel restart)."""
        return [s for s in self.attempts()
                if s.finished_at is None and (mode is None or s.mode == mode)]


class Attempt:
    """One sitting: questions with shuffled options, answers, flags, clock and result.

    Create attempts with :func:`start_exam`, :func:`start_learn`,
    :func:`start_weak_topic_practice` or :func:`resume`.

    Parameters
    ----------
    bank
        The question bank the attempt's question ids come from.
    state
        The attempt's saved form.
    clock
        Returns the current time; tests inject a :class:`FakeClock`.
    store
        Where to autosave and save; ``None`` keeps the attempt in memory only.
    """

    def __init__(self, bank: Bank, state: AttemptState, clock: Clock = utc_now,
                 store: AttemptStore | None = None) -> None:
        missing = [q for q in state.question_ids if q not in bank.by_id]
        if missing:
            raise DataError(f"attempt {state.name}: question(s) {missing[:3]} are no longer in "
                            "the bank; the attempt cannot be shown")
        self.bank, self.state, self.clock, self.store = bank, state, clock, store
        self.questions: list[Question] = [bank.by_id[q] for q in state.question_ids]

    def __len__(self) -> int:
        return len(self.questions)

    def __repr__(self) -> str:
        return (f"Attempt({self.state.name!r}, mode={self.state.mode!r}, "
                f"{len(self.state.answers)}/{len(self)} answered)")

    @property
    def feedback_now(self) -> bool:
        """Whether answers get feedback at once (every mode except the exam)."""
        return self.state.mode != "exam"

    @property
    def finished(self) -> bool:
        """Whether the attempt has been finished."""
        return self.state.finished_at is not None

    def _index(self, number: int) -> int:
        if not 1 <= number <= len(self):
            raise ParameterError(f"question number {number} is out of range (expected 1 to "
                                 f"{len(self)})")
        return number - 1

    def question(self, number: int) -> Shown:
        """Question ``number`` (1-based) as displayed, with the current answer and flag."""
        i = self._index(number)
        question, order = self.questions[i], self.state.orders[i]
        chosen = [order.index(o) for o in self.state.answers.get(question.id, [])]
        return Shown(number=number, id=question.id, topic=question.topic or "",
                     type=question.type, stem=question.stem,
                     options=[question.options[o].text for o in order], picks=question.picks,
                     chosen=sorted(chosen), flagged=question.id in self.state.flagged)

    def elapsed(self) -> dt.timedelta:
        """Time since the attempt started (up to its end once finished)."""
        end = self.state.finished_at or self.clock()
        return end - self.state.started_at

    def time_remaining(self) -> dt.timedelta | None:
        """Time left before the limit (never negative); ``None`` for untimed attempts."""
        if self.state.minutes is None:
            return None
        left = dt.timedelta(minutes=self.state.minutes) - self.elapsed()
        return max(left, dt.timedelta(0))

    def expired(self) -> bool:
        """Whether a timed attempt has used up its time."""
        remaining = self.time_remaining()
        return remaining is not None and remaining <= dt.timedelta(0)

    def answer(self, number: int, positions: Sequence[int], *, persist: bool = True
               ) -> Feedback | None:
        """Record the options chosen (displayed positions, 0-based) for question ``number``.

        Returns
        -------
        Feedback or None
            Feedback at once in learn, check and practice modes; ``None`` in the exam.

        Raises
        ------
        TimeUp
            The exam's time is over; call :meth:`finish`.
        ParameterError
            Finished attempt, a learn-mode question already answered, or a wrong number of
            options.
        """
        i = self._index(number)
        question, order = self.questions[i], self.state.orders[i]
        if self.finished:
            raise ParameterError(f"attempt {self.state.name} is finished; answers are closed")
        if self.expired():
            raise TimeUp(f"the {self.state.minutes} minutes are over; the answer to question "
                         f"{number} was not recorded. Finish the attempt to see the result.")
        if self.feedback_now and question.id in self.state.answers:
            raise ParameterError(f"question {number} was already answered in this attempt")
        chosen = sorted(set(positions))
        if len(chosen) != question.picks or not all(0 <= p < len(order) for p in chosen):
            raise ParameterError(f"question {number}: choose {question.picks} of the options "
                                 f"1 to {len(order)} (got {[p + 1 for p in positions]})")
        self.state.answers[question.id] = sorted(order[p] for p in chosen)
        if self.feedback_now and len(self.state.answers) == len(self):
            self.finish(persist=persist)
        elif persist:
            self._autosave()
        return self.feedback(number) if self.feedback_now else None

    def _check_feedback_allowed(self) -> None:
        if not self.feedback_now and not self.finished:
            raise ExamStillOpen(
                f"attempt {self.state.name}: the exam is still running; the score, keys and "
                "explanations are shown once you press Finish (no feedback before the end)")

    def answer_key(self, number: int) -> list[int]:
        """Displayed positions (0-based) of the correct options of question ``number``.

        For unattended answering strategies and tests; the views show keys only through
        :meth:`feedback` and :meth:`review`.
        """
        i = self._index(number)
        return sorted(self.state.orders[i].index(o) for o in self.questions[i].key)

    def feedback(self, number: int) -> Feedback:
        """Key, explanation, per-option rationale and references for an answered question.

        Raises
        ------
        ExamStillOpen
            For an exam that is not finished yet (no feedback until the end).
        """
        self._check_feedback_allowed()
        i = self._index(number)
        question, order = self.questions[i], self.state.orders[i]
        given = self.state.answers.get(question.id, [])
        chosen = sorted(order.index(o) for o in given)
        key = sorted(order.index(o) for o in question.key)
        references = load_references()
        why = {p: question.options[order[p]].why or "" for p in chosen
               if not question.options[order[p]].correct}
        return Feedback(correct=sorted(given) == question.key, chosen=chosen, key=key,
                        explanation=question.explanation, why=why,
                        references=[references.cite(r) for r in question.refs])

    def flag(self, number: int, flagged: bool = True) -> None:
        """Mark question ``number`` for review (or clear the mark) while the attempt is open."""
        qid = self.questions[self._index(number)].id
        if self.finished:
            raise ParameterError(f"attempt {self.state.name} is finished; flags are closed")
        marks = [q for q in self.state.flagged if q != qid]
        self.state.flagged = marks + [qid] if flagged else marks
        self._autosave()

    def grid(self) -> pd.DataFrame:
        """One row per question: number, topic, answered and flagged (the question grid)."""
        return pd.DataFrame([{"number": n, "topic": q.topic,
                              "answered": q.id in self.state.answers,
                              "flagged": q.id in self.state.flagged}
                             for n, q in enumerate(self.questions, start=1)]).set_index("number")

    def result(self) -> Result:
        """The score: all-or-nothing per question, unanswered counts wrong.

        Raises
        ------
        ExamStillOpen
            For an exam that is not finished yet (no score until the end, like the real
            assessment); other modes score the answers so far.
        """
        self._check_feedback_allowed()
        return self._score()

    def _score(self) -> Result:
        scores: dict[str, list[int]] = {t: [0, 0] for t in dict.fromkeys(self.state.topics)}
        for question, topic in zip(self.questions, self.state.topics, strict=True):
            scores[topic][1] += 1
            scores[topic][0] += int(self.state.answers.get(question.id) == question.key)
        correct = sum(c for c, _ in scores.values())
        return Result(correct=correct, questions=len(self), pass_mark=self.state.pass_mark,
                      topics=topic_table({t: (c, n) for t, (c, n) in scores.items()}))

    def finish(self, *, persist: bool = True) -> Result:
        """End the attempt, store its result and save it (explicitly) to the workspace."""
        if not self.finished:
            limit = (self.state.started_at + dt.timedelta(minutes=self.state.minutes)
                     if self.state.minutes else None)
            now = self.clock()
            self.state.finished_at = min(now, limit) if limit else now
            self.state.summary = self._score().summary()
            if persist and self.store is not None:
                self.store.save(self.state)
        return self.result()

    def save(self) -> None:
        """Save the attempt now (finished or not) through the workspace."""
        if self.store is not None:
            self.store.save(self.state)

    def _autosave(self) -> None:
        if self.store is not None and (self.state.answers or self.state.flagged):
            self.store.autosave(self.state)

    def review(self, only: Literal["all", "wrong", "flagged"] = "all") -> pd.DataFrame:
        """Every question with the answer given, the key, the verdict and the explanation.

        Raises
        ------
        ExamStillOpen
            For an exam that is not finished yet (no feedback until the end).

        Examples
        --------
        >>> bank = load_bank("tests/fixtures/questions")
        >>> exam = start_exam(bank, seed=1, blueprint={"events": 2})
        >>> exam.review()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        pspo_lab.analysis.assessment.ExamStillOpen: attempt exam-...: the exam is still running; ...
        >>> _ = exam.finish()
        >>> len(exam.review("wrong"))
        2
        """
        self._check_feedback_allowed()
        rows = []
        for number, question in enumerate(self.questions, start=1):
            given = self.state.answers.get(question.id)
            right = given == question.key
            flagged = question.id in self.state.flagged
            if (only == "wrong" and right) or (only == "flagged" and not flagged):
                continue
            rows.append({"number": number, "id": question.id, "topic": question.topic,
                         "stem": question.stem,
                         "your_answer": [question.options[o].text for o in given or []],
                         "key": [question.options[o].text for o in question.key],
                         "correct": right, "flagged": flagged,
                         "explanation": question.explanation, "refs": list(question.refs)})
        columns = ["number", "id", "topic", "stem", "your_answer", "key", "correct", "flagged",
                   "explanation", "refs"]
        return pd.DataFrame(rows, columns=columns).set_index("number")


def _orders(questions: list[Question], rng: np.random.Generator) -> list[list[int]]:
    """Seeded option order per question; true/false keeps True before False."""
    orders = []
    for question in questions:
        n = len(question.options)
        if question.type == "truefalse":
            orders.append(sorted(range(n), key=lambda o, q=question: q.options[o].text != "True"))
        else:
            orders.append([int(o) for o in rng.permutation(n)])
    return orders


def new_attempt(bank: Bank, question_ids: list[str], mode: Mode, seed: int, *, title: str,
                minutes: int | None = None, pass_mark: float = 0.85, clock: Clock = utc_now,
                workspace: Workspace | None = None, answered_by: str = "learner") -> Attempt:
    """Start an attempt over the given questions; nothing is written until the first answer.

    Examples
    --------
    >>> bank = load_bank("tests/fixtures/questions")
    >>> attempt = new_attempt(bank, ["ST-001", "EVT-001"], "learn", seed=3, title="demo")
    >>> attempt.question(1).number, len(attempt)
    (1, 2)
    """
    rng = np.random.default_rng(seed)
    questions = [bank.by_id[q] for q in question_ids]
    started = clock()
    store = AttemptStore(workspace) if workspace is not None else None
    name = store.new_name(mode, started) if store else f"{mode}-{started:%Y%m%d-%H%M%S}"
    state = AttemptState(name=name, mode=mode, title=title, seed=seed, started_at=started,
                         minutes=minutes, pass_mark=pass_mark, question_ids=question_ids,
                         topics=[q.topic or "" for q in questions],
                         orders=_orders(questions, rng), answered_by=answered_by)
    return Attempt(bank, state, clock=clock, store=store)


def draw_exam(bank: Bank, seed: int, blueprint: dict[str, int] | None = None) -> list[str]:
    """Question ids for an exam: ``blueprint[topic]`` random questions per topic, mixed.

    Raises
    ------
    DataError
        If a topic has fewer questions than the blueprint asks for.

    Examples
    --------
    >>> sum(EXAM_BLUEPRINT.values())
    80
    """
    blueprint = EXAM_BLUEPRINT if blueprint is None else blueprint
    rng = np.random.default_rng(seed)
    drawn: list[str] = []
    for topic, count in blueprint.items():
        pool = [q.id for q in bank.topic(topic)]
        if len(pool) < count:
            raise DataError(f"question bank: topic {topic} has {len(pool)} questions, the exam "
                            f"blueprint needs {count}")
        drawn += [pool[i] for i in sorted(rng.choice(len(pool), count, replace=False))]
    return [drawn[i] for i in rng.permutation(len(drawn))]


def draw_topics(bank: Bank, topics: Iterable[str], n: int, seed: int,
                avoid: Iterable[str] = ()) -> list[str]:
    """``n`` question ids spread evenly over ``topics`` (round robin), preferring ids not in
    ``avoid``.

    Examples
    --------
    >>> bank = load_bank("tests/fixtures/questions")
    >>> sorted(q.split("-")[0] for q in draw_topics(bank, ["scrum_team", "events"], 4, seed=0))
    ['EVT', 'EVT', 'ST', 'ST']
    """
    rng = np.random.default_rng(seed)
    avoid = set(avoid)
    pools = []
    for topic in topics:
        if topic not in TOPICS:
            raise ParameterError(f"unknown topic {topic!r} (expected one of {', '.join(TOPICS)})")
        ids = [q.id for q in bank.topic(topic)]
        shuffled = [ids[i] for i in rng.permutation(len(ids))]
        pools.append([q for q in shuffled if q not in avoid]
                     + [q for q in shuffled if q in avoid])
    available = sum(len(p) for p in pools)
    if available < n:
        raise DataError(f"question bank: only {available} questions in topics "
                        f"{list(topics)}, {n} requested")
    drawn: list[str] = []
    while len(drawn) < n:
        for pool in pools:
            if pool and len(drawn) < n:
                drawn.append(pool.pop(0))
    return drawn


def attempt_seed(seed: int, number: int) -> int:
    """The seed of attempt ``number`` (0 for the first) in a series started from ``seed``.

    Mixing both through :class:`numpy.random.SeedSequence` gives every retake its own
    question draw and option order, while the same seed and number give the same attempt.

    Raises
    ------
    ParameterError
        If ``seed`` or ``number`` is negative.

    Examples
    --------
    >>> attempt_seed(42, 0) == attempt_seed(42, 0), attempt_seed(42, 0) == attempt_seed(42, 1)
    (True, False)
    """
    if seed < 0 or number < 0:
        raise ParameterError(f"attempt_seed: seed and attempt number must be 0 or more (got "
                             f"seed={seed}, number={number})")
    return int(np.random.SeedSequence([seed, number]).generate_state(1)[0])


def attempts_saved(workspace: Workspace | None, mode: Mode) -> int:
    """How many attempts of ``mode`` the workspace holds, finished or not (0 without one)."""
    if workspace is None:
        return 0
    return sum(state.mode == mode for state in AttemptStore(workspace).attempts())


def _assessment_format() -> tuple[int, float]:
    from pspo_lab.content.syllabus import load_syllabus

    exam = load_syllabus().assessment
    return exam.minutes, exam.pass_mark


def start_exam(bank: Bank, seed: int, *, workspace: Workspace | None = None,
               clock: Clock = utc_now, blueprint: dict[str, int] | None = None,
               answered_by: str = "learner", number: int | None = None) -> Attempt:
    """A timed practice exam in the PSPO I format of the syllabus (80 questions, 60 minutes,
    85% to pass), drawn by ``blueprint`` (default :data:`EXAM_BLUEPRINT`).

    ``number`` is the attempt number (0 for the first exam); by default it is the number of
    exams already saved in ``workspace``. Questions and option order come from
    :func:`attempt_seed` of ``seed`` and ``number``: each retake is a new draw, and the same
    seed and number always give the same exam.

    Examples
    --------
    >>> bank = load_bank("tests/fixtures/questions")
    >>> first = start_exam(bank, seed=3, blueprint={"scrum_team": 3, "events": 2})
    >>> retake = start_exam(bank, seed=3, blueprint={"scrum_team": 3, "events": 2}, number=1)
    >>> first.state.title, retake.state.title
    ('Practice exam 1', 'Practice exam 2')
    """
    minutes, pass_mark = _assessment_format()
    number = attempts_saved(workspace, "exam") if number is None else number
    exam_seed = attempt_seed(seed, number)
    return new_attempt(bank, draw_exam(bank, exam_seed, blueprint), "exam", exam_seed,
                       title=f"Practice exam {number + 1}", minutes=minutes,
                       pass_mark=pass_mark, clock=clock, workspace=workspace,
                       answered_by=answered_by)


def start_learn(bank: Bank, seed: int, topics: Iterable[str] | None = None, n: int = 10, *,
                workspace: Workspace | None = None, clock: Clock = utc_now,
                mode: Mode = "learn", title: str = "Learn mode",
                answered_by: str = "learner") -> Attempt:
    """Untimed questions with feedback after each answer, from ``topics`` (default: all),
    preferring questions the learner has not answered correctly before."""
    topics = list(topics) if topics is not None else list(TOPICS)
    known = set(correct_ids(workspace, bank)) if workspace is not None else set()
    _, pass_mark = _assessment_format()
    return new_attempt(bank, draw_topics(bank, topics, n, seed, avoid=known), mode, seed,
                       title=title, pass_mark=pass_mark, clock=clock, workspace=workspace,
                       answered_by=answered_by)


def start_weak_topic_practice(bank: Bank, workspace: Workspace, seed: int, n: int = 10,
                              topics: int = 2, *, clock: Clock = utc_now,
                              answered_by: str = "learner") -> Attempt:
    """Learn-mode practice on the learner's ``topics`` weakest topics (from their history)."""
    weakest = weakest_topics(topic_history(workspace, bank), topics)
    names = ", ".join(TOPICS[t].title for t in weakest)
    return start_learn(bank, seed, weakest, n, workspace=workspace, clock=clock,
                       mode="practice", title=f"Weak-topic practice: {names}",
                       answered_by=answered_by)


def resume(bank: Bank, workspace: Workspace, name: str | None = None, *,
           clock: Clock = utc_now) -> Attempt:
    """Continue an unfinished attempt (default: the most recently started one).

    The clock keeps running from the attempt's start, as in the real assessment.

    Raises
    ------
    DataError
        If there is no such unfinished attempt.
    """
    store = AttemptStore(workspace)
    open_attempts = [s for s in store.unfinished() if name is None or s.name == name]
    if not open_attempts:
        wanted = f" named {name!r}" if name else ""
        raise DataError(f"{workspace.root}: no unfinished attempt{wanted} to resume")
    return Attempt(bank, open_attempts[-1], clock=clock, store=store)


def answer_all(attempt: Attempt, strategy: str, seed: int) -> int:
    """Answer every open question unattended and return how many were answered.

    ``"key"`` picks the correct options, ``"random"`` picks the required number of options
    at random (seeded), ``"none"`` leaves everything unanswered. Answers are saved once at
    the end (learn modes finish by themselves; an exam stays open until finished).

    Raises
    ------
    ParameterError
        For an unknown strategy.
    """
    if strategy not in STRATEGIES:
        raise ParameterError(f"answer_strategy parameter: {strategy!r} is not one of "
                             f"{', '.join(map(repr, STRATEGIES))} (or None to answer yourself)")
    if strategy == "none":
        return 0
    rng = np.random.default_rng(seed)
    answered = 0
    for number in range(1, len(attempt) + 1):
        shown = attempt.question(number)
        if shown.chosen or attempt.finished:
            continue
        if strategy == "key":
            picks = attempt.answer_key(number)
        else:
            picks = [int(p) for p in rng.choice(len(shown.options), shown.picks, replace=False)]
        attempt.answer(number, picks, persist=False)
        answered += 1
    if answered:
        attempt.save()
    return answered


def correct_ids(workspace: Workspace | None, bank: Bank) -> list[str]:
    """Ids of questions the learner has answered correctly in any saved attempt."""
    if workspace is None:
        return []
    return [qid for state in AttemptStore(workspace).attempts()
            for qid, given in state.answers.items()
            if qid in bank.by_id and given == bank.by_id[qid].key]


def topic_history(workspace: Workspace, bank: Bank) -> pd.DataFrame:
    """Per-topic questions and correct answers over every saved attempt.

    Finished attempts count every question (unanswered ones as wrong); unfinished learn and
    practice attempts count the questions answered so far. An unfinished exam counts
    nothing: its answers must not reveal, topic by topic, which were right before Finish.

    Returns
    -------
    pandas.DataFrame
        Indexed by topic (all topics), columns ``title``, ``questions``, ``correct``,
        ``percent``.
    """
    scores = {t: [0, 0] for t in TOPICS}
    for state in AttemptStore(workspace).attempts():
        if state.mode == "exam" and state.finished_at is None:
            continue
        asked = state.question_ids if state.finished_at else list(state.answers)
        for qid in asked:
            question = bank.by_id.get(qid)
            if question is not None and question.topic in scores:
                scores[question.topic][1] += 1
                scores[question.topic][0] += int(state.answers.get(qid) == question.key)
    return topic_table({t: (c, n) for t, (c, n) in scores.items()})


def weakest_topics(history: pd.DataFrame, n: int = 2) -> list[str]:
    """The ``n`` topics with the lowest smoothed share correct, ``(correct + 1) / (n + 2)``:
    topics never practised count as half right, so they come before well-known ones.

    Examples
    --------
    >>> table = topic_table({"events": (9, 10), "artifacts": (2, 5), "scrum_team": (0, 0)})
    >>> weakest_topics(table, 2)
    ['artifacts', 'scrum_team']
    """
    rate = (history["correct"] + 1) / (history["questions"] + 2)
    order = sorted(range(len(history)), key=lambda i: (rate.iloc[i], i))
    return [history.index[i] for i in order[:n]]


def weakest_topics_sentence(history: pd.DataFrame, n: int = 2) -> str:
    """One line naming the ``n`` weakest topics of :func:`topic_history`, or saying that
    there is no history yet (then no topic is weaker than another).

    Examples
    --------
    >>> weakest_topics_sentence(topic_table({"events": (9, 10), "artifacts": (2, 5)}), 1)
    'Your weakest topic: Artifacts and commitments'
    >>> weakest_topics_sentence(topic_table({"events": (0, 0), "artifacts": (0, 0)}))
    'No practice history yet: answer some questions first.'
    """
    if not history["questions"].sum():
        return "No practice history yet: answer some questions first."
    titles = [str(history.loc[t, "title"]) for t in weakest_topics(history, n)]
    return f"Your weakest topic{'s' if len(titles) > 1 else ''}: " + ", ".join(titles)


def attempts_sentence(history: pd.DataFrame) -> str:
    """Empty string when :func:`attempt_history` has rows, else one line saying why not.

    Examples
    --------
    >>> attempts_sentence(pd.DataFrame({"mode": ["exam"], "score": [0.9]}))
    ''
    >>> attempts_sentence(pd.DataFrame(columns=["mode", "score"]))
    'No finished attempts yet: finish a learn session or a practice exam first.'
    """
    if len(history):
        return ""
    return "No finished attempts yet: finish a learn session or a practice exam first."


def attempt_history(workspace: Workspace) -> pd.DataFrame:
    """One row per finished attempt, oldest first: name, mode, who answered, start, score."""
    rows = [{"attempt": s.name, "mode": s.mode, "answered_by": s.answered_by,
             "started_at": s.started_at, "questions": s.summary.questions,
             "correct": s.summary.correct, "score": s.summary.score,
             "passed": s.summary.passed}
            for s in AttemptStore(workspace).attempts()
            if s.finished_at is not None and s.summary is not None]
    return pd.DataFrame(rows, columns=["attempt", "mode", "answered_by", "started_at",
                                       "questions", "correct", "score", "passed"])


def plot_progress(history: pd.DataFrame, pass_mark: float = 0.85, ax: Axes | None = None
                  ) -> Axes:
    """Score of each finished attempt in order, one marker per mode, with the pass mark.

    Examples
    --------
    >>> table = pd.DataFrame({"mode": ["exam", "learn"], "score": [0.6, 0.9]})
    >>> len(plot_progress(table).lines)
    3
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.5))
    numbers = np.arange(1, len(history) + 1)
    markers = {"exam": "o", "learn": "s", "practice": "^", "check": "D"}
    for mode, marker in markers.items():
        mask = (history["mode"] == mode).to_numpy()
        if mask.any():
            ax.plot(numbers[mask], 100 * history["score"].to_numpy()[mask], marker=marker,
                    linestyle="-" if mode == "exam" else "none", label=mode)
    ax.axhline(100 * pass_mark, color="#a00", linestyle="--", linewidth=1,
               label=f"pass mark {pass_mark:.0%}")
    ax.set_ylim(0, 105)
    ax.set_xlabel("attempt")
    ax.set_ylabel("score (%)")
    ax.set_title("Your progress across attempts")
    ax.legend(loc="lower right", frameon=False)
    return ax


def plot_topic_scores(result: Result, ax: Axes | None = None) -> Axes:
    """Horizontal bars of the per-topic percentages of one result, with the pass mark."""
    import matplotlib.pyplot as plt

    table = result.topics
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.35 * len(table) + 1))
    colours = ["#749335" if p >= 100 * result.pass_mark else "#c77c2e"
               for p in table["percent"]]
    ax.barh(table["title"], table["percent"], color=colours)
    ax.axvline(100 * result.pass_mark, color="#a00", linestyle="--", linewidth=1)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("correct (%)")
    ax.set_title(result.headline())
    return ax


def module_check(part_id: int, workspace: Workspace | str | Path | None = None,
                 seed: int = 42, strategy: str | None = None, *, bank: Bank | None = None,
                 n: int = 5, clock: Clock = utc_now) -> QuizView:
    """The end-of-module check: ``n`` learn-mode questions on the topics of part ``part_id``.

    Returns a widget view (display it as a cell's last expression). ``workspace`` is a
    :class:`Workspace` or the notebook's ``workspace`` parameter (``None``: the default
    folder); answers are autosaved there as a new attempt. With ``strategy`` (``"key"`` or
    ``"random"``) the questions are answered unattended, for headless runs; with ``None``
    nothing is answered and nothing is written until the learner answers.

    Examples
    --------
    >>> import tempfile
    >>> bank = load_bank("tests/fixtures/questions")
    >>> view = module_check(5, tempfile.mkdtemp(), seed=1, strategy="key", bank=bank, n=4)
    >>> view.attempt.result().headline()
    'Score 4/4 (100.0%): passed (pass mark 85%)'
    """
    from pspo_lab.widgets.notebook import open_workspace
    from pspo_lab.widgets.quiz import QuizView

    if part_id not in MODULE_TOPICS:
        raise ParameterError(f"module_check: part {part_id} has no check (expected one of "
                             f"{sorted(MODULE_TOPICS)})")
    ws = workspace if isinstance(workspace, Workspace) else open_workspace(workspace)
    bank = bank if bank is not None else load_bank()
    attempt = start_learn(bank, seed, MODULE_TOPICS[part_id], n, workspace=ws, clock=clock,
                          mode="check", title=f"Module {part_id} check",
                          answered_by=strategy or "learner")
    if strategy is not None:
        answer_all(attempt, strategy, seed)
    return QuizView(attempt)

