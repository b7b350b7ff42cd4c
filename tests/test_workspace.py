"""The learner workspace: atomic, versioned, portable, and safe with several kernels."""

import errno
import json
import multiprocessing
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from fault_trials import killed_saves

from pspo_lab import DataError
from pspo_lab.core.workspace import Workspace, write_atomic


def test_save_load_and_envelope(tmp_path):
    ws = Workspace(tmp_path)
    record = ws.save("canvas", "lean", {"problem": "no time to plan meals"})
    assert record.schema_version == 1 and record.saved_at.tzinfo is not None
    stored = json.loads((tmp_path / "canvas" / "lean.json").read_text())
    assert stored["data"] == {"problem": "no time to plan meals"}
    assert ws.load("canvas", "lean") == {"problem": "no time to plan meals"}
    assert ws.load("canvas", "other", default={"x": 1}) == {"x": 1}


def test_saving_again_keeps_the_previous_version(tmp_path):
    ws = Workspace(tmp_path)
    ws.save("vision", "statement", {"text": "first"})
    ws.save("vision", "statement", {"text": "second"})
    ws.save("vision", "statement", {"text": "third"})
    assert ws.load("vision", "statement") == {"text": "third"}
    assert [r.data["text"] for r in ws.history("vision", "statement")] == ["first", "second"]


def test_unsafe_names_and_non_json_data_write_nothing(tmp_path):
    ws = Workspace(tmp_path)
    with pytest.raises(DataError, match="workspace name '../escape' is not usable"):
        ws.save("canvas", "../escape", {})
    with pytest.raises(DataError, match="cannot be saved as JSON; nothing was written|"
                       "cannot be saved as JSON .*nothing was written"):
        ws.save("canvas", "lean", {"when": object()})
    assert not (tmp_path / "canvas").exists()


def test_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "note.json"
    write_atomic(target, "old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["note.json"], "no temporary file is left"


def test_corrupt_record_is_reported_not_overwritten(tmp_path):
    ws = Workspace(tmp_path)
    path = tmp_path / "canvas" / "lean.json"
    path.parent.mkdir()
    path.write_text("{not json")
    with pytest.raises(DataError, match="lean.json.*the file was left as it is"):
        ws.load("canvas", "lean")
    assert path.read_text() == "{not json"


def test_export_import_round_trip(tmp_path):
    home = Workspace(tmp_path / "home")
    home.save("canvas", "lean", {"problem": "p"})
    home.save("cards", "exp-1", {"hypothesis": "h"})
    bundle = home.export(tmp_path / "my-work.json")
    binder = Workspace(tmp_path / "binder")
    binder.save("canvas", "lean", {"problem": "older"})
    imported = binder.import_(bundle)
    assert len(imported) == 2
    assert binder.load("cards", "exp-1") == {"hypothesis": "h"}
    assert binder.load("canvas", "lean") == {"problem": "p"}
    assert binder.history("canvas", "lean")[0].data == {"problem": "older"}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("not json at all", "not a JSON file"),
        (json.dumps({"format": "someone-else", "records": []}), "not a pspo-lab workspace export"),
        (json.dumps({"format": "pspo-lab-workspace", "format_version": 1,
                     "exported_at": "2025-01-01T00:00:00Z",
                     "records": [{"schema_version": 1, "kind": "canvas", "name": "ok",
                                  "saved_at": "2025-01-01T00:00:00Z", "data": {}},
                                 {"schema_version": 1, "kind": "canvas", "name": "../x",
                                  "saved_at": "2025-01-01T00:00:00Z", "data": {}}]}),
         "field 'records.1.name'"),
        (json.dumps({"format": "pspo-lab-workspace", "format_version": 99,
                     "exported_at": "2025-01-01T00:00:00Z", "records": []}),
         "field 'format_version'"),
    ],
    ids=["not-json", "foreign", "bad-record", "future-version"],
)
def test_bad_import_changes_nothing(tmp_path, content, expected):
    ws = Workspace(tmp_path / "ws")
    ws.save("canvas", "lean", {"problem": "mine"})
    before = sorted(p.read_bytes() for p in (tmp_path / "ws").rglob("*.json"))
    path = tmp_path / "import.json"
    path.write_text(content)
    with pytest.raises(DataError, match=expected) as caught:
        ws.import_(path)
    assert "nothing was imported" in str(caught.value)
    assert sorted(p.read_bytes() for p in (tmp_path / "ws").rglob("*.json")) == before


