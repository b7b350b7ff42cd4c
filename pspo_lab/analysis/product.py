"""Module 1, product vs project: what the product is, how it is delivered, how people think.

* :class:`ProductDefinition` and :func:`plot_product_card`: who uses the product, who buys it,
  which problem it solves and where its boundary is, as a one-page card. The Scrum Guide
  2020 describes a product as "a vehicle to deliver value" with "a clear boundary, known
  stakeholders, well-defined users or customers" (SG-91).
* :func:`simulate_delivery`: the same Product Backlog delivered as a project (one release at
  the end) or as a product (a usable Increment released every Sprint, SG-23, with the
  Product Owner re-ordering after each release as the real value of items shows).
* :data:`MINDSET_STATEMENTS`, :func:`score_self_check`, :func:`plot_radar`: a product-mindset
  self-check, and :func:`combine_self_checks` to put many learners' exports on one chart.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from pspo_lab.core import records
from pspo_lab.core.errors import DataError, ParameterError, format_pydantic_error
from pspo_lab.core.workspace import EXPORT_FORMAT, SCHEMA_VERSION, read_export, write_atomic

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.lines import Line2D


# ---------------------------------------------------------------- product definition


class ProductDefinition(BaseModel):
    """What the product is, for whom, and where it ends (starting values: FreshCrate)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field("FreshCrate", min_length=1, max_length=60)
    users: str = Field("Households who cook three to five dinners a week and plan them on "
                       "a phone", min_length=1, max_length=200)
    buyers: str = Field("The same households (the subscriber pays); gift-card buyers for "
                        "someone else", min_length=1, max_length=200)
    problem: str = Field("Deciding what to cook and shopping for it takes time that busy "
                         "people do not have", min_length=1, max_length=300)
    inside: list[str] = Field(default_factory=lambda: [
        "app and web shop", "recipes and weekly menu", "subscription and payment",
        "delivery tracking"], max_length=8)
    outside: list[str] = Field(default_factory=lambda: [
        "the couriers' own routing system", "the farm co-operative's ordering"],
        max_length=8)
    value_measure: str = Field("Active subscribers who order at least twice a month",
                               min_length=1, max_length=150)


