"""Cohort runs under faults: Ctrl-C under load, a killed run, a full disk, odd failures."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import papermill.iorw
import pytest
import test_cohort
from repo_paths import REPO_ROOT
from terminal import as_in_a_terminal
from test_cohort import FIXTURES, running_cell_sources

from pspo_lab.content.cohort_files import read_cohort_file
from pspo_lab.trainer.runner import Job, execute_job, plan_cohort, run_cohort, summary_table

cohort_file, notebooks = test_cohort.cohort_file, test_cohort.notebooks  # the same fixtures
needs_proc = pytest.mark.skipif(not Path("/proc/self/environ").is_file(),
                                reason="finds processes through /proc (Linux)")


def marked_processes(mark: str) -> list[int]:
    """Running processes whose environment carries ``PSPO_LAB_FAULT_MARK=mark``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environment = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue  # ended meanwhile, or not ours to read
        if f"PSPO_LAB_FAULT_MARK={mark}".encode() in environment:
            found.append(int(entry.name))
    return found


def start_long_run(cohort_file: Path, notebooks: Path, tmp_path: Path
                   ) -> tuple[subprocess.Popen, str, Path, Path]:
    """Start ``cohort run --only 3`` and wait until its kernel is inside the 120 s cell."""
    mark, scratch = uuid.uuid4().hex, tmp_path / "tmp"
    scratch.mkdir()
    env = os.environ | {"PYTHONPATH": str(REPO_ROOT), "PSPO_LAB_FAULT_MARK": mark,
                        "TMPDIR": str(scratch)}
    out = tmp_path / "out"
    command = [sys.executable, "-m", "pspo_lab.trainer.cli", "cohort", "run", str(cohort_file),
               "--out", str(out), "--only", "3", "--notebooks", str(notebooks), "--no-progress"]
    process = subprocess.Popen(command, env=env, start_new_session=True,
                               preexec_fn=as_in_a_terminal,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while not any("time.sleep(120)" in s for s in running_cell_sources(out / "demo")):
        assert process.poll() is None, process.communicate()[1].decode()[-2000:]
        assert time.monotonic() < deadline, "the long cell did not start within 300 s"
        time.sleep(0.2)
    return process, mark, out / "demo", scratch


def wait_until_gone(mark: str, seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while marked_processes(mark) and time.monotonic() < deadline:
        time.sleep(0.2)
    return marked_processes(mark)


@pytest.fixture
def cpu_hog():
    """Two busy processes, one per core of the test machine, for the length of a test."""
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    yield
    for hog in hogs:
        hog.kill()
        hog.wait()


@needs_proc
@pytest.mark.slow
def test_ctrl_c_under_load_stops_promptly_with_one_line(cohort_file, notebooks,
                                                        tmp_path, cpu_hog):
    process, mark, target, scratch = start_long_run(cohort_file, notebooks, tmp_path)
    try:
        interrupted = time.monotonic()
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        _, err = process.communicate(timeout=300)
        seconds = time.monotonic() - interrupted
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130
    assert err.decode().splitlines() == ["pspo-lab: interrupted; finished notebooks are kept, "
                                         "nothing half-written (run again with --resume)"]
    assert seconds < 30, f"the run took {seconds:.0f} s to stop"
    assert wait_until_gone(mark, 10) == [], "no worker or kernel outlives the run"
    assert list(target.iterdir()) == [], "no hidden temporary notebook is left"
    assert list(scratch.glob("pspo-lab-kernel-*")) == [], "no kernel folder is left"


@needs_proc
@pytest.mark.slow
def test_a_killed_run_leaves_no_process_and_no_temporary_file(cohort_file,
                                                              notebooks, tmp_path):
    process, mark, target, scratch = start_long_run(cohort_file, notebooks, tmp_path)
    try:
        process.kill()  # SIGKILL of the command only: its workers are on their own now
        process.wait(timeout=60)
        left = wait_until_gone(mark, 60)
    finally:
        for pid in marked_processes(mark):
            os.kill(pid, signal.SIGKILL)
    assert left == [], "workers and kernels end with the run"
    assert list(target.iterdir()) == [], "no hidden temporary notebook is left"
    assert list(scratch.glob("pspo-lab-kernel-*")) == [], "no kernel folder is left"


@pytest.mark.slow
def test_a_cell_failing_without_an_error_output_reports_the_error(tmp_path):
    """papermill says only ``CellExecutionError`` when a cell failed but showed no error."""
    source = tmp_path / "05_silent.ipynb"
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": {
        "name": "python3", "language": "python", "display_name": "Python 3"}})
    notebook.cells = [
        nbformat.v4.new_code_cell("get_ipython()._showtraceback = lambda *args, **kwargs: None"),
        nbformat.v4.new_code_cell("raise ValueError('no items in the backlog')")]
    nbformat.write(notebook, source)
    target = tmp_path / "out"
    target.mkdir()
    outcome = execute_job(Job(5, "05_silent", "Silent", source), target)
    assert outcome.detail == "cell 2: ValueError: no items in the backlog"
    assert "05_silent  failed" in summary_table([outcome])


