"""Refinement: read an item whole, split it, write acceptance criteria, check them against Done.

Refinement is the ongoing activity of breaking Product Backlog items down and adding detail,
such as a description, order and size (Scrum Guide 2020, SG-87). Module 6 shows FreshCrate's
items with their description, problem and acceptance criteria (:func:`item_card`), then lets
the learner refine one in a form (:class:`Refinement`, saved as ``backlog/refinement``) and
gives feedback on it (:func:`refinement_feedback`).

The feedback uses plain heuristics, and says so: a vague word such as "easy" without a number,
a piece named after a technical layer, a criterion that repeats the Definition of Done. They
catch common slips; they cannot tell whether a split is a good one. That needs the team.

>>> feedback = refinement_feedback(Refinement())
>>> feedback["verdict"].value_counts().to_dict()
{'ok': 11, 'look again': 2}
"""

from __future__ import annotations

import re

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from pspo_lab.content.backlog_items import CRITERIA_SEPARATOR

LAYER_WORDS = ("backend", "back end", "back-end", "frontend", "front end", "front-end",
               "database", "api", "ui", "user interface", "design", "testing", "tests",
               "analysis", "spike", "refactor", "refactoring", "infrastructure", "migration",
               "documentation", "research", "server", "schema")
"""Words that name a technical layer or a task rather than something a user can do."""

VAGUE_WORDS = ("easy", "easily", "user-friendly", "user friendly", "intuitive", "fast",
               "quick", "quickly", "nice", "better", "simple", "good", "seamless",
               "seamlessly", "robust", "appropriate", "as needed", "etc", "modern", "clean",
               "efficient", "flexible", "properly", "correctly")
"""Words that cannot be tested unless a number or an observable result comes with them."""

DONE_WORDS = ("tested", "unit test", "unit tests", "code review", "code reviewed", "reviewed",
              "documented", "deployed", "deployable", "pipeline", "peer review")
"""Words of a typical Definition of Done: general quality, not one item's behaviour."""

_STOP = frozenset(("a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "in",
                   "into", "is", "it", "its", "of", "on", "one", "or", "the", "their", "them",
                   "they", "this", "to", "with", "without", "when", "who", "what", "which",
                   "that", "there", "each", "every", "all", "any", "our", "your", "has", "have",
                   "not", "no", "new", "before", "after", "more", "less", "another", "other",
                   "some", "someone", "something", "change", "changes", "work", "works", "only",
                   "then", "than", "also", "must", "should", "will", "show", "shown", "using",
                   "used", "make", "makes", "given"))


class Refinement(BaseModel):
    """One refined Product Backlog item: its split, acceptance criteria and Definition of Done.

    The defaults are a worked example on FreshCrate's "Simplify box customisation", with two
    slips left in for the feedback to find.
    """

    model_config = ConfigDict(extra="forbid")

    item: str = Field("PB-004 Simplify box customisation", min_length=1, max_length=200,
                      title="Item to refine")
    pieces: list[str] = Field(default_factory=lambda: [
        "Swap one recipe for another on this week's menu, until the deadline",
        "Add an extra portion to one recipe in the box",
        "Backend service that recalculates the box price"],
        max_length=12, title="Split into (one piece per line)")
    acceptance_criteria: list[str] = Field(default_factory=lambda: [
        "A subscriber can swap a recipe in at most three taps from the weekly menu",
        "The new price is shown before the subscriber confirms the swap",
        "After the weekly deadline the swap button is off and says why",
        "The swap screen is easy to use"],
        max_length=12, title="Acceptance criteria of the first piece (one per line)")
    definition_of_done: list[str] = Field(default_factory=lambda: [
        "Automated tests pass in the shared pipeline",
        "Another Developer has reviewed the change",
        "Works on the three most used phones and browsers",
        "Accessibility check passes with no serious issue",
        "Can be released to production without a manual step"],
        max_length=20, title="Definition of Done (one quality measure per line)")
    each_piece_fits_a_sprint: bool = Field(
        True, title="Each piece can meet the Definition of Done within one Sprint")


