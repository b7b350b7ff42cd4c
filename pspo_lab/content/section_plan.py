"""Minute budgets of a notebook's sections: what is done in class, what is optional.

Every syllabus part is one two-hour session. Each numbered ``##`` section of a notebook, and
its "Check your understanding" and "Assignment" sections, carries a plan in the metadata of
the cell that opens it (``cell.metadata["pspo_lab"]["section"]``):

* ``minutes``: the time a class needs for it, reading and exercises included;
* ``kind``: ``core`` (done in class), ``optional`` or ``deep dive`` (folded in JupyterLab,
  for after the session);
* ``aim``: the number of the part's aim it serves (the aims, in ``syllabus.yaml``, spell out
  the part's outcome step by step).

Core sections of a part add up to at most its duration minus the debrief time, and the
visible label under each heading is written from the plan by :func:`sync_sections`.

>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
...     "## 1. Canvases\\n\\nText.", metadata={"pspo_lab": {"section": {
...         "minutes": 20, "kind": "optional", "aim": 1}}})])
>>> sync_sections(nb, ["Write the business model down"])
1
>>> print(nb.cells[0].source)
## 1. Canvases
<BLANKLINE>
*Optional · 20 min · serves aim 1: write the business model down*
<BLANKLINE>
Text.
>>> nb.cells[0].metadata["jp-MarkdownHeadingCollapsed"]
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import nbformat
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pspo_lab.content.syllabus import Part, Syllabus, load_syllabus
from pspo_lab.core.errors import DataError, format_pydantic_error

SectionKind = Literal["core", "optional", "deep dive"]
FRAME_SECTIONS = ("Overview", "Prerequisites", "Setup", "Summary", "What's next",
                  "Learning resources")
LABEL_LINE = re.compile(r"^\*(Core|Optional|Deep dive) · \d+ min[^\n]*\*$")  # a section's label
_OUTCOME_MARK = "outcome"


class SectionPlan(BaseModel):
    """The plan of one section: its minutes, its kind and the aim it serves."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    minutes: int = Field(gt=0, le=120)
    kind: SectionKind
    aim: int | None = Field(default=None, ge=1)


class PlannedSection(BaseModel):
    """A ``##`` section of a notebook with its plan."""

    model_config = ConfigDict(frozen=True)

    title: str
    plan: SectionPlan


def _heading(source: str) -> str | None:
    """The ``##`` title that opens a Markdown cell, or ``None``."""
    first = source.lstrip("\n").split("\n", 1)[0]
    return first[3:].strip() if first.startswith("## ") else None


def _section_headings(notebook: Mapping[str, Any]) -> list[tuple[int, str]]:
    """(cell index, title) of every Markdown cell that opens a planned section."""
    return [(index, title) for index, cell in enumerate(notebook["cells"])
            if cell["cell_type"] == "markdown"
            and (title := _heading(cell["source"])) is not None
            and title not in FRAME_SECTIONS]


def section_plans(notebook: Mapping[str, Any], source: str = "notebook"
                  ) -> list[PlannedSection]:
    """The planned sections of ``notebook``, in order.

    Parameters
    ----------
    notebook
        The notebook (an ``nbformat`` node or its JSON as a dict).
    source
        How to name the notebook in an error message.

    Returns
    -------
    list of PlannedSection
        One per ``##`` section other than the frame (Overview, Prerequisites, Setup, Summary,
        What's next, Learning resources).

    Raises
    ------
    DataError
        If a section has no plan, or its plan is not minutes, kind and aim as expected.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## Setup"),
    ...     nbformat.v4.new_markdown_cell("## 1. Vision", metadata={"pspo_lab": {"section": {
    ...         "minutes": 15, "kind": "core", "aim": 2}}})])
    >>> [(s.title, s.plan.minutes, s.plan.kind) for s in section_plans(nb)]
    [('1. Vision', 15, 'core')]
    >>> section_plans(nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_markdown_cell("## 2. Roadmap")]), "06.ipynb")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: 06.ipynb: cell 0 ('2. Roadmap'): no section plan (expected ...)
    """
    sections = []
    for index, title in _section_headings(notebook):
        raw = notebook["cells"][index].get("metadata", {}).get("pspo_lab", {}).get("section")
        where = f"{source}: cell {index} ({title!r})"
        if raw is None:
            raise DataError(f"{where}: no section plan (expected metadata pspo_lab.section "
                            "with minutes, kind and aim)")
        try:
            sections.append(PlannedSection(title=title, plan=SectionPlan.model_validate(raw)))
        except ValidationError as error:
            raise DataError(format_pydantic_error(f"{where} section plan", error)) from None
    return sections


def core_minutes(sections: Sequence[PlannedSection]) -> int:
    """The minutes of the core sections, the part done in class.

    Examples
    --------
    >>> plans = [PlannedSection(title="a", plan=SectionPlan(minutes=20, kind="core")),
    ...          PlannedSection(title="b", plan=SectionPlan(minutes=30, kind="optional"))]
    >>> core_minutes(plans)
    20
    """
    return sum(s.plan.minutes for s in sections if s.plan.kind == "core")


