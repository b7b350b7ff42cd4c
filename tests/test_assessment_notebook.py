"""Notebook 08 run unattended with each answering strategy gives the promised scores."""

import pytest
import scrapbook
from repo_paths import REPO_ROOT

from pspo_lab.analysis.sessions import answer_all, start_exam
from pspo_lab.content.question_bank import load_bank
from pspo_lab.trainer.kernels import execute_notebook

NOTEBOOK = REPO_ROOT / "notebooks" / "08_assessment.ipynb"


def run(tmp_path, strategy, seed, name="08"):
    output = tmp_path / f"{name}-{strategy}.ipynb"
    execute_notebook(NOTEBOOK, output, parameters={
        "answer_strategy": strategy, "seed": seed, "workspace": str(tmp_path / "ws")},
        cwd=str(NOTEBOOK.parent), execution_timeout=180)
    return {name: s.data for name, s in scrapbook.read_notebook(str(output)).scraps.items()}


@pytest.mark.slow
def test_running_exam_shows_no_keys_until_finished(tmp_path):
    scraps = run(tmp_path, None, 42, name="open")
    executed = (tmp_path / "open-None.ipynb").read_text(encoding="utf-8")
    assert "<br>Key: " not in executed and "exam is still running" in executed
    assert "exam_score" not in scraps and "Score " not in executed, "no score before the end"
    run(tmp_path, "key", 42, name="finished")
    executed = (tmp_path / "finished-key.ipynb").read_text(encoding="utf-8")
    assert executed.count("<br>Key: ") == 80, "the finished exam's review shows every key"


@pytest.mark.slow
def test_a_retake_in_the_same_workspace_is_a_new_draw(tmp_path):
    first = run(tmp_path, "key", 42, name="first")
    second = run(tmp_path, "key", 42, name="second")
    assert first["exam_questions"] != second["exam_questions"]
    assert second["exam_score"] == 1.0
    assert second["finished_attempts"] == 6


@pytest.mark.slow
def test_key_strategy_passes_with_full_marks(tmp_path):
    scraps = run(tmp_path, "key", 42)
    assert (scraps["exam_score"], scraps["exam_passed"]) == (1.0, True)
    assert len(scraps["exam_questions"]) == 80
    assert scraps["topics_below_pass_mark"] == 0
    assert scraps["finished_attempts"] == 3, "learn, exam and practice were saved"


@pytest.mark.slow
def test_random_strategy_gives_the_seeded_low_score(tmp_path):
    scraps = run(tmp_path, "random", 7)
    exam = start_exam(load_bank(), 7)
    answer_all(exam, "random", 7)
    expected = exam.finish().score
    assert scraps["exam_score"] == expected < 0.5
    assert scraps["exam_passed"] is False
