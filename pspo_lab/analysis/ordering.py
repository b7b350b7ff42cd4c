"""Ordering a Product Backlog: WSJF, CD3, RICE, MoSCoW, value vs effort, and how robust
an order is.

* **WSJF** (SAFe): cost of delay = user-business value + time criticality + risk reduction /
  opportunity enablement, each on the relative scale 1, 2, 3, 5, 8, 13, 20; divided by job size.
* **CD3**: cost of delay per week (money) divided by duration (weeks).
* **RICE**: reach x impact x confidence / effort, impact 3 / 2 / 1 / 0.5 / 0.25,
  confidence 100 / 80 / 50 %.
* **MoSCoW** with the DSDM checks: Must at most 60% of the effort, Could about 20%.
* **Value vs effort** 2x2, the **Thirty-Five** exercise, and how stable the WSJF top is
  when estimates are uncertain.

None of these methods is part of Scrum: the Product Owner orders the Product Backlog (SG-29)
and may use any technique that helps. The numbers inform a decision; they do not make it.

Examples
--------
>>> from pspo_lab import load_dataset
>>> available_methods(load_dataset("backlog"))
['wsjf', 'cd3', 'rice', 'value_per_effort']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pspo_lab.analysis.backlog import NEEDS, WSJF_COLUMNS, missing_for
from pspo_lab.core.errors import DataError, ParameterError

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def cost_of_delay(frame: pd.DataFrame) -> pd.Series:
    """WSJF cost of delay: user-business value + time criticality + risk reduction.

    Examples
    --------
    >>> item = pd.DataFrame({"user_business_value": [8], "time_criticality": [5],
    ...                      "risk_reduction": [2], "job_size": [3]})
    >>> int(cost_of_delay(item).iloc[0])
    15
    """
    return frame["user_business_value"] + frame["time_criticality"] + frame["risk_reduction"]


def wsjf(frame: pd.DataFrame) -> pd.Series:
    """Weighted Shortest Job First: cost of delay divided by job size.

    Examples
    --------
    >>> item = pd.DataFrame({"user_business_value": [8], "time_criticality": [5],
    ...                      "risk_reduction": [2], "job_size": [3]})
    >>> float(wsjf(item).iloc[0])
    5.0
    """
    if (frame["job_size"] <= 0).any():
        raise DataError("backlog: job_size must be greater than 0 (WSJF divides by it)")
    return (cost_of_delay(frame) / frame["job_size"]).rename("wsjf")


def cd3(frame: pd.DataFrame) -> pd.Series:
    """CD3, cost of delay divided by duration: money per week lost, per week of work.

    Examples
    --------
    >>> float(cd3(pd.DataFrame({"cost_of_delay_week": [3000], "duration_weeks": [2]})).iloc[0])
    1500.0
    """
    if (frame["duration_weeks"] <= 0).any():
        raise DataError("backlog: duration_weeks must be greater than 0 (CD3 divides by it)")
    return (frame["cost_of_delay_week"] / frame["duration_weeks"]).rename("cd3")


def rice(frame: pd.DataFrame) -> pd.Series:
    """RICE score: reach x impact x confidence / effort (confidence in percent).

    Examples
    --------
    >>> item = pd.DataFrame({"reach": [2000], "impact": [2.0], "confidence": [80],
    ...                      "effort": [4.0]})
    >>> float(rice(item).iloc[0])
    800.0
    """
    if (frame["effort"] <= 0).any():
        raise DataError("backlog: effort must be greater than 0 (RICE divides by it)")
    return (frame["reach"] * frame["impact"] * frame["confidence"] / 100
            / frame["effort"]).rename("rice")


METHODS = {"wsjf": wsjf, "cd3": cd3, "rice": rice,
           "value_per_effort": lambda f: (f["value_estimate"] / f["effort"]).rename(
               "value_per_effort")}
"""Score functions by name; a higher score means earlier in the order."""


METHOD_NAMES = {"wsjf": "WSJF (weighted shortest job first)",
                "cd3": "CD3 (cost of delay divided by duration)",
                "rice": "RICE (reach, impact, confidence, effort)",
                "value_per_effort": "Value per effort"}
"""What a learner reads for each method in lists and legends."""


def method_options(methods: list[str]) -> list[tuple[str, str]]:
    """``(name a learner reads, method code)`` pairs for a choice list.

    Examples
    --------
    >>> method_options(["wsjf", "rice"])[0]
    ('WSJF (weighted shortest job first)', 'wsjf')
    """
    return [(METHOD_NAMES.get(method, method), method) for method in methods]


def available_methods(frame: pd.DataFrame) -> list[str]:
    """Names of the :data:`METHODS` whose columns ``frame`` has.

    Examples
    --------
    >>> available_methods(pd.DataFrame(columns=["value_estimate", "effort"]))
    ['value_per_effort']
    """
    return [method for method in METHODS if not missing_for(frame, method)]


def worked_example(frame: pd.DataFrame) -> str:
    """WSJF, CD3 and RICE written out for the item first by WSJF, as far as ``frame`` allows.

    Without the WSJF columns the item first by the first available method is used; a
    score whose columns are missing is left out.

    Examples
    --------
    >>> item = pd.DataFrame({"id": ["A"], "title": ["Fix checkout"], "user_business_value": [8],
    ...     "time_criticality": [5], "risk_reduction": [2], "job_size": [3]})
    >>> print(worked_example(item))
    A Fix checkout
    WSJF = (8 + 5 + 2) / 3 = 5.00
    """
    methods = available_methods(frame)
    if not methods:
        return ("No order can be computed: your backlog needs the columns of at least one "
                "method: " + "; ".join(f"{NEEDS[m][0]}: {', '.join(NEEDS[m][1])}"
                                        for m in METHODS))
    first = frame.loc[order_by(frame, methods[0]).index[0]]
    lines = [f"{first['id']} {first['title']}"]
    if "wsjf" in methods:
        lines.append(f"WSJF = ({first['user_business_value']} + {first['time_criticality']} + "
                     f"{first['risk_reduction']}) / {first['job_size']} = "
                     f"{float(wsjf(frame).loc[first.name]):.2f}")
    if "cd3" in methods:
        lines.append(f"CD3  = {first['cost_of_delay_week']} EUR/week / "
                     f"{first['duration_weeks']} weeks = {float(cd3(frame).loc[first.name]):.0f}")
    if "rice" in methods:
        lines.append(f"RICE = {first['reach']} x {first['impact']} x {first['confidence']}% / "
                     f"{first['effort']} person-weeks = {float(rice(frame).loc[first.name]):.0f}")
    return "\n".join(lines)


def order_by(frame: pd.DataFrame, method: str) -> pd.DataFrame:
    """The backlog sorted by a method's score (highest first), with ``score`` and ``rank``.

    Ties keep the current order (stable sort).

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> order_by(load_dataset("backlog"), "wsjf")["rank"].head(3).tolist()
    [1, 2, 3]
    """
    if method not in METHODS:
        raise ParameterError(f"method {method!r} is unknown (expected one of "
                             + ", ".join(METHODS) + ")")
    scored = frame.assign(score=METHODS[method](frame))
    scored = scored.sort_values("score", ascending=False, kind="stable")
    return scored.assign(rank=np.arange(1, len(scored) + 1))


def ranks(frame: pd.DataFrame, methods: tuple[str, ...] = tuple(METHODS)) -> pd.DataFrame:
    """Rank of every item (1 = first) under each method, indexed by ``id``.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> ranks(load_dataset("backlog")).shape
    (120, 4)
    """
    columns = {m: order_by(frame, m).set_index("id")["rank"] for m in methods}
    return pd.DataFrame(columns).loc[frame["id"]]


def rank_agreement(rank_table: pd.DataFrame, how: str = "spearman") -> pd.DataFrame:
    """Rank correlation between every pair of orderings (1 = the same order).

    Parameters
    ----------
    rank_table
        Output of :func:`ranks`.
    how
        ``"spearman"`` or ``"kendall"`` (Kendall's tau-b, :func:`scipy.stats.kendalltau`:
        ties are handled, and a pair with an ordering that puts every item level is NaN).

    Examples
    --------
    >>> table = pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 3, 2, 4]})
    >>> float(rank_agreement(table).loc["a", "b"])
    0.8
    >>> round(float(rank_agreement(table, "kendall").loc["a", "b"]), 3)
    0.667
    """
    if how == "spearman":
        return rank_table.rank().corr()
    if how != "kendall":
        raise ParameterError(f"how {how!r} is unknown (expected 'spearman' or 'kendall')")
    # imported here: scipy.stats takes longer to import than the rest of the package, and
    # every notebook imports this module (through the workspace bar's portfolio)
    from scipy import stats

    names = list(rank_table.columns)
    values = [[float(stats.kendalltau(rank_table[r], rank_table[c]).statistic) for c in names]
              for r in names]
    return pd.DataFrame(values, index=names, columns=names)


def wsjf_trials(frame: pd.DataFrame, trials: int, spread: float = 0.3,
                rng: np.random.Generator | None = None) -> np.ndarray:
    """WSJF scores under estimate uncertainty: a ``(trials, items)`` array.

    Each of the four estimates of each item is multiplied by an independent log-normal
    factor with ``sigma=spread`` (0.3 is roughly "could be a third higher or lower").

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> wsjf_trials(load_dataset("backlog"), 50, rng=np.random.default_rng(1)).shape
    (50, 120)
    """
    rng = rng if rng is not None else np.random.default_rng(0)
    estimates = frame[list(WSJF_COLUMNS)].to_numpy(dtype=float)
    noisy = estimates * rng.lognormal(0.0, spread, size=(trials, *estimates.shape))
    return noisy[:, :, :3].sum(axis=2) / noisy[:, :, 3]


def top_n_stability(frame: pd.DataFrame, top: int = 10, trials: int = 2000,
                    spread: float = 0.3, seed: int = 0) -> pd.DataFrame:
    """How often each item lands in the WSJF top ``top`` when estimates are uncertain.

    Returns
    -------
    pandas.DataFrame
        One row per item that reached the top in any trial or is in the baseline top:
        ``baseline_rank``, ``p_top`` (share of trials in the top) and ``in_baseline_top``;
        highest ``p_top`` first. ``attrs["overlap"]`` holds the mean share of the baseline
        top that stays in a trial's top.

    Examples
    --------
    >>> items = pd.DataFrame({"id": list("ABC"), "title": list("abc"),
    ...     "user_business_value": [20, 1, 1], "time_criticality": [20, 1, 1],
    ...     "risk_reduction": [20, 1, 1], "job_size": [1, 20, 20]})
    >>> table = top_n_stability(items, top=1, trials=200)
    >>> float(table.loc["A", "p_top"]), table.attrs["overlap"]
    (1.0, 1.0)
    """
    if not 1 <= top <= len(frame):
        raise ParameterError(f"top: {top} is out of range (expected 1 to {len(frame)})")
    scores = wsjf_trials(frame, trials, spread, np.random.default_rng(seed))
    in_top = np.zeros(scores.shape, dtype=bool)
    best = np.argpartition(-scores, top - 1, axis=1)[:, :top]
    np.put_along_axis(in_top, best, True, axis=1)
    baseline = order_by(frame, "wsjf")
    base_rank = baseline.set_index("id")["rank"].loc[frame["id"]].to_numpy()
    base_top = base_rank <= top
    table = pd.DataFrame({"id": frame["id"].to_numpy(), "title": frame["title"].to_numpy(),
                          "baseline_rank": base_rank, "p_top": in_top.mean(axis=0),
                          "in_baseline_top": base_top}).set_index("id")
    table = table[(table["p_top"] > 0) | table["in_baseline_top"]]
    table = table.sort_values(["p_top", "baseline_rank"], ascending=[False, True])
    table.attrs["overlap"] = float(in_top[:, base_top].sum(axis=1).mean() / top)
    return table


def moscow_check(frame: pd.DataFrame, must_max: float = 0.6, could_target: float = 0.2,
                 could_tolerance: float = 0.05) -> pd.DataFrame:
    """Share of effort per MoSCoW class and the DSDM checks.

    DSDM advises that Must items take no more than 60% of the effort and Could items about
    20%, the contingency that protects the Musts.

    Returns
    -------
    pandas.DataFrame
        One row per class: ``items``, ``effort``, ``share`` and ``check`` (text, "ok" when fine).

    Examples
    --------
    >>> items = pd.DataFrame({"moscow": ["Must", "Must", "Should", "Could"],
    ...                       "effort": [4.0, 3.0, 2.0, 1.0]})
    >>> must = moscow_check(items).loc["Must"]
    >>> float(must["share"]), must["check"]
    (0.7, 'too many Musts: 70% of effort (DSDM: at most 60%)')
    """
    order = ["Must", "Should", "Could", "Won't"]
    table = frame.groupby("moscow")["effort"].agg(items="size", effort="sum").reindex(
        order, fill_value=0)
    committed = table.loc[["Must", "Should", "Could"], "effort"].sum()
    table["share"] = (table["effort"] / committed).round(3) if committed else 0.0
    table.loc["Won't", "share"] = 0.0
    table["check"] = "ok"
    must, could = table.loc["Must", "share"], table.loc["Could", "share"]
    if must > must_max:
        table.loc["Must", "check"] = (f"too many Musts: {must:.0%} of effort "
                                      f"(DSDM: at most {must_max:.0%})")
    # compared in whole tenths of a percent, like the shares, so 15% and 25% both count as
    # "about 20%" (in floating point 0.2 - 0.15 is a hair above 0.05, 0.25 - 0.2 below it)
    if round(abs(could - could_target), 3) > round(could_tolerance, 3):
        table.loc["Could", "check"] = (f"Could is {could:.0%} of effort (DSDM: about "
                                       f"{could_target:.0%} as contingency)")
    table.loc["Won't", "check"] = "not this time: excluded from the shares"
    return table


QUADRANTS = {(True, False): "quick win", (True, True): "big bet", (False, False): "fill-in",
             (False, True): "money pit"}


def value_effort_quadrants(frame: pd.DataFrame, value: str = "value_estimate",
                           effort: str = "effort") -> pd.Series:
    """Place each item in a value-vs-effort 2x2, split at the medians.

    Examples
    --------
    >>> items = pd.DataFrame({"value_estimate": [90, 80, 10, 20], "effort": [1, 9, 2, 8]})
    >>> value_effort_quadrants(items).tolist()
    ['quick win', 'big bet', 'fill-in', 'money pit']
    """
    high_value = frame[value] > frame[value].median()
    high_effort = frame[effort] > frame[effort].median()
    return pd.Series([QUADRANTS[(v, e)] for v, e in zip(high_value, high_effort, strict=True)],
                     index=frame.index, name="quadrant")


def plot_value_effort(frame: pd.DataFrame, ax: Axes | None = None, value: str = "value_estimate",
                      effort: str = "effort") -> Axes:
    """Scatter of value against effort with the median lines of the 2x2.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> len(plot_value_effort(load_dataset("backlog")).collections)
    4
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5))
    quadrant = value_effort_quadrants(frame, value, effort)
    for name in QUADRANTS.values():
        part = frame[quadrant == name]
        ax.scatter(part[effort], part[value], label=f"{name} ({len(part)})", alpha=0.7)
    ax.axvline(frame[effort].median(), color="grey", linewidth=0.8)
    ax.axhline(frame[value].median(), color="grey", linewidth=0.8)
    ax.set_xlabel(effort.replace("_", " "))
    ax.set_ylabel(value.replace("_", " "))
    ax.set_title("Value vs effort")
    ax.legend(frameon=False, fontsize=8)
    return ax


