"""Unit tests of the assessment engine on the small fixture bank in tests/fixtures/questions."""

import datetime as dt
import json
import threading

import pandas as pd
import pytest
from repo_paths import REPO_ROOT

from pspo_lab.analysis.attempts import (
    AttemptStore,
    FakeClock,
    attempt_history,
    topic_history,
    topic_table,
    weakest_topics,
)
from pspo_lab.analysis.exam import ExamStillOpen, Result, TimeUp, new_attempt
from pspo_lab.analysis.progress import (
    attempts_sentence,
    plot_progress,
    plot_topic_scores,
    weakest_topics_sentence,
)
from pspo_lab.analysis.sessions import (
    MODULE_TOPICS,
    answer_all,
    attempt_seed,
    draw_exam,
    draw_topics,
    resume,
    start_exam,
    start_learn,
    start_weak_topic_practice,
)
from pspo_lab.content.blueprint import load_blueprint
from pspo_lab.content.question_bank import TOPICS, Bank, load_bank
from pspo_lab.core import records
from pspo_lab.core.errors import DataError, ParameterError
from pspo_lab.core.workspace import Workspace
from pspo_lab.widgets.quiz import QuizView, module_check, resume_view, review_view

FIXTURE_BANK = REPO_ROOT / "tests" / "fixtures" / "questions"

SMALL = {"scrum_team": 3, "events": 2}
START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


@pytest.fixture()
def bank():
    return load_bank(FIXTURE_BANK)


@pytest.fixture()
def clock():
    return FakeClock(START)


@pytest.fixture()
def ws(tmp_path):
    return Workspace(tmp_path / "ws")


def test_blueprint_matches_the_syllabus_format_and_topics():
    blueprint = load_blueprint()
    assert blueprint.questions == 80 == sum(a.questions for a in blueprint.focus_areas)
    assert sorted(t for a in blueprint.focus_areas for t in a.topics) == sorted(TOPICS)
    assert [a.title for a in blueprint.focus_areas] == [
        "Scrum theory and the framework", "Product Value", "Product Backlog Management",
        "Business Strategy", "Stakeholders & Customers", "Product Vision",
        "Forecasting & Release Planning"]
    assert {t for topics in MODULE_TOPICS.values() for t in topics} <= set(TOPICS)
    assert sorted(MODULE_TOPICS) == [1, 2, 3, 4, 5, 6, 7]


def test_exam_draw_follows_the_blueprint_and_the_seed(bank):
    drawn = draw_exam(bank, seed=3, blueprint=SMALL)
    assert len(drawn) == len(set(drawn)) == 5
    assert sum(q.startswith("ST-") for q in drawn) == 3
    assert draw_exam(bank, seed=3, blueprint=SMALL) == drawn
    assert any(draw_exam(bank, seed=s, blueprint=SMALL) != drawn for s in range(4, 10))
    with pytest.raises(DataError, match=r"\(topics artifacts\) has 2 questions, the exam blue"):
        draw_exam(bank, seed=1, blueprint={"artifacts": 3})


def test_draw_topics_prefers_questions_not_yet_known(bank):
    drawn = draw_topics(bank, ["events"], 3, seed=0, avoid=["EVT-001", "EVT-002"])
    assert "EVT-001" not in drawn[:2] and "EVT-002" not in drawn[:2]
    with pytest.raises(DataError, match="only 2 questions"):
        draw_topics(bank, ["artifacts"], 3, seed=0)
    with pytest.raises(ParameterError, match="unknown topic"):
        draw_topics(bank, ["nope"], 1, seed=0)


def test_options_are_shuffled_per_attempt_and_seed(bank):
    ids = [q.id for q in bank.questions]
    a = new_attempt(bank, ids, "learn", seed=1, title="a")
    b = new_attempt(bank, ids, "learn", seed=1, title="b")
    c = new_attempt(bank, ids, "learn", seed=2, title="c")
    assert a.state.orders == b.state.orders != c.state.orders
    for number in range(1, len(a) + 1):
        shown, question = a.question(number), bank.by_id[ids[number - 1]]
        assert sorted(shown.options) == sorted(o.text for o in question.options)
        if question.type == "truefalse":
            assert shown.options == ["True", "False"]


