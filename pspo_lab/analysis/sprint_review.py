"""Sprint Goals traced to the Product Goal, and a Sprint Review that inspects the outcome.

The Sprint Review inspects "the outcome of the Sprint" and discusses "progress toward the
Product Goal" (Scrum Guide 2020, SG-72, SG-73). With a Product Goal that has a measure, that
means looking at the measure before and after the Increment, not at how much was built.

* :func:`goal_trace`: per Sprint, its Sprint Goal, whether it serves the Product Goal and how
  far the measure moved;
* :func:`progress_by_goal`: how much of the movement came from Sprints that served it;
* :func:`review_inspection`: what a Sprint Review of one Sprint looks at, in a few lines;
* :func:`plot_goal_outcome`: the measure Sprint by Sprint, toward its target.

>>> from pspo_lab import load_dataset
>>> goal_trace(load_dataset("sprint_goals")).columns.tolist()
['sprint_goal', 'serves_product_goal', 'before', 'after', 'change']
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from pspo_lab.content.casestudy_sprints import PLAN_MINUTES_TARGET
from pspo_lab.core.errors import DataError
from pspo_lab.core.tables import require_columns

_COLUMNS = ("sprint", "sprint_goal", "serves_product_goal", "minutes_before", "minutes_after")


def goal_trace(goals: pd.DataFrame) -> pd.DataFrame:
    """Per Sprint: the Sprint Goal, whether it serves the Product Goal, the measure's move.

    Parameters
    ----------
    goals
        The ``sprint_goals`` table.

    Returns
    -------
    pandas.DataFrame
        Indexed by Sprint: ``sprint_goal``, ``serves_product_goal`` (yes/no), ``before``,
        ``after`` and ``change`` (after minus before; negative is toward the target).

    Examples
    --------
    >>> goals = pd.DataFrame({"sprint": [1, 2], "sprint_goal": ["a", "b"],
    ...     "serves_product_goal": ["yes", "no"], "minutes_before": [10.0, 9.0],
    ...     "minutes_after": [9.0, 9.2]})
    >>> goal_trace(goals)["change"].tolist()
    [-1.0, 0.2]
    """
    require_columns(goals, _COLUMNS, "sprint_goals")
    if goals.empty:
        raise DataError("sprint_goals table: no Sprint (expected at least one row)")
    table = goals.set_index("sprint")[list(_COLUMNS[1:])].rename(
        columns={"minutes_before": "before", "minutes_after": "after"})
    table["change"] = (table["after"] - table["before"]).round(1)
    return table


def progress_by_goal(goals: pd.DataFrame) -> pd.DataFrame:
    """The measure's movement split by whether the Sprint Goal served the Product Goal.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``serves_product_goal`` (yes, no): ``sprints``, ``total_change`` and
        ``mean_change`` (minutes; negative is toward the target).

    Examples
    --------
    >>> goals = pd.DataFrame({"sprint": [1, 2, 3], "sprint_goal": ["a", "b", "c"],
    ...     "serves_product_goal": ["yes", "no", "yes"],
    ...     "minutes_before": [10.0, 9.0, 9.2], "minutes_after": [9.0, 9.2, 8.6]})
    >>> progress_by_goal(goals).loc["yes"].tolist()
    [2.0, -1.6, -0.8]
    """
    trace = goal_trace(goals)
    grouped = trace.groupby("serves_product_goal")["change"]
    table = pd.DataFrame({"sprints": grouped.size(), "total_change": grouped.sum(),
                          "mean_change": grouped.mean()}).reindex(["yes", "no"]).fillna(0.0)
    return table.astype(float).round(2)


def review_inspection(goals: pd.DataFrame, sprint: int | None = None,
                      target: float = PLAN_MINUTES_TARGET) -> str:
    """What the Sprint Review of ``sprint`` inspects: the Sprint Goal and the outcome.

    Parameters
    ----------
    goals
        The ``sprint_goals`` table.
    sprint
        The Sprint whose Review it is; ``None`` takes the latest.
    target
        The Product Goal's target for the measure (minutes to plan a week).

    Raises
    ------
    DataError
        If ``sprint`` is not in the table.

    Examples
    --------
    >>> goals = pd.DataFrame({"sprint": [7], "sprint_goal": ["Swap a dinner with one tap"],
    ...     "serves_product_goal": ["yes"], "minutes_before": [9.0], "minutes_after": [8.2]})
    >>> print(review_inspection(goals))
    Sprint 7 · Sprint Goal: Swap a dinner with one tap
    Minutes to plan a week: 9.0 before the Increment, 8.2 after (-0.8).
    Product Goal target: 5.0 minutes; 3.2 minutes still to go.
    """
    trace = goal_trace(goals)
    sprint = int(trace.index.max()) if sprint is None else sprint
    if sprint not in trace.index:
        raise DataError(f"sprint_goals table: no Sprint {sprint} (expected one of "
                        f"{trace.index.min()} to {trace.index.max()})")
    row = trace.loc[sprint]
    to_go = round(row["after"] - target, 1)  # as printed: never "0.0 minutes still to go"
    status = (f"{to_go:.1f} minutes still to go" if to_go > 0
              else "the target is reached")
    return (f"Sprint {sprint} · Sprint Goal: {row['sprint_goal']}\n"
            f"Minutes to plan a week: {row['before']:.1f} before the Increment, "
            f"{row['after']:.1f} after ({row['change']:+.1f}).\n"
            f"Product Goal target: {target:.1f} minutes; {status}.")


def plot_goal_outcome(goals: pd.DataFrame, target: float = PLAN_MINUTES_TARGET,
                      ax: Axes | None = None) -> Axes:
    """The measure after each Sprint, marked by whether its Sprint Goal served the Product Goal.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> ax = plot_goal_outcome(load_dataset("sprint_goals"))
    >>> ax.figure.get_label().startswith("Minutes to plan a week fell from")
    True
    """
    import matplotlib.pyplot as plt

    trace = goal_trace(goals)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4))
    x = np.concatenate([[trace.index[0] - 1], trace.index.to_numpy(dtype=float)])
    y = np.concatenate([[trace["before"].iloc[0]], trace["after"].to_numpy(dtype=float)])
    ax.plot(x, y, color="#1f5f8b", zorder=1, label="minutes to plan a week, after the Sprint")
    serves = trace["serves_product_goal"] == "yes"
    ax.scatter(trace.index[serves], trace["after"][serves], s=60, color="#1f5f8b", zorder=2,
               label="Sprint Goal serves the Product Goal")
    ax.scatter(trace.index[~serves], trace["after"][~serves], s=60, marker="s",
               facecolor="white", edgecolor="#c0392b", linewidths=1.5, zorder=2,
               label="Sprint Goal does not")
    ax.axhline(target, color="#749335", linestyle="--", label=f"Product Goal: {target:g} min")
    ax.set_xticks(x.astype(int))
    ax.set_xlabel("Sprint")
    ax.set_ylabel("minutes (median household)")
    ax.set_ylim(0, y.max() * 1.25)
    ax.set_title("Outcome of each Sprint: minutes a household needs to plan its week")
    ax.legend(frameon=False, fontsize=8, ncols=2, loc="upper right")
    moved = (f"fell from {y[0]:.1f} to" if y[-1] < y[0] else
             f"rose from {y[0]:.1f} to" if y[-1] > y[0] else "stayed at")
    ax.figure.set_label(f"Minutes to plan a week {moved} {y[-1]:.1f} over "
                        f"{len(trace)} Sprints, against a Product Goal of {target:g}; the "
                        f"Sprints whose goal served it moved it "
                        f"{trace['change'][serves].sum():+.1f} minutes, the others "
                        f"{trace['change'][~serves].sum():+.1f}.")
    return ax
