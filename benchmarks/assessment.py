"""Benchmark: the practice assessment stays responsive with the full question bank.

Two figures, each ours against a floor measured in the same run:

* ``bank_load_and_checks``: parsing, validating and checking every topic file (schema,
  references, stale terms, near-duplicate stems, answer positions) against the floor of only
  parsing the same YAML files. Target: ratio <= 3 (checks cost at most twice the parsing).
* ``answer_with_autosave``: one exam answer including the atomic autosave of the attempt,
  against the floor of atomically writing the same attempt JSON. Target: ratio <= 2.

Run: ``python benchmarks/assessment.py`` (needs the bank in ``pspo_lab/content/data/questions``).

With ``PSPO_LAB_BENCH_SIZE=small`` it does a few seconds of the same work (a smoke test:
the figures are then meaningless).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from pspo_lab.analysis.sessions import start_exam
from pspo_lab.content import question_bank
from pspo_lab.content.bank_quality import bank_problems
from pspo_lab.content.question_bank import load_bank, questions_dir
from pspo_lab.core.workspace import Workspace, write_atomic

SMALL = os.environ.get("PSPO_LAB_BENCH_SIZE") == "small"
REPEATS = 1 if SMALL else 7
CLICKS = 3 if SMALL else 40


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


def parse_only() -> None:
    """The floor: parse the same YAML files, nothing else."""
    for path in sorted(Path(questions_dir()).glob("*.yaml")):
        yaml.safe_load(path.read_text(encoding="utf-8"))


def main() -> None:
    """Measure and print the figures and their RESULT lines."""
    bank = load_bank()
    workspace = Workspace(tempfile.mkdtemp(prefix="pspo-bench-"))
    exam = start_exam(bank, seed=2, workspace=workspace)
    keys = [exam.answer_key(n) for n in range(1, len(exam) + 1)]
    state = {"n": 0}

    def one_click() -> None:
        state["n"] = state["n"] % len(exam) + 1
        exam.answer(state["n"], keys[state["n"] - 1])

    one_click()
    attempt_file = next(workspace.root.rglob("exam-*.json"))
    attempt_text = attempt_file.read_text(encoding="utf-8")
    floor_file = attempt_file.with_name("floor.json")

    figures = {
        "bank_load_and_checks": (median_seconds(load_and_check), median_seconds(parse_only),
                                 3),
        "answer_with_autosave": (median_seconds(one_click, CLICKS),
                                 median_seconds(lambda: write_atomic(floor_file, attempt_text),
                                                CLICKS), 2),
    }
    for name, (ours, floor, _) in figures.items():
        print(f"{name}: ours {ours * 1000:.1f} ms, floor {floor * 1000:.1f} ms")
    for name, (ours, floor, target) in figures.items():
        print(f"RESULT {name} ratio={ours / floor:.2f} target<={target}")


if __name__ == "__main__":
    main()