def criteria_list(cell: object) -> list[str]:
    """The acceptance criteria in one ``acceptance_criteria`` cell, as a list.

    Examples
    --------
    >>> criteria_list("Slots from 6 am; A full slot is greyed out")
    ['Slots from 6 am', 'A full slot is greyed out']
    >>> criteria_list(float("nan"))
    []
    """
    if not isinstance(cell, str):
        return []
    return [part.strip() for part in cell.split(CRITERIA_SEPARATOR.strip()) if part.strip()]


def item_card(item: pd.Series) -> str:
    """One Product Backlog item as Markdown: title, problem, description, acceptance criteria.

    Parameters
    ----------
    item
        A row of the backlog with ``id`` and ``title``; ``activity``, ``problem``,
        ``description`` and ``acceptance_criteria`` are shown when present.

    Examples
    --------
    >>> from pspo_lab import load_dataset
    >>> card = item_card(load_dataset("backlog").iloc[0])
    >>> card.splitlines()[0]
    '**PB-001 · Fix order history** (Manage subscription)'
    >>> "- The steps" not in card and card.count("\\n- ") == 3
    True
    """
    activity = f" ({item['activity']})" if isinstance(item.get("activity"), str) else ""
    lines = [f"**{item['id']} · {item['title']}**{activity}", ""]
    for label, column in (("Problem", "problem"), ("Description", "description")):
        if isinstance(item.get(column), str):
            lines += [f"*{label}:* {item[column]}", ""]
    criteria = criteria_list(item.get("acceptance_criteria"))
    if criteria:
        lines += ["*Acceptance criteria:*", *[f"- {c}" for c in criteria]]
    return "\n".join(lines).rstrip()


def _has(text: str, words: tuple[str, ...]) -> str | None:
    """The first of ``words`` found in ``text`` as a whole word, or ``None``."""
    lower = text.lower()
    return next((w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", lower)),
                None)


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3 and w not in _STOP}


def _overlap(a: str, b: str) -> float:
    """Share of the content words of the shorter text that the other one shares."""
    left, right = _content_words(a), _content_words(b)
    if not left or not right:
        return 0.0
    return len(left & right) / min(len(left), len(right))


def _piece_feedback(plan: Refinement) -> list[tuple[str, str, str, str]]:
    rows = []
    if len(plan.pieces) < 2:
        rows.append(("split", f"{len(plan.pieces)} piece(s)", "look again",
                     "A split gives at least two pieces; with one, the item is only renamed."))
    seen: set[str] = set()
    title = re.sub(r"^[A-Z]+-\d+\s+", "", plan.item).strip().lower()
    for piece in plan.pieces:
        key = piece.strip().lower()
        if (layer := _has(piece, LAYER_WORDS)) is not None:
            why = (f"'{layer}' names a technical layer or a task: on its own this piece gives "
                   "nobody anything to use. Slice through the layers instead, so that each "
                   "piece lets someone do something new.")
        elif key in seen:
            why = "The same piece twice: merge them or say how they differ."
        elif key == title:
            why = "This is the whole item again, not a piece of it."
        else:
            seen.add(key)
            rows.append(("split", piece, "ok", "Reads as something a customer could use on "
                         "its own; ask the team whether it really is."))
            continue
        seen.add(key)
        rows.append(("split", piece, "look again", why))
    return rows


