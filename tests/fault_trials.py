"""Fault trials shared by the tests (small counts) and ``benchmarks/faults.py`` (full counts)."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

from pspo_lab.core.workspace import Workspace


def _save_until_killed(root: Path) -> None:
    workspace, number = Workspace(root), 0
    while True:
        number += 1
        workspace.save("product", "definition", {"n": number})


def killed_saves(folder: Path, kills: int) -> tuple[int, int]:
    """Kill a saving process ``kills`` times at varying moments.

    Returns the number of trials after which the record was missing, and the number of
    temporary files found beside the records or left in the staging folder.
    """
    workspace = Workspace(folder)
    workspace.save("product", "definition", {"n": 0})
    context = multiprocessing.get_context("fork")
    missing = stray = 0
    for trial in range(kills):
        before = len(workspace.history("product", "definition"))
        saver = context.Process(target=_save_until_killed, args=(folder,))
        saver.start()
        deadline = time.monotonic() + 120
        while (len(workspace.history("product", "definition")) < before + 1 + trial % 4
               and time.monotonic() < deadline):
            time.sleep(0.001)
        saver.kill()
        saver.join(timeout=120)
        missing += Workspace(folder).load("product", "definition") is None
        stray += sum(1 for p in (folder / "product").rglob("*")
                     if p.suffix != ".json" and p.name != ".history")
        stray += sum(1 for _ in (folder / ".staging").glob("*"))
    return missing, stray
