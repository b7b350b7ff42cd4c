"""Cohort files and the trainer's commands: pspo-lab cohort new | check | run | link."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml
from repo_paths import REPO_ROOT
from terminal import as_in_a_terminal

from pspo_lab import DataError, ParameterError
from pspo_lab.content.cohort import CohortParameters, hub_link
from pspo_lab.content.cohort_files import (
    check_cohort,
    load_cohort,
    read_cohort_file,
    scaffold_cohort,
)
from pspo_lab.content.packaged import data_file
from pspo_lab.core.workspace import Workspace
from pspo_lab.trainer.cli import main
from pspo_lab.trainer.runner import cohort_dir, plan_cohort, run_cohort

FIXTURES = Path(__file__).parent / "fixtures" / "cohort_notebooks"
HOSTILE_TITLE = "Class <script>alert('x')</script> & friends"


def cohort_text(**changes) -> str:
    data = {
        "id": "demo", "title": "Demo class", "trainer": "T", "location": "Virtual",
        "start_date": "2026-05-04", "timezone": "Europe/Berlin",
        "sessions": [
            {"start": "2026-05-04T09:00:00", "end": "2026-05-04T13:00:00",
             "syllabus_ids": [1, 2]},
            {"start": "2026-05-05T09:00:00", "end": "2026-05-05T11:00:00",
             "syllabus_ids": [3]},
        ],
        "parameters": {"seed": 7, "items_csv": "team/items.csv"},
    }
    data.update(changes)
    return yaml.safe_dump(data, sort_keys=False)


@pytest.fixture
def cohort_file(tmp_path) -> Path:
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "items.csv").write_text("id,title\n1,a\n2,b\n3,c\n")
    path = tmp_path / "demo.yaml"
    path.write_text(cohort_text())
    return path


@pytest.fixture
def notebooks(tmp_path) -> Path:
    """The welcome notebook and the fixture notebooks 01 (succeeds) and 02 (fails)."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copy(REPO_ROOT / "notebooks" / "00_welcome.ipynb", folder)
    for path in FIXTURES.glob("*.ipynb"):
        shutil.copy(path, folder)
    return folder


# --- cohort files -------------------------------------------------------------------------

def test_bundled_and_scaffolded_cohorts_are_valid(tmp_path):
    assert check_cohort(data_file("cohorts", "apac-evening.yaml")) == []
    path = tmp_path / "spring.yaml"
    path.write_text(scaffold_cohort("spring", dt.date(2026, 4, 10), "Asia/Tokyo"))
    assert check_cohort(path) == []
    cohort = read_cohort_file(path)
    assert cohort.part_ids() == list(range(1, 10))
    assert [s.start.weekday() for s in cohort.sessions][:4] == [4, 0, 1, 2], "weekends skipped"
    assert load_cohort(str(path)).parameters.seed == 42


def test_parameters_section(cohort_file):
    cohort = load_cohort(str(cohort_file))
    assert cohort.parameters.seed == 7
    assert cohort.parameters.csv_files() == {"items_csv": "team/items.csv"}
    assert CohortParameters().seed == 42


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"colour": "green"}, "field 'colour': unknown key (expected one of id, title"),
        ({"parameters": {"seed": "seven"}}, "field 'parameters.seed': Input should be a valid "
         "integer"),
        ({"parameters": {"seed": 1, "speed": 3}}, "field 'parameters': unknown key 'speed' "
         "(expected seed, workspace or a name ending in _csv"),
        ({"parameters": {"items_csv": "team/missing.csv"}},
         "field 'parameters.items_csv': file 'team/missing.csv' not found (expected a CSV file"),
        ({"timezone": "Mars/Olympus"}, "field 'timezone': 'Mars/Olympus' is not an IANA "
         "timezone such as 'Europe/London'"),
        ({"sessions": [{"start": "2026-05-04T13:00", "end": "2026-05-04T09:00",
                        "syllabus_ids": [1]}]},
         "field 'sessions.0': session ends (2026-05-04 09:00) before it starts"),
        ({"sessions": [{"start": "2026-05-04T09:00", "end": "2026-05-04T12:00",
                        "syllabus_ids": [1]},
                       {"start": "2026-05-04T11:00", "end": "2026-05-04T13:00",
                        "syllabus_ids": [2]}]}, "sessions overlap: 2026-05-04 09:00 to 12:00"),
        ({"sessions": [{"start": "2026-05-04T09:00", "end": "2026-05-04T12:00",
                        "syllabus_ids": [1, 42]}]},
         "field 'sessions.0.syllabus_ids': syllabus ids [42] do not exist (expected ids 1-9)"),
        ({"sessions": [{"start": "2026-05-04T09:00", "end": "2026-05-04T12:00",
                        "syllabus_ids": [1], "room": 4}]},
         "field 'sessions.0.room': unknown key (expected one of start, end, syllabus_ids)"),
        ({"start_date": "soon"}, "field 'start_date': Input should be a valid date"),
    ],
    ids=["unknown-key", "wrong-type", "unknown-parameter", "missing-data-file", "timezone",
         "inverted", "overlap", "unknown-syllabus-id", "unknown-session-key", "bad-date"],
)
def test_check_names_file_field_and_expectation(cohort_file, capsys, changes, expected):
    cohort_file.write_text(cohort_text(**changes))
    problems = check_cohort(cohort_file)
    assert any(p.startswith(str(cohort_file)) and expected in p for p in problems), problems
    assert main(["cohort", "check", str(cohort_file)]) == 2
    assert expected in capsys.readouterr().err


