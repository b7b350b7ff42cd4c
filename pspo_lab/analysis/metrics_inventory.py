"""The learner's own metrics inventory, classified and checked against the four KVAs.

Each line of the inventory is ``name; category; leading/lagging; KVA``: the category is
one of the five kinds of measures of the EBM Guide (:data:`CATEGORIES`), the KVA one of
the Key Value Areas of :mod:`pspo_lab.analysis.ebm` or ``none``.

* :class:`MetricsInventory`: the model of its form (record ``records.METRICS_INVENTORY``);
* :func:`metrics_table`: the lines as a table, with one-line errors for a wrong field;
* :func:`blind_spots`: Key Value Areas none of the metrics covers;
* :func:`inventory_summary`: counts by category and indicator.

>>> sorted(blind_spots(["Current Value", "Time to Market"]))
['Ability to Innovate', 'Unrealized Value']
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from pspo_lab.analysis.ebm import KVA_SHORT
from pspo_lab.content.casestudy import KVAS
from pspo_lab.core.errors import DataError

CATEGORIES = ("resources", "activities", "output", "outcome", "impact")
"""Kinds of measures, from effort put in to effect on the world (the EBM Guide 2024 calls
the first kind "inputs" and lists five kinds, EBM-04; the 2020 Guide had three)."""

INDICATORS = ("leading", "lagging")

_CATEGORY_ALIASES = {"inputs": "resources", "input": "resources", "resource": "resources",
                     "activity": "activities", "outputs": "output", "outcomes": "outcome",
                     "impacts": "impact"}
_KVA_ALIASES = {**{k.lower(): k for k in KVAS}, **{v.lower(): k for k, v in KVA_SHORT.items()},
                "time-to-market": "Time to Market", "none": "none", "-": "none"}


class MetricsInventory(BaseModel):
    """The learner's own metrics, one per line: ``name; category; leading/lagging; KVA``.

    Category is one of :data:`CATEGORIES`; the KVA is a Key Value Area, its abbreviation
    (CV, UV, T2M, A2I) or ``none``.
    """

    model_config = ConfigDict(extra="forbid")

    metrics: list[str] = Field(default_factory=lambda: [
        "Story points per Sprint; output; leading; none",
        "Hours booked on the product; resources; leading; none",
        "Features released per quarter; output; lagging; Time to Market",
        "Active subscribers; outcome; lagging; Current Value",
        "Net Promoter Score; outcome; lagging; Current Value",
        "Lead time from idea to release; activities; leading; T2M",
    ])
    which_measure_value: str = Field(
        "Active subscribers and NPS tell us whether customers are better off.", max_length=400)
    which_to_drop: str = Field(
        "Story points per Sprint: costly to collect and says nothing about value.",
        max_length=400)
    leading_assumptions: str = Field(
        "Shorter lead time lets us learn sooner, which we assume raises satisfaction.",
        max_length=400)


def _pick(value: str, aliases: dict[str, str], allowed: Iterable[str]) -> str | None:
    key = value.strip().lower()
    if key in allowed:
        return key
    return aliases.get(key)


def metrics_table(lines: Iterable[str], source: str = "metrics inventory") -> pd.DataFrame:
    """Parse inventory lines ``name; category; leading/lagging; KVA`` into a table.

    Raises
    ------
    DataError
        Naming the line and the field that is wrong and what was expected.

    Examples
    --------
    >>> metrics_table(["NPS; outcome; lagging; CV"]).iloc[0, :4].tolist()
    ['NPS', 'outcome', 'lagging', 'Current Value']
    >>> metrics_table(["NPS; feelings; lagging; CV"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: metrics inventory line 1, category: 'feelings' is not one of ...
    """
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")]
        where = f"{source} line {number}"
        if len(parts) != 4 or not parts[0]:
            raise DataError(f"{where}: {line!r} has {len(parts)} field(s) (expected "
                            "'name; category; leading or lagging; KVA')")
        name, category, indicator, kva = parts
        category_ok = _pick(category, _CATEGORY_ALIASES, CATEGORIES)
        if category_ok is None:
            raise DataError(f"{where}, category: {category!r} is not one of "
                            + ", ".join(CATEGORIES))
        if indicator.lower() not in INDICATORS:
            raise DataError(f"{where}, indicator: {indicator!r} is not 'leading' or 'lagging'")
        kva_ok = _KVA_ALIASES.get(kva.lower())
        if kva_ok is None:
            raise DataError(f"{where}, KVA: {kva!r} is not one of " + ", ".join(KVAS)
                            + ", CV, UV, T2M, A2I or none")
        rows.append({"metric": name, "category": category_ok, "indicator": indicator.lower(),
                     "kva": kva_ok, "about_value": category_ok in ("outcome", "impact")})
    if not rows:
        raise DataError(f"{source}: no metrics listed (expected one metric per line)")
    return pd.DataFrame(rows)


def blind_spots(kvas: Iterable[str]) -> list[str]:
    """Key Value Areas that none of the given KVA labels covers, in the Guide's order.

    Examples
    --------
    >>> blind_spots(["Current Value", "none", "Current Value"])
    ['Unrealized Value', 'Time to Market', 'Ability to Innovate']
    """
    covered = set(kvas)
    return [kva for kva in KVAS if kva not in covered]


def inventory_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Count the learner's metrics by category and indicator (rows: categories in order).

    Examples
    --------
    >>> summary = inventory_summary(metrics_table(MetricsInventory().metrics))
    >>> int(summary.loc["output"].sum())
    2
    """
    counts = pd.crosstab(pd.Categorical(table["category"], CATEGORIES),
                         pd.Categorical(table["indicator"], INDICATORS), dropna=False)
    counts.index.name, counts.columns.name = "category", "indicator"
    return counts
