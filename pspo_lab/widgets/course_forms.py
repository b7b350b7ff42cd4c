"""The course's forms and buttons: each module's saved work, over the models of the lower layers.

Every form is a :class:`~pspo_lab.widgets.forms.RecordForm` at its address from
:mod:`pspo_lab.core.records`; it starts from the learner's saved work (or a worked example)
and writes only when Save is clicked. The models and what is computed from saved work stay in
:mod:`pspo_lab.analysis` and :mod:`pspo_lab.content`.

>>> import tempfile
>>> from pspo_lab.analysis.cards import EXAMPLE_CARD
>>> from pspo_lab.core.workspace import Workspace
>>> ws = Workspace(tempfile.mkdtemp())
>>> experiment_card_form(ws, 7, EXAMPLE_CARD).value().measure
'Repeat orders per active subscriber per week'
>>> ws.records()
[]
"""

from __future__ import annotations

from pspo_lab.analysis.canvas import CANVASES, assumptions_from
from pspo_lab.analysis.cards import ExperimentCard, card_name
from pspo_lab.analysis.catchup import (
    EXAMPLE_PLAN,
    EXAMPLE_REFLECTION,
    Reflection,
    TwoWeekPlan,
)
from pspo_lab.analysis.journey import FORMS, starting_values
from pspo_lab.analysis.strategy_maps import AssumptionList, starting_assumptions
from pspo_lab.content.framework import ProcessCheck
from pspo_lab.core import records
from pspo_lab.core.workspace import Workspace
from pspo_lab.widgets.forms import RecordForm


def experiment_card_form(workspace: Workspace, part_id: int,
                         example: dict[str, object] | None = None) -> RecordForm:
    """The experiment-card form of one module, starting from saved work or ``example``.

    Parameters
    ----------
    workspace
        The learner's workspace.
    part_id
        Syllabus part (module) number the card belongs to.
    example
        Worked-example values shown until the learner saves a card of their own.

    Returns
    -------
    RecordForm
        The form over :class:`~pspo_lab.analysis.cards.ExperimentCard`, saved as
        ``experiment-cards/module-NN``.

    Examples
    --------
    >>> import tempfile
    >>> from pspo_lab.analysis.cards import EXAMPLE_CARD
    >>> form = experiment_card_form(Workspace(tempfile.mkdtemp()), 4, EXAMPLE_CARD)
    >>> form.name, form.value().title
    ('module-04', 'One-tap reorder')
    """
    return RecordForm(workspace, records.EXPERIMENT_CARDS.named(card_name(part_id)),
                      ExperimentCard, initial=example)


def product_form(workspace: Workspace, form: str) -> RecordForm:
    """A form that starts from the learner's product profile when one is saved.

    What the learner saved in this form always comes first. Otherwise the starting values
    come from the product definition saved in module 1, or from FreshCrate when there is
    none; the status line says which
    (:func:`~pspo_lab.analysis.journey.starting_values`).

    Parameters
    ----------
    workspace
        The learner's workspace.
    form
        A key of :data:`~pspo_lab.analysis.journey.FORMS`: a canvas name (``"lean"``,
        ``"vision-statement"``, ``"golden-circle"``, ...), ``"impact-map"``, ``"persona"``,
        ``"metrics"``, ``"complexity"``, ``"roadmap"`` or ``"release-plan"``.

    Returns
    -------
    RecordForm
        The form at the record's usual address; nothing is written until Save.

    Examples
    --------
    >>> import tempfile
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> product_form(ws, "impact-map").status.value[:52]
    'Not saved yet: example values from FreshCrate (save '
    >>> _ = ws.save("product", "definition", {"name": "ClinicBook", "inside": ["booking page"]})
    >>> form = product_form(ws, "impact-map")
    >>> form.status.value
    'Not saved yet: starting from your product ClinicBook (saved in module 1).'
    >>> form.value().lines[0].endswith("| booking page")
    True
    """
    start = starting_values(workspace, form)
    spec = FORMS[form]
    return RecordForm(workspace, spec.record, spec.model, initial=start.values,
                      initial_note=start.note)


def product_canvas_forms(workspace: Workspace) -> dict[str, RecordForm]:
    """Module 2's seven canvas forms by name, each started from the learner's product.

    Examples
    --------
    >>> import tempfile
    >>> sorted(product_canvas_forms(Workspace(tempfile.mkdtemp())))[:3]
    ['business-model', 'golden-circle', 'lean']
    """
    return {name: product_form(workspace, name) for name in CANVASES}


def assumptions_form(workspace: Workspace, lean_canvas: RecordForm) -> RecordForm:
    """Module 2's assumption form (``strategy/assumptions``), started from the learner's canvas.

    What was saved before always comes first. Otherwise, if the learner has saved a Lean
    Canvas, its lines are the starting assumptions
    (:func:`~pspo_lab.analysis.strategy_maps.starting_assumptions`); without one,
    FreshCrate's rated example is shown.

    Parameters
    ----------
    workspace
        The learner's workspace.
    lean_canvas
        The Lean Canvas form of the same workspace.

    Returns
    -------
    RecordForm
        The form over :class:`~pspo_lab.analysis.strategy_maps.AssumptionList`; nothing is
        written until the learner presses Save.

    Examples
    --------
    >>> import tempfile
    >>> from pspo_lab.analysis.canvas import LeanCanvas
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> lean = RecordForm(ws, records.CANVASES.named("lean"), LeanCanvas)
    >>> assumptions_form(ws, lean).value().lines[0]
    'Busy households will pay about 42 EUR a month | 5 | 3'
    """
    initial = None
    if lean_canvas.loaded_from_workspace:
        initial = {"lines": starting_assumptions(assumptions_from(lean_canvas.value()))}
    return RecordForm(workspace, records.STRATEGY_ASSUMPTIONS, AssumptionList, initial=initial)


def process_check_form(workspace: Workspace) -> RecordForm:
    """Module 5's form with one tick box per practice, saved as ``scrum-check/process``.

    Parameters
    ----------
    workspace
        The learner's workspace; a saved check is loaded as the starting state.

    Returns
    -------
    RecordForm
        The form over :data:`~pspo_lab.content.framework.ProcessCheck`; it writes only when
        Save is clicked.

    Examples
    --------
    >>> import tempfile
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> form = process_check_form(ws)
    >>> any(form.value().model_dump().values()), ws.records()
    (False, [])
    >>> _ = ws.save(*records.SCRUM_CHECK, {"committee_po": True})
    >>> process_check_form(ws).value().committee_po
    True
    """
    return RecordForm(workspace, records.SCRUM_CHECK, ProcessCheck)


def reflection_form(workspace: Workspace) -> RecordForm:
    """Module 9's reflection journal form (saved as ``catchup/reflection`` on Save).

    Examples
    --------
    >>> import tempfile
    >>> reflection_form(Workspace(tempfile.mkdtemp())).value().next_step[:21]
    'Invite both stakehold'
    """
    return RecordForm(workspace, records.CATCHUP_REFLECTION, Reflection,
                      initial=EXAMPLE_REFLECTION)


def plan_form(workspace: Workspace) -> RecordForm:
    """Module 9's two-week plan form (saved as ``catchup/two-week-plan`` on Save).

    Examples
    --------
    >>> import tempfile
    >>> len(plan_form(Workspace(tempfile.mkdtemp())).value().week_1)
    2
    """
    return RecordForm(workspace, records.CATCHUP_PLAN, TwoWeekPlan, initial=EXAMPLE_PLAN)