def test_exam_gives_no_feedback_and_scores_all_or_nothing(bank, clock):
    exam = start_exam(bank, seed=5, blueprint=SMALL, clock=clock)
    assert exam.state.minutes == 60 and exam.state.pass_mark == 0.85
    multi = next(n for n in range(1, 6) if exam.question(n).type == "multi")
    key = exam.answer_key(multi)
    wrong = [p for p in range(len(exam.question(multi).options)) if p not in key]
    assert exam.answer(multi, [key[0], wrong[0]]) is None
    with pytest.raises(ExamStillOpen, match="the score, keys and explanations"):
        exam.result()
    with pytest.raises(ParameterError, match="choose 2"):
        exam.answer(multi, key[:1])
    assert exam.finish().correct == 0, "half right counts as wrong"
    retake = start_exam(bank, seed=5, blueprint=SMALL, clock=clock)
    retake.answer(multi, key)
    assert retake.question(multi).chosen == key
    assert retake.finish().correct == 1 == retake.result().correct


def test_running_exam_refuses_feedback_and_review(bank, clock):
    exam = start_exam(bank, seed=5, blueprint=SMALL, clock=clock)
    exam.answer(1, exam.answer_key(1))
    for peek in (lambda: exam.feedback(1), exam.review, lambda: exam.review("wrong")):
        with pytest.raises(ExamStillOpen, match="exam is still running; the score, keys"):
            peek()
    assert issubclass(ExamStillOpen, ParameterError)
    page = review_view(exam).children[1].value
    assert "press Finish" in page and "Key:" not in page
    exam.finish()
    assert exam.feedback(1).correct and len(exam.review()) == 5


def test_learn_mode_feedback_and_review_need_no_finish(bank):
    learn = new_attempt(bank, ["ST-002", "ST-003"], "learn", seed=0, title="t")
    learn.answer(1, learn.answer_key(1))
    assert learn.feedback(1).correct and not learn.finished
    assert learn.review().loc[1, "correct"]


def test_each_retake_is_a_new_reproducible_draw(bank, clock, ws):
    blueprint = {"scrum_team": 4, "events": 4}
    first = start_exam(bank, seed=11, blueprint=blueprint, clock=clock, workspace=ws)
    answer_all(first, "random", seed=11)
    first.finish()
    second = start_exam(bank, seed=11, blueprint=blueprint, clock=clock, workspace=ws)
    assert second.state.title == "Practice exam 2"
    draw = (second.state.question_ids, second.state.orders)
    assert draw != (first.state.question_ids, first.state.orders)
    again = start_exam(bank, seed=11, blueprint=blueprint, clock=clock, number=1)
    assert (again.state.question_ids, again.state.orders) == draw
    fresh = start_exam(bank, seed=11, blueprint=blueprint, clock=clock)
    assert fresh.state.orders == first.state.orders, "no workspace: the first attempt"
    assert len({attempt_seed(11, n) for n in range(50)}) == 50
    with pytest.raises(ParameterError, match="must be 0 or more"):
        attempt_seed(11, -1)


def test_exam_clock_uses_timestamps_and_closes_answers(bank, clock):
    exam = start_exam(bank, seed=5, blueprint=SMALL, clock=clock)
    assert exam.time_remaining() == dt.timedelta(minutes=60)
    clock.advance(minutes=59, seconds=30)
    assert exam.time_remaining() == dt.timedelta(seconds=30)
    clock.advance(minutes=5)
    assert exam.expired() and exam.time_remaining() == dt.timedelta(0)
    with pytest.raises(TimeUp, match="60 minutes are over"):
        exam.answer(1, exam.answer_key(1))
    result = exam.finish()
    assert exam.state.finished_at == START + dt.timedelta(minutes=60)
    assert result.correct == 0 and not result.passed
    with pytest.raises(ParameterError, match="finished"):
        exam.answer(1, [0])


