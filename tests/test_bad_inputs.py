"""Every file of the bad-input corpus, through every loader, the CLI and (slow) the notebooks.

Each case must end in one line naming the file (or a correct load), without traceback text,
within a time bound, and leave nothing behind in the folder it was given.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bad_inputs import CORPUS, ONE_LINE, cases, generated_cases, run
from repo_paths import NOTEBOOKS_DIR, REPO_ROOT

from pspo_lab.core.workspace import Workspace


def _files(folder: Path) -> list[Path]:
    return sorted(p.relative_to(folder) for p in folder.rglob("*"))


def test_corpus_is_large_enough():
    all_cases = cases()
    assert len({c.path for c in all_cases}) >= 60
    assert {c.path.parent.name for c in all_cases} == {"cohort", "csv", "workspace", "importer"}
    assert any(c.expect_ok for c in all_cases) and any(not c.expect_ok for c in all_cases)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in cases()])
def test_each_file_gets_one_clear_line_or_loads(case, tmp_path):
    outcome, message = run(case, tmp_path)
    expected = "accepted" if case.expect_ok else ONE_LINE
    assert (outcome, message if outcome != expected else "") == (expected, "")
    assert "Traceback" not in message and "File \"" not in message
    if case.loader == "workspace_import" and not case.expect_ok:
        assert not (tmp_path / "ws").exists() or Workspace(tmp_path / "ws").records() == []


def test_billion_laughs_and_huge_files_are_refused_before_they_are_read(tmp_path):
    """Refused on their aliases and sizes; how fast is benchmarks/bad_inputs.py's figure."""
    laughs = next(c for c in cases() if c.path.name == "bad__billion_laughs.yaml")
    outcome, message = run(laughs, tmp_path)
    assert outcome == ONE_LINE and "aliases" in message
    for case in generated_cases(tmp_path):
        outcome, message = run(case, tmp_path)
        assert (case.id, outcome) == (case.id, ONE_LINE), message
        assert "too large" in message or "characters long" in message


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pspo_lab.trainer.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=900)  # a hang guard only


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["cohort", "new", "x", "--start", "9999-12-30", "--dir", "out"], "start date"),
        (["cohort", "new", "x", "--dir", "afile"], "--dir afile: is a file"),
        (["cohort", "new", "nl\n", "--dir", "out"], "cohort id 'nl\\n' is not usable"),
        (["cohort", "run", str(CORPUS / "cohort" / "ok__plain.yaml"), "--out", "afile"],
         "--out afile: is a file"),
        (["datasets", "write", "--seed", "-1", "--out", "out"], "--seed -1"),
        (["datasets", "write", "--out", "afile"], "--out afile: is a file"),
        (["cohort", "check", str(CORPUS / "cohort" / "bad__billion_laughs.yaml")], "aliases"),
        (["cohort", "check", str(CORPUS / "cohort" / "bad__cp1252.yaml")], "not UTF-8"),
    ],
    ids=["start-9999", "dir-is-file", "id-newline", "run-out-is-file", "seed-negative",
         "datasets-out-is-file", "billion-laughs", "cp1252"],
)
def test_cli_refuses_with_one_line_and_writes_nothing(tmp_path, args, expected):
    (tmp_path / "afile").write_text("not a folder")
    before = _files(tmp_path)
    result = _cli(*args, cwd=tmp_path)
    lines = result.stderr.strip().splitlines()
    assert (result.returncode, len(lines)) == (2, 1), result.stderr
    assert expected in lines[0] and "Traceback" not in result.stderr
    assert _files(tmp_path) == before


@pytest.mark.slow
@pytest.mark.parametrize(
    ("notebook", "parameters", "expected"),
    [
        ("09_catchup.ipynb", {"as_of": "31/02/2024"}, "as_of parameter: '31/02/2024'"),
        ("09_catchup.ipynb", {"portfolio_folder": str(REPO_ROOT / "README.md")},
         "README.md' is a file (expected a folder"),
        ("00_welcome.ipynb", {"cohort": str(CORPUS / "cohort" / "bad__cp1252.yaml")},
         "bad__cp1252.yaml line 2: not UTF-8"),
        ("00_welcome.ipynb", {"cohort": str(CORPUS / "cohort" / "bad__billion_laughs.yaml")},
         "aliases"),
    ],
    ids=["09-as_of", "09-portfolio-folder-is-a-file", "00-cohort-cp1252", "00-cohort-laughs"],
)
def test_notebook_parameters_fail_with_one_line(tmp_path, notebook, parameters, expected):
    out = tmp_path / "out.ipynb"
    result = subprocess.run(
        [sys.executable, "-m", "pspo_lab.trainer.cli", "run", str(NOTEBOOKS_DIR / notebook),
         str(out), "--timeout", "600",
         *[x for name, value in parameters.items() for x in ("-p", name, value)]],
        cwd=tmp_path, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 1, result.stderr[-2000:]
    assert expected in result.stderr
    assert "Traceback" not in result.stderr.splitlines()[-1]


@pytest.mark.slow
def test_notebook_06_plays_the_card_game_with_a_short_backlog(tmp_path):
    backlog = (REPO_ROOT / "pspo_lab/content/data/casestudy/backlog.csv").read_text()
    short = tmp_path / "short.csv"
    short.write_text("\n".join(backlog.splitlines()[:11]) + "\n")  # 10 items, true_value kept
    out = tmp_path / "out.ipynb"
    result = subprocess.run(
        [sys.executable, "-m", "pspo_lab.trainer.cli", "run",
         str(NOTEBOOKS_DIR / "06_product_backlog.ipynb"), str(out), "--timeout", "600",
         "-p", "backlog_csv", str(short)],
        cwd=tmp_path, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stderr[-2000:]
    text = out.read_text()
    assert "fewer than the 16 participants: the game uses all 10" in text
    assert "Cohort of 10: points vs real value" in text


def test_session_across_the_dst_change_shows_its_real_length(tmp_path):
    from pspo_lab.content.cohort import agenda
    from pspo_lab.content.cohort_files import read_cohort_file

    path = tmp_path / "across.yaml"
    path.write_text("id: x\ntitle: T\nstart_date: 2026-03-28\ntimezone: Europe/London\n"
                    'sessions:\n  - {start: "2026-03-29T00:00:00", end: "2026-03-29T03:00:00",'
                    " syllabus_ids: [1]}\n")
    row = agenda(read_cohort_file(path)).iloc[0]
    assert (row["starts"], row["ends"], row["hours"]) == ("Sun 29 Mar 2026 00:00 GMT",
                                                          "03:00 BST", 2.0)
