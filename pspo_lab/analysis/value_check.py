"""Value estimated before the work against value delivered after it: per item and per release.

FreshCrate's case study knows what every Product Backlog item turns out to be worth once
released (``true_value``); a real team learns it only after a release, from its value
measures (module 3). These functions put the Product Owner's ``value_estimate`` beside it:

* module 6: :func:`estimate_error`, :func:`error_summary`, :func:`error_by_activity` and
  :func:`plot_estimate_vs_delivered`: how far off the estimates are, and whether the errors
  cluster by user activity;
* module 7: :func:`release_value`, :func:`release_summary` and :func:`plot_release_value`:
  what a release was expected to bring against what it brought.

>>> frame = pd.DataFrame({"id": ["A", "B"], "title": ["a", "b"], "activity": ["Cook", "Cook"],
...                       "value_estimate": [40, 10], "true_value": [20, 30]})
>>> estimate_error(frame)["off_by"].tolist()
[3.0, 2.0]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pspo_lab.core.errors import DataError, ParameterError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

_NEEDED = ("id", "title", "value_estimate", "true_value")


def _check(frame: pd.DataFrame) -> None:
    missing = [c for c in _NEEDED if c not in frame.columns]
    if missing:
        raise DataError(f"backlog: comparing estimated and delivered value needs the "
                        f"column(s) {', '.join(map(repr, missing))}")


def estimate_error(frame: pd.DataFrame) -> pd.DataFrame:
    """Each item's value estimate beside the value it delivered, and how far apart they are.

    Parameters
    ----------
    frame
        Backlog items with ``id``, ``title``, ``value_estimate`` and ``true_value`` (and
        ``activity`` when known).

    Returns
    -------
    pandas.DataFrame
        ``id``, ``title``, ``activity`` (if present), ``estimate``, ``delivered``,
        ``ratio`` (delivered / estimate) and ``off_by`` (the factor between them, 1 = exact,
        2 = half or double), largest misses first.

    Raises
    ------
    DataError
        If a needed column is missing.

    Examples
    --------
    >>> frame = pd.DataFrame({"id": ["A"], "title": ["a"], "value_estimate": [50],
    ...                       "true_value": [25]})
    >>> estimate_error(frame)[["estimate", "delivered", "ratio"]].iloc[0].tolist()
    [50.0, 25.0, 0.5]
    """
    _check(frame)
    keep = [c for c in ("id", "title", "activity") if c in frame.columns]
    result = frame[keep].copy()
    result["estimate"] = frame["value_estimate"].astype(float)
    result["delivered"] = frame["true_value"].astype(float)
    result["ratio"] = result["delivered"] / result["estimate"]
    result["off_by"] = np.maximum(result["ratio"], 1 / result["ratio"]).round(2)
    return result.sort_values("off_by", ascending=False, kind="stable").reset_index(drop=True)


def error_summary(frame: pd.DataFrame) -> dict[str, Any]:
    """How good the value estimates were, in a few numbers.

    Returns
    -------
    dict
        ``items``; ``rank_agreement`` (Spearman correlation of estimate and delivered value:
        1 = the estimates put the items in exactly the right order); ``median_off_by``;
        ``share_close`` (within 25% either way); ``share_off_by_2`` (half or double, or worse);
        ``estimated_total`` and ``delivered_total``.

    Examples
    --------
    >>> frame = pd.DataFrame({"id": list("ABC"), "title": list("abc"),
    ...                       "value_estimate": [10, 20, 40], "true_value": [12, 50, 20]})
    >>> summary = error_summary(frame)
    >>> summary["share_off_by_2"], summary["rank_agreement"]
    (0.67, 0.5)
    """
    return _summary(estimate_error(frame))


def _summary(errors: pd.DataFrame) -> dict[str, Any]:
    """:func:`error_summary` of the table :func:`estimate_error` made."""
    rank = errors[["estimate", "delivered"]].corr("spearman").iloc[0, 1] if len(errors) > 1 \
        else float("nan")
    return {
        "items": len(errors),
        "rank_agreement": round(float(rank), 2),
        "median_off_by": round(float(errors["off_by"].median()), 2),
        "share_close": round(float((errors["off_by"] <= 1.25).mean()), 2),
        "share_off_by_2": round(float((errors["off_by"] >= 2).mean()), 2),
        "estimated_total": int(errors["estimate"].sum()),
        "delivered_total": int(errors["delivered"].sum()),
    }


def error_text(summary: dict[str, Any]) -> str:
    """The summary of :func:`error_summary` as sentences a stakeholder can read.

    Examples
    --------
    >>> print(error_text({"items": 10, "rank_agreement": 0.5, "median_off_by": 1.6,
    ...                   "share_close": 0.2, "share_off_by_2": 0.3}))  # doctest: +ELLIPSIS
    Of 10 items, 20% delivered within 25% of their estimate and 30% were off by half or ...
    """
    return (f"Of {summary['items']} items, {summary['share_close']:.0%} delivered within 25% "
            f"of their estimate and {summary['share_off_by_2']:.0%} were off by half or "
            f"double or more; the typical item was off by a factor of "
            f"{summary['median_off_by']:.1f}. The estimates' order agrees with the delivered "
            f"order with a rank correlation of {summary['rank_agreement']:.2f} (1 = the "
            "same order).")


def error_by_activity(frame: pd.DataFrame) -> pd.DataFrame:
    """Estimated and delivered value added up per user activity.

    A ratio far from 1 for a whole activity means the errors are not random: the Product
    Owner misjudged what that part of the journey is worth, and one release in it tells
    something about its other items.

    Returns
    -------
    pandas.DataFrame
        Indexed by activity: ``items``, ``estimated``, ``delivered`` and ``ratio``
        (delivered / estimated), largest ratio first.

    Examples
    --------
    >>> frame = pd.DataFrame({"id": list("ABC"), "title": list("abc"),
    ...                       "activity": ["Cook", "Cook", "Plan"],
    ...                       "value_estimate": [10, 30, 20], "true_value": [5, 15, 40]})
    >>> error_by_activity(frame)["ratio"].to_dict()
    {'Plan': 2.0, 'Cook': 0.5}
    """
    errors = estimate_error(frame)
    if "activity" not in errors:
        raise DataError("backlog: comparing value per activity needs the column 'activity'")
    table = errors.groupby("activity", observed=True).agg(
        items=("id", "size"), estimated=("estimate", "sum"), delivered=("delivered", "sum"))
    table["ratio"] = (table["delivered"] / table["estimated"]).round(2)
    return table.sort_values("ratio", ascending=False)


def plot_estimate_vs_delivered(frame: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Scatter of value estimate against delivered value, one marker per user activity.

    Points on the dashed diagonal were estimated exactly; above it, an item delivered more
    than expected. The figure's label states the chart's message for screen readers.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> ax = plot_estimate_vs_delivered(load_dataset("backlog"))
    >>> ax.figure.get_label()[:52]
    'Value estimate against delivered value for 120 items'
    """
    import matplotlib.pyplot as plt

    errors = estimate_error(frame)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 6))
    groups = errors.groupby("activity", observed=True) if "activity" in errors \
        else [("items", errors)]
    markers = "osD^vP*X"
    for i, (name, group) in enumerate(groups):
        ax.scatter(group["estimate"], group["delivered"], s=28, alpha=0.8,
                   marker=markers[i % len(markers)], label=str(name))
    top = max(errors["estimate"].max(), errors["delivered"].max()) * 1.05
    ax.plot([0, top], [0, top], linestyle="--", color="grey", linewidth=1)
    ax.set(xlim=(0, top), ylim=(0, top), xlabel="value estimate before the work (1-100)",
           ylabel="value delivered after release (1-100)",
           title="Estimated against delivered value")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    summary = _summary(errors)
    ax.figure.set_label(
        f"Value estimate against delivered value for {summary['items']} items: "
        f"{summary['share_off_by_2']:.0%} were off by half or double or more, and "
        f"{summary['share_close']:.0%} came within 25% of their estimate (the dashed diagonal "
        "marks exact estimates).")
    return ax