def test_strategies_give_the_scores_they_promise(bank, clock):
    exam = start_exam(bank, seed=42, blueprint=SMALL, clock=clock)
    assert answer_all(exam, "key", seed=42) == 5
    result = exam.finish()
    assert (result.score, result.passed) == (1.0, True)
    guess = start_exam(bank, seed=42, blueprint=SMALL, clock=clock)
    answer_all(guess, "random", seed=42)
    assert guess.finish().correct == 2
    again = start_exam(bank, seed=42, blueprint=SMALL, clock=clock)
    answer_all(again, "random", seed=42)
    assert again.state.answers == guess.state.answers
    idle = start_exam(bank, seed=42, blueprint=SMALL, clock=clock)
    assert answer_all(idle, "none", seed=42) == 0
    with pytest.raises(ParameterError, match="answer_strategy parameter: 'lucky'"):
        answer_all(idle, "lucky", seed=1)


def test_learn_mode_gives_feedback_at_once_and_locks_the_answer(bank, clock):
    learn = new_attempt(bank, ["ST-002", "ST-003"], "learn", seed=0, title="t", clock=clock)
    shown = learn.question(1)
    assert shown.options == ["True", "False"] and shown.prompt == "True or false?"
    feedback = learn.answer(1, [0])
    assert not feedback.correct and feedback.key == [1]
    assert feedback.references[0].startswith("SG-32 (Scrum Guide 2020, Product Owner)")
    with pytest.raises(ParameterError, match="already answered"):
        learn.answer(1, [1])
    second = learn.answer(2, learn.feedback(2).key)
    assert second.correct and learn.finished
    wrong_pick = learn.feedback(2)
    assert wrong_pick.why == {}


def test_feedback_explains_the_wrong_option_chosen(bank):
    learn = new_attempt(bank, ["EVT-001"], "learn", seed=4, title="t")
    shown = learn.question(1)
    wrong = shown.options.index("At most four hours")
    feedback = learn.answer(1, [wrong])
    assert feedback.why == {wrong: "Four hours is the Sprint Review's timebox for a one-month "
                                   "Sprint."}


def test_grid_flags_and_review(bank, clock):
    exam = start_exam(bank, seed=1, blueprint=SMALL, clock=clock)
    exam.flag(2)
    exam.answer(1, exam.answer_key(1))
    grid = exam.grid()
    assert grid.loc[1, "answered"] and grid.loc[2, "flagged"] and not grid.loc[3, "flagged"]
    exam.flag(2, False)
    assert not exam.grid()["flagged"].any()
    exam.flag(3)
    exam.finish()
    review = exam.review()
    assert len(review) == 5 and review.loc[1, "correct"]
    assert list(exam.review("wrong").index) == [2, 3, 4, 5]
    assert list(exam.review("flagged").index) == [3]
    with pytest.raises(ParameterError, match="flags are closed"):
        exam.flag(1)
    assert review.loc[2, "your_answer"] == []


def test_per_topic_percentages(bank, clock):
    exam = start_exam(bank, seed=1, blueprint=SMALL, clock=clock)
    for number in range(1, 6):
        if exam.question(number).id.startswith("ST-"):
            exam.answer(number, exam.answer_key(number))
    result = exam.finish()
    assert result.topics.loc["scrum_team", "percent"] == 100.0
    assert result.topics.loc["events", "percent"] == 0.0
    assert result.headline() == "Score 3/5 (60.0%): not passed (pass mark 85%)"


def test_autosave_and_resume_after_a_restart(bank, clock, ws):
    exam = start_exam(bank, seed=9, blueprint=SMALL, clock=clock, workspace=ws)
    attempts = records.ASSESSMENT_ATTEMPTS.kind
    assert not ws.records(attempts), "nothing is written before the first answer"
    exam.answer(1, exam.answer_key(1))
    exam.flag(2)
    clock.advance(minutes=20)
    # a new kernel: only the workspace survives
    again = resume(load_bank(FIXTURE_BANK), ws, clock=clock)
    assert again.state.name == exam.state.name
    assert again.question(1).chosen == exam.question(1).chosen and again.question(2).flagged
    assert again.time_remaining() == dt.timedelta(minutes=40)
    answer_all(again, "key", seed=9)
    assert again.finish().passed
    assert AttemptStore(ws).unfinished() == []
    earlier = ws.history(*records.ASSESSMENT_ATTEMPTS.named(exam.state.name))
    assert earlier and earlier[0].data["summary"] is None, "the autosave went to history"
    with pytest.raises(DataError, match="no unfinished attempt"):
        resume(bank, ws)


