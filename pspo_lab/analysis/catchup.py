"""The catch-up session two weeks after the course (module 9).

The learner reviews the experiment cards saved in modules 1-7 (status, outcome, what they
learned), writes a reflection journal and a plan for the next two weeks. The portfolio of
everything saved is built by :mod:`pspo_lab.analysis.portfolio`.

>>> import tempfile
>>> from pspo_lab.core.workspace import Workspace
>>> ws = Workspace(tempfile.mkdtemp())
>>> _ = ws.save("experiment-cards", "module-03", {"title": "Cook <fast>", "status": "done",
...             "outcome": "More picks", "learned": "Time matters"})
>>> cards_table(ws)[["module", "title", "status"]].to_dict("records")
[{'module': 3, 'title': 'Cook <fast>', 'status': 'done'}]
>>> saved_reflection(ws) is None
True
"""

from __future__ import annotations

import datetime as dt
import warnings
from typing import TYPE_CHECKING

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pspo_lab.analysis.abtest import SRM_THRESHOLD, sample_ratio_mismatch, two_proportion_test
from pspo_lab.analysis.cards import saved_cards
from pspo_lab.core import records
from pspo_lab.core.errors import DataError, format_pydantic_error
from pspo_lab.core.workspace import Workspace

if TYPE_CHECKING:
    from matplotlib.axes import Axes

STATUSES = ["planned", "running", "done", "abandoned"]
CARD_COLUMNS = ["module", "title", "status", "review_date", "hypothesis", "measure", "outcome",
                "learned"]


class Reflection(BaseModel):
    """The reflection journal: what happened when the course met everyday work."""

    model_config = ConfigDict(extra="forbid")

    tried: str = Field("What I tried at work since the course ...", min_length=1,
                       max_length=1000)
    went_well: str = Field("", max_length=600)
    was_hard: str = Field("", max_length=600)
    open_questions: str = Field("", max_length=600)
    next_step: str = Field("", max_length=300)


class TwoWeekPlan(BaseModel):
    """A plan for the two weeks after the catch-up session."""

    model_config = ConfigDict(extra="forbid")

    goal: str = Field("By the end of the two weeks I will have ...", min_length=1,
                      max_length=300)
    week_1: list[str] = Field(default_factory=list, max_length=8)
    week_2: list[str] = Field(default_factory=list, max_length=8)
    support_needed: str = Field("", max_length=400)
    check_in_on: dt.date = Field(default_factory=lambda: dt.date.today()
                                 + dt.timedelta(days=14))


EXAMPLE_REFLECTION = {
    "tried": "Wrote FreshCrate's Product Goal at the top of the Product Backlog and asked the "
             "team to check every new item against it.",
    "went_well": "Refinement got shorter: items that did not serve the goal were easy to park.",
    "was_hard": "Two stakeholders still send work straight to the Developers.",
    "open_questions": "How do I show the value of parked items to the people who asked for them?",
    "next_step": "Invite both stakeholders to the next Sprint Review as a working session.",
}

EXAMPLE_PLAN = {
    "goal": "Every item in the top of the Product Backlog names the outcome it should change.",
    "week_1": ["Add an outcome line to the ten highest-ordered items",
               "Agree on one measure for repeat orders with the Developers"],
    "week_2": ["Review the reorder experiment card with the team",
               "Take one timed practice exam and review the wrong answers"],
    "support_needed": "Ten minutes with the Scrum Master to plan the stakeholder conversation.",
}


def _saved(workspace: Workspace, name: str, model: type[BaseModel]) -> BaseModel | None:
    data = workspace.load(records.CATCHUP_REFLECTION.kind, name)
    if data is None:
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:  # shown as not saved, with a note; the file stays as it is
        where = records.RecordName(records.CATCHUP_REFLECTION.kind, name).path
        warnings.warn(format_pydantic_error(f"workspace record {where}", error)
                      + ": shown as not written yet (the file was left as it is)", UserWarning,
                      stacklevel=3)
        return None


def saved_reflection(workspace: Workspace) -> Reflection | None:
    """The learner's saved reflection, or ``None``."""
    return _saved(workspace, "reflection", Reflection)  # type: ignore[return-value]


def saved_plan(workspace: Workspace) -> TwoWeekPlan | None:
    """The learner's saved two-week plan, or ``None``."""
    return _saved(workspace, "two-week-plan", TwoWeekPlan)  # type: ignore[return-value]


def cards_table(workspace: Workspace) -> pd.DataFrame:
    """One row per saved experiment card, by module: title, status, review date, outcome,
    what was learned."""
    rows = [{"module": int(name.split("-")[1])} | card.model_dump()
            for name, card in saved_cards(workspace)]
    return pd.DataFrame(rows, columns=CARD_COLUMNS)


