"""The class dashboard of ``pspo-lab cohort collect``, opened in headless Chromium.

The generated class of ``datasets/workspaces/class`` plus one learner whose id and card
carry a ``<script>`` is collected with ``--show-names``; the page is checked for what a
trainer sees: real headings, header cells in every table, no raw tags as text, the weakest
topic named, the radar chart drawn with its alternative text, and no script run. The
screenshot goes to ``test-artifacts/class/``.
"""

from __future__ import annotations

import re
import shutil

import pytest
from chromium import chromium
from repo_paths import REPO_ROOT

from pspo_lab.core.workspace import Workspace
from pspo_lab.trainer.cli import main

ARTIFACTS = REPO_ROOT / "test-artifacts" / "class"
SCRIPT = "<script>window.pwned = 1</script><img src=x onerror='window.pwned = 2'>"
RAW_MARKUP = re.compile(r"<h\d|<p>|</|\{\s*[a-z-]+\s*:")

pytestmark = pytest.mark.browser


def test_class_page_renders_for_the_trainer(tmp_path, capsys):
    exports = tmp_path / "exports"
    shutil.copytree(REPO_ROOT / "datasets" / "workspaces" / "class", exports)
    workspace = Workspace(tmp_path / "ws")
    workspace.save("experiment-cards", "module-02",
                   {"title": f"Card {SCRIPT}", "hypothesis": "x", "status": "running",
                    "review_date": "2026-03-20"})
    workspace.export(exports / "hostile.json", learner=f"mallory {SCRIPT}")
    assert main(["cohort", "collect", "apac-evening", str(exports), "--out",
                 str(tmp_path / "out"), "--show-names"]) == 0
    capsys.readouterr()
    path = tmp_path / "out" / "apac-evening" / "class.html"
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 1400})
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "class.png"), full_page=True)

        assert page.locator("h1").inner_text().startswith("Class dashboard: PSPO live")
        headings = page.locator("h2").all_inner_texts()
        for wanted in ["Practice exam by topic", "Item analysis", "Misconceptions to debrief",
                       "Product mindset self-check", "Experiment cards by status",
                       "Assignments by module", "Learners"]:
            assert wanted in headings, f"{wanted} is a real h2 heading"
        tables = page.locator("table")
        assert tables.count() >= 8
        for i in range(tables.count()):
            assert tables.nth(i).locator("thead th").count() > 0, f"table {i}: header cells"
        text = page.locator("body").inner_text()
        hostile = "mallory " + SCRIPT
        assert text.count(hostile) >= 1 and f"Card {SCRIPT}" in text, "learner text as text"
        shown = RAW_MARKUP.findall(text.replace(hostile, "").replace(f"Card {SCRIPT}", ""))
        assert not shown, f"raw markup shown as text: {shown[:5]}"
        assert page.evaluate("window.pwned") is None, "an injected script ran"

        first_topic = page.locator("h2:has-text('Practice exam by topic') ~ table").first
        weakest = first_topic.locator("tbody tr").first.locator("td").first.inner_text()
        banner = page.locator("p.weak").inner_text()
        assert banner.startswith(f"Weakest topics of the class: {weakest}")
        radar = page.locator("img[src^='data:image/png']")
        assert radar.count() == 1 and radar.evaluate("i => i.naturalWidth") > 200
        assert radar.get_attribute("alt").startswith("Self-check of 30 learners, median")
