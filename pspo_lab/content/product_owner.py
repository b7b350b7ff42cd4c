"""The Product Owner in the welcome notebook: accountabilities, neighbours and a self-check.

Everything here is data with its source. Scrum statements cite the Scrum Guide 2020 by fact
id (``SG-27`` ...) from ``references.yaml``, whose quotations are shown as they are (CC BY-SA
4.0, Ken Schwaber and Jeff Sutherland). Statements about the PSPO and CSPO credentials and
about the Product Owner's daily tasks come from the course documents the project is built
from (the course page, a training provider's overview of the role and an article on CSPO
training); the wording is ours.

>>> po_accountabilities().index[0]
'SG-27'
>>> check_statements({1: True}).loc[1, "result"]
'right'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from pspo_lab.content.question_bank import load_references
from pspo_lab.content.syllabus import load_syllabus
from pspo_lab.core.errors import ParameterError

_PO_FACTS: dict[str, str] = {
    "SG-27": "The one accountability everything else serves: the value of the product.",
    "SG-28": "There is no single recipe; how value is maximised depends on the context.",
    "SG-29": "Product Backlog management: the Product Goal, the items, their order and "
             "the transparency of the whole.",
    "SG-30": "Others may write items or order them; the accountability stays with the "
             "Product Owner.",
    "SG-31": "The organisation respects the decisions; they show in the Product Backlog "
             "and in the Increment.",
    "SG-32": "One person decides, not a committee; many may advise.",
    "SG-33": "One Product Owner can speak for many stakeholders.",
    "SG-34": "Whoever wants the Product Backlog changed convinces the Product Owner.",
}


def po_accountabilities() -> pd.DataFrame:
    """What the Scrum Guide 2020 makes the Product Owner accountable for, fact by fact.

    Returns
    -------
    pandas.DataFrame
        Indexed by fact id (``SG-27`` to ``SG-34``): ``the Guide says`` (the quotation, list
        items joined) and ``in practice`` (what it means, in our words).

    Examples
    --------
    >>> table = po_accountabilities()
    >>> table.loc["SG-32", "the Guide says"]
    'The Product Owner is one person, not a committee.'
    >>> len(table)
    8
    """
    refs = load_references()
    rows = {fact_id: {"the Guide says": " ".join(refs.fact(fact_id).quotes),
                      "in practice": meaning}
            for fact_id, meaning in _PO_FACTS.items()}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("fact")


_PO_VS_SM: tuple[tuple[str, str, str, str], ...] = (
    ("Accountable for", "maximising the value of the product (SG-27)",
     "establishing Scrum and the Scrum Team's effectiveness (SG-35, SG-36)", "Scrum Guide 2020"),
    ("Looks mostly", "outwards: users, customers, stakeholders, the market",
     "inwards and around: the Scrum Team, its process and the organisation",
     "training provider's overview"),
    ("Asks first", "are we building the right thing?", "are we working in the most effective "
     "way?", "training provider's overview"),
    ("Decisions visible in", "the content and order of the Product Backlog and the Increment "
     "(SG-31)", "how Scrum is understood and practised; impediments removed (SG-39)",
     "Scrum Guide 2020"),
    ("Helps the other by", "making the Product Goal and the order of the Product Backlog clear",
     "finding techniques for Product Goal definition and Product Backlog management, and "
     "facilitating stakeholder collaboration (SG-38)", "Scrum Guide 2020"),
    ("Leads as", "the person who decides what to build next and why",
     "a true leader who serves the Scrum Team and the organisation (SG-37)",
     "CSPO article; Scrum Guide 2020"),
)


def po_vs_scrum_master() -> pd.DataFrame:
    """The Product Owner and the Scrum Master side by side, each row with its source.

    Examples
    --------
    >>> table = po_vs_scrum_master()
    >>> table.columns.tolist()
    ['Product Owner', 'Scrum Master', 'source']
    >>> "SG-36" in table.loc["Accountable for", "Scrum Master"]
    True
    """
    return pd.DataFrame([row[1:] for row in _PO_VS_SM], index=[row[0] for row in _PO_VS_SM],
                        columns=["Product Owner", "Scrum Master", "source"]).rename_axis("")


_CREDENTIALS: tuple[tuple[str, str, str, str], ...] = (
    ("Awarded by", "Scrum.org", "Scrum Alliance", "training provider's overview"),
    ("How it is earned", "passing the {exam} assessment online: {questions} questions in "
     "{minutes} minutes, {pass_mark:.0%} to pass", "the instructor approves it (the overview "
     "names no exam)", "course page; training provider's overview"),
    ("Training style", "instruction and team exercises over two days (or shorter virtual days)",
     "workshop-based, interactive", "course page; CSPO article"),
    ("Emphasis, as the overview puts it", "value, return on investment and product strategy; "
     "analytical and based on measures", "communication and backlog management; team-focused "
     "and experiential", "training provider's overview"),
    ("Advanced path", "PSPO-A (Professional Scrum Product Owner – Advanced)", "A-CSPO, then "
     "CSP-PO", "training provider's overview"),
)


def pspo_vs_cspo() -> pd.DataFrame:
    """The PSPO and CSPO credentials compared, using only what the course documents state.

    The "emphasis" row is a training provider's characterisation, not a fact about either
    body's syllabus; the ``source`` column says where every row comes from.

    Examples
    --------
    >>> pspo_vs_cspo().loc["Awarded by"].tolist()
    ['Scrum.org', 'Scrum Alliance', "training provider's overview"]
    >>> pspo_vs_cspo().loc["How it is earned", "PSPO"]
    'passing the PSPO I assessment online: 80 questions in 60 minutes, 85% to pass'

    """
    exam = load_syllabus().assessment
    facts = {"exam": exam.name, "questions": exam.questions, "minutes": exam.minutes,
             "pass_mark": exam.pass_mark}
    return pd.DataFrame([(row[1].format(**facts), *row[2:]) for row in _CREDENTIALS],
                        index=[row[0] for row in _CREDENTIALS],
                        columns=["PSPO", "CSPO", "source"]).rename_axis("")


_PM_TASKS: tuple[tuple[str, str, str, str], ...] = (
    ("Say why the product exists and whom it serves", "the product vision",
     "no vision in the Guide; the Product Goal is its next step (SG-89)", "02"),
    ("Order the Product Backlog and communicate the Product Goal", "Product Backlog management",
     "SG-29", "06"),
    ("Bring business, users and Developers together", "stakeholder collaboration",
     "SG-33, SG-34", "02, 07"),
    ("Judge which work creates value, and measure it", "value and its evidence",
     "SG-27", "03"),
    ("Propose how the next Sprint adds value", "Sprint Planning: why the Sprint is valuable",
     "SG-58", "05"),
    ("Say no to work that does not add value", "ordering, and the respect of the "
     "organisation for the decision", "SG-31", "06"),
)


def product_manager_tasks() -> pd.DataFrame:
    """A Product Owner's tasks as an agile product manager, mapped to Scrum and to the course.

    The tasks are those the course documents list for the role; the ``Scrum Guide 2020``
    column names the fact each one rests on, ``notebooks`` where the course practises it.

    Examples
    --------
    >>> tasks = product_manager_tasks()
    >>> tasks.loc["Order the Product Backlog and communicate the Product Goal", "notebooks"]
    '06'
    """
    return pd.DataFrame([row[1:] for row in _PM_TASKS], index=[row[0] for row in _PM_TASKS],
                        columns=["what it is about", "Scrum Guide 2020", "notebooks"]
                        ).rename_axis("task")


WHO_DOES_IT = ("I do", "someone else, for me", "nobody")
"""The answers to "who does this task today?" in :func:`task_summary`."""


def task_summary(answers: Mapping[str, str]) -> str:
    """What the learner's answers to "who does this task today?" say about their role.

    Parameters
    ----------
    answers
        Task (a row of :func:`product_manager_tasks`) to one of :data:`WHO_DOES_IT`.

    Returns
    -------
    str
        One or two sentences: the tasks nobody does (a gap in product management), those
        delegated (the accountability stays, SG-30), or that the learner does them all.

    Raises
    ------
    ParameterError
        For an unknown task or answer.

    Examples
    --------
    >>> tasks = product_manager_tasks().index
    >>> print(task_summary({task: "I do" for task in tasks}))
    You do all 6 tasks yourself: the whole product management of your product is in your hands.
    >>> summary = task_summary({tasks[0]: "nobody", tasks[1]: "someone else, for me"})
    >>> summary.split(". ")[0]
    'Nobody does: say why the product exists and whom it serves'
    >>> summary.endswith("you stay accountable (SG-30).")
    True
    """
    known = set(product_manager_tasks().index)
    for task, answer in answers.items():
        if task not in known or answer not in WHO_DOES_IT:
            raise ParameterError(f"answers: {task!r}: {answer!r} (expected a task of "
                                 f"product_manager_tasks() and one of {', '.join(WHO_DOES_IT)})")

    def listed(answer: str) -> str:
        chosen = [t for t, a in answers.items() if a == answer]
        return "; ".join(t[:1].lower() + t[1:] for t in chosen)

    nobody, others = listed("nobody"), listed("someone else, for me")
    if not nobody and not others:
        mine = sum(a == "I do" for a in answers.values())
        return (f"You do all {mine} tasks yourself: the whole product management of your "
                "product is in your hands.")
    parts = []
    if nobody:
        parts.append(f"Nobody does: {nobody}. That is a gap in product management to close "
                     "first.")
    if others:
        parts.append(f"Done by someone else for you: {others}; you stay accountable (SG-30).")
    return " ".join(parts)


@dataclass(frozen=True)
class Statement:
    """A statement of the self-check: whether it is true, why, and the fact it rests on."""

    text: str
    true: bool
    why: str
    fact: str


SELF_CHECK: tuple[Statement, ...] = (
    Statement("The Product Owner is accountable for maximising the value of the product.",
              True, "This is the Product Owner's accountability in one sentence.", "SG-27"),
    Statement("A steering committee can act as the Product Owner if its members agree.", False,
              "The Product Owner is one person. A committee may advise; one person decides.",
              "SG-32"),
    Statement("Once the Product Owner lets a business analyst write the Product Backlog "
              "items, the analyst is accountable for them.", False,
              "The work may be delegated; the accountability stays with the Product Owner.",
              "SG-30"),
    Statement("Developing and communicating the Product Goal is part of Product Backlog "
              "management.", True, "It is the first of the four parts of Product Backlog "
              "management the Guide names.", "SG-29"),
    Statement("The Scrum Master decides the order of the Product Backlog when stakeholders "
              "disagree.", False, "Ordering is the Product Owner's; the Scrum Master helps "
              "with techniques and facilitates stakeholder collaboration.", "SG-38"),
    Statement("A manager who wants an item moved up should try to convince the Product Owner.",
              True, "Those who want the Product Backlog changed do so by convincing the "
              "Product Owner.", "SG-34"),
)


def check_statements(answers: Mapping[int, bool | None]) -> pd.DataFrame:
    """Mark the learner's true/false answers to :data:`SELF_CHECK`, with the reasons.

    Parameters
    ----------
    answers
        Statement number (1 for the first) to ``True``, ``False`` or ``None`` (not answered).
        Numbers not given count as not answered.

    Returns
    -------
    pandas.DataFrame
        One row per statement, indexed from 1: ``statement``, ``your answer``, ``key``,
        ``result`` ("right", "wrong" or "not answered"), ``why`` and ``fact``.

    Examples
    --------
    >>> marked = check_statements({1: True, 2: True})
    >>> marked["result"].tolist()[:3]
    ['right', 'wrong', 'not answered']
    >>> marked.loc[2, "fact"]
    'SG-32'
    """
    rows = []
    for number, statement in enumerate(SELF_CHECK, start=1):
        given = answers.get(number)
        result = ("not answered" if given is None
                  else "right" if given == statement.true else "wrong")
        rows.append({"statement": statement.text,
                     "your answer": "" if given is None else str(given).lower(),
                     "key": str(statement.true).lower(), "result": result,
                     "why": statement.why, "fact": statement.fact})
    return pd.DataFrame(rows, index=range(1, len(rows) + 1))
