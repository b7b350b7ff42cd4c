"""Take-home export and import: one file out, validated import in, nothing changed on error."""

import datetime as dt
import json

import pytest
from repo_paths import REPO_ROOT

from pspo_lab import DataError
from pspo_lab.core.records import RecordName
from pspo_lab.core.workspace import Workspace
from pspo_lab.widgets.take_home import (
    TakeHome,
    export_file,
    export_name,
    import_summary,
    import_upload,
    uploaded_files,
)


def snapshot(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.json"))}


@pytest.fixture
def workspace(tmp_path):
    ws = Workspace(tmp_path / "ws")
    ws.save("product", "definition", {"name": "FreshCrate"})
    ws.save("canvas", "lean", {"problem": "time"})
    return ws


def test_export_then_import_round_trip(workspace, tmp_path):
    path = export_file(workspace, tmp_path / "out",
                       now=dt.datetime(2026, 3, 2, 18, 0, tzinfo=dt.UTC))
    assert path.name == "pspo-lab-workspace-20260302-180000.json"
    other = Workspace(tmp_path / "other")
    records = import_upload(other, path.name, path.read_bytes())
    assert other.load("canvas", "lean") == {"problem": "time"}
    assert "Imported 2 record(s) (canvas, product)" in import_summary(records)
    assert not list((tmp_path / "other").rglob("*.tmp"))


@pytest.mark.parametrize("content, message", [
    (b"\xff\xfe garbage", "not a JSON file"),
    (b"{\"records\": []}", "not a pspo-lab workspace export"),
    (json.dumps({"format": "pspo-lab-workspace", "format_version": 1,
                 "exported_at": "2026-01-01T00:00:00Z",
                 "records": [{"kind": "Bad Kind!"}]}).encode(), "field 'records.0"),
])
def test_bad_upload_changes_nothing(workspace, content, message):
    before = snapshot(workspace.root)
    with pytest.raises(DataError, match=message) as error:
        import_upload(workspace, "upload.json", content)
    assert str(error.value).startswith("upload.json")
    assert "nothing was imported" in str(error.value)
    assert snapshot(workspace.root) == before


def test_too_large_upload_is_refused(workspace, monkeypatch):
    monkeypatch.setattr("pspo_lab.widgets.take_home.MAX_UPLOAD_BYTES", 10)
    with pytest.raises(DataError, match="too large"):
        import_upload(workspace, "big.json", b"x" * 11)


def test_widget_exports_only_on_click(workspace, tmp_path):
    folder = tmp_path / "exports"
    view = TakeHome(workspace, folder)
    assert not folder.exists()
    path = view.export_button.click() or sorted(folder.iterdir())[0]
    assert json.loads(path.read_text())["format"] == "pspo-lab-workspace"
    assert "Exported 2 record(s)" in view.status.value
    assert view.widget().children


def test_widget_import_reports_one_line(workspace, tmp_path):
    view = TakeHome(Workspace(tmp_path / "fresh"), tmp_path / "exports")
    view.import_files([{"name": "x.json", "content": memoryview(b"[]")}])
    assert "Not imported: x.json: not a pspo-lab workspace export" in view.status.value
    good = workspace.export(tmp_path / "good.json")
    records = view.import_files([{"name": "good.json", "content": good.read_bytes()}])
    assert len(records) == 2 and "Imported 2" in view.status.value
    assert uploaded_files(()) == []
    assert export_name(dt.datetime(2026, 1, 1, tzinfo=dt.UTC)).endswith("000000.json")


def test_saved_date_fields_reload_in_forms(tmp_path):
    """A saved experiment card (review_date stored as text) must load into its form again."""
    from pspo_lab.analysis.cards import EXAMPLE_CARD
    from pspo_lab.widgets.course_forms import experiment_card_form

    ws = Workspace(tmp_path)
    experiment_card_form(ws, 1, EXAMPLE_CARD).save()
    assert experiment_card_form(ws, 1).value().title == EXAMPLE_CARD["title"]


def test_a_record_that_no_longer_fits_its_form_refuses_the_whole_file(tmp_path):
    source = Workspace(tmp_path / "source")
    source.save("product", "definition", {"users": 5, "bogus": 1})
    source.save("strategy", "tco", {"years": 5})
    bundle = source.export(tmp_path / "old.json")
    target = Workspace(tmp_path / "target")
    target.save("product", "definition", {"users": "Busy parents"})
    with pytest.raises(DataError) as caught:
        import_upload(target, "old.json", bundle.read_bytes())
    message = str(caught.value)
    assert message.startswith("old.json: record product/definition field ")
    assert message.endswith("; nothing was imported") and "\n" not in message
    assert target.load("product", "definition") == {"users": "Busy parents"}
    assert target.history("product", "definition") == []


@pytest.mark.parametrize("name", ["sample-learner.json", "catchup-learner.json",
                                  "catchup-product.json"])
def test_example_exports_fit_their_forms(tmp_path, name):
    path = REPO_ROOT / "datasets" / "workspaces" / name
    imported = import_upload(Workspace(tmp_path), name, path.read_bytes())
    assert imported


def test_every_form_of_the_course_is_checked_on_import():
    """Every record of core.records has a model, and every form in the course uses one of them."""
    import re

    from pspo_lab.core import records
    from pspo_lab.widgets.take_home import record_models

    declared = {value for value in vars(records).values() if isinstance(value, RecordName)}
    models = record_models()
    assert {r.kind for r in models} == {r.kind for r in declared}
    assert all(r in models for r in declared if r != records.CANVASES)
    sources = [*(REPO_ROOT / "pspo_lab").rglob("*.py"), *(REPO_ROOT / "notebooks").glob("*.ipynb")]
    calls = [(path.name, call) for path in sources for call in re.findall(
        r"RecordForm\((?:ws|workspace), ([^,]+),", path.read_text(encoding="utf-8"))]
    from pspo_lab.analysis.journey import FORMS

    started_from_product = [key for path in sources for key in re.findall(
        r"product_form\((?:ws|workspace), \"([a-z-]+)\"\)", path.read_text(encoding="utf-8"))]
    assert started_from_product and all(key in FORMS for key in started_from_product)
    assert len(calls) + len(started_from_product) >= 15
    for source, address in calls:
        if source == "forms.py":  # the module docstring's own example
            continue
        if source == "course_forms.py" and address == "spec.record":  # product_form
            assert all(spec.record in models for spec in FORMS.values())
            continue
        assert address.startswith("records."), f"{source}: RecordForm at {address}"
