"""Product Backlog management: ordering methods, their sensitivity, and backlog health.

Ordering methods (each a pure function over a backlog DataFrame, worked examples below):

* **WSJF** (SAFe): cost of delay = user-business value + time criticality + risk reduction /
  opportunity enablement, each on the relative scale 1, 2, 3, 5, 8, 13, 20; divided by job size.
* **CD3**: cost of delay per week (money) divided by duration (weeks).
* **RICE**: reach x impact x confidence / effort, impact 3 / 2 / 1 / 0.5 / 0.25,
  confidence 100 / 80 / 50 %.
* **MoSCoW** with the DSDM checks: Must at most 60% of the effort, Could about 20%.
* **Value vs effort** 2x2 and **Kano** classification with Better / Worse coefficients.

None of these methods is part of Scrum: the Product Owner orders the Product Backlog (SG-29)
and may use any technique that helps. The numbers inform a decision; they do not make it.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from pspo_lab.content.casestudy import (
    ACTIVITIES,
    FIBONACCI_SCALE,
    KANO_ANSWERS,
    SCHEMAS,
    STEPS,
    TODAY,
)
from pspo_lab.core import records
from pspo_lab.core.errors import DataError, ParameterError
from pspo_lab.core.tables import Column, Schema, read_table
from pspo_lab.core.workspace import Workspace
from pspo_lab.widgets.forms import RecordForm

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WSJF_COLUMNS = ("user_business_value", "time_criticality", "risk_reduction", "job_size")

WSJF_SCHEMA = Schema(
    name="wsjf backlog",
    description="The smallest backlog file the workbench accepts: an id, a title and the "
                "four WSJF estimates.",
    columns=tuple(column for column in SCHEMAS["backlog"].columns
                  if column.name in ("id", "title", *WSJF_COLUMNS)),
)
"""A narrower schema than ``backlog`` for learners who only score WSJF."""


def check_scale(frame: pd.DataFrame, columns: tuple[str, ...] = WSJF_COLUMNS,
                source: str = "backlog") -> pd.DataFrame:
    """Check that relative estimates use the scale 1, 2, 3, 5, 8, 13, 20 and return ``frame``.

    Raises
    ------
    DataError
        Naming the first row (spreadsheet numbering: header is row 1) and column off the scale.

    Examples
    --------
    >>> check_scale(pd.DataFrame({"job_size": [3, 4]}), ("job_size",), "mine.csv")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: mine.csv row 3, column 'job_size': 4 is not on the scale 1, 2, ...
    """
    for column in columns:
        off = ~frame[column].isin(FIBONACCI_SCALE)
        if off.any():
            first = int(np.flatnonzero(off.to_numpy())[0])
            raise DataError(f"{source} row {first + 2}, column {column!r}: "
                            f"{frame[column].iloc[first]} is not on the scale "
                            + ", ".join(map(str, FIBONACCI_SCALE)))
    return frame


def read_backlog(path: str | Path, schema: Schema = WSJF_SCHEMA) -> pd.DataFrame:
    """Read a learner's backlog CSV, check it with ``schema`` and the WSJF scale.

    Missing columns, non-numeric scores and a zero job size are reported as one line naming
    the file, row and column (see :func:`pspo_lab.core.tables.read_table`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> mine = pathlib.Path(tempfile.mkdtemp()) / "mine.csv"
    >>> _ = mine.write_text("id,title,user_business_value,time_criticality,risk_reduction,"
    ...                     "job_size\\nA,Add gift cards,5,3,1,0\\n")
    >>> read_backlog(mine)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: mine.csv row 2, column 'job_size': '0' is out of range ...
    """
    frame = read_table(path, schema)
    return check_scale(frame, WSJF_COLUMNS, Path(path).name)


LEARNER_REQUIRED = ("id", "title")
"""The only columns every learner backlog file must have."""

LEARNER_COLUMNS = tuple(
    Column("activity", "str", "User activity or theme it supports (free text, story map "
           "backbone)") if column.name == "activity" else column
    for column in SCHEMAS["backlog"].columns)
"""Columns a learner backlog may have: the case study's, with ``activity`` as free text.

Only :data:`LEARNER_REQUIRED` must be present; every other column is optional and, when
present, checked by the case study's rule. ``true_value`` is what an item turned out to be
worth, which nobody knows before release: the simulations that need it skip a learner file
without it (see :func:`ready_for`)."""


def _learner_schema(names: list[str]) -> Schema:
    return Schema(name="your backlog",
                  description="A learner's own Product Backlog: id and title, plus any "
                              "columns of the case-study backlog.",
                  columns=tuple(c for c in LEARNER_COLUMNS if c.name in names))


def read_learner_backlog(path: str | Path, require: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read a learner's own backlog CSV: ``id`` and ``title`` plus any case-study columns.

    Parameters
    ----------
    path
        The CSV file; its name starts every error message.
    require
        Further columns the caller cannot do without (e.g. ``("created",)`` for ages).

    Returns
    -------
    pandas.DataFrame
        The known columns typed and checked as in ``datasets/backlog.csv`` (``activity`` is
        free text, WSJF estimates on the scale 1, 2, 3, 5, 8, 13, 20), extra columns as text.

    Raises
    ------
    DataError
        One line naming the file and the first problem: a required column missing, a cell
        that breaks its column's rule, or an unknown column that looks like a misspelled one.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> mine = pathlib.Path(tempfile.mkdtemp()) / "mine.csv"
    >>> _ = mine.write_text("id,title,activity,effort\\nA,Add gift cards,Gifting,2\\n")
    >>> read_learner_backlog(mine).columns.tolist()
    ['id', 'title', 'activity', 'effort']
    >>> read_learner_backlog(mine, require=("created",))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: mine.csv column 'created' is missing; expected columns: id, ...
    """
    known = [c.name for c in LEARNER_COLUMNS]
    unknown = sorted(set(require) - set(known))
    if unknown:
        raise ParameterError(f"require: {unknown} are not backlog columns (expected some of "
                             + ", ".join(known) + ")")
    needed = [name for name in known if name in (*LEARNER_REQUIRED, *require)]
    header = read_table(path, _learner_schema(needed)).columns.tolist()
    for name in header:
        close = difflib.get_close_matches(name, [k for k in known if k not in header], n=1,
                                          cutoff=0.8)
        if name not in known and close:
            raise DataError(f"{Path(path).name} column {name!r} is not a backlog column: "
                            f"misspelled {close[0]!r}?")
    frame = read_table(path, _learner_schema(header))
    present = tuple(c for c in WSJF_COLUMNS if c in frame.columns)
    return check_scale(frame, present, Path(path).name)


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

NEEDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "wsjf": ("WSJF", WSJF_COLUMNS),
    "cd3": ("CD3", ("cost_of_delay_week", "duration_weeks")),
    "rice": ("RICE", ("reach", "impact", "confidence", "effort")),
    "value_per_effort": ("value per effort", ("value_estimate", "effort")),
    "moscow": ("The MoSCoW check", ("moscow", "effort")),
    "value_effort": ("The value-vs-effort grid", ("value_estimate", "effort")),
    "stability": ("The top-N stability check", WSJF_COLUMNS),
    "thirty_five": ("The Thirty-Five simulation", ("true_value",)),
    "sponsors": ("The sponsored-items comparison",
                 ("sponsor", "effort", "value_estimate", *WSJF_COLUMNS)),
    "health": ("The backlog health check", ("created", "last_touched", "effort")),
    "cut": ("Cutting to the top items", (*WSJF_COLUMNS, "effort", "created", "last_touched")),
    "story_map": ("The story map", ("activity", "effort", *WSJF_COLUMNS)),
}
"""What each part of the workbench needs: a label for messages and the columns it reads."""