def session_fit_problems(sections: Sequence[PlannedSection], part: Part,
                         debrief_minutes: int) -> list[str]:
    """What keeps ``sections`` from fitting the session of ``part``; empty when they fit.

    The core sections must leave ``debrief_minutes`` of the part's duration free, every
    section must serve one of the part's aims, and at least one section must be core.

    Examples
    --------
    >>> from pspo_lab.content.syllabus import load_syllabus
    >>> part = load_syllabus().part(2)
    >>> plans = [PlannedSection(title="1. Canvases",
    ...                         plan=SectionPlan(minutes=110, kind="core", aim=9))]
    >>> for problem in session_fit_problems(plans, part, 20):
    ...     print(problem)
    core sections take 110 min (expected at most 100: 120 min session minus 20 min of debriefs)
    1. Canvases: serves aim 9 (expected one of the part's 3 aims)
    """
    problems = []
    limit = part.duration - debrief_minutes
    if (core := core_minutes(sections)) > limit:
        problems.append(f"core sections take {core} min (expected at most {limit}: "
                        f"{part.duration} min session minus {debrief_minutes} min of debriefs)")
    if core == 0:
        problems.append("no core section (expected the sections done in class)")
    for section in sections:
        aim = section.plan.aim
        if aim is None or aim > len(part.aims):
            problems.append(f"{section.title}: serves aim {aim} (expected one of the part's "
                            f"{len(part.aims)} aims)")
    return problems


def label(plan: SectionPlan, aims: Sequence[str]) -> str:
    """The line a learner reads under a section heading.

    Examples
    --------
    >>> label(SectionPlan(minutes=25, kind="core", aim=2), ["A", "Write a product vision"])
    '*Core · 25 min · serves aim 2: write a product vision*'
    >>> label(SectionPlan(minutes=5, kind="deep dive"), [])
    '*Deep dive · 5 min*'
    """
    text = f"{plan.kind.capitalize()} · {plan.minutes} min"
    if plan.aim is not None and plan.aim <= len(aims):
        aim = aims[plan.aim - 1]
        text += f" · serves aim {plan.aim}: {aim[:1].lower()}{aim[1:]}"
    return f"*{text}*"


def sync_sections(notebook: Any, aims: Sequence[str], source: str = "notebook") -> int:
    """Write each section's label under its heading and fold the non-core sections.

    The label is the first paragraph after the heading (replaced if present); non-core
    sections get JupyterLab's ``jp-MarkdownHeadingCollapsed`` flag, core ones lose it.

    Parameters
    ----------
    notebook
        The notebook to change in place (an ``nbformat`` node).
    aims
        The aims of the notebook's syllabus part (empty for the welcome notebook).
    source
        How to name the notebook in an error message.

    Returns
    -------
    int
        The number of cells changed.
    """
    planned = dict(zip((i for i, _ in _section_headings(notebook)),
                       section_plans(notebook, source), strict=True))
    changed = 0
    for index, section in planned.items():
        cell = notebook.cells[index]
        heading, _, rest = cell.source.lstrip("\n").partition("\n")
        paragraphs = rest.strip("\n").split("\n\n") if rest.strip() else []
        if paragraphs and LABEL_LINE.match(paragraphs[0]):
            paragraphs = paragraphs[1:]
        source_text = "\n\n".join([heading, label(section.plan, aims), *paragraphs])
        folded = section.plan.kind != "core"
        before = (cell.source, cell.metadata.get("jp-MarkdownHeadingCollapsed", False))
        cell.source = source_text
        if folded:
            cell.metadata["jp-MarkdownHeadingCollapsed"] = True
        else:
            cell.metadata.pop("jp-MarkdownHeadingCollapsed", None)
        changed += before != (cell.source, folded)
    return changed


def outcome_markdown(part: Part) -> str:
    """The box at the top of a part's notebook: its outcome and the aims that lead to it.

    Examples
    --------
    >>> from pspo_lab.content.syllabus import load_syllabus
    >>> print(outcome_markdown(load_syllabus().part(4)).splitlines()[-1])
    > 2. Agree how to handle uncertainty through transparency, inspection and adaptation
    """
    lines = [f"> **Outcome of this part** (syllabus part {part.id}, {part.duration} min): "
             f"{part.outcome}", ">", "> Its aims, each served by the sections marked with it:"]
    lines += [f"> {number}. {aim}" for number, aim in enumerate(part.aims, start=1)]
    return "\n".join(lines)


def sync_outcome(notebook: Any, part: Part) -> bool:
    """Put :func:`outcome_markdown` in the cell after the title; return whether it changed.

    The cell is marked ``pspo_lab.generated: outcome`` in its metadata, so a later sync
    replaces it instead of adding another.
    """
    cells = notebook.cells
    text = outcome_markdown(part)
    for cell in cells:
        if cell.metadata.get("pspo_lab", {}).get("generated") == _OUTCOME_MARK:
            changed = cell.source != text
            cell.source = text
            return changed
    cells.insert(1, nbformat.v4.new_markdown_cell(
        text, id=f"outcome-part-{part.id}", metadata={"pspo_lab": {"generated": _OUTCOME_MARK}}))
    return True


def sync_notebook(notebook: Any, name: str, syllabus: Syllabus | None = None) -> int:
    """Sync the labels, folding and outcome box of notebook ``name`` from its plans.

    Parameters
    ----------
    notebook
        The notebook to change in place (an ``nbformat`` node).
    name
        Its file name without ``.ipynb``, e.g. ``"02_strategy_and_vision"``; the welcome
        notebook, which belongs to no syllabus part, gets labels without aims.
    syllabus
        The syllabus with the parts' outcomes and aims (default: the packaged one).

    Returns
    -------
    int
        The number of cells changed or added.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 04"),
    ...     nbformat.v4.new_markdown_cell("## 1. Stacey", metadata={"pspo_lab": {
    ...         "section": {"minutes": 20, "kind": "core", "aim": 1}}})])
    >>> sync_notebook(nb, "04_empiricism"), sync_notebook(nb, "04_empiricism")
    (2, 0)
    """
    parts = {p.notebook: p for p in (syllabus or load_syllabus()).parts}
    part = parts.get(name)
    changed = sync_sections(notebook, part.aims if part else [], name)
    return changed + (sync_outcome(notebook, part) if part else 0)
