"""The bank covers every PSPO I focus area with at least 20 items, and the references hold the
Guide sentences that the explanations of the thin areas rely on."""

from collections import Counter

import pytest

from pspo_lab.content.blueprint import load_blueprint
from pspo_lab.content.question_bank import load_bank, load_references, questions_dir


def test_every_focus_area_has_at_least_20_items_and_the_bank_434():
    bank = load_bank(questions_dir())
    blueprint = load_blueprint()
    per_area = Counter(blueprint.area_of(q.topic).title for q in bank.questions)
    for area, count in sorted(per_area.items()):
        print(f"{area}: {count} items")
    print(f"bank: {len(bank)} items")
    assert {area: n for area, n in per_area.items() if n < 20} == {}
    assert set(per_area) == {area.title for area in blueprint.focus_areas}
    assert len(bank) >= 434


@pytest.mark.parametrize("sentence", [
    "commits to achieving its goals",                      # commitment
    "primary focus is on the work of the Sprint",          # focus
    "open about the work and the challenges",              # openness
    "respect each other to be capable, independent",       # respect
    "courage to do the right thing",                       # courage
    "Shorter Sprints can be employed to generate more learning cycles",
    "Each Increment is additive to all prior Increments",
    "what has changed in their environment",
])
def test_references_hold_the_guide_sentences_explanations_rely_on(sentence):
    quotes = [quote for fact in load_references().facts for quote in fact.quotes]
    assert any(sentence in quote for quote in quotes), sentence