def plot_product_card(definition: ProductDefinition, ax: Axes | None = None) -> Axes:
    """Draw a product definition as a one-page card.

    Six boxes show the users, the buyers, the problem, what is inside and outside the
    product's boundary, and the measure of value; the product name is the title.

    Parameters
    ----------
    definition
        The product definition to draw.
    ax
        Axes to draw on; ``None`` creates a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes with the card (its axis lines hidden).

    Examples
    --------
    >>> ax = plot_product_card(ProductDefinition())
    >>> ax.get_title()
    'FreshCrate: what the product is'
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 5.5))
    ax.set_axis_off()
    ax.set_xlim(-0.01, 1.01)
    ax.set_ylim(-0.01, 1.01)
    boxes = [
        ("Who uses it", definition.users, (0.0, 0.68, 0.49, 0.3)),
        ("Who buys it", definition.buyers, (0.51, 0.68, 0.49, 0.3)),
        ("The problem it solves", definition.problem, (0.0, 0.36, 1.0, 0.3)),
        ("Inside the boundary", "\n".join(f"+ {i}" for i in definition.inside),
         (0.0, 0.12, 0.49, 0.22)),
        ("Outside the boundary", "\n".join(f"- {i}" for i in definition.outside),
         (0.51, 0.12, 0.49, 0.22)),
        ("How we will know it creates value", definition.value_measure, (0.0, 0.0, 1.0, 0.1)),
    ]
    for title, text, (x, y, w, h) in boxes:
        ax.add_patch(plt.Rectangle((x, y), w, h, facecolor="#f4f7ee", edgecolor="#749335"))
        width = max(int(w * 95), 20)
        body = "\n".join(textwrap.fill(line, width) for line in str(text).splitlines())
        ax.text(x + 0.01, y + h - 0.015, title, fontsize=9, fontweight="bold", va="top")
        ax.text(x + 0.01, y + h - 0.07, body, fontsize=8.5, va="top")
    ax.set_title(f"{definition.name}: what the product is", fontweight="bold")
    return ax


# ---------------------------------------------------------------- delivery simulation

Mode = Literal["project", "product"]


def _check_simulation(backlog: pd.DataFrame, sprints: int, capacity: float,
                      learning: float) -> None:
    missing = {"id", "activity", "job_size", "value_estimate", "true_value"} - set(backlog)
    if missing:
        raise DataError(f"backlog: column(s) {sorted(missing)} missing (expected the "
                        "case-study backlog table)")
    if not 1 <= sprints <= 60:
        raise ParameterError(f"sprints: {sprints} is out of range (expected 1 to 60)")
    if capacity < backlog["job_size"].min():
        raise ParameterError(f"capacity: {capacity} is smaller than the smallest item "
                             f"({backlog['job_size'].min()} points)")
    if not 0 <= learning <= 1:
        raise ParameterError(f"learning: {learning} is out of range (expected 0 to 1)")


def _pick(order: np.ndarray, sizes: np.ndarray, capacity: float) -> list[int]:
    """Positions of the items taken into one Sprint: in order, each one that still fits."""
    chosen, used = [], 0.0
    for item in order.tolist():
        if used + sizes[item] <= capacity:
            chosen.append(item)
            used += sizes[item]
    return chosen


def simulate_delivery(backlog: pd.DataFrame, mode: Mode, *, sprints: int = 12,
                      capacity: float = 30, learning: float = 0.5) -> pd.DataFrame:
    """Deliver a Product Backlog as a project or as a product, Sprint by Sprint.

    Each Sprint the Scrum Team takes the items with the highest believed value per size
    point that fit ``capacity``. A released item earns its ``true_value`` in every Sprint
    from its release on. In ``"project"`` mode nothing is released before the last Sprint,
    so nothing is earned or learned until then. In ``"product"`` mode the work of each
    Sprint is released at its end; the real value of released items becomes known and the
    Product Owner corrects the beliefs about the remaining items of the same user activity
    by the observed ratio of real to estimated value, weighted by ``learning``
    (0: ignore what was observed, 1: trust it fully).

    Parameters
    ----------
    backlog
        The case-study ``backlog`` table (``id``, ``activity``, ``job_size``,
        ``value_estimate``, ``true_value``).
    mode
        ``"project"`` or ``"product"``.
    sprints
        Number of Sprints simulated (1 to 60).
    capacity
        Size points the Developers can finish per Sprint.
    learning
        How strongly released results change the order of the remaining items.

    Returns
    -------
    pandas.DataFrame
        One row per Sprint: ``sprint``, ``done_items``, ``released_items``,
        ``value`` (earned in that Sprint), ``cumulative_value``, ``delay_cost`` (real value
        of finished work still waiting for a release), ``cumulative_delay_cost``,
        ``learned`` (items whose real value became known in that Sprint) and ``surprises``
        (of those, items whose real value differs from the estimate by more than half).

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> backlog = load_dataset("backlog")
    >>> project = simulate_delivery(backlog, "project")
    >>> product = simulate_delivery(backlog, "product")
    >>> int(project["cumulative_value"].iloc[-2]), int(product["cumulative_value"].iloc[-2]) > 0
    (0, True)
    """
    if mode not in ("project", "product"):
        raise ParameterError(f"mode: {mode!r} is not 'project' or 'product'")
    _check_simulation(backlog, sprints, capacity, learning)
    sizes = backlog["job_size"].to_numpy(dtype=float)
    estimate = backlog["value_estimate"].to_numpy(dtype=float)
    truth = backlog["true_value"].to_numpy(dtype=float)
    activity = pd.factorize(backlog["activity"])[0]
    belief = estimate.copy()
    open_items = np.ones(len(backlog), dtype=bool)
    done: list[int] = []
    released = 0
    rows = []
    for sprint in range(1, sprints + 1):
        candidates = np.flatnonzero(open_items)
        order = candidates[np.argsort(-belief[candidates] / sizes[candidates], kind="stable")]
        finished = _pick(order, sizes, capacity)
        open_items[finished] = False
        done += finished
        release = mode == "product" or sprint == sprints
        now_released = np.array(done[released:] if release else [], dtype=int)
        released = len(done) if release else released
        if mode == "product" and len(now_released) and learning > 0:
            shown = np.array(done[:released], dtype=int)
            true_sum = np.bincount(activity[shown], truth[shown], minlength=activity.max() + 1)
            est_sum = np.bincount(activity[shown], estimate[shown], minlength=activity.max() + 1)
            ratio = np.divide(true_sum, est_sum, out=np.ones_like(true_sum), where=est_sum > 0)
            belief = estimate * (1 + learning * (ratio[activity] - 1))
        error = np.abs(truth[now_released] - estimate[now_released])
        rows.append({"sprint": sprint, "done_items": len(done), "released_items": released,
                     "value": truth[done[:released]].sum(),
                     "delay_cost": truth[done[released:]].sum(),
                     "learned": len(now_released),
                     "surprises": int((error > 0.5 * estimate[now_released]).sum())})
    result = pd.DataFrame(rows)
    result.insert(4, "cumulative_value", result["value"].cumsum())
    result.insert(6, "cumulative_delay_cost", result["delay_cost"].cumsum())
    return result


def compare_delivery(backlog: pd.DataFrame, *, sprints: int = 12, capacity: float = 30,
                     learning: float = 0.5) -> pd.DataFrame:
    """Both deliveries side by side: the :func:`simulate_delivery` rows, with a ``mode`` column.

    Parameters
    ----------
    backlog
        The case-study ``backlog`` table.
    sprints
        Number of Sprints simulated (1 to 60).
    capacity
        Size points the Developers can finish per Sprint.
    learning
        How strongly released results change the order of the remaining items (0 to 1).

    Returns
    -------
    pandas.DataFrame
        The ``"project"`` rows followed by the ``"product"`` rows, with a fresh index.

    Raises
    ------
    DataError
        If ``backlog`` lacks a column the simulation needs.
    ParameterError
        If ``sprints``, ``capacity`` or ``learning`` is out of range.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> both = compare_delivery(load_dataset("backlog"), sprints=6)
    >>> sorted(both["mode"].unique())
    ['product', 'project']
    """
    frames = [simulate_delivery(backlog, mode, sprints=sprints, capacity=capacity,
                                learning=learning).assign(mode=mode)
              for mode in ("project", "product")]
    return pd.concat(frames, ignore_index=True)


def delivery_summary(comparison: pd.DataFrame) -> pd.DataFrame:
    """Totals per mode: value earned, cost of delay, items learned and the Sprint of first learning.

    Parameters
    ----------
    comparison
        The output of :func:`compare_delivery`.

    Returns
    -------
    pandas.DataFrame
        One row per mode (index ``product``, ``project``) with ``value_earned``,
        ``cost_of_delay``, ``items_learned``, ``surprises`` and ``first_learning_sprint``
        (``None`` when nothing was released in the simulated Sprints).

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> summary = delivery_summary(compare_delivery(load_dataset("backlog")))
    >>> int(summary.loc["project", "first_learning_sprint"])
    12
    """
    rows = {}
    for mode, runs in comparison.groupby("mode"):
        learned = runs.loc[runs["learned"] > 0, "sprint"]
        rows[mode] = {"value_earned": int(runs["value"].sum()),
                      "cost_of_delay": int(runs["delay_cost"].sum()),
                      "items_learned": int(runs["learned"].sum()),
                      "surprises": int(runs["surprises"].sum()),
                      "first_learning_sprint": int(learned.min()) if len(learned) else None}
    return pd.DataFrame(rows).T


class DeliveryChart:
    """The three delivery charts (value, cost of delay, learning), updated in place.

    Updating only changes the data of existing artists, so a widget can recompute and
    redraw quickly (see ``benchmarks/widget_interaction.py``).

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> chart = DeliveryChart(compare_delivery(load_dataset("backlog"), sprints=6))
    >>> len(chart.axes)
    3
    """

    def __init__(self, comparison: pd.DataFrame) -> None:
        import matplotlib.pyplot as plt

        self.figure, axes = plt.subplots(1, 3, figsize=(12, 3.8))
        self.axes = list(axes)
        self.lines: dict[tuple[str, str], Line2D] = {}
        colours = {"project": "#b5651d", "product": "#749335"}
        for ax, column, title in zip(self.axes, ("cumulative_value", "cumulative_delay_cost",
                                                 "learned"),
                                     ("Value delivered (cumulative)",
                                      "Cost of delay (cumulative)",
                                      "Items whose real value became known"), strict=True):
            for mode, colour in colours.items():
                style = "o-" if column == "learned" else "-"
                (self.lines[(mode, column)],) = ax.plot([], [], style, color=colour, label=mode,
                                                        markersize=3)
            ax.set_title(title, fontsize=10)
            ax.set_xlabel("Sprint")
        self.axes[0].legend(frameon=False)
        self.figure.tight_layout()
        self.update(comparison)

    def update(self, comparison: pd.DataFrame) -> None:
        """Show another comparison (same or different number of Sprints)."""
        for (mode, column), line in self.lines.items():
            runs = comparison[comparison["mode"] == mode]
            line.set_data(runs["sprint"].to_numpy(), runs[column].to_numpy())
        for ax in self.axes:
            ax.relim()
            ax.autoscale_view()

    def png(self) -> bytes:
        """Render the figure as PNG bytes (what showing it in a notebook costs)."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=80)
        return buffer.getvalue()


