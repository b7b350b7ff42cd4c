"""Run one notebook by hand, the steady way: ``pspo-lab run NOTEBOOK OUT -p name value``.

papermill's options, with the kernel channels of :mod:`pspo_lab.trainer.kernels` (a run
never waits forever for a reply that already arrived), ``-p`` values checked against the
notebook's ``parameters`` cell, one-line errors, and an output written atomically.

Examples
--------
>>> notebook_parameters(Path("notebooks") / "00_welcome.ipynb", [("seed", "7")])
{'seed': 7}
"""

from __future__ import annotations

import ast
import contextlib
import os
import tempfile
import uuid
from pathlib import Path
from typing import Any

from pspo_lab.core.errors import ParameterError
from pspo_lab.trainer.kernels import error_summary, execute_notebook
from pspo_lab.trainer.runner import keep_partial_notebook


def parameter_value(text: str) -> Any:
    """A ``-p`` value as papermill reads it: ``True``, ``False``, ``None``, a number or text.

    Examples
    --------
    >>> [parameter_value(t) for t in ["7", "0.5", "True", "None", "apac-evening"]]
    [7, 0.5, True, None, 'apac-evening']
    """
    named = {"True": True, "False": False, "None": None}
    if text in named:
        return named[text]
    for kind in (int, float):
        with contextlib.suppress(ValueError):
            return kind(text)
    return text


_KIND_NAMES = {bool: "True or False", int: "a whole number", float: "a number"}


def _fits(value: Any, default: Any) -> bool:
    """Whether ``value`` is of the kind of the notebook's ``default`` (numbers, booleans)."""
    kind = type(default)
    if kind not in _KIND_NAMES:
        return True
    if kind is bool or isinstance(value, bool):
        return kind is bool and isinstance(value, bool)
    return isinstance(value, int) if kind is int else isinstance(value, int | float)


def notebook_parameters(source: Path, pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """The ``-p name value`` pairs for ``source``, checked against its ``parameters`` cell.

    Raises
    ------
    ParameterError
        A name the notebook does not define, or a value of another kind than the default
        (e.g. text where the notebook's default is a whole number).

    Examples
    --------
    >>> welcome = Path("notebooks") / "00_welcome.ipynb"
    >>> notebook_parameters(welcome, [("seed", "7"), ("cohort", "apac-evening")])
    {'seed': 7, 'cohort': 'apac-evening'}
    >>> notebook_parameters(welcome, [("speed", "7")])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.ParameterError: -p speed: 00_welcome.ipynb has no parameter 'speed' (expected ...
    """
    import papermill

    accepted = papermill.inspect_notebook(str(source))
    values = {}
    for name, text in pairs:
        if name not in accepted:
            raise ParameterError(f"-p {name}: {source.name} has no parameter {name!r} "
                                 f"(expected one of {', '.join(accepted) or 'none'})")
        value = parameter_value(text)
        try:
            default = ast.literal_eval(accepted[name]["default"])
        except (ValueError, SyntaxError):  # an expression: any value will do
            default = None
        if not _fits(value, default):
            raise ParameterError(f"-p {name}: {text!r} is not usable (expected "
                                 f"{_KIND_NAMES[type(default)]}, like the default {default!r})")
        values[name] = value
    return values


class NotebookFailed(Exception):
    """A notebook run by :func:`run_notebook` raised; the message is one line."""


def run_notebook(source: str | Path, out: str | Path, parameters: dict[str, Any],
                 cwd: str | Path | None = None, timeout: int | None = None) -> Path:
    """Execute one notebook into ``out`` the steady way (what ``pspo-lab run`` does).

    Parameters
    ----------
    source
        The notebook to run.
    out
        The executed notebook to write (atomically); missing folders are created.
    parameters
        Values for the notebook's ``parameters`` cell (see :func:`notebook_parameters`).
    cwd
        Folder the kernel starts in (default: the notebook's folder).
    timeout
        Longest time one cell may run, in seconds (``None``: no limit).

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    ParameterError
        If ``source`` is not a notebook file.
    NotebookFailed
        When a cell raised: ``out`` then holds the notebook up to the error, if readable.

    Examples
    --------
    >>> run_notebook("nowhere.ipynb", "out.ipynb", {})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.ParameterError: nowhere.ipynb: notebook not found (expected an .ipynb file)
    """
    from traitlets.config import Config

    source, out = Path(source), Path(out)
    if not source.is_file():
        raise ParameterError(f"{source}: notebook not found (expected an .ipynb file)")
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.parent / f".{out.name}.{uuid.uuid4().hex}.tmp.ipynb"
    try:
        with tempfile.TemporaryDirectory(prefix="pspo-lab-kernel-") as sockets:
            try:
                execute_notebook(source, temporary, parameters=parameters,
                                 cwd=str(cwd or source.parent), execution_timeout=timeout,
                                 config=Config({"KernelManager": {
                                     "transport": "ipc", "ip": str(Path(sockets) / "kernel")}}))
            except Exception as error:  # noqa: BLE001 - said in one line, output kept
                with contextlib.suppress(FileNotFoundError):
                    out.unlink()
                detail = keep_partial_notebook(temporary, out, error_summary(error))
                kept = f"; the notebook up to the error is in {out}" if out.is_file() else ""
                raise NotebookFailed(f"{source.name} failed: {detail}{kept}") from None
        os.replace(temporary, out)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    return out
