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
these channels; the cohort runner, the test suite and the Binder rehearsal all use it.
"""

from __future__ import annotations

import time
from pathlib import Path
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.manager import AsyncKernelManager
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
    """A kernel manager whose clients are :class:`SteadyKernelClient`."""

    client_class = DottedObjectName("pspo_lab.trainer.kernels.SteadyKernelClient")
    client_factory = Type(SteadyKernelClient, klass=AsyncKernelClient)


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

    options = {"kernel_name": "python3", "progress_bar": False} | options
    return papermill.execute_notebook(str(source), str(target),
                                      kernel_manager_class=SteadyKernelManager, **options)
