"""Module 2, strategy and vision on one page: canvases as validated data and clean figures.

Each canvas is a pydantic model whose fields have a maximum length (a canvas is a summary,
not a document) and FreshCrate example values as defaults.
:class:`pspo_lab.widgets.forms.RecordForm` turns a model into a form saved in the workspace
under ``canvas/<name>``; :func:`plot_canvas` draws any of them; :func:`export_figure`
writes PNG, SVG or PDF atomically.

>>> sorted(CANVASES)  # doctest: +NORMALIZE_WHITESPACE
['business-model', 'golden-circle', 'lean', 'product-box', 'value-proposition',
 'vision-board', 'vision-statement']
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pspo_lab.core import records
from pspo_lab.core.errors import DataError, ParameterError, format_pydantic_error
from pspo_lab.core.workspace import write_atomic

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_SHORT, _MEDIUM, _LONG = 120, 300, 500
Box = tuple[float, float, float, float]


def _text(default: str, limit: int = _MEDIUM) -> Any:
    return Field(default, min_length=1, max_length=limit)


class Canvas(BaseModel):
    """Base class: a title and a layout of boxes ``(x, y, width, height)`` per field."""

    model_config = ConfigDict(extra="forbid")
    title: ClassVar[str] = "Canvas"
    layout: ClassVar[dict[str, Box]] = {}
    figsize: ClassVar[tuple[float, float]] = (12, 6.5)

    def boxes(self) -> list[tuple[str, str, Box]]:
        """``(label, text, box)`` for every field, in layout order."""
        values = self.model_dump()
        return [(name.replace("_", " ").capitalize(), str(values[name]), box)
                for name, box in self.layout.items()]


class BusinessModelCanvas(Canvas):
    """The nine building blocks of a business model."""

    title: ClassVar[str] = "Business Model Canvas"
    layout: ClassVar[dict[str, Box]] = {
        "key_partners": (0, .35, .2, .65), "key_activities": (.2, .675, .2, .325),
        "key_resources": (.2, .35, .2, .325), "value_propositions": (.4, .35, .2, .65),
        "customer_relationships": (.6, .675, .2, .325), "channels": (.6, .35, .2, .325),
        "customer_segments": (.8, .35, .2, .65), "cost_structure": (0, 0, .5, .35),
        "revenue_streams": (.5, 0, .5, .35)}

    key_partners: str = _text("Farm co-operative\nDelivery partners\nPayment provider")
    key_activities: str = _text("Recipe development\nSourcing and packing\nApp and web shop")
    key_resources: str = _text("Recipe library\nCold-chain packing site\nCustomer data")
    value_propositions: str = _text("Dinner decided and delivered: fresh ingredients in exact "
                                    "portions with a tested recipe, no shopping")
    customer_relationships: str = _text("Self-service in the app\nCustomer care chat\n"
                                        "Weekly menu e-mail")
    channels: str = _text("Mobile app\nWeb shop\nReferrals")
    customer_segments: str = _text("Busy households cooking 3-5 dinners a week\n"
                                   "Occasional buyers\nGift givers")
    cost_structure: str = _text("Ingredients and packaging (largest)\nDelivery\n"
                                "Marketing and discounts\nProduct development")
    revenue_streams: str = _text("Weekly subscription boxes\nOne-off boxes\nGift cards")


class LeanCanvas(Canvas):
    """Ash Maurya's one-page adaptation of the Business Model Canvas for new products."""

    title: ClassVar[str] = "Lean Canvas"
    layout: ClassVar[dict[str, Box]] = {
        "problem": (0, .35, .2, .65), "solution": (.2, .675, .2, .325),
        "key_metrics": (.2, .35, .2, .325), "unique_value_proposition": (.4, .35, .2, .65),
        "unfair_advantage": (.6, .675, .2, .325), "channels": (.6, .35, .2, .325),
        "customer_segments": (.8, .35, .2, .65), "cost_structure": (0, 0, .5, .35),
        "revenue_streams": (.5, 0, .5, .35)}

    problem: str = _text("Deciding what to cook every day is tiring\nShopping takes time\n"
                         "Food goes to waste")
    solution: str = _text("Weekly menu picked in two minutes\nExact portions delivered")
    key_metrics: str = _text("Active subscribers\nRepeat orders per subscriber\n"
                             "Cancellations within 30 days")
    unique_value_proposition: str = _text("Tonight's dinner, decided and delivered")
    unfair_advantage: str = _text("Direct contracts with the farm co-operative")
    channels: str = _text("App stores\nReferrals\nPartnerships with gyms")
    customer_segments: str = _text("Working parents\nYoung couples who cook")
    cost_structure: str = _text("Ingredients, packing, delivery, marketing")
    revenue_streams: str = _text("Subscription at about 42 EUR a month per household")


