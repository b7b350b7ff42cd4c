"""The portfolio opened in headless Chromium: headings, sections and inert learner text.

The page is the file ``write_portfolio`` writes, opened from disk the way a learner opens a
download. A screenshot goes to ``test-artifacts/browser/portfolio.png``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from chromium import chromium
from repo_paths import REPO_ROOT
from test_portfolio import full_workspace

from pspo_lab.analysis.portfolio import build_portfolio, write_portfolio
from pspo_lab.core.workspace import Workspace

ARTIFACTS = REPO_ROOT / "test-artifacts" / "browser"

pytestmark = [pytest.mark.browser]


def test_portfolio_in_chromium(tmp_path):
    learner = full_workspace(tmp_path / "ws")
    html_file, _ = write_portfolio(learner, tmp_path / "exports", today=dt.date(2026, 3, 16))
    empty_file, _ = write_portfolio(Workspace(tmp_path / "empty"), tmp_path / "empty-exports")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(html_file.as_uri())
        assert page.title() == "ClinicBook: my PSPO course portfolio"
        assert page.locator("h1").inner_text() == "ClinicBook: my PSPO course portfolio"
        # every section the portfolio holds (test_portfolio pins their order) is a heading
        assert page.locator("h2").all_inner_texts() == [
            section.title for section in build_portfolio(learner).sections]
        product = page.locator("section#product, section[aria-labelledby=product]")
        assert "Nine in ten appointments are booked" in product.inner_text()
        cards = page.locator("section[aria-labelledby=cards] tbody tr")
        assert cards.count() == 6
        assert "One-tap reorder" in cards.nth(2).inner_text()
        plan = page.locator("section[aria-labelledby=reflection]").inner_text()
        assert "<script>document.title='hacked'</script>" in plan  # shown as text
        assert page.locator("script").count() == 0 and not dialogs
        page.get_by_role("link", name="Experiment cards").click()
        assert page.url.endswith("#cards")
        page.screenshot(path=str(ARTIFACTS / "portfolio.png"), full_page=True)

        page.goto(empty_file.as_uri())
        assert page.locator("h2").all_inner_texts() == ["Nothing saved yet"]
        assert "Press Save under the forms" in page.locator("main").inner_text()
        page.screenshot(path=str(ARTIFACTS / "portfolio-empty.png"))
