"""``pspo-lab cohort collect``: the class page from learners' exports, checked as a trainer
reads it, with the item statistics recomputed here from the raw files (numpy formulas)."""

from __future__ import annotations

import html
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from repo_paths import REPO_ROOT

from pspo_lab.analysis import class_stats
from pspo_lab.content.question_bank import load_bank
from pspo_lab.core.workspace import Workspace, read_export
from pspo_lab.trainer.class_demo import class_exports
from pspo_lab.trainer.cli import main
from pspo_lab.trainer.collect import learner_labels, pseudonym

CLASS = REPO_ROOT / "datasets" / "workspaces" / "class"
BAD = REPO_ROOT / "tests" / "fixtures" / "class_exports"
SCRIPT = "<script>window.pwned = 1</script>"


class _Tables(HTMLParser):
    """Every table of a page as lists of cell texts, with the h2 heading above it."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self.heading, self.text, self.row, self.cell = "", None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "h2":
            self.text = ""
        elif tag == "table":
            self.tables.append((self.heading, []))
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "h2":
            self.heading, self.text = self.text, None
        elif tag in ("td", "th") and self.row is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr":
            self.tables[-1][1].append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.text is not None:
            self.text += data
        if self.cell is not None:
            self.cell += data


def tables(page: str) -> dict[str, pd.DataFrame]:
    """The first table under each h2 heading, header row as columns."""
    parser = _Tables()
    parser.feed(page)
    found = {}
    for heading, rows in parser.tables:
        found.setdefault(heading, pd.DataFrame(rows[1:], columns=rows[0]))
    return found


def _number(text: str) -> float:
    return float("nan") if text == "–" else float(text)


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> tuple[Path, str, str]:
    """The generated class plus a damaged and a foreign file, collected once."""
    folder = tmp_path_factory.mktemp("collect")
    exports = folder / "exports"
    shutil.copytree(CLASS, exports)
    for bad in ("damaged.json", "foreign.json"):
        shutil.copy(BAD / bad, exports / bad)
    return folder, exports, str(folder / "out")


def _collect(capsys, *args: str) -> tuple[int, str, str]:
    status = main(["cohort", "collect", *args])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_damaged_and_foreign_files_are_listed_and_skipped(collected, capsys):
    _, exports, out = collected
    status, stdout, stderr = _collect(capsys, "apac-evening", str(exports), "--out", out)
    assert status == 0
    assert "(30 learner(s), 2 file(s) skipped)" in stdout
    lines = stderr.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("skipped damaged.json: not a JSON file (line ")
    assert lines[1].startswith("skipped foreign.json: not a pspo-lab workspace export")
    page = (Path(out) / "apac-evening" / "class.html").read_text(encoding="utf-8")
    skipped = tables(page)["Files not collected"]
    assert skipped["File"].tolist() == ["damaged.json", "foreign.json"]


def _first_exams(folder: Path) -> dict[str, dict]:
    """Each file's first finished practice exam, read from the raw JSON."""
    found = {}
    for path in sorted(folder.glob("learner-*.json")):
        bundle = json.loads(path.read_text(encoding="utf-8"))
        exams = [r["data"] for r in bundle["records"] if r["kind"] == "assessment-attempts"
                 and r["data"]["mode"] == "exam" and r["data"]["finished_at"]]
        if exams:
            found[path.stem] = min(exams, key=lambda e: e["started_at"])
    return found


def test_item_statistics_match_a_direct_computation(collected, capsys):
    folder, exports, out = collected
    _collect(capsys, "apac-evening", str(exports), "--out", out)
    page = (Path(out) / "apac-evening" / "class.html").read_text(encoding="utf-8")
    shown = tables(page)["Item analysis"].set_index("Question")
    bank = load_bank()
    exams = _first_exams(CLASS)
    scores = pd.DataFrame({
        learner: {q: float(sorted(exam["answers"].get(q, [])) == bank.by_id[q].key)
                  for q in exam["question_ids"]} for learner, exam in exams.items()}).T
    assert scores.notna().all().all(), "the class sat one exam: every attempt has every item"
    assert len(shown) == scores.shape[1] == 80
    totals = scores.sum(axis=1).to_numpy()
    for question in scores.columns:
        x = scores[question].to_numpy()
        y = totals - x
        row = shown.loc[question]
        assert _number(row["Attempts"]) == len(x)
        assert _number(row["Facility index"]) == pytest.approx(100 * x.mean(), abs=0.051)
        assert _number(row["SD"]) == pytest.approx(100 * x.std(ddof=1), abs=0.051)
        if x.std() == 0:
            assert row["Discrimination index"] == row["Discriminative efficiency"] == "–"
            continue
        cov = np.cov(x, y, ddof=1)[0, 1]
        assert _number(row["Discrimination index"]) == pytest.approx(
            100 * np.corrcoef(x, y)[0, 1], abs=0.051)
        cov_max = np.cov(np.sort(x), np.sort(y), ddof=1)[0, 1]
        assert _number(row["Discriminative efficiency"]) == pytest.approx(
            100 * cov / cov_max, abs=0.051)
    k = scores.shape[1]
    alpha = k / (k - 1) * (1 - scores.var(ddof=1).sum() / scores.sum(axis=1).var(ddof=1))
    shown_alpha = re.search(r"Cronbach's alpha of the attempt set: <strong>(\d\.\d\d)</strong> "
                            r"\(Moodle's coefficient of internal consistency: ([\d.]+)%\)",
                            html.unescape(page))
    assert float(shown_alpha.group(1)) == pytest.approx(alpha, abs=0.0051)
    assert float(shown_alpha.group(2)) == pytest.approx(100 * alpha, abs=0.051)