def missing_for(frame: pd.DataFrame, use: str) -> list[str]:
    """Columns of :data:`NEEDS` ``use`` that ``frame`` lacks, in the order they are needed.

    Examples
    --------
    >>> missing_for(pd.DataFrame(columns=["id", "moscow"]), "moscow")
    ['effort']
    """
    if use not in NEEDS:
        raise ParameterError(f"use {use!r} is unknown (expected one of " + ", ".join(NEEDS) + ")")
    return [column for column in NEEDS[use][1] if column not in frame.columns]


def ready_for(frame: pd.DataFrame, use: str) -> bool:
    """Whether ``frame`` has the columns ``use`` needs; if not, print one line naming them.

    Notebooks guard a section with it, so a learner's file without, say, MoSCoW classes
    skips that section with a sentence instead of stopping with a traceback.

    Examples
    --------
    >>> ready_for(pd.DataFrame(columns=["id", "title"]), "moscow")  # doctest: +ELLIPSIS
    The MoSCoW check needs the column(s) 'moscow', 'effort', which your backlog does not ...
    False
    """
    missing = missing_for(frame, use)
    if missing:
        print(f"{NEEDS[use][0]} needs the column(s) " + ", ".join(map(repr, missing))
              + ", which your backlog does not have (datasets/README.md describes them); "
              "skipped.")
    return not missing


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


