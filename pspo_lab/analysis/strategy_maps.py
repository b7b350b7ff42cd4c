"""Module 2, strategy maps: which assumptions to test first, and how goals reach the backlog.

* Assumption mapping (importance vs evidence): :class:`AssumptionList`,
  :func:`starting_assumptions`, :func:`parse_assumptions`, :func:`riskiest_assumptions`,
  :func:`risk_cutoff`, :func:`plot_assumption_map`, and draft experiment cards for the
  riskiest ones: :func:`experiment_cards_for`, :func:`cards_table`.
* Impact mapping, "business goal -> product objective -> backlog direction":
  :class:`ImpactMapDraft`, :func:`parse_impact_map`, :func:`link_backlog`, :func:`plot_tree`.

>>> table = parse_assumptions(["It scales | 2 | 4", "Users want it | 5 | 1"])
>>> riskiest_assumptions(table, 1)["assumption"].to_dict()
{2: 'Users want it'}
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from pspo_lab.core.errors import DataError, ParameterError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from pandas.io.formats.style import Styler

# ---------------------------------------------------------------- assumption mapping


class AssumptionList(BaseModel):
    """Assumptions as lines ``statement | importance 1-5 | evidence 1-5``.

    Saved as ``strategy/assumptions``.
    """

    model_config = ConfigDict(extra="forbid")

    lines: list[str] = Field(default_factory=lambda: [
        "Busy households will pay about 42 EUR a month | 5 | 3",
        "Subscribers cook at least three boxes a month | 5 | 4",
        "Exact portions matter more than recipe variety | 3 | 1",
        "The farm co-operative can double its supply within a year | 4 | 1",
        "Gift cards bring new subscribers | 2 | 2",
        "Customers will choose their menu by Sunday evening | 4 | 2",
    ], min_length=1, max_length=30)


def starting_assumptions(canvas_lines: Iterable[str]) -> list[str]:
    """Canvas lines as assumption lines to rate, each starting at importance 3, evidence 1.

    Evidence starts at 1 because a line on a canvas is a claim until someone has observed
    it; importance starts in the middle until the learner rates it.

    Parameters
    ----------
    canvas_lines
        Lines such as :func:`pspo_lab.analysis.canvas.assumptions_from` gives.

    Returns
    -------
    list of str
        At most 30 lines ``statement | 3 | 1`` (a ``|`` inside a statement becomes ``/``).

    Examples
    --------
    >>> starting_assumptions(["Problem: cooking is tiring", "Channels: app | shops"])
    ['Problem: cooking is tiring | 3 | 1', 'Channels: app / shops | 3 | 1']
    """
    statements = [line.replace("|", "/").strip() for line in canvas_lines if line.strip()]
    return [f"{statement} | 3 | 1" for statement in statements[:30]]


def parse_assumptions(lines: Iterable[str]) -> pd.DataFrame:
    """Turn assumption lines into a table with a risk score.

    ``risk = importance * (6 - evidence)``: important assumptions with little evidence
    are the riskiest. The index, named ``line``, is the line number in the form (from 1),
    so tables and the map (:func:`plot_assumption_map`) number an assumption alike.

    Raises
    ------
    DataError
        Naming the line and the part that is wrong.

    Examples
    --------
    >>> parse_assumptions(["Users want it | 5 | 1"])["risk"].tolist()
    [25]
    >>> parse_assumptions(["A | 1 | 1", "B | 2 | 2"]).index.tolist()
    [1, 2]
    >>> parse_assumptions(["Users want it | high | 1"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: assumption line 1: importance 'high' is not a whole number ...
    """
    rows = []
    for number, line in enumerate(lines, start=1):
        parts = [p.strip() for p in str(line).split("|")]
        if len(parts) != 3 or not parts[0]:
            raise DataError(f"assumption line {number}: {line!r} does not have three parts "
                            "(expected 'statement | importance 1-5 | evidence 1-5')")
        row: dict[str, Any] = {"assumption": parts[0]}
        for name, text in zip(("importance", "evidence"), parts[1:], strict=True):
            if not text.isdigit() or not 1 <= int(text) <= 5:
                raise DataError(f"assumption line {number}: {name} {text!r} is not a whole "
                                "number from 1 to 5 (expected 'statement | importance 1-5 | "
                                "evidence 1-5')")
            row[name] = int(text)
        rows.append(row)
    if not rows:
        raise DataError("assumptions: no lines (expected 'statement | importance | evidence')")
    table = pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1, name="line"))
    table["risk"] = table["importance"] * (6 - table["evidence"])
    return table


def riskiest_assumptions(table: pd.DataFrame, n: int = 2) -> pd.DataFrame:
    """The ``n`` assumptions with the highest risk (ties: more important first, then by line).

    The rows keep their line numbers (the index of :func:`parse_assumptions`).

    Examples
    --------
    >>> lines = AssumptionList().lines
    >>> top = riskiest_assumptions(parse_assumptions(lines), 2)
    >>> top.index.tolist(), top["risk"].tolist()
    ([4, 6], [20, 16])
    """
    return table.sort_values(["risk", "importance"], ascending=False, kind="stable").head(n)


def risk_cutoff(table: pd.DataFrame, n: int = 2) -> int:
    """The ``n``-th highest risk: every assumption at or above it counts as riskiest.

    :func:`plot_assumption_map` highlights all of them, so an assumption tied with the
    ``n``-th is never left out of the highlight.

    Examples
    --------
    >>> risk_cutoff(parse_assumptions(["A | 5 | 1", "B | 3 | 1", "C | 5 | 3", "D | 1 | 5"]))
    15
    """
    if n < 1:
        raise ParameterError(f"risk_cutoff: n={n} (expected at least 1)")
    risks = table["risk"].sort_values(ascending=False)
    return int(risks.iloc[min(n, len(risks)) - 1])


def experiment_cards_for(table: pd.DataFrame) -> list[dict[str, str]]:
    """A draft experiment card (fields of :class:`~pspo_lab.analysis.cards.ExperimentCard`) each.

    Examples
    --------
    >>> card = experiment_cards_for(parse_assumptions(["Users want it | 5 | 1"]))[0]
    >>> card["hypothesis"]
    'We believe that users want it.'
    """
    cards = []
    for row in table.itertuples():
        claim = row.assumption[0].lower() + row.assumption[1:]
        cards.append({
            "title": textwrap.shorten(f"Test: {row.assumption}", 80, placeholder="..."),
            "hypothesis": f"We believe that {claim.rstrip('.')}.",
            "action": "Run the smallest test that could prove us wrong within one Sprint.",
            "measure": "Observed behaviour of real users or partners, not opinions",
            "expected_result": f"Evidence moves from {row.evidence} to at least 4 out of 5.",
        })
    return cards


def cards_table(cards: list[dict[str, str]]) -> Styler:
    """Draft experiment cards as a table that shows every field in full, wrapped.

    A plain DataFrame display cuts long text with "..."; this styled table wraps it
    instead and changes no pandas option.

    Examples
    --------
    >>> cards = experiment_cards_for(parse_assumptions(["Users want it | 5 | 1"]))
    >>> styled = cards_table(cards)
    >>> styled.data.loc[0, "action"]
    'Run the smallest test that could prove us wrong within one Sprint.'
    >>> "white-space: normal" in styled.to_html()
    True
    """
    return (pd.DataFrame(cards).style.hide(axis="index")
            .set_properties(**{"white-space": "normal", "text-align": "left",
                               "min-width": "10em", "max-width": "28em"}))


def plot_assumption_map(table: pd.DataFrame, ax: Axes | None = None, highlight: int = 2
                        ) -> Axes:
    """Importance against evidence, numbered by line; the riskiest are highlighted.

    Every assumption whose risk reaches :func:`risk_cutoff` (the ``highlight``-th highest
    risk, ties included) is drawn in orange, and the shaded "test first" area covers
    exactly the cells with that risk or more, so shading and highlight always agree.
    The numbers are the table's index (the line numbers of :func:`parse_assumptions`).

    Examples
    --------
    >>> ax = plot_assumption_map(parse_assumptions(AssumptionList().lines))
    >>> ax.get_xlabel()
    'evidence (1 = none, 5 = strong)'
    >>> ax.get_title()
    'Assumption map: orange = risk 16 or more (the 2 riskiest, ties included)'
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5))
    cutoff = risk_cutoff(table, highlight)
    for evidence in range(1, 6):
        lowest = -(-cutoff // (6 - evidence))
        if lowest <= 5:
            ax.bar(evidence, 5.6 - (lowest - 0.5), bottom=lowest - 0.5, width=1,
                   color="#f6e3d3", zorder=0)
    ax.text(0.6, 5.4, f"test first (risk {cutoff}+)", color="#b5651d", fontsize=9)
    crowd = table.groupby(["evidence", "importance"]).cumcount()
    legend = []
    for number, row in table.iterrows():
        colour = "#b5651d" if row["risk"] >= cutoff else "#749335"
        x = row["evidence"] + 0.18 * crowd[number]
        ax.scatter(x, row["importance"], s=160, color=colour, zorder=2)
        ax.text(x, row["importance"], str(number), ha="center", va="center", fontsize=7,
                color="white", zorder=3)
        legend.append(textwrap.shorten(f"{number}. {row['assumption']}", 60, placeholder="..."))
    ax.text(1.03, 1.0, "\n".join(legend), transform=ax.transAxes, va="top", fontsize=8)
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 5.6)
    ax.set_xlabel("evidence (1 = none, 5 = strong)")
    ax.set_ylabel("importance (5 = the strategy fails without it)")
    ax.set_title(f"Assumption map: orange = risk {cutoff} or more "
                 f"(the {highlight} riskiest, ties included)")
    return ax


