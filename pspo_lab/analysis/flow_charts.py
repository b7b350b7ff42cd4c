"""Charts of the flow measures of :mod:`pspo_lab.analysis.flow`: cycle time, CFD, WIP, aging.

Every function draws on the given matplotlib ``ax`` (a new figure when ``None``) and returns
it; percentile lines are the nearest-rank :func:`~pspo_lab.analysis.flow.percentiles`.

>>> from pspo_lab import load_dataset
>>> from pspo_lab.analysis.flow import prepare_items
>>> ax = plot_wip(prepare_items(load_dataset("work_items")))
>>> ax.get_title()
'Work in progress'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pspo_lab.analysis.flow import (
    DEFAULT_PERCENTILES,
    aging_wip,
    cumulative_flow,
    cycle_times,
    percentiles,
    wip_series,
)
from pspo_lab.content.casestudy import STAGES

if TYPE_CHECKING:
    from matplotlib.axes import Axes

_PERCENTILE_COLOURS = {50: "#7a9cc6", 70: "#749335", 85: "#d08c2b", 95: "#b03a2e"}



def _axes(ax: Axes | None) -> Axes:
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    return ax


def _legend(ax: Axes, **options: object) -> None:
    """Add a legend only when something on the chart has a label (empty data: none)."""
    handles, _ = ax.get_legend_handles_labels()
    if handles:
        ax.legend(frameon=False, fontsize="small", **options)


def _percentile_lines(ax: Axes, values: pd.Series, ps: Sequence[int], *,
                      horizontal: bool) -> None:
    for p, value in percentiles(values, ps).items():
        if np.isnan(value):
            continue
        colour = _PERCENTILE_COLOURS.get(int(p), "grey")
        line = ax.axhline if horizontal else ax.axvline
        line(value, color=colour, linestyle="--", linewidth=1, label=f"{p}%: {value:g} days")


def plot_cycle_time_scatter(items: pd.DataFrame, ps: Sequence[int] = DEFAULT_PERCENTILES,
                            ax: Axes | None = None) -> Axes:
    """Cycle time of each finished item against its finish date, with percentile lines.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> from pspo_lab.analysis.flow import prepare_items
    >>> ax = plot_cycle_time_scatter(prepare_items(load_dataset("work_items")))
    >>> len(ax.get_lines())
    4
    """
    ax = _axes(ax)
    times = cycle_times(items)
    finished = items.loc[items["finish"].notna() & items["start"].notna(), "finish"]
    ax.scatter(finished, times, s=12, alpha=0.6, color="#4c72b0")
    # short, non-overlapping dates: "Mar", "Apr" ... with the year once, at its start
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator(maxticks=7)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    _percentile_lines(ax, times, ps, horizontal=True)
    ax.set(title="Cycle time of finished items", xlabel="finished on",
           ylabel="cycle time (days, inclusive)")
    _legend(ax, loc="upper left")
    return ax


def plot_cycle_time_histogram(items: pd.DataFrame, ps: Sequence[int] = DEFAULT_PERCENTILES,
                              ax: Axes | None = None) -> Axes:
    """How many items took 1, 2, 3, ... days, with percentile lines.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> from pspo_lab.analysis.flow import prepare_items
    >>> ax = plot_cycle_time_histogram(prepare_items(load_dataset("work_items")))
    >>> ax.get_xlabel()
    'cycle time (days, inclusive)'
    """
    ax = _axes(ax)
    counts = cycle_times(items).value_counts().sort_index()
    ax.bar(counts.index, counts.to_numpy(), width=0.8, color="#9bb7d4")
    _percentile_lines(ax, cycle_times(items), ps, horizontal=False)
    ax.set(title="Cycle time distribution", xlabel="cycle time (days, inclusive)",
           ylabel="items")
    _legend(ax)
    return ax


def plot_cumulative_flow(items: pd.DataFrame, stages: Sequence[str] = STAGES,
                         start: pd.Timestamp | str | None = None,
                         end: pd.Timestamp | str | None = None, ax: Axes | None = None) -> Axes:
    """Cumulative flow diagram: one band per stage, done at the bottom.

    Items done before ``start`` are left out (every band is lowered by their number), so a
    window of a long history keeps its bands readable.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> from pspo_lab.analysis.flow import prepare_items
    >>> ax = plot_cumulative_flow(prepare_items(load_dataset("work_items")))
    >>> len(ax.collections)
    5
    """
    ax = _axes(ax)
    stages = list(stages)
    flow = cumulative_flow(items, stages, start, end)
    if len(flow):
        flow = flow - int(flow[stages[-1]].iloc[0])
    colours = ["#d9d9d9", "#c6dbef", "#fdd0a2", "#c7e9c0", "#74c476", "#bcbddc", "#fcbba1"]
    previous = np.zeros(len(flow))
    for i, stage in enumerate(reversed(stages)):
        ax.fill_between(flow.index, previous, flow[stage].to_numpy(),
                        color=colours[i % len(colours)], label=stage, step="post")
        previous = flow[stage].to_numpy()
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], loc="upper left", frameon=False, fontsize="small")
    ax.set(title="Cumulative flow", xlabel="date",
           ylabel="items (cumulative, from the first day shown)")
    return ax


def plot_wip(items: pd.DataFrame, start: pd.Timestamp | str | None = None,
             end: pd.Timestamp | str | None = None, ax: Axes | None = None) -> Axes:
    """Work in progress on each day (WIP(d)).

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> from pspo_lab.analysis.flow import prepare_items
    >>> ax = plot_wip(prepare_items(load_dataset("work_items")))
    >>> ax.get_ylabel()
    'items in progress'
    """
    ax = _axes(ax)
    wip = wip_series(items, start, end)
    ax.step(wip.index, wip.to_numpy(), where="post", color="#4c72b0")
    ax.set(title="Work in progress", xlabel="date", ylabel="items in progress")
    return ax


def plot_aging_wip(items: pd.DataFrame, stages: Sequence[str], today: pd.Timestamp | str,
                   ps: Sequence[int] = DEFAULT_PERCENTILES, ax: Axes | None = None) -> Axes:
    """Age of each item in progress by stage, against the cycle-time percentiles.

    An item above the 85% line is already older than 85% of the finished items were when
    they finished: a signal to talk about it at the next Daily Scrum.
    The legend sits to the right of the plot area so that it never hides an item.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> from pspo_lab.analysis.flow import prepare_items
    >>> from pspo_lab.content.casestudy import STAGES, TODAY
    >>> ax = plot_aging_wip(prepare_items(load_dataset("work_items")), STAGES, TODAY)
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['in_progress', 'review']
    """
    ax = _axes(ax)
    ages = aging_wip(items, stages, today)
    shown = [s for s in stages[:-1] if s in set(ages["stage"])]
    position = {s: i for i, s in enumerate(shown)}
    jitter = np.random.default_rng(0).uniform(-0.15, 0.15, len(ages))
    ax.scatter(ages["stage"].map(position) + jitter, ages["age"], color="#4c72b0", s=18)
    _percentile_lines(ax, cycle_times(items), ps, horizontal=True)
    ax.set_xticks(range(len(shown)), shown)
    ax.set(title=f"Aging work in progress on {pd.Timestamp(today):%Y-%m-%d}",
           xlabel="current stage", ylabel="work item age (days)")
    _legend(ax, loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0)
    return ax


def plot_throughput(throughput: pd.Series, ax: Axes | None = None) -> Axes:
    """Throughput run chart (daily or weekly) with its median as a reference line.

    Examples
    --------
    >>> ax = plot_throughput(pd.Series([1, 0, 2], index=pd.date_range("2025-03-03", periods=3)))
    >>> float(ax.get_lines()[1].get_ydata()[0])
    1.0
    """
    ax = _axes(ax)
    ax.plot(throughput.index, throughput.to_numpy(), marker="o", markersize=3, color="#4c72b0")
    median = float(np.median(throughput.to_numpy())) if len(throughput) else 0.0
    ax.axhline(median, color="grey", linestyle="--", label=f"median {median:g}")
    ax.set(title="Throughput run chart", xlabel="date", ylabel="items finished")
    _legend(ax)
    return ax
