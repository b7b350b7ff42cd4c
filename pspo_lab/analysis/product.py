"""Module 1, product vs project: what the product is and how it is delivered.

* :class:`ProductDefinition` and :func:`plot_product_card`: who uses the product, who buys it,
  which problem it solves and where its boundary is, as a one-page card. The Scrum Guide
  2020 describes a product as "a vehicle to deliver value" with "a clear boundary, known
  stakeholders, well-defined users or customers" (SG-91).
* :func:`simulate_delivery`: the same Product Backlog delivered as a project (one release at
  the end) or as a product (a usable Increment released every Sprint, SG-23, with the
  Product Owner re-ordering after each release as the real value of items shows), compared
  by :func:`compare_delivery` and drawn by :class:`DeliveryChart`.

How people think about products is the other half of module 1:
:mod:`pspo_lab.analysis.mindset`.

>>> from pspo_lab import load_dataset
>>> delivery_summary(compare_delivery(load_dataset("backlog")))["first_learning_sprint"].to_dict()
{'product': 1, 'project': 12}
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from pspo_lab.core.errors import DataError, ParameterError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.lines import Line2D


# ---------------------------------------------------------------- product definition


class ProductDefinition(BaseModel):
    """What the product is, for whom, where it ends and its Product Goal (example: FreshCrate).

    Saved in module 1 as ``product/definition``, this is the learner's *product profile*:
    later modules' forms start from it (:mod:`pspo_lab.analysis.journey`). The Product Goal
    is "the long-term objective for the Scrum Team" (SG-90).
    """

    model_config = ConfigDict(extra="forbid")

    name: str = Field("FreshCrate", min_length=1, max_length=60)
    users: str = Field("Households who cook three to five dinners a week and plan them on "
                       "a phone", min_length=1, max_length=200)
    buyers: str = Field("The same households (the subscriber pays); gift-card buyers for "
                        "someone else", min_length=1, max_length=200)
    problem: str = Field("Deciding what to cook and shopping for it takes time that busy "
                         "people do not have", min_length=1, max_length=300)
    inside: list[str] = Field(default_factory=lambda: [
        "app and web shop", "recipes and weekly menu", "subscription and payment",
        "delivery tracking"], max_length=8)
    outside: list[str] = Field(default_factory=lambda: [
        "the couriers' own routing system", "the farm co-operative's ordering"],
        max_length=8)
    value_measure: str = Field("Active subscribers who order at least twice a month",
                               min_length=1, max_length=150)
    product_goal: str = Field("Busy families plan a week of dinners in under five minutes",
                              min_length=1, max_length=200)


def plot_product_card(definition: ProductDefinition, ax: Axes | None = None) -> Axes:
    """Draw a product definition as a one-page card.

    Six boxes show the users, the buyers, the problem, what is inside and outside the
    product's boundary, and the measure of value; the product name is the title.

    Parameters
    ----------
    definition
        The product definition to draw.
    ax
        Axes to draw on; ``None`` creates a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes with the card (its axis lines hidden).

    Examples
    --------
    >>> ax = plot_product_card(ProductDefinition())
    >>> ax.get_title()
    'FreshCrate: what the product is'
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 5.5))
    ax.set_axis_off()
    ax.set_xlim(-0.01, 1.01)
    ax.set_ylim(-0.01, 1.01)
    boxes = [
        ("Who uses it", definition.users, (0.0, 0.68, 0.49, 0.3)),
        ("Who buys it", definition.buyers, (0.51, 0.68, 0.49, 0.3)),
        ("The problem it solves", definition.problem, (0.0, 0.36, 1.0, 0.3)),
        ("Inside the boundary", "\n".join(f"+ {i}" for i in definition.inside),
         (0.0, 0.12, 0.49, 0.22)),
        ("Outside the boundary", "\n".join(f"- {i}" for i in definition.outside),
         (0.51, 0.12, 0.49, 0.22)),
        ("How we will know it creates value", definition.value_measure, (0.0, 0.0, 1.0, 0.1)),
    ]
    for title, text, (x, y, w, h) in boxes:
        ax.add_patch(plt.Rectangle((x, y), w, h, facecolor="#f4f7ee", edgecolor="#749335"))
        width = max(int(w * 95), 20)
        body = "\n".join(textwrap.fill(line, width) for line in str(text).splitlines())
        ax.text(x + 0.01, y + h - 0.015, title, fontsize=9, fontweight="bold", va="top")
        ax.text(x + 0.01, y + h - 0.07, body, fontsize=8.5, va="top")
    ax.set_title(f"{definition.name}: what the product is", fontweight="bold")
    return ax


# ---------------------------------------------------------------- delivery simulation

Mode = Literal["project", "product"]


