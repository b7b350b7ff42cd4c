"""WIP limits and Little's Law: a simulated team that keeps N items in progress.

More work in progress barely changes throughput but lengthens cycle time, as Little's Law
(KG-07) predicts: average cycle time = average WIP / average throughput.

* :func:`simulate_wip_limit`, :func:`wip_limit_table`: the simulation for one or several
  WIP limits;
* :func:`wip_model`: its inputs calibrated on the team's recent history (flow measures of
  :mod:`pspo_lab.analysis.flow`);
* :func:`plot_wip_limits`, :func:`plot_wip_experiment`: the charts of module 7.

>>> table = wip_limit_table(np.array([2.0, 4.0, 6.0]), [2, 8], capacity=1.0)
>>> bool(table.loc[2, "cycle_time"] < table.loc[8, "cycle_time"])
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pspo_lab.analysis.flow import cycle_times, wip_series
from pspo_lab.analysis.forecast import WINDOW_DAYS
from pspo_lab.core.errors import DataError, ParameterError

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def wip_model(items: pd.DataFrame, throughput: pd.Series, today: pd.Timestamp | str,
              window_days: int = WINDOW_DAYS) -> dict[str, object]:
    """Inputs for :func:`simulate_wip_limit` calibrated on the team's recent history.

    Efforts are the inclusive cycle times of items finished in the window; capacity is set
    so that the simulated team, at its recent average WIP, finishes items at its recent
    average throughput.

    Raises
    ------
    DataError
        If no item in the window has both a start and a finish date.

    Examples
    --------
    >>> from pspo_lab.analysis.importers import load_flow_data
    >>> data = load_flow_data(seed=42)
    >>> model = wip_model(data.items, data.throughput, data.today)
    >>> model["wip"] >= 1, model["capacity"] > 0
    (True, True)
    """
    today = pd.Timestamp(today).normalize()
    first = today - pd.Timedelta(days=window_days - 1)
    recent = items.loc[items["finish"].between(first, today)]
    efforts = cycle_times(recent).to_numpy().astype(float)
    if efforts.size == 0:
        raise DataError("the WIP simulation needs items with start and finish dates in the "
                        f"{window_days} days ending {today:%Y-%m-%d} (a throughput file has "
                        "only counts)")
    wip = max(1, round(float(wip_series(items, first, today).mean())))
    rate = float(throughput.loc[first:today].mean())
    return {"efforts": efforts, "wip": wip, "capacity": float(rate * efforts.mean())}


def plot_wip_limits(table: pd.DataFrame, chosen: int | None = None, ax: Axes | None = None
                    ) -> Axes:
    """Simulated cycle time and Little's Law prediction for each WIP limit.

    Examples
    --------
    >>> ax = plot_wip_limits(wip_limit_table(np.array([2.0, 4.0]), [1, 4], capacity=1.0))
    >>> ax.get_xlabel()
    'WIP limit (items in progress)'
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    ax.plot(table.index, table["cycle_time"], marker="o", label="simulated cycle time")
    ax.plot(table.index, table["littles_law"], linestyle="--", color="grey",
            label="Little's Law: WIP / throughput")
    if chosen is not None:
        ax.axvline(chosen, color="#b03a2e", linewidth=1, label=f"your WIP limit: {chosen}")
    ax.set(title="More work in progress, longer cycle times",
           xlabel="WIP limit (items in progress)", ylabel="days per item")
    ax.legend(frameon=False, fontsize="small")
    return ax


