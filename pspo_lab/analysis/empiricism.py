"""Scrum theory and empiricism: complexity, feedback loops and the health of a plan.

Scrum is founded on empiricism and lean thinking (SG-03): knowledge comes from experience
and decisions are made on what is observed (SG-04), through transparency, inspection and
adaptation (SG-08). This module gives the notebook of module 4 its tools:

* :class:`ComplexityFactors`, :func:`factor_table`, :func:`stacey_zone`,
  :func:`plot_stacey`: the learner scores what makes their situation uncertain;
* :func:`delivery_simulation`, :func:`delivery_summary`, :func:`feedback_loop_effect`,
  :func:`plot_delivery`: a plan-driven team against an empirical one while needs drift;
* :func:`oldest_items`, :func:`arrivals_departures`, :func:`plan_forecast`: how healthy is
  the plan, from the case-study data or the learner's own files (:func:`load_plan_data`).

The questions on the pillars and the Scrum values are in the course's question bank
(topic ``empiricism_values``).

Examples
--------
>>> stacey_zone(1, 2)
'simple'
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from pspo_lab.analysis.backlog import export_date, read_learner_backlog
from pspo_lab.analysis.flow import arrivals_and_departures
from pspo_lab.content.casestudy import TODAY
from pspo_lab.content.datasets import load_dataset, read_csv
from pspo_lab.core.errors import DataError, ParameterError
from pspo_lab.core.tables import require_columns

if TYPE_CHECKING:
    from matplotlib.axes import Axes

ZONES = ("simple", "complicated", "complex", "chaotic")
_ZONE_COLOURS = {"simple": "#dfeccf", "complicated": "#f6f1c7", "complex": "#f9dcc0",
                 "chaotic": "#f4c2c2"}


class ComplexityFactors(BaseModel):
    """What makes the learner's situation uncertain, one factor per line.

    Each line reads ``factor; requirements; technology`` with two scores from 1 to 5:
    how far people are from agreeing on *what* is needed (1 = agreed, 5 = no agreement)
    and how far the team is from certainty about *how* to build it (1 = well known,
    5 = never done before).
    """

    model_config = ConfigDict(extra="forbid")

    factors: list[str] = Field(default_factory=lambda: [
        "Customers' taste in recipes changes with the seasons; 4; 1",
        "New delivery partner API nobody has used yet; 2; 4",
        "Payment provider is well known; 1; 1",
        "Marketing and Finance want different things from the app; 5; 2",
        "Personalised menus with machine learning; 3; 5",
    ])

    @field_validator("factors")
    @classmethod
    def _each_line_parses(cls, lines: list[str]) -> list[str]:
        """Refuse a line the Stacey chart cannot place (checked on Save and on loading)."""
        factor_table(lines)  # raises DataError (a ValueError) naming the line and field
        return lines


def stacey_zone(requirements: float, technology: float) -> str:
    """Zone of a factor on a Stacey-style matrix, from its two scores (1-5 each).

    This is the course's simple reading of the matrix, not an official rule: the sum of
    both distances decides (2-4 simple, 5-6 complicated, 7-8 complex, 9-10 chaotic).

    Examples
    --------
    >>> [stacey_zone(r, t) for r, t in [(1, 1), (3, 3), (4, 4), (5, 5)]]
    ['simple', 'complicated', 'complex', 'chaotic']
    """
    total = requirements + technology
    if total <= 4:
        return "simple"
    if total <= 6:
        return "complicated"
    if total <= 8:
        return "complex"
    return "chaotic"


def _score(text: str, where: str, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise DataError(f"{where}, {what}: {text!r} is not a whole number (expected 1 to 5)"
                        ) from None
    if not 1 <= value <= 5:
        raise DataError(f"{where}, {what}: {value} is out of range (expected 1 to 5)")
    return value


def factor_table(lines: Iterable[str], source: str = "complexity factors") -> pd.DataFrame:
    """Parse ``factor; requirements; technology`` lines into scored factors with their zone.

    Raises
    ------
    DataError
        Naming the line and field that is wrong.

    Examples
    --------
    >>> factor_table(["New API; 2; 4"]).loc[0, "zone"]
    'complicated'
    >>> factor_table(["New API; 2; 9"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: complexity factors line 1, technology: 9 is out of range ...
    """
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source} line {number}"
        parts = [p.strip() for p in line.split(";")]
        if len(parts) != 3 or not parts[0]:
            raise DataError(f"{where}: {line!r} has {len(parts)} field(s) (expected "
                            "'factor; requirements 1-5; technology 1-5')")
        requirements = _score(parts[1], where, "requirements")
        technology = _score(parts[2], where, "technology")
        rows.append({"factor": parts[0], "requirements": requirements,
                     "technology": technology, "zone": stacey_zone(requirements, technology)})
    if not rows:
        raise DataError(f"{source}: no factors listed (expected one factor per line)")
    return pd.DataFrame(rows)


def plot_stacey(factors: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """A Stacey-style chart: each factor placed by its two scores on the coloured zones.

    Examples
    --------
    >>> ax = plot_stacey(factor_table(ComplexityFactors().factors))
    >>> len(ax.texts)  # four zone names and five factors
    9
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 6))
    grid = np.linspace(0.5, 5.5, 201)
    r, t = np.meshgrid(grid, grid)
    level = np.digitize(r + t, [4.5, 6.5, 8.5])
    colours = [_ZONE_COLOURS[z] for z in ZONES]
    from matplotlib.colors import ListedColormap

    ax.pcolormesh(t, r, level, cmap=ListedColormap(colours), shading="auto", vmin=0, vmax=3)
    for zone, (x, y) in zip(ZONES, [(1.6, 1.7), (3.0, 2.6), (3.6, 3.7), (5.0, 5.25)],
                            strict=True):
        ax.text(x, y, zone, color="#555", fontsize=11, style="italic", ha="center")
    ax.scatter(factors["technology"], factors["requirements"], color="#34495e", zorder=3)
    for _, row in factors.iterrows():
        # the whole factor, wrapped to short lines, instead of a label cut at 30 characters
        label = textwrap.fill(row["factor"], width=24)
        left = row["technology"] >= 4
        ax.text(row["technology"] + (-0.1 if left else 0.1), row["requirements"] - 0.18,
                label, fontsize=8, zorder=4, ha="right" if left else "left",
                va="top" if row["requirements"] > 1 else "bottom")
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 5.5)
    ax.set_xlabel("technology: from certain (1) to never done (5)")
    ax.set_ylabel("requirements: from agreed (1) to disputed (5)")
    ax.set_title("How complex is your situation?")
    return ax


