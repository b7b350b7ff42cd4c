"""The Scrum framework data: traceable to the Guide facts, never scaled, honest about practices."""

import pytest
from repo_paths import REPO_ROOT

from pspo_lab import ParameterError
from pspo_lab.content.framework import (
    ACCOUNTABILITIES,
    ARTIFACTS,
    EVENTS,
    PRACTICES,
    distance_from_scrum,
    framework_fact_ids,
    process_gap,
    read_fact_ids,
    timebox_table,
)

FACTS = REPO_ROOT / "tests" / "fixtures" / "guides-facts.md"


def test_every_cited_fact_exists_in_the_checklist():
    known = read_fact_ids(FACTS)
    assert len(known) > 100
    assert framework_fact_ids() - known == set()


def test_every_element_cites_at_least_one_fact():
    for element in (*ACCOUNTABILITIES, *EVENTS, *ARTIFACTS, *PRACTICES):
        assert element.facts, element


def test_three_accountabilities_five_events_three_artifacts_with_commitments():
    assert [a.name for a in ACCOUNTABILITIES] == ["Product Owner", "Scrum Master", "Developers"]
    assert len(EVENTS) == 5
    assert {a.name: a.commitment for a in ARTIFACTS} == {
        "Product Backlog": "Product Goal", "Sprint Backlog": "Sprint Goal",
        "Increment": "Definition of Done"}


def test_one_month_timeboxes_match_the_guide():
    maxima = {e.name: e.max_minutes for e in EVENTS}
    assert maxima == {"Sprint": None, "Sprint Planning": 480, "Daily Scrum": 15,
                      "Sprint Review": 240, "Sprint Retrospective": 180}


@pytest.mark.parametrize("weeks", [1, 2, 3])
def test_shorter_sprints_keep_the_maximum_and_say_usually_shorter(weeks):
    table = timebox_table(weeks)
    assert table.loc["Sprint Planning", "for your Sprint"] == "at most 8 h; usually shorter (SG-81)"
    assert table.loc["Sprint Retrospective", "for your Sprint"].startswith("at most 3 h")
    assert table.loc["Daily Scrum", "for your Sprint"].startswith("15 min")


def test_a_four_week_sprint_still_reads_as_a_maximum():
    table = timebox_table(4)
    assert table.loc["Sprint Planning", "for your Sprint"] == "at most 8 h"
    assert table.loc["Sprint Review", "for your Sprint"] == "at most 4 h"


@pytest.mark.parametrize("weeks", [0, 5, 2.5, "2"])
def test_sprint_longer_than_a_month_is_refused(weeks):
    with pytest.raises(ParameterError, match="one month or less"):
        timebox_table(weeks)


def test_process_gap_explains_deviations_with_rule_and_fact():
    gap = process_gap({"setup_sprint": True, "review_sign_off": True,
                       "release_mid_sprint": True, "committee_po": False})
    assert gap["key"].tolist() == ["setup_sprint", "review_sign_off", "release_mid_sprint"]
    assert gap["deviation"].tolist() == [True, True, False]
    assert "SG-48" in gap.loc[0, "facts"] and "SG-101" in gap.loc[1, "facts"]
    assert all(gap["rule"].str.len() > 20)


def test_distance_from_scrum_is_the_share_of_deviations():
    deviations = [p.key for p in PRACTICES if p.deviation]
    assert distance_from_scrum(deviations) == 1.0
    assert distance_from_scrum([]) == 0.0
    assert distance_from_scrum([p.key for p in PRACTICES if not p.deviation]) == 0.0


def test_unknown_practice_is_named():
    with pytest.raises(ParameterError, match="unknown practice 'sprint_zero'"):
        process_gap(["sprint_zero"])
