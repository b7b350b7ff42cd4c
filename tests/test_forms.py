"""Workspace-backed forms: start from saved work, save only on request, refuse bad input."""

import pytest
from pydantic import BaseModel, Field

from pspo_lab import DataError
from pspo_lab.core.records import RecordName
from pspo_lab.core.workspace import Workspace
from pspo_lab.widgets.forms import RecordForm


class Card(BaseModel):
    hypothesis: str = Field("Reorder button raises repeat orders", max_length=100)
    measures: list[str] = Field(default_factory=lambda: ["repeat orders"])
    budget: float = Field(100.0, ge=0)


def test_form_starts_from_defaults_and_writes_nothing(tmp_path):
    form = RecordForm(Workspace(tmp_path), RecordName("cards", "first"), Card)
    assert form.value().hypothesis.startswith("Reorder")
    assert not form.loaded_from_workspace
    assert not any(tmp_path.iterdir())


def test_form_starts_from_saved_work(tmp_path):
    ws = Workspace(tmp_path)
    ws.save("cards", "first", {"hypothesis": "mine", "measures": ["a", "b"], "budget": 5})
    form = RecordForm(ws, RecordName("cards", "first"), Card)
    assert form.loaded_from_workspace
    assert form.fields["measures"].value == "a\nb"
    assert form.value().budget == 5


def test_click_saves_and_keeps_history(tmp_path):
    ws = Workspace(tmp_path)
    form = RecordForm(ws, RecordName("cards", "first"), Card)
    form.button.click()
    form.fields["hypothesis"].value = "changed"
    form.button.click()
    assert ws.load("cards", "first")["hypothesis"] == "changed"
    assert len(ws.history("cards", "first")) == 1
    assert "Saved" in form.status.value


def test_too_long_or_negative_input_is_refused_and_nothing_written(tmp_path):
    ws = Workspace(tmp_path)
    form = RecordForm(ws, RecordName("cards", "first"), Card)
    form.fields["hypothesis"].value = "x" * 101
    with pytest.raises(DataError, match="cards/first form field 'hypothesis'"):
        form.save()
    form.button.click()
    assert "Not saved" in form.status.value
    assert ws.load("cards", "first") is None


def test_saved_record_that_no_longer_fits_falls_back_to_the_newest_that_does(tmp_path):
    ws = Workspace(tmp_path)
    ws.save("cards", "first", {"hypothesis": "short and fine"})
    ws.save("cards", "first", {"hypothesis": "x" * 500})  # e.g. edited by hand or imported
    form = RecordForm(ws, RecordName("cards", "first"), Card)
    assert form.fields["hypothesis"].value == "short and fine"
    assert form.problem.startswith("saved record cards/first field 'hypothesis'")
    assert "left as it is" in form.status.value and "your version of" in form.status.value
    assert ws.load("cards", "first") == {"hypothesis": "x" * 500}  # nothing rewritten


def test_saved_record_without_a_fitting_version_starts_from_the_examples(tmp_path):
    ws = Workspace(tmp_path)
    ws.save("cards", "first", {"hypothesis": "<b>" + "x" * 500})
    form = RecordForm(ws, RecordName("cards", "first"), Card)
    assert form.fields["hypothesis"].value == Card().hypothesis
    assert not form.loaded_from_workspace and "the example values" in form.status.value
    assert "<b>" not in form.status.value  # the learner's text is escaped
    assert ws.load("cards", "first") == {"hypothesis": "<b>" + "x" * 500}


def test_self_check_answers_read_as_words_and_save_as_numbers(tmp_path):
    from pspo_lab.analysis.mindset import SelfCheck
    from pspo_lab.core.records import PRODUCT_SELF_CHECK

    form = RecordForm(Workspace(tmp_path), PRODUCT_SELF_CHECK, SelfCheck)
    answer = form.fields["q01"]
    assert [label for label, _ in answer.options] == [
        "1 · strongly disagree", "2 · disagree", "3 · neither", "4 · agree",
        "5 · strongly agree"]
    answer.value = 4
    assert answer.label == "4 · agree"
    form.save()
    assert Workspace(tmp_path).load(*PRODUCT_SELF_CHECK)["q01"] == 4
