"""One sitting of the PSPO I practice assessment: answering, clock, scoring, feedback, review.

All state lives in Python objects; the widgets in :mod:`pspo_lab.widgets.quiz` only call
these methods. An :class:`Attempt` is one sitting (started by :mod:`pspo_lab.analysis.sessions`):

* **learn** (and the 5-question **check** at the end of modules 1-7, and weak-topic
  **practice**): every answer returns its :class:`Feedback` at once, with the explanation
  and the guide facts it rests on;
* **exam**: a time limit measured from timestamps (no background timer), no feedback until
  :meth:`Attempt.finish` (feedback and review of a running exam raise
  :class:`ExamStillOpen`), all-or-nothing scoring per question (a multi question counts only
  if exactly its key is chosen).

Options are shuffled per attempt from its seed. Answers are autosaved through the attempt's
:class:`~pspo_lab.analysis.attempts.AttemptStore`.

>>> import datetime as dt
>>> from pspo_lab.analysis.attempts import FakeClock
>>> from pspo_lab.content.question_bank import load_bank
>>> bank = load_bank("tests/fixtures/questions")
>>> clock = FakeClock(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC))
>>> exam = new_attempt(bank, ["ST-001", "EVT-001"], "exam", seed=1, title="demo", minutes=60,
...                    clock=clock)
>>> for number in (1, 2):
...     exam.answer(number, exam.answer_key(number))
>>> clock.advance(minutes=10)
>>> exam.time_remaining()
datetime.timedelta(seconds=3000)
>>> result = exam.finish()
>>> result.score, result.passed
(1.0, True)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from pspo_lab.analysis.attempts import (
    AttemptState,
    AttemptStore,
    Clock,
    Mode,
    Summary,
    TopicScore,
    topic_table,
    utc_now,
)
from pspo_lab.content.question_bank import Bank, Question, load_references
from pspo_lab.core.errors import DataError, ParameterError, PspoLabError
from pspo_lab.core.workspace import Workspace


class TimeUp(PspoLabError):
    """An exam answer came after the time limit; the attempt must be finished."""


class ExamStillOpen(ParameterError):
    """Keys, explanations or the review of an exam were asked for before it was finished."""


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


class Attempt:
    """One sitting: questions with shuffled options, answers, flags, clock and result.

    Create attempts with :func:`new_attempt`, or with the functions of
    :mod:`pspo_lab.analysis.sessions` (``start_exam``, ``start_learn``,
    ``start_weak_topic_practice``, ``resume``).

    Parameters
    ----------
    bank
        The question bank the attempt's question ids come from.
    state
        The attempt's saved form.
    clock
        Returns the current time; tests inject a
        :class:`~pspo_lab.analysis.attempts.FakeClock`.
    store
        Where to autosave and save; ``None`` keeps the attempt in memory only.
    """

    def __init__(self, bank: Bank, state: AttemptState, clock: Clock = utc_now,
                 store: AttemptStore | None = None) -> None:
        missing = [q for q in state.question_ids if q not in bank.by_id]
        if missing:
            raise DataError(f"attempt {state.name}: question(s) {missing[:3]} are no longer in "
                            "the bank; the attempt cannot be shown")
        _rename_moved_questions(state, bank)
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
                        references=[references.cite(r) for r in question.refs]
                        + ([f"Practice beyond the Guides: {question.source}"]
                           if question.source else []))

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
        >>> from pspo_lab.content.question_bank import load_bank
        >>> bank = load_bank("tests/fixtures/questions")
        >>> exam = new_attempt(bank, ["EVT-001", "EVT-002"], "exam", seed=1, title="demo",
        ...                    minutes=60)
        >>> exam.review()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        pspo_lab.analysis.exam.ExamStillOpen: attempt exam-...: the exam is still running; ...
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


def _rename_moved_questions(state: AttemptState, bank: Bank) -> None:
    """Give questions that moved topic (``formerly``) their current id in a saved attempt."""
    current = {q: bank.by_id[q].id for q in state.question_ids if bank.by_id[q].id != q}
    if current:
        state.question_ids = [current.get(q, q) for q in state.question_ids]
        state.answers = {current.get(q, q): given for q, given in state.answers.items()}
        state.flagged = [current.get(q, q) for q in state.flagged]


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
    >>> from pspo_lab.content.question_bank import load_bank
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
