"""Module 2, business strategy: who adopts the product first, and what keeping it costs.

* The technology adoption lifecycle with Geoffrey Moore's chasm: :data:`SEGMENTS`,
  :func:`lifecycle_position`, :func:`target_summary`, :func:`plot_adoption_lifecycle`.
* Total cost of ownership over years and the continue-vs-discontinue comparison:
  :class:`CostInputs`, :func:`tco_table`, :func:`continue_or_discontinue`,
  :func:`retirement_year`, :func:`plot_tco`.

Assumption and impact maps, the other half of module 2: :mod:`pspo_lab.analysis.strategy_maps`.

>>> lifecycle_position(5.1), retirement_year(CostInputs())
('Early adopters', 3)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pspo_lab.core.errors import DataError, format_pydantic_error

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# ---------------------------------------------------------------- adoption lifecycle

SEGMENTS: dict[str, float] = {"Innovators": 2.5, "Early adopters": 13.5,
                              "Early majority": 34.0, "Late majority": 34.0, "Laggards": 16.0}
"""Share of a market (percent) in each adoption segment (Everett Rogers' diffusion of
innovations, used by Geoffrey Moore in *Crossing the Chasm*). The chasm lies between the
early adopters and the early majority."""

Segment = Literal["Innovators", "Early adopters", "Early majority", "Late majority", "Laggards"]


class TargetSegments(BaseModel):
    """The segments a learner targets with the product (saved as ``strategy/targets``)."""

    model_config = ConfigDict(extra="forbid")

    segments: list[Segment] = Field(default_factory=lambda: ["Early adopters"], min_length=1,
                                    max_length=5)
    reason: str = Field("Households that already cook from recipes online try new services "
                        "first and tell friends", max_length=300)


def segment_table() -> pd.DataFrame:
    """Segments with their share and cumulative share of the market (percent).

    Examples
    --------
    >>> float(segment_table().loc["Early majority", "cumulative"])
    50.0
    """
    shares = pd.Series(SEGMENTS, name="share")
    return pd.DataFrame({"share": shares, "cumulative": shares.cumsum()})


def lifecycle_position(adoption: float) -> str:
    """The segment a product is selling to once ``adoption`` percent of its market has it.

    Examples
    --------
    >>> lifecycle_position(5.1)
    'Early adopters'
    >>> lifecycle_position(16.0)
    'Early majority'
    """
    if not 0 <= adoption <= 100:
        raise DataError(f"adoption: {adoption!r} is out of range (expected a percent, 0 to 100)")
    table = segment_table()
    return str(table.index[int(np.searchsorted(table["cumulative"].to_numpy(), adoption,
                                               side="right"))]) if adoption < 100 else "Laggards"


def target_summary(segments: Iterable[str]) -> dict[str, Any]:
    """Market share reachable in the chosen segments and whether the plan crosses the chasm.

    Examples
    --------
    >>> target_summary(["Innovators", "Early adopters"])
    {'share': 16.0, 'crosses_chasm': False}
    """
    chosen = list(segments)
    unknown = [s for s in chosen if s not in SEGMENTS]
    if unknown:
        raise DataError(f"target segments: {unknown[0]!r} is not a segment (expected one of "
                        f"{', '.join(SEGMENTS)})")
    late = {"Early majority", "Late majority", "Laggards"}
    return {"share": float(sum(SEGMENTS[s] for s in set(chosen))),
            "crosses_chasm": bool(late & set(chosen))}


def plot_adoption_lifecycle(targets: Iterable[str] = (), position: float | None = None,
                            ax: Axes | None = None) -> Axes:
    """The bell curve of adoption with the chasm, highlighted targets and today's position.

    Segment boundaries sit at one and two standard deviations from the mean of a normal
    curve, which gives (rounded) the shares of :data:`SEGMENTS`.

    Examples
    --------
    >>> ax = plot_adoption_lifecycle(["Early adopters"], position=5.0)
    >>> len(ax.collections)
    5
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4))
    chosen = set(targets)
    edges = [-3.5, -2, -1, 0, 1, 3.5]
    for (name, share), left, right in zip(SEGMENTS.items(), edges[:-1], edges[1:], strict=True):
        shift = 0.12 if left >= -1 else 0.0  # the chasm opens before the early majority
        x = np.linspace(left, right, 80)
        y = np.exp(-x ** 2 / 2)
        colour = "#749335" if name in chosen else "#d9dfd0"
        ax.fill_between(x + shift, y, color=colour, edgecolor="white")
        ax.text((max(left, -2.9) + min(right, 2.9)) / 2 + shift, 0.05,
                f"{name}\n{share:g}%", ha="center", fontsize=8)
    ax.annotate("the chasm", xy=(-0.94, 0.75), xytext=(-0.6, 1.05), fontsize=9,
                arrowprops={"arrowstyle": "->"})
    if position is not None:
        z = float(np.interp(position, np.cumsum([0, *SEGMENTS.values()]), edges))
        ax.axvline(z + (0.12 if z >= -1 else 0), color="#b5651d", linestyle="--")
        ax.text(z + 0.05, 0.9, f"today: {position:.1f}% adopted", color="#b5651d", fontsize=8)
    ax.set_yticks([])
    ax.set_xticks([])
    ax.set_ylim(0, 1.15)
    ax.set_title("Technology adoption lifecycle (targets in green)")
    return ax


# ---------------------------------------------------------------- total cost of ownership


