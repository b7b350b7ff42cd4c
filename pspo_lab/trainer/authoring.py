"""For course authors: execute a notebook and keep only its regression outputs.

``python -m pspo_lab.trainer.authoring notebooks/NN_topic.ipynb [...]``

* section labels, folding and the outcome box are written from the sections' minute
  budgets and ``syllabus.yaml`` (:func:`pspo_lab.content.section_plan.sync_notebook`);
* every code cell tagged ``nbval-check-output`` gets ``"keep_output": true`` (a cell still
  starting with the older ``# NBVAL_CHECK_OUTPUT`` comment loses the comment and gets the
  tag: learners read the tag nowhere, the comment in every such cell);
* the notebook is executed top to bottom (in a temporary workspace, nothing of yours is
  touched) so those cells get fresh outputs;
* nbstripout removes every other output and execution count; kept cells get an execution
  count, which nbval needs to compare them; saved widget state and execution timings are
  dropped (widgets are rebuilt when the notebook runs).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbstripout import strip_output

from pspo_lab.content.section_plan import sync_notebook
from pspo_lab.core.workspace import default_workspace_at
from pspo_lab.trainer.kernels import SteadyKernelManager

CHECK_TAG = "nbval-check-output"
"""Cell tag that makes nbval compare a cell's outputs (its regression cells)."""
LEGACY_MARK = "# NBVAL_CHECK_OUTPUT"


def mark_regression_cells(notebook: nbformat.NotebookNode) -> int:
    """Set ``keep_output`` on cells tagged ``nbval-check-output``; return how many.

    A code cell with the older ``# NBVAL_CHECK_OUTPUT`` comment line gets the tag instead of
    the comment.

    Parameters
    ----------
    notebook
        The notebook to mark; its code cells' metadata is changed in place.

    Returns
    -------
    int
        The number of regression cells.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_code_cell("print(1)", metadata={"tags": [CHECK_TAG]}),
    ...     nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\\nprint(2)"),
    ...     nbformat.v4.new_code_cell("x = 2")])
    >>> mark_regression_cells(nb)
    2
    >>> [c.metadata.get("keep_output", False) for c in nb.cells]
    [True, True, False]
    >>> nb.cells[1].source, nb.cells[1].metadata["tags"]
    ('print(2)', ['nbval-check-output'])
    """
    marked = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        lines = cell.source.splitlines()
        if any(line.strip() == LEGACY_MARK for line in lines):
            cell.source = "\n".join(line for line in lines if line.strip() != LEGACY_MARK)
            tags = cell.metadata.setdefault("tags", [])
            if CHECK_TAG not in tags:
                tags.append(CHECK_TAG)
        if CHECK_TAG in cell.metadata.get("tags", []):
            cell.metadata["keep_output"] = True
            marked += 1
    return marked


def strip_for_commit(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Strip outputs except in ``keep_output`` cells, which get consecutive execution counts.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_code_cell("print(1)", execution_count=3,
    ...         metadata={"tags": [CHECK_TAG]},
    ...         outputs=[nbformat.v4.new_output("stream", text="1\\n")]),
    ...     nbformat.v4.new_code_cell("2", execution_count=4,
    ...         outputs=[nbformat.v4.new_output("execute_result", data={"text/plain": "2"})])])
    >>> _ = mark_regression_cells(nb)
    >>> clean = strip_for_commit(nb)
    >>> [(c.execution_count, len(c.outputs)) for c in clean.cells]
    [(1, 1), (None, 0)]
    """
    clean = strip_output(notebook, keep_output=False, keep_count=False, keep_id=True,
                         extra_keys=["metadata.widgets", "cell.metadata.execution"])
    count = 0
    for cell in clean.cells:
        if cell.cell_type == "code" and cell.metadata.get("keep_output"):
            count += 1
            cell.execution_count = count
    return clean


def refresh(path: str | Path, timeout: int = 600) -> Path:
    """Execute ``path`` in place and keep only its regression outputs.

    The notebook runs with ``PSPO_LAB_WORKSPACE`` pointing at a fresh temporary folder, so
    the author's own workspace is never read or written; the variable is restored afterwards.

    Parameters
    ----------
    path
        The ``.ipynb`` file to execute and overwrite.
    timeout
        Seconds a single cell may run before execution fails.

    Returns
    -------
    Path
        ``path`` as a :class:`~pathlib.Path`.

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        If a cell raises; the file is then left unchanged.

    Examples
    --------
    Starting a kernel takes a few seconds, so this example is not run by the doctests:

    >>> refresh("notebooks/00_welcome.ipynb")  # doctest: +SKIP
    PosixPath('notebooks/00_welcome.ipynb')
    """
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    sync_notebook(notebook, path.stem)
    mark_regression_cells(notebook)
    with default_workspace_at(tempfile.mkdtemp(prefix="pspo-lab-authoring-")):
        NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                       kernel_manager_class=SteadyKernelManager,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    nbformat.write(strip_for_commit(notebook), path)
    return path


def main(argv: list[str] | None = None) -> int:
    """Refresh each notebook given on the command line (``--help`` says how).

    Parameters
    ----------
    argv
        The arguments; ``None`` reads them from ``sys.argv[1:]``.

    Returns
    -------
    int
        ``0`` when every notebook was refreshed, ``2`` when a named notebook does not exist
        (nothing is refreshed then); a notebook that fails to run raises.

    Examples
    --------
    >>> main(["no-such-notebook.ipynb"])
    2
    """
    parser = argparse.ArgumentParser(
        prog="python -m pspo_lab.trainer.authoring",
        description="Execute course notebooks in place and keep only their regression outputs "
                    "(cells tagged nbval-check-output); section labels and the outcome box "
                    "are rewritten from syllabus.yaml.")
    parser.add_argument("notebooks", nargs="+", type=Path, metavar="NOTEBOOK",
                        help="a .ipynb file to refresh")
    parser.add_argument("--timeout", type=int, default=600,
                        help="seconds a single cell may run (default: 600)")
    arguments = parser.parse_args(argv)
    missing = [str(p) for p in arguments.notebooks
               if not p.is_file() or p.suffix != ".ipynb"]
    if missing:
        print(f"authoring: not a notebook file: {', '.join(missing)} (expected an existing "
              ".ipynb file)", file=sys.stderr)
        return 2
    for path in arguments.notebooks:
        print(f"refreshed {refresh(path, timeout=arguments.timeout)}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
