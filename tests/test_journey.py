"""The learner's own product carried through the course, and the workspace bar."""

import datetime as dt
import json

import pytest
from repo_paths import REPO_ROOT

from pspo_lab import ParameterError
from pspo_lab.analysis import empiricism, metrics_inventory, strategy_maps
from pspo_lab.analysis.canvas import CANVASES, plot_canvas
from pspo_lab.analysis.journey import FORMS, saved_profile, starting_values
from pspo_lab.analysis.product import ProductDefinition
from pspo_lab.core import records
from pspo_lab.core.workspace import Workspace
from pspo_lab.widgets.backlog_forms import roadmap_form
from pspo_lab.widgets.course_forms import product_canvas_forms, product_form
from pspo_lab.widgets.workspace_bar import WorkspaceBar, download_link

CLINIC = {
    "name": "ClinicBook",
    "users": "Patients of a chain of twelve physiotherapy clinics, and the receptionists who "
    "manage the diaries; they book on a phone between two appointments",
    "buyers": "The clinic chain's operations director",
    "problem": "Patients wait on the phone to book or move an appointment; half of all "
    "no-shows are people who could not reach reception | and more",
    "inside": [
        "patient app",
        "online booking page",
        "reminder messages",
        "diary view",
        "waiting list",
    ],
    "outside": ["billing and insurance claims", "treatment notes"],
    "value_measure": "Share of appointments booked; moved without a phone call",
    "product_goal": "Nine in ten appointments are booked or moved without a phone call",
}


@pytest.fixture
def clinic(tmp_path):
    ws = Workspace(tmp_path / "ws")
    ws.save(*records.PRODUCT_DEFINITION, CLINIC)
    return ws


def test_product_goal_is_part_of_the_profile():
    assert ProductDefinition().product_goal.startswith("Busy families")
    with pytest.raises(ValueError, match="product_goal"):
        ProductDefinition(product_goal="")


def test_without_a_saved_product_every_form_shows_freshcrate(tmp_path):
    ws = Workspace(tmp_path)
    for key in FORMS:
        start = starting_values(ws, key)
        assert start.values is None and start.product is None
        assert "example values from FreshCrate" in start.note
    assert list(tmp_path.iterdir()) == []


def test_the_unchanged_example_counts_as_no_product(tmp_path):
    ws = Workspace(tmp_path)
    ws.save(*records.PRODUCT_DEFINITION, ProductDefinition().model_dump())
    assert saved_profile(ws) == (None, None)
    assert "FreshCrate" in starting_values(ws, "lean").note


def test_a_broken_profile_falls_back_and_says_why(tmp_path):
    ws = Workspace(tmp_path)
    ws.save(*records.PRODUCT_DEFINITION, {"name": "", "users": 5})
    start = starting_values(ws, "roadmap")
    assert start.values is None
    assert "could not be read" in start.note and "product/definition" in start.note
    form = roadmap_form(ws)
    assert form.value().product_goal == ProductDefinition().product_goal
    assert "could not be read" in form.status.value


@pytest.mark.parametrize("key", sorted(FORMS))
def test_every_form_starts_from_the_learners_product(clinic, key):
    start = starting_values(clinic, key)
    assert start.product == "ClinicBook"
    assert start.note == (
        "Not saved yet: starting from your product ClinicBook (saved in module 1)."
    )
    form = product_form(clinic, key)
    assert form.status.value == start.note
    value = form.value()  # validates with the form's model
    text = json.dumps(value.model_dump())
    assert "FreshCrate" not in text and "dinner" not in text.lower()
    assert clinic.records() == clinic.records(records.PRODUCT_DEFINITION.kind)


def test_canvases_carry_users_problem_and_name(clinic):
    forms = product_canvas_forms(clinic)
    assert sorted(forms) == sorted(CANVASES)
    lean = forms["lean"].value()
    assert lean.problem.startswith("Patients wait on the phone")
    assert lean.customer_segments.startswith("Patients of a chain")
    vision = forms["vision-statement"].value()
    assert vision.product_name == "ClinicBook"
    assert len(vision.for_whom) <= 120 and vision.for_whom.endswith("…")
    assert "ClinicBook" in vision.sentence()
    assert forms["product-box"].value().name == "ClinicBook"
    assert "Nine in ten" in forms["vision-board"].value().business_goals
    plot_canvas(lean)  # the starting values draw