# ---------------------------------------------------------------- impact map


class ImpactMapDraft(BaseModel):
    """An impact map as a goal and lines ``actor | impact | deliverable`` (``strategy/impact-map``).

    The starting values follow the chain *business goal -> product objective -> backlog
    direction*: the goal is a business result, each impact is a product objective (a change
    in an actor's behaviour), and each deliverable names a direction in the Product Backlog.
    """

    model_config = ConfigDict(extra="forbid")

    goal: str = Field("Fewer cancellations in the first 30 days", min_length=1, max_length=120)
    lines: list[str] = Field(default_factory=lambda: [
        "New subscribers | choose their first menu without help | onboarding quiz",
        "New subscribers | choose their first menu without help | weekly menu",
        "New subscribers | skip a week instead of cancelling | pause subscription",
        "Weekly subscribers | cook more of the box | cooking mode",
        "Customer care agents | solve delivery problems in one contact | driver tracking",
    ], min_length=1, max_length=30)


def parse_impact_map(goal: str, lines: Iterable[str]) -> pd.DataFrame:
    """Impact-map lines as a table with columns ``goal``, ``actor``, ``impact``, ``deliverable``.

    Raises
    ------
    DataError
        Naming the line that does not have three non-empty parts.

    Examples
    --------
    >>> parse_impact_map("Grow", ["Users | order twice | reorder button"]).iloc[0].tolist()
    ['Grow', 'Users', 'order twice', 'reorder button']
    """
    rows = []
    for number, line in enumerate(lines, start=1):
        parts = [p.strip() for p in str(line).split("|")]
        if len(parts) != 3 or not all(parts):
            raise DataError(f"impact map line {number}: {line!r} does not have three non-empty "
                            "parts (expected 'actor | impact | deliverable')")
        rows.append({"goal": goal.strip(), "actor": parts[0], "impact": parts[1],
                     "deliverable": parts[2]})
    if not rows or not goal.strip():
        raise DataError("impact map: a goal and at least one line are needed")
    return pd.DataFrame(rows)