class CostInputs(BaseModel):
    """Yearly costs and value of a product, in EUR (starting values: FreshCrate's gift cards).

    ``debt_interest`` is the share by which maintenance grows every year when technical
    debt is not paid back; ``opportunity_cost`` is the value the same people and money
    would create on the next best work.
    """

    model_config = ConfigDict(extra="forbid")

    years: int = Field(5, ge=1, le=15)
    build: float = Field(60000, ge=0)
    run_per_year: float = Field(9000, ge=0)
    support_per_year: float = Field(12000, ge=0)
    maintenance_per_year: float = Field(15000, ge=0)
    debt_interest: float = Field(0.15, ge=0, le=1)
    opportunity_cost_per_year: float = Field(20000, ge=0)
    value_per_year: float = Field(52000, ge=0)
    value_trend: float = Field(-0.08, ge=-1, le=1)
    discontinue_cost: float = Field(25000, ge=0)


COST_COLUMNS = ["run", "support", "maintenance", "opportunity"]


def cost_inputs(raw: Mapping[str, Any]) -> CostInputs:
    """Validate cost inputs typed by a learner (numbers or text such as ``"12000"``).

    Raises
    ------
    DataError
        One line naming the field and what was expected; nothing is computed or saved.

    Examples
    --------
    >>> cost_inputs({"run_per_year": "9000"}).run_per_year
    9000.0
    >>> cost_inputs({"run_per_year": "nine thousand"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: cost inputs field 'run_per_year': Input should be a valid number...
    """
    try:
        return CostInputs.model_validate(dict(raw))
    except ValidationError as error:
        raise DataError(format_pydantic_error("cost inputs", error)) from None


def tco_table(costs: CostInputs) -> pd.DataFrame:
    """Total cost of ownership per year of keeping the product (year 0 is the build).

    Returns
    -------
    pandas.DataFrame
        Index ``year``; columns ``build``, ``run``, ``support``, ``maintenance`` (growing
        by ``debt_interest`` a year), ``opportunity``, ``total``, ``cumulative``, ``value``
        and ``net`` (value minus total).

    Examples
    --------
    >>> table = tco_table(CostInputs(years=2, debt_interest=0.1))
    >>> table["maintenance"].tolist()
    [0.0, 15000.0, 16500.0]
    """
    years = np.arange(costs.years + 1)
    running = (years > 0).astype(float)
    table = pd.DataFrame({
        "build": np.where(years == 0, costs.build, 0.0),
        "run": running * costs.run_per_year,
        "support": running * costs.support_per_year,
        "maintenance": running * costs.maintenance_per_year
        * (1 + costs.debt_interest) ** np.maximum(years - 1, 0),
        "opportunity": running * costs.opportunity_cost_per_year,
    }, index=pd.Index(years, name="year"))
    table["total"] = table.sum(axis=1)
    table["cumulative"] = table["total"].cumsum()
    table["value"] = running * costs.value_per_year * (1 + costs.value_trend) ** np.maximum(
        years - 1, 0)
    table["net"] = table["value"] - table["total"]
    return table.round(2)


def continue_or_discontinue(costs: CostInputs) -> pd.DataFrame:
    """Cumulative net value from today if the product is kept or retired now.

    Keeping it earns its value and pays run, support, growing maintenance and the
    opportunity cost (the value the same people would create elsewhere, given up by
    keeping it). Retiring it pays ``discontinue_cost`` once and nothing after. The build
    cost is already spent (sunk) and counts for neither option.

    Examples
    --------
    >>> table = continue_or_discontinue(CostInputs())
    >>> table.columns.tolist()
    ['continue', 'discontinue', 'difference']
    >>> bool(table["difference"].iloc[-1] < 0)
    True
    """
    kept = tco_table(costs).drop(index=0)
    keep = (kept["value"] - kept[["run", "support", "maintenance", "opportunity"]].sum(axis=1))
    retire = pd.Series(0.0, index=kept.index)
    retire.iloc[0] = -costs.discontinue_cost
    table = pd.DataFrame({"continue": keep.cumsum(), "discontinue": retire.cumsum()})
    table["difference"] = table["continue"] - table["discontinue"]
    return table.round(2)


def retirement_year(costs: CostInputs) -> int | None:
    """First year from which retiring the product would have paid off, or ``None``.

    Examples
    --------
    >>> retirement_year(CostInputs())
    3
    >>> retirement_year(CostInputs(value_per_year=200000)) is None
    True
    """
    difference = continue_or_discontinue(costs)["difference"]
    behind = difference[difference < 0]
    return int(behind.index[0]) if len(behind) else None


def plot_tco(costs: CostInputs, ax: Axes | None = None) -> Axes:
    """Stacked yearly costs with the value line.

    Examples
    --------
    >>> len(plot_tco(CostInputs(years=3)).patches)
    20
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    table = tco_table(costs)
    bottom = np.zeros(len(table))
    colours = ["#3d5220", "#749335", "#9bb7d4", "#b5651d", "#d9c48f"]
    for column, colour in zip(["build", *COST_COLUMNS], colours, strict=True):
        ax.bar(table.index, table[column], bottom=bottom, color=colour, label=column)
        bottom += table[column].to_numpy()
    ax.plot(table.index[1:], table["value"].iloc[1:], "ko-", label="value")
    ax.set_xlabel("year")
    ax.set_ylabel("EUR")
    ax.set_title("Total cost of ownership per year")
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax
