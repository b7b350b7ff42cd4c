"""The learner's own product, carried through the course.

The product definition saved in module 1 (``product/definition``, a
:class:`~pspo_lab.analysis.product.ProductDefinition`) is the learner's *product profile*:
name, users, buyers, problem, boundary, value measure and Product Goal. Later forms start
from it instead of the FreshCrate example whenever it is saved, and say which one they show:
:func:`starting_values` decides, for every form in :data:`FORMS`.

A form the learner has saved itself always shows that saved version (the form's own
business); these starting values are only what an *unsaved* form begins with.

>>> import tempfile
>>> from pspo_lab.core.workspace import Workspace
>>> ws = Workspace(tempfile.mkdtemp())
>>> starting_values(ws, "roadmap").note
'Not saved yet: example values from FreshCrate (save your product in module 1 to start from it).'
>>> _ = ws.save("product", "definition", {"name": "ClinicBook", "users": "patients",
...     "buyers": "clinic chain", "problem": "booking takes a phone call",
...     "inside": ["booking page"], "outside": ["billing"], "value_measure": "online bookings",
...     "product_goal": "Every appointment booked without a call"})
>>> start = starting_values(ws, "roadmap")
>>> start.note
'Not saved yet: starting from your product ClinicBook (saved in module 1).'
>>> start.values["product_goal"]
'Every appointment booked without a call'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from pspo_lab.analysis.canvas import CANVASES
from pspo_lab.analysis.empiricism import ComplexityFactors
from pspo_lab.analysis.metrics_inventory import MetricsInventory
from pspo_lab.analysis.product import ProductDefinition
from pspo_lab.analysis.release_plan import ReleasePlan
from pspo_lab.analysis.stakeholders import Persona
from pspo_lab.analysis.story_map import Roadmap
from pspo_lab.analysis.strategy_maps import ImpactMapDraft
from pspo_lab.core import records
from pspo_lab.core.errors import DataError, ParameterError, format_pydantic_error
from pspo_lab.core.records import RecordName
from pspo_lab.core.workspace import Workspace

EXAMPLE_PRODUCT = "FreshCrate"
_TODO = "(your own: fill in)"


class Start(NamedTuple):
    """What an unsaved form starts from.

    ``values`` are field values for the form's model (``None``: the model's FreshCrate
    defaults); ``note`` is the sentence the form shows; ``product`` is the learner's product
    name, or ``None`` for the example.
    """

    values: dict[str, Any] | None
    note: str
    product: str | None


def saved_profile(workspace: Workspace) -> tuple[ProductDefinition | None, str | None]:
    """The learner's product profile, and what is wrong with a saved one that does not fit.

    Returns ``(None, None)`` when nothing is saved or the saved definition is the unchanged
    FreshCrate example, and ``(None, problem)`` when the saved record cannot be read (the
    file is left as it is).

    Examples
    --------
    >>> import tempfile
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> saved_profile(ws)
    (None, None)
    >>> _ = ws.save("product", "definition", {"name": ""})
    >>> saved_profile(ws)[1]  # doctest: +ELLIPSIS
    "saved record product/definition field 'name': String should have at least 1 character..."
    """
    try:
        data = workspace.load(*records.PRODUCT_DEFINITION)
    except DataError as error:
        return None, str(error)
    if data is None:
        return None, None
    try:
        profile = ProductDefinition.model_validate(ProductDefinition().model_dump() | data)
    except ValidationError as error:
        return None, format_pydantic_error("saved record product/definition", error)
    if profile == ProductDefinition():
        return None, None
    return profile, None


# ---------------------------------------------------------------- one builder per form


def _lines(items: list[str]) -> str:
    return "\n".join(items) if items else _TODO


def _short(text: str, limit: int = 60) -> str:
    """``text`` up to ``limit`` characters, cut at a word with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _canvas_values(name: str, p: ProductDefinition) -> dict[str, Any]:
    goal = p.product_goal
    return {
        "business-model": {
            "customer_segments": f"{p.users}\nBuyers: {p.buyers}",
            "value_propositions": f"{p.name} takes away this problem: {p.problem}",
            "key_activities": _lines(p.inside),
            "key_partners": _TODO,
            "key_resources": _TODO,
            "customer_relationships": _TODO,
            "channels": _TODO,
            "cost_structure": _TODO,
            "revenue_streams": f"Paid by: {p.buyers}",
        },
        "lean": {
            "problem": p.problem,
            "solution": _lines(p.inside),
            "key_metrics": p.value_measure,
            "unique_value_proposition": _TODO,
            "unfair_advantage": _TODO,
            "channels": _TODO,
            "customer_segments": p.users,
            "cost_structure": _TODO,
            "revenue_streams": f"Paid by: {p.buyers}",
        },
        "value-proposition": {
            "products_and_services": _lines(p.inside),
            "gain_creators": _TODO,
            "pain_relievers": _TODO,
            "gains": _TODO,
            "pains": p.problem,
            "customer_jobs": _TODO,
        },
        "vision-statement": {
            "for_whom": p.users,
            "who_need": f"struggle with this: {p.problem}",
            "product_name": p.name,
            "category": _TODO,
            "key_benefit": _TODO,
            "unlike": _TODO,
            "differentiator": _TODO,
        },
        "vision-board": {
            "vision": _TODO,
            "target_group": p.users,
            "needs": p.problem,
            "product": _lines(p.inside),
            "business_goals": f"{goal}\n{p.value_measure}",
        },
        "golden-circle": {
            "why": f"Because {p.problem[:1].lower()}{p.problem[1:]}",
            "how": _TODO,
            "what": f"{p.name}: {', '.join(p.inside)}" if p.inside else p.name,
        },
        "product-box": {
            "name": p.name,
            "tagline": _TODO,
            "front_benefits": _TODO,
            "back_description": p.problem,
            "back_features": _lines(p.inside),
        },
    }[name]


def _impact_map(p: ProductDefinition) -> dict[str, Any]:
    actor = _short(p.users, 50).replace("|", "/")
    return {
        "goal": p.product_goal,
        "lines": [
            f"{actor} | (how their behaviour changes) | {item.replace('|', '/')}"
            for item in p.inside
        ]
        or [f"{actor} | (impact) | (deliverable)"],
    }


def _metrics(p: ProductDefinition) -> dict[str, Any]:
    measure = p.value_measure.replace(";", ",")
    return {
        "metrics": [f"{measure}; outcome; lagging; Current Value"],
        "which_measure_value": f"{_short(measure, 120)}: whether {p.name} creates value.",
        "which_to_drop": "",
        "leading_assumptions": "",
    }


def _factors(p: ProductDefinition) -> dict[str, Any]:
    clean = [text.replace(";", ",") for text in (p.users, p.problem, *p.inside, *p.outside)]
    users, problem, *parts = clean
    lines = [
        f"Whether {_short(users, 60)} agree on the problem; 3; 1",
        f"How to solve: {_short(problem, 60)}; 2; 3",
    ]
    lines += [f"Building {_short(item, 50)}; 2; 3" for item in parts[: len(p.inside)][:2]]
    lines += [
        f"Depending on {_short(item, 50)} (outside the boundary); 2; 4"
        for item in parts[len(p.inside) :][:1]
    ]
    return {"factors": lines}


def _persona(p: ProductDefinition) -> dict[str, Any]:
    return {
        "name": f"(a name), one of: {_short(p.users, 40)}",
        "based_on": _short(p.users, 80),
        "context": _TODO,
        "goal": _TODO,
        "frustration": p.problem,
        "evidence": "",
    }


def _roadmap(p: ProductDefinition) -> dict[str, Any]:
    inside = list(p.inside)
    return {
        "product_goal": p.product_goal,
        "now": inside[:2],
        "next": inside[2:4],
        "later": inside[4:] or [_TODO],
    }


def _release_plan(p: ProductDefinition) -> dict[str, Any]:
    return {
        "product_goal": p.product_goal,
        "release_goal": f"A first step toward the Product Goal for {_short(p.users, 100)}",
        "items": list(p.inside[:3]) or [_TODO],
        "first_users": f"A few of: {_short(p.users, 150)}",
        "forecast": _TODO,
        "value_measure": p.value_measure,
        "expected_result": f"{_short(p.value_measure, 100)}: {_TODO}",
        "inspect_at": "The first Sprint Review after the release, and again four weeks later",
    }