class DeliveryExplorer:
    """Sliders for Sprints, capacity and learning over a :class:`DeliveryChart`.

    Moving a slider recomputes :func:`compare_delivery` and redraws the chart in place;
    nothing is written anywhere.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> explorer = DeliveryExplorer(load_dataset("backlog"), sprints=6)
    >>> explorer.sprints.value = 8
    >>> int(explorer.comparison["sprint"].max())
    8
    """

    def __init__(self, backlog: pd.DataFrame, *, sprints: int = 12, capacity: int = 30,
                 learning: float = 0.5) -> None:
        import ipywidgets as widgets
        import matplotlib.pyplot as plt

        self.backlog = backlog
        style = {"description_width": "8em"}
        self.sprints = widgets.IntSlider(sprints, min=2, max=26, description="Sprints",
                                         style=style)
        self.capacity = widgets.IntSlider(capacity, min=20, max=80, step=5,
                                          description="Capacity (points)", style=style)
        self.learning = widgets.FloatSlider(learning, min=0, max=1, step=0.1,
                                            description="Learning", style=style)
        self.comparison = self._compute()
        self.chart = DeliveryChart(self.comparison)
        plt.close(self.chart.figure)  # shown through the image widget only
        self.image = widgets.Image(value=self.chart.png(), format="png")
        for slider in (self.sprints, self.capacity, self.learning):
            slider.observe(self.refresh, names="value")

    def _compute(self) -> pd.DataFrame:
        return compare_delivery(self.backlog, sprints=self.sprints.value,
                                capacity=self.capacity.value, learning=self.learning.value)

    def refresh(self, change: object = None) -> None:
        """Recompute with the sliders' values and redraw."""
        self.comparison = self._compute()
        self.chart.update(self.comparison)
        self.image.value = self.chart.png()

    def widget(self) -> Any:
        """Sliders above the chart, as one widget."""
        import ipywidgets as widgets

        return widgets.VBox([widgets.HBox([self.sprints, self.capacity, self.learning]),
                             self.image])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())