def status_counts(cards: pd.DataFrame) -> pd.Series:
    """Number of cards per status, in the order planned, running, done, abandoned.

    Examples
    --------
    >>> status_counts(pd.DataFrame({"status": ["done", "planned", "done"]})).to_dict()
    {'planned': 1, 'running': 0, 'done': 2, 'abandoned': 0}
    """
    return cards["status"].value_counts().reindex(STATUSES, fill_value=0).astype(int)


def due_for_review(cards: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Cards still planned or running whose review date is on or before ``as_of``.

    Examples
    --------
    >>> cards = pd.DataFrame({"title": ["a", "b"], "status": ["running", "done"],
    ...                       "review_date": [dt.date(2026, 1, 1), dt.date(2026, 1, 1)]})
    >>> due_for_review(cards, dt.date(2026, 1, 2))["title"].tolist()
    ['a']
    """
    open_cards = cards["status"].isin(["planned", "running"])
    due = pd.to_datetime(cards["review_date"]).dt.date <= as_of
    return cards[open_cards & due]


def plot_card_status(cards: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Bar chart of experiment cards per status.

    Examples
    --------
    >>> len(plot_card_status(pd.DataFrame({"status": ["done"]})).patches)
    4
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3))
    counts = status_counts(cards)
    ax.set_title("Your experiment cards by status")
    if counts.sum() == 0:  # an empty chart with a -0.04..0.04 axis tells nothing
        ax.text(0.5, 0.5, "Nothing saved yet: save an experiment card in any module's "
                "Assignment", ha="center", va="center", transform=ax.transAxes, wrap=True)
        ax.set_axis_off()
        return ax
    ax.bar(counts.index, counts.to_numpy(), color=["#9bb7d4", "#e3b23c", "#749335", "#999999"])
    # cards are counted: never halves
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    ax.set_ylabel("cards")
    return ax


def experiment_review(experiments: pd.DataFrame, z_needed: float = 1.96) -> pd.DataFrame:
    """Per A/B experiment: conversion of control and treatment, lift, and whether the data
    support the hypothesis.

    An experiment supports its hypothesis when its traffic split matches the plan (no
    sample-ratio mismatch, :func:`pspo_lab.analysis.abtest.sample_ratio_mismatch`) and the treatment
    is better with a two-proportion z above ``z_needed`` (the pooled test of
    :func:`pspo_lab.analysis.abtest.two_proportion_test`). ``lift_pct`` is relative to control.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> review = experiment_review(load_dataset("experiments"))
    >>> list(review.columns)
    ['hypothesis', 'control_rate', 'treatment_rate', 'lift_pct', 'z', 'split_ok', 'supported']
    >>> bool(review.loc["EXP-04", "split_ok"]), bool(review.loc["EXP-04", "supported"])
    (False, False)
    """
    rows = []
    for name, group in experiments.groupby("experiment", sort=True):
        arms = group.set_index("variant")
        c, t, _, z, _ = two_proportion_test(
            arms.loc["control", "conversions"], arms.loc["control", "visitors"],
            arms.loc["treatment", "conversions"], arms.loc["treatment", "visitors"])
        split_ok = bool(sample_ratio_mismatch(
            arms.loc["control", "visitors"], arms.loc["treatment", "visitors"],
            arms.loc["treatment", "planned_share"]) >= SRM_THRESHOLD)
        rows.append({"experiment": name, "hypothesis": group["hypothesis"].iloc[0],
                     "control_rate": round(c, 4), "treatment_rate": round(t, 4),
                     "lift_pct": round(100 * (t - c) / c, 1) if c else float("nan"),
                     "z": round(z, 2), "split_ok": split_ok,
                     "supported": split_ok and bool(z > z_needed)})
    return pd.DataFrame(rows).set_index("experiment")


def strongest_experiment(review: pd.DataFrame) -> str:
    """The experiment to build on: the highest z among those with a sound traffic split.

    A broken split (sample-ratio mismatch) makes an experiment's z meaningless, so such
    experiments are left out before the highest z is picked; ties go to the first one.

    Parameters
    ----------
    review
        The table of :func:`experiment_review` (columns ``z`` and ``split_ok``).

    Raises
    ------
    DataError
        If no experiment has a sound traffic split.

    Examples
    --------
    >>> review = pd.DataFrame({"z": [2.2, 3.5, 1.0], "split_ok": [True, False, True]},
    ...                       index=["EXP-01", "EXP-04", "EXP-05"])
    >>> strongest_experiment(review)
    'EXP-01'
    """
    sound = review[review["split_ok"].astype(bool)]
    if sound.empty:
        raise DataError(f"experiment review: none of the {len(review)} experiment(s) has a "
                        "sound traffic split (split_ok), so none can be built on; rerun them")
    return str(sound["z"].idxmax())
