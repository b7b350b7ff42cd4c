"""Hand-outs of a cohort run: one HTML page per executed notebook and an ``index.html`` agenda.

Hand-outs hide the code (learners read the narrative, tables and charts). Pages are rendered
from the jinja2 templates in ``templates/`` with autoescaping on, so every piece of text that
comes from a cohort file, the syllabus or learner data is HTML-escaped. The course's own
Markdown cells are trusted and rendered as written (headings, paragraphs, tables). Everything
a notebook *displayed* may carry learner or cohort text, so HTML outputs go through a
deliberate allow-list (:data:`ALLOWED_TAGS`: text, headings, lists, tables, images; no
scripts, no styles, no event attributes); anything else is shown as escaped text.

A widget cannot run in a hand-out. Its state at run time is shown instead: the controls'
values as a table and what its output area showed (an explorer's chart). Paragraphs that
tell the learner to use a widget (:data:`INTERACTIVE`) become an "In JupyterLab" note box.

>>> import nbformat
>>> page = handout_html(nbformat.v4.new_notebook(cells=[
...     nbformat.v4.new_markdown_cell("# 99 · Demo\\n\\n## Part\\n\\nText"),
...     nbformat.v4.new_code_cell("secret_code = 1")]), "Demo")
>>> '<h2 id="Part">' in page, "secret_code" in page, "<p>Text</p>" in page
(True, False, True)
"""

from __future__ import annotations

import copy
import html
import re
from dataclasses import dataclass
from typing import Any

import bleach
import jinja2
import nbformat
from bleach.linkifier import LinkifyFilter
from markupsafe import Markup
from nbconvert import HTMLExporter
from nbconvert.filters import markdown2html

from pspo_lab.content.cohort import Cohort, agenda
from pspo_lab.content.facilitator import FacilitatorNotes
from pspo_lab.content.section_plan import core_minutes, section_plans
from pspo_lab.content.syllabus import Syllabus, load_syllabus

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
#: Outputs only a test reads: recorded (scrapbook) values.
_TEST_ONLY = "application/scrapbook"
#: Tags that displayed HTML may keep; every other tag is shown as escaped text.
ALLOWED_TAGS = frozenset({
    "a", "abbr", "article", "b", "blockquote", "br", "caption", "code", "col", "colgroup",
    "dd", "div", "dl", "dt", "em", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "i", "img", "li", "main", "nav", "ol", "p", "pre", "section", "small", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul"})
#: Attributes per tag; no ``style`` and no ``on*`` handlers anywhere.
ALLOWED_ATTRIBUTES = {"a": ["href", "title"], "img": ["src", "alt", "width", "height"],
                      "td": ["colspan", "rowspan"], "th": ["colspan", "rowspan"],
                      "*": ["class", "id"]}
_PROTOCOLS = ["http", "https", "mailto", "data"]
#: Output types shown as they are (escaped by the template) or after the allow-list.
_SAFE_KEYS = frozenset({"text/plain", "image/png", "image/jpeg"})
#: Phrases that only make sense with a live widget: their paragraph becomes a note box.
INTERACTIVE = re.compile(
    r"\b(move|drag) (the|a) (sliders?|controls?)\b|\bsliders?\b|\bbuttons?\b|\bpress\b"
    r"|\bclick\b|\bpick (an? |the )?(answer|method|part|attempt)\b|\btick\b"
    r"|\bdrop-?down\b|\b(form|card|questions?) below\b|\banswer (the )?(\w+ )?questions?\b"
    r"|\bTry it\b|\b[Ee]dit (it|its|the)\b", re.IGNORECASE)
_FENCE = re.compile(r"^(```|~~~)", re.MULTILINE)
#: Styles and the wrapper of a whole HTML document: dropped, the document's body is kept.
_UNSHOWN = re.compile(r"<style[^>]*>.*?</style>|<head[^>]*>.*?</head>|<!doctype[^>]*>"
                      r"|</?(html|body)\b[^>]*>", re.IGNORECASE | re.DOTALL)
#: A page shown in a frame of its own (the portfolio): the hand-out shows the page itself.
_FRAMED = re.compile(r'<iframe\b[^>]*\bsrcdoc="([^"]*)"[^>]*>\s*</iframe>',
                     re.IGNORECASE | re.DOTALL)
_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("pspo_lab.trainer", "templates"), autoescape=True,
    trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined)


@dataclass(frozen=True)
class IndexEntry:
    """One notebook of a cohort as listed in ``index.html``.

    ``status`` is ``"ok"``, ``"failed"``, ``"not run"`` or ``"not written yet"``;
    ``handout`` and ``notebook`` are file names beside ``index.html`` (empty: none).
    """

    part: int
    name: str
    title: str
    status: str
    handout: str = ""
    notebook: str = ""


def safe_html(fragment: str) -> str:
    """``fragment`` reduced to the allow-list, styles dropped, bare web addresses made links.

    Examples
    --------
    >>> safe_html('<style>td{x:1}</style><h3 onclick="x()">T</h3><script>go()</script>')
    '<h3>T</h3>&lt;script&gt;go()&lt;/script&gt;'
    >>> safe_html("<html><head><title>x</title></head><body><p>https://example.org/a</p>")
    '<p><a href="https://example.org/a" rel="nofollow">https://example.org/a</a></p>'
    >>> safe_html('<iframe srcdoc="&lt;style&gt;p{x:1}&lt;/style&gt;&lt;h2&gt;Mine&lt;/h2&gt;">'
    ...           '</iframe>')
    '<h2>Mine</h2>'
    """
    fragment = _FRAMED.sub(lambda framed: html.unescape(framed.group(1)), fragment)
    cleaner = bleach.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                             protocols=_PROTOCOLS, strip_comments=True,
                             filters=[LinkifyFilter])
    return cleaner.clean(_UNSHOWN.sub("", fragment))


