"""Module 5's material on the people side of Scrum: motivation and ethics.

* :data:`MOTIVATION_STATEMENTS`: a short self-assessment on the three drivers of motivation
  that Daniel Pink popularised (*Drive*, 2009): autonomy, mastery and purpose. Scrum Teams
  are self-managing: "they internally decide who does what, when, and how" (Scrum Guide 2020,
  SG-19), which only works when people have room to decide, to get better and to see why.
* :func:`ethics_scenarios`: situations a Product Owner meets where doing the right thing
  costs something, each with a discussion tied to the Scrum values (SG-14).

>>> sorted(set(driver for driver, _ in MOTIVATION_STATEMENTS.values()))
['autonomy', 'mastery', 'purpose']
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

DRIVERS = ("autonomy", "mastery", "purpose")
"""The three drivers of motivation, in the order the self-assessment shows them."""

MOTIVATION_STATEMENTS: dict[str, tuple[str, str]] = {
    "decide_how": ("autonomy", "Developers decide how to build each Increment"),
    "shape_sprint": ("autonomy", "The team plans its Sprint without orders"),
    "time_to_learn": ("mastery", "We have time to learn and improve our skills"),
    "feedback": ("mastery", "We get feedback on our work every Sprint"),
    "know_why": ("purpose", "Everyone can say why the Sprint Goal matters"),
    "meet_users": ("purpose", "Developers often see real users use the product"),
}
"""Statement key -> (driver, statement rated from 1, not at all, to 5, fully).

Each statement is at most 50 characters: it is a slider's label, shown whole."""


class Scenario(NamedTuple):
    """A situation that tests a Product Owner's ethics, and what to discuss about it."""

    title: str
    situation: str
    question: str
    discussion: str
    values: str


ETHICS_SCENARIOS = (
    Scenario(
        "The green dashboard",
        "Two days before the Sprint Review, a manager asks you to leave the rising open-defects "
        "line out of the stakeholder report, because the board meets next week.",
        "What do you show at the Sprint Review?",
        "Hiding the line keeps the meeting pleasant and makes every later decision worse: the "
        "board would plan on a picture that is not true. Show the line, explain what it "
        "means and what the team proposes; offer the manager a preview so nobody is surprised.",
        "openness, courage"),
    Scenario(
        "Done, almost",
        "A stakeholder wants a feature released this Sprint. The Developers say it works but the "
        "security checks of the Definition of Done have not run yet.",
        "Do you release it?",
        "Work that does not meet the Definition of Done is not part of the Increment and cannot "
        "be released (SG-105). Say so, and look for a smaller slice that can be Done in time.",
        "commitment, courage"),
    Scenario(
        "The dark pattern",
        "Marketing proposes to hide the 'pause subscription' button three screens deep: an "
        "experiment predicts 4% fewer cancellations.",
        "Do you order the item near the top of the Product Backlog?",
        "A number that rises because customers cannot find their way out is not value. Ask "
        "what the customer gains; propose an experiment on why people pause instead.",
        "respect, focus"),
    Scenario(
        "The estimate under pressure",
        "A sales director asks the Developers to 'commit' to a date for a large feature, and "
        "asks you to back the date so a contract can be signed.",
        "What do you say?",
        "The Developers own their forecasts; a date given under pressure is a promise nobody "
        "can keep. Share a forecast with its uncertainty and what would make it more certain.",
        "respect, openness"),
)
"""The ethics scenarios of module 5 (written for the course; fictional)."""


def ethics_scenarios() -> pd.DataFrame:
    """The ethics scenarios as a table, one row per scenario.

    Examples
    --------
    >>> ethics_scenarios()["title"].iloc[0]
    'The green dashboard'
    """
    return pd.DataFrame(ETHICS_SCENARIOS, columns=Scenario._fields)
