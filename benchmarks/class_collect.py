"""Cost of ``pspo-lab cohort collect`` for a class of 500 learners, against reading the files.

The exports of 500 fictional learners (``pspo_lab.trainer.class_demo``, seed 42: forms,
experiment cards, self-checks and one or two 80-question practice exams each) are written to
a temporary folder. Two timings, medians after a warm-up:

* ours: :func:`pspo_lab.trainer.collect.collect_class`: every file read and validated as an
  import validates it, the item statistics, topics, misconceptions, radar chart, cards and
  completion computed, the page rendered and written atomically;
* floor: a bare ``json.load`` of the same files, nothing else.

Both are measured as CPU time of this process (``time.process_time``, all its threads) and as
wall time; the RESULT ratio uses CPU time, because on a shared machine the wall time mostly
measures the other processes. Target: ratio <= 3. The seconds beyond reading (ours minus
floor) are printed too; the issue asks for under 2 s of work beyond reading the files.

Run: ``PYTHONPATH=. python benchmarks/class_collect.py`` (about a minute, most of it writing
the exports). With ``PSPO_LAB_BENCH_SIZE=small``: 20 learners, one timing each (a smoke test).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")

from pspo_lab.trainer.class_demo import write_class_exports  # noqa: E402
from pspo_lab.trainer.collect import collect_class  # noqa: E402

SMALL = os.environ.get("PSPO_LAB_BENCH_SIZE") == "small"
LEARNERS = 20 if SMALL else 500
REPEATS = 1 if SMALL else 7


def median_seconds(actions: list[Callable[[], object]], repeats: int = REPEATS
                   ) -> list[tuple[float, float]]:
    """Median (CPU, wall) seconds of each action over ``repeats`` rounds after one warm-up;
    the actions take turns within a round, so a busy moment slows both alike."""
    times: list[list[tuple[float, float]]] = [[] for _ in actions]
    for action in actions:
        action()
    for _ in range(repeats):
        for action, taken in zip(actions, times, strict=True):
            cpu, wall = time.process_time(), time.perf_counter()
            action()
            taken.append((time.process_time() - cpu, time.perf_counter() - wall))
    return [(statistics.median(c for c, _ in taken), statistics.median(w for _, w in taken))
            for taken in times]


def main() -> None:
    """Write the class, time both, print the figures and the RESULT line."""
    with tempfile.TemporaryDirectory(prefix="pspo-collect-") as folder:
        exports = Path(folder) / "exports"
        paths = write_class_exports(exports, learners=LEARNERS, seed=42)
        size = sum(p.stat().st_size for p in paths)

        def bare_read() -> None:
            for path in paths:
                with path.open(encoding="utf-8") as stream:
                    json.load(stream)

        def collect() -> None:
            done = collect_class("apac-evening", exports, Path(folder) / "out")
            assert done.learners == LEARNERS and not done.skipped

        (floor, floor_wall), (ours, ours_wall) = median_seconds([bare_read, collect])
    print(f"{LEARNERS} learners' exports, {size / 1e6:.1f} MB")
    print(f"CPU time: collect {ours:.3f} s, bare json.load {floor:.3f} s, "
          f"beyond reading {ours - floor:.3f} s")
    print(f"wall time: collect {ours_wall:.3f} s, bare json.load {floor_wall:.3f} s, "
          f"beyond reading {ours_wall - floor_wall:.3f} s")
    print(f"RESULT class_collect ratio={ours / floor:.2f} target<=3")


if __name__ == "__main__":
    main()