def _save_many(root: str, writer: int, count: int) -> None:
    ws = Workspace(root)
    for i in range(count):
        ws.save("attempts", "shared", {"writer": writer, "i": i})
        ws.save("attempts", f"writer-{writer}-{i}", {"i": i})


def test_two_kernels_saving_at_once_lose_nothing(tmp_path):
    count = 40
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_save_many, args=(str(tmp_path), w, count))
               for w in (1, 2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    ws = Workspace(tmp_path)
    versions = [*ws.history("attempts", "shared"), ws.record("attempts", "shared")]
    assert len(versions) == 2 * count, "every save of the shared record is kept"
    seen = {(v.data["writer"], v.data["i"]) for v in versions}
    assert seen == {(w, i) for w in (1, 2) for i in range(count)}
    assert len(ws.records("attempts")) == 1 + 2 * count


WITHOUT_FCNTL = textwrap.dedent("""
    import sys
    sys.modules["fcntl"] = None  # as on Windows: ``import fcntl`` raises ImportError
    import threading

    import pspo_lab
    from pspo_lab.core.workspace import Workspace

    root, count = sys.argv[1], 25

    def save_many(writer):
        for i in range(count):
            Workspace(root).save("attempts", "shared", {"writer": writer, "i": i})

    threads = [threading.Thread(target=save_many, args=(w,)) for w in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ws = Workspace(root)
    versions = [*ws.history("attempts", "shared"), ws.record("attempts", "shared")]
    print(pspo_lab.__name__, len(versions), len({(v.data["writer"], v.data["i"])
                                                 for v in versions}))
""")


def test_workspace_works_without_fcntl_as_on_windows(tmp_path):
    repo = Path(__file__).resolve().parents[1]
    environment = {**os.environ, "PYTHONPATH": str(repo)}
    done = subprocess.run([sys.executable, "-c", WITHOUT_FCNTL, str(tmp_path)], env=environment,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["pspo_lab", "50", "50"], "every save is kept in history"


def _disk_full_after(monkeypatch, writes: int) -> None:
    """Make every write into the workspace after the first ``writes`` fail as on a full disk."""
    real_fsync, calls = os.fsync, iter(range(10**6))

    def fsync(descriptor):
        if next(calls) >= writes:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != ".lock"}


def test_a_save_on_a_full_disk_keeps_the_current_record_and_says_so(tmp_path, monkeypatch):
    ws = Workspace(tmp_path)
    ws.save("product", "definition", {"users": "home cooks"})
    before = _snapshot(tmp_path)
    _disk_full_after(monkeypatch, writes=1)
    with pytest.raises(DataError) as caught:
        ws.save("product", "definition", {"users": "busy parents"})
    message = str(caught.value)
    assert "\n" not in message
    assert "product/definition" in message and "No space left on device" in message
    assert message.endswith("nothing was changed")
    assert _snapshot(tmp_path) == before
    assert ws.load("product", "definition") == {"users": "home cooks"}


def test_an_import_on_a_full_disk_changes_nothing(tmp_path, monkeypatch):
    """15 records, the disk fills up after 8 writes: the workspace is exactly as before."""
    source = Workspace(tmp_path / "source")
    for number in range(15):
        source.save("cards", f"exp-{number:02d}", {"n": number, "from": "export"})
    bundle = source.export(tmp_path / "bundle.json")
    ws = Workspace(tmp_path / "ws")
    for number in range(0, 15, 3):
        ws.save("cards", f"exp-{number:02d}", {"n": number, "from": "mine"})
    before = _snapshot(tmp_path / "ws")
    _disk_full_after(monkeypatch, writes=8)
    with pytest.raises(DataError, match=r"could not write cards/exp-00, cards/exp-01, "
                       r"cards/exp-02 and 12 more \(No space left on device\); nothing was "
                       r"changed$"):
        ws.import_(bundle)
    assert _snapshot(tmp_path / "ws") == before
    assert [r.data["from"] for r in ws.records("cards")] == ["mine"] * 5


def test_an_import_whose_rename_fails_half_way_puts_back_what_it_moved(tmp_path, monkeypatch):
    source = Workspace(tmp_path / "source")
    for number in range(6):
        source.save("cards", f"exp-{number}", {"from": "export"})
    bundle = source.export(tmp_path / "bundle.json")
    ws = Workspace(tmp_path / "ws")
    ws.save("cards", "exp-1", {"from": "mine"})
    before = _snapshot(tmp_path / "ws")
    real_replace, calls = os.replace, iter(range(100))

    def replace(src, dst):
        if next(calls) == 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(DataError, match="nothing was changed"):
        ws.import_(bundle)
    assert _snapshot(tmp_path / "ws") == before


def test_kill_9_during_saves_loses_no_record_and_leaves_no_temporary_file(tmp_path):
    """20 saving processes killed at random moments: the record is always there, and no
    temporary file is visible beside the records or left after the workspace is opened."""
    assert killed_saves(tmp_path, kills=20) == (0, 0)


def _read_beside_writers(root: Path, stop: threading.Event, problems: list[str]) -> int:
    ws, loops = Workspace(root), 0
    while not stop.is_set():
        loops += 1
        try:
            if ws.load("shared", "record") is None:
                problems.append("load() returned None for a saved record")
            if not any(r.name == "record" for r in ws.records()):
                problems.append("records() left the saved record out")
            ws.history("shared", "record")
            ws.export(root.parent / "export.json")
        except Exception as error:  # noqa: BLE001 - every error is a finding
            problems.append(f"{type(error).__name__}: {error}")
    return loops


def test_a_reader_beside_two_writers_never_sees_a_gap(tmp_path):
    root = tmp_path / "ws"
    Workspace(root).save("shared", "record", {"writer": 0, "i": 0})
    stop, problems = threading.Event(), []
    reader = threading.Thread(target=_read_beside_writers, args=(root, stop, problems))
    reader.start()
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_save_shared, args=(str(root), w, 100)) for w in (1, 2)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=300)
    stop.set()
    reader.join(timeout=300)
    assert [w.exitcode for w in writers] == [0, 0]
    assert problems == []
    assert len(Workspace(root).history("shared", "record")) == 200


