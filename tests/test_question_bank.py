"""The question bank: schema errors name file, question and field; quality checks; the full
bank's size and coverage (these last tests need the merged bank under
pspo_lab/content/data/questions)."""

import datetime as dt
import re
import shutil
import textwrap
from collections import Counter

import pytest
from repo_paths import REPO_ROOT

from pspo_lab.analysis.attempts import FakeClock
from pspo_lab.analysis.exam import new_attempt
from pspo_lab.analysis.sessions import answer_all, draw_exam, start_exam
from pspo_lab.content.bank_cues import (
    CUE_LIMITS,
    cue_figures,
    cue_problems,
    unsupported_key_problems,
)
from pspo_lab.content.bank_quality import (
    STALE_TERMS,
    answer_position_table,
    bank_problems,
    near_duplicate_stems,
    position_skew_problems,
    positional_option_problems,
    stale_term_problems,
    stem_similarity,
)
from pspo_lab.content.blueprint import load_blueprint
from pspo_lab.content.packaged import data_file
from pspo_lab.content.question_bank import (
    TOPICS,
    Question,
    load_bank,
    load_references,
    parse_question_file,
    questions_dir,
)
from pspo_lab.core.errors import DataError

FIXTURE_BANK = REPO_ROOT / "tests" / "fixtures" / "questions"
FACTS_SOURCE = REPO_ROOT / "tests" / "fixtures" / "guides-facts.md"

GOOD = """
topic: events
questions:
  - id: EVT-010
    type: single
    difficulty: 2
    stem: >-
      Who decides how the selected work gets done during the Sprint?
    options:
      - text: The Developers
        correct: true
      - text: The Product Owner
        why: The Product Owner decides on the order of work, not how it is done.
    explanation: >-
      How the work is turned into Increments is the Developers' call alone.
    refs: [SG-62]
"""


def question(**changes):
    base = {"id": "EVT-010", "type": "single", "difficulty": 2,
            "stem": "Who decides how the selected work gets done?",
            "options": [{"text": "The Developers", "correct": True},
                        {"text": "The Product Owner"}, {"text": "The Scrum Master"},
                        {"text": "The stakeholders"}],
            "explanation": "The Developers decide how.", "refs": ["SG-62"], "topic": "events"}
    return Question.model_validate(base | changes)


def parse(text, source="events.yaml"):
    return parse_question_file(textwrap.dedent(text), source)


# ------------------------------------------------------------------ references file


def test_references_carry_licence_attribution_and_every_fact():
    refs = load_references()
    assert refs.licence.name == "CC BY-SA 4.0" and "Ken Schwaber and Jeff Sutherland" in (
        refs.licence.attribution)
    header = data_file("references.yaml").read_text().split("\n")[:20]
    assert any("Changes:" in line for line in header)
    assert all(f.quotes and f.statement and f.section for f in refs.facts)
    assert refs.fact("SG-27").section == "Product Owner"
    source_ids = re.findall(r"\*\*([A-Z0-9]+-\d+)\*\*", FACTS_SOURCE.read_text())
    assert sorted(f.id for f in refs.facts) == sorted(set(source_ids))


def test_quotations_are_short():
    for fact in load_references().facts:
        for quote in fact.quotes:
            assert len(quote.split()) <= 60, fact.id


# ------------------------------------------------------------------ schema and load errors


def test_a_good_file_loads():
    [loaded] = parse(GOOD)
    assert (loaded.id, loaded.topic, loaded.key, loaded.picks) == ("EVT-010", "events", [0], 1)


