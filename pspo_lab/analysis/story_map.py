"""Story map, goal-oriented roadmap and decision log: keeping the backlog tied to outcomes.

* :func:`story_map` and :func:`story_map_grid`: the ordered backlog under its user
  activities and steps, cut into release slices;
* :class:`Roadmap` and :func:`plot_roadmap`: Now / Next / Later goals toward the Product Goal;
* :class:`Decision` and :func:`decision_log`: why the order changed, read back from the
  workspace (the forms live in :mod:`pspo_lab.widgets.backlog_forms`).

Examples
--------
>>> Roadmap().product_goal
'Busy families plan a week of dinners in under five minutes'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from pspo_lab.analysis.ordering import order_by
from pspo_lab.content.casestudy import ACTIVITIES, STEPS
from pspo_lab.core import records
from pspo_lab.core.errors import ParameterError
from pspo_lab.core.workspace import Workspace

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def story_map(frame: pd.DataFrame, release_effort: float = 20.0, releases: int = 3,
              method: str = "wsjf") -> pd.DataFrame:
    """Arrange the ordered backlog as a story map: activity -> step -> story, in release slices.

    The backbone is the ``activity`` column: FreshCrate's six activities in journey order, or
    a learner's own activities in the order they first appear in the file. Under each
    activity sit its steps: a ``step`` column when the file has one; for FreshCrate, the
    step of :data:`~pspo_lab.content.casestudy.STEPS` that the title names ("Simplify checkout" is
    the "checkout" step of "Order and pay"); otherwise none (an empty step).
    Items are taken in ``method`` order and fill release slices of ``release_effort``
    person-weeks each; the rest is "later".

    Parameters
    ----------
    frame
        The Product Backlog (``id``, ``title``, ``activity``, ``effort`` and the columns of
        ``method``).
    release_effort
        Person-weeks per release slice.
    releases
        How many slices to plan; later items go to "later".
    method
        The ordering method (see :func:`~pspo_lab.analysis.ordering.order_by`).

    Returns
    -------
    pandas.DataFrame
        One row per item: activity, step, id, title, release and rank, in map order.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> smap = story_map(load_dataset("backlog"))
    >>> sorted(smap["release"].unique())
    ['R1', 'R2', 'R3', 'later']
    >>> smap.groupby("activity", observed=True)["step"].nunique().tolist()
    [3, 4, 4, 3, 3, 3]
    """
    if release_effort <= 0 or releases < 1:
        raise ParameterError("story_map: release_effort must be > 0 and releases >= 1")
    ordered = order_by(frame, method)
    slice_number = (ordered["effort"].cumsum() // release_effort).astype(int)
    release = np.where(slice_number < releases, "R" + (slice_number + 1).astype(str), "later")
    freshcrate = frame["activity"].isin(ACTIVITIES).all()
    backbone = list(ACTIVITIES) if freshcrate else list(pd.unique(frame["activity"]))
    if "step" in ordered:
        step = ordered["step"].astype(str)
    elif freshcrate:
        step = pd.Series([_named_step(title, STEPS[activity]) for title, activity
                          in zip(ordered["title"], ordered["activity"], strict=True)],
                         index=ordered.index)
    else:  # no steps known: one column per activity
        step = pd.Series("", index=ordered.index)
    known = [s for a in backbone for s in STEPS[a]] if freshcrate else []
    steps = list(dict.fromkeys([*known, *step]))
    result = pd.DataFrame({"activity": pd.Categorical(ordered["activity"], backbone,
                                                      ordered=True),
                           "step": pd.Categorical(step, steps, ordered=True),
                           "id": ordered["id"], "title": ordered["title"],
                           "release": release, "rank": ordered["rank"]})
    return result.sort_values(["activity", "step", "release", "rank"]).reset_index(drop=True)


def _named_step(title: str, steps: tuple[str, ...]) -> str:
    return next((step for step in steps if title.endswith(step)), "")


def story_map_grid(smap: pd.DataFrame) -> pd.DataFrame:
    """Story map as a grid: releases down, activity and step across, story cards in cells.

    A card is the item's id and what its title says beyond the step (``PB-012 Simplify``
    under the step "checkout"; the whole title where the step is empty).

    Parameters
    ----------
    smap
        The result of :func:`story_map`.

    Returns
    -------
    pandas.DataFrame
        Rows ``R1``, ``R2``, ... ``later``; columns a (activity, step) MultiIndex in
        backbone order, or the activities alone when no step is known; cells the cards,
        one per line.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> grid = story_map_grid(story_map(load_dataset("backlog")))
    >>> grid.index.tolist()
    ['R1', 'R2', 'R3', 'later']
    >>> grid.columns[0]
    ('Discover recipes', 'recipe search')
    """
    rest = [title[:-len(str(step))].strip() if str(step) and title.endswith(str(step))
            else title for title, step in zip(smap["title"], smap["step"], strict=True)]
    cards = smap.assign(card=[f"{i} {r}".strip() for i, r in zip(smap["id"], rest, strict=True)])
    grid = cards.groupby(["release", "activity", "step"], observed=True)["card"].agg(
        lambda column: "\n".join(column))
    grid = grid.unstack(["activity", "step"]).fillna("")
    present = list(dict.fromkeys(zip(smap["activity"], smap["step"], strict=True)))
    grid = grid.reindex(columns=pd.MultiIndex.from_tuples(present, names=["activity", "step"]))
    if not any(str(step) for _, step in present):  # no steps known: activities only
        grid = grid.droplevel("step", axis=1)
    return grid


class Roadmap(BaseModel):
    """A goal-oriented Now / Next / Later roadmap toward the Product Goal."""

    model_config = ConfigDict(extra="forbid")

    product_goal: str = Field("Busy families plan a week of dinners in under five minutes",
                              min_length=1, max_length=200)
    now: list[str] = Field(default_factory=lambda: [
        "Weekly menu picks itself from past favourites", "Allergy filters customers trust"])
    next: list[str] = Field(default_factory=lambda: [
        "Delivery slots that fit shift workers", "Skip a week in one tap"])
    later: list[str] = Field(default_factory=lambda: [
        "Shopping list export for what is not in the box"])


def plot_roadmap(roadmap: Roadmap, ax: Axes | None = None) -> Axes:
    """Draw a Now / Next / Later roadmap as three columns of goals under the Product Goal.

    Examples
    --------
    >>> ax = plot_roadmap(Roadmap())
    >>> [t.get_text() for t in ax.texts][:3]
    ['Now', 'Next', 'Later']
    """
    import textwrap

    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4))
    columns = (("Now", roadmap.now, "#749335"), ("Next", roadmap.next, "#9bb7d4"),
               ("Later", roadmap.later, "#d9d9d9"))
    for i, (name, _, colour) in enumerate(columns):
        ax.text(i + 0.5, 0.92, name, ha="center", fontsize=12, fontweight="bold")
        ax.add_patch(plt.Rectangle((i + 0.05, 0.02), 0.9, 0.84, color=colour, alpha=0.25))
    for i, (_, goals, _) in enumerate(columns):
        for j, goal in enumerate(goals[:5]):
            ax.text(i + 0.5, 0.78 - j * 0.16, "\n".join(textwrap.wrap(goal, 26)),
                    ha="center", va="top", fontsize=9)
    ax.set_xlim(0, 3)
    ax.set_ylim(0, 1)
    ax.axis("off")
    ax.set_title("Product Goal: " + roadmap.product_goal, fontsize=11)
    return ax


class Decision(BaseModel):
    """One entry of the decision log: why the order of the Product Backlog changed."""

    model_config = ConfigDict(extra="forbid")

    decision: str = Field("Moved payment retry above gift cards", min_length=1, max_length=200)
    reason: str = Field("Failed payments cost more per week than gift cards would earn",
                        min_length=1, max_length=400)
    evidence: str = Field("CD3 and last month's failed-payment rate", max_length=300)
    who_was_told: str = Field("Head of Marketing, customer care", max_length=200)
    revisit_after: str = Field("next Sprint Review", max_length=100)


def decision_log(workspace: Workspace, name: str = "latest") -> pd.DataFrame:
    """Every saved entry of the decision log, newest first.

    Parameters
    ----------
    workspace
        The learner's workspace.
    name
        The entry's record name (the form's ``name``).

    Returns
    -------
    pandas.DataFrame
        One row per Save: ``saved_at`` (UTC) and the fields of :class:`Decision`; empty
        (with those columns) before the first Save.

    Examples
    --------
    >>> import tempfile
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> decision_log(ws).empty
    True
    >>> latest = records.DECISION_LOG.named("latest")
    >>> _ = ws.save(*latest, Decision().model_dump())
    >>> _ = ws.save(*latest, Decision(decision="Split checkout").model_dump())
    >>> decision_log(ws)["decision"].tolist()
    ['Split checkout', 'Moved payment retry above gift cards']
    """
    address = records.DECISION_LOG.named(name)
    current = workspace.record(*address)
    versions = [*workspace.history(*address), *([current] if current else [])]
    rows = [{"saved_at": v.saved_at.strftime("%Y-%m-%d %H:%M"), **v.data} for v in versions]
    columns = ["saved_at", *Decision.model_fields]
    return pd.DataFrame(rows, columns=columns).iloc[::-1].reset_index(drop=True)