def test_autosaves_replace_the_draft_without_filling_history(bank, clock, ws):
    exam = start_exam(bank, seed=3, blueprint=SMALL, clock=clock, workspace=ws)
    for number in range(1, 4):  # every answer autosaves the attempt
        exam.answer(number, exam.answer_key(number))
    name = records.ASSESSMENT_ATTEMPTS.named(exam.state.name)
    assert ws.history(*name) == [], "drafts of one attempt are not history"
    assert len(ws.load(*name)["answers"]) == 3, "the record holds the latest draft"
    folder = ws.path(*name).parent
    assert sorted(p.name for p in folder.iterdir() if p.name != ".history") == [
        ws.path(*name).name], "no stray temporary files beside the record"


def test_an_autosave_waits_while_another_save_holds_the_workspace(bank, clock, ws):
    exam = start_exam(bank, seed=3, blueprint=SMALL, clock=clock, workspace=ws)
    attempts = records.ASSESSMENT_ATTEMPTS.kind
    with Workspace(ws.root)._locked():  # another kernel in the middle of a save
        answering = threading.Thread(target=exam.answer, args=(1, exam.answer_key(1)))
        answering.start()
        answering.join(timeout=1)
        assert answering.is_alive() and not ws.records(attempts), "it waits for the lock"
    answering.join(timeout=120)
    assert not answering.is_alive() and len(ws.records(attempts)) == 1


def test_new_attempts_never_overwrite_existing_records(bank, clock, ws):
    first = start_exam(bank, seed=1, blueprint=SMALL, clock=clock, workspace=ws)
    answer_all(first, "random", seed=1)
    first.finish()
    before = {p: p.read_bytes() for p in ws.root.rglob("*.json")}
    second = start_exam(bank, seed=1, blueprint=SMALL, clock=clock, workspace=ws)
    answer_all(second, "key", seed=1)
    second.finish()
    assert second.state.name != first.state.name
    assert all(p.read_bytes() == data for p, data in before.items())


def test_history_weak_topics_and_practice(bank, clock, ws):
    exam = start_exam(bank, seed=2, blueprint=SMALL, clock=clock, workspace=ws)
    for number in range(1, 6):
        if exam.question(number).id.startswith("ST-"):
            exam.answer(number, exam.answer_key(number))
    exam.finish()
    history = topic_history(ws, bank)
    assert history.loc["scrum_team", ["correct", "questions"]].tolist() == [3, 3]
    assert history.loc["events", ["correct", "questions"]].tolist() == [0, 2]
    assert weakest_topics(history, 1) == ["events"]
    practice = start_weak_topic_practice(bank, ws, seed=2, n=4, topics=2, clock=clock)
    assert practice.state.mode == "practice"
    assert len(practice) == 4
    assert {q.topic for q in practice.questions} <= set(weakest_topics(history, 2))
    assert "events" in {q.topic for q in practice.questions}
    table = attempt_history(ws)
    assert table[["mode", "correct", "questions", "passed"]].values.tolist() == [
        ["exam", 3, 5, False]]


def test_learn_avoids_questions_already_answered_correctly(bank, clock, ws):
    first = start_learn(bank, 0, ["artifacts"], 1, workspace=ws, clock=clock)
    answer_all(first, "key", seed=0)
    second = start_learn(bank, 0, ["artifacts"], 1, workspace=ws, clock=clock)
    assert second.state.question_ids != first.state.question_ids


