"""Evidence-Based Management: Key Value Area trends, innovation rate, value changes.

EBM looks at value through four Key Value Areas (KVAs): Current Value and Unrealized Value
describe value in the market; Time to Market and Ability to Innovate describe the
organisation's capability to deliver it (EBM-09). EBM defines no specific Key Value Measures
(EBM-14) and no single score that adds them up, so nothing here combines the areas into one
number: each area is shown on its own, with the trend of each measure.

* :func:`example_measures`: example measures per KVA from the EBM Guide's appendix;
* :func:`read_measures`: a learner's own monthly measures, with an optional ``direction``;
* :func:`measure_directions`: whether a rising value of each measure is good or bad;
* :func:`kva_trends`, :func:`trend_summary`, :func:`plot_kva`, :func:`plot_kva_dashboard`:
  the dashboard, for the case study or the learner's own measures;
* the learner's own metrics, checked against the four KVAs, are in
  :mod:`pspo_lab.analysis.metrics_inventory`;
* :func:`innovation_rate`: share of finished work that created new value, per month;
* :func:`value_step`, :func:`value_steps`: when did the value of the product really change?

>>> example_measures()["short"].unique().tolist()
['CV', 'UV', 'T2M', 'A2I']
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pspo_lab.content.casestudy import KVAS, SCHEMAS
from pspo_lab.core.display import format_number
from pspo_lab.core.errors import DataError, ParameterError
from pspo_lab.core.tables import Column, Schema, read_table, require_columns, validate_table

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

KVA_SHORT = {"Current Value": "CV", "Unrealized Value": "UV", "Time to Market": "T2M",
             "Ability to Innovate": "A2I"}
"""The abbreviations the EBM Guide uses for the four Key Value Areas."""

EXAMPLE_MEASURES: dict[str, tuple[str, ...]] = {
    "Current Value": ("Revenue per Employee", "Product Cost Ratio", "Employee Satisfaction",
                      "Customer Satisfaction", "Customer Usage Index"),
    "Unrealized Value": ("Market Share", "Customer or User Satisfaction Gap",
                         "Desired Customer Experience or satisfaction"),
    "Time to Market": ("Release Frequency", "Release Stabilization Period",
                       "Mean Time to Repair", "Customer Cycle Time", "Lead Time",
                       "Lead Time for Changes", "Deployment Frequency", "Time-to-Learn",
                       "Time to Pivot"),
    "Ability to Innovate": ("Innovation Rate", "Defect Trends", "On-Product Index",
                            "Installed Version Index", "Technical Debt",
                            "Production Incident Count", "Time Spent Context-Switching",
                            "Change Failure Rate"),
}
"""A selection of the example Key Value Measures listed in the EBM Guide (2024) appendix.

