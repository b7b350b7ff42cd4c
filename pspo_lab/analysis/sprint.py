"""A Sprint simulator on the FreshCrate backlog, and a log of Sprint Reviews and Retrospectives.

The simulator is a teaching model, not a law of nature. Its assumptions are stated as
constants so that learners can see (and challenge) them:

* the Developers can finish about :data:`CAPACITY_PER_WEEK` size points a week;
* every extra Sprint Goal splits the team into another strand of work and costs
  :data:`SWITCH_COST` of capacity in context switching (the Guide asks for one Sprint Goal,
  SG-95);
* :data:`QUALITY_SHARE` of each item's work is quality work (tests, review, integration).
  A Definition of Done of strength ``s`` demands the share ``s`` of it; the rest is skipped,
  the item *looks* done, and the skipped work becomes technical debt that slows later Sprints
  by :data:`DEBT_DRAG` per point;
* items not finished when a strand's capacity runs out return to the Product Backlog (SG-105)
  with their remaining work.

What stakeholders believe is done (every item reported done) and what really is done (the
part meeting a full-quality Definition of Done) drift apart by the debt: the transparency gap
(SG-09, SG-11).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pspo_lab.core.errors import DataError, ParameterError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

CAPACITY_PER_WEEK = 10.0
"""Size points the Developers finish in a week at full focus (model assumption)."""
SWITCH_COST = 0.1
"""Capacity lost for each Sprint Goal beyond the first (model assumption)."""
QUALITY_SHARE = 0.4
"""Share of an item's work that is quality work a full Definition of Done demands."""
DEBT_DRAG = 0.01
"""Capacity lost per point of accumulated technical debt (model assumption)."""


