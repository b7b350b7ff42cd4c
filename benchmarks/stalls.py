"""Stall rate of notebook runs on a loaded machine: plain papermill, nbval, ``pspo-lab run``.

A run *stalls* when it is still going at ``LIMIT`` seconds although the notebook normally
takes 12 to 40 s: its kernel finished, but the client waiting for the reply never woke up
(see ``pspo_lab.trainer.kernels``). The script runs notebook 03 ``RUNS`` times with each
of three clients, ``AT_ONCE`` runs at a time on this machine's cores, and kills every run
that passes the limit (with its kernel). Each figure is stalls divided by runs:

* ``stalls_plain_papermill``: ``python -m papermill``, papermill's own kernel client;
* ``stalls_nbval``: ``pytest --nbval-lax`` on the notebook, nbval's own client;
* ``stalls_pspo_lab_run``: ``pspo-lab run``, the steady client the README tells trainers to use.

The target of each is 0; the first two measure clients this project does not control.

Run: ``PYTHONPATH=. python benchmarks/stalls.py`` (about an hour for 100 runs of each;
``--runs N`` for fewer). With ``PSPO_LAB_BENCH_SIZE=small``: one run of notebook 00 each.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL = os.environ.get("PSPO_LAB_BENCH_SIZE") == "small"
NOTEBOOK = ROOT / "notebooks" / ("00_welcome.ipynb" if SMALL else
                                 "03_value_driven_development.ipynb")
RUNS = 1 if SMALL else 100
AT_ONCE = 1 if SMALL else 3
LIMIT = 240  # seconds: six times the slowest normal run of notebook 03 on a loaded machine


def commands(out: Path) -> dict[str, list[str]]:
    """The command line of each client, writing its executed copy into ``out``."""
    notebooks = str(NOTEBOOK.parent)
    return {
        "plain_papermill": [sys.executable, "-m", "papermill", str(NOTEBOOK),
                            str(out / "papermill.ipynb"), "--cwd", notebooks,
                            "--no-progress-bar"],
        "nbval": [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                  "-p", "no:xdist", "--nbval-lax", str(NOTEBOOK)],
        "pspo_lab_run": [sys.executable, "-m", "pspo_lab.trainer.cli", "run", str(NOTEBOOK),
                         str(out / "steady.ipynb")],
    }


def stalled(command: list[str]) -> bool:
    """Run ``command`` in a session of its own; kill it and its kernel past ``LIMIT``."""
    with tempfile.TemporaryDirectory(prefix="pspo-lab-stall-") as workspace:
        env = os.environ | {"PSPO_LAB_WORKSPACE": workspace, "MPLBACKEND": "Agg"}
        process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            process.wait(timeout=LIMIT)
            return False
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return True


def stall_rate(name: str, runs: int) -> float:
    """Stalls per run of client ``name`` over ``runs`` runs, ``AT_ONCE`` at a time."""
    with tempfile.TemporaryDirectory(prefix="pspo-lab-stalls-") as folder:
        outs = [Path(folder) / str(number) for number in range(runs)]
        for out in outs:
            out.mkdir()
        with ThreadPoolExecutor(AT_ONCE) as pool:
            results = list(pool.map(lambda out: stalled(commands(out)[name]), outs))
    return sum(results) / runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS, help="runs of each client")
    runs = parser.parse_args().runs
    rates = {name: stall_rate(name, runs) for name in commands(Path("."))}
    print(f"{runs} runs of {NOTEBOOK.name} per client, {AT_ONCE} at a time, "
          f"limit {LIMIT} s")
    for name, rate in rates.items():
        print(f"RESULT stalls_{name} ratio={rate:.2f} target<=0")


if __name__ == "__main__":
    main()
