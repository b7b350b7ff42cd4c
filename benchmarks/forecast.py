"""Benchmark: 10,000-trial Monte Carlo forecasts against the floor of drawing the samples.

Run: ``python benchmarks/forecast.py``. Uses the case-study data (throughput of the 90 days
ending the case study's today). For "when" (N items) the floor is drawing, with numpy, as
many throughput samples as a full (days x trials) matrix up to the longest simulated future
needs; for "how many" (by a date) it is drawing trials x horizon samples. A plain per-trial
Python loop is timed for contrast. Target: each forecast within 3x its floor.

With ``PSPO_LAB_BENCH_SIZE=small`` it does a few seconds of the same work (a smoke test:
the figures are then meaningless).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pspo_lab.analysis.forecast import (  # noqa: E402
    TRIALS,
    days_needed,
    monte_carlo_how_many,
    monte_carlo_when,
    throughput_samples,
)
from pspo_lab.analysis.importers import load_flow_data  # noqa: E402

REMAINING = 40
HORIZON = 42
SMALL = os.environ.get("PSPO_LAB_BENCH_SIZE") == "small"
REPEATS = 1 if SMALL else 15
LOOP_TRIALS = 200 if SMALL else TRIALS  # the slow per-trial loop, scaled up to TRIALS


def median_seconds(function, repeats: int = REPEATS) -> float:
    """Median wall time of ``function()`` over ``repeats`` runs (after one warm-up)."""
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def python_loop_when(samples: np.ndarray, remaining: int, trials: int, seed: int) -> int:
    """Straightforward per-trial loop: draw a day at a time until the target is reached."""
    rng = np.random.default_rng(seed)
    values = samples.tolist()
    needed = []
    for _ in range(trials):
        total = days = 0
        while total < remaining:
            total += values[int(rng.integers(len(values)))]
            days += 1
        needed.append(days)
    needed.sort()
    return needed[(85 * trials + 99) // 100 - 1]


def main() -> None:
    data = load_flow_data(seed=42)
    samples = throughput_samples(data.throughput, data.today)
    longest = int(days_needed(samples, REMAINING, seed=1).max())
    rng = np.random.default_rng(1)

    when = median_seconds(lambda: monte_carlo_when(samples, REMAINING, seed=1))
    when_floor = median_seconds(
        lambda: samples[rng.integers(0, samples.size, size=(longest, TRIALS))])
    many = median_seconds(lambda: monte_carlo_how_many(samples, HORIZON, seed=1))
    many_floor = median_seconds(
        lambda: samples[rng.integers(0, samples.size, size=(HORIZON, TRIALS))])
    loop = median_seconds(lambda: python_loop_when(samples, REMAINING, LOOP_TRIALS, 1),
                          repeats=1 if SMALL else 3) * TRIALS / LOOP_TRIALS

    print(f"case study: {int((samples > 0).sum())} busy days of {samples.size}, "
          f"mean {samples.mean():.2f} items/day; {TRIALS} trials; machine may be shared")
    print(f"when {REMAINING} items: {when * 1e3:.1f} ms (floor {when_floor * 1e3:.1f} ms for "
          f"{longest} x {TRIALS} samples); 85%: {monte_carlo_when(samples, REMAINING, seed=1)[85]}"
          " days")
    print(f"how many in {HORIZON} days: {many * 1e3:.1f} ms (floor {many_floor * 1e3:.1f} ms)")
    print(f"per-trial Python loop (when): {loop * 1e3:.0f} ms, {loop / when:.0f}x the vectorised "
          "forecast")
    print(f"contrast: per-trial Python loop ratio={loop / when_floor:.2f} x the floor "
          "(no target)")
    print(f"RESULT forecast_when ratio={when / when_floor:.2f} target<=3")
    print(f"RESULT forecast_how_many ratio={many / many_floor:.2f} target<=3")


if __name__ == "__main__":
    main()