@pytest.mark.parametrize(("old", "new", "message"), [
    ("    difficulty: 2\n", "    difficulty: 5\n",
     "events.yaml question EVT-010 field 'difficulty': Input should be less than or equal to 3"),
    ("    refs: [SG-62]", "    refs: [SG-999]",
     "events.yaml question EVT-010 field 'refs': unknown reference id(s) ['SG-999']"),
    ("  - id: EVT-010", "  - id: ST-010",
     "events.yaml question ST-010 field 'id': expected the prefix EVT- of topic events"),
    ("      - text: The Developers\n", "      - txt: The Developers\n",
     "events.yaml question EVT-010 field 'options.0.txt': unknown key (did you mean 'text'?)"),
    ("        correct: true\n", "",
     "events.yaml question EVT-010 field '(top level)': Value error, a single question has "
     "exactly one correct option, got 0"),
    ("    type: single", "    type: multi",
     "a multi question needs 'choose'"),
    ("    type: single", "    type: multi\n    choose: 2",
     "choose 2 does not match the 1 option(s) marked correct"),
    ("    type: single", "    type: truefalse",
     "a truefalse question has exactly the two options 'True' and 'False'"),
    ("topic: events", "topic: scrum_team",
     "events.yaml field 'topic': 'scrum_team' must be the file's stem"),
    ("    stem: >-", "    colour: red\n    stem: >-",
     "events.yaml question EVT-010 field 'colour': Extra inputs are not permitted"),
])
def test_malformed_questions_are_named_by_file_id_and_field(old, new, message):
    assert old in GOOD
    with pytest.raises(DataError) as caught:
        parse(GOOD.replace(old, new))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_truefalse_needs_exactly_two_options():
    with pytest.raises(ValueError, match="exactly the two options"):
        question(type="truefalse", options=[{"text": "True", "correct": True},
                                            {"text": "False"}, {"text": "Maybe"}])
    assert question(type="truefalse", options=[{"text": "False"},
                                               {"text": "True", "correct": True}]).key == [1]


def test_broken_yaml_and_layout():
    with pytest.raises(DataError, match=r"events.yaml line \d+: not valid YAML"):
        parse("topic: events\nquestions: [\n  - id: x")
    with pytest.raises(DataError, match="exactly the keys 'topic' and 'questions'"):
        parse("topic: events\n")
    with pytest.raises(DataError, match="question #1: expected a mapping"):
        parse("topic: events\nquestions:\n  - just text\n")


def test_load_bank_reports_missing_folder_and_duplicate_ids(tmp_path):
    with pytest.raises(DataError, match="no question files"):
        load_bank(tmp_path / "nothing")
    shutil.copytree(FIXTURE_BANK, tmp_path / "bank")
    (tmp_path / "bank" / "events.yaml").write_text(
        (FIXTURE_BANK / "events.yaml").read_text() + textwrap.indent(
            textwrap.dedent(GOOD).split("questions:\n", 1)[1].replace("EVT-010", "EVT-001"),
            ""))
    with pytest.raises(DataError, match=r"question id\(s\) \['EVT-001'\] used more than once"):
        load_bank(tmp_path / "bank")


def test_bad_file_in_a_bank_folder_names_the_file(tmp_path):
    shutil.copytree(FIXTURE_BANK, tmp_path / "bank")
    path = tmp_path / "bank" / "artifacts.yaml"
    path.write_text(path.read_text().replace("refs: [SG-83]", "refs: []"))
    with pytest.raises(DataError, match="artifacts.yaml question AR-001 field 'refs'"):
        load_bank(tmp_path / "bank")


# ------------------------------------------------------------------ quality checks


@pytest.mark.parametrize("text", [
    "The Development Team decides.", "A self-organizing team", "a servant-leader",
    "the three questions of the Daily Scrum", "spend 10% of capacity on refinement",
    "a Definition of Ready", "Sprint 0", "backlog grooming", "the Product Owner role",
    "the three Scrum roles"])
def test_stale_terms_are_found_in_stems_and_options(text):
    assert stale_term_problems([question(stem=f"Consider this: {text}")])
    options = [{"text": "The Developers", "correct": True}, {"text": text}]
    assert stale_term_problems([question(options=options)])


