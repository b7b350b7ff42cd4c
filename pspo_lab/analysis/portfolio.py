"""The learner's portfolio: everything saved in the course, as one HTML and one Markdown file.

Module 9 gathers the workspace into sections (product card, vision, canvases, impact map,
value measures, roadmap, refinement and Product Backlog decisions, release plan, experiment
cards, reflection and plan, and any other saved work) and renders them through two jinja2 templates
(``templates/portfolio.html.j2`` with autoescaping on, ``templates/portfolio.md.j2`` with
HTML special characters escaped too), so text a learner typed, even ``<script>``, stays
text. :func:`write_portfolio` writes both files atomically. An empty workspace gives a
portfolio that says nothing is saved yet; a record that cannot be read is listed by name
at the end instead of stopping the rest.

>>> import tempfile
>>> from pspo_lab.core.workspace import Workspace
>>> ws = Workspace(tempfile.mkdtemp())
>>> "Nothing saved yet" in portfolio_html(ws)
True
>>> _ = ws.save("product", "definition", {"name": "ClinicBook <beta>"})
>>> page = portfolio_html(ws)
>>> "ClinicBook &lt;beta&gt;" in page, "<beta>" in page
(True, False)
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape
from pydantic import BaseModel

from pspo_lab.analysis.attempts import attempt_history
from pspo_lab.analysis.canvas import CANVASES, VisionStatement
from pspo_lab.analysis.metrics_inventory import metrics_table
from pspo_lab.analysis.refinement import Refinement
from pspo_lab.analysis.release_plan import ReleasePlan
from pspo_lab.analysis.strategy_maps import parse_impact_map
from pspo_lab.core import records
from pspo_lab.core.errors import DataError
from pspo_lab.core.workspace import Record, Workspace, write_atomic

TEMPLATES = Path(__file__).parent / "templates"
PORTFOLIO_STEM = "my-pspo-portfolio"
_PRODUCT_LABELS = {
    "name": "Product",
    "users": "Who uses it",
    "buyers": "Who buys it",
    "problem": "The problem it solves",
    "inside": "Inside the boundary",
    "outside": "Outside the boundary",
    "value_measure": "How we know it creates value",
    "product_goal": "Product Goal",
}


@dataclass
class Block:
    """One part of a section: labelled fields, a table or a paragraph, with an optional title."""

    title: str = ""
    fields: list[tuple[str, str]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    text: str = ""


@dataclass
class Section:
    """A heading of the portfolio (``anchor`` is its HTML id) and its blocks."""

    title: str
    anchor: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Portfolio:
    """Everything the templates render."""

    title: str
    product: str | None
    made_on: str
    workspace: str
    sections: list[Section]
    unreadable: list[str]

    @property
    def empty(self) -> bool:
        """True when nothing readable was saved."""
        return not self.sections


def _text(value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "\n".join(_text(v) for v in value) or "-"
    if isinstance(value, dict):
        return "\n".join(f"{k}: {_text(v)}" for k, v in value.items()) or "-"
    return str(value)


def _label(name: str) -> str:
    return name.replace("_", " ").replace("-", " ").capitalize()


def _titles(model: type[BaseModel]) -> dict[str, str]:
    """A form's field titles as portfolio labels, without their typing hints in brackets."""
    return {name: (field.title or _label(name)).split(" (")[0]
            for name, field in model.model_fields.items()}


_RECORD_LABELS = {tuple(records.BACKLOG_REFINEMENT): _titles(Refinement),
                  tuple(records.RELEASE_PLAN): _titles(ReleasePlan)}


def _fields(data: dict[str, Any], labels: dict[str, str] | None = None, title: str = "") -> Block:
    labels = labels or {}
    order = [k for k in labels if k in data] + [k for k in data if k not in labels]
    return Block(title=title, fields=[(labels.get(k, _label(k)), _text(data[k])) for k in order])


def _saved(workspace: Workspace) -> tuple[dict[tuple[str, str], Record], list[str]]:
    """Every readable current record by ``(kind, name)``, and a line for each unreadable one."""
    found: dict[tuple[str, str], Record] = {}
    unreadable: list[str] = []
    if not workspace.root.is_dir():
        return found, unreadable
    for path in sorted(workspace.root.glob("*/*.json")):
        kind, name = path.parent.name, path.stem
        if kind.startswith("."):
            continue
        try:
            record = workspace.record(kind, name)
        except DataError as error:
            unreadable.append(str(error))
            continue
        if record is not None:
            found[(kind, name)] = record
    return found, unreadable


