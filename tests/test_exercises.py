"""Sorting exercises, ethics scenarios and the motivation self-assessment."""

import pytest

from pspo_lab import ParameterError
from pspo_lab.analysis.exercises import check_choices, motivation_advice, motivation_profile
from pspo_lab.content.team_practice import MOTIVATION_STATEMENTS, ethics_scenarios
from pspo_lab.widgets.exercises import ChoiceExercise, motivation_check, scenario_cards


def test_check_choices_marks_right_wrong_and_unanswered():
    table = check_choices({"a": "yes", "b": "no", "c": None}, {"a": "yes", "b": "yes",
                                                                "c": "no"}, {"b": "Why."})
    assert table["correct"].tolist() == [True, False, False]
    assert table["answered"].tolist() == [True, True, False]
    assert table.loc["b", "why"] == "Why."
    with pytest.raises(ParameterError, match="'z' has no expected answer"):
        check_choices({"z": "yes"}, {"a": "yes"})


def test_the_exercise_checks_only_when_asked_and_explains_the_key():
    exercise = ChoiceExercise({"S1": "Pass the audit", "S2": "Suggest five dinners"},
                              ["serves", "does not"], {"S1": "does not", "S2": "serves"},
                              {"S1": "A constraint, not a step."})
    assert exercise.feedback.value == ""
    exercise.choices["S1"].value = "serves"
    exercise.button.click()
    page = exercise.feedback.value
    assert "0 of 2 right, 1 not answered yet" in page
    assert "S1: not quite, expected does not. A constraint, not a step." in page


def test_every_scenario_keeps_its_discussion_folded():
    cards = scenario_cards(ethics_scenarios())
    folded = cards.children[1::2]
    assert len(folded) == len(ethics_scenarios())
    assert all(card.selected_index is None for card in folded)
    assert "Scrum values at stake: openness, courage." in folded[0].children[0].value


def test_the_profile_averages_each_driver_and_names_the_weakest():
    ratings = dict.fromkeys(MOTIVATION_STATEMENTS, 4) | {"decide_how": 1, "shape_sprint": 2}
    profile = motivation_profile(ratings)
    assert profile.loc["autonomy", "score"] == 1.5
    assert profile["weakest"].tolist() == [True, False, False]
    assert motivation_advice(profile).startswith("Weakest: autonomy (1.5 of 5). Ask the team")
    high = motivation_profile(dict.fromkeys(MOTIVATION_STATEMENTS, 5))
    assert motivation_advice(high).startswith("All three drivers score 4 or more")
    with pytest.raises(ParameterError, match="'feedback': 7 is not a rating"):
        motivation_profile(dict.fromkeys(MOTIVATION_STATEMENTS, 3) | {"feedback": 7})


def test_the_self_assessment_labels_are_the_statements_a_learner_reads():
    check = motivation_check()
    labels = [control.description for control in check.controls.values()]
    assert labels == [statement for _, statement in MOTIVATION_STATEMENTS.values()]
    assert "_" not in "".join(labels)


def test_the_case_study_exercises_take_their_key_from_the_data():
    from pspo_lab import load_dataset
    from pspo_lab.widgets.exercises import DOES_NOT, SERVES, sprint_goal_exercise

    goals = load_dataset("sprint_goals", seed=7)
    exercise = sprint_goal_exercise(goals)
    assert list(exercise.choices) == [f"Sprint {n}" for n in goals["sprint"]]
    assert sum(v == SERVES for v in exercise.key.values()) == 7
    for name, control in exercise.choices.items():
        control.value = SERVES if exercise.key[name] == DOES_NOT else DOES_NOT
    assert exercise.check()["correct"].sum() == 0
    assert "0 of 12 right" in exercise.feedback.value


def test_a_tie_in_all_three_drivers_asks_where_to_start_and_labels_fit_a_slider():
    even = motivation_profile(dict.fromkeys(MOTIVATION_STATEMENTS, 2))
    assert motivation_advice(even) == ("All three drivers score 2.0 of 5: ask the team which "
                                       "one holds it back most, and start there.")
    assert max(len(text) for _, text in MOTIVATION_STATEMENTS.values()) <= 50
