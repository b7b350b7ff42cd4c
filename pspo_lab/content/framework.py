"""The Scrum framework of the Scrum Guide 2020 as data, and a check of how far a process is from it.

Every fact carries the id of the statement it rests on in the project's checklist of Guide
facts (``tests/fixtures/guides-facts.md``), e.g. ``SG-65`` for the eight-hour maximum of
Sprint Planning. The Scrum Guide (2020, Ken Schwaber and Jeff Sutherland) is published under
CC BY-SA 4.0; the short purpose texts below paraphrase it in our own words.

Timeboxes are maxima for a **one-month** Sprint. For shorter Sprints the Guide only says the
events are "usually shorter" (SG-81): there is no proportional formula, so this module never
scales a timebox.

>>> [e.name for e in EVENTS]
['Sprint', 'Sprint Planning', 'Daily Scrum', 'Sprint Review', 'Sprint Retrospective']
>>> {a.name: a.commitment for a in ARTIFACTS}["Increment"]
'Definition of Done'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, create_model

from pspo_lab.core.errors import DataError, ParameterError


@dataclass(frozen=True)
class Accountability:
    """One of the three accountabilities of the Scrum Team (SG-24)."""

    name: str
    accountable_for: str
    facts: tuple[str, ...]


@dataclass(frozen=True)
class Event:
    """A Scrum event with its purpose and its maximum timebox for a one-month Sprint.

    ``max_minutes`` is ``None`` for the Sprint itself (one month or less, SG-46); the Daily
    Scrum's 15 minutes hold for every Sprint length (SG-67).
    """

    name: str
    purpose: str
    max_minutes: int | None
    facts: tuple[str, ...]


@dataclass(frozen=True)
class Artifact:
    """A Scrum artifact and the commitment that gives it focus (SG-83)."""

    name: str
    represents: str
    commitment: str
    facts: tuple[str, ...]


ACCOUNTABILITIES: tuple[Accountability, ...] = (
    Accountability("Product Owner", "maximising the value of the product the Scrum Team "
                   "creates, including effective Product Backlog management; one person, "
                   "not a committee", ("SG-27", "SG-29", "SG-32")),
    Accountability("Scrum Master", "establishing Scrum as the Guide defines it and the "
                   "Scrum Team's effectiveness", ("SG-35", "SG-36")),
    Accountability("Developers", "creating any aspect of a usable Increment each Sprint: "
                   "the Sprint Backlog, quality through the Definition of Done, adapting the "
                   "plan daily, holding each other accountable", ("SG-25", "SG-26")),
)

EVENTS: tuple[Event, ...] = (
    Event("Sprint", "Container of all other events in which ideas become value; fixed "
          "length, a new one starts right after the previous one ends", None,
          ("SG-41", "SG-45", "SG-46", "SG-47")),
    Event("Sprint Planning", "Lay out the work of the Sprint: why it is valuable (Sprint "
          "Goal), what can be Done, how it will get done", 8 * 60,
          ("SG-57", "SG-65")),
    Event("Daily Scrum", "Inspect progress toward the Sprint Goal and adapt the Sprint "
          "Backlog", 15, ("SG-66", "SG-67")),
    Event("Sprint Review", "Inspect the outcome of the Sprint with key stakeholders and "
          "decide on future adaptations", 4 * 60, ("SG-72", "SG-76")),
    Event("Sprint Retrospective", "Plan ways to increase quality and effectiveness", 3 * 60,
          ("SG-77", "SG-80")),
)

ARTIFACTS: tuple[Artifact, ...] = (
    Artifact("Product Backlog", "an emergent, ordered list of what is needed to improve the "
             "product; the single source of work", "Product Goal", ("SG-83", "SG-85", "SG-89")),
    Artifact("Sprint Backlog", "the Sprint Goal, the selected items and the Developers' plan",
             "Sprint Goal", ("SG-83", "SG-92", "SG-95")),
    Artifact("Increment", "a concrete, usable stepping stone toward the Product Goal",
             "Definition of Done", ("SG-83", "SG-98", "SG-103")),
)


@dataclass(frozen=True)
class Practice:
    """A practice a team may follow, and what the Scrum Guide 2020 says about it.

    ``deviation`` is ``True`` when following the practice departs from Scrum; practices
    with ``deviation=False`` are consistent with the Guide (often believed not to be).
    """

    key: str
    label: str
    deviation: bool
    rule: str
    facts: tuple[str, ...]


PRACTICES: tuple[Practice, ...] = (
    Practice("setup_sprint", "We start with a set-up Sprint ('Sprint 0') that delivers no "
             "usable Increment", True, "Every Sprint creates a valuable, useful Increment and "
             "all work toward the Product Goal happens inside Sprints.", ("SG-23", "SG-48")),
    Practice("po_assigns_tasks", "The Product Owner assigns tasks to Developers", True,
             "The Developers plan their own work; how they turn items into an Increment is "
             "theirs alone to decide.", ("SG-19", "SG-62", "SG-93")),
    Practice("review_sign_off", "The Sprint Review is a sign-off gate before anything may be "
             "released", True, "The Sprint Review is a working session, never a gate to "
             "releasing value; Increments may be delivered before the Sprint ends.",
             ("SG-75", "SG-101")),
    Practice("dod_without_testing", "Our Definition of Done leaves testing for later", True,
             "Work is part of the Increment only when it meets the Definition of Done, which "
             "describes the quality the product needs; quality does not decrease.",
             ("SG-49", "SG-102", "SG-103")),
    Practice("several_sprint_goals", "A Sprint has several Sprint Goals", True,
             "The Sprint Goal is the single objective of the Sprint.", ("SG-95",)),
    Practice("daily_status_report", "The Daily Scrum is a status report to the Product Owner",
             True, "The Daily Scrum is a 15-minute event for the Developers to inspect progress "
             "toward the Sprint Goal and adapt their plan.", ("SG-66", "SG-67")),
    Practice("undone_shown_in_review", "Unfinished items are shown at the Sprint Review as "
             "'almost done'", True, "An item that does not meet the Definition of Done is not "
             "presented; it returns to the Product Backlog.", ("SG-105",)),
    Practice("gaps_between_sprints", "We pause for a week between Sprints", True,
             "A new Sprint starts immediately after the previous one ends.", ("SG-47",)),
    Practice("committee_po", "Product decisions are taken by a committee", True,
             "The Product Owner is one person, not a committee.", ("SG-32",)),
    Practice("release_mid_sprint", "We release Increments during the Sprint", False,
             "Allowed: several Increments may be created and delivered before the Sprint "
             "ends.", ("SG-100", "SG-101")),
    Practice("backlog_changes_mid_sprint", "The Sprint Backlog changes during the Sprint", False,
             "Allowed: the Sprint Backlog is updated as more is learned, without endangering "
             "the Sprint Goal.", ("SG-94", "SG-97")),
    Practice("refinement_ongoing", "We refine the Product Backlog continuously, not in a "
             "fixed meeting", False, "Allowed: refinement is an ongoing activity, not an event.",
             ("SG-87",)),
)

ProcessCheck: type[BaseModel] = create_model(
    "ProcessCheck", __config__=ConfigDict(extra="forbid"),
    **{p.key: (bool, Field(False, title=p.label)) for p in PRACTICES})
ProcessCheck.__doc__ = "The practices a learner ticks in the process check (all unticked first)."


def framework_table() -> pd.DataFrame:
    """The accountabilities, events and artifacts as one table with their fact ids.

    Examples
    --------
    >>> table = framework_table()
    >>> table.groupby("element").size().to_dict()
    {'accountability': 3, 'artifact': 3, 'event': 5}
    """
    rows = [{"element": "accountability", "name": a.name, "what": a.accountable_for,
             "commitment": "", "facts": ", ".join(a.facts)} for a in ACCOUNTABILITIES]
    rows += [{"element": "event", "name": e.name, "what": e.purpose, "commitment": "",
              "facts": ", ".join(e.facts)} for e in EVENTS]
    rows += [{"element": "artifact", "name": a.name, "what": a.represents,
              "commitment": a.commitment, "facts": ", ".join(a.facts)} for a in ARTIFACTS]
    return pd.DataFrame(rows)


def _duration(minutes: int) -> str:
    return f"{minutes // 60} h" if minutes >= 60 else f"{minutes} min"


def timebox_table(sprint_weeks: int = 4) -> pd.DataFrame:
    """Maximum timebox of each event, and what the Guide says for a Sprint of ``sprint_weeks``.

    Parameters
    ----------
    sprint_weeks
        Sprint length in weeks, 1 to 4 (a Sprint is one month or less, SG-46).

    Returns
    -------
    pandas.DataFrame
        One row per event: the maximum for a one-month Sprint and the rule for your Sprint.
        Shorter Sprints do **not** get a scaled-down number: the Guide only says the events
        are usually shorter (SG-81).

    Raises
    ------
    ParameterError
        If ``sprint_weeks`` is not a whole number from 1 to 4.

    Examples
    --------
    >>> timebox_table(2).loc["Sprint Review", "for your Sprint"]
    'at most 4 h; usually shorter (SG-81)'
    >>> timebox_table(2).loc["Daily Scrum", "for your Sprint"]
    '15 min every working day (SG-67)'
    """
    if isinstance(sprint_weeks, bool) or not isinstance(sprint_weeks, int) \
            or not 1 <= sprint_weeks <= 4:
        raise ParameterError(f"sprint_weeks: {sprint_weeks!r} is not a whole number from 1 to 4 "
                             "(a Sprint is one month or less, SG-46)")
    rows = []
    for event in EVENTS:
        if event.max_minutes is None:
            limit, yours = "one month or less", f"{sprint_weeks} week(s), fixed length (SG-46)"
        elif event.name == "Daily Scrum":
            limit, yours = "15 min", "15 min every working day (SG-67)"
        else:
            limit = _duration(event.max_minutes)
            yours = (f"at most {limit}" if sprint_weeks == 4
                     else f"at most {limit}; usually shorter (SG-81)")
        rows.append({"event": event.name, "maximum for a one-month Sprint": limit,
                     "for your Sprint": yours, "facts": ", ".join(event.facts)})
    return pd.DataFrame(rows).set_index("event")


def practice(key: str) -> Practice:
    """The practice with ``key``, raising :class:`ParameterError` for an unknown key.

    Parameters
    ----------
    key
        A key of :data:`PRACTICES`, e.g. ``"setup_sprint"``.

    Returns
    -------
    Practice
        Its label, whether it departs from Scrum, the Guide's rule and the fact ids.

    Raises
    ------
    ParameterError
        If no practice has that key; the message lists the keys there are.

    Examples
    --------
    >>> item = practice("committee_po")
    >>> item.deviation, item.facts
    (True, ('SG-32',))
    >>> practice("pair_programming")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.ParameterError: unknown practice 'pair_programming' (expected one of ...)
    """
    for item in PRACTICES:
        if item.key == key:
            return item
    raise ParameterError(f"unknown practice {key!r} (expected one of "
                         + ", ".join(p.key for p in PRACTICES) + ")")


def process_gap(ticked: Iterable[str] | BaseModel | dict[str, bool]) -> pd.DataFrame:
    """Explain each ticked practice that departs from Scrum, with the Guide's rule.

    Parameters
    ----------
    ticked
        Keys of :data:`PRACTICES` the team follows, or a :class:`ProcessCheck` / dict of
        ``key: bool`` as the form saves it.

    Returns
    -------
    pandas.DataFrame
        One row per ticked practice: ``practice``, ``deviation`` (bool), ``rule`` and ``facts``;
        deviations first.

    Examples
    --------
    >>> gap = process_gap(["po_assigns_tasks", "release_mid_sprint"])
    >>> gap[["practice", "deviation", "facts"]].values.tolist()[0]
    ['The Product Owner assigns tasks to Developers', True, 'SG-19, SG-62, SG-93']
    >>> int(process_gap(["release_mid_sprint"])["deviation"].sum())
    0
    """
    if isinstance(ticked, BaseModel):
        ticked = ticked.model_dump()
    if isinstance(ticked, dict):
        ticked = [key for key, on in ticked.items() if on]
    chosen = [practice(key) for key in ticked]
    rows = [{"key": p.key, "practice": p.label, "deviation": p.deviation, "rule": p.rule,
             "facts": ", ".join(p.facts)} for p in chosen]
    frame = pd.DataFrame(rows, columns=["key", "practice", "deviation", "rule", "facts"])
    return frame.sort_values("deviation", ascending=False, kind="stable").reset_index(drop=True)


def distance_from_scrum(ticked: Iterable[str] | BaseModel | dict[str, bool]) -> float:
    """Share of the known deviations that a team's ticked practices include (0 = none).

    Examples
    --------
    >>> distance_from_scrum(["setup_sprint", "several_sprint_goals", "release_mid_sprint"])
    0.2222222222222222
    """
    gap = process_gap(ticked)
    return float(gap["deviation"].sum()) / sum(p.deviation for p in PRACTICES)


def framework_fact_ids() -> set[str]:
    """Every fact id the framework data of this module cites.

    Examples
    --------
    >>> "SG-65" in framework_fact_ids()
    True
    """
    items: list[tuple[str, ...]] = [a.facts for a in ACCOUNTABILITIES]
    items += [e.facts for e in EVENTS] + [a.facts for a in ARTIFACTS] + [p.facts for p in PRACTICES]
    return {fact for facts in items for fact in facts} | {"SG-81"}


def read_fact_ids(path: str | Path) -> set[str]:
    """The ids (``**SG-65**`` style) defined in a guides-facts checklist file.

    Raises
    ------
    DataError
        If the file does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "facts.md"
    >>> _ = f.write_text("- [ ] **SG-01** Scrum is a lightweight framework.")
    >>> read_fact_ids(f)
    {'SG-01'}
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found (expected the guides-facts checklist)")
    return set(re.findall(r"\*\*([A-Z0-9]+-\d+)\*\*", path.read_text(encoding="utf-8")))
