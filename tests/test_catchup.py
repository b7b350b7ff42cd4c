"""The catch-up module: card review, reflection and plan forms, HTML summary and export."""

import datetime as dt

import pytest
from repo_paths import REPO_ROOT

from pspo_lab import load_dataset
from pspo_lab.analysis.attempts import FakeClock
from pspo_lab.analysis.catchup import (
    cards_table,
    due_for_review,
    experiment_review,
    export_summary,
    plot_card_status,
    status_counts,
    strongest_experiment,
    summary_html,
)
from pspo_lab.analysis.sessions import answer_all, start_exam
from pspo_lab.content.question_bank import load_bank
from pspo_lab.core import records
from pspo_lab.core.errors import DataError
from pspo_lab.core.workspace import Workspace

LEARNER = REPO_ROOT / "datasets" / "workspaces" / "catchup-learner.json"


@pytest.fixture()
def learner(tmp_path):
    ws = Workspace(tmp_path / "ws")
    ws.import_(LEARNER)
    return ws


def test_prefilled_workspace_cards(learner):
    cards = cards_table(learner)
    assert cards["module"].tolist() == [1, 2, 3, 4, 6, 7]
    assert status_counts(cards).to_dict() == {"planned": 1, "running": 1, "done": 3,
                                              "abandoned": 1}
    due = due_for_review(cards, dt.date(2025, 11, 25))
    assert due["module"].tolist() == [2]
    assert len(plot_card_status(cards).patches) == 4


def test_empty_workspace_has_an_empty_table(tmp_path):
    cards = cards_table(Workspace(tmp_path))
    assert cards.empty and "module" in cards.columns
    assert status_counts(cards).sum() == 0
    html_text = summary_html(Workspace(tmp_path))
    assert "No experiment cards saved yet." in html_text and html_text.count("Not written") == 2


def test_summary_escapes_learner_text_and_exports_atomically(learner, tmp_path):
    learner.save("experiment-cards", "module-05", {"title": "<script>alert(1)</script>",
                                                  "status": "done"})
    text = summary_html(learner, title="Tom & Jerry")
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "<title>Tom &amp; Jerry</title>" in text
    assert "not &lt;output&gt;" in text and "Five changes proposed &amp; two" in text
    assert "What I tried" in text and "The next two weeks" in text
    target = export_summary(learner, tmp_path / "out" / "summary.html")
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert not list(target.parent.glob(".*tmp"))


def test_summary_reports_practice_exams(tmp_path):
    ws = Workspace(tmp_path)
    bank = load_bank(REPO_ROOT / "tests" / "fixtures" / "questions")
    clock = FakeClock(dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    exam = start_exam(bank, 1, workspace=ws, clock=clock, blueprint={"events": 2})
    answer_all(exam, "key", 1)
    exam.finish()
    assert "best exam score 100% over 1 exam(s)" in summary_html(ws)


def test_broken_saved_plan_is_reported_and_left_out_without_blocking_the_summary(tmp_path):
    ws = Workspace(tmp_path)
    ws.save(*records.CATCHUP_PLAN, {"goal": "", "week_1": []})
    with pytest.warns(UserWarning, match="catchup/two-week-plan field 'goal'.*left out"):
        page = summary_html(ws)
    assert "<h2>" in page
    assert ws.load(*records.CATCHUP_PLAN) == {"goal": "", "week_1": []}


def test_experiment_review_on_the_case_study():
    review = experiment_review(load_dataset("experiments"))
    assert review.index.is_unique and review["supported"].dtype == bool
    assert (review["treatment_rate"].between(0, 1)).all()
    other = experiment_review(load_dataset("experiments", seed=7))
    assert not review["z"].equals(other["z"])


@pytest.mark.parametrize("seed", [42, 104, 143])
def test_strongest_experiment_skips_broken_traffic_splits(seed):
    review = experiment_review(load_dataset("experiments", seed=seed))
    best = strongest_experiment(review)
    assert review.loc[best, "split_ok"]
    assert review.loc[best, "z"] == review.loc[review["split_ok"], "z"].max()
    if seed in (104, 143):
        assert not review.loc[review["z"].idxmax(), "split_ok"], "the trap this test is for"


def test_strongest_experiment_needs_a_sound_split():
    review = experiment_review(load_dataset("experiments"))
    with pytest.raises(DataError, match="none of the 5 experiment"):
        strongest_experiment(review.assign(split_ok=False))
