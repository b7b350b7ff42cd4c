"""Module 2, business strategy: markets, costs, assumptions and the line from goals to work.

* The technology adoption lifecycle with Geoffrey Moore's chasm: :data:`SEGMENTS`,
  :func:`lifecycle_position`, :func:`plot_adoption_lifecycle`.
* Total cost of ownership over years and the continue-vs-discontinue comparison:
  :class:`CostInputs`, :func:`tco_table`, :func:`continue_or_discontinue`.
* Assumption mapping (importance vs evidence): :func:`parse_assumptions`,
  :func:`riskiest_assumptions`, :func:`risk_cutoff`, :func:`plot_assumption_map`,
  :func:`experiment_cards_for`, :func:`cards_table`.
* Impact mapping and "business goal -> product objective -> backlog direction":
  :func:`parse_impact_map`, :func:`link_backlog`, :func:`plot_tree`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pspo_lab.core import records
from pspo_lab.core.errors import DataError, ParameterError, format_pydantic_error

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from pandas.io.formats.style import Styler

    from pspo_lab.core.workspace import Workspace
    from pspo_lab.widgets.forms import RecordForm

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


def assumptions_form(workspace: Workspace, lean_canvas: RecordForm) -> RecordForm:
    """The assumption form (``strategy/assumptions``), started from the learner's own canvas.

    What was saved before always comes first. Otherwise, if the learner has saved a Lean
    Canvas, its lines are the starting assumptions (see :func:`starting_assumptions`);
    without one, FreshCrate's rated example is shown.

    Parameters
    ----------
    workspace
        The learner's workspace.
    lean_canvas
        The Lean Canvas form of the same workspace.

    Returns
    -------
    RecordForm
        The form; nothing is written until the learner presses Save.

    Examples
    --------
    >>> import tempfile
    >>> from pspo_lab.analysis.canvas import LeanCanvas
    >>> from pspo_lab.widgets.forms import RecordForm
    >>> from pspo_lab.core.workspace import Workspace
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> lean = RecordForm(ws, records.CANVASES.named("lean"), LeanCanvas)
    >>> assumptions_form(ws, lean).value().lines[0]
    'Busy households will pay about 42 EUR a month | 5 | 3'
    """
    from pspo_lab.analysis.canvas import assumptions_from
    from pspo_lab.widgets.forms import RecordForm

    initial = None
    if lean_canvas.loaded_from_workspace:
        initial = {"lines": starting_assumptions(assumptions_from(lean_canvas.value()))}
    return RecordForm(workspace, records.STRATEGY_ASSUMPTIONS, AssumptionList, initial=initial)


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