def thirty_five(ideas: pd.DataFrame, rounds: int = 5, seed: int = 0,
                appeal: str = "true_value", noise: float = 0.25) -> pd.DataFrame:
    """Simulate the Thirty-Five exercise for a cohort: one idea card per participant.

    Each round the cards are shuffled into pairs; each pair splits 7 points between its two
    cards according to how much the pair likes each idea (``appeal`` plus personal taste,
    log-normal with ``sigma=noise``). After five rounds a card has 0 to 35 points. With an
    odd number of cards one card rests each round; its total is scaled to ``rounds`` pairings.

    Returns
    -------
    pandas.DataFrame
        ``ideas`` with ``points`` and ``rank`` (1 = most points), best first.

    Examples
    --------
    >>> cards = pd.DataFrame({"id": ["A", "B"], "true_value": [90, 10]})
    >>> thirty_five(cards, seed=1)[["id", "points"]].values.tolist()
    [['A', 30.0], ['B', 5.0]]
    """
    if len(ideas) < 2:
        raise ParameterError("thirty_five needs at least two idea cards (one per participant)")
    rng = np.random.default_rng(seed)
    n = len(ideas)
    strength = ideas[appeal].to_numpy(dtype=float)
    points = np.zeros(n)
    played = np.zeros(n)
    for _ in range(rounds):
        order = rng.permutation(n)[: n - n % 2].reshape(-1, 2)
        taste = strength[order] * rng.lognormal(0, noise, order.shape)
        first = np.round(7 * taste[:, 0] / taste.sum(axis=1))
        np.add.at(points, order[:, 0], first)
        np.add.at(points, order[:, 1], 7 - first)
        np.add.at(played, order.ravel(), 1)
    total = np.round(points / np.maximum(played, 1) * rounds, 1)
    result = ideas.assign(points=total).sort_values("points", ascending=False, kind="stable")
    return result.assign(rank=np.arange(1, n + 1))
