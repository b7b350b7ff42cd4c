"""Execute notebooks headless without waiting forever for a reply that has already arrived.

papermill talks to the kernel through jupyter_client's asyncio channels. Such a channel waits
for a message by watching the socket's ZeroMQ file descriptor, which is edge-triggered: once
anything in the process has consumed the edge, a message that is already queued no longer
wakes the waiting poll. With no time limit (papermill's default, and nbclient's wait for
outputs) the run then hangs, although the kernel is idle and its reply sits in the client's
queue. We saw this under load, in about one notebook in thirty with three notebooks running
at once on two cores: a signal that merely made the client look at its sockets again let the
run finish at once.

The channels here never wait on the descriptor for longer than :data:`POLL_SLICE_SECONDS`;
each new slice starts with a direct look at the socket's queue, so a missed wake-up costs at
most one slice instead of the whole run. :func:`execute_notebook` is papermill's function with
these channels; the cohort runner, ``pspo-lab run``, the test suite and the Binder rehearsal
all use it. It also keeps the error of a cell that failed without showing one (papermill
would report only ``CellExecutionError``), and :func:`error_summary` turns any failure into
the one line a trainer reads.
"""

from __future__ import annotations

import contextlib
import re
import time
import weakref
from pathlib import Path
from queue import Empty
from typing import Any

import nbformat
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.manager import AsyncKernelManager
from papermill.engines import NBClientEngine, papermill_engines
from papermill.exceptions import PapermillExecutionError
from traitlets import DottedObjectName, Type

POLL_SLICE_SECONDS = 0.5
"""Longest wait on a socket's file descriptor before the queue is checked directly."""


class SlicedPollChannel(AsyncZMQSocketChannel):
    """An asyncio kernel channel whose waits are cut into :data:`POLL_SLICE_SECONDS` slices."""

    async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:
        """Return the next message; raise :class:`queue.Empty` after ``timeout`` seconds.

        ``timeout=None`` waits as long as it takes, one slice at a time.
        """
        assert self.socket is not None
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            remaining = POLL_SLICE_SECONDS if deadline is None else deadline - time.monotonic()
            wait = max(0.0, min(POLL_SLICE_SECONDS, remaining))
            if await self.socket.poll(int(wait * 1000)):
                return await self._recv()
            if deadline is not None and time.monotonic() >= deadline:
                raise Empty


class SteadyKernelClient(AsyncKernelClient):
    """jupyter_client's asyncio client with :class:`SlicedPollChannel` request channels."""

    shell_channel_class = Type(SlicedPollChannel)
    iopub_channel_class = Type(SlicedPollChannel)
    stdin_channel_class = Type(SlicedPollChannel)
    control_channel_class = Type(SlicedPollChannel)


class SteadyKernelManager(AsyncKernelManager):
    """A kernel manager whose clients are :class:`SteadyKernelClient`.

    Every manager is remembered (weakly) so :func:`kill_kernels` can end its kernel at once.
    """

    client_class = DottedObjectName("pspo_lab.trainer.kernels.SteadyKernelClient")
    client_factory = Type(SteadyKernelClient, klass=AsyncKernelClient)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        _MANAGERS.add(self)


_MANAGERS: weakref.WeakSet[SteadyKernelManager] = weakref.WeakSet()


def kill_kernels() -> int:
    """Kill every kernel this process started through :class:`SteadyKernelManager`.

    For a process that must stop now (interrupted, or its parent is gone): no shutdown
    handshake, which could wait on a busy kernel.

    Returns
    -------
    int
        How many running kernels were killed.

    Examples
    --------
    >>> kill_kernels()
    0
    """
    killed = 0
    for manager in list(_MANAGERS):
        process = getattr(manager.provisioner, "process", None)
        if process is not None and process.poll() is None:
            with contextlib.suppress(OSError):
                process.kill()
                killed += 1
    return killed


ENGINE_NAME = "pspo-lab"
"""The papermill engine :func:`execute_notebook` registers and uses."""