def _vision(saved: dict[tuple[str, str], Record]) -> list[Block]:
    blocks = []
    statement = saved.pop(tuple(records.CANVASES.named("vision-statement")), None)
    if statement is not None:
        try:
            sentence = VisionStatement.model_validate(
                VisionStatement().model_dump() | statement.data
            ).sentence()
            blocks.append(Block(title="Vision statement", text=sentence))
        except ValueError:
            blocks.append(_fields(statement.data, title="Vision statement"))
    for name in ("vision-board", "product-box", "golden-circle"):
        found = saved.pop(tuple(records.CANVASES.named(name)), None)
        if found is not None:
            blocks.append(_fields(found.data, title=CANVASES[name].title))
    return blocks


def _impact_map(record: Record) -> list[Block]:
    data = record.data
    try:
        table = parse_impact_map(str(data.get("goal", "")), data.get("lines", []))
    except (DataError, TypeError):
        return [_fields(data)]
    return [
        Block(text=f"Goal: {data['goal']}"),
        Block(
            columns=["Actor", "Impact", "Deliverable"],
            rows=table[["actor", "impact", "deliverable"]].astype(str).values.tolist(),
        ),
    ]


def _measures(record: Record) -> list[Block]:
    data = dict(record.data)
    lines = data.pop("metrics", [])
    try:
        table = metrics_table(lines)
        rows = [
            [str(r.metric), str(r.category), str(r.indicator), str(r.kva)]
            for r in table.itertuples()
        ]
        first = Block(columns=["Measure", "Category", "Indicator", "Key Value Area"], rows=rows)
    except (DataError, TypeError, AttributeError):
        first = Block(fields=[("Measures", _text(lines))])
    return [first, _fields(data)]


def _cards(saved: dict[tuple[str, str], Record]) -> list[Block]:
    columns = ["title", "status", "hypothesis", "measure", "outcome", "learned"]
    rows = []
    for (kind, name), found in sorted(saved.items()):
        if kind == records.EXPERIMENT_CARDS.kind:
            module = name.rsplit("-", 1)[-1].lstrip("0") or "0"
            rows.append([module] + [_text(found.data.get(c)) for c in columns])
    for key in [k for k in saved if k[0] == records.EXPERIMENT_CARDS.kind]:
        del saved[key]
    return [Block(columns=["Module", *map(_label, columns)], rows=rows)] if rows else []


def _assessment(workspace: Workspace) -> list[Block]:
    try:
        history = attempt_history(workspace)
    except DataError as error:
        return [Block(text=f"Practice attempts could not be read: {error}")]
    exams = history[history["mode"] == "exam"]
    best = f"; best exam score {exams['score'].max():.0%}" if len(exams) else ""
    return [
        Block(
            text=f"{len(history)} finished practice attempt(s), {len(exams)} of them "
            f"practice exams{best}."
        )
    ]


def build_portfolio(workspace: Workspace, today: dt.date | None = None) -> Portfolio:
    """Gather the learner's saved work into the portfolio's sections (only read).

    Parameters
    ----------
    workspace
        The learner's workspace.
    today
        The date printed on the portfolio; ``None``: today.

    Returns
    -------
    Portfolio
        Sections in course order, only those with saved work; ``empty`` when nothing is.

    Examples
    --------
    >>> import tempfile
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> _ = ws.save("catchup", "reflection", {"tried": "A shorter Sprint Review"})
    >>> [s.title for s in build_portfolio(ws).sections]
    ['Reflection and plan']
    """
    saved, unreadable = _saved(workspace)
    take = saved.pop
    sections: list[Section] = []

    def add(title: str, anchor: str, blocks: list[Block]) -> None:
        if blocks:
            sections.append(Section(title, anchor, blocks))

    product = take(tuple(records.PRODUCT_DEFINITION), None)
    name = str(product.data.get("name") or "") or None if product is not None else None
    add(
        "Product card",
        "product",
        [_fields(product.data, _PRODUCT_LABELS)] if product is not None else [],
    )
    add("Vision", "vision", _vision(saved))
    canvases = [
        _fields(found.data, title=CANVASES[n].title)
        for n in ("business-model", "lean", "value-proposition")
        if (found := take(tuple(records.CANVASES.named(n)), None)) is not None
    ]
    add("Canvases", "canvases", canvases)
    impact = take(tuple(records.STRATEGY_IMPACT_MAP), None)
    add("Impact map", "impact-map", _impact_map(impact) if impact is not None else [])
    inventory = take(tuple(records.METRICS_INVENTORY), None)
    add("Value measures", "measures", _measures(inventory) if inventory is not None else [])
    backlog = [
        _fields(
            found.data,
            _RECORD_LABELS.get(key),
            title="Roadmap" if key == tuple(records.BACKLOG_ROADMAP) else _label(key[1]),
        )
        for key in sorted(saved)
        if key[0] == records.BACKLOG_ROADMAP.kind
        if (found := take(key))
    ]
    backlog += [
        _fields(found.data, title=f"Decision: {_label(key[1])}")
        for key in sorted(saved)
        if key[0] == records.DECISION_LOG.kind
        if (found := take(key))
    ]
    add("Roadmap and Product Backlog", "backlog", backlog)
    forecast = [
        _fields(found.data, _RECORD_LABELS.get(key), title=_label(key[1]))
        for key in sorted(saved)
        if key[0] == records.RELEASE_PLAN.kind
        if (found := take(key))
    ]
    add("Forecast", "forecast", forecast)
    add("Experiment cards", "cards", _cards(saved))
    reflection = [
        _fields(found.data, title=title)
        for key, title in [
            (tuple(records.CATCHUP_REFLECTION), "Reflection"),
            (tuple(records.CATCHUP_PLAN), "The next two weeks"),
        ]
        if (found := take(key, None)) is not None
    ]
    add("Reflection and plan", "reflection", reflection)
    attempts = [key for key in saved if key[0] == records.ASSESSMENT_ATTEMPTS.kind]
    for key in attempts:
        del saved[key]
    add("Practice assessment", "assessment", _assessment(workspace) if attempts else [])
    other = [
        _fields(found.data, title=f"{_label(kind)}: {_label(name_)}")
        for (kind, name_), found in sorted(saved.items())
    ]
    add("Other saved work", "other", other)
    title = f"{name}: my PSPO course portfolio" if name else "My PSPO course portfolio"
    return Portfolio(
        title=title,
        product=name,
        made_on=f"{today or dt.date.today():%Y-%m-%d}",
        workspace=str(workspace.root),
        sections=sections,
        unreadable=unreadable,
    )


