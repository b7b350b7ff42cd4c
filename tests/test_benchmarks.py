"""The quick benchmark scripts still run and end with well-formed RESULT lines.

Ratios are not asserted here (speed is measured by the scripts, not by tests); this only
catches a script that no longer runs. The two long ones (``notebook_suite``, ``cohort_run``)
execute every notebook, which the notebook tests already do.
"""

import os
import re
import subprocess
import sys

import pytest
from repo_paths import REPO_ROOT

QUICK = ["assessment", "forecast", "peeking", "sensitivity", "widget_interaction"]
RESULT = re.compile(r"^RESULT (\w+) ratio=(\d+\.\d\d) target(<=|>=)(\d+(\.\d+)?)$")


@pytest.mark.slow
@pytest.mark.parametrize("name", QUICK)
def test_quick_benchmark_runs_and_reports(name):
    env = os.environ | {"PYTHONPATH": str(REPO_ROOT), "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, str(REPO_ROOT / "benchmarks" / f"{name}.py")],
                          cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    results = [line for line in lines if line.startswith("RESULT ")]
    assert results and lines[-len(results):] == results, "RESULT lines come last"
    assert all(RESULT.match(line) for line in results), results