def link_backlog(impacts: pd.DataFrame, backlog: pd.DataFrame) -> pd.DataFrame:
    """Count the Product Backlog items whose title mentions each deliverable.

    Returns the impact table with ``items`` (number of matching items), ``item_ids``
    (the first three ids, followed by ``(+N more)`` when there are more) and
    ``value_estimate`` (their summed estimate). Deliverables with no item show where the
    backlog does not yet serve the goal.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> draft = ImpactMapDraft()
    >>> linked = link_backlog(parse_impact_map(draft.goal, draft.lines), load_dataset("backlog"))
    >>> int(linked["items"].sum()) > 0
    True
    >>> items = pd.DataFrame({"id": ["A", "B", "C", "D", "E"], "title": ["quiz"] * 5,
    ...                       "value_estimate": [1] * 5})
    >>> link_backlog(parse_impact_map("Grow", ["Users | learn | quiz"]), items)["item_ids"][0]
    'A, B, C (+2 more)'
    """
    titles = backlog["title"].str.lower()
    counts, ids, values = [], [], []
    for deliverable in impacts["deliverable"]:
        hit = backlog[titles.str.contains(deliverable.lower(), regex=False)]
        counts.append(len(hit))
        more = f" (+{len(hit) - 3} more)" if len(hit) > 3 else ""
        ids.append(", ".join(hit["id"].head(3)) + more)
        values.append(int(hit["value_estimate"].sum()))
    return impacts.assign(items=counts, item_ids=ids, value_estimate=values)


