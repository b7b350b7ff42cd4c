"""Test-wise cues in the question bank: can someone with no Scrum knowledge score?

A learner who knows nothing of Scrum can still exploit how items are written: keys that
repeat a Guide sentence word for word, distractors full of absolute words ("always",
"never", ...), and multiple-answer keys that keep falling on the same options. These
functions measure each cue on a bank:

* :func:`cue_only_score`: the expected score, on single-answer items, of a strategy that picks
  the option sharing a 5-word run with a Guide quotation, else drops the options with
  absolute words, else guesses among what is left;
* :func:`absolute_word_shares` and :func:`guide_phrase_shares`: how often keys and
  distractors carry each cue (a ratio far from 1 is a cue);
* :func:`key_combination_table`: the most frequent key combination among multiple-answer
  items with the same number of options.

:func:`cue_figures` computes them all and :func:`cue_problems` compares them with the limits
(:data:`CUE_LIMITS`) that the test suite enforces.

>>> from pspo_lab.content.question_bank import load_bank, load_references
>>> figures = cue_figures(load_bank("tests/fixtures/questions"), load_references())
>>> sorted(figures)
['absolute_ratio', 'absolute_shares', 'cue_only_score', 'guide_phrase_ratio', \
'guide_phrase_shares', 'key_combinations']
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from pspo_lab.content.question_bank import Bank, Question, References

#: Words that make a statement absolute; test-wise learners distrust options carrying them.
ABSOLUTE_WORDS: tuple[str, ...] = ("always", "never", "only", "must", "every", "all", "cannot",
                                   "exactly")

_ABSOLUTE = re.compile(r"\b(" + "|".join(ABSOLUTE_WORDS) + r")\b", re.IGNORECASE)

#: Length of the word run that counts as Guide wording.
PHRASE_WORDS = 5


@dataclass(frozen=True)
class CueLimits:
    """The limits a bank must keep (checked by :func:`cue_problems`).

    ``min_group`` is the fewest multiple-answer items with one option count from which their
    key combinations are judged.
    """

    cue_only_score: float = 0.30
    absolute_ratio: float = 1.5
    guide_phrase_ratio: float = 3.0
    key_combination_share: float = 0.30
    min_group: int = 10


#: The limits of issue 14, enforced by the test suite.
CUE_LIMITS = CueLimits()


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'").replace("'", ""))


def guide_phrases(references: References, length: int = PHRASE_WORDS) -> set[tuple[str, ...]]:
    """Every run of ``length`` consecutive words in the quotations of ``references``.

    Examples
    --------
    >>> from pspo_lab.content.question_bank import load_references
    >>> ("the", "product", "owner", "is", "one") in guide_phrases(load_references())
    True
    """
    phrases: set[tuple[str, ...]] = set()
    for fact in references.facts:
        for quote in fact.quotes:
            words = _words(quote)
            phrases.update(tuple(words[i:i + length]) for i in range(len(words) - length + 1))
    return phrases


def has_guide_phrase(text: str, phrases: set[tuple[str, ...]]) -> bool:
    """Whether ``text`` shares a run of words with a Guide quotation (see :func:`guide_phrases`).

    Examples
    --------
    >>> phrases = {("the", "product", "owner", "is", "one")}
    >>> has_guide_phrase("The Product Owner is one person.", phrases)
    True
    >>> has_guide_phrase("One person owns the product.", phrases)
    False
    """
    length = len(next(iter(phrases))) if phrases else PHRASE_WORDS
    words = _words(text)
    return any(tuple(words[i:i + length]) in phrases for i in range(len(words) - length + 1))


def has_absolute_word(text: str) -> bool:
    """Whether ``text`` contains one of :data:`ABSOLUTE_WORDS` (as a whole word).

    Examples
    --------
    >>> has_absolute_word("The Sprint Review is always held"), has_absolute_word("Allowed")
    (True, False)
    """
    return _ABSOLUTE.search(text) is not None


def cue_only_choice(question: Question, phrases: set[tuple[str, ...]]) -> list[int]:
    """The options (file positions) among which the cue-only strategy guesses.

    The options sharing a Guide phrase, if any; else those without absolute words, if any;
    else all options.

    Examples
    --------
    >>> q = Question(id="ST-001", type="single", difficulty=1, stem="Who orders the items?",
    ...              options=[{"text": "The Product Owner, always", "correct": True},
    ...                       {"text": "The Scrum Master"}, {"text": "Never the team"}],
    ...              explanation="The Product Owner orders them.", refs=["SG-29"])
    >>> cue_only_choice(q, set())
    [1]
    """
    positions = range(len(question.options))
    guide = [i for i in positions if has_guide_phrase(question.options[i].text, phrases)]
    if guide:
        return guide
    plain = [i for i in positions if not has_absolute_word(question.options[i].text)]
    return plain or list(positions)


def cue_only_score(questions: list[Question], phrases: set[tuple[str, ...]]) -> float:
    """Expected share of single-answer items the cue-only strategy gets right.

    Guessing among the options left by :func:`cue_only_choice` scores ``1 / len(left)``
    when the key is among them.

    Examples
    --------
    >>> q = Question(id="ST-001", type="single", difficulty=1, stem="Who orders the items?",
    ...              options=[{"text": "The Product Owner", "correct": True},
    ...                       {"text": "The Scrum Master"}, {"text": "Never the team"}],
    ...              explanation="The Product Owner orders them.", refs=["SG-29"])
    >>> cue_only_score([q], set())
    0.5
    """
    singles = [q for q in questions if q.type == "single"]
    if not singles:
        return 0.0
    total = 0.0
    for question in singles:
        left = cue_only_choice(question, phrases)
        total += (question.key[0] in left) / len(left)
    return total / len(singles)


def _option_shares(questions: list[Question], has_cue) -> tuple[float, float]:
    keys: list[bool] = []
    distractors: list[bool] = []
    for question in questions:
        if question.type == "truefalse":
            continue
        for option in question.options:
            (keys if option.correct else distractors).append(bool(has_cue(option.text)))
    return (sum(keys) / len(keys) if keys else 0.0,
            sum(distractors) / len(distractors) if distractors else 0.0)


def absolute_word_shares(questions: list[Question]) -> tuple[float, float]:
    """Shares of keys and of distractors (single and multi items) with an absolute word.

    Examples
    --------
    >>> q = Question(id="ST-001", type="single", difficulty=1, stem="Who orders the items?",
    ...              options=[{"text": "The Product Owner", "correct": True},
    ...                       {"text": "Always the Scrum Master"}, {"text": "The team"}],
    ...              explanation="The Product Owner orders them.", refs=["SG-29"])
    >>> absolute_word_shares([q])
    (0.0, 0.5)
    """
    return _option_shares(questions, has_absolute_word)


def guide_phrase_shares(questions: list[Question], phrases: set[tuple[str, ...]]
                        ) -> tuple[float, float]:
    """Shares of keys and of distractors (single and multi items) with Guide wording.

    Examples
    --------
    >>> q = Question(id="ST-001", type="single", difficulty=1, stem="Who is the PO?",
    ...              options=[{"text": "The Product Owner is one person", "correct": True},
    ...                       {"text": "A committee"}],
    ...              explanation="One person.", refs=["SG-32"])
    >>> guide_phrase_shares([q], {("the", "product", "owner", "is", "one")})
    (1.0, 0.0)
    """
    return _option_shares(questions, lambda text: has_guide_phrase(text, phrases))


def share_ratio(shares: tuple[float, float]) -> float:
    """The larger share over the smaller (1.0 when equal; infinite when one is 0).

    Examples
    --------
    >>> share_ratio((0.08, 0.24)), share_ratio((0.0, 0.0))
    (3.0, 1.0)
    """
    low, high = sorted(shares)
    if high == 0:
        return 1.0
    return round(high / low, 2) if low else float("inf")


def key_combination_table(questions: list[Question]) -> pd.DataFrame:
    """Per option count of the multiple-answer items: how many there are, their most frequent
    key combination (option letters in file order) and its share.

    Examples
    --------
    >>> q = Question(id="ST-001", type="multi", difficulty=1, choose=2, stem="Which two?",
    ...              options=[{"text": "a"}, {"text": "b", "correct": True}, {"text": "c"},
    ...                       {"text": "d", "correct": True}],
    ...              explanation="B and D are right.", refs=["SG-29"])
    >>> key_combination_table([q]).to_dict("records")
    [{'options': 4, 'items': 1, 'top_key': 'B+D', 'share': 1.0}]
    """
    groups: dict[int, Counter[str]] = {}
    for question in questions:
        if question.type == "multi":
            letters = "+".join("ABCDEFGH"[i] for i in question.key)
            groups.setdefault(len(question.options), Counter())[letters] += 1
    rows = []
    for count in sorted(groups):
        combination, top = groups[count].most_common(1)[0]
        items = sum(groups[count].values())
        rows.append({"options": count, "items": items, "top_key": combination,
                     "share": round(top / items, 3)})
    return pd.DataFrame(rows, columns=["options", "items", "top_key", "share"])


def cue_figures(bank: Bank, references: References) -> dict[str, object]:
    """All cue figures of a bank: cue-only score, shares and ratios, key combinations."""
    phrases = guide_phrases(references)
    absolute = absolute_word_shares(bank.questions)
    guide = guide_phrase_shares(bank.questions, phrases)
    return {"cue_only_score": round(cue_only_score(bank.questions, phrases), 3),
            "absolute_shares": tuple(round(s, 3) for s in absolute),
            "absolute_ratio": share_ratio(absolute),
            "guide_phrase_shares": tuple(round(s, 3) for s in guide),
            "guide_phrase_ratio": share_ratio(guide),
            "key_combinations": key_combination_table(bank.questions)}


def cue_problems(figures: dict[str, object], limits: CueLimits = CUE_LIMITS) -> list[str]:
    """Readable lines for every figure of :func:`cue_figures` beyond ``limits``.

    Examples
    --------
    >>> figures = {"cue_only_score": 0.415, "absolute_ratio": 1.2, "guide_phrase_ratio": 10.4,
    ...            "key_combinations": pd.DataFrame([{"options": 4, "items": 43,
    ...                                               "top_key": "B+D", "share": 0.442}])}
    >>> for line in cue_problems(figures):
    ...     print(line)
    cue-only strategy scores 41.5% on single-answer items (limit 30%)
    keys and distractors differ 10.4x in Guide wording (limit 3.0x)
    key B+D answers 44.2% of the 43 multiple-answer items with 4 options (limit 30%)
    """
    problems = []
    if figures["cue_only_score"] > limits.cue_only_score:
        problems.append(f"cue-only strategy scores {figures['cue_only_score']:.1%} on "
                        f"single-answer items (limit {limits.cue_only_score:.0%})")
    if figures["absolute_ratio"] > limits.absolute_ratio:
        problems.append(f"keys and distractors differ {figures['absolute_ratio']}x in absolute "
                        f"words (limit {limits.absolute_ratio}x)")
    if figures["guide_phrase_ratio"] > limits.guide_phrase_ratio:
        problems.append(f"keys and distractors differ {figures['guide_phrase_ratio']}x in "
                        f"Guide wording (limit {limits.guide_phrase_ratio}x)")
    table = figures["key_combinations"]
    for row in table[table["items"] >= limits.min_group].itertuples():
        if row.share > limits.key_combination_share:
            problems.append(f"key {row.top_key} answers {row.share:.1%} of the {row.items} "
                            f"multiple-answer items with {row.options} options (limit "
                            f"{limits.key_combination_share:.0%})")
    return problems


#: Words too common to show that a reference supports a key.
_COMMON = frozenset({"does", "from", "have", "must", "should", "that", "their", "them", "they",
                     "this", "what", "when", "which", "will", "with", "would"})


def _content_words(text: str) -> set[str]:
    """Lower-case words of four letters or more that are not common, a plural ``s`` dropped."""
    return {w[:-1] if w.endswith("s") and len(w) > 4 else w
            for w in _words(text) if len(w) >= 4 and w not in _COMMON}


def unsupported_key_problems(questions: list[Question], references: References,
                             shared: int = 1) -> list[str]:
    """Items whose references share fewer than ``shared`` content words with the key.

    The key is the stem with the correct options (for true/false: the stem, which states
    the fact or its opposite); a reference supports it when its statement and quotations
    share at least ``shared`` content words with the key. Items marked ``basis: practice``
    rest on their named ``source`` instead and are not checked.

    Examples
    --------
    >>> from pspo_lab.content.question_bank import load_references
    >>> q = Question(id="EVT-099", type="single", difficulty=1,
    ...     stem="How long may the Daily Scrum take?",
    ...     options=[{"text": "15 minutes", "correct": True}, {"text": "An hour",
    ...               "why": "It is a short event."}],
    ...     explanation="A 15-minute event.", refs=["SG-46"])
    >>> unsupported_key_problems([q], load_references())  # doctest: +ELLIPSIS
    ['EVT-099: its references SG-46 share 0 content words with the key (expected at least 1...)']
    """
    facts = {fact.id: fact for fact in references.facts}
    problems = []
    for question in questions:
        if question.basis == "practice":
            continue
        key = question.stem + " " + " ".join(o.text for o in question.options if o.correct)
        cited = " ".join(f"{facts[r].statement} {' '.join(facts[r].quotes)}"
                         for r in question.refs if r in facts)
        common = _content_words(key) & _content_words(cited)
        if len(common) < shared:
            problems.append(f"{question.id}: its references {', '.join(question.refs)} share "
                            f"{len(common)} content words with the key (expected at least "
                            f"{shared}, or basis: practice with a source)")
    return problems
