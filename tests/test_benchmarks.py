"""Every benchmark script still runs and ends with well-formed RESULT lines.

The scripts run at their small size (``PSPO_LAB_BENCH_SIZE=small``): a few seconds each, the
long ones (``notebook_suite``, ``cohort_run``) on one or two notebooks. Ratios are not
asserted here (speed is measured by the scripts at full size, not by tests); this only
catches a script that no longer runs.
"""

import os
import re
import subprocess
import sys

import pytest
from repo_paths import REPO_ROOT

SCRIPTS = sorted(path.stem for path in (REPO_ROOT / "benchmarks").glob("*.py"))
#: Benchmarks that start a trial JupyterHub run in the hub lane, after its install.
HUB_SCRIPTS = {"class_hub"}
RESULT = re.compile(r"^RESULT (\w+) ratio=(\d+\.\d\d) target(<=|>=)(\d+(\.\d+)?)$")


def test_every_benchmark_is_found():
    assert {"assessment", "class_collect", "cohort_run", "notebook_suite"} | HUB_SCRIPTS <= set(
        SCRIPTS)


@pytest.mark.slow
@pytest.mark.parametrize("name", [
    pytest.param(name, marks=[pytest.mark.hub] if name in HUB_SCRIPTS else []) for name in SCRIPTS])
def test_benchmark_runs_at_small_size_and_reports(name, tmp_path):
    env = os.environ | {"PYTHONPATH": str(REPO_ROOT), "MPLBACKEND": "Agg",
                        "PSPO_LAB_BENCH_SIZE": "small"}
    done = subprocess.run([sys.executable, str(REPO_ROOT / "benchmarks" / f"{name}.py")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    results = [line for line in lines if line.startswith("RESULT ")]
    assert results and lines[-len(results):] == results, "RESULT lines come last"
    assert all(RESULT.match(line) for line in results), results
