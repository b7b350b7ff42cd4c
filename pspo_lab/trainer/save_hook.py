"""Jupyter server save hook: the course's notebooks are saved without the learner's outputs.

JupyterLab autosaves every couple of minutes. Without this hook the learner's outputs land in
the tracked files of ``notebooks/``, and the next ``git pull`` (or nbgitpuller update)
conflicts with them. The hook strips outputs on save exactly as the authors commit them:
only regression cells (``"keep_output": true``) keep theirs; widget state is dropped. The
code and text the learner wrote are saved as they are; notebooks outside ``notebooks/`` (the
learner's own copies) are saved untouched.

Wired in ``jupyter_server_config.py`` at the repository root, which ``./run lab`` and Binder
use::

    c.FileContentsManager.pre_save_hook = "pspo_lab.trainer.save_hook.strip_outputs_on_save"

>>> model = {"type": "notebook", "content": nbformat.v4.new_notebook(cells=[
...     nbformat.v4.new_code_cell("1 + 1", execution_count=1,
...         outputs=[nbformat.v4.new_output("execute_result", data={"text/plain": "2"})])])}
>>> strip_outputs_on_save(model, "notebooks/01_product_vs_project.ipynb")
>>> model["content"]["cells"][0]["outputs"], model["content"]["cells"][0]["source"]
([], '1 + 1')
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

import nbformat

from pspo_lab.trainer.authoring import strip_for_commit

COURSE_FOLDER = "notebooks"
"""Folder (relative to the server's root) whose notebooks are tracked by git."""


def is_course_notebook(path: str) -> bool:
    """Whether ``path`` (as the server names it) is one of the tracked course notebooks.

    Examples
    --------
    >>> is_course_notebook("notebooks/04_empiricism.ipynb")
    True
    >>> is_course_notebook("my-copies/04_empiricism.ipynb")
    False
    """
    parts = PurePosixPath(path.strip("/")).parts
    return len(parts) == 2 and parts[0] == COURSE_FOLDER and parts[1].endswith(".ipynb")


def strip_outputs_on_save(model: dict[str, Any], path: str, **_: Any) -> None:
    """Jupyter ``pre_save_hook``: strip a course notebook's outputs before it is written.

    Parameters
    ----------
    model
        The contents model being saved; its ``content`` is changed in place.
    path
        The file's path relative to the server's root.
    """
    if model.get("type") != "notebook" or not is_course_notebook(path):
        return
    content = model.get("content")
    if not content:
        return
    notebook = nbformat.from_dict(content)
    model["content"] = strip_for_commit(notebook)
