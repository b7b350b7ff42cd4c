"""Module 8: the course recap before the practice exam, and the assessment facts it shows."""

from __future__ import annotations

from pspo_lab.analysis.attempts import topic_table
from pspo_lab.analysis.recap import course_recap_table, key_facts
from pspo_lab.analysis.sessions import MODULE_TOPICS
from pspo_lab.content.question_bank import load_bank, load_references
from pspo_lab.content.syllabus import assessment_facts, load_syllabus

BANK = load_bank()


def test_recap_has_one_row_per_taught_part_with_its_idea_and_notebook():
    table = course_recap_table(BANK)
    syllabus = load_syllabus()
    assert table.index.tolist() == sorted(MODULE_TOPICS)
    for part_id, row in table.iterrows():
        part = syllabus.part(part_id)
        assert row["idea to take away"] == part.recap
        assert row["notebook"] == f"{part.notebook}.ipynb"
    assert set(table["your practice"]) == {"not practised yet"}


def test_key_facts_are_cited_by_the_parts_questions_and_never_repeated():
    facts = key_facts(BANK, 3)
    shown = [f for ids in facts.values() for f in ids]
    assert len(shown) == len(set(shown)) == 3 * len(MODULE_TOPICS)
    for part, ids in facts.items():
        cited = {r for t in MODULE_TOPICS[part] for q in BANK.topic(t) for r in q.refs}
        assert set(ids) <= cited
    statement = load_references().fact(facts[7][0]).statement
    assert f"{facts[7][0]} {statement}" in course_recap_table(BANK).loc[7, "key facts"]


def test_practice_so_far_adds_up_the_parts_topics():
    history = topic_table({"scrum_team": (4, 5), "events": (3, 5), "flow": (0, 0)})
    table = course_recap_table(BANK, history)
    assert table.loc[5, "your practice"] == "7 of 10 right (70%)"
    assert table.loc[7, "your practice"] == "not practised yet"


def test_assessment_facts_of_the_course_page_include_the_next_level_and_pdus():
    facts = assessment_facts()["what to know"]
    assert facts["After passing"] == ("a discount on the PSPO II assessment for those who "
                                      "pass PSPO I")
    assert "PMI PDUs can be claimed" in facts["PMI PDUs"]
    assert facts["Password"].startswith("given at the end of the course")
    assert facts.index.tolist()[:2] == ["Questions and time", "Pass mark"]
