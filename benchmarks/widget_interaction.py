"""Benchmark: moving a slider of the module 1 delivery explorer vs. a bare redraw.

The explorer is built with ``pspo_lab.widgets.explorers.explore``, the one slider-to-chart
pattern of the course. A slider change recomputes both deliveries (project and product) with
``pspo_lab.analysis.product.compare_delivery``, updates the chart's lines in place and renders
the figure to PNG into the explorer's output. The baseline renders the same figure
(``figure_png``) without any recomputation. Target: the interaction costs at most twice the
bare redraw.

Run: ``python benchmarks/widget_interaction.py``

With ``PSPO_LAB_BENCH_SIZE=small`` it does a few seconds of the same work (a smoke test:
the figures are then meaningless).
"""

from __future__ import annotations

import itertools
import os
import statistics
import time

import matplotlib

matplotlib.use("Agg")

from pspo_lab import load_dataset  # noqa: E402
from pspo_lab.widgets.explorers import delivery_explorer, figure_png  # noqa: E402

REPEATS = 2 if os.environ.get("PSPO_LAB_BENCH_SIZE") == "small" else 30
TARGET = 2.0


def interleaved_medians(actions: dict, repeats: int = REPEATS) -> dict[str, float]:
    """Median wall time of each action, run in turn so that machine load hits all alike."""
    for action in actions.values():
        action()  # warm-up
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeats):
        for name, action in actions.items():
            start = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    explorer = delivery_explorer(load_dataset("backlog"), sprints=12)
    figure = explorer.result
    values = itertools.cycle([0.0, 0.3, 0.6, 1.0])
    captures = itertools.cycle([25, 30, 35, 40])

    def interaction() -> None:
        explorer.controls["learning"].value = next(values)  # recompute, update, redraw

    def capacity_interaction() -> None:
        explorer.controls["capacity"].value = next(captures)

    medians = interleaved_medians({"bare": lambda: figure_png(figure), "learning": interaction,
                                   "capacity": capacity_interaction})
    bare, learning, capacity = medians["bare"], medians["learning"], medians["capacity"]
    print(f"bare redraw (PNG render of the same figure): {bare * 1000:.1f} ms (median of "
          f"{REPEATS}, interleaved)")
    print(f"learning slider change -> recompute -> redraw: {learning * 1000:.1f} ms")
    print(f"capacity slider change -> recompute -> redraw: {capacity * 1000:.1f} ms")
    ratio = max(learning, capacity) / bare
    print(f"RESULT widget_interaction ratio={ratio:.2f} target<={TARGET:g}")


if __name__ == "__main__":
    main()