def test_weakest_topics_and_misconceptions_are_the_class_s(collected, capsys):
    _, exports, out = collected
    _collect(capsys, "apac-evening", str(exports), "--out", out)
    page = html.unescape((Path(out) / "apac-evening" / "class.html").read_text("utf-8"))
    topics = tables(page)["Practice exam by topic"]
    percent = topics["% correct"].astype(float)
    weakest = topics.loc[percent.idxmin(), "Topic"]
    assert re.search(rf"Weakest topics of the class: <strong>{re.escape(weakest)}", page)
    bank = load_bank()
    wrong_picks: dict[tuple[str, int], int] = {}
    for exam in _first_exams(CLASS).values():
        for qid, given in exam["answers"].items():
            for option in set(given) - set(bank.by_id[qid].key):
                wrong_picks[qid, option] = wrong_picks.get((qid, option), 0) + 1
    debrief = page[page.index("Misconceptions to debrief"):page.index("Product mindset")]
    first = re.search(r"<h3>([A-Z]+-\d{3}) \(facility index", debrief).group(1)
    facility = tables(page)["Item analysis"].set_index("Question")["Facility index"]
    assert first == facility.astype(float).idxmin(), "the hardest question comes first"
    times, minus_option = max((n, -o) for (q, o), n in wrong_picks.items() if q == first)
    option = bank.by_id[first].options[-minus_option]
    assert f'<tr><td>{option.text}</td><td class="n">{times} (' in debrief
    assert option.why in debrief
    assert bank.by_id[first].refs[0] in debrief


def test_pseudonyms_are_stable_and_names_hidden_unless_asked(collected, capsys):
    _, exports, out = collected
    page_path = Path(out) / "apac-evening" / "class.html"
    _collect(capsys, "apac-evening", str(exports), "--out", out)
    first = tables(page_path.read_text("utf-8"))["Learners"]["Learner"].tolist()
    _collect(capsys, "apac-evening", str(exports), "--out", out)
    again = page_path.read_text("utf-8")
    assert tables(again)["Learners"]["Learner"].tolist() == first
    ids = [read_export(p).learner or p.stem for p in sorted(CLASS.glob("*.json"))]
    assert sorted(first) == sorted(pseudonym(i, "apac-evening") for i in ids)
    assert not any(i in again for i in ids), "no learner id on the page by default"
    _collect(capsys, "apac-evening", str(exports), "--out", out, "--show-names")
    named = tables(page_path.read_text("utf-8"))["Learners"]["Learner"].tolist()
    assert sorted(named) == sorted(ids)
    assert "learner-30" in named, "an export without a learner id is named by its file"


def test_learner_text_stays_inert(tmp_path, capsys):
    exports = tmp_path / "exports"
    shutil.copytree(CLASS, exports)
    workspace = Workspace(tmp_path / "ws")
    workspace.save("experiment-cards", "module-01",
                   {"title": f"Card {SCRIPT}", "hypothesis": "x", "status": "done",
                    "review_date": "2026-03-20"})
    workspace.export(exports / "hostile.json", learner=f"mallory {SCRIPT}")
    status, stdout, _ = _collect(capsys, "apac-evening", str(exports), "--out",
                                 str(tmp_path / "out"), "--show-names")
    assert status == 0 and "(31 learner(s), 0 file(s) skipped)" in stdout
    page = (tmp_path / "out" / "apac-evening" / "class.html").read_text("utf-8")
    assert "<script" not in page
    assert "Card &lt;script&gt;window.pwned = 1&lt;/script&gt;" in page
    assert "mallory &lt;script&gt;" in page


def test_two_exports_of_one_learner_keep_the_newer(tmp_path, capsys):
    exports = tmp_path / "exports"
    exports.mkdir()
    workspace = Workspace(tmp_path / "ws")
    workspace.save("self-check", "product-mindset", {"q01": 4})
    workspace.export(exports / "a-first.json", learner="ana")
    workspace.export(exports / "b-later.json", learner="ana")
    status, stdout, stderr = _collect(capsys, "apac-evening", str(exports), "--out",
                                      str(tmp_path / "out"))
    assert status == 0 and "(1 learner(s), 1 file(s) skipped)" in stdout
    assert stderr.strip() == ("skipped a-first.json: an older export of the same learner as "
                              "b-later.json")