class FormSpec(NamedTuple):
    """A form that can start from the product profile: its record, model and builder."""

    record: RecordName
    model: type[BaseModel]
    build: Callable[[ProductDefinition], dict[str, Any]]
    module: int


FORMS: dict[str, FormSpec] = {
    **{
        name: FormSpec(
            records.CANVASES.named(name), model, lambda p, name=name: _canvas_values(name, p), 2
        )
        for name, model in CANVASES.items()
    },
    "impact-map": FormSpec(records.STRATEGY_IMPACT_MAP, ImpactMapDraft, _impact_map, 2),
    "persona": FormSpec(records.STRATEGY_PERSONA, Persona, _persona, 2),
    "metrics": FormSpec(records.METRICS_INVENTORY, MetricsInventory, _metrics, 3),
    "complexity": FormSpec(records.COMPLEXITY_FACTORS, ComplexityFactors, _factors, 4),
    "roadmap": FormSpec(records.BACKLOG_ROADMAP, Roadmap, _roadmap, 6),
    "release-plan": FormSpec(records.RELEASE_PLAN, ReleasePlan, _release_plan, 7),
}
"""The forms that start from the learner's product, by key."""


def fit(model: type[BaseModel], values: dict[str, Any]) -> dict[str, Any]:
    """``values`` made to fit ``model``: text and lists cut to each field's maximum length.

    Examples
    --------
    >>> fit(ImpactMapDraft, {"goal": "x" * 200})["goal"][-3:]
    'xx…'
    >>> len(fit(ImpactMapDraft, {"goal": "x" * 200})["goal"])
    120
    """
    fitted = {}
    for name, value in values.items():
        field = model.model_fields[name]
        limit = next(
            (m.max_length for m in field.metadata if getattr(m, "max_length", None) is not None),
            None,
        )
        if limit is not None and isinstance(value, str) and len(value) > limit:
            value = value[: limit - 1] + "…"
        elif limit is not None and isinstance(value, list):
            value = value[:limit]
        fitted[name] = value
    return fitted


def starting_values(workspace: Workspace, form: str) -> Start:
    """What the unsaved form ``form`` starts from: the learner's product, or FreshCrate.

    Parameters
    ----------
    workspace
        The learner's workspace; only read.
    form
        A key of :data:`FORMS` (``"lean"``, ``"impact-map"``, ``"roadmap"``, ...).

    Returns
    -------
    Start
        Values for the form's model and the note the form shows.

    Raises
    ------
    ParameterError
        For an unknown form key.

    Examples
    --------
    >>> import tempfile
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> _ = ws.save("product", "definition", {"name": "ClinicBook"})
    >>> start = starting_values(ws, "vision-statement")
    >>> start.product, start.values["product_name"]
    ('ClinicBook', 'ClinicBook')
    >>> starting_values(ws, "canvas")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.ParameterError: form 'canvas' does not start from the product profile ...
    """
    spec = FORMS.get(form)
    if spec is None:
        raise ParameterError(
            f"form {form!r} does not start from the product profile "
            f"(expected one of {', '.join(FORMS)})"
        )
    profile, problem = saved_profile(workspace)
    if profile is None:
        why = (
            f"your saved product could not be read ({problem}), so these are example "
            "values from FreshCrate"
            if problem
            else "example values from FreshCrate (save your product in module 1 to start from it)"
        )
        return Start(None, f"Not saved yet: {why}.", None)
    values = fit(spec.model, spec.build(profile))
    try:
        values = spec.model.model_validate(spec.model().model_dump() | values).model_dump()
    except ValidationError:  # pragma: no cover - builders stay within the models
        return Start(None, "Not saved yet: example values from FreshCrate.", None)
    return Start(
        values,
        f"Not saved yet: starting from your product {profile.name} (saved in module 1).",
        profile.name,
    )
