"""Speed-up of ``pspo-lab cohort run --jobs 2`` over ``--jobs 1``, and peak memory.

Runs a four-notebook cohort (the welcome notebook under the names of modules 00-03, so
the figure does not depend on which modules exist yet) with one and with two parallel
kernels, alternating, and reports the median wall time of each and the peak resident
memory of the whole process tree (runner, workers, kernels), sampled every 50 ms.

Run: ``PYTHONPATH=. python benchmarks/cohort_run.py``. On a shared machine the figures are
noisy: other processes compete for the same two cores.
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

from pspo_lab.runner import run_cohort  # noqa: E402
from pspo_lab.syllabus import load_syllabus  # noqa: E402

REPEATS = 3
TIMEOUT = 60  # seconds per cell; a reply the client misses shows up as a wait this long
COHORT = """id: bench
title: Benchmark cohort
start_date: 2026-05-04
timezone: UTC
sessions:
  - {start: "2026-05-04T09:00:00", end: "2026-05-04T15:00:00", syllabus_ids: [1, 2, 3]}
parameters: {seed: 11}
"""


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


def prepare(folder: Path) -> Path:
    notebooks = folder / "notebooks"
    notebooks.mkdir()
    welcome = ROOT / "notebooks" / "00_welcome.ipynb"
    shutil.copy(welcome, notebooks / welcome.name)
    for part in load_syllabus().parts[:3]:
        shutil.copy(welcome, notebooks / f"{part.notebook}.ipynb")
    cohort = folder / "bench.yaml"
    cohort.write_text(COHORT)
    return cohort


def measure(cohort: Path, jobs: int, out: Path) -> tuple[float, int, int]:
    shutil.rmtree(out, ignore_errors=True)
    with PeakMemory() as memory:
        started = time.perf_counter()
        outcomes = run_cohort(cohort, out, jobs=jobs, notebooks_dir=cohort.parent / "notebooks",
                              progress=False, timeout=TIMEOUT)
        seconds = time.perf_counter() - started
    assert [o.status for o in outcomes] == ["ok"] * 4, outcomes
    return seconds, memory.peak, sum(o.seconds >= TIMEOUT for o in outcomes)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="pspo-lab-bench-") as tmp:
        cohort = prepare(Path(tmp))
        times: dict[int, list[float]] = {1: [], 2: []}
        peaks: dict[int, list[int]] = {1: [], 2: []}
        stalls = 0
        for _ in range(REPEATS):
            for jobs in (1, 2):
                seconds, peak, stalled = measure(cohort, jobs, Path(tmp) / "out")
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
