"""Unplanned work: how much of each Sprint went into defects nobody could plan for.

A defect is work the plan did not contain: it arrives when something breaks and usually
jumps the queue. :func:`unplanned_work` counts, per Sprint, the share of finished work (by
size) that was defects and how many defects were reported and fixed within the same Sprint;
:func:`unplanned_summary` says whether the share grows; :func:`plot_unplanned_work` draws it.

>>> from pspo_lab import load_dataset
>>> table = unplanned_work(load_dataset("work_items"))
>>> bool(table["defect_share"].between(0, 100).all())
True
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from pspo_lab.analysis.ebm import linear_trend
from pspo_lab.content.casestudy_sprints import SPRINT_DAYS, sprint_number
from pspo_lab.core.errors import DataError
from pspo_lab.core.tables import require_columns

UNPLANNED = "defect"
"""The work-item type counted as unplanned work."""


def unplanned_work(items: pd.DataFrame, today: pd.Timestamp | None = None,
                   sprint_days: int = SPRINT_DAYS) -> pd.DataFrame:
    """Per finished Sprint: finished size, the share of it spent on defects, and surprises.

    Sprints are counted from the Monday of the week of the earliest ``backlog`` date (for
    FreshCrate that is Sprint 1, 2024-04-29); the Sprint still running on ``today`` is left
    out, since its share is not final, and so are Sprints in which nothing was finished.

    Parameters
    ----------
    items
        Work items with ``type``, ``backlog``, ``done`` and ``size`` (``work_items.csv``).
    today
        The export date; ``None`` takes the latest ``done`` date.
    sprint_days
        Length of a Sprint in days.

    Returns
    -------
    pandas.DataFrame
        Indexed by Sprint number: ``start`` (date), ``finished_points``, ``defect_points``,
        ``defect_share`` (percent of finished size), ``defects`` (defects finished) and
        ``same_sprint`` (of those, reported in the same Sprint they were fixed in).

    Raises
    ------
    DataError
        If a column is missing or no Sprint has finished work.

    Examples
    --------
    >>> items = pd.DataFrame({"type": ["feature", "defect", "defect"],
    ...     "backlog": pd.to_datetime(["2025-01-06", "2025-01-07", "2025-01-20"]),
    ...     "done": pd.to_datetime(["2025-01-10", "2025-01-09", "2025-01-22"]),
    ...     "size": [3, 1, 2]})
    >>> unplanned_work(items, today=pd.Timestamp("2025-02-28"))[
    ...     ["finished_points", "defect_share", "same_sprint"]].values.tolist()
    [[4.0, 25.0, 1.0], [2.0, 100.0, 1.0]]
    """
    require_columns(items, ("type", "backlog", "done", "size"), "work_items")
    done = items[items["done"].notna()]
    if done.empty:
        raise DataError("work_items table: no finished item (expected 'done' dates)")
    first = items["backlog"].min().normalize()
    first -= pd.Timedelta(days=first.day_of_week)
    today = done["done"].max() if today is None else today
    sprint = sprint_number(done["done"], first, sprint_days)
    arrived = sprint_number(done["backlog"], first, sprint_days)
    defect = done["type"] == UNPLANNED
    table = pd.DataFrame({
        "finished_points": done["size"].groupby(sprint).sum(),
        "defect_points": done["size"].where(defect, 0).groupby(sprint).sum(),
        "defects": defect.groupby(sprint).sum(),
        "same_sprint": (defect & (arrived == sprint)).groupby(sprint).sum(),
    }).astype(float)
    table.index = table.index.astype(int).rename("sprint")
    table.insert(0, "start", first + pd.to_timedelta((table.index - 1) * sprint_days, unit="D"))
    table = table[table["start"] + pd.Timedelta(days=sprint_days - 1) <= today]
    if table.empty:
        raise DataError("work_items table: no Sprint has finished yet (expected work items "
                        f"spanning at least {sprint_days} days)")
    table.insert(3, "defect_share",
                 (100 * table["defect_points"] / table["finished_points"]).round(1))
    return table


def unplanned_summary(table: pd.DataFrame, window: int = 6) -> str:
    """Two sentences: the defect share early and late, its trend, and the surprises.

    Examples
    --------
    >>> table = pd.DataFrame({"defect_share": [10.0, 20.0, 30.0, 40.0],
    ...                       "defects": [1.0, 2, 2, 3], "same_sprint": [1.0, 1, 2, 2]})
    >>> import textwrap
    >>> print(textwrap.fill(unplanned_summary(table, window=2), 80))
    Defects took 15% of finished work in the first 2 Sprints and 35% in the last 2
    (trend +10.0 points per Sprint). 6 of the 8 defects fixed were reported in the
    Sprint that fixed them: work no Sprint Planning could foresee.
    """
    shares = table["defect_share"]
    window = min(window, len(shares))
    return (f"Defects took {shares.head(window).mean():.0f}% of finished work in the first "
            f"{window} Sprints and {shares.tail(window).mean():.0f}% in the last {window} "
            f"(trend {linear_trend(shares):+.1f} points per Sprint). "
            f"{table['same_sprint'].sum():.0f} of the {table['defects'].sum():.0f} defects "
            "fixed were reported in the Sprint that fixed them: work no Sprint Planning could "
            "foresee.")


def plot_unplanned_work(table: pd.DataFrame, rolling: int = 4, ax: Axes | None = None
                        ) -> Axes:
    """Bars of each Sprint's defect share, with its rolling mean and straight-line trend.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> ax = plot_unplanned_work(unplanned_work(load_dataset("work_items")))
    >>> len(ax.lines), ax.figure.get_label().startswith("Defects took")
    (2, True)
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4))
    x = table.index.to_numpy()
    y = table["defect_share"].to_numpy(dtype=float)
    ax.bar(x, y, color="#9bb7d4", label="defects, % of finished size")
    ax.plot(x, table["defect_share"].rolling(rolling, min_periods=1).mean(), color="#1f5f8b",
            label=f"mean of the last {rolling} Sprints")
    slope = linear_trend(y)
    ax.plot(x, y.mean() + slope * (x - x.mean()), color="#c0392b", linestyle="--",
            label=f"trend {slope:+.1f} points per Sprint")
    ax.set_xlabel("Sprint")
    ax.set_ylabel("% of finished size")
    ax.set_ylim(0, min(100, max(y.max() * 1.3, 10)))
    ax.set_title("Unplanned work: share of each Sprint spent on defects")
    ax.legend(frameon=False, fontsize=8, loc="upper right", ncols=3)
    ax.figure.set_label(unplanned_summary(table).split(". ")[0] + ".")
    return ax

