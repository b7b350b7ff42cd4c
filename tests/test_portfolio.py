"""The portfolio: everything the learner saved, in one HTML and one Markdown document."""

import datetime as dt

import pytest
from repo_paths import REPO_ROOT

from pspo_lab.analysis.metrics_inventory import MetricsInventory
from pspo_lab.analysis.portfolio import (
    build_portfolio,
    portfolio_html,
    portfolio_markdown,
    write_portfolio,
)
from pspo_lab.analysis.story_map import Roadmap
from pspo_lab.core import records
from pspo_lab.core.workspace import Workspace

DAY = dt.date(2026, 3, 16)
SCRIPT = "<script>document.title='hacked'</script>"


def full_workspace(root) -> Workspace:
    """The sample learners' exports, plus measures, a roadmap, a plan and a decision."""
    ws = Workspace(root)
    ws.import_(REPO_ROOT / "datasets" / "workspaces" / "sample-learner.json")
    ws.import_(REPO_ROOT / "datasets" / "workspaces" / "catchup-learner.json")
    ws.save(*records.METRICS_INVENTORY, MetricsInventory().model_dump())
    ws.save(
        *records.BACKLOG_ROADMAP, Roadmap(product_goal="Nine in ten bookings online").model_dump()
    )
    ws.save(
        *records.DECISION_LOG.named("latest"),
        {"decision": "Reminders first", "reason": f"No-shows cost most {SCRIPT}"},
    )
    ws.save(
        *records.CATCHUP_PLAN,
        {"goal": SCRIPT, "week_1": ["Ask two patients"], "week_2": [], "check_in_on": "2026-03-30"},
    )
    return ws


@pytest.fixture
def learner(tmp_path):
    return full_workspace(tmp_path / "ws")


def test_sections_follow_the_course(learner):
    portfolio = build_portfolio(learner, DAY)
    assert portfolio.title == "ClinicBook: my PSPO course portfolio"
    assert [s.title for s in portfolio.sections] == [
        "Product card",
        "Vision",
        "Canvases",
        "Impact map",
        "Value measures",
        "Roadmap and Product Backlog",
        "Experiment cards",
        "Reflection and plan",
        "Other saved work",
    ]
    assert not portfolio.empty and portfolio.unreadable == []


def test_html_shows_what_was_saved(learner):
    page = portfolio_html(learner, DAY)
    assert "<h1>ClinicBook: my PSPO course portfolio</h1>" in page
    assert "Made on 2026-03-16" in page
    assert "<dt>Product Goal</dt><dd>Nine in ten appointments are booked" in page
    assert "<dt>Who buys it</dt><dd>The clinic chain&#39;s operations director" in page
    assert "For patients in a course of physiotherapy, who need appointments" in page
    assert "<h3>Lean Canvas</h3>" in page
    assert "<td>Receptionists</td><td>fill cancelled slots quickly</td>" in page
    assert "<td>Active subscribers</td><td>outcome</td><td>lagging</td>" in page
    assert "<dd>Nine in ten bookings online</dd>" in page
    assert "<td>One-tap reorder</td><td>done</td>" in page
    assert "<h3>The next two weeks</h3>" in page
    assert '<a href="#cards">Experiment cards</a>' in page


def test_learner_text_stays_inert(learner):
    page = portfolio_html(learner, DAY)
    assert "<script>" not in page
    assert "&lt;script&gt;document.title=&#39;hacked&#39;&lt;/script&gt;" in page
    text = portfolio_markdown(learner, DAY)
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_markdown_has_the_same_sections(learner):
    text = portfolio_markdown(learner, DAY)
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [f"## {s.title}" for s in build_portfolio(learner, DAY).sections]
    assert "| Product Goal | Busy families" not in text  # the learner's, not FreshCrate's
    assert "| Impact | Deliverable |" in text
    assert "| Who uses it | Patients of a chain of twelve physiotherapy clinics" in text


def test_nothing_saved_is_a_clear_page_not_an_error(tmp_path):
    ws = Workspace(tmp_path / "never-created")
    page = portfolio_html(ws, DAY)
    assert "<h1>My PSPO course portfolio</h1>" in page
    assert '<h2 id="nothing-saved">Nothing saved yet</h2>' in page
    assert "## Nothing saved yet" in portfolio_markdown(ws, DAY)
    assert not (tmp_path / "never-created").exists()


def test_an_unreadable_record_is_named_and_the_rest_still_shows(learner):
    broken = learner.path("canvas", "lean")
    broken.write_text("{not json", encoding="utf-8")
    portfolio = build_portfolio(learner, DAY)
    assert len(portfolio.unreadable) == 1 and "canvas/lean.json" in portfolio.unreadable[0]
    page = portfolio_html(learner, DAY)
    assert "Saved files that could not be read" in page and "<h3>Lean Canvas</h3>" not in page
    assert '<h2 id="product">Product card</h2>' in page


def test_write_portfolio_writes_both_files_whole(learner, tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    html_file, md_file = write_portfolio(learner, folder, today=DAY)
    assert html_file.read_text(encoding="utf-8") == portfolio_html(learner, DAY)
    assert md_file.read_text(encoding="utf-8") == portfolio_markdown(learner, DAY)
    assert sorted(p.name for p in folder.iterdir()) == [
        "my-pspo-portfolio.html",
        "my-pspo-portfolio.md",
    ]

    from pspo_lab.analysis import portfolio as module

    render = module._render

    def fail(portfolio, markdown):  # the HTML renders, then the Markdown template breaks
        if markdown:
            raise RuntimeError("template broke")
        return render(portfolio, markdown)

    monkeypatch.setattr(module, "_render", fail)
    other = tmp_path / "other"
    with pytest.raises(RuntimeError):
        write_portfolio(learner, other)
    assert not other.exists()


def test_practice_attempts_show_as_a_progress_line(tmp_path):
    from pspo_lab.analysis.sessions import answer_all, start_exam
    from pspo_lab.content.question_bank import load_bank

    ws = Workspace(tmp_path)
    exam = start_exam(load_bank(), 3, workspace=ws, answered_by="key")
    answer_all(exam, "key", 3)
    exam.finish()
    page = portfolio_html(ws, DAY)
    assert '<h2 id="assessment">Practice assessment</h2>' in page
    assert "1 finished practice attempt(s), 1 of them practice exams; best exam score 100%" in page
    assert "Assessment attempts" not in page