# ---------------------------------------------------------------- product-mindset self-check

MINDSET_STATEMENTS: tuple[tuple[str, str, bool], ...] = (
    ("Outcomes over output", "We call a release successful when it changed something for "
     "customers or for the business, not when it shipped on time.", False),
    ("Outcomes over output", "A piece of work is finished when it was delivered on the "
     "planned date and within budget.", True),
    ("Customer focus", "The people who build the product regularly talk with the people "
     "who use it.", False),
    ("Customer focus", "Developers receive finished specifications that someone else "
     "wrote after talking to customers.", True),
    ("Learning and adapting", "When a release teaches us something, we change the plan and "
     "nobody treats that as a failure.", False),
    ("Learning and adapting", "Most of what we will build this year was fixed before the "
     "year started.", True),
    ("Long-lived teams and funding", "Teams stay together after a release and keep caring "
     "for the same product.", False),
    ("Long-lived teams and funding", "Money is approved per project, and every next step "
     "needs a new business case.", True),
    ("Product ownership", "One person decides the order of the work on our product and the "
     "organisation respects those decisions.", False),
    ("Product ownership", "A stakeholder who funds a feature can put it into the plan "
     "without convincing the Product Owner.", True),
)
"""(dimension, statement, reverse-scored) — our own statements. The two Product ownership
statements follow the Scrum Guide 2020: the organisation respects the Product Owner's
decisions (SG-31), and changes go through convincing the Product Owner (SG-34)."""

LIKERT = {1: "strongly disagree", 2: "disagree", 3: "neither", 4: "agree", 5: "strongly agree"}
Likert = Literal[1, 2, 3, 4, 5]