class ValuePropositionCanvas(Canvas):
    """How the product fits a customer: jobs, pains and gains against what the product offers."""

    title: ClassVar[str] = "Value Proposition Canvas"
    layout: ClassVar[dict[str, Box]] = {
        "products_and_services": (0, 0, .22, 1), "gain_creators": (.22, .5, .23, .5),
        "pain_relievers": (.22, 0, .23, .5), "gains": (.55, .5, .23, .5),
        "pains": (.55, 0, .23, .5), "customer_jobs": (.78, 0, .22, 1)}

    products_and_services: str = _text("Weekly recipe box\nApp with cooking mode\n"
                                       "Flexible subscription")
    gain_creators: str = _text("New recipes every week\nNutrition shown per portion")
    pain_relievers: str = _text("Menu chosen in two minutes\nNo leftovers: exact portions")
    gains: str = _text("Eat healthier\nTry new dishes\nTime with the family")
    pains: str = _text("No idea what to cook\nQueues at the supermarket\nWasted food")
    customer_jobs: str = _text("Feed the family on weekdays\nPlan the week's meals\n"
                               "Stay within a food budget")


class VisionStatement(Canvas):
    """Geoffrey Moore's product vision template: for whom, which need, and why us."""

    title: ClassVar[str] = "Product vision statement"
    layout: ClassVar[dict[str, Box]] = {}

    for_whom: str = _text("busy households who want to cook at home", _SHORT)
    who_need: str = _text("need dinner decided and the ingredients at the door", _SHORT)
    product_name: str = _text("FreshCrate", 60)
    category: str = _text("meal-kit subscription", 60)
    key_benefit: str = _text("turns two minutes of choosing into five home-cooked dinners "
                             "a week", _SHORT)
    unlike: str = _text("supermarket delivery and takeaway apps", _SHORT)
    differentiator: str = _text("plans the meals, sends exact portions and wastes nothing",
                                _SHORT)

    def sentence(self) -> str:
        """The filled-in template as one sentence.

        Examples
        --------
        >>> VisionStatement().sentence()[:45]
        'For busy households who want to cook at home,'
        """
        return (f"For {self.for_whom}, who {self.who_need}, {self.product_name} is a "
                f"{self.category} that {self.key_benefit}. Unlike {self.unlike}, our product "
                f"{self.differentiator}.")

    def boxes(self) -> list[tuple[str, str, Box]]:
        """The sentence in one box."""
        return [("Vision", self.sentence(), (0, 0, 1, 1))]


class ProductVisionBoard(Canvas):
    """Roman Pichler's board: the vision above target group, needs, product and business goals."""

    title: ClassVar[str] = "Product Vision Board"
    layout: ClassVar[dict[str, Box]] = {
        "vision": (0, .75, 1, .25), "target_group": (0, 0, .25, .75), "needs": (.25, 0, .25, .75),
        "product": (.5, 0, .25, .75), "business_goals": (.75, 0, .25, .75)}

    vision: str = _text("Every household eats a good home-cooked dinner without the "
                        "planning and the waste", _SHORT)
    target_group: str = _text("Working parents\nYoung couples who like to cook")
    needs: str = _text("Less deciding\nLess shopping\nHealthier food")
    product: str = _text("Weekly box with recipes\nApp to choose, pause and track")
    business_goals: str = _text("Grow active subscribers\nFewer cancellations in the first "
                                "month\nProfitable per box")


class ProductBox(Canvas):
    """The box the product would be sold in: a name and promise on the front, details behind."""

    title: ClassVar[str] = "Product Box"
    layout: ClassVar[dict[str, Box]] = {
        "name": (0, .78, .48, .22), "tagline": (0, .56, .48, .22),
        "front_benefits": (0, 0, .48, .56), "back_description": (.52, .5, .48, .5),
        "back_features": (.52, 0, .48, .5)}

    name: str = _text("FreshCrate", 40)
    tagline: str = _text("Dinner, decided.", 80)
    front_benefits: str = _text("Five dinners in two minutes\nExact portions, no waste\n"
                                "Pause whenever you like", 200)
    back_description: str = _text("Choose recipes in the app by Sunday; a chilled box with "
                                  "every ingredient arrives on your chosen day.")
    back_features: str = _text("Allergy filters\nCooking mode with timers\nDelivery "
                               "tracking\nGift cards")


class GoldenCircle(Canvas):
    """Simon Sinek's Golden Circle: why the product exists, how, and what it is."""

    title: ClassVar[str] = "Golden Circle"
    figsize: ClassVar[tuple[float, float]] = (12, 4.5)
    layout: ClassVar[dict[str, Box]] = {"why": (0, 0, .34, 1), "how": (.34, 0, .33, 1),
                                        "what": (.67, 0, .33, 1)}

    why: str = Field("We believe every household deserves a good home-cooked dinner, even on "
                     "the busiest evenings.", min_length=1, max_length=_SHORT,
                     title="Why: the belief behind it")
    how: str = Field("By taking the deciding, the shopping and the waste out of cooking.",
                     min_length=1, max_length=_SHORT, title="How: what makes it different")
    what: str = Field("Weekly boxes of recipes and exact ingredients, chosen in an app.",
                      min_length=1, max_length=_SHORT, title="What: the product")

    def boxes(self) -> list[tuple[str, str, Box]]:
        """Why, how and what, from the inside of the circle out."""
        values = self.model_dump()
        return [(name.capitalize(), str(values[name]), box)
                for name, box in self.layout.items()]


