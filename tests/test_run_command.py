"""``pspo-lab run NOTEBOOK OUT -p name value``: one notebook by hand, the steady way."""

from __future__ import annotations

import nbformat
import pytest
from repo_paths import REPO_ROOT

from pspo_lab.trainer.cli import main
from pspo_lab.trainer.single_run import parameter_value

FIXTURES_DIR = REPO_ROOT / "tests" / "fixtures" / "cohort_notebooks"


@pytest.mark.parametrize(("text", "value"), [
    ("7", 7), ("-2", -2), ("0.5", 0.5), ("True", True), ("False", False), ("None", None),
    ("apac-evening", "apac-evening"), ("true", "true")])
def test_values_are_read_like_papermill_reads_them(text, value):
    assert parameter_value(text) == value and type(parameter_value(text)) is type(value)


@pytest.mark.parametrize(("arguments", "expected"), [
    (["nowhere.ipynb"], "pspo-lab: nowhere.ipynb: notebook not found (expected an .ipynb file)"),
    ([f"{FIXTURES_DIR}/01_product_vs_project.ipynb", "-p", "speed", "3"],
     "pspo-lab: -p speed: 01_product_vs_project.ipynb has no parameter 'speed' (expected one "
     "of cohort, seed, workspace, items_csv)"),
    ([f"{FIXTURES_DIR}/01_product_vs_project.ipynb", "-p", "seed", "seven"],
     "pspo-lab: -p seed: 'seven' is not usable (expected a whole number, like the default 42)"),
], ids=["missing-notebook", "unknown-parameter", "wrong-kind"])
def test_a_bad_run_says_why_in_one_line_and_writes_nothing(tmp_path, capsys, arguments,
                                                          expected):
    out = tmp_path / "out.ipynb"
    assert main(["run", arguments[0], str(out), *arguments[1:]]) == 2
    assert capsys.readouterr().err.splitlines() == [expected]
    assert not out.exists()


@pytest.mark.slow
def test_run_executes_with_parameters_into_out(tmp_path, capsys):
    items = tmp_path / "items.csv"
    items.write_text("id,title\n1,a\n2,b\n")
    out = tmp_path / "runs" / "01.ipynb"
    status = main(["run", f"{FIXTURES_DIR}/01_product_vs_project.ipynb", str(out),
                   "-p", "seed", "8", "-p", "items_csv", str(items), "--timeout", "120"])
    assert status == 0, capsys.readouterr().err
    assert capsys.readouterr().out.strip() == str(out)
    executed = nbformat.read(out, as_version=4)
    assert executed.metadata.papermill.parameters == {"seed": 8, "items_csv": str(items)}
    printed = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
    assert "| seed 8 | 2 rows" in printed
    assert [p.name for p in out.parent.iterdir()] == ["01.ipynb"], "no temporary file left"


@pytest.mark.slow
def test_a_failing_notebook_is_one_line_and_kept_up_to_the_error(tmp_path, capsys):
    out = tmp_path / "02.ipynb"
    assert main(["run", f"{FIXTURES_DIR}/02_strategy_and_vision.ipynb", str(out)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "pspo-lab: 02_strategy_and_vision.ipynb failed: cell 2: ValueError: this fixture fails "
        f"on purpose; the notebook up to the error is in {out}"]
    nbformat.read(out, as_version=4)
