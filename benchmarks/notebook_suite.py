"""How much of a notebook run is the notebook's own work, and how much is kernel start-up?

Measures, in one run and for every notebook in ``notebooks/``:

(a) the floor: start a fresh kernel, import the course's libraries (every ``pspo_lab``
    module and what they need), shut it down;
(b) executing the notebook with papermill (default parameters, temporary workspace, the
    output written once at the end).

Prints both per notebook, the totals, and the ratio (b)/(a). Target: ratio <= 1.5, i.e. the
notebooks' own work is small next to kernel start-up.

    python benchmarks/notebook_suite.py [--repeat N]

With ``PSPO_LAB_BENCH_SIZE=small`` only the first notebook is measured (a smoke test).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import start_new_kernel

from pspo_lab.trainer.kernels import execute_notebook

ROOT = Path(__file__).resolve().parent.parent
IMPORTS = ("import importlib, pkgutil, matplotlib.pyplot, numpy, pandas, ipywidgets, pspo_lab\n"
           "for module in pkgutil.iter_modules(pspo_lab.__path__):\n"
           "    importlib.import_module(f'pspo_lab.{module.name}')")
TARGET = 1.5


def floor_seconds(cwd: Path) -> float:
    """Start a kernel in ``cwd``, import the course libraries, shut down; wall seconds."""
    started = time.perf_counter()
    manager, client = start_new_kernel(kernel_name="python3", cwd=str(cwd))
    try:
        reply = client.execute_interactive(IMPORTS, timeout=120)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"imports failed: {reply['content']}")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return time.perf_counter() - started


def notebook_seconds(path: Path, out_dir: Path) -> float:
    """Execute one notebook with papermill; wall seconds."""
    started = time.perf_counter()
    execute_notebook(path, out_dir / path.name, cwd=str(path.parent),
                     request_save_on_cell_execute=False,
                     parameters={"workspace": str(out_dir / "workspace")})
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per notebook (median)")
    args = parser.parse_args()
    os.environ.setdefault("MPLBACKEND", "Agg")
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if os.environ.get("PSPO_LAB_BENCH_SIZE") == "small":
        notebooks = notebooks[:1]
    floor_total = run_total = 0.0
    print(f"{'notebook':40} {'floor s':>8} {'run s':>8} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as out:
        for path in notebooks:
            floor = statistics.median(floor_seconds(path.parent) for _ in range(args.repeat))
            run = statistics.median(notebook_seconds(path, Path(out))
                                    for _ in range(args.repeat))
            floor_total += floor
            run_total += run
            print(f"{path.stem:40} {floor:8.2f} {run:8.2f} {run / floor:6.2f}")
    print(f"{'total':40} {floor_total:8.2f} {run_total:8.2f}")
    print(f"RESULT notebook_suite ratio={run_total / floor_total:.2f} target<={TARGET}")


if __name__ == "__main__":
    main()