SelfCheck = create_model(  # type: ignore[call-overload]
    "SelfCheck", __config__=ConfigDict(extra="forbid"),
    **{f"q{number:02d}": (Likert, 3) for number in range(1, len(MINDSET_STATEMENTS) + 1)})
SelfCheck.__doc__ = "Answers to the product-mindset statements, 1 (strongly disagree) to 5."


def statements_table() -> pd.DataFrame:
    """The self-check statements, numbered as the form fields ``q01`` ... ``q10``.

    Examples
    --------
    >>> statements_table().loc["q01", "dimension"]
    'Outcomes over output'
    """
    return pd.DataFrame([{"question": f"q{n:02d}", "dimension": d, "statement": s}
                         for n, (d, s, _) in enumerate(MINDSET_STATEMENTS, start=1)]
                        ).set_index("question")


def score_self_check(answers: dict[str, int]) -> pd.Series:
    """Score the answers per dimension from 0 (project thinking) to 100 (product thinking).

    Reverse-scored statements count as ``6 - answer``. A dimension's score is the mean of
    its points mapped from 1..5 to 0..100.

    Parameters
    ----------
    answers
        Answers by form field, ``q01`` to ``q10``, each 1 to 5; a missing answer counts as
        3 (neither agree nor disagree).

    Returns
    -------
    pandas.Series
        Named ``score``, indexed by dimension in the order of the statements.

    Raises
    ------
    DataError
        If an answer is not a whole number from 1 to 5 or a key is not ``q01`` to ``q10``.

    Examples
    --------
    >>> scores = score_self_check({f"q{n:02d}": 4 for n in range(1, 11)})
    >>> scores.round(1).tolist()
    [50.0, 50.0, 50.0, 50.0, 50.0]
    """
    try:
        checked = SelfCheck.model_validate(answers).model_dump()
    except ValidationError as error:
        raise DataError(format_pydantic_error("self-check answers", error)) from None
    points = {}
    for number, (dimension, _, reverse) in enumerate(MINDSET_STATEMENTS, start=1):
        answer = checked[f"q{number:02d}"]
        points.setdefault(dimension, []).append(6 - answer if reverse else answer)
    return pd.Series({d: (np.mean(p) - 1) / 4 * 100 for d, p in points.items()},
                     name="score")


def _polar_axes(ax: Axes | None) -> Axes:
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 6), subplot_kw={"projection": "polar"})
    if ax.name != "polar":
        raise ParameterError("ax: a radar chart needs polar axes (subplot_kw={'projection': "
                             "'polar'})")
    return ax


def _radar_frame(ax: Axes, labels: list[str]) -> np.ndarray:
    angles = np.linspace(0, 2 * np.pi, len(labels), endpoint=False)
    ax.set_xticks(angles, [textwrap.fill(label, 14) for label in labels], fontsize=8)
    ax.set_ylim(0, 100)
    ax.set_yticks([25, 50, 75, 100], ["25", "50", "75", "100"], fontsize=7)
    return np.append(angles, angles[0])


def plot_radar(scores: pd.Series, ax: Axes | None = None, label: str = "you") -> Axes:
    """Radar chart of self-check scores (0 to 100 per dimension).

    Parameters
    ----------
    scores
        Scores by dimension, as :func:`score_self_check` returns them.
    ax
        Polar Axes to draw on; ``None`` creates a new figure.
    label
        Legend label of the line.

    Returns
    -------
    matplotlib.axes.Axes
        The polar Axes with the chart.

    Raises
    ------
    ParameterError
        If ``ax`` is not a polar Axes.

    Examples
    --------
    >>> ax = plot_radar(score_self_check({f"q{n:02d}": 3 for n in range(1, 11)}))
    >>> ax.name
    'polar'
    """
    ax = _polar_axes(ax)
    angles = _radar_frame(ax, list(scores.index))
    values = np.append(scores.to_numpy(), scores.to_numpy()[0])
    ax.plot(angles, values, color="#749335", label=label)
    ax.fill(angles, values, color="#749335", alpha=0.25)
    ax.set_title("Product mindset self-check (100 = product thinking)", fontsize=10)
    return ax


def _self_check_answers(path: Path) -> dict[str, int]:
    bundle = read_export(path)
    for record in bundle.records:
        if (record.kind, record.name) == records.PRODUCT_SELF_CHECK:
            return record.data
    raise DataError(f"{path.name}: no saved self-check (expected a record "
                    f"{records.PRODUCT_SELF_CHECK.path}; did the learner press Save?)")