def test_module_check_headless_and_interactive(bank, ws, clock):
    view = module_check(5, ws, seed=3, strategy="key", bank=bank, clock=clock)
    assert view.attempt.state.mode == "check" and len(view.attempt) == 5
    assert {q.topic for q in view.attempt.questions} == {"scrum_team", "events", "artifacts",
                                                        "definition_of_done"}
    assert view.attempt.result().score == 1.0 and view.attempt.finished
    assert len(ws.records(records.ASSESSMENT_ATTEMPTS.kind)) == 1
    quiet = module_check(5, ws, seed=4, bank=bank, clock=clock)
    assert not quiet.attempt.state.answers
    assert len(ws.records(records.ASSESSMENT_ATTEMPTS.kind)) == 1
    with pytest.raises(ParameterError, match="part 8 has no check"):
        module_check(8, ws, bank=bank)


def test_quiz_view_wires_the_engine(bank, clock, ws):
    exam = start_exam(bank, seed=7, blueprint=SMALL, clock=clock, workspace=ws)
    view = QuizView(exam)
    assert "0/5 answered · 60:00 left" in view.clock.value
    key = exam.answer_key(1)
    if exam.question(1).type == "multi":
        for position in key:
            view.choices.children[position].value = True
    else:
        view.choices.children[0].value = key[0]
    assert exam.question(1).chosen == key, "a complete selection is recorded at once"
    assert "1/5 answered" in view.clock.value
    view.answer_button.click()
    assert view.current == 2 and exam.question(1).chosen == key
    assert view.message.value == "", "no feedback during the exam"
    view.flag.value = True
    assert exam.question(2).flagged and view.grid_buttons[1].icon == "flag"
    clock.advance(minutes=61)
    if exam.question(2).type == "multi":
        for position in range(exam.question(2).picks):
            view.choices.children[position].value = True
    else:
        view.choices.children[0].value = 0
    assert exam.finished and "Score 1/5" in view.results.value
    assert "60 minutes are over" in view.message.value
    saved = json.loads(ws.path(*records.ASSESSMENT_ATTEMPTS.named(exam.state.name)).read_text())
    assert saved["data"]["summary"]["correct"] == 1


def test_quiz_view_learn_mode_shows_feedback(bank):
    learn = new_attempt(bank, ["AR-001", "AR-002"], "learn", seed=1, title="<b>t</b>")
    view = QuizView(learn)
    assert "&lt;b&gt;" in view.title.value
    view.choices.children[0].value = learn.feedback(1).key[0]
    view.answer_button.click()
    assert "Correct." in view.message.value and view.answer_button.disabled
    view.next.click()
    view.answer_button.click()
    assert "choose 1" in view.message.value


def test_review_view_filters(bank, clock):
    exam = start_exam(bank, seed=7, blueprint=SMALL, clock=clock)
    exam.finish()
    box = review_view(exam)
    box.children[0].value = "flagged"
    assert "Nothing to review" in box.children[1].value


def test_plots_return_axes(bank, clock):
    exam = start_exam(bank, seed=7, blueprint=SMALL, clock=clock)
    ax = plot_topic_scores(exam.finish())
    assert len(ax.patches) == 2
    history = pd.DataFrame({"mode": ["exam", "exam", "check"], "score": [0.5, 0.9, 1.0]})
    ax = plot_progress(history)
    assert ax.get_ylabel() == "score (%)" and len(ax.lines) == 3


def test_resume_view_lists_and_resumes_unfinished_attempts(bank, clock, ws):
    empty = resume_view(bank, ws)
    assert empty.children[2].disabled and "No unfinished" in empty.children[0].value
    exam = start_exam(bank, seed=1, blueprint=SMALL, clock=clock, workspace=ws)
    exam.flag(1)
    box = resume_view(bank, ws, clock=clock)
    assert box.children[1].value == exam.state.name
    box.children[2].click()
    [view] = box.children[3].children
    assert "60:00 left" in view.children[0].children[1].value
    smaller = Bank([q for q in bank.questions if q.id != exam.state.question_ids[0]])
    broken = resume_view(smaller, ws, clock=clock)
    broken.children[2].click()
    assert "no longer in the bank" in broken.children[0].value


