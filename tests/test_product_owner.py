"""The welcome notebook's Product Owner material: Guide facts, sources, self-check, goals."""

from __future__ import annotations

import pytest

from pspo_lab import DataError
from pspo_lab.content.packaged import data_file
from pspo_lab.content.product_owner import (
    SELF_CHECK,
    check_statements,
    po_accountabilities,
    po_vs_scrum_master,
    product_manager_tasks,
    pspo_vs_cspo,
)
from pspo_lab.content.question_bank import load_references
from pspo_lab.content.syllabus import course_goals, load_syllabus, parse_syllabus
from pspo_lab.widgets.self_check import StatementCheck

STALE = ("Development Team", "servant-leader", "servant leader", "self-organis", "velocity")


def _all_text(*frames) -> str:
    return " ".join(str(v) for frame in frames for v in frame.to_numpy().ravel())


def test_accountabilities_quote_the_guide_on_value_backlog_delegation_and_one_person():
    table = po_accountabilities()
    says = " ".join(table["the Guide says"])
    assert "accountable for maximizing the value of the product" in says
    for item in ("Product Goal", "Ordering Product Backlog items", "transparent, visible"):
        assert item in says
    assert "remains accountable" in table.loc["SG-30", "the Guide says"]
    one_person = table.loc["SG-32", "the Guide says"]
    assert one_person == "The Product Owner is one person, not a committee."


def test_every_cited_fact_exists_and_no_2017_wording_is_used():
    refs = load_references()
    cited = {s.fact for s in SELF_CHECK} | set(po_accountabilities().index)
    cited |= {fact for cell in product_manager_tasks()["Scrum Guide 2020"]
              for fact in cell.replace(",", " ").split() if fact.startswith("SG-")}
    for fact in cited:
        refs.fact(fact)  # raises for an unknown id
    text = _all_text(po_accountabilities(), po_vs_scrum_master(), pspo_vs_cspo(),
                     product_manager_tasks(), check_statements({}))
    for stale in STALE:
        assert stale.lower() not in text.lower()


def test_credentials_table_states_the_course_documents_facts_and_names_its_sources():
    table = pspo_vs_cspo()
    assert table.loc["Awarded by"].tolist()[:2] == ["Scrum.org", "Scrum Alliance"]
    assert "85% to pass" in table.loc["How it is earned", "PSPO"]
    assert table.loc["How it is earned", "CSPO"].startswith("the instructor approves it")
    assert table.loc["Advanced path", "PSPO"].startswith("PSPO-A")
    assert "CSP-PO" in table.loc["Advanced path", "CSPO"]
    assert table["source"].str.len().gt(0).all()


def test_po_and_scrum_master_rows_cite_their_accountabilities():
    table = po_vs_scrum_master()
    assert "SG-27" in table.loc["Accountable for", "Product Owner"]
    assert "SG-35" in table.loc["Accountable for", "Scrum Master"]
    assert "true leader who serves" in table.loc["Leads as", "Scrum Master"]


def test_self_check_marks_right_wrong_and_unanswered_and_explains_each():
    answers = {n: s.true for n, s in enumerate(SELF_CHECK, start=1)}
    answers[2] = not answers[2]
    answers[3] = None
    marked = check_statements(answers)
    assert marked.loc[1, "result"] == "right"
    assert marked.loc[2, "result"] == "wrong" and marked.loc[2, "key"] == "false"
    assert marked.loc[3, "result"] == "not answered" and marked.loc[3, "your answer"] == ""
    assert marked["why"].str.len().gt(20).all()
    assert sorted({s.true for s in SELF_CHECK}) == [False, True], "both answers occur"


def test_self_check_widget_shows_nothing_until_asked_then_every_reason():
    view = StatementCheck()
    assert view.result.value == ""
    for choice, statement in zip(view.choices, SELF_CHECK, strict=True):
        choice.value = statement.true
    view.button.click()
    assert f"{len(SELF_CHECK)} of {len(SELF_CHECK)} right" in view.result.value
    assert all(s.fact in view.result.value for s in SELF_CHECK)
    labels = [row.children[0].value for row in view.widget().children[:len(SELF_CHECK)]]
    assert all(s.text.split(",")[0][:40] in label for s, label in zip(SELF_CHECK, labels,
                                                                       strict=True))


def test_course_goals_list_objectives_and_outcomes_with_their_notebooks():
    goals = course_goals()
    assert goals["kind"].value_counts().to_dict() == {"objective": 11, "outcome": 4}
    agile_pm = goals[goals["goal"].str.contains("agile product manager")]
    assert agile_pm["notebooks"].tolist() == ["01, 02"]
    assert goals["notebooks"].str.match(r"^0\d(, 0\d)*$").all()


def test_a_goal_naming_an_unknown_part_is_refused_in_one_line():
    text = data_file("syllabus.yaml").read_text(encoding="utf-8")
    broken = text.replace('parts: [1, 5]}', 'parts: [1, 42]}', 1)
    with pytest.raises(DataError) as caught:
        parse_syllabus(broken)
    message = str(caught.value)
    assert "\n" not in message
    assert "course.objectives.0.parts names part 42" in message
    assert load_syllabus().course.objectives[0].parts == [1, 5]


def test_task_summary_names_the_gaps_and_the_delegated_tasks():
    from pspo_lab import ParameterError
    from pspo_lab.content.product_owner import task_summary

    tasks = product_manager_tasks().index.tolist()
    answers = dict.fromkeys(tasks, "I do")
    assert task_summary(answers).startswith(f"You do all {len(tasks)} tasks yourself")
    answers[tasks[2]] = "nobody"
    answers[tasks[3]] = "someone else, for me"
    summary = task_summary(answers)
    assert "Nobody does: bring business, users and Developers together." in summary
    assert "Done by someone else for you: judge which work" in summary
    assert "SG-30" in summary
    with pytest.raises(ParameterError, match="'maybe'"):
        task_summary({tasks[0]: "maybe"})


def test_task_widget_follows_every_change():
    from pspo_lab.widgets.self_check import TaskCheck

    view = TaskCheck()
    assert len(view.choices) == len(product_manager_tasks())
    view.choices[-1].value = "someone else, for me"
    assert "say no to work that does not add value; you stay accountable" in view.summary.value
    view.choices[-1].value = "I do"
    assert view.summary.value.startswith("<p><b>You do all")