def _criterion_feedback(plan: Refinement) -> list[tuple[str, str, str, str]]:
    if not plan.acceptance_criteria:
        return [("criterion", "(none)", "look again", "No acceptance criteria: how will the "
                 "team and you know the piece does what it should?")]
    rows = []
    for criterion in plan.acceptance_criteria:
        vague = _has(criterion, VAGUE_WORDS)
        done_like = _has(criterion, DONE_WORDS) or next(
            (d for d in plan.definition_of_done if _overlap(criterion, d) >= 0.6), None)
        if len(criterion.split()) < 4:
            verdict, why = "look again", ("Too short to test: say who does what, and what "
                                          "they see or get.")
        elif vague is not None and not re.search(r"\d", criterion):
            verdict, why = "look again", (f"'{vague}' cannot be tested as written: say what "
                                          "someone can observe, e.g. a number of taps, "
                                          "seconds, or people in a test.")
        elif done_like is not None:
            verdict, why = "look again", ("Sounds like the Definition of Done, which every "
                                          "Increment meets anyway; acceptance criteria say "
                                          "what is specific to this piece.")
        else:
            verdict, why = "ok", ("No vague word: someone could check it in a demo. Ask "
                                  "whether a test could show it passes or fails.")
        rows.append(("criterion", criterion, verdict, why))
    return rows


def _done_feedback(plan: Refinement) -> list[tuple[str, str, str, str]]:
    if not plan.definition_of_done:
        return [("Definition of Done", "(none)", "look again", "Without a Definition of "
                 "Done nothing is done: work is part of an Increment only when it meets it "
                 "(Scrum Guide 2020, SG-102).")]
    feature = _content_words(" ".join([plan.item, *plan.pieces]))
    rows = []
    for line in plan.definition_of_done:
        specific = sorted(_content_words(line) & feature)
        if specific:
            rows.append(("Definition of Done", line, "look again",
                         f"Names this item's feature ({', '.join(specific)}): the Definition "
                         "of Done is the quality every Increment meets, not a condition of "
                         "one item. Move it to the acceptance criteria."))
        else:
            rows.append(("Definition of Done", line, "ok", "A quality measure that can apply "
                         "to every item."))
    if plan.each_piece_fits_a_sprint:
        rows.append(("Definition of Done", "Each piece fits a Sprint", "ok",
                     "Items that can be Done within one Sprint are ready for selection at "
                     "Sprint Planning (SG-86)."))
    else:
        rows.append(("Definition of Done", "Each piece fits a Sprint", "look again",
                     "Split further until each piece can meet the Definition of Done within "
                     "one Sprint; only then is it ready for selection (SG-86)."))
    return rows


def refinement_feedback(plan: Refinement) -> pd.DataFrame:
    """Feedback on a refined item: each piece, each criterion, the Definition of Done.

    Parameters
    ----------
    plan
        The refined item, e.g. the value of the refinement form.

    Returns
    -------
    pandas.DataFrame
        One row per thing checked: ``part`` (split, criterion, Definition of Done), the
        ``text`` checked, a ``verdict`` (``ok`` or ``look again``) and ``why``.

    Examples
    --------
    >>> plan = Refinement(pieces=["Database schema for swaps"],
    ...                   acceptance_criteria=["Swapping a recipe is fast"])
    >>> feedback = refinement_feedback(plan)
    >>> feedback.loc[feedback["verdict"] == "look again", "part"].tolist()
    ['split', 'split', 'criterion']
    >>> feedback.iloc[2]["why"][:40]
    "'fast' cannot be tested as written: say "
    """
    rows = _piece_feedback(plan) + _criterion_feedback(plan) + _done_feedback(plan)
    return pd.DataFrame(rows, columns=["part", "text", "verdict", "why"])


def feedback_summary(feedback: pd.DataFrame) -> str:
    """One sentence on the feedback: how many points to look at again.

    Examples
    --------
    >>> print(feedback_summary(refinement_feedback(Refinement())))
    2 of 13 points to look at again: 1 in the split, 1 in the criteria.
    """
    again = feedback[feedback["verdict"] == "look again"]
    if again.empty:
        return (f"All {len(feedback)} points pass these heuristics; now walk through the "
                "pieces with the Developers, who size them.")
    parts = {"split": "the split", "criterion": "the criteria",
             "Definition of Done": "the Definition of Done"}
    counts = ", ".join(f"{n} in {parts[part]}" for part, n
                       in again["part"].value_counts(sort=False).items())
    return f"{len(again)} of {len(feedback)} points to look at again: {counts}."