class ErrorKeepingEngine(NBClientEngine):
    """papermill's engine, noting in the failed cell's metadata the error nbclient raised."""

    @classmethod
    def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, **kwargs: Any) -> Any:
        """Run the notebook; a failed cell gets ``metadata.papermill.error``: ``ename: evalue``
        (the last line of the value)."""
        mark_failed = nb_man.cell_exception

        def cell_exception(cell: Any, cell_index: int | None = None, **details: Any) -> None:
            error = details.get("exception")
            if error is not None:
                ename, evalue = getattr(error, "ename", ""), getattr(error, "evalue", "")
                cell.metadata.papermill["error"] = (f"{ename}: {last_line(evalue)}" if ename
                                                    else last_line(str(error)))
            mark_failed(cell, cell_index=cell_index, **details)

        nb_man.cell_exception = cell_exception
        return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)


papermill_engines.register(ENGINE_NAME, ErrorKeepingEngine)


def last_line(text: str) -> str:
    """The last non-blank line of ``text`` without terminal colour codes.

    Examples
    --------
    >>> last_line("Traceback ...\\n\\x1b[0;31mValueError\\x1b[0m: no items\\n\\n")
    'ValueError: no items'
    """
    lines = [line for line in re.sub(r"\x1b\[[0-9;]*m", "", text).splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def error_summary(error: BaseException) -> str:
    """One line saying why a notebook run failed, with the cell number when a cell raised.

    Examples
    --------
    >>> error_summary(PapermillExecutionError(3, 4, "f()", "ValueError", "no items", []))
    'cell 4: ValueError: no items'
    >>> error_summary(FileNotFoundError("nowhere.ipynb"))
    'FileNotFoundError: nowhere.ipynb'
    """
    if isinstance(error, PapermillExecutionError):
        reason = f"{error.ename}: {error.evalue}" if error.evalue else error.ename
        return f"cell {error.exec_count}: {reason.splitlines()[0]}"
    detail = f"{type(error).__name__}: {error}"
    return detail.splitlines()[0]


def _with_kept_error(error: PapermillExecutionError, target: str | Path
                     ) -> PapermillExecutionError:
    """``error`` with the ename and evalue the engine noted when papermill had none."""
    try:
        executed = nbformat.read(str(target), as_version=4)
    except Exception:  # noqa: BLE001 - an unreadable output: keep papermill's error
        return error
    for cell in executed.cells:
        noted = cell.metadata.get("papermill", {}).get("error")
        if noted and cell.get("execution_count") == error.exec_count:
            ename, _, evalue = noted.partition(": ")
            return PapermillExecutionError(error.cell_index, error.exec_count, error.source,
                                           ename, evalue, error.traceback)
    return error


def execute_notebook(source: str | Path, target: str | Path, **options: Any) -> Any:
    """Run ``source`` with papermill into ``target`` using :class:`SteadyKernelManager`.

    Parameters
    ----------
    source, target
        The notebook to run and where papermill writes the executed copy.
    **options
        Passed to :func:`papermill.execute_notebook` (``parameters``, ``cwd``,
        ``execution_timeout``, ...). The kernel defaults to ``python3`` and the progress
        bar is off unless ``options`` say otherwise.

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook, as papermill returns it.

    Examples
    --------
    >>> from pspo_lab.trainer.kernels import execute_notebook
    >>> execute_notebook("notebooks/00_welcome.ipynb", "/tmp/00.ipynb",
    ...                  cwd="notebooks", parameters={"seed": 7})  # doctest: +SKIP
    """
    import papermill

    options = {"kernel_name": "python3", "progress_bar": False,
               "engine_name": ENGINE_NAME} | options
    try:
        return papermill.execute_notebook(str(source), str(target),
                                          kernel_manager_class=SteadyKernelManager, **options)
    except PapermillExecutionError as error:
        if error.ename != "CellExecutionError" or error.evalue:
            raise
        raise _with_kept_error(error, target) from None
