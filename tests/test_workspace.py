"""The learner workspace: atomic, versioned, portable, and safe with several kernels."""

import json
import multiprocessing
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

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


def test_a_save_that_fails_half_way_keeps_the_current_record(tmp_path, monkeypatch):
    """The new version is written before the old one moves to history: no gap for readers."""
    from pspo_lab.core import workspace as workspace_module

    ws = Workspace(tmp_path)
    ws.save("product", "definition", {"users": "home cooks"})
    real_write = workspace_module.write_atomic

    def crash_on_record(path, content):
        if ".history" not in str(path):
            raise OSError(28, "No space left on device")
        real_write(path, content)

    monkeypatch.setattr(workspace_module, "write_atomic", crash_on_record)
    with pytest.raises(OSError):
        ws.save("product", "definition", {"users": "busy parents"})
    assert ws.load("product", "definition") == {"users": "home cooks"}
    assert ws.history("product", "definition") == []


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