Source: guides-facts EBM section (KVA table, EBM-14, EBM-15). They are examples, not a
required set: "EBM defines no specific Key Value Measures" (EBM Guide, Scrum.org, CC BY-SA 4.0).
"""

DIRECTIONS = ("higher_is_better", "lower_is_better")
"""Values of the optional ``direction`` column of a table of measures."""

KNOWN_DIRECTIONS: dict[str, str] = {
    **dict.fromkeys(("active_subscribers", "revenue_per_subscriber", "net_promoter_score",
                     "employee_satisfaction", "market_share", "releases", "innovation_rate",
                     "on_product_index"), "higher_is_better"),
    **dict.fromkeys(("satisfaction_gap", "lead_time", "time_to_learn", "open_defects"),
                    "lower_is_better"),
}
"""Good direction of the case-study measures, used where a table gives none."""

_DIRECTION_SCHEMA = Schema(
    name="ebm", description="The optional direction column of a table of measures.",
    columns=(Column("direction", "category", "Whether a rising value is an improvement",
                    nullable=True, choices=DIRECTIONS),))

def example_measures() -> pd.DataFrame:
    """The EBM Guide's example measures as a table: one row per KVA and measure.

    Examples
    --------
    >>> table = example_measures()
    >>> int(table.groupby("kva").size()["Current Value"])
    5
    >>> table["source"].iloc[0]
    'EBM Guide 2024, appendix (EBM-14: examples only)'
    """
    rows = [{"kva": kva, "short": KVA_SHORT[kva], "measure": measure,
             "source": "EBM Guide 2024, appendix (EBM-14: examples only)"}
            for kva, measures in EXAMPLE_MEASURES.items() for measure in measures]
    return pd.DataFrame(rows)


def linear_trend(values: Iterable[float]) -> float:
    """Least-squares slope per step of a series (e.g. change per month).

    Missing values are left out of the fit; the others keep their position in time.

    Examples
    --------
    >>> linear_trend([1, 3, 5, 7])
    2.0
    >>> bool(np.isnan(linear_trend([4.0])))
    True
    """
    y = np.asarray(list(values), dtype=float)
    known = np.isfinite(y)
    t = np.arange(y.size, dtype=float)[known]  # a missing value keeps its step in time
    y = y[known]
    if y.size < 2:
        return float("nan")
    t -= t.mean()
    return round(float(t @ (y - y.mean()) / (t @ t)), 12)


def _check_ebm(ebm: pd.DataFrame) -> None:
    require_columns(ebm, ("month", "kva", "measure", "value"), "ebm",
                    "(expected the columns of load_dataset('ebm'))")


def measure_directions(ebm: pd.DataFrame, source: str = "ebm table") -> dict[str, str | None]:
    """Good direction of every measure: its ``direction`` cells, else :data:`KNOWN_DIRECTIONS`.

    Parameters
    ----------
    ebm
        Table of measures; an optional ``direction`` column holds ``higher_is_better`` or
        ``lower_is_better`` (empty cells are allowed, one direction per measure).
    source
        Name used in error messages, e.g. the file name; rows are counted as in the file
        (the header is row 1).

    Returns
    -------
    dict
        Measure name to ``"higher_is_better"``, ``"lower_is_better"`` or ``None`` when
        neither the table nor the known case-study names tell.

    Raises
    ------
    DataError
        Naming ``source``, row and column of a cell that is not a direction or contradicts
        an earlier row of the same measure.

    Examples
    --------
    >>> table = pd.DataFrame({"measure": ["churn_rate", "lead_time", "visits"],
    ...                       "direction": ["lower_is_better", "", ""]})
    >>> measure_directions(table)
    {'churn_rate': 'lower_is_better', 'lead_time': 'lower_is_better', 'visits': None}
    >>> measure_directions(table.assign(direction=["down", "", ""]))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: ebm table row 2, column 'direction': 'down' is not one of ...
    """
    given: dict[str, tuple[str, int]] = {}
    if "direction" in ebm.columns:
        cells = ebm["direction"].fillna("").astype(str).str.strip().reset_index(drop=True)
        validate_table(pd.DataFrame({"direction": cells}), _DIRECTION_SCHEMA, source)
        for row, (measure, direction) in enumerate(zip(ebm["measure"], cells, strict=True),
                                                   start=2):
            if not direction:
                continue
            first, first_row = given.setdefault(measure, (direction, row))
            if direction != first:
                raise DataError(f"{source} row {row}, column 'direction': {direction!r} "
                                f"contradicts {first!r} in row {first_row} for measure "
                                f"{measure!r} (expected one direction per measure)")
    return {measure: given[measure][0] if measure in given else KNOWN_DIRECTIONS.get(measure)
            for measure in ebm["measure"].unique()}


def read_measures(path: str | Path, *, text: str | None = None) -> pd.DataFrame:
    """Read a learner's monthly measures: the ``ebm`` table's columns plus ``direction``.

    The file is checked like ``read_csv(path, "ebm")``; its optional ``direction`` column
    says for each measure whether ``higher_is_better`` or ``lower_is_better``.

    Parameters
    ----------
    path
        The CSV file (its name appears in error messages).
    text
        CSV content to parse instead of reading ``path``.

    Raises
    ------
    DataError
        One line naming the file, row and column of the first problem.

    Examples
    --------
    >>> text = ("month,kva,measure,value,unit,direction\\n"
    ...         "2025-01-01,Current Value,churn_rate,4.1,percent,lower_is_better\\n")
    >>> read_measures("mine.csv", text=text)["direction"].tolist()
    ['lower_is_better']
    >>> read_measures("mine.csv", text=text.replace("lower_is_better", "down"))
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: mine.csv row 2, column 'direction': 'down' is not one of ...
    """
    table = read_table(path, SCHEMAS["ebm"], text=text)
    measure_directions(table, Path(path).name)
    return table


def _monthly(group: pd.DataFrame) -> pd.Series:
    """Values of one measure on every calendar month from its first to its last (missing: NaN).

    A month without a row keeps its place in time, so a slope is per month, not per row.
    """
    months = pd.to_datetime(group["month"]).dt.to_period("M")
    values = group["value"].groupby(months.to_numpy()).mean()
    return values.reindex(pd.period_range(months.min(), months.max(), freq="M"))


def kva_trends(ebm: pd.DataFrame) -> pd.DataFrame:
    """One row per measure: KVA, unit, first and last value, trend per month, improving?

    Parameters
    ----------
    ebm
        Long table as ``load_dataset("ebm")`` or :func:`read_measures`: month, kva,
        measure, value, unit and optionally direction.

    Returns
    -------
    pandas.DataFrame
        Indexed by measure. ``trend_per_month`` is the least-squares slope per calendar
        month (a month without a value is skipped but keeps its place in time);
        ``direction`` comes from :func:`measure_directions` (``"unknown"`` if neither the
        table nor the known names tell) and ``improving`` reads the trend in that
        direction: missing (``<NA>``) for an unknown direction, never a guess.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> trends = kva_trends(load_dataset("ebm"))
    >>> bool(trends.loc["lead_time", "improving"])
    True
    """
    _check_ebm(ebm)
    directions = measure_directions(ebm)
    rows = []
    for measure, group in ebm.sort_values("month").groupby("measure", sort=False):
        slope = linear_trend(_monthly(group))
        sign = {"higher_is_better": 1, "lower_is_better": -1}.get(directions[measure])
        rows.append({"measure": measure, "kva": group["kva"].iloc[0],
                     "unit": group["unit"].iloc[0] if "unit" in group else "",
                     "first": group["value"].iloc[0], "last": group["value"].iloc[-1],
                     "trend_per_month": slope, "direction": directions[measure] or "unknown",
                     "improving": (pd.NA if sign is None or np.isnan(slope)
                                   else bool(sign * slope > 0))})
    table = pd.DataFrame(rows).set_index("measure")
    table["improving"] = table["improving"].astype("boolean")
    order = {kva: i for i, kva in enumerate(KVAS)}
    return table.sort_values("kva", key=lambda s: s.map(order), kind="stable")


def trend_summary(trends: pd.DataFrame) -> str:
    """Per KVA, how many measures improve; then the measures whose direction is unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> trends = pd.DataFrame({"kva": ["Current Value"] * 3, "improving": pd.array(
    ...     [True, False, None], dtype="boolean")}, index=["subscribers", "nps", "churn_rate"])
    >>> print(trend_summary(trends))
    Current Value: 1 of 2 measures improving, 1 more without a known direction
    No known direction for: churn_rate (add a direction column: higher_is_better or \
lower_is_better)
    """
    lines = []
    for kva, group in trends.groupby("kva", sort=False):
        known = group["improving"].notna()
        line = f"{kva}: {int(group['improving'].sum())} of {int(known.sum())} measures improving"
        lines.append(line + (f", {int((~known).sum())} more without a known direction"
                             if not known.all() else ""))
    unknown = trends.index[trends["improving"].isna()]
    if len(unknown):
        lines.append("No known direction for: " + ", ".join(unknown) + " (add a direction "
                     "column: " + " or ".join(DIRECTIONS) + ")")
    return "\n".join(lines)


def plot_kva(ebm: pd.DataFrame, kva: str, ax: Axes | None = None) -> Axes:
    """Chart of one Key Value Area: each measure as an index (first month = 100).

    Measures of one area have different units, so each line is scaled to its own first
    month; the chart shows direction and size of change, not the raw values.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> len(plot_kva(load_dataset("ebm"), "Time to Market").lines)  # 3 measures + baseline
    4
    """
    import matplotlib.pyplot as plt

    _check_ebm(ebm)
    if kva not in KVAS:
        raise ParameterError(f"kva {kva!r} is not a Key Value Area (expected one of "
                             + ", ".join(KVAS) + ")")
    if ax is None:
        _, ax = plt.subplots()
    directions = measure_directions(ebm)
    part = ebm[ebm["kva"] == kva].sort_values("month")
    for measure, group in part.groupby("measure", sort=False):
        first = group["value"].iloc[0]
        index = group["value"] / first * 100 if first else group["value"]
        arrow = {"lower_is_better": " (lower is better)",
                 None: " (direction unknown)"}.get(directions[measure], "")
        ax.plot(group["month"], index, label=f"{measure}{arrow}")
    ax.axhline(100, color="grey", linewidth=0.8, linestyle=":")
    ax.set_title(f"{kva} ({KVA_SHORT[kva]})")
    ax.set_ylabel("index, first month = 100")
    ax.legend(fontsize=7, frameon=False)
    ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    return ax


def plot_kva_dashboard(ebm: pd.DataFrame, fig: Figure | None = None) -> np.ndarray:
    """Four charts, one per Key Value Area, side by side; returns the 2x2 array of Axes.

    No overall score is drawn: EBM has none, and adding areas up would hide trade-offs.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> plot_kva_dashboard(load_dataset("ebm")).shape
    (2, 2)
    """
    import matplotlib.pyplot as plt

    if fig is None:
        fig = plt.figure(figsize=(11, 7))
    axes = fig.subplots(2, 2)
    for kva, ax in zip(KVAS, axes.flat, strict=True):
        plot_kva(ebm, kva, ax=ax)
    fig.tight_layout()
    return axes


NEW_VALUE = ("feature", "experiment")
KEEP_VALUE = ("defect", "maintenance")


def innovation_rate(work_items: pd.DataFrame) -> pd.DataFrame:
    """Per month: share of finished capacity spent on new value vs keeping today's value.

    The EBM Guide describes Innovation Rate as "the percentage of effort or cost spent on
    new product capabilities, divided by total product effort or cost" (EBM-15). The case
    study has no cost data, so the size of finished items stands in for effort: features
    and experiments create new value, defects and maintenance keep current value.

    Returns
    -------
    pandas.DataFrame
        Indexed by month (``Period``): ``new_value`` and ``keep_value`` (size points
        finished), ``innovation_rate`` (percent).

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> rates = innovation_rate(load_dataset("work_items"))
    >>> bool(rates["innovation_rate"].between(0, 100).all())
    True
    """
    require_columns(work_items, ("type", "done", "size"), "work_items")
    done = work_items[work_items["done"].notna()]
    unknown = set(done["type"].astype(str)) - set(NEW_VALUE) - set(KEEP_VALUE)
    if unknown:
        raise DataError(f"work_items table, column 'type': {sorted(unknown)[0]!r} is not one "
                        "of " + ", ".join(NEW_VALUE + KEEP_VALUE))
    month = done["done"].dt.to_period("M").rename("month")
    new = done["type"].isin(NEW_VALUE)
    table = pd.DataFrame({
        "new_value": done["size"].where(new, 0).groupby(month).sum(),
        "keep_value": done["size"].where(~new, 0).groupby(month).sum()})
    table["innovation_rate"] = (100 * table["new_value"]
                                / (table["new_value"] + table["keep_value"])).round(1)
    return table


def plot_innovation_rate(rates: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Bars of the monthly innovation rate with its least-squares trend line.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> ax = plot_innovation_rate(innovation_rate(load_dataset("work_items")))
    >>> len(ax.lines)
    1
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    x = np.arange(len(rates))
    y = rates["innovation_rate"].to_numpy(dtype=float)
    ax.bar(x, y, color="#9bb7d4", label="innovation rate")
    slope = linear_trend(y)
    ax.plot(x, y.mean() + slope * (x - x.mean()), color="#c0392b",
            label=f"trend {slope:+.1f} points per month")
    ax.set_xticks(x, [str(p) for p in rates.index], rotation=60, fontsize=8)
    ax.set_ylabel("% of finished size on new value")
    ax.set_ylim(0, 100)
    ax.set_title("Innovation rate: new value vs keeping current value")
    ax.legend(frameon=False, loc="upper left")
    return ax


def value_step(series: pd.Series, within_last: int | None = 12, min_segment: int = 3
               ) -> dict[str, object]:
    """Find the month where a measure jumped, beyond its steady trend.

    For every candidate month ``k`` a straight line plus a step from ``k`` on is fitted
    by least squares; the month whose step explains the series best wins. ``strength``
    compares that fit with a plain straight line: how many times the residual noise
    variance the step removes. Values above about 10 are clear; below 4 the "step" may be
    noise. A trend line alone would blur a real change into gradual growth.

    Parameters
    ----------
    series
        Values indexed by month, in time order.
    within_last
        Only look for the step in the last ``within_last`` points (``None``: anywhere).
    min_segment
        At least this many points on each side of the step.

    Returns
    -------
    dict
        ``month`` of the step, ``step`` size, ``before`` and ``after`` means of the
        ``min_segment``-or-more points around it, and ``strength``.

    Examples
    --------
    >>> months = pd.date_range("2024-01-01", periods=12, freq="MS")
    >>> values = pd.Series([10, 11, 10, 10, 11, 10, 20, 21, 20, 20, 21, 20.0], index=months)
    >>> found = value_step(values)
    >>> found["month"], round(found["step"], 1)
    ('2024-07', 10.0)
    """
    y = series.to_numpy(dtype=float)
    n = y.size
    if n < 2 * min_segment + 1:
        raise DataError(f"{series.name or 'series'}: {n} points is too short to find a change "
                        f"(expected at least {2 * min_segment + 1})")
    first = min_segment if within_last is None else max(min_segment, n - within_last)
    candidates = np.arange(first, n - min_segment + 1)
    t = np.arange(n, dtype=float)
    base = np.column_stack([np.ones(n), t])
    sse_line = float(np.sum((y - base @ np.linalg.lstsq(base, y, rcond=None)[0]) ** 2))
    best = None
    for k in candidates:
        design = np.column_stack([base, (t >= k).astype(float)])
        coef = np.linalg.lstsq(design, y, rcond=None)[0]
        sse = float(np.sum((y - design @ coef) ** 2))
        if best is None or sse < best[1]:
            best = (int(k), sse, float(coef[2]))
    k, sse, step = best
    noise = sse / (n - 3) if sse > 0 else np.finfo(float).tiny
    index = series.index[k]
    label = pd.Timestamp(index).strftime("%Y-%m") if not isinstance(index, int) else index
    return {"month": label, "step": step,
            "before": float(y[max(0, k - min_segment):k].mean()),
            "after": float(y[k:k + min_segment].mean()),
            "strength": float((sse_line - sse) / noise)}


def value_steps(ebm: pd.DataFrame, kvas: Iterable[str] = ("Current Value", "Unrealized Value"),
                within_last: int = 12) -> pd.DataFrame:
    """:func:`value_step` for every measure of the given KVAs, strongest first.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> steps = value_steps(load_dataset("ebm"))
    >>> steps.index[0]
    'active_subscribers'
    """
    _check_ebm(ebm)
    rows = []
    for measure, group in ebm[ebm["kva"].isin(list(kvas))].groupby("measure", sort=False):
        series = group.set_index("month")["value"].sort_index().rename(measure)
        rows.append({"measure": measure, "kva": group["kva"].iloc[0],
                     **value_step(series, within_last=within_last)})
    return pd.DataFrame(rows).set_index("measure").sort_values("strength", ascending=False)


def plot_value_step(series: pd.Series, found: dict[str, object], ax: Axes | None = None
                    ) -> Axes:
    """The series with the month of its step marked and the before/after levels.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> ebm = load_dataset("ebm")
    >>> s = ebm[ebm["measure"] == "net_promoter_score"].set_index("month")["value"]
    >>> ax = plot_value_step(s, value_step(s))
    >>> len(ax.lines), len(ax.collections)
    (2, 1)
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    if ax is None:
        _, ax = plt.subplots()
    ax.plot(series.index, series.to_numpy(), marker="o", color="#34495e",
            label=series.name or "value")
    when = pd.Timestamp(str(found["month"]))
    step = float(found["step"])  # type: ignore[arg-type]
    ax.axvline(when, color="#c0392b", linestyle="--",
               label=f"step in {found['month']}: {'+' if step > 0 else ''}{format_number(step)}")
    ax.hlines([found["before"], found["after"]], [series.index[0], when],
              [when, series.index[-1]], colors="#e67e22", linewidth=2,
              label="level before and after (mean of the months around the step)")
    ax.set_title(f"When did {series.name or 'the value'} change?")
    # values in thousands read as 2,880, not as an offset like "+2.88e+03" above the axis
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value)))
    ax.legend(frameon=False)
    ax.tick_params(axis="x", labelrotation=30)
    return ax