def release_value(frame: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """What each item of a release was expected to bring, and what it brought.

    Parameters
    ----------
    frame
        The Product Backlog with ``value_estimate`` and ``true_value``.
    ids
        The ids of the items in the release.

    Returns
    -------
    pandas.DataFrame
        The items of :func:`estimate_error` that are in the release, plus ``difference``
        (delivered - estimate), in release order.

    Raises
    ------
    ParameterError
        If the release is empty or names an id the backlog does not have.

    Examples
    --------
    >>> frame = pd.DataFrame({"id": ["A", "B"], "title": ["a", "b"],
    ...                       "value_estimate": [40, 10], "true_value": [20, 30]})
    >>> release_value(frame, ["B", "A"])["difference"].tolist()
    [20.0, -20.0]
    """
    if not ids:
        raise ParameterError("release: no items (expected at least one Product Backlog id)")
    unknown = [i for i in ids if i not in set(frame["id"])]
    if unknown:
        raise ParameterError(f"release: {', '.join(unknown)} not in the Product Backlog "
                             "(expected ids such as PB-004)")
    errors = estimate_error(frame).set_index("id").loc[list(ids)].reset_index()
    errors["difference"] = errors["delivered"] - errors["estimate"]
    return errors


def release_summary(release: pd.DataFrame) -> dict[str, Any]:
    """Totals of a release: expected, delivered, their ratio, and the biggest surprises.

    ``worst`` is the title of the item furthest below its estimate and ``best`` of the one
    furthest above it; each is empty when no item fell short or gained.

    Examples
    --------
    >>> frame = pd.DataFrame({"id": ["A", "B"], "title": ["a", "b"],
    ...                       "value_estimate": [40, 10], "true_value": [20, 30]})
    >>> release_summary(release_value(frame, ["A", "B"]))["ratio"]
    1.0
    """
    expected, delivered = float(release["estimate"].sum()), float(release["delivered"].sum())
    ordered = release.sort_values("difference", kind="stable")
    return {
        "items": len(release),
        "expected": int(expected),
        "delivered": int(delivered),
        "ratio": round(delivered / expected, 2),
        "below_half": int((release["ratio"] < 0.5).sum()),
        "above_double": int((release["ratio"] >= 2).sum()),
        "worst": str(ordered.iloc[0]["title"]) if ordered["difference"].iloc[0] < 0 else "",
        "best": str(ordered.iloc[-1]["title"]) if ordered["difference"].iloc[-1] > 0 else "",
    }


def release_text(summary: dict[str, Any]) -> str:
    """The release check as sentences for a Sprint Review.

    Examples
    --------
    >>> print(release_text({"items": 8, "expected": 300, "delivered": 240, "ratio": 0.8,
    ...     "below_half": 2, "above_double": 1, "worst": "Fix checkout",
    ...     "best": "Add gift cards"}))  # doctest: +ELLIPSIS
    The release of 8 items was expected to bring 300 value points and brought 240 (80% of ...
    """
    return (f"The release of {summary['items']} items was expected to bring "
            f"{summary['expected']} value points and brought {summary['delivered']} "
            f"({summary['ratio']:.0%} of the expectation). {summary['below_half']} item(s) "
            f"brought less than half of their estimate and {summary['above_double']} at "
            f"least double{_extremes(summary)}.")


def _extremes(summary: dict[str, Any]) -> str:
    """The release text's end: the item that fell shortest and the one that gained most."""
    worst, best = summary["worst"], summary["best"]
    if worst and best:
        return f"; the biggest shortfall was '{worst}', the biggest surprise '{best}'"
    if worst:
        return f"; the biggest shortfall was '{worst}'"
    return f"; the biggest surprise was '{best}'" if best else ""


def plot_release_value(release: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Paired bars per item of a release: value expected and value delivered.

    Examples
    --------
    >>> frame = pd.DataFrame({"id": ["A", "B"], "title": ["a", "b"],
    ...                       "value_estimate": [40, 10], "true_value": [20, 30]})
    >>> ax = plot_release_value(release_value(frame, ["A", "B"]))
    >>> ax.figure.get_label()
    'Expected against delivered value of a release of 2 items: it brought 50 of the 50 value points expected (100%).'
    """  # noqa: E501
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.35 * len(release) + 1.5))
    ordered = release.sort_values("difference", kind="stable").reset_index(drop=True)
    y = np.arange(len(ordered))
    labels = [f"{i} {t}" for i, t in zip(ordered["id"], ordered["title"], strict=True)]
    ax.barh(y - 0.2, ordered["estimate"], height=0.4, label="expected (value estimate)")
    ax.barh(y + 0.2, ordered["delivered"], height=0.4, label="delivered after release",
            hatch="//")
    ax.set_yticks(y, labels, fontsize=8)
    summary = release_summary(release)
    ax.set(xlabel="value (1-100)", title=f"Release of {summary['items']} items: "
           f"{summary['delivered']} of {summary['expected']} expected value points")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.figure.set_label(
        f"Expected against delivered value of a release of {summary['items']} items: it "
        f"brought {summary['delivered']} of the {summary['expected']} value points expected "
        f"({summary['ratio']:.0%}).")
    return ax