def combine_self_checks(paths: Iterable[str | Path]) -> pd.DataFrame:
    """Scores of many learners, one row per workspace export file (named by its stem).

    Parameters
    ----------
    paths
        Workspace export files, each holding a saved self-check record.

    Returns
    -------
    pandas.DataFrame
        One row per file (index: file stem), one column per dimension, scores 0 to 100.

    Raises
    ------
    DataError
        Naming the first file that is not an export, is malformed or has no self-check, or
        when no file is given.

    Examples
    --------
    >>> import tempfile
    >>> files = write_example_exports(tempfile.mkdtemp(), learners=3, seed=1)
    >>> combine_self_checks(files).shape
    (3, 5)
    """
    rows = {}
    for path in map(Path, paths):
        try:
            rows[path.stem] = score_self_check(_self_check_answers(path))
        except DataError as error:
            message = str(error)
            if not message.startswith(path.name):
                message = f"{path.name}: {message}"
            raise DataError(message) from None
    if not rows:
        raise DataError("no self-check exports given (expected at least one file)")
    return pd.DataFrame(rows).T


def plot_cohort_radar(scores: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """A cohort on one radar chart: the median line and the range from lowest to highest.

    Parameters
    ----------
    scores
        One row per learner, one column per dimension, as :func:`combine_self_checks`
        returns them.
    ax
        Polar Axes to draw on; ``None`` creates a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The polar Axes with the chart.

    Raises
    ------
    ParameterError
        If ``ax`` is not a polar Axes.

    Examples
    --------
    >>> import tempfile
    >>> files = write_example_exports(tempfile.mkdtemp(), learners=4, seed=2)
    >>> plot_cohort_radar(combine_self_checks(files)).get_title()
    'Cohort self-check: 4 learners (median and range)'
    """
    ax = _polar_axes(ax)
    angles = _radar_frame(ax, list(scores.columns))

    def closed(values: pd.Series) -> np.ndarray:
        return np.append(values.to_numpy(), values.to_numpy()[0])

    ax.fill_between(angles, closed(scores.min()), closed(scores.max()), color="#9bb7d4",
                    alpha=0.4, label="range")
    ax.plot(angles, closed(scores.median()), color="#1f4e79", label="median")
    ax.legend(loc="lower right", bbox_to_anchor=(1.25, -0.05), frameon=False, fontsize=8)
    ax.set_title(f"Cohort self-check: {len(scores)} learners (median and range)", fontsize=10)
    return ax


def write_example_exports(folder: str | Path, learners: int = 8, seed: int = 42) -> list[Path]:
    """Write workspace exports of fictional learners with seeded self-check answers.

    Stands in for the files learners send their trainer, so that the cohort chart can be
    tried before a real cohort exists. Each file is written atomically.

    Parameters
    ----------
    folder
        Where the files go; files of the same names are replaced.
    learners
        How many fictional learners (one file each).
    seed
        Seed of the random answers; the same seed writes the same files.

    Returns
    -------
    list of Path
        ``learner-01.json``, ``learner-02.json``, ... in ``folder``.

    Examples
    --------
    >>> import tempfile
    >>> [p.name for p in write_example_exports(tempfile.mkdtemp(), learners=2)]
    ['learner-01.json', 'learner-02.json']
    """
    rng = np.random.default_rng(seed)
    folder = Path(folder)
    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    paths = []
    for number in range(1, learners + 1):
        leaning = rng.uniform(2.0, 4.2)
        answers = {}
        for q, (_, _, reverse) in enumerate(MINDSET_STATEMENTS, start=1):
            centre = 6 - leaning if reverse else leaning
            answers[f"q{q:02d}"] = int(np.clip(np.round(rng.normal(centre, 0.9)), 1, 5))
        bundle = {"format": EXPORT_FORMAT, "format_version": SCHEMA_VERSION,
                  "exported_at": stamp.isoformat(),
                  "records": [{"schema_version": SCHEMA_VERSION,
                               "kind": records.PRODUCT_SELF_CHECK.kind,
                               "name": records.PRODUCT_SELF_CHECK.name,
                               "saved_at": stamp.isoformat(), "data": answers}]}
        path = folder / f"learner-{number:02d}.json"
        write_atomic(path, json.dumps(bundle, indent=2) + "\n")
        paths.append(path)
    return paths