def test_a_folder_without_exports_writes_nothing(tmp_path, capsys):
    exports = tmp_path / "exports"
    exports.mkdir()
    shutil.copy(BAD / "foreign.json", exports)
    status, stdout, stderr = _collect(capsys, "apac-evening", str(exports), "--out",
                                      str(tmp_path / "out"))
    assert status == 2 and stdout == ""
    assert stderr.count("\n") == 1 and "no learner's workspace export found" in stderr
    assert "foreign.json: not a pspo-lab workspace export" in stderr
    assert not (tmp_path / "out").exists()
    status, _, stderr = _collect(capsys, "apac-evening", str(tmp_path / "nowhere"))
    assert status == 2 and "not a folder" in stderr


def test_the_generated_class_is_reproducible(tmp_path, capsys):
    assert main(["cohort", "example-exports", str(tmp_path)]) == 0
    capsys.readouterr()
    committed = sorted(p.name for p in CLASS.glob("*.json"))
    assert committed == sorted(p.name for p in tmp_path.glob("*.json"))
    assert len(committed) == 30
    for name in committed:
        assert (tmp_path / name).read_bytes() == (CLASS / name).read_bytes(), name


def test_exports_carry_the_learner_id(tmp_path, monkeypatch):
    workspace = Workspace(tmp_path / "ws")
    workspace.save("product", "vision", {"text": "Dinner, solved"})
    monkeypatch.delenv("PSPO_LAB_LEARNER", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    plain = workspace.export(tmp_path / "plain.json")
    assert "learner" not in json.loads(plain.read_text("utf-8"))
    monkeypatch.setenv("JUPYTERHUB_USER", "hub-user-7")
    assert read_export(workspace.export(tmp_path / "hub.json")).learner == "hub-user-7"
    monkeypatch.setenv("PSPO_LAB_LEARNER", "ana.lima")
    assert read_export(workspace.export(tmp_path / "set.json")).learner == "ana.lima"
    old = REPO_ROOT / "datasets" / "workspaces" / "sample-learner.json"
    assert read_export(old).learner is None, "exports from before the id are still read"


def test_pseudonyms_stay_unique_in_a_large_class():
    ids = [f"learner-{n}" for n in range(3000)]
    labels = learner_labels(ids, "spring")
    assert len(set(labels.values())) == len(ids)
    lengthened = [i for i, label in labels.items() if len(label) > len("Learner 0000")]
    assert lengthened, "3000 learners share some 4-digit pseudonyms"
    assert all(labels[i] == pseudonym(i, "spring") for i in ids if i not in lengthened)


def test_item_statistics_are_undefined_without_variation():
    responses = pd.DataFrame({"attempt": list("aabb"), "question": ["Q1", "Q2"] * 2,
                              "slot": [1, 2] * 2, "score": [1, 0, 1, 1]})
    items = class_stats.item_analysis(responses)
    assert items.loc["Q1", ["facility", "sd"]].tolist() == [100.0, 0.0]
    assert items[["discrimination", "efficiency"]].loc["Q1"].isna().all()
    assert np.isnan(class_stats.cronbach_alpha(responses.iloc[:2]))


def test_class_exports_answer_by_ability():
    exports = class_exports(learners=12, seed=9)
    bank = load_bank()
    exams = [(e.learner or "x", class_stats.AttemptState.model_validate(r.data))
             for e in exports for r in e.records if r.kind == "assessment-attempts"]
    responses = class_stats.exam_responses(exams, bank)
    assert responses["attempt"].nunique() == len({learner for learner, _ in exams})
    assert 0.4 < responses["score"].mean() < 0.95


def test_a_record_that_does_not_fit_its_form_skips_the_file(tmp_path, capsys):
    exports = tmp_path / "exports"
    exports.mkdir()
    shutil.copy(CLASS / "learner-01.json", exports)
    workspace = Workspace(tmp_path / "ws")
    workspace.save("experiment-cards", "module-03", {"title": "x", "status": "finished"})
    workspace.export(exports / "odd.json", learner="odd")
    status, stdout, stderr = _collect(capsys, "apac-evening", str(exports), "--out",
                                      str(tmp_path / "out"))
    assert status == 0 and "(1 learner(s), 1 file(s) skipped)" in stdout
    assert stderr.startswith("skipped odd.json: record experiment-cards/module-03 field "
                             "'status': ")
    assert stderr.count("\n") == 1


@pytest.mark.parametrize("name", ["learner-01.json", "learner-30.json"])
def test_generated_exports_fit_the_course_forms(tmp_path, name):
    from pspo_lab.widgets.take_home import import_upload

    imported = import_upload(Workspace(tmp_path), name, (CLASS / name).read_bytes())
    assert {r.kind for r in imported} >= {"self-check", "experiment-cards"}


def test_learners_are_listed_by_their_label(collected, capsys):
    _, exports, out = collected
    _collect(capsys, "apac-evening", str(exports), "--out", out)
    page = (Path(out) / "apac-evening" / "class.html").read_text("utf-8")
    shown = tables(page)["Learners"]["Learner"].tolist()
    assert shown == sorted(shown), "not in the order of the files, which may carry names"