def _belief_index(weeks: int, inspect_every: int | None, feedback_loop: int) -> np.ndarray:
    """Week whose true need the team acts on in each week (what it last learned)."""
    t = np.arange(weeks)
    if inspect_every is None:
        return np.zeros(weeks, dtype=int)
    last_inspection = (t // inspect_every) * inspect_every
    return np.maximum(last_inspection - feedback_loop, 0)


def delivery_simulation(value_drift: float = 0.3, feedback_loop_weeks: int = 2,
                        inspect_every_weeks: int = 2, weeks: int = 52, runs: int = 500,
                        tolerance: float = 1.0, seed: int = 0) -> pd.DataFrame:
    """Weekly value delivered by a plan-driven and an empirical team in the same market.

    Model: what customers need moves a little every week (a random walk whose step has
    standard deviation ``value_drift``). Each week a team delivers one week of work aimed at
    what it believes is needed; the work is worth ``exp(-(miss/tolerance)^2 / 2)`` (1 when
    on target, falling as the miss grows), the rest is waste.

    * the **plan-driven** team fixes its belief at the start and follows the plan;
    * the **empirical** team inspects every ``inspect_every_weeks`` weeks, and what it then
      learns is ``feedback_loop_weeks`` old (the time from building to seeing users react).

    Parameters
    ----------
    value_drift
        How fast needs change (standard deviation of the weekly step, in tolerances).
    feedback_loop_weeks
        Delay between a change in needs and the team seeing it (0 or more).
    inspect_every_weeks
        How often the empirical team inspects and adapts (1 or more).
    weeks, runs
        Length of one simulated period and how many markets to average over.
    tolerance
        Miss at which work still delivers about 60% of its value.
    seed
        Seed of the random drift.

    Returns
    -------
    pandas.DataFrame
        One row per week and strategy: ``value`` (mean value of that week's work) and
        ``cumulative_value``.

    Examples
    --------
    >>> sim = delivery_simulation(runs=50, seed=1)
    >>> summary = delivery_summary(sim)
    >>> bool(summary.loc["empirical", "value_delivered"] > summary.loc["plan-driven",
    ...                                                                "value_delivered"])
    True
    """
    if inspect_every_weeks < 1 or feedback_loop_weeks < 0 or weeks < 1 or runs < 1:
        raise ParameterError("inspect_every_weeks, weeks and runs must be at least 1 and "
                             "feedback_loop_weeks at least 0")
    if value_drift < 0 or tolerance <= 0:
        raise ParameterError("value_drift must be >= 0 and tolerance > 0")
    rng = np.random.default_rng(seed)
    steps = rng.normal(0, value_drift, size=(runs, weeks))
    steps[:, 0] = 0
    need = steps.cumsum(axis=1)
    frames = []
    for strategy, every in (("plan-driven", None), ("empirical", inspect_every_weeks)):
        belief = need[:, _belief_index(weeks, every, feedback_loop_weeks)]
        value = np.exp(-((need - belief) / tolerance) ** 2 / 2).mean(axis=0)
        frames.append(pd.DataFrame({"week": np.arange(1, weeks + 1), "strategy": strategy,
                                    "value": value, "cumulative_value": value.cumsum()}))
    return pd.concat(frames, ignore_index=True)


def delivery_summary(simulation: pd.DataFrame) -> pd.DataFrame:
    """Total value delivered and share of work wasted per strategy.

    Examples
    --------
    >>> float(delivery_summary(delivery_simulation(value_drift=0, runs=5)).loc[
    ...     "plan-driven", "waste_pct"])
    0.0
    """
    grouped = simulation.groupby("strategy", sort=False)["value"]
    weeks = grouped.size()
    delivered = grouped.sum()
    return pd.DataFrame({"value_delivered": delivered.round(1),
                         "waste_pct": (100 * (1 - delivered / weeks)).round(1)})


def feedback_loop_effect(loops: Iterable[int] = (0, 1, 2, 4, 8, 13), **simulation: object
                         ) -> pd.DataFrame:
    """Value and waste of the empirical team for several feedback-loop lengths.

    Keyword arguments go to :func:`delivery_simulation` (same seed for every length, so
    only the loop length differs); the plan-driven team is shown once for comparison.

    Examples
    --------
    >>> effect = feedback_loop_effect((0, 8), runs=100)
    >>> effect.index.tolist()
    ['plan-driven', 'loop 0 weeks', 'loop 8 weeks']
    """
    rows = {}
    for loop in loops:
        summary = delivery_summary(delivery_simulation(feedback_loop_weeks=int(loop),
                                                       **simulation))  # type: ignore[arg-type]
        rows.setdefault("plan-driven", summary.loc["plan-driven"])
        rows[f"loop {loop} weeks"] = summary.loc["empirical"]
    return pd.DataFrame(rows).T


def plot_delivery(simulation: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Cumulative value of both strategies week by week, against the ideal.

    Examples
    --------
    >>> len(plot_delivery(delivery_simulation(runs=10)).lines)
    3
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    colours = {"plan-driven": "#c0392b", "empirical": "#749335"}
    for strategy, part in simulation.groupby("strategy", sort=False):
        ax.plot(part["week"], part["cumulative_value"], color=colours.get(strategy),
                label=strategy, linewidth=2)
    weeks = simulation["week"].unique()
    ax.plot(weeks, np.arange(1, len(weeks) + 1), color="grey", linestyle=":",
            label="ideal: every week on target")
    ax.set_xlabel("week")
    ax.set_ylabel("value delivered (weeks of fully useful work)")
    ax.set_title("Plan-driven vs empirical delivery while needs drift")
    ax.legend(frameon=False)
    return ax


def oldest_items(backlog: pd.DataFrame, n: int = 5, today: pd.Timestamp = TODAY
                 ) -> pd.DataFrame:
    """The ``n`` oldest open items of the plan with their age and days since last touched.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> oldest = oldest_items(load_dataset("backlog"), n=3)
    >>> bool(oldest["age_days"].is_monotonic_decreasing)
    True
    """
    require_columns(backlog, ("id", "title", "created"), "backlog")
    table = backlog.assign(age_days=(today - backlog["created"]).dt.days)
    columns = ["id", "title", "created", "age_days"]
    if "last_touched" in backlog:
        table["untouched_days"] = (today - backlog["last_touched"]).dt.days
        columns.append("untouched_days")
    return table.nlargest(n, "age_days")[columns].reset_index(drop=True)


def age_profile(backlog: pd.DataFrame, today: pd.Timestamp = TODAY) -> dict[str, float]:
    """Median age of open items and the share older than six months and one year.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> sorted(age_profile(load_dataset("backlog")))
    ['median_age_days', 'older_than_1y_pct', 'older_than_6m_pct']
    """
    age = (today - backlog["created"]).dt.days
    return {"median_age_days": float(age.median()),
            "older_than_6m_pct": round(float((age > 182).mean() * 100), 1),
            "older_than_1y_pct": round(float((age > 365).mean() * 100), 1)}


def arrivals_departures(backlog: pd.DataFrame, work_items: pd.DataFrame,
                        since: pd.Timestamp | None = None, today: pd.Timestamp = TODAY
                        ) -> pd.DataFrame:
    """Items arriving in and leaving the plan per month, and the size of the plan.

    The plan is everything added to the Product Backlog: work items arrive on their
    ``backlog`` date and leave when ``done``; open items of ``backlog`` arrive on their
    ``created`` date and have not left. Months run up to the month of ``today`` (the
    export date); ``since`` hides earlier months from the result (they still count
    towards ``open_items``).

    Returns
    -------
    pandas.DataFrame
        Indexed by month (``Period``): ``arrivals``, ``departures``, ``net`` and
        ``open_items`` at the end of the month.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> flow = arrivals_departures(load_dataset("backlog"), load_dataset("work_items"))
    >>> int(flow["open_items"].iloc[-1]) == int(flow["net"].sum())
    True
    """
    require_columns(backlog, ("created",), "backlog")
    require_columns(work_items, ("backlog", "done"), "work_items")
    last = pd.Timestamp(today).to_period("M")
    arrived = pd.concat([work_items["backlog"], backlog["created"]])
    arrived, left = (dates[dates.dt.to_period("M") <= last]
                     for dates in (arrived, work_items["done"].dropna()))
    flow = arrivals_and_departures(arrived, left, "MS", end=pd.Timestamp(today))
    flow = flow.rename(columns={"open": "open_items"})
    flow.index = flow.index.to_period("M").rename("month")
    if since is not None:
        flow = flow[flow.index >= pd.Timestamp(since).to_period("M")]
    return flow


def plan_forecast(flow: pd.DataFrame, window: int = 6) -> dict[str, float | None]:
    """When would today's plan be finished, from the last ``window`` months of flow?

    Two answers: if nothing new arrived (open items / departures per month), and if items
    keep arriving as they did (open items / (departures - arrivals)); the second is
    ``None`` when the plan grows at least as fast as it shrinks, i.e. it never finishes.

    Examples
    --------
    >>> flow = pd.DataFrame({"arrivals": [10, 10], "departures": [12, 12],
    ...                      "open_items": [100, 96]})
    >>> forecast = plan_forecast(flow, window=2)
    >>> forecast["months_if_nothing_arrives"], forecast["months_if_arrivals_continue"]
    (8.0, 48.0)
    """
    if window < 1 or len(flow) < window:
        raise ParameterError(f"window {window} needs at least that many months of flow "
                             f"(got {len(flow)})")
    recent = flow.tail(window)
    arrivals = float(recent["arrivals"].mean())
    departures = float(recent["departures"].mean())
    open_items = int(flow["open_items"].iloc[-1])
    shrink = departures - arrivals
    return {"open_items": open_items, "arrivals_per_month": round(arrivals, 1),
            "departures_per_month": round(departures, 1),
            "months_if_nothing_arrives": round(open_items / departures, 1)
            if departures > 0 else None,
            "months_if_arrivals_continue": round(open_items / shrink, 1) if shrink > 0
            else None}


def forecast_text(forecast: dict[str, float | None]) -> str:
    """The result of :func:`plan_forecast` in three plain sentences.

    Examples
    --------
    >>> print(forecast_text({"open_items": 96, "arrivals_per_month": 10.0,
    ...     "departures_per_month": 12.0, "months_if_nothing_arrives": 8.0,
    ...     "months_if_arrivals_continue": 48.0}))
    Open items now: 96; recently 10 arrive and 12 leave per month.
    If nothing new arrived: done in 8 months.
    If arrivals continue: done in 48 months.
    """
    alone, continued = forecast["months_if_nothing_arrives"], forecast[
        "months_if_arrivals_continue"]
    return "\n".join([
        f"Open items now: {forecast['open_items']}; recently "
        f"{forecast['arrivals_per_month']:.0f} arrive and "
        f"{forecast['departures_per_month']:.0f} leave per month.",
        "If nothing new arrived: " + ("never, nothing has been finished lately."
                                       if alone is None else f"done in {alone:.0f} months."),
        "If arrivals continue: " + ("never, the plan grows faster than it shrinks."
                                     if continued is None else f"done in {continued:.0f} months."),
    ])


def load_plan_data(seed: int, backlog_csv: str | None = None,
                   work_items_csv: str | None = None
                   ) -> tuple[pd.DataFrame, pd.DataFrame | None, pd.Timestamp]:
    """The plan to inspect: FreshCrate's for ``seed``, or the learner's own files.

    Parameters
    ----------
    seed
        The case study's seed (used when no backlog file is given).
    backlog_csv
        The learner's open backlog (``id``, ``title``, ``created`` and any other columns of
        the case study's backlog).
    work_items_csv
        The learner's work items, with the columns of ``datasets/work_items.csv``. It needs
        ``backlog_csv`` too: arrivals and departures compare one team's own backlog and
        finished work, never the learner's work with FreshCrate's backlog.

    Returns
    -------
    tuple
        ``(backlog, items, today)``: ``items`` is ``None`` when only a backlog file is
        given; ``today`` is the case study's date or the latest date in the learner's files.

    Raises
    ------
    ParameterError
        For ``work_items_csv`` without ``backlog_csv``.

    Examples
    --------
    >>> backlog, items, today = load_plan_data(42)
    >>> len(backlog), today == TODAY
    (120, True)
    >>> load_plan_data(42, work_items_csv="mine.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.ParameterError: work_items_csv parameter: needs backlog_csv as well ...
    """
    if work_items_csv and not backlog_csv:
        raise ParameterError("work_items_csv parameter: needs backlog_csv as well (your work "
                             "items are compared with your own open backlog, not FreshCrate's)")
    if not backlog_csv:
        return (load_dataset("backlog", seed=seed), load_dataset("work_items", seed=seed),
                TODAY)
    backlog = read_learner_backlog(backlog_csv, require=("created",))
    items = read_csv(work_items_csv, "work_items") if work_items_csv else None
    return backlog, items, export_date(backlog, items)


def plot_arrivals_departures(flow: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Monthly arrivals and departures as bars, open items as a line on a second axis.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> ax = plot_arrivals_departures(arrivals_departures(load_dataset("backlog"),
    ...                                                   load_dataset("work_items")))
    >>> ax.get_ylabel()
    'items per month'
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    x = np.arange(len(flow))
    ax.bar(x - 0.2, flow["arrivals"], width=0.4, color="#9bb7d4", label="arrived")
    ax.bar(x + 0.2, flow["departures"], width=0.4, color="#749335", label="done")
    ax.set_xticks(x, [str(p) for p in flow.index], rotation=60, fontsize=8)
    ax.set_ylabel("items per month")
    ax.legend(frameon=False, loc="upper left")
    twin = ax.twinx()
    twin.plot(x, flow["open_items"], color="#c0392b", marker=".", label="open items")
    twin.set_ylabel("open items in the plan", color="#c0392b")
    ax.set_title("Arrivals vs departures of the plan")
    return ax
