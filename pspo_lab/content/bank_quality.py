"""Quality checks of the question bank: wording, option layout, duplicates, key positions.

:func:`~pspo_lab.content.question_bank.load_bank` already rejects what is malformed (schema,
unknown reference ids, true/false layout, ``choose`` counts); these checks find what is valid
but poor: 2017 wording the 2020 Scrum Guide dropped (:data:`STALE_TERMS`), options that point
at other options by position, near-duplicate stems and keys piling up at one option position.
:func:`bank_problems` runs them all.

>>> from pspo_lab.content.question_bank import load_bank
>>> bank_problems(load_bank("tests/fixtures/questions"))
[]
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import combinations

import pandas as pd

from pspo_lab.content.question_bank import Bank, Question

#: Wording of the 2017 Scrum Guide (or older folklore) that the 2020 Guide dropped. A stem or
#: option may use one only when the question is about that term (``about_term``).
STALE_TERMS: dict[str, str] = {
    "Development Team": r"\bdevelopment teams?\b",
    "self-organizing": r"\bself[- ]organi[sz](e|es|ed|ing|ation)\b",
    "servant-leader": r"\bservant[- ]leader(s|ship)?\b",
    "three questions": r"\bthree (daily scrum )?questions\b",
    "10% of capacity": r"\b10 ?%( of)?( the)?( team'?s?)? capacity\b",
    "Definition of Ready": r"\bdefinition of ready\b",
    "Sprint 0": r"\bsprint (0|zero)\b",
    "grooming": r"\bgroom(ing|ed)?\b",
    "roles": r"\b(three|scrum|product owner|scrum master) roles?\b",
}


def stale_term_problems(questions: list[Question]) -> list[str]:
    """Stems or options that use 2017 wording without being about that term.

    Examples
    --------
    >>> q = Question(id="ST-009", type="single", difficulty=1,
    ...              stem="Who sizes work in the Development Team?",
    ...              options=[{"text": "Developers", "correct": True}, {"text": "Managers"}],
    ...              explanation="The Developers size the work.", refs=["SG-88"])
    >>> stale_term_problems([q])
    ["ST-009 stem: stale term 'Development Team' (set about_term if the question is about it)"]
    """
    problems = []
    for question in questions:
        texts = [("stem", question.stem)] + [(f"option {i + 1}", o.text)
                                             for i, o in enumerate(question.options)]
        for term, pattern in STALE_TERMS.items():
            if question.about_term and re.search(pattern, question.about_term, re.IGNORECASE):
                continue
            for where, text in texts:
                if re.search(pattern, text, re.IGNORECASE):
                    problems.append(f"{question.id} {where}: stale term {term!r} (set "
                                    "about_term if the question is about it)")
    return problems


_POSITIONAL = re.compile(r"\b(all|none|both|either|neither) of the (above|options|answers)\b|"
                         r"\b(option|answer)s? [a-e1-5]\b", re.IGNORECASE)


def positional_option_problems(questions: list[Question]) -> list[str]:
    """Options that point at other options by position ("all of the above", "answer B"):
    they break when options are shuffled.

    Examples
    --------
    >>> q = Question(id="ST-010", type="single", difficulty=1, stem="Who orders the backlog?",
    ...              options=[{"text": "PO", "correct": True}, {"text": "None of the above"}],
    ...              explanation="The Product Owner orders it.", refs=["SG-29"])
    >>> positional_option_problems([q])
    ["ST-010 option 2: 'None of the above' depends on the order of options, which is shuffled"]
    """
    return [f"{q.id} option {i + 1}: {o.text!r} depends on the order of options, which is "
            "shuffled" for q in questions for i, o in enumerate(q.options)
            if _POSITIONAL.search(o.text)]


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9%]+", text.lower()))


def stem_similarity(a: str, b: str) -> float:
    """Jaccard similarity of the word sets of two stems (1.0 = same words).

    Examples
    --------
    >>> stem_similarity("Who orders the Product Backlog?", "Who orders the Product Backlog?")
    1.0
    >>> round(stem_similarity("Who orders the Product Backlog?", "Who sizes the items?"), 2)
    0.29
    """
    left, right = _tokens(a), _tokens(b)
    return len(left & right) / len(left | right) if left | right else 1.0


def near_duplicate_stems(questions: list[Question], threshold: float = 0.8
                         ) -> list[tuple[str, str, float]]:
    """Pairs of questions whose stems share at least ``threshold`` of their words.

    Similarity is :func:`stem_similarity` (shared words over all words of both stems).

    Parameters
    ----------
    questions
        The questions to compare, every pair once.
    threshold
        Lowest similarity reported, between 0 and 1.

    Returns
    -------
    list of (str, str, float)
        The two question ids, in the order of ``questions``, and their similarity rounded
        to two decimals.

    Examples
    --------
    >>> def question(qid, stem):
    ...     return Question(id=qid, type="single", difficulty=1, stem=stem,
    ...                     options=[{"text": "PO", "correct": True}, {"text": "SM"}],
    ...                     explanation="The Product Owner orders it.", refs=["SG-29"])
    >>> questions = [question("BM-001", "Who orders the Product Backlog?"),
    ...              question("BM-002", "Who orders the Product Backlog items?"),
    ...              question("BM-003", "Who attends the Sprint Review?")]
    >>> near_duplicate_stems(questions)
    [('BM-001', 'BM-002', 0.83)]
    """
    tokens = [(q.id, _tokens(q.stem)) for q in questions]
    pairs = []
    for (id_a, a), (id_b, b) in combinations(tokens, 2):
        union = a | b
        similarity = len(a & b) / len(union) if union else 1.0
        if similarity >= threshold:
            pairs.append((id_a, id_b, round(similarity, 2)))
    return pairs


def answer_position_table(questions: list[Question]) -> pd.DataFrame:
    """Observed and expected number of correct options at each position (single and multi).

    The expectation assumes keys spread evenly: a question with ``n`` options and ``k``
    correct ones adds ``k / n`` to each of its positions.

    Examples
    --------
    >>> q = Question(id="ST-002", type="single", difficulty=1, stem="Who orders the backlog?",
    ...              options=[{"text": "PO", "correct": True}, {"text": "SM"}],
    ...              explanation="The Product Owner orders it.", refs=["SG-29"])
    >>> answer_position_table([q]).to_dict("list")
    {'position': [1, 2], 'observed': [1, 0], 'expected': [0.5, 0.5]}
    """
    observed: Counter[int] = Counter()
    expected: Counter[int] = Counter()
    for question in questions:
        if question.type == "truefalse":
            continue
        share = len(question.key) / len(question.options)
        for position in range(len(question.options)):
            expected[position] += share
        observed.update(question.key)
    positions = sorted(expected)
    return pd.DataFrame({"position": [p + 1 for p in positions],
                         "observed": [observed[p] for p in positions],
                         "expected": [round(expected[p], 2) for p in positions]})


def position_skew_problems(questions: list[Question], max_ratio: float = 1.6,
                           min_expected: float = 10.0) -> list[str]:
    """Key positions far from an even spread, and true/false keys mostly on one side.

    A position is skewed when observed / expected is above ``max_ratio`` or below
    ``1 / max_ratio``; positions expected to hold fewer than ``min_expected`` keys are not
    judged. True/false questions are judged together once there are at least
    ``min_expected`` of them: the share of keys that are "True" should lie between 30% and
    70%.

    Parameters
    ----------
    questions
        The questions to judge.
    max_ratio
        Largest accepted ratio of observed to expected keys at a position (and its inverse
        the smallest).
    min_expected
        Fewest expected keys (or true/false questions) needed before a judgement is made.

    Returns
    -------
    list of str
        One readable line per problem; empty when the keys are spread well enough.

    Examples
    --------
    >>> questions = [Question(id=f"BM-{i:03d}", type="single", difficulty=1,
    ...                       stem=f"Question number {i} about ordering?",
    ...                       options=[{"text": "PO", "correct": True}, {"text": "SM"}],
    ...                       explanation="The Product Owner orders it.", refs=["SG-29"])
    ...              for i in range(1, 5)]
    >>> position_skew_problems(questions)
    []
    >>> for line in position_skew_problems(questions, min_expected=2):
    ...     print(line)
    option position 1: 4 keys where about 2 are expected (reorder some options)
    option position 2: 0 keys where about 2 are expected (reorder some options)
    """
    problems = []
    for row in answer_position_table(questions).itertuples():
        if row.expected < min_expected:
            continue
        ratio = row.observed / row.expected
        if ratio > max_ratio or ratio < 1 / max_ratio:
            problems.append(f"option position {row.position}: {row.observed} keys where about "
                            f"{row.expected:.0f} are expected (reorder some options)")
    truefalse = [q for q in questions if q.type == "truefalse"]
    if len(truefalse) >= min_expected:
        true_share = sum(q.options[q.key[0]].text == "True" for q in truefalse) / len(truefalse)
        if not 0.3 <= true_share <= 0.7:
            problems.append(f"true/false keys: {true_share:.0%} are 'True' (expected between "
                            "30% and 70%)")
    return problems


def bank_problems(bank: Bank, duplicate_threshold: float = 0.8) -> list[str]:
    """Every quality problem of a loaded bank, one readable line each.

    It combines :func:`stale_term_problems`, :func:`positional_option_problems`,
    :func:`near_duplicate_stems` and :func:`position_skew_problems` (with its defaults).
    Schema problems, unknown reference ids, true/false layout and ``choose`` counts are
    already rejected by :func:`~pspo_lab.content.question_bank.load_bank`.

    Parameters
    ----------
    bank
        The bank to check.
    duplicate_threshold
        Stem similarity from which two questions count as near-duplicates.

    Returns
    -------
    list of str
        Empty when the bank passes every check.

    Examples
    --------
    >>> def question(qid, stem, other):
    ...     return Question(id=qid, type="single", difficulty=1, stem=stem,
    ...                     options=[{"text": "PO", "correct": True}, {"text": other}],
    ...                     explanation="The Product Owner orders it.", refs=["SG-29"])
    >>> bank = Bank([question("BM-001", "Who orders the Product Backlog?", "SM"),
    ...              question("BM-002", "Who orders the Product Backlog items?", "SM"),
    ...              question("BM-003", "Who may change the order of items?", "Answer B")])
    >>> for line in bank_problems(bank):
    ...     print(line)
    BM-003 option 2: 'Answer B' depends on the order of options, which is shuffled
    BM-001 and BM-002: near-duplicate stems (similarity 0.83)
    """
    problems = stale_term_problems(bank.questions) + positional_option_problems(bank.questions)
    problems += [f"{a} and {b}: near-duplicate stems (similarity {s:.2f})"
                 for a, b, s in near_duplicate_stems(bank.questions, duplicate_threshold)]
    problems += position_skew_problems(bank.questions)
    return problems
