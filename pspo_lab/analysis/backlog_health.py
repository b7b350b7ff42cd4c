"""Backlog health: its size and age, sponsored items, and what cutting it would change.

A long, old Product Backlog is hard to read, so it is less transparent: nobody can tell
what is still meant. These functions measure it and show what keeping only the top items
would remove.

Examples
--------
>>> from pspo_lab import load_dataset
>>> backlog_health(load_dataset("backlog"))["items"]
120
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pspo_lab.analysis.ordering import order_by
from pspo_lab.content.casestudy import TODAY
from pspo_lab.core.errors import ParameterError

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def sponsored_summary(frame: pd.DataFrame, stakeholders: pd.DataFrame | None = None,
                      top: int = 20) -> pd.DataFrame:
    """Sponsored items compared with the rest: count, effort share, WSJF and observed value.

    The observed value (``mean_true_value``) is shown only when ``frame`` has ``true_value``.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> table = sponsored_summary(load_dataset("backlog"))
    >>> int(table["items"].sum())
    120
    """
    ordered = order_by(frame, "wsjf")
    group = ordered["sponsor"].fillna("").replace("", "(no sponsor)")
    if stakeholders is not None:
        names = stakeholders.set_index("id")["name"]
        group = group.map(lambda s: f"{s} {names[s]}" if s in names.index else s)
    table = ordered.groupby(group).agg(items=("id", "size"), effort=("effort", "sum"),
                                       median_wsjf_rank=("rank", "median"),
                                       in_wsjf_top=("rank", lambda r: int((r <= top).sum())),
                                       mean_value_estimate=("value_estimate", "mean"),
                                       **({"mean_true_value": ("true_value", "mean")}
                                          if "true_value" in frame else {}))
    table = table.round(1)
    table["effort_share"] = (table["effort"] / table["effort"].sum()).round(3)
    table.index.name = "sponsor"
    return table


def backlog_health(frame: pd.DataFrame, today: pd.Timestamp = TODAY, stale_days: int = 90
                   ) -> dict[str, float]:
    """Size and freshness of a backlog.

    Returns
    -------
    dict
        ``items``, ``effort``, ``median_age_days``, ``older_than_year`` (share),
        ``stale_items`` (not touched in ``stale_days``) and ``stale_share``.

    Examples
    --------
    >>> items = pd.DataFrame({"created": pd.to_datetime(["2025-01-01", "2025-10-01"]),
    ...     "last_touched": pd.to_datetime(["2025-02-01", "2025-10-20"]),
    ...     "effort": [2.0, 3.0]})
    >>> backlog_health(items, today=pd.Timestamp("2025-10-31"))["stale_items"]
    1
    """
    age = (today - frame["created"]).dt.days
    untouched = (today - frame["last_touched"]).dt.days
    stale = int((untouched > stale_days).sum())
    return {"items": len(frame), "effort": float(frame["effort"].sum()),
            "median_age_days": float(age.median()),
            "older_than_year": round(float((age > 365).mean()), 3),
            "stale_items": stale, "stale_share": round(stale / len(frame), 3)}


def plot_age(frame: pd.DataFrame, today: pd.Timestamp = TODAY, stale_days: int = 90,
             ax: Axes | None = None) -> Axes:
    """Histogram of item age and of days since last touched.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> plot_age(load_dataset("backlog")).get_xlabel()
    'days'
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    bins = np.arange(0, max(1, (today - frame["created"]).dt.days.max()) + 31, 30)
    ax.hist((today - frame["created"]).dt.days, bins=bins, alpha=0.6, label="age")
    ax.hist((today - frame["last_touched"]).dt.days, bins=bins, alpha=0.6,
            label="days since last touched")
    ax.axvline(stale_days, color="#a00", linestyle="--", label=f"{stale_days} days")
    ax.set_xlabel("days")
    ax.set_ylabel("items")
    ax.set_title("How old is the Product Backlog?")
    ax.legend(frameon=False)
    return ax


def cut_to_top(frame: pd.DataFrame, keep: int, method: str = "wsjf",
               today: pd.Timestamp = TODAY, stale_days: int = 90) -> dict[str, float]:
    """What cutting the backlog to its top ``keep`` items would change.

    A short backlog is easier for everyone to read and discuss (more transparency); the
    removed items and the people who asked for them need an honest conversation.
    ``sponsored_removed`` and ``true_value_removed_share`` are reported only when ``frame``
    has a ``sponsor`` or ``true_value`` column.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> cut = cut_to_top(load_dataset("backlog"), 30)
    >>> cut["kept"], cut["removed"]
    (30, 90)
    """
    if not 1 <= keep <= len(frame):
        raise ParameterError(f"keep: {keep} is out of range (expected 1 to {len(frame)})")
    ordered = order_by(frame, method)
    kept, removed = ordered.iloc[:keep], ordered.iloc[keep:]
    before, after = backlog_health(frame, today, stale_days), backlog_health(kept, today,
                                                                             stale_days)
    cut = {"kept": keep, "removed": len(removed),
           "effort_removed_share": round(float(removed["effort"].sum() / frame["effort"].sum()),
                                         3),
           "stale_share_before": before["stale_share"], "stale_share_after": after["stale_share"],
           "median_age_before": before["median_age_days"],
           "median_age_after": after["median_age_days"]}
    if "sponsor" in frame:
        cut["sponsored_removed"] = int((removed["sponsor"].fillna("") != "").sum())
    if "true_value" in frame:
        cut["true_value_removed_share"] = round(float(removed["true_value"].sum()
                                                      / frame["true_value"].sum()), 3)
    return cut


def cut_text(cut: dict[str, float]) -> str:
    """The result of :func:`cut_to_top` in two sentences.

    Examples
    --------
    >>> print(cut_text({"kept": 2, "removed": 2, "effort_removed_share": 0.5,
    ...     "stale_share_before": 0.5, "stale_share_after": 0.0}))
    Keep 2 of 4 items; 50% of the estimated effort leaves the backlog.
    Stale items: 50% before, 0% after.
    """
    sponsors = (f"; {cut['sponsored_removed']} sponsored items need a conversation"
                if "sponsored_removed" in cut else "")
    return (f"Keep {cut['kept']} of {cut['kept'] + cut['removed']} items; "
            f"{cut['effort_removed_share']:.0%} of the estimated effort leaves the backlog.\n"
            f"Stale items: {cut['stale_share_before']:.0%} before, "
            f"{cut['stale_share_after']:.0%} after{sponsors}.")
