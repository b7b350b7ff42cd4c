"""Benchmark: the peeking simulation against the floor of drawing its random numbers.

``pspo_lab.analysis.abtest.peeking_simulation`` simulates 10,000 A/A experiments with 20 looks each.
Its unavoidable cost is drawing the binomial conversion counts; everything else (cumulative
sums, z statistics, "stopped so far") is vectorised numpy work on top. The ratio of the two
medians shows how much the statistics add to the floor.

Run: ``python benchmarks/peeking.py``

With ``PSPO_LAB_BENCH_SIZE=small`` it does a few seconds of the same work (a smoke test:
the figures are then meaningless).
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np

from pspo_lab.analysis.abtest import peeking_simulation, simulate_conversions

SMALL = os.environ.get("PSPO_LAB_BENCH_SIZE") == "small"
EXPERIMENTS, LOOKS, VISITORS, RATE = 1_000 if SMALL else 10_000, 20, 500, 0.1
REPEATS = 1 if SMALL else 7
TARGET = 3.0


def median_seconds(work) -> float:
    """Median wall time of ``REPEATS`` calls after one warm-up call."""
    work()
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Time the simulation and the floor and print the RESULT line."""
    floor = median_seconds(lambda: simulate_conversions(np.random.default_rng(0), EXPERIMENTS,
                                                        LOOKS, VISITORS, RATE))
    full = median_seconds(lambda: peeking_simulation(EXPERIMENTS, LOOKS, VISITORS, RATE,
                                                     seed=0))
    table = peeking_simulation(EXPERIMENTS, LOOKS, VISITORS, RATE, seed=0)
    print(f"{EXPERIMENTS} A/A experiments x {LOOKS} looks, median of {REPEATS} runs")
    print(f"floor (random numbers only): {floor * 1000:.1f} ms")
    print(f"peeking simulation:          {full * 1000:.1f} ms")
    print(f"false positives: look once {table['significant_at_this_look'].iloc[-1]:.1%}, "
          f"stop at first significant look {table['stopped_so_far'].iloc[-1]:.1%}")
    print(f"RESULT peeking ratio={full / floor:.2f} target<={TARGET:g}")


if __name__ == "__main__":
    main()