CANVASES: dict[str, type[Canvas]] = {
    "business-model": BusinessModelCanvas, "lean": LeanCanvas,
    "value-proposition": ValuePropositionCanvas, "vision-statement": VisionStatement,
    "vision-board": ProductVisionBoard, "product-box": ProductBox,
    "golden-circle": GoldenCircle}
"""Workspace name (``canvas/<name>``) to model."""


def canvas_from_data(name: str, data: dict[str, Any]) -> Canvas:
    """Validate saved or imported canvas data.

    Raises
    ------
    DataError
        Unknown canvas, or a field that is missing, empty or too long.

    Examples
    --------
    >>> canvas_from_data("product-box", {"tagline": "x" * 81})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: canvas/product-box field 'tagline': String should have at most 80...
    """
    if name not in CANVASES:
        raise DataError(f"unknown canvas {name!r} (expected one of {', '.join(CANVASES)})")
    try:
        return CANVASES[name].model_validate(data)
    except ValidationError as error:
        raise DataError(format_pydantic_error(records.CANVASES.named(name).path, error)) from None


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.fill(line, width) or " " for line in text.splitlines())


def plot_canvas(canvas: Canvas, ax: Axes | None = None) -> Axes:
    """Draw a canvas as labelled boxes with wrapped text.

    Examples
    --------
    >>> ax = plot_canvas(BusinessModelCanvas())
    >>> ax.get_title(), len(ax.patches)
    ('Business Model Canvas', 9)
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=canvas.figsize)
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    for label, text, (x, y, w, h) in canvas.boxes():
        ax.add_patch(plt.Rectangle((x, y), w, h, facecolor="#fbfcf8", edgecolor="#749335",
                                   linewidth=1.2))
        # a heading wider than its box wraps instead of running into the next box
        heading = _wrap(label, max(int(w * 90), 10))
        ax.text(x + 0.008, y + h - 0.015, heading, fontsize=9, fontweight="bold", va="top",
                color="#3d5220")
        size = 11 if w == 1 and h == 1 else 8
        below = 0.07 + 0.035 * heading.count("\n")
        ax.text(x + 0.008, y + h - below, _wrap(text, max(int(w * (120 if size == 8 else 80)),
                                                         16)),
                fontsize=size, va="top")
    ax.set_title(canvas.title, fontweight="bold")
    return ax


_FORMATS = {".png", ".svg", ".pdf"}


def export_figure(figure: Figure, path: str | Path) -> Path:
    """Save a figure as PNG, SVG or PDF so that the file is either complete or unchanged.

    The image is rendered in memory first, then written to a temporary file beside the
    target and renamed over it.

    Raises
    ------
    ParameterError
        If the file ending is not ``.png``, ``.svg`` or ``.pdf`` (nothing is written).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "bmc.svg"
    >>> export_figure(plot_canvas(BusinessModelCanvas()).figure, target).suffix
    '.svg'
    >>> target.read_text()[:5]
    '<?xml'
    """
    target = Path(path)
    if target.suffix.lower() not in _FORMATS:
        ending = target.suffix or "a file without ending"
        raise ParameterError(f"{target.name}: cannot export a figure as {ending!r} "
                             "(expected .png, .svg or .pdf); nothing was written")
    buffer = io.BytesIO()
    figure.savefig(buffer, format=target.suffix.lower()[1:], bbox_inches="tight",
                   metadata={"Date": None} if target.suffix.lower() == ".svg" else None)
    write_atomic(target, buffer.getvalue())
    return target


def assumptions_from(canvas: Canvas) -> list[str]:
    """Every line of a canvas as an assumption to check, prefixed with its box.

    Examples
    --------
    >>> assumptions_from(LeanCanvas())[0]
    'Problem: Deciding what to cook every day is tiring'
    """
    return [f"{label}: {line.strip()}" for label, text, _ in canvas.boxes()
            for line in text.splitlines() if line.strip()]


def export_canvases(canvases: dict[str, Canvas], folder: str | Path,
                    formats: tuple[str, ...] = (".png", ".svg")) -> list[Path]:
    """Draw each canvas and export it as ``<folder>/canvas-<name><format>``.

    Every file is written atomically; figures are closed afterwards.

    Examples
    --------
    >>> import tempfile
    >>> paths = export_canvases({"lean": LeanCanvas()}, tempfile.mkdtemp())
    >>> [p.name for p in paths]
    ['canvas-lean.png', 'canvas-lean.svg']
    """
    import matplotlib.pyplot as plt

    unknown = [f for f in formats if f not in _FORMATS]
    if unknown:
        raise ParameterError(f"formats: {unknown[0]!r} is not supported (expected .png, .svg "
                             "or .pdf); nothing was written")
    written = []
    for name, canvas in canvases.items():
        figure = plot_canvas(canvas).figure
        try:
            written += [export_figure(figure, Path(folder) / f"canvas-{name}{suffix}")
                        for suffix in formats]
        finally:
            plt.close(figure)
    return written