def test_about_term_allows_a_question_about_that_term():
    q = question(stem="Is the Definition of Ready part of Scrum?",
                 about_term="Definition of Ready")
    assert stale_term_problems([q]) == []
    other = question(stem="Is the Definition of Ready set by the Development Team?",
                     about_term="Definition of Ready")
    assert ["Development Team" in p for p in stale_term_problems([other])] == [True]
    assert len(STALE_TERMS) >= 8


def test_near_duplicate_stems():
    a = question(id="EVT-001", stem="Who decides how the selected work gets done in a Sprint?")
    b = question(id="EVT-002", stem="Who decides how the selected work gets done in the Sprint?")
    c = question(id="EVT-003", stem="What is the timebox of the Sprint Review?")
    assert near_duplicate_stems([a, b, c]) == [("EVT-001", "EVT-002", 0.91)]
    assert stem_similarity(a.stem, c.stem) < 0.3


def test_skewed_answer_positions_are_reported():
    def at(position, n):
        opts = [{"text": f"option {i}", "correct": i == position} for i in range(4)]
        return question(id=f"EVT-{n:03d}", options=opts)

    skewed = [at(0, n) for n in range(40)]
    assert position_skew_problems(skewed)[0].startswith("option position 1: 40 keys")
    even = [at(n % 4, n) for n in range(40)]
    assert position_skew_problems(even) == []
    assert answer_position_table(even)["observed"].tolist() == [10, 10, 10, 10]
    tf = [question(id=f"EVT-{n:03d}", type="truefalse",
                   options=[{"text": "True", "correct": True}, {"text": "False"}])
          for n in range(12)]
    assert position_skew_problems(tf) == ["true/false keys: 100% are 'True' (expected between "
                                          "30% and 70%)"]


def test_options_that_point_at_other_options_are_reported():
    options = [{"text": "The Developers", "correct": True}, {"text": "Both of the above"},
               {"text": "Answer B and C"}, {"text": "Neither of the options"}]
    assert len(positional_option_problems([question(options=options)])) == 3
    assert positional_option_problems([question()]) == []


def test_fixture_bank_is_clean():
    assert bank_problems(load_bank(FIXTURE_BANK)) == []


# ------------------------------------------------------------------ the full bank


@pytest.fixture(scope="module")
def full_bank():
    return load_bank(questions_dir())


def test_full_bank_size_and_coverage(full_bank):
    blueprint = load_blueprint()
    counts = Counter(blueprint.area_of(q.topic).title for q in full_bank.questions)
    assert len(full_bank) >= 320
    assert {a.title: counts[a.title] for a in blueprint.focus_areas
            if counts[a.title] < 20} == {}
    assert min(Counter(q.topic for q in full_bank.questions).values()) >= 10
    assert sorted(p.stem for p in questions_dir().glob("*.yaml")) == sorted(TOPICS)
    types = Counter(q.type for q in full_bank.questions)
    assert min(types["single"], types["multi"], types["truefalse"]) >= 20
    assert set(Counter(q.difficulty for q in full_bank.questions)) == {1, 2, 3}


def test_full_bank_has_scenario_questions(full_bank):
    scenarios = [q for q in full_bank.questions if len(q.stem) >= 120]
    assert len(scenarios) >= 0.3 * len(full_bank), "at least 30% scenario-length stems"


def test_full_bank_passes_every_quality_check(full_bank):
    assert bank_problems(full_bank) == []


