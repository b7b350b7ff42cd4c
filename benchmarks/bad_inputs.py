"""How fast bad input is refused, against loading a good file, and what the corpus gets.

A refusal must cost about what reading a small good file costs, whatever the file holds:

* ``billion_laughs_vs_good_file``: refusing a YAML "billion laughs" (nested aliases that
  expand to gigabytes) against loading a good cohort file (best of 5 each);
* ``huge_file_vs_good_file``: the slowest refusal among the generated big files (a 50 MB
  single line, a 30 MB CSV, a 50 MB YAML value) against the same good file;
* ``corpus_not_one_line`` (full size only): the share of the committed bad-input corpus
  (``tests/fixtures/bad_inputs``) that does not end in one line naming the file, or a good
  file not accepted; each case runs in a child process stopped after 20 s (a hang).

Run: ``PYTHONPATH=. python benchmarks/bad_inputs.py``; with ``PSPO_LAB_BENCH_SIZE=small``
the corpus count is skipped.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from bad_inputs import ONE_LINE, Case, cases, generated_cases, measure, run  # noqa: E402

SMALL = os.environ.get("PSPO_LAB_BENCH_SIZE") == "small"


def best_of(repeats: int, action: Callable[[], object]) -> float:
    """The shortest of ``repeats`` timings of ``action`` (the least disturbed run)."""
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return min(timings)


def timed_refusal(case: Case, scratch: Path) -> float:
    """Seconds to refuse ``case``; a case that is not refused with one line stops the run."""
    started = time.perf_counter()
    outcome, message = run(case, scratch)
    seconds = time.perf_counter() - started
    if outcome != ONE_LINE:
        raise SystemExit(f"{case.id}: expected one line, got {outcome}: {message}")
    return seconds


def main() -> None:
    corpus = cases()
    good = next(c for c in corpus if c.loader == "load_cohort" and c.expect_ok)
    laughs = next(c for c in corpus
                  if c.loader == "load_cohort" and c.path.name == "bad__billion_laughs.yaml")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        floor = best_of(5, lambda: run(good, folder))
        laughs_seconds = min(timed_refusal(laughs, folder) for _ in range(5))
        big = {case.id: timed_refusal(case, folder) for case in generated_cases(folder)}
    print(f"good cohort file loaded in {floor * 1000:.1f} ms ({good.path.name})")
    print(f"billion laughs refused in {laughs_seconds * 1000:.1f} ms")
    for name, seconds in big.items():
        print(f"{name}: refused in {seconds * 1000:.1f} ms")
    results = [f"RESULT billion_laughs_vs_good_file ratio={laughs_seconds / floor:.2f} "
               "target<=20",
               f"RESULT huge_file_vs_good_file ratio={max(big.values()) / floor:.2f} "
               "target<=20"]
    if not SMALL:
        counts = measure(corpus)
        wrong = sum(n for outcome, n in counts.items() if outcome not in (ONE_LINE, "accepted"))
        print(f"corpus: {dict(counts)}")
        results.append(f"RESULT corpus_not_one_line ratio={wrong / len(corpus):.2f} target<=0")
    print("\n".join(results))


if __name__ == "__main__":
    main()