def test_module_check_opens_the_workspace_parameter(bank, clock, tmp_path, monkeypatch):
    view = module_check(5, str(tmp_path / "given"), seed=1, strategy="key", bank=bank,
                        clock=clock)
    assert len(Workspace(tmp_path / "given").records(records.ASSESSMENT_ATTEMPTS.kind)) == 1
    assert view.attempt.finished
    monkeypatch.setenv("PSPO_LAB_WORKSPACE", str(tmp_path / "default"))
    module_check(5, None, seed=1, strategy="random", bank=bank, clock=clock)
    assert len(Workspace(tmp_path / "default").records(records.ASSESSMENT_ATTEMPTS.kind)) == 1


def test_a_running_exam_reveals_nothing_through_topic_history(bank, clock, tmp_path):
    ws = Workspace(tmp_path)
    exam = start_exam(bank, seed=5, blueprint=SMALL, clock=clock, workspace=ws)
    exam.answer(1, exam.answer_key(1))
    assert topic_history(ws, bank)["questions"].sum() == 0, "nothing counts before Finish"
    exam.finish()
    history = topic_history(ws, bank)
    assert history["questions"].sum() == 5 and history["correct"].sum() == 1


def test_without_history_topics_have_no_percent_and_no_weakest_pair(bank, clock, ws):
    history = topic_history(ws, bank)
    assert history["percent"].isna().all(), "no questions: no percentage, not 0%"
    assert weakest_topics_sentence(history) == (
        "No practice history yet: answer some questions first.")
    exam = start_exam(bank, seed=2, blueprint=SMALL, clock=clock, workspace=ws)
    answer_all(exam, "key", seed=2)
    exam.finish()
    history = topic_history(ws, bank)
    assert history.loc["events", "percent"] == 100.0
    assert history.loc["artifacts", "percent"] != history.loc["artifacts", "percent"]
    weak = weakest_topics(history, 2)
    assert weakest_topics_sentence(history) == (
        "Your weakest topics: " + ", ".join(TOPICS[t].title for t in weak))


def test_attempts_sentence_only_without_finished_attempts(bank, clock, ws):
    assert attempts_sentence(attempt_history(ws)).startswith("No finished attempts yet:")
    exam = start_exam(bank, seed=2, blueprint=SMALL, clock=clock, workspace=ws)
    exam.finish()
    assert attempts_sentence(attempt_history(ws)) == ""


def test_topics_below_pass_mark_weakest_first_then_by_title(bank, clock):
    exam = start_exam(bank, seed=1, blueprint={"scrum_team": 3, "events": 2, "artifacts": 2},
                      clock=clock)
    for number in range(1, len(exam) + 1):
        if exam.question(number).topic == "scrum_team":
            exam.answer(number, exam.answer_key(number))
    below = exam.finish().below_pass_mark()
    assert below.index.tolist() == ["artifacts", "events"]
    table = topic_table({"scrum_team": (1, 2), "events": (1, 2), "artifacts": (0, 2)})
    assert Result(2, 6, 0.85, table).below_pass_mark().index.tolist() == [
        "artifacts", "events", "scrum_team"]


def test_multi_question_says_how_many_to_pick_once():
    real = load_bank()
    question = next(q for q in real.by_id.values()
                    if q.type == "multi" and f"(choose {q.choose})" in q.stem)
    view = QuizView(new_attempt(real, [question.id], "learn", seed=0, title="t"))
    assert view.stem.value.lower().count("choose") == 1
    fixture = new_attempt(load_bank(FIXTURE_BANK), ["ST-003"], "learn", seed=0, title="t")
    assert "<i>Choose 2 answers.</i>" in QuizView(fixture).stem.value, "stem without the number"


def test_blueprint_file_errors_name_the_field(tmp_path):
    path = tmp_path / "blueprint.yaml"
    path.write_text("questions: 80\nfocus_areas:\n  - {id: a, title: A, questions: 79, "
                    "topics: [events]}\n")
    with pytest.raises(DataError, match="blueprint.yaml.*add up to 79 questions, not 80"):
        load_blueprint(path)


def test_exam_draw_keeps_one_item_per_fact_and_the_caps(bank):
    facts = Bank([q.model_copy(update={"fact": "same"}) for q in bank.topic("events")])
    with pytest.raises(DataError, match="only 1 questions of distinct facts"):
        draw_exam(facts, seed=1, blueprint={"events": 2})