def _html_output(fragment: str) -> dict[str, Any]:
    return nbformat.v4.new_output("display_data", data={"text/html": fragment})


def _safe_output(output: dict[str, Any]) -> dict[str, Any] | None:
    """An output with only what a hand-out may show, or ``None`` when nothing is left."""
    if output.get("output_type") in ("stream", "error"):
        return output
    data = output.get("data", {})
    kept = {k: v for k, v in data.items() if k in _SAFE_KEYS}
    if "text/html" in data:
        kept["text/html"] = safe_html(data["text/html"])
    elif "text/markdown" in data:
        kept["text/html"] = safe_html(markdown2html(data["text/markdown"]))
    if not kept.keys() - {"text/plain"} and _TEST_ONLY in data:
        return None
    return {**output, "data": kept} if kept else None


def _model_ids(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [v.removeprefix("IPY_MODEL_") for v in items
            if isinstance(v, str) and v.startswith("IPY_MODEL_")]


def _shown(value: object) -> str:
    """A control's value as text; a date picker's ``{year, month (0-11), date}`` as a date."""
    if isinstance(value, dict) and value.keys() == {"year", "month", "date"}:
        return f"{value['year']:04d}-{value['month'] + 1:02d}-{value['date']:02d}"
    return "" if value is None else str(value)


def widget_snapshot(model_id: str, state: dict[str, Any]) -> list[dict[str, Any]]:
    """What a widget showed when the notebook ran, as outputs a static page can show.

    Controls with a label become rows of a table (label, value at run time, escaped); an
    output area (e.g. an explorer's chart) contributes its outputs; text the widget showed
    as HTML goes through :func:`safe_html`. Buttons and layout carry nothing to show.

    Examples
    --------
    >>> state = {"box": {"model_name": "VBoxModel", "state": {
    ...              "children": ["IPY_MODEL_s", "IPY_MODEL_o"]}},
    ...          "s": {"model_name": "IntSliderModel", "state": {
    ...              "description": "Sprints", "value": 12}},
    ...          "o": {"model_name": "OutputModel", "state": {"outputs": [
    ...              {"output_type": "stream", "name": "stdout", "text": "done"}]}}}
    >>> [o.get("text") or o["data"]["text/html"][:39] for o in widget_snapshot("box", state)]
    ['<table class="widget-state"><caption>At', 'done']
    """
    rows: list[tuple[str, str]] = []
    outputs: list[dict[str, Any]] = []

    def visit(key: str) -> None:
        model = state.get(key)
        if model is None:
            return
        values, name = model.get("state", {}), model.get("model_name", "")
        if name == "OutputModel":
            outputs.extend(o for o in map(_safe_output, values.get("outputs", [])) if o)
        elif name == "HTMLModel" and values.get("value"):
            outputs.append(_html_output(safe_html(values["value"])))
        elif "value" in values and values.get("description") and name != "ButtonModel":
            value = values["value"]
            if "_options_labels" in values and isinstance(values.get("index"), int):
                value = values["_options_labels"][values["index"]]
            rows.append((values["description"], _shown(value)))
        for child in ("children", "value") if name != "OutputModel" else ():
            for child_id in _model_ids(values.get(child)):
                visit(child_id)

    visit(model_id)
    if rows:
        table = "".join(f"<tr><th>{html.escape(label)}</th><td>{html.escape(value)}</td></tr>"
                        for label, value in rows)
        outputs.insert(0, _html_output(
            '<table class="widget-state"><caption>At run time (in JupyterLab these are '
            f"controls you can change)</caption><tbody>{table}</tbody></table>"))
    return outputs


def _blocks(markdown: str) -> list[str]:
    """Paragraph-level blocks of Markdown (blank-line separated, fences kept whole)."""
    blocks, current, fenced = [], [], False
    for line in markdown.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        if not line.strip() and not fenced:
            if current:
                blocks.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


def _note_cell(markdown: str) -> nbformat.NotebookNode:
    note = ('<aside class="in-jupyterlab"><p class="note-label">In JupyterLab</p>'
            f"{markdown2html(markdown)}</aside>")
    return nbformat.v4.new_code_cell(outputs=[_html_output(note)])


def _split_instructions(cell: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """A Markdown cell as cells, each block that needs a live widget as a note box."""
    cells: list[nbformat.NotebookNode] = []
    text: list[str] = []
    for block in _blocks(cell.source):
        if INTERACTIVE.search(block) and not block.lstrip().startswith(("#", "|")):
            if text:
                cells.append(nbformat.v4.new_markdown_cell("\n\n".join(text)))
                text = []
            cells.append(_note_cell(block))
        else:
            text.append(block)
    if text:
        cells.append(nbformat.v4.new_markdown_cell("\n\n".join(text)))
    return cells


def for_handout(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``notebook`` as a hand-out shows it.

    Widget views become their state at run time (:func:`widget_snapshot`), displayed HTML
    goes through :func:`safe_html`, recorded values and other live-only outputs go, code
    cells left without output go, and instructions for widgets become note boxes.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
    ...     nbformat.v4.new_output("display_data", data={WIDGET_VIEW: {}, "text/plain": "w"})])])
    >>> for_handout(nb).cells
    []
    """
    clean = copy.deepcopy(notebook)
    state = clean.metadata.pop("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    cells: list[nbformat.NotebookNode] = []
    for cell in clean.cells:
        if cell.cell_type == "markdown":
            cells.extend(_split_instructions(cell))
            continue
        if cell.cell_type != "code":
            continue
        outputs: list[dict[str, Any]] = []
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is not None:
                outputs.extend(widget_snapshot(view.get("model_id", ""), state))
            elif (kept := _safe_output(output)) is not None:
                outputs.append(kept)
        cell.outputs = [nbformat.from_dict(o) for o in outputs]
        if cell.outputs:
            cells.append(cell)
    clean.cells = cells
    return clean


def handout_html(notebook: nbformat.NotebookNode, title: str,
                 facilitator: FacilitatorNotes | None = None) -> str:
    """The notebook as a stand-alone HTML hand-out: narrative and outputs, no code.

    Parameters
    ----------
    notebook
        The executed notebook.
    title
        The page title (escaped).
    facilitator
        Notes for the trainer (debrief questions, model answers, common mistakes), shown
        in a box at the top of the page with the minute budget of each section (from the
        notebook's section plans); ``None`` for learners' hand-outs.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
    ...     nbformat.v4.new_output("display_data", data={
    ...         "text/html": "<b>Hi</b><script>alert(1)</script>"})])])
    >>> page = handout_html(nb, "<t>")
    >>> "<b>Hi</b>" in page, "alert(1)</script>" in page, "<title>&lt;t&gt;</title>" in page
    (True, False, True)
    """
    exporter = HTMLExporter(template_name="basic", exclude_input=True,
                            exclude_input_prompt=True, exclude_output_prompt=True,
                            embed_images=True, sanitize_html=False)
    body, _ = exporter.from_notebook_node(for_handout(notebook))
    sections = section_plans(notebook, title) if facilitator is not None else []
    return _TEMPLATES.get_template("handout.html.j2").render(
        title=title, body=Markup(body), facilitator=facilitator,  # noqa: S704 - see for_handout
        sections=sections, core_minutes=core_minutes(sections))


def index_html(cohort: Cohort, entries: list[IndexEntry], syllabus: Syllabus | None = None
               ) -> str:
    """The cohort's ``index.html``: sessions in its timezone, modules, resources and links.

    Examples
    --------
    >>> from pspo_lab.content.syllabus import load_syllabus
    >>> cohort = load_syllabus().example_cohort.model_copy(update={"title": "<b>A&B</b>"})
    >>> page = index_html(cohort, [IndexEntry(1, "01_x", "Part one", "ok", "01_x.html")])
    >>> "&lt;b&gt;A&amp;B&lt;/b&gt;" in page, "<b>A&B</b>" in page, 'href="01_x.html"' in page
    (True, False, True)
    """
    syllabus = syllabus or load_syllabus()
    handouts = {e.part: e.handout for e in entries}
    titles = {p.id: p.title for p in syllabus.parts}
    sessions = [
        {"session": row.session, "starts": row.starts, "ends": row.ends,
         "parts": [(handouts.get(i, ""), f"{i}. {titles.get(i, i)}")
                   for i in session.syllabus_ids]}
        for session, row in zip(sorted(cohort.sessions, key=lambda s: s.start),
                                agenda(cohort, titles).itertuples(), strict=True)]
    known = {p.id: p for p in syllabus.parts}
    modules = [
        {"entry": entry,
         "links": [(target, text) for target, text in ((entry.handout, "hand-out"),
                                                       (entry.notebook, "notebook")) if target],
         "resources": known[entry.part].resources if entry.part in known else []}
        for entry in entries]
    return _TEMPLATES.get_template("index.html.j2").render(
        cohort=cohort, sessions=sessions, modules=modules)