def _lines_html(text: str) -> Markup:
    return Markup("<br>").join(escape(line) for line in str(text).splitlines() or [""])


def _markdown(text: str) -> str:
    """Learner text for Markdown: HTML special characters escaped, so nothing runs."""
    return html.escape(str(text), quote=False)


def _markdown_cell(text: str) -> str:
    return "<br>".join(_markdown(line).replace("|", "\\|") for line in str(text).splitlines())


@cache
def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(lines=_lines_html, md=_markdown, md_cell=_markdown_cell)
    return env


def _render(portfolio: Portfolio, markdown: bool) -> str:
    """The portfolio as Markdown (``markdown``) or as an HTML page, learner text escaped."""
    name = "portfolio.md.j2" if markdown else "portfolio.html.j2"
    return _environment(not markdown).get_template(name).render(p=portfolio)


def portfolio_html(workspace: Workspace, today: dt.date | None = None) -> str:
    """The portfolio as one self-contained HTML page (learner text escaped).

    Examples
    --------
    >>> import tempfile
    >>> page = portfolio_html(Workspace(tempfile.mkdtemp()), dt.date(2026, 3, 2))
    >>> "<h1>My PSPO course portfolio</h1>" in page, "2026-03-02" in page
    (True, True)
    """
    return _render(build_portfolio(workspace, today), markdown=False)


def portfolio_markdown(workspace: Workspace, today: dt.date | None = None) -> str:
    """The portfolio as Markdown (HTML special characters in learner text escaped).

    Examples
    --------
    >>> import tempfile
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> _ = ws.save("product", "definition", {"name": "A <b>", "users": "x | y"})
    >>> text = portfolio_markdown(ws)
    >>> text.splitlines()[0], "| Who uses it | x \\\\| y |" in text
    ('# A &lt;b&gt;: my PSPO course portfolio', True)
    """
    return _render(build_portfolio(workspace, today), markdown=True)


def write_portfolio(
    workspace: Workspace,
    folder: str | Path,
    stem: str = PORTFOLIO_STEM,
    today: dt.date | None = None,
) -> tuple[Path, Path]:
    """Write the portfolio as ``<stem>.html`` and ``<stem>.md`` into ``folder``, each atomically.

    Both are rendered in full before either is written, so a rendering problem leaves no
    file behind; each file is complete or absent, never half-written.

    Returns
    -------
    tuple of Path
        The HTML file and the Markdown file.

    Examples
    --------
    >>> import tempfile
    >>> html_file, md_file = write_portfolio(Workspace(tempfile.mkdtemp()), tempfile.mkdtemp())
    >>> html_file.name, md_file.name
    ('my-pspo-portfolio.html', 'my-pspo-portfolio.md')
    """
    portfolio = build_portfolio(workspace, today)  # the workspace is read once for both
    page, text = _render(portfolio, markdown=False), _render(portfolio, markdown=True)
    target = Path(folder)
    html_file, md_file = target / f"{stem}.html", target / f"{stem}.md"
    write_atomic(html_file, page)
    write_atomic(md_file, text)
    return html_file, md_file