def test_full_bank_exam_strategies(full_bank):
    clock = FakeClock(dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    exam = start_exam(full_bank, seed=42, clock=clock)
    assert len(exam) == load_blueprint().questions == 80
    answer_all(exam, "key", seed=42)
    assert (exam.finish().score, exam.result().passed) == (1.0, True)
    guess = start_exam(full_bank, seed=42, clock=clock)
    answer_all(guess, "random", seed=42)
    assert guess.finish().score < 0.5


# ------------------------------------------------------------------ test-wise cues (issue 14)


@pytest.fixture(scope="module")
def cues(full_bank):
    return cue_figures(full_bank, load_references())


def test_the_bank_gives_a_test_wise_learner_no_cue_to_follow(cues):
    """Cue-only strategy, absolute words, Guide wording and key combinations all within
    :data:`CUE_LIMITS`; a failure lists each figure beyond its limit in words."""
    keys, distractors = cues["absolute_shares"]
    print(f"cue-only score on single-answer items: {cues['cue_only_score']:.1%}")
    print(f"absolute words: keys {keys:.1%}, distractors {distractors:.1%}, "
          f"ratio {cues['absolute_ratio']}")
    keys, distractors = cues["guide_phrase_shares"]
    print(f"Guide phrases: keys {keys:.1%}, distractors {distractors:.1%}, "
          f"ratio {cues['guide_phrase_ratio']}")
    table = cues["key_combinations"]
    print(table.to_string(index=False))
    assert not table[table["items"] >= CUE_LIMITS.min_group].empty, "combinations are judged"
    assert cue_problems(cues) == []


# ------------------------------------------------------------------ blueprint and variants


def test_1000_exam_draws_follow_the_blueprint_without_variants(full_bank):
    blueprint = load_blueprint()
    areas, types = Counter(), Counter()
    for seed in range(1000):
        drawn = [full_bank.by_id[q] for q in draw_exam(full_bank, seed)]
        facts = [q.fact for q in drawn if q.fact]
        assert len(facts) == len(set(facts)), f"seed {seed}: two variants of one fact"
        for cap in blueprint.caps:
            assert sum(cap.applies_to(q) for q in drawn) <= cap.at_most, (seed, cap.name)
        per_area = Counter(blueprint.area_of(q.topic).id for q in drawn)
        assert per_area == {a.id: a.questions for a in blueprint.focus_areas}, seed
        areas.update(per_area)
        types.update(q.type for q in drawn)
    print("per exam, by focus area:", {a: n / 1000 for a, n in areas.items()})
    print("per exam, by type:", {t: n / 1000 for t, n in types.items()})
    assert min(types.values()) / 1000 >= 10


def test_variants_and_practice_items_are_marked(full_bank):
    groups = Counter(q.fact for q in full_bank.questions if q.fact)
    assert len(groups) >= 25 and min(groups.values()) >= 2, "a fact group has one item"
    practice = [q for q in full_bank.questions if q.basis == "practice"]
    assert {"BS-003", "BS-004", "SC-017", "VG-023", "SC-010"} <= {q.id for q in practice}
    assert all(q.source and q.topic != "flow" for q in practice)
    kanban = [f"FL-{n:03d}" for n in range(1, 11)]
    assert [full_bank.by_id[q].topic for q in kanban] == ["flow"] * 10
    assert full_bank.by_id["PV-021"].id == "FL-004", "a moved item keeps its former id"


def test_practice_source_is_shown_with_the_feedback(full_bank):
    attempt = new_attempt(full_bank, ["BS-004"], "learn", seed=1, title="t")
    feedback = attempt.answer(1, attempt.answer_key(1))
    assert feedback.references[-1] == ("Practice beyond the Guides: Geoffrey A. Moore, "
                                       "Crossing the Chasm (1991)")


def test_every_item_records_when_it_was_written_and_last_reviewed(full_bank):
    today = dt.date.today()
    undated = [q.id for q in full_bank.questions if q.written is None or q.reviewed is None]
    assert undated == [], "each item records its author date and its last review"
    assert all(q.written <= q.reviewed <= today for q in full_bank.questions)
    reviewed = Counter(q.reviewed.isoformat() for q in full_bank.questions)
    print(f"items by last review: {dict(sorted(reviewed.items()))}")


def test_every_key_is_backed_by_a_reference_or_a_named_practice(full_bank):
    problems = unsupported_key_problems(full_bank.questions, load_references())
    practice = sum(q.basis == "practice" for q in full_bank.questions)
    print(f"keys without a supporting reference: {len(problems)}; "
          f"items resting on a named practice: {practice}")
    assert problems == []
