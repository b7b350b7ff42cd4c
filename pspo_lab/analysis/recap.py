"""Module 8, the course on one page before the practice exam.

One row per taught part (1-7): the idea to take away (``recap`` in ``syllabus.yaml``), the
guide facts its questions lean on most (from the question bank's ``refs``), and how the
learner did on its topics so far (from the saved attempts,
:func:`~pspo_lab.analysis.attempts.topic_history`).

>>> from pspo_lab.content.question_bank import load_bank
>>> table = course_recap_table(load_bank())
>>> table.loc[2, "key facts"].split(" · ")[0]
'SG-27 PO is accountable for maximizing the value of the product.'
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from pspo_lab.analysis.sessions import MODULE_TOPICS
from pspo_lab.content.question_bank import Bank, load_references
from pspo_lab.content.syllabus import Syllabus, load_syllabus


def key_facts(bank: Bank, facts_per_part: int = 2) -> dict[int, list[str]]:
    """The guide facts most cited by the questions of each part's topics.

    A fact already shown for an earlier part is not repeated, so that parts sharing a topic
    still show different facts. Ties go to the lower fact id.

    Parameters
    ----------
    bank
        The question bank.
    facts_per_part
        How many facts to keep per part.

    Returns
    -------
    dict
        Part id to fact ids, most cited first.

    Examples
    --------
    >>> from pspo_lab.content.question_bank import load_bank
    >>> key_facts(load_bank())[2]
    ['SG-27', 'SG-29']
    """
    shown: set[str] = set()
    chosen = {}
    for part, topics in MODULE_TOPICS.items():
        counts = Counter(ref for topic in topics for q in bank.topic(topic) for ref in q.refs)
        ranked = sorted((f for f in counts if f not in shown), key=lambda f: (-counts[f], f))
        chosen[part] = ranked[:facts_per_part]
        shown.update(chosen[part])
    return chosen


def _practice(history: pd.DataFrame | None, topics: tuple[str, ...]) -> str:
    if history is None:
        return "not practised yet"
    rows = history.loc[[t for t in topics if t in history.index]]
    asked, right = int(rows["questions"].sum()), int(rows["correct"].sum())
    return f"{right} of {asked} right ({right / asked:.0%})" if asked else "not practised yet"


def course_recap_table(bank: Bank, history: pd.DataFrame | None = None,
                       syllabus: Syllabus | None = None, facts_per_part: int = 2
                       ) -> pd.DataFrame:
    """The course recap: per taught part its idea, key guide facts and your practice so far.

    Parameters
    ----------
    bank
        The question bank (its topics and the facts its questions cite).
    history
        Per-topic results, :func:`~pspo_lab.analysis.attempts.topic_history`; ``None``
        shows every part as not practised yet.
    syllabus
        The syllabus (titles and the idea of each part); ``None`` loads the course's.
    facts_per_part
        How many key facts to show per part.

    Returns
    -------
    pandas.DataFrame
        Indexed by part id: ``part``, ``idea to take away``, ``key facts`` (id and summary,
        separated by `` · ``), ``your practice`` and ``notebook``.

    Examples
    --------
    >>> from pspo_lab.content.question_bank import load_bank
    >>> from pspo_lab.analysis.attempts import topic_table
    >>> history = topic_table({"flow": (3, 4), "forecasting_release": (5, 6)})
    >>> course_recap_table(load_bank(), history).loc[7, "your practice"]
    '8 of 10 right (80%)'
    """
    syllabus = syllabus or load_syllabus()
    refs = load_references()
    facts = key_facts(bank, facts_per_part)
    rows = []
    for part in syllabus.parts:
        if part.id not in MODULE_TOPICS or not part.recap:
            continue
        rows.append({
            "id": part.id, "part": part.title, "idea to take away": part.recap,
            "key facts": " · ".join(f"{f} {refs.fact(f).statement}" for f in facts[part.id]),
            "your practice": _practice(history, MODULE_TOPICS[part.id]),
            "notebook": f"{part.notebook}.ipynb"})
    return pd.DataFrame(rows).set_index("id").rename_axis("part id")
