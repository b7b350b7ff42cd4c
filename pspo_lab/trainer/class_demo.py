"""A fictional class: seeded workspace exports of learners, to try ``pspo-lab cohort collect``.

Each learner gets an ability and a pace from the seed. They save the forms of the modules
they reached (the forms' FreshCrate starting values), experiment cards in every status,
the product-mindset self-check, and the cohort's first practice exam (the exam everybody
with the cohort's ``seed`` draws); some retake it. Answers follow a simple item-response
model: right more often for able learners and easy questions; wrong answers lean towards
one tempting option per question, so the class shows misconceptions worth a debrief.
Timestamps are fixed, so the same seed writes the same bytes.

``pspo-lab cohort example-exports FOLDER`` writes them; ``datasets/workspaces/class/`` holds
the 30 learners of seed 42.

>>> import tempfile
>>> [p.name for p in write_class_exports(tempfile.mkdtemp(), learners=2, seed=3)]
['learner-01.json', 'learner-02.json']
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np

from pspo_lab.analysis.attempts import FakeClock
from pspo_lab.analysis.canvas import CANVASES
from pspo_lab.analysis.cards import EXAMPLE_CARD, card_name
from pspo_lab.analysis.catchup import EXAMPLE_PLAN, EXAMPLE_REFLECTION, STATUSES
from pspo_lab.analysis.empiricism import ComplexityFactors
from pspo_lab.analysis.exam import Attempt
from pspo_lab.analysis.metrics_inventory import MetricsInventory
from pspo_lab.analysis.mindset import MINDSET_STATEMENTS
from pspo_lab.analysis.product import ProductDefinition
from pspo_lab.analysis.sessions import start_exam
from pspo_lab.analysis.story_map import Decision, Roadmap
from pspo_lab.analysis.strategy import CostInputs, TargetSegments
from pspo_lab.analysis.strategy_maps import AssumptionList, ImpactMapDraft
from pspo_lab.content.cohort_files import load_cohort
from pspo_lab.content.framework import ProcessCheck
from pspo_lab.content.question_bank import Bank, load_bank
from pspo_lab.core import records
from pspo_lab.core.files import write_atomic
from pspo_lab.core.workspace import (
    EXPORT_FORMAT,
    SCHEMA_VERSION,
    Record,
    WorkspaceExport,
)

FIRST_NAMES = ("amara", "bao", "carmen", "dmitri", "elif", "farid", "greta", "hiro", "ines",
               "jonas", "kofi", "lena", "mateo", "nadia", "oskar", "priya", "quinn", "rosa",
               "sami", "tove", "ulla", "viktor", "wen", "ximena", "yusuf", "zoe")
FAMILY_NAMES = ("abara", "berg", "castro", "dahl", "eze", "fontaine", "gupta", "holm", "ito",
                "jansen", "kowalski", "lindqvist", "moreau", "nakamura", "okoro", "petrov")
#: The module forms a learner saves, by module, with the values they save.
_FORMS: dict[int, list[tuple[records.RecordName, dict[str, Any]]]] = {
    1: [(records.PRODUCT_DEFINITION, ProductDefinition().model_dump(mode="json"))],
    2: [*[(records.CANVASES.named(name), model().model_dump(mode="json"))
          for name, model in CANVASES.items()],
        (records.STRATEGY_TARGETS, TargetSegments().model_dump(mode="json")),
        (records.STRATEGY_TCO, CostInputs().model_dump(mode="json")),
        (records.STRATEGY_ASSUMPTIONS, AssumptionList().model_dump(mode="json")),
        (records.STRATEGY_IMPACT_MAP, ImpactMapDraft().model_dump(mode="json"))],
    3: [(records.METRICS_INVENTORY, MetricsInventory().model_dump(mode="json"))],
    4: [(records.COMPLEXITY_FACTORS, ComplexityFactors().model_dump(mode="json"))],
    5: [(records.SCRUM_CHECK, ProcessCheck().model_dump(mode="json"))],
    6: [(records.BACKLOG_ROADMAP, Roadmap().model_dump(mode="json")),
        (records.DECISION_LOG.named("latest"), Decision().model_dump(mode="json"))],
    9: [(records.CATCHUP_REFLECTION, EXAMPLE_REFLECTION),
        (records.CATCHUP_PLAN, EXAMPLE_PLAN | {"check_in_on": "2026-04-08"})],
}
_CARD_TEXTS = (
    ("Release in two slices", "Releasing half of the new recipes early shows which ones draw "
     "sign-ups before the rest is built."),
    ("Ask five customers first", "Five short calls with subscribers before refinement change "
     "the order of the top ten items."),
    ("One measure of value", "Tracking repeat orders instead of features shipped changes what "
     "the team talks about at the Sprint Review."),
    ("A shorter feedback loop", "Releasing every week instead of every month halves the time "
     "from idea to the first customer reaction."),
    ("Stakeholders at the Review", "Stakeholders who try the Increment at the Sprint Review "
     "send fewer requests straight to the Developers."),
    ("A Product Backlog we can read", "A Product Backlog of at most fifty items is one that "
     "stakeholders read and trust."),
    ("Forecast as a range", "A forecast given as a range with its likelihood ends the "
     "arguments about fixed dates."))
_OUTCOMES = {"done": ("More sign-ups than expected", "Customers valued speed over choice"),
             "abandoned": ("Stopped after a week", "The measure did not tell us enough")}


def _self_check(rng: np.random.Generator) -> dict[str, int]:
    leaning = rng.uniform(2.0, 4.4)
    return {f"q{n:02d}": int(np.clip(np.round(rng.normal(6 - leaning if reverse else leaning,
                                                          0.9)), 1, 5))
            for n, (_, _, reverse) in enumerate(MINDSET_STATEMENTS, start=1)}


def _answer_exam(exam: Attempt, rng: np.random.Generator, ability: float,
                 temptation: dict[str, tuple[float, int]], clock: FakeClock) -> None:
    """Answer every question (a few left out by some learners) and finish the exam."""
    skips = rng.random() < 0.2
    for number, question in enumerate(exam.questions, start=1):
        clock.advance(seconds=float(rng.uniform(10, 40)))
        if skips and rng.random() < 0.04:
            continue
        ease, lure = temptation[question.id]
        key = [exam.state.orders[number - 1].index(o) for o in question.key]
        if rng.random() < 1 / (1 + np.exp(-(1.3 * ability + ease))):
            exam.answer(number, key, persist=False)
            continue
        wrong = [o for o in range(len(question.options)) if o not in question.key]
        weights = np.array([4.0 if o == lure else 1.0 for o in wrong])
        picked = wrong[int(rng.choice(len(wrong), p=weights / weights.sum()))]
        chosen = question.key[1:] + [picked] if question.picks > 1 else [picked]
        exam.answer(number, [exam.state.orders[number - 1].index(o) for o in chosen],
                    persist=False)
    exam.finish(persist=False)


def _learner_name(number: int) -> str:
    """A unique fictional learner id for learner ``number`` (1, 2, ...), e.g. ``amara.abara``.

    Examples
    --------
    >>> _learner_name(1), _learner_name(27), _learner_name(417)
    ('amara.abara', 'amara.berg', 'amara.abara2')
    """
    first, family = FIRST_NAMES, FAMILY_NAMES
    index = number - 1
    name = f"{first[index % len(first)]}.{family[index // len(first) % len(family)]}"
    repeat = index // (len(first) * len(family))
    return f"{name}{repeat + 1}" if repeat else name


def _record(address: records.RecordName, data: dict[str, Any], when: dt.datetime) -> Record:
    return Record(schema_version=SCHEMA_VERSION, kind=address.kind, name=str(address.name),
                  saved_at=when, data=data)


def class_exports(learners: int = 30, seed: int = 42, cohort: str = "apac-evening",
                  bank: Bank | None = None) -> list[WorkspaceExport]:
    """The exports of a fictional class, in memory (see the module docstring).

    The last learner's export carries no ``learner`` id, as exports written before the id
    existed (a collection names it by its file name).

    Examples
    --------
    >>> exports = class_exports(learners=3, seed=5)
    >>> [e.learner is None for e in exports]
    [False, False, True]
    """
    bank = bank or load_bank()
    chosen = load_cohort(cohort)
    start = dt.datetime.combine(chosen.start_date, dt.time(9), tzinfo=dt.UTC)
    rng = np.random.default_rng(seed)
    temptation = {q.id: (float(rng.normal(2.6 - 0.5 * q.difficulty, 0.8)),
                         int(rng.choice([o for o in range(len(q.options)) if o not in q.key])))
                  for q in bank.questions}
    exports = []
    for number in range(1, learners + 1):
        mine = np.random.default_rng([seed, number])
        ability, reached = float(mine.normal(0, 1)), int(mine.choice([6, 8, 9, 9, 9, 9, 9]))
        when = start + dt.timedelta(days=1, minutes=number)
        saved = [_record(records.PRODUCT_SELF_CHECK, _self_check(mine), when)]
        for module in range(1, reached + 1):
            if mine.random() < 0.9:
                saved += [_record(address, data, when + dt.timedelta(days=module))
                          for address, data in _FORMS.get(module, [])]
            if module <= 8 and mine.random() < 0.75:
                status = str(mine.choice(STATUSES, p=[0.3, 0.3, 0.3, 0.1]))
                outcome, learned = _OUTCOMES.get(status, ("", ""))
                title, hypothesis = _CARD_TEXTS[(module + number) % len(_CARD_TEXTS)]
                card = EXAMPLE_CARD | {
                    "title": title, "hypothesis": hypothesis,
                    "review_date": (chosen.start_date + dt.timedelta(days=14 + module)
                                    ).isoformat(),
                    "status": status, "outcome": outcome, "learned": learned}
                saved.append(_record(records.EXPERIMENT_CARDS.named(card_name(module)),
                                     card, when + dt.timedelta(days=module)))
        for attempt in range(2 if reached >= 8 and mine.random() < 0.35 else 1 if reached >= 8
                             else 0):
            clock = FakeClock(start + dt.timedelta(days=8 + 2 * attempt, minutes=number))
            exam = start_exam(bank, chosen.parameters.seed, clock=clock, number=attempt)
            exam.state.name = f"exam-{clock():%Y%m%d-%H%M%S}-{number:04x}"
            _answer_exam(exam, mine, ability + 0.4 * attempt, temptation, clock)
            saved.append(_record(records.ASSESSMENT_ATTEMPTS.named(exam.state.name),
                                 exam.state.model_dump(mode="json"), clock()))
        name = _learner_name(number)
        exports.append(WorkspaceExport(
            format=EXPORT_FORMAT, format_version=SCHEMA_VERSION,
            exported_at=start + dt.timedelta(days=24, minutes=number),
            learner=name if number < learners else None,
            records=sorted(saved, key=lambda r: (r.kind, r.name))))
    return exports


def write_class_exports(folder: str | Path, learners: int = 30, seed: int = 42,
                        cohort: str = "apac-evening") -> list[Path]:
    """Write :func:`class_exports` as ``learner-01.json`` ... into ``folder`` (atomically).

    Returns
    -------
    list of Path
        The files written, in order.
    """
    paths = []
    for number, bundle in enumerate(class_exports(learners, seed, cohort), start=1):
        path = Path(folder) / f"learner-{number:02d}.json"
        unset = {"learner"} if bundle.learner is None else None
        write_atomic(path, bundle.model_dump_json(indent=2, exclude=unset) + "\n")
        paths.append(path)
    return paths
