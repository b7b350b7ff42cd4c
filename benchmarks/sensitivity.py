"""Benchmark: Monte Carlo sensitivity of the WSJF top 10 (10,000 trials, 200-item backlog).

The floor is drawing the same random numbers (four log-normal factors per item and trial)
and nothing else; the ratio says how much the vectorised scoring, top-10 selection and
tallying add on top of that. Run: ``python benchmarks/sensitivity.py``.

With ``PSPO_LAB_BENCH_SIZE=small`` it does a few seconds of the same work (a smoke test:
the figures are then meaningless).
"""

from __future__ import annotations

import os
import statistics
import timeit

import numpy as np

from pspo_lab.analysis.ordering import top_n_stability
from pspo_lab.content.casestudy import backlog

SMALL = os.environ.get("PSPO_LAB_BENCH_SIZE") == "small"
TRIALS, ITEMS, TOP, SPREAD = 500 if SMALL else 10_000, 200, 10, 0.3
REPEATS = 1 if SMALL else 7
TARGET = 3.0


def main() -> None:
    frame = backlog(np.random.default_rng(2024), n=ITEMS)

    def floor() -> None:
        np.random.default_rng(1).lognormal(0.0, SPREAD, size=(TRIALS, ITEMS, 4))

    def sensitivity() -> None:
        top_n_stability(frame, top=TOP, trials=TRIALS, spread=SPREAD, seed=1)

    sensitivity()  # warm-up
    floor_times = timeit.repeat(floor, number=1, repeat=REPEATS)
    run_times = timeit.repeat(sensitivity, number=1, repeat=REPEATS)
    floor_s, run_s = statistics.median(floor_times), statistics.median(run_times)
    print(f"drawing {TRIALS * ITEMS * 4:,} random numbers (floor): {floor_s * 1000:.1f} ms "
          f"(median of {REPEATS})")
    print(f"sensitivity analysis, {TRIALS:,} trials x {ITEMS} items, top {TOP}: "
          f"{run_s * 1000:.1f} ms (median of {REPEATS})")
    print(f"RESULT sensitivity ratio={run_s / floor_s:.2f} target<={TARGET:g}")


if __name__ == "__main__":
    main()
