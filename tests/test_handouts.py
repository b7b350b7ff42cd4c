"""The hand-outs of a cohort run, opened in headless Chromium as a trainer or learner would.

One cohort run of every notebook (seed 7, a cohort title and a learner's saved card that
both carry a ``<script>``) is shared by the tests. Each page is checked for what a reader
sees: no raw tags or CSS as text, every ``##`` heading of the notebook as an h2, header
cells in every table, clickable resource links, scripts that never run, and no instruction
for a widget outside an "In JupyterLab" box. Screenshots go to ``test-artifacts/handouts/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml
from chromium import chromium, require_browser
from repo_paths import NOTEBOOKS_DIR, REPO_ROOT

from pspo_lab.analysis.cards import EXAMPLE_CARD, card_name
from pspo_lab.content.facilitator import load_facilitator_notes
from pspo_lab.content.section_plan import section_plans
from pspo_lab.content.syllabus import load_syllabus
from pspo_lab.core import records
from pspo_lab.core.workspace import Workspace
from pspo_lab.trainer.cli import main

ARTIFACTS = REPO_ROOT / "test-artifacts" / "handouts"
SCRIPT = "<script>window.pwned = 1</script><img src=x onerror='window.pwned = 2'>"
HOSTILE_TITLE = f"Class {SCRIPT} & friends"
HOSTILE_CARD = f"Learner card {SCRIPT}"
NOTEBOOKS = sorted(p.stem for p in NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
#: What a reader must never see as text: raw tags and CSS rules.
RAW_MARKUP = re.compile(r"<h\d|<p>|</|\{\s*[a-z-]+\s*:")
#: Instructions that need a live widget (the issue's examples and their kin).
WIDGET_INSTRUCTION = re.compile(r"move the sliders?|the buttons? below|answer question \d+ above"
                                r"|press \W*save|pick an answer", re.IGNORECASE)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _cohort_file(folder: Path) -> Path:
    workspace = Workspace(folder / "learner")
    workspace.save(*records.EXPERIMENT_CARDS.named(card_name(1)),
                   EXAMPLE_CARD | {"hypothesis": HOSTILE_CARD})
    ids = [p.id for p in load_syllabus().parts]
    sessions = [{"start": f"2026-05-{4 + i:02d}T09:00:00", "end": f"2026-05-{4 + i:02d}T11:00:00",
                 "syllabus_ids": [part]} for i, part in enumerate(ids)]
    path = folder / "demo.yaml"
    path.write_text(yaml.safe_dump({
        "id": "demo", "title": HOSTILE_TITLE, "trainer": "T", "location": "Virtual",
        "start_date": "2026-05-04", "timezone": "Europe/Berlin", "sessions": sessions,
        "parameters": {"seed": 7, "workspace": "learner"}}), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def cohort_run(tmp_path_factory) -> Path:
    """Every notebook of a cohort, run once; the folder of its hand-outs."""
    require_browser()
    folder = tmp_path_factory.mktemp("handouts")
    path = _cohort_file(folder)
    status = main(["cohort", "run", str(path), "--out", str(folder / "out"), "--jobs", "2",
                   "--notebooks", str(NOTEBOOKS_DIR), "--no-progress"])
    assert status == 0, "every notebook of the cohort runs"
    return folder / "out" / "demo"


@pytest.fixture(scope="module")
def page():
    with chromium() as browser:
        yield browser.new_page(viewport={"width": 1100, "height": 1400})


def _open(page, path: Path):
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{path.parent.name}-{path.stem}.png"), full_page=True)
    return page


def _visible_text(page, without: str = "") -> str:
    """The page's text as rendered, without the elements matching the CSS selector."""
    return page.evaluate("""(without) => {
        const copy = document.body.cloneNode(true);
        if (without) copy.querySelectorAll(without).forEach(e => e.remove());
        document.body.after(copy); const text = copy.innerText; copy.remove(); return text;
    }""", without)


def _headings(notebook: str) -> list[str]:
    source = nbformat.read(NOTEBOOKS_DIR / f"{notebook}.ipynb", as_version=4)
    return [line[3:].strip() for cell in source.cells if cell.cell_type == "markdown"
            for line in cell.source.splitlines() if line.startswith("## ")]


