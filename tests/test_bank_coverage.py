"""The bank covers every PSPO I focus area with at least 20 items, and the references hold the
Guide sentences that the explanations of the thin areas rely on."""

from collections import Counter

import pytest

from pspo_lab.content.question_bank import TOPICS, load_bank, load_references, questions_dir

#: The PSPO I focus area each topic file belongs to.
FOCUS_AREA = {
    "product_value_ebm": "Product Value",
    "backlog_management": "Product Backlog Management",
    "business_strategy": "Business Strategy",
    "stakeholders_customers": "Stakeholders & Customers",
    "vision_product_goal": "Product Vision",
    "forecasting_release": "Forecasting & Release Planning",
    "empiricism_values": "Scrum theory and the framework",
    "scrum_team": "Scrum theory and the framework",
    "events": "Scrum theory and the framework",
    "artifacts": "Scrum theory and the framework",
    "definition_of_done": "Scrum theory and the framework",
}


def test_every_topic_has_a_focus_area():
    assert sorted(FOCUS_AREA) == sorted(TOPICS)
    assert len(set(FOCUS_AREA.values())) == 7


def test_every_focus_area_has_at_least_20_items_and_the_bank_434():
    bank = load_bank(questions_dir())
    per_area = Counter(FOCUS_AREA[q.topic] for q in bank.questions)
    for area, count in sorted(per_area.items()):
        print(f"{area}: {count} items")
    print(f"bank: {len(bank)} items")
    assert {area: n for area, n in per_area.items() if n < 20} == {}
    assert set(per_area) == set(FOCUS_AREA.values())
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