def _save_shared(root: str, writer: int, count: int) -> None:
    ws = Workspace(root)
    for i in range(count):
        ws.save("shared", "record", {"writer": writer, "i": i})


def test_saves_within_one_clock_tick_keep_every_version(tmp_path, monkeypatch):
    """Some clocks tick every 15 ms: equal timestamps must not overwrite history."""
    from pspo_lab.core import workspace as workspace_module

    frozen = workspace_module._now()
    monkeypatch.setattr(workspace_module, "_now", lambda: frozen)
    ws = Workspace(tmp_path)
    for number in range(4):
        ws.save("notes", "tick", {"n": number})
    assert [r.data["n"] for r in ws.history("notes", "tick")] == [0, 1, 2]
    assert ws.load("notes", "tick") == {"n": 3}


@pytest.fixture
def small_disk(tmp_path):
    """A 200 kB tmpfs (needs root; skipped elsewhere), unmounted afterwards."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(folder)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


def test_a_really_full_disk_leaves_the_previous_state_intact(small_disk, tmp_path):
    source = Workspace(tmp_path / "source")
    for number in range(15):
        source.save("cards", f"exp-{number:02d}", {"n": number, "notes": "x" * 6000})
    bundle = source.export(tmp_path / "bundle.json")
    ws = Workspace(small_disk / "ws")
    ws.save("cards", "exp-03", {"n": 3, "notes": "mine"})
    (small_disk / "filler").write_bytes(b"\0" * 120_000)
    before = _snapshot(small_disk / "ws")
    with pytest.raises(DataError, match=r"\(No space left on device\); nothing was changed$"):
        ws.import_(bundle)
    with pytest.raises(DataError, match="nothing was changed"):
        ws.save("cards", "exp-03", {"notes": "y" * 100_000})
    assert _snapshot(small_disk / "ws") == before
    assert ws.load("cards", "exp-03") == {"n": 3, "notes": "mine"}