def _check_markup(page, name: str) -> None:
    text = _visible_text(page).replace(HOSTILE_TITLE, "").replace(HOSTILE_CARD, "")
    shown = RAW_MARKUP.findall(text)
    assert not shown, f"{name}: raw markup shown as text: {shown[:5]}"
    tables = page.locator("table")
    for i in range(tables.count()):
        assert tables.nth(i).locator("th").count() > 0, f"{name}: table {i} has no header cell"
    assert page.evaluate("window.pwned") is None, f"{name}: an injected script ran"


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_handout_renders_like_the_notebook(cohort_run, page, notebook):
    _open(page, cohort_run / f"{notebook}.html")
    _check_markup(page, notebook)
    h2 = [t.replace("¶", "").strip()
          for t in page.locator("main .text_cell_render h2").all_inner_texts()]
    assert h2 == _headings(notebook), "every ## heading of the notebook is an h2, in order"
    source = nbformat.read(NOTEBOOKS_DIR / f"{notebook}.ipynb", as_version=4)
    for section in section_plans(source, notebook):
        label = f"{section.plan.kind.capitalize()} · {section.plan.minutes} min"
        assert page.locator("main .text_cell_render", has_text=label).count() >= 1, \
            f"{section.title}: its kind and minutes are marked in the hand-out"
    prose = " ".join(page.locator("main .text_cell_render").all_inner_texts())
    assert not WIDGET_INSTRUCTION.findall(prose), \
        "the course text gives instructions for widgets only in 'In JupyterLab' boxes"
    assert page.locator("aside.in-jupyterlab .note-label").count() >= 1
    assert page.locator("section.facilitator").count() == 0, "no trainer notes for learners"


def test_widgets_show_their_state_at_run_time(cohort_run, page):
    _open(page, cohort_run / "01_product_vs_project.html")
    state = page.locator("table.widget-state", has_text="Sprints to simulate")
    assert state.count() == 1, "the explorer's controls at run time"
    chart = page.locator("img[src^='data:image/png']")
    assert chart.count() >= 1 and chart.first.evaluate("i => i.naturalWidth") > 100
    assert page.get_by_text(HOSTILE_CARD, exact=False).count() >= 1, \
        "the learner's saved text is shown, as text"


def test_index_lists_modules_with_clickable_resources(cohort_run, page):
    _open(page, cohort_run / "index.html")
    _check_markup(page, "index.html")
    assert page.locator("h1").inner_text() == HOSTILE_TITLE, "the cohort title, as text"
    for notebook in NOTEBOOKS:
        assert page.locator(f'a[href="{notebook}.html"]').count() >= 1
    links = [r.link for p in load_syllabus().parts for r in p.resources]
    for link in links:
        assert page.locator(f'a[href="{link}"]').count() >= 1, f"{link} is clickable"


@pytest.mark.parametrize("notebook", [n for n in NOTEBOOKS if n[:2] in ("01", "07", "09")])
def test_handout_resources_are_clickable_links(cohort_run, page, notebook):
    """The hand-out's Learning resources table links each title to its whole address."""
    part = 8 if notebook.startswith("09") else int(notebook[:2])
    _open(page, cohort_run / f"{notebook}.html")
    for resource in load_syllabus().part(part).resources:
        link = page.locator(f'a[href="{resource.link}"]')
        assert link.count() >= 1, f"{notebook}: {resource.title} is not a link"
        assert link.first.inner_text() == resource.title


def test_facilitator_layer_only_with_the_flag(cohort_run, page, tmp_path):
    cohort = cohort_run.parent.parent / "demo.yaml"
    status = main(["cohort", "run", str(cohort), "--out", str(tmp_path), "--only", "1",
                   "--notebooks", str(NOTEBOOKS_DIR), "--no-progress", "--facilitator"])
    assert status == 0
    _open(page, tmp_path / "demo" / "01_product_vs_project.html")
    _check_markup(page, "01 with --facilitator")
    notes = load_facilitator_notes("01_product_vs_project")
    sections = section_plans(nbformat.read(NOTEBOOKS_DIR / "01_product_vs_project.ipynb",
                                           as_version=4))
    box = page.locator("section.facilitator")
    rows = [r.split("\t") for r in box.locator("tbody tr").all_inner_texts()]
    assert rows == [[s.title, s.plan.kind, str(s.plan.minutes)] for s in sections]
    core = sum(int(minutes) for _, kind, minutes in rows if kind == "core")
    assert f"Timings: {core} min in class" in box.inner_text()
    assert core <= load_syllabus().part(1).duration - load_syllabus().course.debrief_minutes
    for question in notes.debrief:
        assert box.get_by_text(question).count() == 1
    assert "Model answer for the assignment" in box.inner_text()
    assert "Common learner mistakes" in box.inner_text()


