"""Every link in a notebook's Overview leads to a section of that notebook.

JupyterLab (and nbconvert's HTML) give each heading the id of its text with spaces turned
into hyphens, so ``## 4. Unplanned work`` is reached with ``#4.-Unplanned-work``.
"""

import re

import nbformat
import pytest
from repo_paths import NOTEBOOKS_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
LINK = re.compile(r"\]\(#([^)\s]+)\)")


def anchors(notebook: nbformat.NotebookNode) -> set[str]:
    return {line.lstrip("#").strip().replace(" ", "-")
            for cell in notebook.cells if cell.cell_type == "markdown"
            for line in cell.source.splitlines() if re.match(r"#{1,6} ", line)}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_overview_links_lead_to_a_heading(path):
    notebook = nbformat.read(path, as_version=4)
    overview = next(c.source for c in notebook.cells if c.cell_type == "markdown"
                    and c.source.startswith("## Overview"))
    targets = LINK.findall(overview)
    assert set(targets) <= anchors(notebook), sorted(set(targets) - anchors(notebook))


def test_the_seed_topics_of_parts_3_to_5_are_reachable_from_the_overview():
    expected = {"03_value_driven_development": ["6.-Elements-of-Value-and-empathy"],
                "04_empiricism": ["4.-Unplanned-work"],
                "05_scrum_framework": ["6.-Sprint-Goals-that-serve-the-Product-Goal",
                                       "7.-A-Sprint-Review-that-inspects-the-outcome",
                                       "8.-Self-management-and-motivation",
                                       "9.-Ethics-in-Scrum"]}
    for name, prefixes in expected.items():
        notebook = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
        links = LINK.findall(notebook.cells[2].source)
        for prefix in prefixes:
            assert any(link.startswith(prefix) for link in links), (name, prefix)