def _check(name: str, value: float, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ParameterError(f"{name}: {value!r} is out of range (expected a number from "
                             f"{low:g} to {high:g})")


def simulate_sprints(backlog: pd.DataFrame, *, sprints: int = 6, sprint_weeks: int = 2,
                     dod_strength: float = 1.0, sprint_goals: int = 1, seed: int = 0
                     ) -> pd.DataFrame:
    """Run ``sprints`` Sprints over an ordered backlog and report each Sprint's outcome.

    Parameters
    ----------
    backlog
        Ordered Product Backlog with columns ``id`` and ``job_size`` (top item first).
    sprints
        Number of Sprints, 1 to 26.
    sprint_weeks
        Sprint length in weeks, 1 to 4.
    dod_strength
        Share of the quality work the Definition of Done demands, 0 to 1.
    sprint_goals
        Number of Sprint Goals the team pursues at once, 1 to 5 (Scrum: one).
    seed
        Seed of the capacity noise (about 10% from Sprint to Sprint).

    Returns
    -------
    pandas.DataFrame
        One row per Sprint: ``capacity``, ``done_items``, ``done_points``, ``increment``
        (ids that met the Definition of Done), ``returned`` (started items that go back
        to the Product Backlog), and the cumulative ``perceived_done``, ``actually_done``,
        ``technical_debt`` and ``transparency_gap`` (share of perceived work not really done).

    Examples
    --------
    >>> items = pd.DataFrame({"id": ["A", "B", "C", "D"], "job_size": [8, 8, 8, 8]})
    >>> run = simulate_sprints(items, sprints=1, sprint_weeks=2, dod_strength=0.5, seed=1)
    >>> [float(run.loc[1, c]) for c in ("done_items", "returned", "technical_debt")]
    [3.0, 1.0, 4.8]
    """
    missing = [c for c in ("id", "job_size") if c not in backlog.columns]
    if missing:
        raise DataError(f"backlog: column {missing[0]!r} is missing (expected id and job_size)")
    _check("sprints", sprints, 1, 26)
    _check("sprint_weeks", sprint_weeks, 1, 4)
    _check("dod_strength", dod_strength, 0, 1)
    _check("sprint_goals", sprint_goals, 1, 5)
    rng = np.random.default_rng(seed)
    queue = [[str(i), float(s), float(s)]
             for i, s in zip(backlog["id"], backlog["job_size"], strict=True)]
    effort_factor = 1 - QUALITY_SHARE * (1 - dod_strength)
    debt = perceived = actual = 0.0
    rows = []
    for number in range(1, sprints + 1):
        focus = 1 - SWITCH_COST * (sprint_goals - 1)
        drag = max(0.4, 1 - DEBT_DRAG * debt)
        capacity = CAPACITY_PER_WEEK * sprint_weeks * focus * drag * rng.normal(1, 0.1)
        strands = [queue[k::sprint_goals] for k in range(sprint_goals)]
        done, returned = [], []
        for strand in strands:
            left = capacity / sprint_goals
            for item in strand:
                work = item[1] * effort_factor
                if work <= left:
                    left -= work
                    done.append(item)
                    continue
                if left > 0:
                    item[1] -= left / effort_factor
                    returned.append(item)
                break
        finished = {id(item) for item in done}
        queue = [item for item in queue if id(item) not in finished]
        points = sum(item[2] for item in done)
        skipped = points * QUALITY_SHARE * (1 - dod_strength)
        debt += skipped
        perceived += points
        actual += points - skipped
        rows.append({"sprint": number, "capacity": round(capacity, 1),
                     "done_items": len(done), "done_points": round(points, 1),
                     "increment": " ".join(item[0] for item in done),
                     "returned": len(returned), "perceived_done": round(perceived, 1),
                     "actually_done": round(actual, 1), "technical_debt": round(debt, 1),
                     "transparency_gap": round((perceived - actual) / perceived, 3)
                     if perceived else 0.0})
    return pd.DataFrame(rows).set_index("sprint")


def plot_sprints(run: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Cumulative work reported done vs really done, and the technical debt, per Sprint.

    Examples
    --------
    >>> items = pd.DataFrame({"id": list("ABCDEF"), "job_size": [5] * 6})
    >>> ax = plot_sprints(simulate_sprints(items, sprints=3, dod_strength=0.5))
    >>> len(ax.lines)
    3
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    ax.plot(run.index, run["perceived_done"], marker="o", label="stakeholders believe done")
    ax.plot(run.index, run["actually_done"], marker="o", label="really done (full quality)")
    ax.plot(run.index, run["technical_debt"], linestyle="--", color="#a00",
            label="technical debt")
    ax.fill_between(run.index, run["actually_done"], run["perceived_done"], color="#f4c7c3",
                    alpha=0.6)
    ax.set_xlabel("Sprint")
    ax.set_ylabel("size points (cumulative)")
    ax.set_title("What is believed done vs what is done")
    ax.legend(frameon=False, loc="upper left")
    return ax


def sprint_outcome(run: pd.DataFrame) -> str:
    """One sentence on a simulated run: items reported done, returns, debt and the gap.

    Parameters
    ----------
    run
        The table of :func:`simulate_sprints`.

    Examples
    --------
    >>> items = pd.DataFrame({"id": list("ABCDEF"), "job_size": [5] * 6})
    >>> for part in sprint_outcome(simulate_sprints(items, sprints=2, seed=1)).split(", "):
    ...     print(part)
    after 2 Sprints: 6 items reported done
    1 returns to the Product Backlog
    technical debt 0 points
    transparency gap 0%
    """
    last = run.iloc[-1]
    return (f"after {len(run)} Sprints: {run['done_items'].sum()} items reported done, "
            f"{run['returned'].sum()} returns to the Product Backlog, technical debt "
            f"{last['technical_debt']:.0f} points, transparency gap "
            f"{last['transparency_gap']:.0%}")


_REVIEW_TOPICS = ("checkout is confusing on small screens", "customers ask for vegan boxes",
                  "delivery slot choice too narrow", "recipe search misses allergens",
                  "partners want earlier order cut-off", "pause flow hides the skip option",
                  "gift cards requested for holidays", "cooking mode too small to read")
_REVIEW_ADAPTATIONS = ("Product Backlog reordered", "new item added to the Product Backlog",
                       "item removed from the Product Backlog", "Product Goal discussed")
_RETRO_TOPICS = ("add automated tests to the Definition of Done", "limit work in progress",
                 "pair on risky items", "move the Daily Scrum to the morning",
                 "invite customers to the Sprint Review", "shorter Sprint Planning",
                 "visualise blockers", "refine with customer care present")
_RETRO_ADAPTATIONS = ("kept as a working agreement", "Definition of Done extended",
                      "added to the next Sprint Backlog")


def review_retro_log(seed: int = 0, sprints: int = 10) -> pd.DataFrame:
    """A small generated log of Sprint Review feedback and Retrospective improvements.

    Each Sprint has two to four pieces of Review feedback and one or two Retrospective
    improvements; whether each led to an adaptation is drawn with a rate that differs
    from seed to seed (inspection without adaptation is pointless, SG-10).

    Returns
    -------
    pandas.DataFrame
        Columns ``sprint``, ``event``, ``topic``, ``adapted`` (bool) and ``adaptation``.

    Examples
    --------
    >>> log = review_retro_log(seed=3, sprints=4)
    >>> sorted(log["event"].unique())
    ['Sprint Retrospective', 'Sprint Review']
    >>> bool((log.loc[~log["adapted"], "adaptation"] == "").all())
    True
    """
    _check("sprints", sprints, 1, 52)
    rng = np.random.default_rng(seed)
    rates = {"Sprint Review": rng.uniform(0.3, 0.8), "Sprint Retrospective": rng.uniform(0.3, 0.8)}
    plan = {"Sprint Review": (_REVIEW_TOPICS, _REVIEW_ADAPTATIONS, (2, 5)),
            "Sprint Retrospective": (_RETRO_TOPICS, _RETRO_ADAPTATIONS, (1, 3))}
    rows = []
    for number in range(1, sprints + 1):
        for event, (topics, adaptations, (low, high)) in plan.items():
            for topic in rng.choice(topics, size=rng.integers(low, high), replace=False):
                adapted = bool(rng.random() < rates[event])
                rows.append({"sprint": number, "event": event, "topic": str(topic),
                             "adapted": adapted,
                             "adaptation": str(rng.choice(adaptations)) if adapted else ""})
    return pd.DataFrame(rows)


def adaptation_summary(log: pd.DataFrame) -> pd.DataFrame:
    """Per event: how many inspections, how many led to an adaptation, and the share.

    Examples
    --------
    >>> log = pd.DataFrame({"sprint": [1, 1, 2], "event": ["Sprint Review"] * 3,
    ...                     "topic": ["a", "b", "c"], "adapted": [True, False, True],
    ...                     "adaptation": ["x", "", "y"]})
    >>> adaptation_summary(log).loc["Sprint Review"].tolist()
    [3.0, 2.0, 0.667]
    """
    table = log.groupby("event")["adapted"].agg(inspected="size", adapted="sum").astype(float)
    table["share_adapted"] = (table["adapted"] / table["inspected"]).round(3)
    return table


def plot_adaptation(log: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Per Sprint and event: inspections that led to an adaptation (solid) and that did not.

    Examples
    --------
    >>> ax = plot_adaptation(review_retro_log(seed=1, sprints=3))
    >>> len(ax.patches)
    12
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4))
    counts = log.groupby(["sprint", "event", "adapted"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=[True, False], fill_value=0)
    sprints = sorted(log["sprint"].unique())
    colours = {"Sprint Review": "#749335", "Sprint Retrospective": "#9bb7d4"}
    for offset, event in ((-0.2, "Sprint Review"), (0.2, "Sprint Retrospective")):
        part = counts.xs(event, level="event").reindex(sprints, fill_value=0)
        x = np.asarray(sprints, dtype=float) + offset
        ax.bar(x, part[True], width=0.4, color=colours[event], label=f"{event}: adapted")
        ax.bar(x, part[False], width=0.4, bottom=part[True], color="white",
               edgecolor=colours[event], hatch="//", label=f"{event}: no adaptation")
    ax.set_xticks(sprints)
    ax.set_xlabel("Sprint")
    ax.set_ylabel("inspections")
    ax.set_title("Which inspections led to adaptation?")
    ax.set_ylim(0, counts.sum(axis=1).max() * 1.35)
    ax.legend(frameon=False, fontsize=8, ncols=2, loc="upper center")
    return ax
