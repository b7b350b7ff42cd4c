"""Starting practice-assessment sessions: drawing questions, starting, resuming, answering.

* :func:`start_exam`: 80 questions drawn by the blueprint (questions per PSPO I focus area,
  see :mod:`pspo_lab.content.blueprint`), in the format of the syllabus (60 minutes, 85% to pass);
* :func:`start_learn`: untimed questions with feedback after each answer (also the
  5-question check at the end of modules 1-7, topics in :data:`MODULE_TOPICS`);
* :func:`start_weak_topic_practice`: learn mode on the learner's weakest topics;
* :func:`resume`: continue an attempt cut short, e.g. by a kernel restart;
* :func:`answer_all`: answer unattended, for headless runs of the notebooks.

Each practice exam's seed comes from the notebook's seed and the number of exams already
saved in the workspace (:func:`attempt_seed`), so a retake is a new draw and every run stays
reproducible.

>>> import datetime as dt
>>> from pspo_lab.analysis.attempts import FakeClock
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

from collections import Counter
from collections.abc import Iterable

import numpy as np

from pspo_lab.analysis.attempts import (
    AttemptStore,
    Clock,
    Mode,
    attempts_saved,
    correct_ids,
    topic_history,
    utc_now,
    weakest_topics,
)
from pspo_lab.analysis.exam import Attempt, new_attempt
from pspo_lab.content.blueprint import Blueprint, load_blueprint
from pspo_lab.content.question_bank import TOPICS, Bank
from pspo_lab.content.syllabus import load_syllabus
from pspo_lab.core.errors import DataError, ParameterError
from pspo_lab.core.workspace import Workspace

STRATEGIES = ("key", "random", "none")

#: Topics of the end-of-module check of syllabus parts 1-7.
MODULE_TOPICS: dict[int, tuple[str, ...]] = {
    1: ("product_value_ebm", "stakeholders_customers"),
    2: ("business_strategy", "vision_product_goal"),
    3: ("product_value_ebm",),
    4: ("empiricism_values",),
    5: ("scrum_team", "events", "artifacts", "definition_of_done"),
    6: ("backlog_management", "stakeholders_customers"),
    7: ("forecasting_release", "flow"),
}


def draw_exam(bank: Bank, seed: int, blueprint: Blueprint | dict[str, int] | None = None
              ) -> list[str]:
    """Question ids for an exam, drawn at random per focus area of ``blueprint``, mixed.

    No two questions of one ``fact`` (variants of one fact) come into one exam, and no cap
    of the blueprint (flow items, named techniques) is exceeded.

    Parameters
    ----------
    bank
        The question bank.
    seed
        Seed of the draw and of the mixing.
    blueprint
        The blueprint; a ``{topic: count}`` mapping draws per topic without caps; ``None``
        uses :func:`~pspo_lab.content.blueprint.load_blueprint`.

    Raises
    ------
    DataError
        If a focus area has fewer questions than the blueprint asks for.

    Examples
    --------
    >>> from pspo_lab.content.question_bank import load_bank
    >>> bank = load_bank("tests/fixtures/questions")
    >>> sorted(draw_exam(bank, seed=1, blueprint={"events": 2}))
    ['EVT-001', 'EVT-002']
    """
    if blueprint is None:
        blueprint = load_blueprint()
    elif isinstance(blueprint, dict):
        blueprint = Blueprint.per_topic(blueprint)
    rng = np.random.default_rng(seed)
    facts: set[str] = set()
    capped: Counter[str] = Counter()
    drawn: list[str] = []
    for area in blueprint.focus_areas:
        pool = [q for topic in area.topics for q in bank.topic(topic)]
        where = f"focus area {area.title!r} (topics {', '.join(area.topics)})"
        if len(pool) < area.questions:
            raise DataError(f"question bank: {where} has {len(pool)} questions, the exam "
                            f"blueprint needs {area.questions}")
        taken = 0
        for i in rng.permutation(len(pool)):
            if taken == area.questions:
                break
            question = pool[i]
            caps = [c for c in blueprint.caps if c.applies_to(question)]
            if question.fact in facts or any(capped[c.name] >= c.at_most for c in caps):
                continue
            facts.update([question.fact] if question.fact else [])
            capped.update(c.name for c in caps)
            drawn.append(question.id)
            taken += 1
        if taken < area.questions:
            raise DataError(f"question bank: {where} has only {taken} questions of distinct "
                            f"facts within the caps, the exam blueprint needs {area.questions}")
    return [drawn[i] for i in rng.permutation(len(drawn))]


def draw_topics(bank: Bank, topics: Iterable[str], n: int, seed: int,
                avoid: Iterable[str] = ()) -> list[str]:
    """``n`` question ids spread evenly over ``topics`` (round robin), preferring ids not in
    ``avoid``.

    Examples
    --------
    >>> from pspo_lab.content.question_bank import load_bank
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


def _assessment_format() -> tuple[int, float]:
    exam = load_syllabus().assessment
    return exam.minutes, exam.pass_mark


def start_exam(bank: Bank, seed: int, *, workspace: Workspace | None = None,
               clock: Clock = utc_now, blueprint: Blueprint | dict[str, int] | None = None,
               answered_by: str = "learner", number: int | None = None) -> Attempt:
    """A timed practice exam in the PSPO I format of the syllabus (80 questions, 60 minutes,
    85% to pass), drawn by ``blueprint`` (see :func:`draw_exam`).

    ``number`` is the attempt number (0 for the first exam); by default it is the number of
    exams already saved in ``workspace``. Questions and option order come from
    :func:`attempt_seed` of ``seed`` and ``number``: each retake is a new draw, and the same
    seed and number always give the same exam.

    Examples
    --------
    >>> from pspo_lab.content.question_bank import load_bank
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
