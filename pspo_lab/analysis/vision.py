"""Module 2, feedback on a product vision against stated criteria.

A good vision says for whom the product exists and what changes for them, is short enough to
repeat from memory, looks beyond the next release and lists no features. These checks are
**heuristics on the words**: they catch a missing audience, a feature list, a deadline or a
paragraph that nobody will remember, but they cannot tell whether a vision inspires. That
last criterion is left to a person and never scored.

>>> feedback = vision_feedback("Every household eats a good home-cooked dinner without "
...                            "the planning and the waste")
>>> vision_score(feedback)
(5, 5)
"""

from __future__ import annotations

import re

import pandas as pd

MAX_WORDS = 30
"""Longer than this, few people can repeat a vision from memory."""

_PEOPLE = {"people", "person", "everyone", "anyone", "customer", "customers", "user", "users",
           "household", "households", "family", "families", "parent", "parents", "cook",
           "cooks", "patient", "patients", "team", "teams", "student", "students", "owner",
           "owners", "member", "members", "citizen", "citizens", "traveller", "travellers",
           "child", "children", "kids", "shoppers", "clients", "employees", "staff", "we",
           "you", "whoever", "who", "home"}
#: Words and phrases that name a change or a benefit, matched as whole words ("less" is not
#: found in "regardless"; "stress-free" counts as "free").
_CHANGE = ("without", "so that", "no longer", "never", "less", "more", "better", "easier",
           "free", "help", "helps", "can", "enjoy", "instead of", "no more", "save", "saves",
           "every")
_FEATURES = {"app", "button", "screen", "feature", "features", "dashboard", "filter",
             "filters", "integration", "api", "login", "notification", "notifications",
             "tracking", "database", "module", "page", "widget", "menu bar", "checkout"}
_TARGETS = re.compile(r"\d|%|\b(?:q[1-4]|sprint|release|deadline|by (?:january|february|"
                      r"march|april|may|june|july|august|september|october|november|"
                      r"december))\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z][a-z'-]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _content_words(text: str, shortest: int = 5) -> set[str]:
    """Words of ``text`` long enough to carry meaning (``shortest`` letters or more)."""
    return {w for w in _words(text) if len(w) >= shortest}


def vision_feedback(text: str, users: str = "", problem: str = "") -> pd.DataFrame:
    """Check a vision against the course's criteria and say what to improve.

    Parameters
    ----------
    text
        The vision, one or two sentences.
    users
        Who the product is for (from the learner's product definition), so that the check
        also recognises the learner's own words for them.
    problem
        The problem the product solves (likewise), recognised as the change it brings.

    Returns
    -------
    pandas.DataFrame
        One row per criterion (the index): ``met`` ("yes", "no" or "ask someone") and
        ``feedback``. The last row, *inspires*, is always "ask someone".

    Examples
    --------
    >>> table = vision_feedback("An app with recipe filters, cooking mode, delivery "
    ...                         "tracking and gift cards by Q3")
    >>> table["met"].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'names whom it is for': 'no', 'says what changes for them': 'no',
     'lists no features': 'no', 'short enough to remember': 'yes',
     'looks beyond the next release': 'no', 'inspires': 'ask someone'}
    """
    words = _words(text)
    spaced = f" {' '.join(words).replace('-', ' ')} "  # whole words, hyphenated ones split
    own_users = _content_words(users)
    own_problem = _content_words(problem)
    for_whom = bool(set(words) & (_PEOPLE | own_users))
    change = any(f" {marker} " in spaced for marker in _CHANGE) or bool(set(words) & own_problem)
    features = sorted(set(words) & _FEATURES)
    listed = text.count(",") + text.count(";") + len(re.findall(r"^\s*[-*•]", text, re.M))
    feature_list = bool(features) or listed >= 3
    target = _TARGETS.search(text)
    rows = {
        "names whom it is for": (
            for_whom, "It says who benefits.",
            "Say for whom the product exists: the people, not the product, are the subject."),
        "says what changes for them": (
            change, "It names a change or a benefit for them.",
            "Say what is better for them once the product exists: the problem that goes "
            "away or the benefit they gain."),
        "lists no features": (
            not feature_list, "It describes an outcome, not a list of features.",
            "Leave features out" + (f" ({', '.join(features)})" if features else "")
            + ": they are guesses for the Product Backlog, and the vision should outlive them."),
        "short enough to remember": (
            0 < len(words) <= MAX_WORDS, f"{len(words)} words: short enough to repeat.",
            f"{len(words)} words: cut it to {MAX_WORDS} or fewer so that people can repeat it."),
        "looks beyond the next release": (
            target is None, "No dates, numbers or releases: it can last for years.",
            f"'{target.group(0) if target else ''}' sounds like a target: numbers and dates "
            "belong in the Product Goal and your measures, not in the vision."),
    }
    table = pd.DataFrame(
        {"met": ["yes" if ok else "no" for ok, _, _ in rows.values()],
         "feedback": [good if ok else fix for ok, good, fix in rows.values()]},
        index=pd.Index(list(rows), name="criterion"))
    table.loc["inspires"] = ["ask someone", "No program can judge this: read it aloud to a "
                             "colleague or a user and ask whether they would repeat it."]
    return table


def vision_score(feedback: pd.DataFrame) -> tuple[int, int]:
    """``(met, checked)``: the criteria met out of those a program can check.

    Examples
    --------
    >>> vision_score(vision_feedback("A meal-kit app"))
    (2, 5)
    """
    checked = feedback[feedback["met"] != "ask someone"]
    return int((checked["met"] == "yes").sum()), len(checked)
