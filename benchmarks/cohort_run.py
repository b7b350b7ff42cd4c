"""Speed-up of ``pspo-lab cohort run --jobs 2`` over ``--jobs 1``, and peak memory.

Runs what a trainer runs: the example cohort ``pspo_lab/content/data/cohorts/apac-evening.yaml``,
whose sessions cover every module, so all notebooks of the course execute with the cohort's
parameters and get their hand-outs. One and two parallel kernels alternate; the script
reports the median wall time of each and the peak resident memory of the whole process tree
(runner, workers, kernels), sampled every 50 ms.

Run: ``PYTHONPATH=. python benchmarks/cohort_run.py`` (about four minutes). On a shared
machine the figures are noisy: other processes compete for the same two cores. With
``PSPO_LAB_BENCH_SIZE=small`` one run each, of notebook 0 only (a smoke test).
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHONPATH", str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")

from pspo_lab.content.packaged import data_file  # noqa: E402
from pspo_lab.trainer.runner import run_cohort  # noqa: E402

SMALL = os.environ.get("PSPO_LAB_BENCH_SIZE") == "small"
REPEATS = 1 if SMALL else 3
ONLY = "0" if SMALL else None  # notebooks of the cohort to run
TIMEOUT = 120  # seconds per cell: a notebook that waits this long counts as stalled
COHORT = data_file("cohorts", "apac-evening.yaml")


class PeakMemory:
    """Samples the resident memory of this process and all its descendants."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total)
            time.sleep(0.05)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def measure(cohort: Path, jobs: int, out: Path) -> tuple[float, int, int]:
    shutil.rmtree(out, ignore_errors=True)
    with PeakMemory() as memory:
        started = time.perf_counter()
        outcomes = run_cohort(cohort, out, jobs=jobs, only=ONLY, progress=False,
                              timeout=TIMEOUT, notebooks_dir=ROOT / "notebooks")
        seconds = time.perf_counter() - started
    # A kernel that stops answering fails its notebook at the cell time limit: count those,
    # any other failure is a broken benchmark.
    stalled = [o for o in outcomes if o.status == "failed" and "Timeout" in o.detail]
    assert outcomes and all(o.status == "ok" for o in outcomes if o not in stalled), outcomes
    return seconds, memory.peak, len(stalled)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="pspo-lab-bench-") as tmp:
        times: dict[int, list[float]] = {1: [], 2: []}
        peaks: dict[int, list[int]] = {1: [], 2: []}
        stalls = 0
        for _ in range(REPEATS):
            for jobs in (1, 2):
                seconds, peak, stalled = measure(COHORT, jobs, Path(tmp) / "out")
                times[jobs].append(seconds)
                peaks[jobs].append(peak)
                stalls += stalled
    cores = os.cpu_count()
    load = os.getloadavg()[0]
    for jobs in (1, 2):
        print(f"jobs={jobs}: median {statistics.median(times[jobs]):.1f} s over {REPEATS} runs "
              f"{[round(t, 1) for t in times[jobs]]}, peak memory "
              f"{max(peaks[jobs]) / 2**20:.0f} MiB")
    print(f"{cores} cores, load average {load:.1f} (a shared machine makes this noisy); "
          f"{stalls} notebook run(s) stalled until the {TIMEOUT} s cell timeout")
    ratio = statistics.median(times[1]) / statistics.median(times[2])
    print(f"RESULT cohort_speedup ratio={ratio:.2f} target>=1.6")


if __name__ == "__main__":
    main()
