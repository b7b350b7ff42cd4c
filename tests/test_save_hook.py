"""Autosave in JupyterLab keeps learners' outputs out of the tracked course notebooks."""

from __future__ import annotations

import nbformat
import pytest
from repo_paths import REPO_ROOT
from traitlets.config.loader import PyFileConfigLoader

from pspo_lab.trainer.save_hook import strip_outputs_on_save


def notebook_with_outputs() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "x = 41\nx + 1",
                execution_count=7,
                outputs=[
                    nbformat.v4.new_output(
                        "execute_result", data={"text/plain": "42"}, execution_count=7
                    )
                ],
            ),
            nbformat.v4.new_code_cell(
                "print('regression')",
                execution_count=8,
                metadata={"tags": ["nbval-check-output"], "keep_output": True},
                outputs=[nbformat.v4.new_output("stream", text="regression\n")],
            ),
            nbformat.v4.new_markdown_cell("My own note"),
        ]
    )
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    return nb


@pytest.fixture
def contents_manager(tmp_path):
    """The server's file manager configured by the repository's jupyter_server_config.py."""
    from jupyter_server.services.contents.filemanager import FileContentsManager

    config = PyFileConfigLoader("jupyter_server_config.py", path=str(REPO_ROOT)).load_config()
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "my-copies").mkdir()
    return FileContentsManager(root_dir=str(tmp_path), config=config)


def test_saving_a_course_notebook_keeps_only_regression_outputs(contents_manager, tmp_path):
    model = {"type": "notebook", "format": "json", "content": notebook_with_outputs()}
    contents_manager.save(model, "notebooks/04_empiricism.ipynb")
    saved = nbformat.read(tmp_path / "notebooks" / "04_empiricism.ipynb", as_version=4)
    code, regression, note = saved.cells
    assert code["outputs"] == [] and code["execution_count"] is None
    assert code["source"] == "x = 41\nx + 1", "the learner's code is saved as written"
    assert regression["outputs"][0]["text"] == "regression\n"
    assert note["source"] == "My own note"
    assert "widgets" not in saved["metadata"]


def test_a_notebook_outside_the_course_folder_is_saved_with_its_outputs(contents_manager, tmp_path):
    model = {"type": "notebook", "format": "json", "content": notebook_with_outputs()}
    contents_manager.save(model, "my-copies/04_empiricism.ipynb")
    saved = nbformat.read(tmp_path / "my-copies" / "04_empiricism.ipynb", as_version=4)
    assert saved.cells[0]["outputs"][0]["data"]["text/plain"] == "42"


def test_other_files_pass_through_untouched():
    model = {"type": "file", "format": "text", "content": "notes"}
    strip_outputs_on_save(model, "notebooks/notes.txt")
    assert model["content"] == "notes"


def test_run_lab_and_binder_use_the_server_config():
    assert '--config="$PWD/jupyter_server_config.py"' in (REPO_ROOT / "run").read_text()
    post_build = (REPO_ROOT / "binder" / "postBuild").read_text()
    assert 'cp jupyter_server_config.py "$HOME/.jupyter/jupyter_server_config.py"' in post_build