def _check_simulation(backlog: pd.DataFrame, sprints: int, capacity: float,
                      learning: float) -> None:
    missing = {"id", "activity", "job_size", "value_estimate", "true_value"} - set(backlog)
    if missing:
        raise DataError(f"backlog: column(s) {sorted(missing)} missing (expected the "
                        "case-study backlog table)")
    if not 1 <= sprints <= 60:
        raise ParameterError(f"sprints: {sprints} is out of range (expected 1 to 60)")
    if capacity < backlog["job_size"].min():
        raise ParameterError(f"capacity: {capacity} is smaller than the smallest item "
                             f"({backlog['job_size'].min()} points)")
    if not 0 <= learning <= 1:
        raise ParameterError(f"learning: {learning} is out of range (expected 0 to 1)")


def _pick(order: np.ndarray, sizes: np.ndarray, capacity: float) -> list[int]:
    """Positions of the items taken into one Sprint: in order, each one that still fits."""
    chosen, used = [], 0.0
    for item in order.tolist():
        if used + sizes[item] <= capacity:
            chosen.append(item)
            used += sizes[item]
    return chosen


def simulate_delivery(backlog: pd.DataFrame, mode: Mode, *, sprints: int = 12,
                      capacity: float = 30, learning: float = 0.5) -> pd.DataFrame:
    """Deliver a Product Backlog as a project or as a product, Sprint by Sprint.

    Each Sprint the Scrum Team takes the items with the highest believed value per size
    point that fit ``capacity``. A released item earns its ``true_value`` in every Sprint
    from its release on. In ``"project"`` mode nothing is released before the last Sprint,
    so nothing is earned or learned until then. In ``"product"`` mode the work of each
    Sprint is released at its end; the real value of released items becomes known and the
    Product Owner corrects the beliefs about the remaining items of the same user activity
    by the observed ratio of real to estimated value, weighted by ``learning``
    (0: ignore what was observed, 1: trust it fully).

    Parameters
    ----------
    backlog
        The case-study ``backlog`` table (``id``, ``activity``, ``job_size``,
        ``value_estimate``, ``true_value``).
    mode
        ``"project"`` or ``"product"``.
    sprints
        Number of Sprints simulated (1 to 60).
    capacity
        Size points the Developers can finish per Sprint.
    learning
        How strongly released results change the order of the remaining items.

    Returns
    -------
    pandas.DataFrame
        One row per Sprint: ``sprint``, ``done_items``, ``released_items``,
        ``value`` (earned in that Sprint), ``cumulative_value``, ``delay_cost`` (real value
        of finished work still waiting for a release), ``cumulative_delay_cost``,
        ``learned`` (items whose real value became known in that Sprint) and ``surprises``
        (of those, items whose real value differs from the estimate by more than half).

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> backlog = load_dataset("backlog")
    >>> project = simulate_delivery(backlog, "project")
    >>> product = simulate_delivery(backlog, "product")
    >>> int(project["cumulative_value"].iloc[-2]), int(product["cumulative_value"].iloc[-2]) > 0
    (0, True)
    """
    if mode not in ("project", "product"):
        raise ParameterError(f"mode: {mode!r} is not 'project' or 'product'")
    _check_simulation(backlog, sprints, capacity, learning)
    sizes = backlog["job_size"].to_numpy(dtype=float)
    estimate = backlog["value_estimate"].to_numpy(dtype=float)
    truth = backlog["true_value"].to_numpy(dtype=float)
    activity = pd.factorize(backlog["activity"])[0]
    belief = estimate.copy()
    open_items = np.ones(len(backlog), dtype=bool)
    done: list[int] = []
    released = 0
    rows = []
    for sprint in range(1, sprints + 1):
        candidates = np.flatnonzero(open_items)
        order = candidates[np.argsort(-belief[candidates] / sizes[candidates], kind="stable")]
        finished = _pick(order, sizes, capacity)
        open_items[finished] = False
        done += finished
        release = mode == "product" or sprint == sprints
        now_released = np.array(done[released:] if release else [], dtype=int)
        released = len(done) if release else released
        if mode == "product" and len(now_released) and learning > 0:
            shown = np.array(done[:released], dtype=int)
            true_sum = np.bincount(activity[shown], truth[shown], minlength=activity.max() + 1)
            est_sum = np.bincount(activity[shown], estimate[shown], minlength=activity.max() + 1)
            ratio = np.divide(true_sum, est_sum, out=np.ones_like(true_sum), where=est_sum > 0)
            belief = estimate * (1 + learning * (ratio[activity] - 1))
        error = np.abs(truth[now_released] - estimate[now_released])
        rows.append({"sprint": sprint, "done_items": len(done), "released_items": released,
                     "value": truth[done[:released]].sum(),
                     "delay_cost": truth[done[released:]].sum(),
                     "learned": len(now_released),
                     "surprises": int((error > 0.5 * estimate[now_released]).sum())})
    result = pd.DataFrame(rows)
    result.insert(4, "cumulative_value", result["value"].cumsum())
    result.insert(6, "cumulative_delay_cost", result["delay_cost"].cumsum())
    return result