def test_check_reports_every_problem_at_once(cohort_file):
    cohort_file.write_text(cohort_text(
        colour="green", timezone="Nowhere/City",
        sessions=[{"start": "2026-05-04T09:00", "end": "2026-05-04T12:00", "syllabus_ids": [1]},
                  {"start": "2026-05-04T10:00", "end": "2026-05-04T11:00",
                   "syllabus_ids": [2]}]))
    problems = check_cohort(cohort_file)
    assert len(problems) == 3, problems
    assert [p.split("'")[1] for p in problems] == ["timezone", "colour", "sessions"]


def test_check_goes_on_past_a_broken_session(cohort_file):
    cohort_file.write_text(cohort_text(
        sessions=[{"start": "2026-05-04T12:00", "end": "2026-05-04T09:00", "syllabus_ids": [1]},
                  {"start": "2026-05-05T09:00", "end": "2026-05-05T12:00",
                   "syllabus_ids": [2, 42]}],
        parameters={"seed": 7, "items_csv": "nowhere/items.csv"}))
    problems = check_cohort(cohort_file)
    fields = [p.split("'")[1] for p in problems]
    assert fields == ["sessions.0", "sessions.1.syllabus_ids", "parameters.items_csv"], problems


def test_check_of_broken_files(tmp_path, capsys):
    assert main(["cohort", "check", str(tmp_path / "none.yaml")]) == 2
    assert "none.yaml: file not found" in capsys.readouterr().err
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [\n")
    assert "broken.yaml line 2: not valid YAML" in check_cohort(broken)[0]
    broken.write_text("- just a list\n")
    assert "expected a mapping with keys id, title" in check_cohort(broken)[0]
    with pytest.raises(DataError, match="broken.yaml: expected a mapping"):
        read_cohort_file(broken)


def test_new_scaffolds_once(tmp_path, capsys):
    args = ["cohort", "new", "autumn", "--start", "2026-10-05", "--dir", str(tmp_path)]
    assert main(args) == 0
    assert main(["cohort", "check", str(tmp_path / "autumn.yaml")]) == 0
    assert main(args) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["cohort", "new", "../escape", "--dir", str(tmp_path)]) == 2
    assert main(["cohort", "new", "ok", "--timezone", "Mars/Base", "--dir", str(tmp_path)]) == 2
    assert not (tmp_path / "ok.yaml").exists()


def _course_repository(folder: Path) -> str:
    """A git repository with one branch, ``main``, as a file:// URL ending in .git."""
    repo = folder / "course.git"
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=T", "-c", "user.email=t@example.org",
                    "commit", "-q", "--allow-empty", "-m", "start"], check=True)
    return repo.as_uri()


