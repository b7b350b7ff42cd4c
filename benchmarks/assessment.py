"""Benchmark: the practice assessment stays responsive with the full question bank.

Three figures, each as a ratio of its measured median time to a budget (target <= 1):

* ``bank_load_and_checks``: parsing and validating every topic file plus all bank checks
  (stale terms, near-duplicate stems, answer positions); budget 3 s (uncached load).
* ``exam_draw_and_score``: drawing an 80-question exam, answering it from the key and
  scoring it, without saving; budget 0.2 s.
* ``answer_with_autosave``: one exam answer including the atomic autosave of the attempt to
  the workspace (what one click costs); budget 0.1 s.

Run: ``python benchmarks/assessment.py`` (needs the full bank in ``pspo_lab/questions``).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable

from pspo_lab import question_bank
from pspo_lab.assessment import answer_all, start_exam
from pspo_lab.question_bank import bank_problems, load_bank
from pspo_lab.workspace import Workspace

REPEATS = 7


def median_seconds(action: Callable[[], object], repeats: int = REPEATS) -> float:
    """Median wall time of ``action`` over ``repeats`` runs after one warm-up."""
    action()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def load_and_check() -> None:
    """Load the bank without the cache and run every check."""
    question_bank._bank_cached.cache_clear()
    bank_problems(load_bank())


def main() -> None:
    """Measure and print the figures and their RESULT lines."""
    bank = load_bank()

    def exam_round() -> None:
        exam = start_exam(bank, seed=1)
        answer_all(exam, "key", seed=1)
        exam.result()

    workspace = Workspace(tempfile.mkdtemp(prefix="pspo-bench-"))
    exam = start_exam(bank, seed=2, workspace=workspace)
    keys = [exam.feedback(n).key for n in range(1, len(exam) + 1)]
    state = {"n": 0}

    def one_click() -> None:
        state["n"] = state["n"] % len(exam) + 1
        exam.answer(state["n"], keys[state["n"] - 1])

    figures = {"bank_load_and_checks": (median_seconds(load_and_check), 3.0),
               "exam_draw_and_score": (median_seconds(exam_round), 0.2),
               "answer_with_autosave": (median_seconds(one_click, 40), 0.1)}
    for name, (seconds, budget) in figures.items():
        print(f"{name}: median {seconds * 1000:.1f} ms (budget {budget * 1000:.0f} ms)")
    for name, (seconds, budget) in figures.items():
        print(f"RESULT {name} ratio={seconds / budget:.2f} target<=1")

if __name__ == "__main__":
    main()
