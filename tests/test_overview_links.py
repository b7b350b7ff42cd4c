"""Every link from a notebook's Overview to one of its sections lands on a heading.

JupyterLab (and the HTML hand-outs) give each heading an anchor made of its text with the
spaces replaced by hyphens; an Overview bullet links to a section as ``[text](#anchor)``.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from repo_paths import NOTEBOOKS_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
LINK = re.compile(r"\]\(#([^)]+)\)")


def anchors(notebook: nbformat.NotebookNode) -> set[str]:
    return {line.lstrip("#").strip().replace(" ", "-")
            for cell in notebook.cells if cell.cell_type == "markdown"
            for line in cell.source.splitlines() if line.startswith("#")}


def overview_links(notebook: nbformat.NotebookNode) -> list[str]:
    return [link for cell in notebook.cells if cell.cell_type == "markdown"
            and cell.source.startswith("## Overview") for link in LINK.findall(cell.source)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_overview_links_land_on_a_heading(path):
    notebook = nbformat.read(path, as_version=4)
    missing = [link for link in overview_links(notebook) if link not in anchors(notebook)]
    assert missing == []


@pytest.mark.parametrize("name, sections", [
    ("00_welcome", ["5.-What-the-course-aims-at", "6.-The-Product-Owner's-accountabilities",
                    "7.-Product-Owner-and-Scrum-Master", "9.-PSPO-and-CSPO",
                    "8.-The-Product-Owner-as-an-agile-product-manager",
                    "10.-Check-yourself-on-the-Product-Owner"]),
    ("02_strategy_and_vision", ["3.-Start-with-why:-the-Golden-Circle",
                                "4.-What-makes-a-good-vision", "7.-The-stakeholder-map",
                                "8.-Personas-from-the-stakeholder-map",
                                "10.-The-MVP:-the-smallest-experiment-that-tests-an-assumption"]),
    ("03_value_driven_development", ["6.-Elements-of-Value-and-empathy"]),
    ("04_empiricism", ["4.-Unplanned-work"]),
    ("05_scrum_framework", ["6.-Sprint-Goals-that-serve-the-Product-Goal",
                            "7.-A-Sprint-Review-that-inspects-the-outcome",
                            "8.-Self-management-and-motivation", "9.-Ethics-in-Scrum"]),
    ("08_assessment", ["1.-The-PSPO-I-assessment", "2.-The-course-in-one-table"]),
])
def test_the_seed_topics_are_reachable_from_the_overview(name, sections):
    """Each section (its anchor, or the start of a longer one) has an Overview link."""
    notebook = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    links = overview_links(notebook)
    assert [s for s in sections if not any(link.startswith(s) for link in links)] == []
