"""Worker processes that end with their run: Ctrl-C, a kill of the parent, or a stop.

:func:`run_in_workers` calls a function in separate processes, a few at a time. Each worker
gets an empty scratch folder of its own, removed when it ends. Workers never see Ctrl-C
themselves: the run stops them (``SIGTERM``), and they then kill the kernels they started
(:func:`pspo_lab.trainer.kernels.kill_kernels`) and unwind through every ``finally`` block,
so temporary files go at once. A worker whose parent is gone, even killed with ``SIGKILL``,
stops in the same way within a second.

Examples
--------
>>> run_in_workers(print, [], jobs=2, done=print)
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pspo_lab.trainer.kernels import kill_kernels

PARENT_CHECK_SECONDS = 0.25
"""How often a worker checks that the process which started it is still there."""


class _Stopped(BaseException):
    """Raised in a worker told to stop: unwinds past ``except Exception``, runs ``finally``."""


def _stop_now(signum: int, frame: object) -> None:
    kill_kernels()
    raise _Stopped


def _watch_parent(parent: int) -> None:
    """Stop this worker when the process that started it is gone (e.g. killed)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(10)  # the clean stop takes well under a second; never outlive the run anyway
    kill_kernels()
    os._exit(1)


def _worker(task: Callable[..., Any], arguments: tuple, scratch: Path,
            results: multiprocessing.connection.Connection) -> None:
    """Body of a worker process: call ``task`` and send back what it returns."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent
    if hasattr(signal, "pthread_sigmask"):  # POSIX; elsewhere the block never happened
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    signal.signal(signal.SIGTERM, _stop_now)
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    try:
        results.send(task(*arguments, scratch))
    except _Stopped:
        pass
    finally:
        os._exit(0)  # no interpreter shutdown: nothing can wait on a kernel socket


@contextlib.contextmanager
def _ctrl_c_held_back() -> Iterator[None]:
    """Block Ctrl-C while a worker starts: the worker inherits the block and never sees it;
    this process receives a Ctrl-C pressed meanwhile as soon as the block ends."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@dataclass
class _Running:
    index: int
    process: Any
    results: multiprocessing.connection.Connection
    scratch: Path


def _stop_workers(running: list[_Running], grace: float = 20.0) -> None:
    """Stop workers now (they kill their kernels and clean up), killing any that linger."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C: no traceback
    try:
        for worker in running:
            with contextlib.suppress(OSError):
                worker.process.terminate()
        deadline = time.monotonic() + grace
        for worker in running:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            shutil.rmtree(worker.scratch, ignore_errors=True)
    finally:
        signal.signal(signal.SIGINT, previous)


def run_in_workers(task: Callable[..., Any], calls: list[tuple], jobs: int,
                   done: Callable[[int, Any], None]) -> None:
    """Call ``task(*arguments, scratch)`` for each tuple of ``calls`` in worker processes.

    Parameters
    ----------
    task
        A module-level function (workers import it); its last argument is the worker's
        empty scratch folder.
    calls
        The arguments of each call.
    jobs
        How many workers run at once.
    done
        Called in this process as ``done(index_in_calls, result)`` when a call ends;
        ``result`` is ``None`` when the worker ended without sending one.

    Raises
    ------
    KeyboardInterrupt
        After every running worker has stopped and its scratch folder is gone.
    """
    context = multiprocessing.get_context("spawn")
    waiting, running = list(enumerate(calls)), {}
    try:
        while waiting or running:
            while waiting and len(running) < jobs:
                index, arguments = waiting.pop(0)
                results, sender = context.Pipe(duplex=False)
                scratch = Path(tempfile.mkdtemp(prefix="pspo-lab-kernel-"))
                process = context.Process(target=_worker,
                                          args=(task, arguments, scratch, sender))
                with _ctrl_c_held_back():
                    process.start()
                sender.close()
                running[results] = _Running(index, process, results, scratch)
            for ready in multiprocessing.connection.wait(list(running)):
                worker = running.pop(ready)
                try:
                    result = worker.results.recv()
                except EOFError:
                    result = None
                worker.process.join()
                worker.results.close()
                shutil.rmtree(worker.scratch, ignore_errors=True)
                done(worker.index, result)
    except BaseException:
        _stop_workers(list(running.values()))
        raise
