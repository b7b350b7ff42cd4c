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
  the outputs of the cells tagged ``nbval-check-output``.
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

from pspo_lab.content.section_plan import LABEL_LINE
from pspo_lab.core.workspace import Workspace
from pspo_lab.trainer.kernels import execute_notebook

NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ALTERNATE = {"cohort": "apac-evening", "seed": 7}
SKELETON = ["## Overview", "## Prerequisites", "**Time to learn**", "## Setup", "## Summary",
            "## What's next"]
MAX_CODE_LINES = 15
#: Case-study data computed with a fixed seed instead of the run's: ``load_dataset("x")``
#: without ``seed=``, or ``seed=42`` outside the parameters cell.
FIXED_SEED = re.compile(r"\bload_dataset\(\s*\"\w+\"\s*\)|\bseed\s*=\s*\d+")
#: Numbers as the notebooks print them (1,234 · 12.5 · 85%) and case-study ids (EXP-04).
QUOTABLE = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?%?"
                      r"|(?<![\w.,])\d+(?:\.\d+)?%?(?!\w)|\b[A-Z]{2,}-\d+\b")
#: Whole numbers up to this one are ignored: too common to tell a quote from a coincidence.
LARGEST_COMMON = 12
_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SPELLED = re.compile(
    rf"\b(?:({'|'.join(_TENS)})(?:-({'|'.join(_UNITS)}))?|({'|'.join(_TEENS)}))\b", re.IGNORECASE)


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
        assert "NBVAL" not in cell.source, (
            f"cell {number}: nbval markers belong in the cell's tags (nbval-check-output), "
            "not in the code learners read")
        if "nbval-check-output" in cell.metadata.get("tags", []):
            assert keep and cell.outputs and cell.execution_count, (
                f"cell {number}: regression cell without kept output; run "
                "python -m pspo_lab.trainer.authoring on the notebook")
        assert code_lines(cell.source) <= MAX_CODE_LINES, (
            f"cell {number} has {code_lines(cell.source)} lines of code: move logic into pspo_lab")


def test_code_computes_case_study_numbers_with_the_runs_seed():
    for path in NOTEBOOKS:
        for number, cell in enumerate(read(path).cells):
            if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
                fixed = FIXED_SEED.findall(cell.source)
                assert not fixed, (f"{path.name} cell {number}: {fixed} shows the default seed's "
                                   "numbers in every run; pass seed=seed")


def prose(notebook: nbformat.NotebookNode) -> str:
    """The Markdown of ``notebook`` a learner reads as text, without what is no quote of a run.

    Headings (their section numbers), the section labels written from each section's plan
    ("*Core · 20 min · ...*") and the generated outcome cell (syllabus durations) are left out:
    their numbers come from the course plan, not from a run.
    """
    return "\n".join(
        line for cell in notebook.cells
        if cell.cell_type == "markdown"
        and cell.metadata.get("pspo_lab", {}).get("generated") != "outcome"
        for line in cell.source.splitlines()
        if not line.lstrip().startswith("#") and not LABEL_LINE.match(line.strip()))


def quotable(text: str) -> set[str]:
    """The numbers and ids in ``text`` that could be quoted from a run, as the run prints them.

    Numbers spelled out from thirteen to ninety-nine ("eighty") count as their digits.
    """
    words = {str(13 + _TEENS.index(teen.lower())) if teen else
             str(20 + 10 * _TENS.index(tens.lower()) + (_UNITS.index(unit.lower()) + 1 if unit
                                                         else 0))
             for tens, unit, teen in SPELLED.findall(text)}
    return {token for token in set(QUOTABLE.findall(text)) | words
            if not (token.isdigit() and int(token) <= LARGEST_COMMON)}


def run_dependent_quotes(markdown: str, default_output: str, alternate_output: str) -> list[str]:
    """Numbers in ``markdown`` that the default run shows and the alternate run does not."""
    return sorted(quotable(markdown) & (quotable(default_output) - quotable(alternate_output)))


def test_run_dependent_quotes_are_found():
    default, alternate = "value earned 25,870; 80 items; EXP-04; 12 Sprints", "21,718; 78; 12"
    assert run_dependent_quotes("It learns eighty items (25,870 points) in 12 Sprints.",
                                default, alternate) == ["25,870", "80"]
    assert run_dependent_quotes("EXP-04 is broken; see the value printed above.",
                                default, alternate) == ["EXP-04"]
    assert run_dependent_quotes("The value printed above, after 12 Sprints.",
                                default, alternate) == []


def test_prose_leaves_out_what_the_course_plan_writes():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("> Outcome (120 min)",
                                      metadata={"pspo_lab": {"generated": "outcome"}}),
        nbformat.v4.new_markdown_cell("## 1. Cynefin\n\n*Core · 20 min · serves aim 1: judge*\n\n"
                                      "We saw 25 items.")])
    assert quotable(prose(notebook)) == {"25"}


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
    default_run = notebook_runs.default(path)  # shared with the wheel test
    defaults = ran_cleanly(default_run)
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
    alternate_run = ExecutedNotebook(output, alternate_ws.root)
    alternate = ran_cleanly(alternate_run)
    after = workspace_snapshot(alternate_ws.root)
    assert {k: after.get(k) for k in before} == before, "re-running must not overwrite saved work"

    # A result that does not exist in one run (the score of an exam left running) is not
    # recorded there; the values both runs record must still show the parameters' effect.
    shared = set(defaults) & set(alternate)
    assert shared, "both runs record some of the same values"
    changed = [k for k in sorted(shared) if defaults[k] != alternate[k]]
    assert changed, "no recorded value changed with the cohort and seed parameters"

    quotes = run_dependent_quotes(prose(read(path)), default_run.text, alternate_run.text)
    assert not quotes, (f"the text quotes {quotes} from the default run, which the alternate "
                        "run does not show: print such numbers from the run")


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
