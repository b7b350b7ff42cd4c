"""Notebook 08 run unattended with each answering strategy gives the promised scores."""

import pytest
from repo_paths import REPO_ROOT

from pspo_lab.analysis.sessions import answer_all, start_exam
from pspo_lab.content.question_bank import load_bank

NOTEBOOK = REPO_ROOT / "notebooks" / "08_assessment.ipynb"


def run(notebook_runs, strategy, seed, after=None):
    """Notebook 08 answered with ``strategy`` (shared execution; ``after``: same workspace)."""
    return notebook_runs.run(NOTEBOOK, {"answer_strategy": strategy, "seed": seed}, after=after)


@pytest.mark.slow
def test_running_exam_shows_no_keys_until_finished(notebook_runs):
    running = notebook_runs.default(NOTEBOOK)  # answer_strategy None, seed 42
    executed = running.output.read_text(encoding="utf-8")
    assert "<br>Key: " not in executed and "exam is still running" in executed
    assert "exam_score" not in running.scraps and "Score " not in executed, (
        "no score before the end")
    finished = run(notebook_runs, "key", 42, after=running)
    executed = finished.output.read_text(encoding="utf-8")
    assert executed.count("<br>Key: ") == 80, "the finished exam's review shows every key"


@pytest.mark.slow
def test_a_retake_in_the_same_workspace_is_a_new_draw(notebook_runs):
    first = run(notebook_runs, "key", 42)
    second = run(notebook_runs, "key", 42, after=first)
    assert first.scraps["exam_questions"] != second.scraps["exam_questions"]
    assert second.scraps["exam_score"] == 1.0
    assert second.scraps["finished_attempts"] == 6


@pytest.mark.slow
def test_key_strategy_passes_with_full_marks(notebook_runs):
    scraps = run(notebook_runs, "key", 42).scraps
    assert (scraps["exam_score"], scraps["exam_passed"]) == (1.0, True)
    assert len(scraps["exam_questions"]) == 80
    assert scraps["topics_below_pass_mark"] == 0
    assert scraps["finished_attempts"] == 3, "learn, exam and practice were saved"


@pytest.mark.slow
def test_random_strategy_gives_the_seeded_low_score(notebook_runs):
    scraps = run(notebook_runs, "random", 7).scraps
    exam = start_exam(load_bank(), 7)
    answer_all(exam, "random", 7)
    expected = exam.finish().score
    assert scraps["exam_score"] == expected < 0.5
    assert scraps["exam_passed"] is False
