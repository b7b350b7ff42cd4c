"""Saved practice-assessment attempts: their form, where they are kept, and the history.

Attempts are saved in the learner's workspace (record kind
:data:`pspo_lab.core.records.ASSESSMENT_ATTEMPTS`): the in-progress attempt is autosaved as
answers are given, so a kernel restart can resume it, and finishing saves it explicitly. An
attempt only ever writes its own, newly named record. The history functions read every saved
attempt back: questions answered correctly, scores per topic, the weakest topics and one row
per finished attempt. The clocks of attempts live here too, so that every module of the
assessment shares them.

>>> import tempfile
>>> from pspo_lab.content.question_bank import load_bank
>>> store = AttemptStore(Workspace(tempfile.mkdtemp()))
>>> store.attempts(), attempts_saved(store.workspace, "exam")
([], 0)
>>> history = topic_history(store.workspace, load_bank("tests/fixtures/questions"))
>>> int(history["questions"].sum()), weakest_topics(history, 1)
(0, ['empiricism_values'])
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pspo_lab.content.question_bank import TOPICS, Bank
from pspo_lab.core import records
from pspo_lab.core.errors import DataError, format_pydantic_error
from pspo_lab.core.workspace import Workspace

Mode = Literal["learn", "exam", "practice", "check"]

Clock = Callable[[], dt.datetime]


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

    Both go through :meth:`Workspace.save`: an autosave replaces the attempt's own record
    without history; :meth:`save` keeps the previous version in history. A new
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
        """Write the in-progress attempt to its own record, replacing only that record.

        It goes through the workspace's lock and all-or-nothing write, like any save, but
        keeps no history: the replaced autosave is an older draft of the same attempt.
        """
        self.workspace.save(*records.ASSESSMENT_ATTEMPTS.named(state.name),
                            state.model_dump(mode="json"), keep_history=False)

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


def attempts_saved(workspace: Workspace | None, mode: Mode) -> int:
    """How many attempts of ``mode`` the workspace holds, finished or not (0 without one)."""
    if workspace is None:
        return 0
    return sum(state.mode == mode for state in AttemptStore(workspace).attempts())


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
