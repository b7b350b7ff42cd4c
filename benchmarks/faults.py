"""Fault counts: learner saves under kill -9, readers beside writers, a full disk, a killed run.

Each figure is a count divided by the number of trials (or reader loops), so the target of
each is 0:

* ``missing_records``: saving processes killed with ``kill -9`` at random moments (200)
  after which the record was missing; ``stray_temporary_files``: temporary files visible
  beside the records, or left after the workspace is opened again;
* ``reader_errors`` and ``false_missing``: per loop of a reader (``load``, ``records``,
  ``history``, ``export``) running beside two writers over 1,000 saves;
* ``full_disk_changes``: imports into a nearly full disk (a 200 kB tmpfs when this runs as
  root, else writes failing with ``ENOSPC`` half-way) that changed the workspace;
* ``orphans_after_10s``: processes of a ``pspo-lab cohort run`` (workers, kernels) still
  running 10 s after the command was killed with ``SIGKILL`` (3 runs).

Run: ``PYTHONPATH=. python benchmarks/faults.py`` (about five minutes). With
``PSPO_LAB_BENCH_SIZE=small``: 10 kills, 100 saves, 2 imports and one killed run.
"""

from __future__ import annotations

import contextlib
import errno
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import nbformat
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHONPATH", str(ROOT))

sys.path.insert(0, str(ROOT / "tests"))
from fault_trials import killed_saves  # noqa: E402

from pspo_lab.content.packaged import data_file  # noqa: E402
from pspo_lab.core.errors import DataError  # noqa: E402
from pspo_lab.core.workspace import Workspace  # noqa: E402

SMALL = os.environ.get("PSPO_LAB_BENCH_SIZE") == "small"
KILLS = 10 if SMALL else 200
SAVES_PER_WRITER = 50 if SMALL else 500
IMPORTS = 2 if SMALL else 20
KILLED_RUNS = 1 if SMALL else 3
FIXTURE_NOTEBOOKS = ROOT / "tests" / "fixtures" / "cohort_notebooks"


def _save_shared(root: Path, writer: int) -> None:
    workspace = Workspace(root)
    for number in range(SAVES_PER_WRITER):
        workspace.save("shared", "record", {"writer": writer, "n": number})


def reader_beside_writers(folder: Path) -> tuple[int, int, int]:
    """Read while two processes save; return loops, errors and false 'missing' answers."""
    Workspace(folder).save("shared", "record", {"writer": 0, "n": 0})
    stop, counts = threading.Event(), {"loops": 0, "errors": 0, "missing": 0}

    def read() -> None:
        workspace = Workspace(folder)
        while not stop.is_set():
            counts["loops"] += 1
            try:
                counts["missing"] += workspace.load("shared", "record") is None
                counts["missing"] += not any(r.name == "record" for r in workspace.records())
                workspace.history("shared", "record")
                workspace.export(folder.parent / "export.json")
            except Exception:  # noqa: BLE001 - every error counts
                counts["errors"] += 1

    reader = threading.Thread(target=read)
    reader.start()
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_save_shared, args=(folder, w)) for w in (1, 2)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    stop.set()
    reader.join()
    return counts["loops"], counts["errors"], counts["missing"]


@contextlib.contextmanager
def nearly_full_disk(folder: Path) -> Iterator[None]:
    """A 200 kB tmpfs at ``folder`` (root only), else writes that fail with ENOSPC."""
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(folder)],
                             capture_output=True, check=False).returncode == 0
    real_fsync = os.fsync
    if not mounted:
        calls = iter(range(10**9))

        def fsync(descriptor: int) -> None:
            if next(calls) % 20 >= 8:
                raise OSError(errno.ENOSPC, "No space left on device")
            real_fsync(descriptor)

        os.fsync = fsync
    try:
        yield
    finally:
        os.fsync = real_fsync
        if mounted:
            subprocess.run(["umount", str(folder)], check=True)


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != ".lock"}


def full_disk_imports(folder: Path) -> int:
    """Import 15 records into a nearly full disk ``IMPORTS`` times; count changed states."""
    source = Workspace(folder / "source")
    for number in range(15):
        source.save("cards", f"exp-{number:02d}", {"n": number, "notes": "x" * 6000})
    bundle = source.export(folder / "bundle.json")
    disk = folder / "disk"
    disk.mkdir()
    changed = 0
    with nearly_full_disk(disk):
        workspace = Workspace(disk / "ws")
        workspace.save("cards", "exp-03", {"notes": "mine"})
        (disk / "filler").write_bytes(b"\0" * 120_000)
        before = _files(disk / "ws")
        for _ in range(IMPORTS):
            with contextlib.suppress(DataError):
                workspace.import_(bundle)
            changed += _files(disk / "ws") != before
    return changed


def marked(mark: str) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter():
        with contextlib.suppress(psutil.Error):
            if process.environ().get("PSPO_LAB_FAULT_MARK") == mark:
                found.append(process)
    return found


def long_cell_running(target: Path) -> bool:
    for path in target.glob(".03_*.tmp.ipynb"):
        with contextlib.suppress(OSError, ValueError):
            notebook = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
            if any(c.metadata.get("papermill", {}).get("status") == "running"
                   and "time.sleep(120)" in c.source for c in notebook.cells):
                return True
    return False


def killed_run_orphans(folder: Path) -> int:
    """SIGKILL a cohort run inside a long cell; count its processes left after 10 s."""
    mark = uuid.uuid4().hex
    env = os.environ | {"PSPO_LAB_FAULT_MARK": mark}
    out = folder / f"out-{mark}"
    command = [sys.executable, "-m", "pspo_lab.trainer.cli", "cohort", "run",
               str(data_file("cohorts", "apac-evening.yaml")), "--out", str(out),
               "--only", "3", "--notebooks", str(FIXTURE_NOTEBOOKS), "--no-progress"]
    run = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while not long_cell_running(out / "apac-evening") and time.monotonic() < deadline:
        time.sleep(0.2)
    run.send_signal(signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 10
    while marked(mark) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = marked(mark)
    for process in left:
        with contextlib.suppress(psutil.Error):
            process.kill()
    return len(left)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        missing, stray = killed_saves(folder / "kills", KILLS)
        loops, errors, false_missing = reader_beside_writers(folder / "readers" / "ws")
        changed = full_disk_imports(folder / "full")
        orphans = sum(killed_run_orphans(folder) for _ in range(KILLED_RUNS))
    print(f"{KILLS} kill -9 during saves: {missing} records missing, {stray} stray files")
    print(f"reader beside two writers, {2 * SAVES_PER_WRITER} saves: {loops} loops, "
          f"{errors} errors, {false_missing} false 'missing'")
    print(f"{IMPORTS} imports into a full disk: {changed} changed the workspace")
    print(f"{KILLED_RUNS} killed cohort runs: {orphans} processes left after 10 s")
    print(f"RESULT missing_records ratio={missing / KILLS:.2f} target<=0")
    print(f"RESULT stray_temporary_files ratio={stray / KILLS:.2f} target<=0")
    print(f"RESULT reader_errors ratio={errors / max(loops, 1):.2f} target<=0")
    print(f"RESULT false_missing ratio={false_missing / max(loops, 1):.2f} target<=0")
    print(f"RESULT full_disk_changes ratio={changed / IMPORTS:.2f} target<=0")
    print(f"RESULT orphans_after_10s ratio={orphans / KILLED_RUNS:.2f} target<=0")


if __name__ == "__main__":
    main()
