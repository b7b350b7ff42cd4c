"""Hand-outs of a cohort run: one HTML page per executed notebook and an ``index.html`` agenda.

Hand-outs hide the code (learners read the narrative, tables and charts) and drop widget
views, which only work in a live kernel. ``index.html`` is rendered from the jinja2 template
``templates/index.html.j2`` with autoescaping on, so every piece of text that comes from a
cohort file, the syllabus or learner data is HTML-escaped; HTML outputs are sanitised.

>>> import nbformat
>>> page = handout_html(nbformat.v4.new_notebook(cells=[
...     nbformat.v4.new_markdown_cell("# 99 · Demo"),
...     nbformat.v4.new_code_cell("secret_code = 1")]), "Demo")
>>> "99 · Demo" in page, "secret_code" in page
(True, False)
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import jinja2
import nbformat
from nbconvert import HTMLExporter

from pspo_lab.content.cohort import Cohort, agenda
from pspo_lab.content.syllabus import Syllabus, load_syllabus

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: Outputs only a live kernel or a test reads: widget views and recorded (scrapbook) values.
_LIVE_ONLY = (WIDGET_VIEW, "application/scrapbook")
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


def for_handout(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``notebook`` without widget views, widget state, recorded values and the
    code cells left without output.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
    ...     nbformat.v4.new_output("display_data", data={WIDGET_VIEW: {}, "text/plain": "w"})])])
    >>> for_handout(nb).cells
    []
    """
    clean = copy.deepcopy(notebook)
    clean.metadata.pop("widgets", None)
    for cell in clean.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not any(k.startswith(_LIVE_ONLY) for k in o.get("data", {}))]
    clean.cells = [c for c in clean.cells if c.cell_type != "code" or c.outputs]
    return clean


def handout_html(notebook: nbformat.NotebookNode, title: str) -> str:
    """The notebook as a stand-alone HTML hand-out: narrative and outputs, no code.

    HTML outputs are sanitised (no scripts), in case one displays learner data as HTML.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
    ...     nbformat.v4.new_output("display_data", data={
    ...         "text/html": "<b>Hi</b><script>alert(1)</script>"})])])
    >>> page = handout_html(nb, "t")
    >>> "<b>Hi</b>" in page, "alert(1)</script>" in page
    (True, False)
    """
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, embed_images=True, sanitize_html=True)
    body, _ = exporter.from_notebook_node(for_handout(notebook),
                                          resources={"metadata": {"name": title}})
    return body


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