def compare_delivery(backlog: pd.DataFrame, *, sprints: int = 12, capacity: float = 30,
                     learning: float = 0.5) -> pd.DataFrame:
    """Both deliveries side by side: the :func:`simulate_delivery` rows, with a ``mode`` column.

    Parameters
    ----------
    backlog
        The case-study ``backlog`` table.
    sprints
        Number of Sprints simulated (1 to 60).
    capacity
        Size points the Developers can finish per Sprint.
    learning
        How strongly released results change the order of the remaining items (0 to 1).

    Returns
    -------
    pandas.DataFrame
        The ``"project"`` rows followed by the ``"product"`` rows, with a fresh index.

    Raises
    ------
    DataError
        If ``backlog`` lacks a column the simulation needs.
    ParameterError
        If ``sprints``, ``capacity`` or ``learning`` is out of range.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> both = compare_delivery(load_dataset("backlog"), sprints=6)
    >>> sorted(both["mode"].unique())
    ['product', 'project']
    """
    frames = [simulate_delivery(backlog, mode, sprints=sprints, capacity=capacity,
                                learning=learning).assign(mode=mode)
              for mode in ("project", "product")]
    return pd.concat(frames, ignore_index=True)


def delivery_summary(comparison: pd.DataFrame) -> pd.DataFrame:
    """Totals per mode: value earned, cost of delay, items learned and the Sprint of first learning.

    Parameters
    ----------
    comparison
        The output of :func:`compare_delivery`.

    Returns
    -------
    pandas.DataFrame
        One row per mode (index ``product``, ``project``) with ``value_earned``,
        ``cost_of_delay``, ``items_learned``, ``surprises`` and ``first_learning_sprint``
        (``None`` when nothing was released in the simulated Sprints).

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> summary = delivery_summary(compare_delivery(load_dataset("backlog")))
    >>> int(summary.loc["project", "first_learning_sprint"])
    12
    """
    rows = {}
    for mode, runs in comparison.groupby("mode"):
        learned = runs.loc[runs["learned"] > 0, "sprint"]
        rows[mode] = {"value_earned": int(runs["value"].sum()),
                      "cost_of_delay": int(runs["delay_cost"].sum()),
                      "items_learned": int(runs["learned"].sum()),
                      "surprises": int(runs["surprises"].sum()),
                      "first_learning_sprint": int(learned.min()) if len(learned) else None}
    return pd.DataFrame(rows).T


class DeliveryChart:
    """The three delivery charts (value, cost of delay, learning), updated in place.

    Updating only changes the data of existing artists, so an explorer can recompute and
    redraw quickly (:func:`pspo_lab.widgets.explorers.delivery_explorer`, measured by
    ``benchmarks/widget_interaction.py``).

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> chart = DeliveryChart(compare_delivery(load_dataset("backlog"), sprints=6))
    >>> len(chart.axes)
    3
    """

    def __init__(self, comparison: pd.DataFrame) -> None:
        import matplotlib.pyplot as plt

        self.figure, axes = plt.subplots(1, 3, figsize=(12, 3.8))
        self.axes = list(axes)
        self.lines: dict[tuple[str, str], Line2D] = {}
        colours = {"project": "#b5651d", "product": "#749335"}
        for ax, column, title in zip(self.axes, ("cumulative_value", "cumulative_delay_cost",
                                                 "learned"),
                                     ("Value delivered (cumulative)",
                                      "Cost of delay (cumulative)",
                                      "Items whose real value became known"), strict=True):
            for mode, colour in colours.items():
                style = "o-" if column == "learned" else "-"
                (self.lines[(mode, column)],) = ax.plot([], [], style, color=colour, label=mode,
                                                        markersize=3)
            ax.set_title(title, fontsize=10)
            ax.set_xlabel("Sprint")
        self.axes[0].legend(frameon=False)
        self.figure.tight_layout()
        self.update(comparison)

    def update(self, comparison: pd.DataFrame) -> None:
        """Show another comparison (same or different number of Sprints)."""
        for (mode, column), line in self.lines.items():
            runs = comparison[comparison["mode"] == mode]
            line.set_data(runs["sprint"].to_numpy(), runs[column].to_numpy())
        for ax in self.axes:
            ax.relim()
            ax.autoscale_view()
