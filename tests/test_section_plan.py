"""Sessions that fit: every section's minute budget, kind and aim, read from the notebooks.

The budgets live in each section's cell metadata; these tests read them and check them
against ``syllabus.yaml``: core sections leave the debrief time of a two-hour session free,
every section serves one of its part's aims, the label a learner reads under each heading
says the same as the metadata, non-core sections are folded, and the part's outcome is at
the top of its notebook.
"""

from __future__ import annotations

import copy

import nbformat
import pytest
from repo_paths import NOTEBOOKS_DIR

from pspo_lab import DataError
from pspo_lab.content.section_plan import (
    core_minutes,
    section_plans,
    session_fit_problems,
    sync_outcome,
    sync_sections,
)
from pspo_lab.content.syllabus import load_syllabus

SYLLABUS = load_syllabus()
PARTS = {p.notebook: p for p in SYLLABUS.parts}
NOTEBOOKS = sorted(p.stem for p in NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def _read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)


def _headings(notebook: nbformat.NotebookNode) -> list[str]:
    return [line[3:].strip() for cell in notebook.cells if cell.cell_type == "markdown"
            for line in cell.source.splitlines() if line.startswith("## ")]


@pytest.mark.parametrize("name", sorted(PARTS))
def test_core_sections_fit_the_session_and_serve_its_aims(name):
    part = PARTS[name]
    sections = section_plans(_read(name), name)
    problems = session_fit_problems(sections, part, SYLLABUS.course.debrief_minutes)
    print(f"{name}: core {core_minutes(sections)} min of {part.duration}, all sections "
          f"{sum(s.plan.minutes for s in sections)} min")
    assert problems == []
    assert {s.title for s in sections} >= {"Assignment"} or part.assignment is None


def test_the_long_parts_fold_what_does_not_fit():
    for name in ("02_strategy_and_vision", "03_value_driven_development",
                 "06_product_backlog"):
        sections = section_plans(_read(name), name)
        total = sum(s.plan.minutes for s in sections)
        assert total > PARTS[name].duration, f"{name} holds more than one session"
        assert core_minutes(sections) <= PARTS[name].duration - SYLLABUS.course.debrief_minutes


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_section_has_a_plan_and_its_label_and_folding_are_in_sync(name):
    notebook = _read(name)
    sections = section_plans(notebook, name)
    frame = {"Overview", "Prerequisites", "Setup", "Summary", "What's next",
             "Learning resources"}
    assert [s.title for s in sections] == [h for h in _headings(notebook) if h not in frame]
    synced = copy.deepcopy(notebook)
    aims = PARTS[name].aims if name in PARTS else []
    assert sync_sections(synced, aims, name) == 0, \
        "labels or folding differ from the plans: run pspo_lab.trainer.authoring"
    for cell in notebook.cells:
        plan = cell.metadata.get("pspo_lab", {}).get("section")
        if plan is not None:
            kind = plan["kind"].capitalize()
            assert cell.source.split("\n\n")[1].startswith(f"*{kind} · {plan['minutes']} min")
            assert cell.metadata.get("jp-MarkdownHeadingCollapsed", False) == (
                plan["kind"] != "core")


@pytest.mark.parametrize("name", sorted(PARTS))
def test_the_outcome_and_aims_open_the_notebook(name):
    notebook = _read(name)
    part = PARTS[name]
    assert not sync_outcome(copy.deepcopy(notebook), part), "outcome box out of date"
    box = notebook.cells[1].source
    assert part.outcome in box
    for number, aim in enumerate(part.aims, start=1):
        assert f"{number}. {aim}" in box


def test_a_section_without_a_plan_is_named_in_one_line():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## Overview"),
        nbformat.v4.new_markdown_cell("## 1. Canvases", metadata={"pspo_lab": {
            "section": {"minutes": "twenty", "kind": "core", "aim": 1}}})])
    with pytest.raises(DataError) as caught:
        section_plans(notebook, "02_strategy_and_vision.ipynb")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("02_strategy_and_vision.ipynb: cell 1 ('1. Canvases') section plan")
    assert "minutes" in message


def test_a_session_that_overruns_is_reported_with_its_numbers():
    notebook = _read("06_product_backlog")
    for cell in notebook.cells:
        if "section" in cell.metadata.get("pspo_lab", {}):
            cell.metadata["pspo_lab"]["section"]["kind"] = "core"
    sections = section_plans(notebook)
    problems = session_fit_problems(sections, PARTS["06_product_backlog"], 20)
    assert problems == [f"core sections take {core_minutes(sections)} min (expected at most "
                        "100: 120 min session minus 20 min of debriefs)"]