def test_link_prints_an_nbgitpuller_link(tmp_path, capsys):
    repo = _course_repository(tmp_path)
    assert main(["cohort", "link", "https://hub.example.org", "--repo", repo]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith("https://hub.example.org/hub/user-redirect/git-pull?repo=file%3A")
    # nbgitpuller keeps ".git" in the folder it derives from the URL: the link names it
    assert out.strip().endswith("&targetpath=course"
                                "&urlpath=lab%2Ftree%2Fcourse%2Fnotebooks%2F00_welcome.ipynb")
    assert "branch=dev" in hub_link("http://h", "https://git.example/x/course.git", "dev")


def test_link_refuses_a_hub_that_is_not_http_or_a_missing_branch(tmp_path, capsys):
    repo = _course_repository(tmp_path)
    assert main(["cohort", "link", "hub.example.org", "--repo", repo]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == ("pspo-lab: hub URL 'hub.example.org' is not usable (expected e.g. "
                   "https://hub.example.org)\n")
    assert main(["cohort", "link", "https://hub.example.org", "--repo", repo,
                 "--branch", "spring"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"pspo-lab: --branch 'spring': no such branch in {repo} (expected one of: main)\n"


def test_link_says_when_the_branch_cannot_be_checked(tmp_path, capsys):
    missing = (tmp_path / "moved-away.git").as_uri()
    assert main(["cohort", "link", "https://hub.example.org", "--repo", missing]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("https://hub.example.org/hub/user-redirect/git-pull?")
    assert err == (f"pspo-lab: could not reach {missing} to check that branch 'main' exists; "
                   "the link assumes it does\n")


# --- planning and safety ------------------------------------------------------------------

def test_outputs_never_leave_the_output_folder(tmp_path):
    assert cohort_dir(tmp_path, "demo") == (tmp_path / "demo").resolve()
    for bad in ["../demo", "/etc", "demo/../../x", ".hidden", "UPPER", ""]:
        with pytest.raises(ParameterError, match="would write outside"):
            cohort_dir(tmp_path, bad)
    (tmp_path / "outside").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "linked").symlink_to(tmp_path / "outside")
    with pytest.raises(ParameterError, match="would write outside"):
        cohort_dir(tmp_path / "out", "linked")


def test_plan_passes_only_the_parameters_each_notebook_defines(cohort_file, notebooks):
    cohort = read_cohort_file(cohort_file)
    jobs, missing = plan_cohort(cohort_file, cohort, notebooks)
    assert [j.name for j in jobs] == ["00_welcome", "01_product_vs_project",
                                      "02_strategy_and_vision", "03_value_driven_development"]
    params = {j.name: j.parameters for j in jobs}
    assert params["00_welcome"] == {"cohort": str(cohort_file.resolve()), "seed": 7}
    assert params["01_product_vs_project"]["items_csv"] == str(
        (cohort_file.parent / "team" / "items.csv").resolve())
    assert "items_csv" not in params["02_strategy_and_vision"]
    assert missing == []
    (notebooks / "02_strategy_and_vision.ipynb").unlink()
    jobs, missing = plan_cohort(cohort_file, cohort, notebooks, only="0,2")
    assert [j.name for j in jobs] == ["00_welcome"]
    assert [(m.name, m.status) for m in missing] == [("02_strategy_and_vision", "missing")]
    with pytest.raises(ParameterError, match=r"--only: '8' is not a notebook of this cohort"):
        plan_cohort(cohort_file, cohort, notebooks, only="8")


def test_run_refuses_a_bad_cohort_before_running(cohort_file, tmp_path, capsys):
    cohort_file.write_text(cohort_text(timezone="Moon/Base"))
    assert main(["cohort", "run", str(cohort_file), "--out", str(tmp_path / "out")]) == 2
    assert "field 'timezone'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    with pytest.raises(ParameterError, match="--jobs"):
        run_cohort(cohort_file, tmp_path / "out", jobs=0)
    with pytest.raises(ParameterError, match="--timeout"):
        run_cohort(cohort_file, tmp_path / "out", timeout=0)


# --- running notebooks --------------------------------------------------------------------

@pytest.mark.slow
def test_run_writes_notebooks_handouts_and_agenda(cohort_file, notebooks, tmp_path, capsys):
    Workspace().save("cards", "trainers-own", {"title": "not for hand-outs"})  # default folder
    cohort_file.write_text(cohort_text(title=HOSTILE_TITLE, sessions=[
        {"start": "2026-05-04T09:00:00", "end": "2026-05-04T13:00:00", "syllabus_ids": [1, 2]},
        {"start": "2026-05-05T09:00:00", "end": "2026-05-05T11:00:00", "syllabus_ids": [4]}]))
    out = tmp_path / "out"
    status = main(["cohort", "run", str(cohort_file), "--out", str(out), "--jobs", "2",
                   "--notebooks", str(notebooks), "--no-progress"])
    captured = capsys.readouterr()
    assert status == 1, "a failed notebook makes the exit status non-zero"
    assert "02_strategy_and_vision  failed" in captured.out
    assert "ValueError: this fixture fails on purpose" in captured.out
    assert "04_empiricism           missing" in captured.out
    target = out / "demo"
    names = sorted(p.name for p in target.iterdir())
    assert names == ["00_welcome.html", "00_welcome.ipynb", "01_product_vs_project.html",
                     "01_product_vs_project.ipynb", "02_strategy_and_vision.failed.ipynb",
                     "index.html"], "no temporary or half-written files"

    executed = nbformat.read(target / "01_product_vs_project.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
    assert f"{HOSTILE_TITLE} | seed 7 | 3 rows" in printed
    assert "saved records: 0" in printed, "hand-outs never show the default workspace"

    handout = (target / "00_welcome.html").read_text()
    assert "check_seed(seed)" not in handout, "code is hidden in hand-outs"
    assert "Welcome to pspo-lab" in handout
    assert "alert('x')</script>" not in handout and "&lt;script&gt;alert(" in handout

    index = (target / "index.html").read_text()
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; friends" in index
    assert "<script>" not in index
    assert "Mon 04 May 2026 09:00 CEST" in index, "sessions in the cohort's timezone"
    assert 'href="01_product_vs_project.html"' in index
    assert 'href="02_strategy_and_vision.html"' not in index
    assert "https://youtu.be/k1BXZk-iCMA" in index, "resources of part 1"
    assert "not written yet" in index

    before = (target / "00_welcome.ipynb").stat().st_mtime_ns
    outcomes = run_cohort(cohort_file, out, resume=True, notebooks_dir=notebooks,
                          progress=False)
    assert {o.name: o.status for o in outcomes} == {
        "00_welcome": "done earlier", "01_product_vs_project": "done earlier",
        "02_strategy_and_vision": "failed", "04_empiricism": "missing"}
    assert (target / "00_welcome.ipynb").stat().st_mtime_ns == before

    cohort_file.write_text(cohort_text(parameters={"seed": 8}))
    outcomes = run_cohort(cohort_file, out, resume=True, only="0", notebooks_dir=notebooks,
                          progress=False)
    assert [(o.name, o.status) for o in outcomes] == [("00_welcome", "ok")], (
        "changed parameters run again")


def running_cell_sources(folder: Path) -> list[str]:
    """Sources of the cells papermill marked as running in the temporary notebooks it saves."""
    running = []
    for path in folder.glob(".03_*.tmp.ipynb"):
        try:
            notebook = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        except (OSError, ValueError):
            continue  # being written or already renamed: look again
        running += [cell.source for cell in notebook.cells
                    if cell.metadata.get("papermill", {}).get("status") == "running"]
    return running


@pytest.mark.slow
def test_interrupted_run_leaves_nothing_half_written(cohort_file, notebooks, tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "pspo_lab.trainer.cli", "cohort", "run", str(cohort_file),
               "--out", str(out), "--only", "3", "--notebooks", str(notebooks), "--no-progress"]
    env = os.environ | {"PYTHONPATH": str(REPO_ROOT)}
    process = subprocess.Popen(command, env=env, start_new_session=True,
                               preexec_fn=as_in_a_terminal,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    target = out / "demo"
    try:
        # Interrupt once the kernel is inside the long cell (papermill saves the notebook
        # when a cell starts): no fixed pause, however busy the machine is.
        deadline = time.monotonic() + 300
        while not any("time.sleep(120)" in source for source in running_cell_sources(target)):
            assert process.poll() is None, process.communicate()[1].decode()[-2000:]
            assert time.monotonic() < deadline, "the long cell did not start within 300 s"
            time.sleep(0.2)
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        _, err = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130, err.decode()
    assert b"interrupted" in err
    assert sorted(p.name for p in target.iterdir()) == []


@pytest.mark.slow
def test_a_cell_running_too_long_fails_its_notebook(cohort_file, notebooks, tmp_path):
    outcomes = run_cohort(cohort_file, tmp_path / "out", only="3", notebooks_dir=notebooks,
                          progress=False, timeout=3)
    assert [(o.name, o.status) for o in outcomes] == [("03_value_driven_development", "failed")]
    assert "Timeout" in outcomes[0].detail
    assert (tmp_path / "out" / "demo" / "03_value_driven_development.failed.ipynb").is_file()


def test_check_reports_sessions_that_are_not_a_list(cohort_file):
    cohort_file.write_text(cohort_text(sessions=5))
    problems = check_cohort(cohort_file)
    assert problems and problems[0].split("'")[1] == "sessions", problems


@pytest.mark.slow
def test_resume_writes_the_hand_out_again_when_facilitator_changes(cohort_file, notebooks,
                                                                     tmp_path):
    """A learners' hand-out is not "done" for a trainer's run with ``--facilitator``."""
    out = tmp_path / "out"
    first = run_cohort(cohort_file, out, only="1", notebooks_dir=notebooks, progress=False)
    assert [o.status for o in first] == ["ok"]
    handout = out / "demo" / "01_product_vs_project.html"
    assert 'class="facilitator"' not in handout.read_text(encoding="utf-8")
    again = run_cohort(cohort_file, out, only="1", resume=True, notebooks_dir=notebooks,
                       progress=False, facilitator=True)
    assert [o.status for o in again] == ["ok"], "a new kind of hand-out is written"
    assert 'class="facilitator"' in handout.read_text(encoding="utf-8")
    third = run_cohort(cohort_file, out, only="1", resume=True, notebooks_dir=notebooks,
                       progress=False, facilitator=True)
    assert [o.status for o in third] == ["done earlier"]
