"""Kano analysis: classify survey answers and compute the Better / Worse coefficients.

Each respondent answers two questions per feature: how they feel if it is there
(functional) and if it is not (dysfunctional); the standard evaluation table turns the pair
into attractive, one-dimensional, must-be, indifferent, reverse or questionable.

Examples
--------
>>> KANO_NAMES[KANO_TABLE.loc["like", "dislike"]]
'one-dimensional'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pspo_lab.content.casestudy import KANO_ANSWERS
from pspo_lab.core.errors import DataError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

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