def test_a_full_disk_leaves_no_truncated_failed_notebook(tmp_path, monkeypatch):
    """papermill's writes fail half-way (as on a full disk) while the notebook runs."""
    real_write, writes = papermill.iorw.LocalHandler.write, iter(range(100))

    def write_until_full(self, buf, path):
        if next(writes) < 2:
            return real_write(self, buf, path)
        Path(path).write_text(buf[: len(buf) // 2], encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(papermill.iorw.LocalHandler, "write", write_until_full)
    target = tmp_path / "out"
    target.mkdir()
    job = Job(2, "02_strategy_and_vision", "Fails", FIXTURES / "02_strategy_and_vision.ipynb")
    outcome = execute_job(job, target)
    assert outcome.status == "failed"
    assert outcome.detail.startswith("OSError: [Errno 28] No space left on device")
    for failed in target.glob("*.failed.ipynb"):
        nbformat.read(failed, as_version=4)  # whatever is kept can be opened
    assert [p.name for p in target.iterdir()] == [], "nothing unreadable or temporary is left"


def test_only_with_resume_keeps_the_links_to_earlier_hand_outs(cohort_file,
                                                                notebooks, tmp_path):
    """Outputs of parts 0 and 1 exist for the same parameters: ``--only 1 --resume`` runs
    nothing, and the index still links both hand-outs."""
    target = tmp_path / "out" / "demo"
    target.mkdir(parents=True)
    jobs, _ = plan_cohort(cohort_file, read_cohort_file(cohort_file), notebooks)
    for job in jobs[:2]:
        done = nbformat.v4.new_notebook(metadata={"papermill": {"parameters": job.parameters}})
        nbformat.write(done, target / f"{job.name}.ipynb")
        (target / f"{job.name}.html").write_text("<p>hand-out</p>")
    outcomes = run_cohort(cohort_file, tmp_path / "out", only="1", resume=True,
                          notebooks_dir=notebooks, progress=False)
    assert [(o.name, o.status) for o in outcomes] == [("01_product_vs_project", "done earlier")]
    index = (target / "index.html").read_text()
    assert 'href="00_welcome.html"' in index and 'href="01_product_vs_project.html"' in index


@pytest.mark.slow
def test_a_job_runs_when_the_temporary_folder_is_too_deep_for_a_socket(tmp_path):
    """A long ``TMPDIR`` makes Unix socket paths too long: the kernel falls back to TCP."""
    scratch = tmp_path.joinpath(*["deep-temporary-folder"] * 6)
    scratch.mkdir(parents=True)
    target = tmp_path / "out"
    target.mkdir()
    job = Job(1, "01_product_vs_project", "Works", FIXTURES / "01_product_vs_project.ipynb")
    outcome = execute_job(job, target, timeout=300, scratch=scratch)
    assert (outcome.status, outcome.detail) == ("ok", "")
    assert (target / "01_product_vs_project.html").is_file()
