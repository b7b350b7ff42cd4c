"""Module 2's additions: stakeholder map, personas, MVP exercise, Golden Circle, vision feedback."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from pspo_lab import ParameterError, load_dataset
from pspo_lab.analysis import mvp, strategy_maps
from pspo_lab.analysis.canvas import CANVASES, GoldenCircle, plot_canvas
from pspo_lab.analysis.journey import starting_values
from pspo_lab.analysis.stakeholders import (
    QUADRANTS,
    Persona,
    persona_candidates,
    persona_gaps,
    plot_stakeholder_map,
    quadrant_counts,
    stakeholder_grid,
)
from pspo_lab.analysis.vision import MAX_WORDS, vision_feedback, vision_score
from pspo_lab.core import records
from pspo_lab.core.display import alt_text
from pspo_lab.core.workspace import Workspace
from pspo_lab.widgets.course_forms import product_form
from pspo_lab.widgets.take_home import record_models
from pspo_lab.widgets.vision_check import vision_check

PEOPLE = load_dataset("stakeholders")
PRODUCT = {"name": "ClinicBook", "users": "Patients of a dental clinic chain",
           "buyers": "the clinic chain", "problem": "Booking an appointment takes a phone call",
           "inside": ["booking page", "reminders"], "outside": ["billing"],
           "value_measure": "online bookings", "product_goal": "Every booking without a call"}


def test_grid_uses_interest_and_influence_and_gives_every_quadrant_a_strategy():
    grid = stakeholder_grid(PEOPLE)
    assert len(grid) == len(PEOPLE)
    assert set(grid["quadrant"]) == set(QUADRANTS)
    ceo, care = grid.loc["S03"], grid.loc["S10"]
    assert (ceo["interest"], ceo["influence"], ceo["quadrant"]) == (4, 5, "manage closely")
    assert (care["interest"], care["influence"], care["quadrant"]) == (5, 2, "keep informed")
    assert grid.loc["S09", "quadrant"] == "keep satisfied"
    assert (grid["strategy"] == grid["quadrant"].map(QUADRANTS)).all()
    assert grid["influence"].is_monotonic_decreasing


def test_the_threshold_moves_stakeholders_and_is_checked():
    assert quadrant_counts(stakeholder_grid(PEOPLE, high=3))["manage closely"] == 5
    assert quadrant_counts(stakeholder_grid(PEOPLE)).sum() == len(PEOPLE)
    with pytest.raises(ParameterError, match="high: 6 is outside the 1-5 ratings"):
        stakeholder_grid(PEOPLE, high=6)
    with pytest.raises(ParameterError, match="high: 1 would count every rating as high "
                                             r"\(expected 2 to 5\)"):
        stakeholder_grid(PEOPLE, high=1)


def test_map_labels_every_stakeholder_and_states_its_message():
    ax = plot_stakeholder_map(stakeholder_grid(PEOPLE))
    labels = " ".join(t.get_text().replace("\n", " ") for t in ax.texts)
    assert all(sid in labels for sid in PEOPLE["id"])
    spots = [tuple(c.get_offsets()[0]) for c in ax.collections]
    assert len(set(spots)) == len(PEOPLE), "stakeholders with equal ratings do not overlap"
    assert alt_text(ax.figure) == ("Stakeholder map: 2 manage closely, 2 keep satisfied, "
                                   "3 keep informed, 5 monitor.")
    plt.close(ax.figure)


def test_persona_candidates_are_the_users_and_customers_most_interested_first():
    table = persona_candidates(stakeholder_grid(PEOPLE), PEOPLE)
    assert set(table["group"]) == {"customer", "user"}
    assert table.loc["S01", "what they do"] == "Families cooking 3-5 meals a week"
    assert table["interest"].is_monotonic_decreasing
    assert table["ask them"].str.startswith("Walk me through").all()


def test_a_persona_without_evidence_is_flagged_as_an_assumption():
    assert persona_gaps(Persona())[0].startswith("No evidence yet")
    same = Persona(goal="Cook fast", frustration="cook fast", evidence="interviews")
    assert persona_gaps(same) == ["The goal and the frustration say the same; a persona needs "
                                  "both."]


def test_persona_and_golden_circle_start_from_the_learners_product(tmp_path):
    ws = Workspace(tmp_path)
    assert product_form(ws, "persona").value() == Persona()
    ws.save(*records.PRODUCT_DEFINITION, PRODUCT)
    persona = product_form(ws, "persona").value()
    assert persona.based_on == PRODUCT["users"]
    assert persona.frustration == PRODUCT["problem"]
    circle = starting_values(ws, "golden-circle").values
    assert circle["why"] == "Because booking an appointment takes a phone call"
    assert circle["what"] == "ClinicBook: booking page, reminders"
    assert record_models()[records.STRATEGY_PERSONA] is Persona
    assert ws.load(*records.STRATEGY_PERSONA) is None, "nothing saved until Save"


def test_golden_circle_is_a_canvas_drawn_why_how_what():
    assert CANVASES["golden-circle"] is GoldenCircle
    ax = plot_canvas(GoldenCircle())
    assert [t.get_text() for t in ax.texts][::2] == ["Why", "How", "What"]
    plt.close(ax.figure)


def test_the_mvp_exercise_is_about_one_of_freshcrates_riskiest_assumptions():
    example = strategy_maps.parse_assumptions(strategy_maps.AssumptionList().lines)
    riskiest = strategy_maps.riskiest_assumptions(example, 2)
    assert mvp.FRESHCRATE_ASSUMPTION in riskiest["assumption"].tolist()


def test_smallest_test_is_the_cheapest_with_behaviour_that_tests_the_assumption():
    ranked = mvp.rank_options()
    assert ranked.index[0] == "concierge" == mvp.smallest_test(mvp.FRESHCRATE_OPTIONS).key
    assert ranked.loc["survey", "verdict"] == "weaker evidence"
    assert ranked.loc["photos", "verdict"] == "does not test it"
    assert ranked.loc["full-planner", "verdict"] == "tests it, at a higher cost"
    cheaper = mvp.Option("fake-door", "Sunday deadline shown to 10% of visitors", 2,
                         "behaviour", True, "cheaper")
    assert mvp.smallest_test([*mvp.FRESHCRATE_OPTIONS, cheaper]).key == "fake-door"
    with pytest.raises(ParameterError, match="none tests the assumption with behaviour"):
        mvp.smallest_test(mvp.FRESHCRATE_OPTIONS[1:3])
    assert "verdict" not in mvp.options_table().columns, "the question shows no answer"
    assert mvp.answer_text().startswith("The smallest experiment: concierge (5 working days)")


@pytest.mark.parametrize("text, failed", [
    ("Every household eats a good home-cooked dinner without the planning and the waste", []),
    ("A meal-kit platform", ["names whom it is for", "says what changes for them"]),
    ("Recipes, filters, cooking mode, delivery tracking for families who want less stress",
     ["lists no features"]),
    ("By 2027 families cook 20% more often at home without stress",
     ["looks beyond the next release"]),
    (" ".join(["Families cook at home without stress"] * 6), ["short enough to remember"]),
])
def test_vision_feedback_names_the_criteria_a_vision_misses(text, failed):
    feedback = vision_feedback(text)
    assert feedback.index[feedback["met"] == "no"].tolist() == failed
    assert feedback.loc["inspires", "met"] == "ask someone"
    assert vision_score(feedback) == (5 - len(failed), 5)


@pytest.mark.parametrize("text, changes", [
    ("Regardless of the weather, families cook at home", "no"),  # not "less"
    ("Furthermore, households plan their week", "no"),  # not "more"
    ("Stress-free dinners for busy families", "yes"),  # "free", inside a hyphenated word
    ("Families cook more often at home", "yes"),
])
def test_vision_feedback_finds_a_change_in_whole_words_only(text, changes):
    assert vision_feedback(text).loc["says what changes for them", "met"] == changes


def test_vision_feedback_recognises_the_learners_own_users_and_problem():
    text = "Patients book their appointment in a minute"
    assert vision_feedback(text).loc["says what changes for them", "met"] == "no"
    own = vision_feedback(text, users=PRODUCT["users"], problem=PRODUCT["problem"])
    assert own.loc["says what changes for them", "met"] == "yes"
    feature = vision_feedback("Patients use our booking app").loc["lists no features"]
    assert "(app)" in feature["feedback"]
    long = vision_feedback(" ".join(["word"] * 31)).loc["short enough to remember"]
    assert long["feedback"].startswith(f"31 words: cut it to {MAX_WORDS}")


def test_vision_check_widget_updates_on_click_and_uses_the_saved_product(tmp_path):
    ws = Workspace(tmp_path)
    ws.save(*records.PRODUCT_DEFINITION, PRODUCT)
    view = vision_check(ws, "ClinicBook with reminders, billing and a booking page")
    assert view.problem == PRODUCT["problem"]
    assert "checks met" in view.result.value and "lists no features" in view.result.value
    before = view.result.value
    view.text.value = "Patients book care without a phone call"
    view.button.click()
    assert view.result.value != before and "5 of 5 checks met" in view.result.value


def test_the_golden_circle_and_the_persona_reach_the_portfolio(tmp_path):
    from pspo_lab.analysis.portfolio import build_portfolio

    ws = Workspace(tmp_path)
    ws.save(*records.CANVASES.named("golden-circle"), GoldenCircle().model_dump())
    ws.save(*records.STRATEGY_PERSONA, Persona().model_dump())
    sections = {s.title: s for s in build_portfolio(ws).sections}
    assert [b.title for b in sections["Vision"].blocks] == ["Golden Circle"]
    persona = sections["Other saved work"].blocks[0]
    assert persona.title == "Strategy: Persona"
    assert persona.fields[0] == ("Name", "Sam, weekly subscriber")


def test_stakeholder_labels_stay_inside_the_chart_and_do_not_overlap():
    ax = plot_stakeholder_map(stakeholder_grid(PEOPLE))
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    labels = [t for t in ax.texts if t.get_text()[:1] == "S"]
    boxes = [t.get_window_extent(renderer) for t in labels]
    for text, box in zip(labels, boxes, strict=True):
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, text.get_text()
    overlapping = [(a.get_text(), b.get_text()) for i, (a, abox) in enumerate(zip(labels, boxes,
                   strict=True)) for b, bbox in zip(labels[i + 1:], boxes[i + 1:], strict=True)
                   if abox.overlaps(bbox)]
    assert overlapping == []
    plt.close(ax.figure)