def kendall_tau(a: np.ndarray | pd.Series, b: np.ndarray | pd.Series) -> float:
    """Kendall's tau-b rank correlation (ties handled), computed over all pairs.

    Examples
    --------
    >>> kendall_tau([1, 2, 3, 4], [1, 3, 2, 4])
    0.6666666666666666
    """
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    dx = np.sign(x[:, None] - x[None, :])
    dy = np.sign(y[:, None] - y[None, :])
    upper = np.triu_indices(len(x), k=1)
    dx, dy = dx[upper], dy[upper]
    concordance = float((dx * dy).sum())
    untied = np.count_nonzero(dx) * np.count_nonzero(dy)
    if untied == 0:  # one ordering puts everything level: undefined, as in scipy
        return float("nan")
    return concordance / float(np.sqrt(untied))


def rank_agreement(rank_table: pd.DataFrame, how: str = "spearman") -> pd.DataFrame:
    """Rank correlation between every pair of orderings (1 = the same order).

    Parameters
    ----------
    rank_table
        Output of :func:`ranks`.
    how
        ``"spearman"`` or ``"kendall"``.

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
    names = list(rank_table.columns)
    values = [[kendall_tau(rank_table[r], rank_table[c]) for c in names] for r in names]
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


_KANO_ROWS = ("QAAAO", "RIIIM", "RIIIM", "RIIIM", "RRRRQ")
KANO_TABLE = pd.DataFrame([list(row) for row in _KANO_ROWS], index=list(KANO_ANSWERS),
                          columns=list(KANO_ANSWERS))
"""The standard Kano evaluation table: rows = functional answer, columns = dysfunctional.

