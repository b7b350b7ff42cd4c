"""Checking a learner's answers to a sorting exercise, and a self-assessment's profile.

* :func:`check_choices`: which of the learner's choices match the key, with the reason for
  each (module 3 sorts customer notes into levels of value, module 5 traces Sprint Goals to
  the Product Goal).
* :func:`motivation_profile` and :func:`motivation_advice`: module 5's self-assessment on
  autonomy, mastery and purpose.

>>> check_choices({"a": "yes"}, {"a": "yes"})["correct"].tolist()
[True]
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from pspo_lab.content.team_practice import DRIVERS, MOTIVATION_STATEMENTS
from pspo_lab.core.errors import ParameterError

_ADVICE = {
    "autonomy": "Ask the team which decisions it waits for others to take, and move one of "
                "them into the team: self-managing teams decide who does what, when and how.",
    "mastery": "Protect time for learning in each Sprint and bring users' feedback into "
               "every Sprint Review, so the team sees itself getting better.",
    "purpose": "Start Sprint Planning from the Product Goal and the evidence of value, and "
               "invite Developers to watch users: a Sprint Goal nobody can explain drives nobody.",
}


def check_choices(chosen: Mapping[str, str | None], key: Mapping[str, str],
                  why: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Compare a learner's choice per item with the key.

    Parameters
    ----------
    chosen
        Item -> the learner's choice (``None`` or ``""`` when not answered yet).
    key
        Item -> the expected choice; every item of ``chosen`` must be in it.
    why
        Item -> the reason for the expected choice, shown as feedback.

    Returns
    -------
    pandas.DataFrame
        Indexed by item: ``chosen``, ``expected``, ``correct`` (bool, ``False`` when not
        answered), ``answered`` (bool) and ``why``.

    Raises
    ------
    ParameterError
        If an item has no expected choice.

    Examples
    --------
    >>> table = check_choices({"V01": "functional", "V02": None},
    ...                       {"V01": "functional", "V02": "emotional"})
    >>> table[["correct", "answered"]].values.tolist()
    [[True, True], [False, False]]
    """
    missing = [item for item in chosen if item not in key]
    if missing:
        raise ParameterError(f"exercise answers: {missing[0]!r} has no expected answer "
                             f"(expected one of {', '.join(map(str, key))})")
    rows = []
    for item, choice in chosen.items():
        answered = bool(choice)
        rows.append({"item": item, "chosen": choice or "", "expected": key[item],
                     "correct": answered and choice == key[item], "answered": answered,
                     "why": (why or {}).get(item, "")})
    return pd.DataFrame(rows).set_index("item")


def motivation_profile(ratings: Mapping[str, int]) -> pd.DataFrame:
    """Average rating per driver of motivation, from 1 (not at all) to 5 (fully).

    Parameters
    ----------
    ratings
        Statement key of :data:`~pspo_lab.content.team_practice.MOTIVATION_STATEMENTS` ->
        rating 1 to 5; every statement must be rated.

    Returns
    -------
    pandas.DataFrame
        Indexed by driver (autonomy, mastery, purpose): ``score`` (mean rating) and
        ``weakest`` (bool, the lowest score; ties all marked).

    Raises
    ------
    ParameterError
        If a statement is missing or a rating is not a whole number from 1 to 5.

    Examples
    --------
    >>> scores = dict(decide_how=4, shape_sprint=5, time_to_learn=2, feedback=3,
    ...               know_why=4, meet_users=2)
    >>> motivation_profile(scores)["score"].tolist()
    [4.5, 2.5, 3.0]
    """
    for key in MOTIVATION_STATEMENTS:
        rating = ratings.get(key)
        if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
            raise ParameterError(f"self-assessment {key!r}: {rating!r} is not a rating "
                                 "(expected a whole number from 1 to 5)")
    scores = {driver: [ratings[k] for k, (d, _) in MOTIVATION_STATEMENTS.items()
                       if d == driver] for driver in DRIVERS}
    table = pd.DataFrame({"score": [sum(v) / len(v) for v in scores.values()]},
                         index=pd.Index(DRIVERS, name="driver"))
    table["weakest"] = table["score"] == table["score"].min()
    return table


def motivation_advice(profile: pd.DataFrame) -> str:
    """One paragraph on the weakest driver(s) of a :func:`motivation_profile`.

    Examples
    --------
    >>> scores = dict(decide_how=4, shape_sprint=5, time_to_learn=2, feedback=3,
    ...               know_why=4, meet_users=2)
    >>> motivation_advice(motivation_profile(scores)).split(". ")[0]
    'Weakest: mastery (2.5 of 5)'
    >>> motivation_advice(motivation_profile(dict.fromkeys(scores, 3)))[:33]
    'All three drivers score 3.0 of 5:'
    """
    weakest = profile[profile["weakest"]]
    if weakest["score"].iloc[0] >= 4:
        return "All three drivers score 4 or more: keep what works and look again in a month."
    if len(weakest) == len(profile):
        return (f"All three drivers score {weakest['score'].iloc[0]:.1f} of 5: ask the team "
                "which one holds it back most, and start there.")
    names = ", ".join(f"{driver} ({score:.1f} of 5)" for driver, score
                      in weakest["score"].items())
    return f"Weakest: {names}. " + " ".join(_ADVICE[d] for d in weakest.index)
