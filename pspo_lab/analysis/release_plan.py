"""The release plan of module 7: what a release should achieve, what is in it, how to check it.

A release plan here is not a list of features with a date. It names the outcome the release
aims at on the way to the Product Goal, the items in it, who gets it first, the forecast as a
range with a confidence, and how the team will know afterwards whether it delivered the
value expected. Saved as ``forecast/release-plan``; until then the form starts from the
learner's product profile (:mod:`pspo_lab.analysis.journey`) or from FreshCrate.

>>> ReleasePlan().product_goal
'Busy families plan a week of dinners in under five minutes'
>>> plan_ids(["PB-004 Simplify box customisation", "a new idea"], ["PB-004", "PB-005"])
['PB-004']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from pspo_lab.analysis.story_map import story_map

_ID = re.compile(r"\b[A-Z]{1,5}-\d+\b")


class ReleasePlan(BaseModel):
    """A release aimed at an outcome, with the check of its value planned in advance."""

    model_config = ConfigDict(extra="forbid")

    product_goal: str = Field("Busy families plan a week of dinners in under five minutes",
                              min_length=1, max_length=200, title="Product Goal")
    release_goal: str = Field(
        "Weekly subscribers choose and adjust the week's dinners without calling customer "
        "care", min_length=1, max_length=200,
        title="What this release should achieve (an outcome, not a feature list)")
    items: list[str] = Field(default_factory=lambda: [
        "Swap a recipe on this week's menu until the deadline",
        "Allergy filters that cover the 14 EU allergens",
        "A reminder 24 hours before the menu deadline"], max_length=30,
        title="Items in the release (one per line; start a line with its id, e.g. PB-004)")
    first_users: str = Field("One in ten weekly subscribers, chosen at random",
                             max_length=200, title="Who gets it first")
    forecast: str = Field("85% likely within six weeks (Monte Carlo on the last 90 days)",
                          max_length=200, title="When, as a range with a confidence")
    value_measure: str = Field("Active subscribers who order at least twice a month",
                               min_length=1, max_length=150,
                               title="How we will know it delivered value")
    expected_result: str = Field(
        "Calls to customer care about menu changes halve; active subscribers up 2% in eight "
        "weeks", max_length=200, title="Result expected, to check after the release")
    inspect_at: str = Field("The first Sprint Review after the release, and again four weeks "
                            "later", max_length=200, title="When we inspect the result")


def plan_ids(items: Iterable[str], known: Iterable[str]) -> list[str]:
    """The Product Backlog ids that the lines of a release plan start with or mention.

    Only ids in ``known`` count, each once, in the order of the lines.

    Examples
    --------
    >>> plan_ids(["PB-007 and PB-002", "PB-007 again", "PB-999"], ["PB-002", "PB-007"])
    ['PB-007', 'PB-002']
    """
    valid = set(known)
    found: list[str] = []
    for line in items:
        found += [i for i in _ID.findall(line) if i in valid and i not in found]
    return found


def choose_release(lines: Iterable[str], backlog: pd.DataFrame) -> tuple[list[str], str]:
    """The items of the release to check, and a sentence saying where they come from.

    The ids the plan's lines name (:func:`plan_ids`) when there are any; otherwise the first
    release slice (R1) of the backlog's story map, as module 6 draws it.

    Parameters
    ----------
    lines
        The ``items`` of a :class:`ReleasePlan`.
    backlog
        The Product Backlog (``id``, ``title``, ``activity``, ``effort`` and the WSJF
        estimates).

    Returns
    -------
    tuple
        The ids, and a sentence naming their source.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> backlog = load_dataset("backlog")
    >>> choose_release(["PB-004 Simplify box customisation"], backlog)
    (['PB-004'], 'The release checked: the 1 item(s) of your release plan.')
    >>> ids, source = choose_release(ReleasePlan().items, backlog)
    >>> source[:62]
    'The release checked: the first slice (R1) of the story map of '
    """
    ids = plan_ids(lines, backlog["id"])
    if ids:
        return ids, f"The release checked: the {len(ids)} item(s) of your release plan."
    first = story_map(backlog).query("release == 'R1'")["id"].tolist()
    return first, (f"The release checked: the first slice (R1) of the story map of module 6, "
                   f"{len(first)} items (your plan names no id of this backlog).")