def test_impact_map_metrics_and_factors_parse(clinic):
    draft = product_form(clinic, "impact-map").value()
    assert draft.goal == CLINIC["product_goal"]
    links = strategy_maps.parse_impact_map(draft.goal, draft.lines)
    assert links["deliverable"].tolist() == CLINIC["inside"]
    metrics = metrics_inventory.metrics_table(product_form(clinic, "metrics").value().metrics)
    assert metrics.loc[0, "category"] == "outcome"
    assert metrics.loc[0, "metric"].startswith("Share of appointments booked, moved")
    factors = empiricism.factor_table(product_form(clinic, "complexity").value().factors)
    assert any("billing" in f for f in factors["factor"])
    assert set(factors["zone"]) <= set(empiricism.ZONES)


def test_roadmap_starts_from_the_product_goal_and_boundary(clinic):
    roadmap = roadmap_form(clinic).value()
    assert roadmap.product_goal == CLINIC["product_goal"]
    assert roadmap.now == ["patient app", "online booking page"]
    assert roadmap.later == ["waiting list"]


def test_what_the_form_saved_comes_before_the_profile(clinic):
    clinic.save(
        *records.BACKLOG_ROADMAP,
        {"product_goal": "My own goal", "now": ["a"], "next": [], "later": []},
    )
    form = roadmap_form(clinic)
    assert form.value().product_goal == "My own goal"
    assert form.status.value.startswith("Loaded your saved version")


def test_unknown_form_is_one_clear_line(clinic):
    with pytest.raises(ParameterError, match="form 'backlog' does not start from"):
        starting_values(clinic, "backlog")


def test_workspace_bar_exports_only_on_click_with_a_relative_link(clinic, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bar = WorkspaceBar(clinic)
    assert "1 record)" in bar.where.value and str(clinic.root) in bar.where.value
    assert not (tmp_path / "pspo-lab-exports").exists()
    bar.export_button.click()
    written = sorted((tmp_path / "pspo-lab-exports").iterdir())
    assert len(written) == 1
    assert f'href="pspo-lab-exports/{written[0].name}"' in bar.link_html.value
    assert "download=" in bar.link_html.value
    assert "Exported 1 record(s)" in bar.status.value

    fresh = WorkspaceBar(Workspace(tmp_path / "fresh"), tmp_path / "out")
    assert "(0 records)" in fresh.where.value
    fresh.upload.value = (
        {
            "name": written[0].name,
            "type": "application/json",
            "size": written[0].stat().st_size,
            "last_modified": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            "content": memoryview(written[0].read_bytes()),
        },
    )
    assert "Imported 1 record(s) (product)" in fresh.status.value
    assert "(1 record)" in fresh.where.value
    assert Workspace(tmp_path / "fresh").load(*records.PRODUCT_DEFINITION)["name"] == "ClinicBook"


def test_download_link_escapes_and_quotes():
    link = download_link("/a/b/<x>.json", "/a")
    assert link == ('<a href="b/%3Cx%3E.json" download="&lt;x&gt;.json">b/&lt;x&gt;.json</a>')


def test_open_workspace_imports_a_file_once_and_shows_the_bar(tmp_path, capsys):
    from pspo_lab.widgets.notebook import open_workspace

    bundle = REPO_ROOT / "datasets" / "workspaces" / "catchup-product.json"
    ws = open_workspace(tmp_path / "ws", import_file=bundle)
    assert capsys.readouterr().out.startswith("Imported 3 record(s) (backlog, metrics, product)")
    assert starting_values(ws, "roadmap").product == "FreshCrate"  # their own goal
    open_workspace(tmp_path / "ws", show_bar=True, import_file=bundle)
    out = capsys.readouterr().out
    assert "catchup-product.json: already imported" in out
    assert ws.history(*records.PRODUCT_DEFINITION) == []