def plot_wip_experiment(items: pd.DataFrame, throughput: pd.Series,
                        today: pd.Timestamp | str, wip_limit: int, *,
                        window_days: int = WINDOW_DAYS, limits: Sequence[int] = range(1, 25),
                        seed: int = 0, ax: Axes | None = None) -> Axes:
    """Calibrate :func:`wip_model` on recent history, simulate ``limits`` and plot them.

    The title gives the simulated throughput and cycle time at ``wip_limit``. Without item
    dates (throughput counts only) the chart explains why it is empty instead.

    Examples
    --------
    >>> from pspo_lab.analysis.importers import load_flow_data
    >>> data = load_flow_data(seed=42)
    >>> ax = plot_wip_experiment(data.items, data.throughput, data.today, 4, limits=[1, 4])
    >>> ax.get_title().startswith("WIP limit 4:")
    True
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    try:
        model = wip_model(items, throughput, today, window_days)
    except DataError as error:
        ax.text(0.5, 0.5, str(error), ha="center", va="center", wrap=True,
                transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    table = wip_limit_table(model["efforts"], sorted({*limits, wip_limit}),
                            capacity=float(model["capacity"]), seed=seed)
    plot_wip_limits(table, wip_limit, ax=ax)
    chosen = table.loc[wip_limit]
    ax.set_title(f"WIP limit {wip_limit}: {chosen['throughput']:g} items/day, "
                 f"{chosen['cycle_time']:g} days per item (recent average WIP "
                 f"{model['wip']})")
    return ax


def simulate_wip_limit(efforts: np.ndarray, wip_limit: int, *, capacity: float,
                       switch_cost: float = 0.02, days: int = 200, seed: int = 0
                       ) -> dict[str, float]:
    """Simulate a team that always keeps ``wip_limit`` items in progress.

    Each day the team's ``capacity`` (effort units per day) is shared equally by the items
    in progress, minus ``switch_cost`` of it for every extra item juggled at the same time
    (at most 80% is lost). Item efforts are drawn from ``efforts``; a finished item's place
    is taken at once by the next one, which gets the rest of that day's share. The first
    quarter of the days is a warm-up and is not measured. More WIP barely changes
    throughput but lengthens cycle time, as Little's Law (KG-07) predicts:
    average cycle time = average WIP / average throughput.

    Returns
    -------
    dict
        ``wip_limit``, ``throughput`` (items/day), ``cycle_time`` (mean elapsed days of
        items finished after the warm-up) and ``littles_law`` (WIP / throughput).

    Examples
    --------
    >>> low = simulate_wip_limit(np.array([2.0, 4.0, 6.0]), 2, capacity=1.0)
    >>> high = simulate_wip_limit(np.array([2.0, 4.0, 6.0]), 8, capacity=1.0)
    >>> low["cycle_time"] < high["cycle_time"]
    True
    """
    if wip_limit < 1:
        raise ParameterError(f"WIP limit {wip_limit!r} must be at least 1")
    efforts = np.asarray(efforts, dtype=float)
    if efforts.size == 0 or capacity <= 0:
        raise ParameterError("the WIP simulation needs at least one effort and a capacity "
                             "above 0")
    rng = np.random.default_rng(seed)
    left = efforts[rng.integers(0, efforts.size, wip_limit)]
    started = np.zeros(wip_limit)
    warm_up = days // 4
    finished_times: list[float] = []
    finished_count = 0
    focus = max(1.0 - switch_cost * (wip_limit - 1), 0.2)
    for day in range(days):
        left -= capacity * focus / wip_limit
        done = left <= 0
        if day >= warm_up:
            finished_count += int(done.sum())
            finished_times.extend((day - started[done]).tolist())
        # the next item starts at once and gets what was left of today's capacity
        left[done] += efforts[rng.integers(0, efforts.size, int(done.sum()))]
        started[done] = day
    throughput = finished_count / (days - warm_up)
    return {"wip_limit": wip_limit, "throughput": round(throughput, 2),
            "cycle_time": round(float(np.mean(finished_times)), 1) if finished_times
            else float("nan"),
            "littles_law": round(wip_limit / throughput, 1) if throughput else float("nan")}


def wip_limit_table(efforts: np.ndarray, wip_limits: Sequence[int], *, capacity: float,
                    switch_cost: float = 0.02, days: int = 200, seed: int = 0
                    ) -> pd.DataFrame:
    """:func:`simulate_wip_limit` for several WIP limits, one row each.

    Examples
    --------
    >>> table = wip_limit_table(np.array([2.0, 4.0]), [1, 4], capacity=1.0)
    >>> table.index.tolist()
    [1, 4]
    """
    rows = [simulate_wip_limit(efforts, w, capacity=capacity, switch_cost=switch_cost,
                               days=days, seed=seed) for w in wip_limits]
    return pd.DataFrame(rows).set_index("wip_limit")