A attractive, O one-dimensional, M must-be, I indifferent, R reverse, Q questionable."""
KANO_NAMES = {"A": "attractive", "O": "one-dimensional", "M": "must-be", "I": "indifferent",
              "R": "reverse", "Q": "questionable"}


def kano_classify(survey: pd.DataFrame) -> pd.Series:
    """Kano category letter of each answer pair (functional, dysfunctional).

    Examples
    --------
    >>> pairs = pd.DataFrame({"functional": ["like", "expect", "like", "dislike"],
    ...                       "dysfunctional": ["neutral", "dislike", "dislike", "like"]})
    >>> kano_classify(pairs).tolist()
    ['A', 'M', 'O', 'R']
    """
    known = set(KANO_ANSWERS)
    for column in ("functional", "dysfunctional"):
        bad = ~survey[column].isin(known)
        if bad.any():
            first = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(f"kano survey row {first + 2}, column {column!r}: "
                            f"{survey[column].iloc[first]!r} is not one of "
                            + ", ".join(KANO_ANSWERS))
    rows = [KANO_ANSWERS.index(a) for a in survey["functional"]]
    cols = [KANO_ANSWERS.index(a) for a in survey["dysfunctional"]]
    return pd.Series(KANO_TABLE.to_numpy()[rows, cols], index=survey.index, name="kano")


def kano_summary(survey: pd.DataFrame) -> pd.DataFrame:
    """Per feature: counts per Kano category, the dominant one, and Better / Worse.

    Better = (A + O) / (A + O + M + I) and Worse = -(O + M) / (A + O + M + I). When two
    categories are equally frequent, the usual rule M > O > A > I picks the dominant one.

    Examples
    --------
    >>> pairs = pd.DataFrame({"feature": ["F"] * 4,
    ...     "functional": ["like", "like", "expect", "neutral"],
    ...     "dysfunctional": ["neutral", "dislike", "dislike", "neutral"]})
    >>> row = kano_summary(pairs).loc["F"]
    >>> row["category"], float(row["better"]), float(row["worse"])
    ('must-be', 0.5, -0.5)
    """
    letters = survey.assign(kano=kano_classify(survey))
    counts = pd.crosstab(letters["feature"], letters["kano"]).reindex(
        columns=list(KANO_NAMES), fill_value=0)
    valid = counts[["A", "O", "M", "I"]].sum(axis=1)
    table = counts.copy()
    # ties go to the category that matters most when it is missed: M > O > A > I
    table["category"] = counts[list("MOAIRQ")].idxmax(axis=1).map(KANO_NAMES)
    table["better"] = ((counts["A"] + counts["O"]) / valid).round(3)
    table["worse"] = (-(counts["O"] + counts["M"]) / valid).round(3)
    return table


def plot_kano(summary: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Better against |Worse| per feature: the usual Kano coefficient chart.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> ax = plot_kano(kano_summary(load_dataset("kano_survey")))
    >>> len(ax.texts)  # twelve features and four quadrant names
    16
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 5))
    ax.scatter(-summary["worse"], summary["better"])
    for feature, row in summary.iterrows():
        ax.annotate(str(feature), (-row["worse"], row["better"]), fontsize=8)
    ax.axvline(0.5, color="grey", linewidth=0.8)
    ax.axhline(0.5, color="grey", linewidth=0.8)
    for x, y, label in ((0.02, 0.97, "attractive"), (0.98, 0.97, "one-dimensional"),
                        (0.98, 0.48, "must-be"), (0.02, 0.48, "indifferent")):
        ax.text(x, y, label, transform=ax.transAxes, color="grey", fontstyle="italic",
                ha="left" if x < 0.5 else "right", va="top")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("|Worse|: dissatisfaction if missing")
    ax.set_ylabel("Better: satisfaction if present")
    ax.set_title("Kano coefficients")
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


def load_backlog(seed: int, backlog_csv: str | None = None) -> tuple[pd.DataFrame, pd.Timestamp]:
    """The backlog to work on and the date its ages count up to.

    Parameters
    ----------
    seed
        The case study's seed (used when no file is given).
    backlog_csv
        The learner's own backlog (see :func:`read_learner_backlog`).

    Returns
    -------
    tuple
        ``(backlog, today)``: FreshCrate's backlog and its fixed date, or the learner's file
        and the latest date in it (the day it was exported), so that ages and stale items
        are measured at the file's own date.

    Examples
    --------
    >>> backlog, today = load_backlog(42)
    >>> len(backlog), today == TODAY
    (120, True)
    """
    from pspo_lab.analysis.empiricism import export_date
    from pspo_lab.content.datasets import load_dataset

    if backlog_csv is None:
        return load_dataset("backlog", seed=seed), TODAY
    backlog = read_learner_backlog(backlog_csv)
    dated = any(pd.api.types.is_datetime64_any_dtype(backlog[c]) for c in backlog.columns)
    return backlog, (export_date(backlog) if dated else TODAY)


def fit_counts(items: int, **counts: int) -> tuple[dict[str, int], str]:
    """Cap item counts such as ``top`` or ``keep`` at the size of a small backlog.

    The notebook's defaults suit FreshCrate's 120 items; a learner's backlog may be shorter.

    Parameters
    ----------
    items
        How many items the backlog has.
    **counts
        The requested counts by parameter name.

    Returns
    -------
    tuple
        The counts, each at most ``items``, and a sentence naming those that were capped
        (empty when none was).

    Examples
    --------
    >>> fit_counts(8, top=10, keep=30)
    ({'top': 8, 'keep': 8}, 'Your backlog has 8 items: top and keep are set to 8.')
    >>> fit_counts(120, top=10)
    ({'top': 10}, '')
    """
    capped = [name for name, value in counts.items() if value > items]
    fitted = {name: min(value, items) for name, value in counts.items()}
    note = (f"Your backlog has {items} items: {' and '.join(capped)} "
            f"{'is' if len(capped) == 1 else 'are'} set to {items}." if capped else "")
    return fitted, note


def story_map(frame: pd.DataFrame, release_effort: float = 20.0, releases: int = 3,
              method: str = "wsjf") -> pd.DataFrame:
    """Arrange the ordered backlog as a story map: activity -> step -> story, in release slices.

    The backbone is the ``activity`` column: FreshCrate's six activities in journey order, or
    a learner's own activities in the order they first appear in the file. Under each
    activity sit its steps: a ``step`` column when the file has one; for FreshCrate, the
    step of :data:`~pspo_lab.content.casestudy.STEPS` that the title names ("Simplify checkout" is
    the "checkout" step of "Order and pay"); otherwise none (an empty step).
    Items are taken in ``method`` order and fill release slices of ``release_effort``
    person-weeks each; the rest is "later".

    Parameters
    ----------
    frame
        The Product Backlog (``id``, ``title``, ``activity``, ``effort`` and the columns of
        ``method``).
    release_effort
        Person-weeks per release slice.
    releases
        How many slices to plan; later items go to "later".
    method
        The ordering method (see :func:`order_by`).

    Returns
    -------
    pandas.DataFrame
        One row per item: activity, step, id, title, release and rank, in map order.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> smap = story_map(load_dataset("backlog"))
    >>> sorted(smap["release"].unique())
    ['R1', 'R2', 'R3', 'later']
    >>> smap.groupby("activity", observed=True)["step"].nunique().tolist()
    [3, 4, 4, 3, 3, 3]
    """
    if release_effort <= 0 or releases < 1:
        raise ParameterError("story_map: release_effort must be > 0 and releases >= 1")
    ordered = order_by(frame, method)
    slice_number = (ordered["effort"].cumsum() // release_effort).astype(int)
    release = np.where(slice_number < releases, "R" + (slice_number + 1).astype(str), "later")
    freshcrate = frame["activity"].isin(ACTIVITIES).all()
    backbone = list(ACTIVITIES) if freshcrate else list(pd.unique(frame["activity"]))
    if "step" in ordered:
        step = ordered["step"].astype(str)
    elif freshcrate:
        step = pd.Series([_named_step(title, STEPS[activity]) for title, activity
                          in zip(ordered["title"], ordered["activity"], strict=True)],
                         index=ordered.index)
    else:  # no steps known: one column per activity
        step = pd.Series("", index=ordered.index)
    known = [s for a in backbone for s in STEPS[a]] if freshcrate else []
    steps = list(dict.fromkeys([*known, *step]))
    result = pd.DataFrame({"activity": pd.Categorical(ordered["activity"], backbone,
                                                      ordered=True),
                           "step": pd.Categorical(step, steps, ordered=True),
                           "id": ordered["id"], "title": ordered["title"],
                           "release": release, "rank": ordered["rank"]})
    return result.sort_values(["activity", "step", "release", "rank"]).reset_index(drop=True)


def _named_step(title: str, steps: tuple[str, ...]) -> str:
    return next((step for step in steps if title.endswith(step)), "")


def story_map_grid(smap: pd.DataFrame) -> pd.DataFrame:
    """Story map as a grid: releases down, activity and step across, story cards in cells.

    A card is the item's id and what its title says beyond the step (``PB-012 Simplify``
    under the step "checkout"; the whole title where the step is empty).

    Parameters
    ----------
    smap
        The result of :func:`story_map`.

    Returns
    -------
    pandas.DataFrame
        Rows ``R1``, ``R2``, ... ``later``; columns a (activity, step) MultiIndex in
        backbone order, or the activities alone when no step is known; cells the cards,
        one per line.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> grid = story_map_grid(story_map(load_dataset("backlog")))
    >>> grid.index.tolist()
    ['R1', 'R2', 'R3', 'later']
    >>> grid.columns[0]
    ('Discover recipes', 'recipe search')
    """
    rest = [title[:-len(str(step))].strip() if str(step) and title.endswith(str(step))
            else title for title, step in zip(smap["title"], smap["step"], strict=True)]
    cards = smap.assign(card=[f"{i} {r}".strip() for i, r in zip(smap["id"], rest, strict=True)])
    grid = cards.groupby(["release", "activity", "step"], observed=True)["card"].agg(
        lambda column: "\n".join(column))
    grid = grid.unstack(["activity", "step"]).fillna("")
    present = list(dict.fromkeys(zip(smap["activity"], smap["step"], strict=True)))
    grid = grid.reindex(columns=pd.MultiIndex.from_tuples(present, names=["activity", "step"]))
    if not any(str(step) for _, step in present):  # no steps known: activities only
        grid = grid.droplevel("step", axis=1)
    return grid


class Roadmap(BaseModel):
    """A goal-oriented Now / Next / Later roadmap toward the Product Goal."""

    model_config = ConfigDict(extra="forbid")

    product_goal: str = Field("Busy families plan a week of dinners in under five minutes",
                              min_length=1, max_length=200)
    now: list[str] = Field(default_factory=lambda: [
        "Weekly menu picks itself from past favourites", "Allergy filters customers trust"])
    next: list[str] = Field(default_factory=lambda: [
        "Delivery slots that fit shift workers", "Skip a week in one tap"])
    later: list[str] = Field(default_factory=lambda: [
        "Shopping list export for what is not in the box"])


def plot_roadmap(roadmap: Roadmap, ax: Axes | None = None) -> Axes:
    """Draw a Now / Next / Later roadmap as three columns of goals under the Product Goal.

    Examples
    --------
    >>> ax = plot_roadmap(Roadmap())
    >>> [t.get_text() for t in ax.texts][:3]
    ['Now', 'Next', 'Later']
    """
    import textwrap

    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4))
    columns = (("Now", roadmap.now, "#749335"), ("Next", roadmap.next, "#9bb7d4"),
               ("Later", roadmap.later, "#d9d9d9"))
    for i, (name, _, colour) in enumerate(columns):
        ax.text(i + 0.5, 0.92, name, ha="center", fontsize=12, fontweight="bold")
        ax.add_patch(plt.Rectangle((i + 0.05, 0.02), 0.9, 0.84, color=colour, alpha=0.25))
    for i, (_, goals, _) in enumerate(columns):
        for j, goal in enumerate(goals[:5]):
            ax.text(i + 0.5, 0.78 - j * 0.16, "\n".join(textwrap.wrap(goal, 26)),
                    ha="center", va="top", fontsize=9)
    ax.set_xlim(0, 3)
    ax.set_ylim(0, 1)
    ax.axis("off")
    ax.set_title("Product Goal: " + roadmap.product_goal, fontsize=11)
    return ax


def roadmap_form(workspace: Workspace) -> RecordForm:
    """Form to edit the roadmap; saved as ``backlog/roadmap`` only when Save is clicked."""
    return RecordForm(workspace, records.BACKLOG_ROADMAP, Roadmap)


class Decision(BaseModel):
    """One entry of the decision log: why the order of the Product Backlog changed."""

    model_config = ConfigDict(extra="forbid")

    decision: str = Field("Moved payment retry above gift cards", min_length=1, max_length=200)
    reason: str = Field("Failed payments cost more per week than gift cards would earn",
                        min_length=1, max_length=400)
    evidence: str = Field("CD3 and last month's failed-payment rate", max_length=300)
    who_was_told: str = Field("Head of Marketing, customer care", max_length=200)
    revisit_after: str = Field("next Sprint Review", max_length=100)


def decision_log_form(workspace: Workspace, name: str = "latest") -> RecordForm:
    """Form for one decision-log entry, saved as ``decision-log/<name>`` on Save.

    Each Save keeps the entry before it in the workspace's history, so the whole log can be
    read back with :func:`decision_log`.
    """
    return RecordForm(workspace, records.DECISION_LOG.named(name), Decision)


def decision_log(workspace: Workspace, name: str = "latest") -> pd.DataFrame:
    """Every saved entry of the decision log, newest first.

    Parameters
    ----------
    workspace
        The learner's workspace.
    name
        The entry's record name (the form's ``name``).

    Returns
    -------
    pandas.DataFrame
        One row per Save: ``saved_at`` (UTC) and the fields of :class:`Decision`; empty
        (with those columns) before the first Save.

    Examples
    --------
    >>> import tempfile
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> decision_log(ws).empty
    True
    >>> latest = records.DECISION_LOG.named("latest")
    >>> _ = ws.save(*latest, Decision().model_dump())
    >>> _ = ws.save(*latest, Decision(decision="Split checkout").model_dump())
    >>> decision_log(ws)["decision"].tolist()
    ['Split checkout', 'Moved payment retry above gift cards']
    """
    address = records.DECISION_LOG.named(name)
    current = workspace.record(*address)
    versions = [*workspace.history(*address), *([current] if current else [])]
    rows = [{"saved_at": v.saved_at.strftime("%Y-%m-%d %H:%M"), **v.data} for v in versions]
    columns = ["saved_at", *Decision.model_fields]
    return pd.DataFrame(rows, columns=columns).iloc[::-1].reset_index(drop=True)
