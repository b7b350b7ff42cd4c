"""The notebook regression harness.

Every ``notebooks/NN_topic.ipynb`` is picked up automatically and checked three ways:

* structure: kernelspec, one ``parameters`` cell with ``cohort`` and ``seed``, the course
  skeleton, thin code cells, and no committed outputs outside ``keep_output`` cells;
* execution with papermill, once with its default parameters and once with an alternate set
  (another cohort and seed, plus any ``pspo_lab.alternate_parameters`` in the notebook's
  metadata); values the notebook records with ``pspo_lab.widgets.notebook.record`` are read
  back and must change with the parameters; work saved in the workspace beforehand must be
  untouched. The default-parameter execution is the run's shared one (``notebook_runs`` in
  ``tests/conftest.py``: the wheel test's, when that test runs too);
* ``pytest --nbval-lax`` (collected from ``notebooks/`` by the same test command) compares
  the outputs of the cells marked ``# NBVAL_CHECK_OUTPUT``.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat
import papermill
import pytest
from notebook_runs import CELL_TIMEOUT, ExecutedNotebook
from repo_paths import REPO_ROOT

from pspo_lab.core.workspace import Workspace
from pspo_lab.trainer.kernels import execute_notebook

NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ALTERNATE = {"cohort": "apac-evening", "seed": 7}
SKELETON = ["## Overview", "## Prerequisites", "**Time to learn**", "## Setup", "## Summary",
            "## What's next"]
MAX_CODE_LINES = 15


def ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def parameters_cell(notebook: nbformat.NotebookNode) -> list:
    return [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]


def code_lines(source: str) -> int:
    return sum(1 for line in source.splitlines()
               if line.strip() and not line.strip().startswith("#"))


def test_notebooks_are_found():
    assert [p.name for p in NOTEBOOKS][:1] == ["00_welcome.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_structure(path):
    notebook = read(path)
    assert notebook.metadata.get("kernelspec", {}).get("name") == "python3", "kernelspec"
    assert "widgets" not in notebook.metadata, "saved widget state: run pspo_lab.trainer.authoring"
    cells = parameters_cell(notebook)
    assert len(cells) == 1, "exactly one cell tagged 'parameters'"
    names = {t.id for node in ast.walk(ast.parse(cells[0].source))
             if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)}
    assert {"cohort", "seed", "workspace"} <= names, f"parameters cell defines {names}"
    assert set(papermill.inspect_notebook(str(path))) == names, "papermill reads every parameter"
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    for heading in SKELETON:
        assert heading in markdown, f"skeleton section {heading!r} missing"
    for number, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        keep = cell.metadata.get("keep_output", False)
        assert "execution" not in cell.metadata, f"cell {number} has execution timings"
        assert not cell.get("outputs") or keep, f"cell {number} has committed outputs"
        if "# NBVAL_CHECK_OUTPUT" in cell.source:
            assert keep and cell.outputs and cell.execution_count, (
                f"cell {number}: regression cell without kept output; run "
                "python -m pspo_lab.trainer.authoring on the notebook")
        assert code_lines(cell.source) <= MAX_CODE_LINES, (
            f"cell {number} has {code_lines(cell.source)} lines of code: move logic into pspo_lab")


def workspace_snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.json"))}


def ran_cleanly(run) -> dict:
    """The values an executed notebook recorded, after checking it shows no error."""
    errors = run.errors
    assert not errors, f"{run.output.name}: {errors[0]['ename']}: {errors[0]['evalue']}"
    return run.scraps


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_runs_headless_with_default_and_alternate_parameters(path, tmp_path, notebook_runs):
    metadata = read(path).metadata.get("pspo_lab", {})
    defaults = ran_cleanly(notebook_runs.default(path))  # shared with the wheel test
    assert defaults, "the notebook records at least one key result with record()"

    alternate_ws = Workspace(tmp_path / "ws-alternate")
    prefill = metadata.get("alternate_workspace")
    if prefill:
        alternate_ws.import_(REPO_ROOT / prefill)
    alternate_ws.save("learner", "untouched", {"note": "saved before the run"})
    before = workspace_snapshot(alternate_ws.root)
    output = tmp_path / "alternate" / path.name
    output.parent.mkdir()
    execute_notebook(path, output, cwd=str(path.parent), request_save_on_cell_execute=False,
                     execution_timeout=CELL_TIMEOUT, parameters=ALTERNATE | metadata.get(
                         "alternate_parameters", {}) | {"workspace": str(alternate_ws.root)})
    alternate = ran_cleanly(ExecutedNotebook(output, alternate_ws.root))
    after = workspace_snapshot(alternate_ws.root)
    assert {k: after.get(k) for k in before} == before, "re-running must not overwrite saved work"

    # A result that does not exist in one run (the score of an exam left running) is not
    # recorded there; the values both runs record must still show the parameters' effect.
    shared = set(defaults) & set(alternate)
    assert shared, "both runs record some of the same values"
    changed = [k for k in sorted(shared) if defaults[k] != alternate[k]]
    assert changed, "no recorded value changed with the cohort and seed parameters"


def test_record_names_are_plain():
    for path in NOTEBOOKS:
        for cell in read(path).cells:
            for name in re.findall(r"record\(\"([^\"]+)\"", cell.source):
                assert re.fullmatch(r"[a-z0-9_]+", name), f"{path.name}: record name {name!r}"


def test_committed_notebooks_are_nbstripout_clean():
    for path in NOTEBOOKS:
        raw = json.loads(path.read_text(encoding="utf-8"))
        for cell in raw["cells"]:
            if cell["cell_type"] == "code" and not cell["metadata"].get("keep_output"):
                assert cell.get("execution_count") is None, f"{path.name}: execution count"
