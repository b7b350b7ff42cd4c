"""The syllabus data: facts from the course page, and clear errors for a broken file."""

import datetime as dt

import pytest
import yaml

from pspo_lab import DataError, ParameterError
from pspo_lab.content.cohort import agenda, parse_cohort
from pspo_lab.content.cohort_files import load_cohort
from pspo_lab.content.packaged import data_file
from pspo_lab.content.syllabus import (
    assessment_facts,
    course_map,
    course_recap,
    load_syllabus,
    parse_syllabus,
    resources_table,
)

SOURCE = data_file("syllabus.yaml").read_text(encoding="utf-8")


def test_course_facts():
    syllabus = load_syllabus()
    assert [p.id for p in syllabus.parts] == list(range(1, 10))
    assert all(p.duration == 120 for p in syllabus.parts)
    exam = syllabus.assessment
    assert (exam.questions, exam.minutes, exam.pass_mark) == (80, 60, 0.85)
    assert syllabus.part(7).title == "Releases & Forecasting"
    assert syllabus.part(5).assignment.title == "Putting Product Owner accountability into action"
    assert syllabus.part(9).assignment is None


def test_resources_keep_their_facts():
    part1 = resources_table(1)
    assert part1["minutes"].tolist() == [11, 7]
    assert part1.loc[1, "link"] == "https://youtu.be/k1BXZk-iCMA"
    assert resources_table(5)["minutes"].sum() == 154


def test_every_part_has_a_notebook_name_and_course_map():
    table = course_map()
    assert table["notebook"].str.match(r"^0\d_").all()
    assert table.loc[8, "notebook"] == "08_assessment"


def test_example_cohort_agenda_in_its_timezone():
    cohort = load_syllabus().example_cohort
    table = agenda(cohort)
    assert table["starts"].tolist() == ["Fri 07 Nov 2025 09:00 GMT", "Sat 08 Nov 2025 09:00 GMT"]
    assert table["hours"].tolist() == [8.0, 8.0]
    shown = agenda(cohort, display_timezone="America/New_York")
    assert shown.loc[0, "starts"] == "Fri 07 Nov 2025 04:00 EST"


def test_agenda_across_a_daylight_saving_change():
    cohort = parse_cohort(
        "id: dst\ntitle: t\nstart_date: 2026-03-28\ntimezone: Europe/London\nsessions:\n"
        "  - {start: '2026-03-28T09:00', end: '2026-03-28T12:00', syllabus_ids: [1]}\n"
        "  - {start: '2026-03-29T09:00', end: '2026-03-29T12:00', syllabus_ids: [2]}\n", "dst")
    assert agenda(cohort)["starts"].str[-3:].tolist() == ["GMT", "BST"]


def edited(path: list, value) -> str:
    data = yaml.safe_load(SOURCE)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return yaml.safe_dump(data)


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (["assessment", "questions"], "eighty", "field 'assessment.questions'"),
        (["parts", 0, "title"], KeyError, "field 'parts.0.title': Field required"),
        (["parts", 1, "duration"], -5, "field 'parts.1.duration'"),
        (["parts", 2, "resources", 0, "link"], "not a link", "field 'parts.2.resources.0.link'"),
        (["parts", 0, "colour"], "green", "field 'parts.0.colour': Extra inputs"),
        (["example_cohort", "timezone"], "Mars/Olympus", "'Mars/Olympus' is not an IANA timezone"),
        (["example_cohort", "sessions", 0, "syllabus_ids"], [1, 42], "syllabus ids [42]"),
        (["example_cohort", "sessions", 0, "end"], "2025-11-07T08:00:00",
         "session ends (2025-11-07 08:00) before it starts"),
    ],
    ids=["wrong-type", "missing-field", "negative", "bad-link", "unknown-key", "timezone",
         "unknown-part", "inverted-session"],
)
def test_bad_syllabus_names_the_field(path, value, expected):
    with pytest.raises(DataError) as caught:
        parse_syllabus(edited(path, value))
    assert str(caught.value).startswith("syllabus.yaml"), caught.value
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)


def test_duplicate_ids_misspelt_keys_and_bad_dates_are_named():
    data = yaml.safe_load(edited(["parts", 1, "id"], 1))
    with pytest.raises(DataError, match=r"field 'parts': .*id 1 is used more than once"):
        parse_syllabus(yaml.safe_dump(data))
    part = yaml.safe_load(edited(["parts", 0, "title"], "x"))
    part["parts"][0]["duraton"] = part["parts"][0].pop("duration")
    with pytest.raises(DataError, match=r"field 'parts.0.duraton': unknown key \(did you mean "
                       r"'duration'\?\)"):
        parse_syllabus(yaml.safe_dump(part))
    with pytest.raises(DataError, match=r"field 'example_cohort.sessions.0.start'.*"
                       r"\(got 'next Monday'\)"):
        parse_syllabus(edited(["example_cohort", "sessions", 0, "start"], "next Monday"))


def test_empty_syllabus_file(tmp_path):
    with pytest.raises(DataError, match="syllabus.yaml: expected a mapping with keys course"):
        parse_syllabus("")
    (tmp_path / "syllabus.yaml").write_text("   \n")
    with pytest.raises(DataError, match="syllabus.yaml: expected a mapping"):
        load_syllabus(tmp_path / "syllabus.yaml")


def test_invalid_yaml_and_missing_file(tmp_path):
    with pytest.raises(DataError, match=r"syllabus.yaml line 3: not valid YAML"):
        parse_syllabus("course:\n  - a: [\n")
    with pytest.raises(DataError, match="file not found"):
        load_syllabus(tmp_path / "missing.yaml")


def test_overlapping_sessions_are_refused():
    text = ("id: x\ntitle: t\nstart_date: 2026-01-05\ntimezone: UTC\nsessions:\n"
            "  - {start: '2026-01-05T09:00', end: '2026-01-05T12:00', syllabus_ids: [1]}\n"
            "  - {start: '2026-01-05T11:00', end: '2026-01-05T13:00', syllabus_ids: [2]}\n")
    with pytest.raises(DataError, match="x.yaml field .*sessions overlap"):
        parse_cohort(text, "x.yaml")


def test_cohort_parameter_resolution():
    assert load_cohort("apac-evening").start_date == dt.date(2026, 3, 2)
    with pytest.raises(ParameterError, match="cohort parameter: 'nobody' not found"):
        load_cohort("nobody")


def test_assessment_facts_a_learner_reads_match_the_course_page():
    facts = assessment_facts()["what to know"]
    assert facts["Questions and time"] == "80 questions in 60 minutes"
    assert facts["Pass mark"] == "85%"
    assert facts["Languages"] == "English, Simplified Chinese"
    assert "14 days" in facts["Retake"] and "free" in facts["Retake"]
    assert "one attempt" in facts["Password"] and "no expiry" in facts["Password"]
    assert "Credly" in facts["Credential"]
    assert "for life" in facts["Renewal"]
    assert facts["Free practice"].startswith("Scrum Open (https://")


def test_the_recap_has_one_idea_per_taught_part_in_2020_vocabulary():
    recap = course_recap()
    taught = [p.id for p in load_syllabus().parts if p.id <= 7]
    assert recap.index.tolist() == taught
    ideas = " ".join(recap["idea to take away"])
    for stale in ("Development Team", "velocity", "Sprint 0", "Definition of Ready"):
        assert stale not in ideas
    assert all(len(idea) <= 220 for idea in recap["idea to take away"])
