"""Module 2, the Minimum Viable Product: the smallest experiment that tests an assumption.

An MVP is the smallest thing a team can build or do to learn whether a risky assumption
holds, from what real people *do*, not only from what they say. It is not the first release
of the full plan, and not a half-finished product: the question it answers comes first, the
product second. The Scrum Guide 2020 does not use the term; it fits Scrum because every
Sprint can produce a usable Increment to learn from.

The exercise offers candidate experiments for one of FreshCrate's assumptions; each states its
cost in working days, the kind of evidence it brings and whether it tests the assumption at
all. :func:`smallest_test` picks the cheapest one that tests it with behaviour.

>>> smallest_test(FRESHCRATE_OPTIONS).key
'concierge'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from pspo_lab.core.errors import ParameterError

Evidence = Literal["none", "opinion", "indirect", "behaviour"]
EVIDENCE_RANK: dict[str, int] = {"none": 0, "opinion": 1, "indirect": 2, "behaviour": 3}
"""How much each kind of evidence says about what people will really do."""

FRESHCRATE_ASSUMPTION = "Customers will choose their menu by Sunday evening"
"""The assumption the exercise tests: a line of FreshCrate's example assumption map."""


@dataclass(frozen=True)
class Option:
    """A candidate experiment: its cost, its evidence and why."""

    key: str
    experiment: str
    days: int
    evidence: Evidence
    tests_assumption: bool
    why: str


FRESHCRATE_OPTIONS: tuple[Option, ...] = (
    Option("full-planner", "Build the complete weekly planner with reminders and suggestions, "
           "release it after four Sprints and see when people choose", 40, "behaviour", True,
           "It would test the assumption, but only after two months of work that is wasted "
           "if the assumption is wrong."),
    Option("survey", "Ask 500 subscribers in a survey whether they would choose by Sunday "
           "evening", 2, "opinion", True,
           "Cheap, but people say what sounds reasonable; what they do on a busy Sunday can "
           "differ."),
    Option("order-data", "Count how many subscribers already choose before Sunday evening "
           "today, when they may wait until Tuesday", 1, "indirect", True,
           "Worth a look first, but it shows behaviour under today's deadline, not under "
           "the new one."),
    Option("concierge", "For four weeks, ask 30 new subscribers to choose by Sunday evening "
           "through a simple form; customer care enters the orders by hand", 5, "behaviour",
           True, "Real customers under the real deadline, with almost nothing built: the "
           "smallest experiment that shows what people do."),
    Option("photos", "A/B test new photos on the recipe pages", 3, "behaviour", False,
           "It measures behaviour, but of another question: better photos say nothing about "
           "the Sunday deadline."),
)
"""Candidate experiments for :data:`FRESHCRATE_ASSUMPTION`."""


def options_table(options: Sequence[Option] = FRESHCRATE_OPTIONS) -> pd.DataFrame:
    """The candidates as the learner sees them before answering: no verdict.

    Examples
    --------
    >>> options_table().columns.tolist()
    ['experiment', 'working days']
    """
    return pd.DataFrame({"experiment": [o.experiment for o in options],
                         "working days": [o.days for o in options]},
                        index=pd.Index([o.key for o in options], name="option"))


def smallest_test(options: Sequence[Option]) -> Option:
    """The cheapest option that tests the assumption with behavioural evidence.

    Raises
    ------
    ParameterError
        If no option tests the assumption with behaviour.

    Examples
    --------
    >>> smallest_test(FRESHCRATE_OPTIONS[:2]).key
    'full-planner'
    """
    valid = [o for o in options if o.tests_assumption and o.evidence == "behaviour"]
    if not valid:
        raise ParameterError("options: none tests the assumption with behaviour (expected at "
                             "least one option with evidence 'behaviour' that tests it)")
    return min(valid, key=lambda o: o.days)


def rank_options(options: Sequence[Option] = FRESHCRATE_OPTIONS) -> pd.DataFrame:
    """Every option with its verdict, the best first: what the answer reveals.

    Options that test the assumption come first, then by the strength of their evidence
    (behaviour first), then by cost.

    Returns
    -------
    pandas.DataFrame
        Indexed by option key: ``experiment``, ``working days``, ``evidence``,
        ``tests the assumption`` ("yes"/"no"), ``verdict`` and ``why``.

    Examples
    --------
    >>> rank_options()["verdict"].tolist()[:2]
    ['the smallest test', 'tests it, at a higher cost']
    """
    best = smallest_test(options)

    def verdict(option: Option) -> str:
        if option is best:
            return "the smallest test"
        if not option.tests_assumption:
            return "does not test it"
        if option.evidence != "behaviour":
            return "weaker evidence"
        return "tests it, at a higher cost"

    ordered = sorted(options, key=lambda o: (not o.tests_assumption,
                                             -EVIDENCE_RANK[o.evidence], o.days))
    return pd.DataFrame(
        {"experiment": [o.experiment for o in ordered],
         "working days": [o.days for o in ordered],
         "evidence": [o.evidence for o in ordered],
         "tests the assumption": ["yes" if o.tests_assumption else "no" for o in ordered],
         "verdict": [verdict(o) for o in ordered], "why": [o.why for o in ordered]},
        index=pd.Index([o.key for o in ordered], name="option"))


def answer_text(options: Sequence[Option] = FRESHCRATE_OPTIONS) -> str:
    """The answer to the exercise in a few lines, for :func:`~pspo_lab.widgets.notebook.reveal`.

    Examples
    --------
    >>> print(answer_text().splitlines()[0])  # doctest: +ELLIPSIS
    The smallest experiment: concierge (5 working days). Real customers under the real ...
    """
    best = smallest_test(options)
    lines = [f"The smallest experiment: {best.key} ({best.days} working days). {best.why}"]
    lines += [f"{o.key}: {o.why}" for o in options if o is not best]
    return "\n".join(lines)
