"""The pspo-lab command line and the authoring helper."""

import nbformat
import pytest

from pspo_lab.trainer.authoring import main as authoring_main
from pspo_lab.trainer.authoring import mark_regression_cells, strip_for_commit
from pspo_lab.trainer.cli import main


def test_datasets_write_and_dictionary(tmp_path, capsys):
    assert main(["datasets", "write", "--seed", "3", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "work_items.csv").read_text().startswith("id,title,type,backlog")
    assert main(["datasets", "dictionary"]) == 0
    assert "### `backlog.csv`" in capsys.readouterr().out


def test_authoring_keeps_only_regression_outputs():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x = 1", execution_count=1,
                                  outputs=[nbformat.v4.new_output("stream", text="noise")]),
        nbformat.v4.new_code_cell("print(x)", execution_count=2,
                                  metadata={"tags": ["nbval-check-output"]},
                                  outputs=[nbformat.v4.new_output("stream", text="1\n")]),
    ])
    nb.metadata["widgets"] = {"state": {}}
    nb.cells[0].metadata["execution"] = {"iopub.status.busy": "2025-01-01T00:00:00Z"}
    assert mark_regression_cells(nb) == 1
    clean = strip_for_commit(nb)
    assert clean.cells[0].outputs == [] and clean.cells[0].execution_count is None
    assert clean.cells[1].outputs[0].text == "1\n" and clean.cells[1].execution_count == 1
    assert "widgets" not in clean.metadata and "execution" not in clean.cells[0].metadata


def test_authoring_help_explains_itself_and_a_wrong_name_is_one_line(capsys):
    with pytest.raises(SystemExit) as leaving:
        authoring_main(["--help"])
    assert leaving.value.code == 0
    assert "regression outputs" in capsys.readouterr().out
    assert authoring_main(["missing.ipynb"]) == 2
    assert capsys.readouterr().err.strip() == (
        "authoring: not a notebook file: missing.ipynb (expected an existing .ipynb file)")
