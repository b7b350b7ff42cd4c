"""A Sprint simulator on the FreshCrate backlog.

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
