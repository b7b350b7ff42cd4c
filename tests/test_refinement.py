"""Product Backlog items that say what they solve, and the refinement exercise of module 6."""

import pandas as pd
import pytest

from pspo_lab import DataError, load_dataset
from pspo_lab.analysis.refinement import (
    Refinement,
    criteria_list,
    feedback_summary,
    item_card,
    refinement_feedback,
)
from pspo_lab.content import casestudy
from pspo_lab.content.backlog_items import STEP_FACTS, VERB_TEXTS, item_texts, split_title
from pspo_lab.core import records
from pspo_lab.core.workspace import Workspace
from pspo_lab.widgets.backlog_forms import refinement_form


def test_every_verb_and_step_of_the_titles_has_written_texts():
    assert set(VERB_TEXTS) == set(casestudy._VERBS)
    assert set(STEP_FACTS) == {step for steps in casestudy.STEPS.values() for step in steps}


@pytest.mark.parametrize("seed", [42, 7])
def test_every_backlog_item_has_a_description_a_problem_and_three_criteria(seed):
    backlog = load_dataset("backlog", seed=seed)
    for column in ("description", "problem", "acceptance_criteria"):
        assert backlog[column].notna().all() and (backlog[column].str.len() > 20).all()
    assert not backlog["description"].duplicated().any(), "each item says something of its own"
    assert backlog["acceptance_criteria"].map(criteria_list).map(len).eq(3).all()
    for text in backlog["description"]:
        assert " a a" not in text and " a o" not in text and text.endswith(".")


def test_the_texts_follow_the_title():
    description, problem, criteria = item_texts("Speed up checkout (2)")
    assert description.startswith("Make checkout respond faster, so that an occasional buyer")
    assert problem.startswith("One in five checkouts is abandoned at the address step.")
    assert criteria_list(criteria)[0] == ("Every screen of checkout responds within one "
                                          "second for 95% of requests on a mid-range phone")


def test_a_title_outside_the_vocabulary_is_one_clear_line():
    with pytest.raises(DataError, match="backlog title 'Build a rocket': expected a verb"):
        split_title("Build a rocket")


def test_item_card_shows_problem_description_and_criteria_as_a_list():
    item = load_dataset("backlog").set_index("id", drop=False).loc["PB-004"]
    card = item_card(item)
    assert card.startswith("**PB-004 · Simplify box customisation** (Plan the week)")
    assert "*Problem:* Swapping a recipe means cancelling the box" in card
    assert card.count("\n- ") == 3


def test_item_card_of_a_learner_file_without_texts_shows_the_title_only():
    card = item_card(pd.Series({"id": "A-1", "title": "Online booking"}))
    assert card == "**A-1 · Online booking**"


def _verdicts(plan):
    feedback = refinement_feedback(plan)
    return dict(zip(feedback["text"], feedback["verdict"], strict=True)), feedback


def test_the_worked_example_shows_one_slip_in_the_split_and_one_in_the_criteria():
    verdicts, feedback = _verdicts(Refinement())
    assert verdicts["Backend service that recalculates the box price"] == "look again"
    assert verdicts["The swap screen is easy to use"] == "look again"
    assert verdicts["Add an extra portion to one recipe in the box"] == "ok"
    assert feedback_summary(feedback) == ("2 of 13 points to look at again: 1 in the split, "
                                          "1 in the criteria.")


def test_vague_words_pass_with_a_number_and_done_criteria_are_sent_back():
    plan = Refinement(acceptance_criteria=[
        "Swapping a recipe is fast", "Swapping a recipe takes under 2 seconds",
        "Code reviewed and unit tests pass", "Quick swap", "The swap is user-friendly"])
    verdicts, feedback = _verdicts(plan)
    assert verdicts["Swapping a recipe is fast"] == "look again"
    assert verdicts["Swapping a recipe takes under 2 seconds"] == "ok"
    why = dict(zip(feedback["text"], feedback["why"], strict=True))
    assert why["Code reviewed and unit tests pass"].startswith("Sounds like the Definition")
    assert why["Quick swap"].startswith("Too short to test")
    assert why["The swap is user-friendly"].startswith("'user-friendly' cannot be tested")


def test_a_definition_of_done_naming_the_feature_and_pieces_too_big_are_flagged():
    plan = Refinement(pieces=["Swap a recipe"],
                      definition_of_done=["Recipe swap shows the new price", "Tests pass"],
                      each_piece_fits_a_sprint=False, acceptance_criteria=[])
    verdicts, feedback = _verdicts(plan)
    assert verdicts["Recipe swap shows the new price"] == "look again"
    assert verdicts["Tests pass"] == "ok"
    assert verdicts["Each piece fits a Sprint"] == "look again"
    assert verdicts["(none)"] == "look again"  # no acceptance criteria
    assert verdicts["1 piece(s)"] == "look again"  # one piece is no split
    assert "SG-86" in feedback.iloc[-1]["why"]


def test_an_empty_definition_of_done_and_a_clean_plan():
    verdicts, _ = _verdicts(Refinement(definition_of_done=[]))
    assert verdicts["(none)"] == "look again"
    clean = Refinement(pieces=["Swap a recipe", "Add a portion"],
                       acceptance_criteria=["A subscriber swaps a recipe in 3 taps"])
    assert feedback_summary(refinement_feedback(clean)).startswith("All 9 points pass")


def test_refinement_form_saves_only_on_click_and_reads_back(tmp_path):
    ws = Workspace(tmp_path)
    form = refinement_form(ws)
    assert ws.records() == []
    form.fields["pieces"].value = "Swap a recipe\nAdd a portion"
    form.button.click()
    assert "Saved <code>backlog/refinement</code>" in form.status.value
    assert ws.load(*records.BACKLOG_REFINEMENT)["pieces"] == ["Swap a recipe", "Add a portion"]
    assert refinement_form(ws).value().pieces == ["Swap a recipe", "Add a portion"]


@pytest.mark.parametrize(("name", "sections"), [
    ("06_product_backlog", ["11", "12", "13"]),
    ("07_releases_and_forecasting", ["10", "11"]),
])
def test_the_overview_links_to_each_new_section(name, sections):
    import re

    import nbformat
    from repo_paths import NOTEBOOKS_DIR

    notebook = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    overview = next(c.source for c in notebook.cells if c.source.startswith("## Overview"))
    anchors = {line[3:].strip().replace(" ", "-") for c in notebook.cells
               if c.cell_type == "markdown" for line in c.source.splitlines()
               if line.startswith("## ")}
    links = re.findall(r"\]\(#([^)]+)\)", overview)
    assert set(links) <= anchors, "every Overview link names a heading of the notebook"
    assert sorted(link.split(".")[0] for link in links) == sections


def test_a_backlog_file_of_the_older_shape_still_reads(tmp_path):
    from pspo_lab.content.datasets import read_csv

    backlog = load_dataset("backlog")
    older = tmp_path / "older.csv"
    backlog.drop(columns=["description", "problem", "acceptance_criteria"]).head(3).to_csv(
        older, index=False, date_format="%Y-%m-%d")
    frame = read_csv(older, "backlog")
    assert len(frame) == 3 and "description" not in frame
    no_title = tmp_path / "no_title.csv"
    backlog.drop(columns=["title"]).head(3).to_csv(no_title, index=False,
                                                     date_format="%Y-%m-%d")
    with pytest.raises(DataError) as caught:
        read_csv(no_title, "backlog")
    assert "column 'title' is missing" in str(caught.value)
    assert str(caught.value).endswith("moscow, value_estimate, true_value, sponsor")
