"""Modules 4 and 6 run top to bottom on a learner's own backlog file, not only on FreshCrate's.

The sample file (``datasets/imports/learner_backlog.csv``) has its own activities, an extra
column and no ``true_value``, RICE or CD3 columns: every section either works with it or says
in its output which column or file it needs; no cell fails and no error is shown.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from repo_paths import REPO_ROOT

from pspo_lab.trainer.kernels import execute_notebook

LEARNER_FILE = REPO_ROOT / "datasets" / "imports" / "learner_backlog.csv"


def run(name: str, tmp_path: Path, backlog: Path = LEARNER_FILE) -> str:
    """Execute a notebook on a learner backlog file; return all its text output."""
    path = REPO_ROOT / "notebooks" / name
    output = tmp_path / name
    execute_notebook(path, output, cwd=str(path.parent), execution_timeout=180,
                     request_save_on_cell_execute=False,
                     parameters={"backlog_csv": str(backlog),
                                 "workspace": str(tmp_path / "ws")})
    outputs = [o for c in nbformat.read(output, as_version=4).cells for o in c.get("outputs", [])]
    errors = [o for o in outputs if o.get("output_type") == "error"]
    assert not errors, f"{name}: {errors[0]['ename']}: {errors[0]['evalue']}"
    text = "\n".join(o.get("text", "") + o.get("data", {}).get("text/plain", "")
                     for o in outputs)
    assert "DataError" not in text and "ParameterError" not in text, text
    return text


@pytest.mark.slow
def test_module_6_workbench_on_a_learner_backlog(tmp_path):
    text = run("06_product_backlog.ipynb", tmp_path)
    assert "32 Product Backlog items" in text
    assert "WSJF = (" in text and "RICE =" not in text  # only the scores the file allows
    assert "Spearman" in text  # WSJF and value per effort can be compared
    assert "The Thirty-Five simulation needs the column(s) 'true_value'" in text
    assert "Showing what each item says needs the column(s) 'description'" in text
    assert "Comparing estimated and delivered value needs the column(s) 'true_value'" in text
    assert "points to look at again" in text  # the refinement exercise works on any file
    assert "Arrivals and departures need the history of finished work items" in text
    assert "Keep 30 of 32 items" in text


@pytest.mark.slow
def test_module_4_plan_health_on_a_learner_backlog(tmp_path):
    text = run("04_empiricism.ipynb", tmp_path)
    assert "Median age of open items" in text
    assert "set work_items_csv" in text


@pytest.mark.slow
def test_a_backlog_smaller_than_the_defaults_still_runs(tmp_path):
    small = tmp_path / "small.csv"
    small.write_text("".join(LEARNER_FILE.read_text(encoding="utf-8").splitlines(True)[:9]),
                     encoding="utf-8")
    text = run("06_product_backlog.ipynb", tmp_path, backlog=small)
    assert "Your backlog has 8 items: top and keep are set to 8." in text
