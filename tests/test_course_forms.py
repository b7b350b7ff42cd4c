"""The course's forms: start from examples, write only on click."""


from pspo_lab.analysis.canvas import LeanCanvas
from pspo_lab.analysis.cards import EXAMPLE_CARD, saved_cards
from pspo_lab.analysis.catchup import EXAMPLE_PLAN, saved_plan
from pspo_lab.analysis.strategy_maps import AssumptionList, parse_assumptions
from pspo_lab.content.framework import PRACTICES, ProcessCheck, process_gap
from pspo_lab.core import records
from pspo_lab.core.workspace import Workspace
from pspo_lab.widgets.course_forms import (
    assumptions_form,
    experiment_card_form,
    plan_form,
    process_check_form,
    reflection_form,
)
from pspo_lab.widgets.forms import RecordForm


def test_experiment_cards_round_trip(tmp_path):
    ws = Workspace(tmp_path)
    form = experiment_card_form(ws, 4, EXAMPLE_CARD)
    assert form.fields["title"].value == "One-tap reorder"
    form.button.click()
    [(name, card)] = saved_cards(ws)
    assert name == "module-04" and card.status == "planned"


def test_assumption_form_starts_from_the_learners_saved_lean_canvas(tmp_path):
    ws = Workspace(tmp_path)
    lean = RecordForm(ws, records.CANVASES.named("lean"), LeanCanvas)
    assert assumptions_form(ws, lean).value().lines == AssumptionList().lines
    problem = {"problem": "Lunch at work is boring\nCanteens | vending"}
    ws.save(*records.CANVASES.named("lean"), problem)
    lean = RecordForm(ws, records.CANVASES.named("lean"), LeanCanvas)
    lines = assumptions_form(ws, lean).value().lines
    assert lines[:2] == ["Problem: Lunch at work is boring | 3 | 1",
                         "Problem: Canteens / vending | 3 | 1"]
    assert parse_assumptions(lines)["risk"].eq(15).all()
    ws.save(*records.STRATEGY_ASSUMPTIONS, {"lines": ["Mine | 5 | 5"]})
    assert assumptions_form(ws, lean).value().lines == ["Mine | 5 | 5"]


def test_process_form_has_one_box_per_practice_and_saves_only_on_click(tmp_path):
    ws = Workspace(tmp_path)
    form = process_check_form(ws)
    assert list(form.fields) == [p.key for p in PRACTICES]
    assert not any(tmp_path.iterdir())
    form.fields["po_assigns_tasks"].value = True
    form.button.click()
    saved = ProcessCheck.model_validate(ws.load(*records.SCRUM_CHECK))
    assert process_gap(saved)["key"].tolist() == ["po_assigns_tasks"]


def test_catchup_forms_start_from_examples_and_write_only_on_save(tmp_path):
    ws = Workspace(tmp_path)
    form = plan_form(ws)
    assert form.value().week_1 == EXAMPLE_PLAN["week_1"]
    assert reflection_form(ws).value().tried.startswith("Wrote FreshCrate's Product Goal")
    assert not ws.records(records.CATCHUP_PLAN.kind)
    form.save()
    assert saved_plan(ws).goal == EXAMPLE_PLAN["goal"]
