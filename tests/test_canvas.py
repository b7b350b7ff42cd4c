"""Canvases: validated fields, clean figures, atomic exports, forms that refuse long text."""

import matplotlib.pyplot as plt
import pytest

from pspo_lab import DataError, ParameterError
from pspo_lab.analysis.canvas import (
    CANVASES,
    BusinessModelCanvas,
    LeanCanvas,
    VisionStatement,
    assumptions_from,
    canvas_from_data,
    export_figure,
    plot_canvas,
)
from pspo_lab.core import records
from pspo_lab.core.workspace import Workspace
from pspo_lab.widgets.forms import RecordForm


@pytest.mark.parametrize("name", sorted(CANVASES))
def test_every_canvas_renders_all_its_fields(name):
    canvas = CANVASES[name]()
    ax = plot_canvas(canvas)
    texts = " ".join(" ".join(t.get_text().split()) for t in ax.texts)  # headings may wrap
    for label, _, _ in canvas.boxes():
        assert label in texts
    assert ax.get_title() == canvas.title
    plt.close("all")


def test_layouts_cover_every_field_once():
    for model in CANVASES.values():
        if model is VisionStatement:
            continue
        assert list(model.layout) == list(model.model_fields)


def test_vision_statement_sentence():
    sentence = VisionStatement(product_name="Crate", category="service").sentence()
    assert "Crate is a service that" in sentence and sentence.endswith(".")


def test_too_long_field_is_refused_with_its_name():
    with pytest.raises(DataError, match="canvas/lean field 'problem'.*at most 300"):
        canvas_from_data("lean", {"problem": "x" * 301})
    with pytest.raises(DataError, match="unknown canvas 'swot'"):
        canvas_from_data("swot", {})


def test_form_with_too_long_field_writes_nothing(tmp_path):
    ws = Workspace(tmp_path)
    form = RecordForm(ws, records.CANVASES.named("business-model"), BusinessModelCanvas)
    form.fields["channels"].value = "y" * 301
    form.button.click()
    assert "Not saved" in form.status.value and "channels" in form.status.value
    assert ws.load(*records.CANVASES.named("business-model")) is None


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"),
                                           (".pdf", b"%PDF")])
def test_export_formats(tmp_path, suffix, magic):
    figure = plot_canvas(LeanCanvas()).figure
    target = export_figure(figure, tmp_path / f"lean{suffix}")
    assert target.read_bytes().startswith(magic)
    assert [p.name for p in tmp_path.iterdir()] == [f"lean{suffix}"]
    plt.close("all")


def test_export_refuses_unknown_format_and_keeps_old_file(tmp_path):
    old = tmp_path / "lean.png"
    old.write_bytes(b"old")
    figure = plot_canvas(LeanCanvas()).figure
    with pytest.raises(ParameterError, match="lean.jpg.*expected .png, .svg or .pdf"):
        export_figure(figure, tmp_path / "lean.jpg")
    assert old.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lean.png"]
    plt.close("all")


def test_assumptions_come_from_canvas_lines():
    lines = assumptions_from(BusinessModelCanvas(channels="App\n\nWeb shop"))
    assert "Channels: App" in lines and "Channels: Web shop" in lines
    assert all(": " in line for line in lines)


def test_export_all_canvases(tmp_path):
    from pspo_lab.analysis.canvas import export_canvases

    paths = export_canvases({name: model() for name, model in CANVASES.items()}, tmp_path)
    assert len(paths) == 2 * len(CANVASES) == 14 and all(p.stat().st_size > 0 for p in paths)
    with pytest.raises(ParameterError, match="'.gif'"):
        export_canvases({"lean": LeanCanvas()}, tmp_path / "x", formats=(".gif",))
    assert not (tmp_path / "x").exists()
    assert not plt.get_fignums()