def plot_tree(impacts: pd.DataFrame, ax: Axes | None = None,
              levels: tuple[str, ...] = ("goal", "actor", "impact", "deliverable")) -> Axes:
    """Draw the impact map as a left-to-right tree, one column per level.

    Examples
    --------
    >>> draft = ImpactMapDraft()
    >>> ax = plot_tree(parse_impact_map(draft.goal, draft.lines))
    >>> len(ax.texts)
    17
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(12, 5))
    ax.set_axis_off()
    positions: dict[tuple[int, tuple[str, ...]], tuple[float, float]] = {}
    leaves = impacts.drop_duplicates(list(levels)).reset_index(drop=True)
    for depth in range(len(levels) - 1, -1, -1):
        keys = leaves[list(levels[: depth + 1])].apply(tuple, axis=1)
        for key in dict.fromkeys(keys):
            rows = np.flatnonzero((keys == key).to_numpy())
            positions[(depth, key)] = (depth, -float(np.mean(rows)))
    for (depth, key), (x, y) in positions.items():
        if depth > 0:
            px, py = positions[(depth - 1, key[:-1])]
            ax.plot([px + 0.35, x - 0.35], [py, y], color="#9bb7d4", zorder=1)
        label = key[-1]
        extra = ""
        if depth == len(levels) - 1 and "items" in impacts:
            match = impacts[impacts["deliverable"] == label]["items"]
            extra = f"\n({int(match.iloc[0])} backlog items)"
        ax.text(x, y, textwrap.fill(label, 22) + extra, ha="center", va="center", fontsize=8,
                bbox={"boxstyle": "round", "facecolor": "#f4f7ee" if depth else "#749335",
                      "edgecolor": "#749335"}, zorder=2,
                color="black" if depth else "white")
    for depth, name in enumerate(levels):
        ax.text(depth, 0.9, name.upper(), ha="center", fontsize=8, color="#3d5220",
                fontweight="bold")
    ax.set_xlim(-0.5, len(levels) - 0.5)
    ax.set_ylim(-len(leaves) + 0.3, 1.2)
    ax.set_title("Impact map: why -> who -> how -> what")
    return ax
