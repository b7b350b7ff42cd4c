"""Hand-outs of a cohort run: one HTML page per executed notebook and an ``index.html`` agenda.

Hand-outs hide the code (learners read the narrative, tables and charts) and drop widget
views, which only work in a live kernel. Every piece of text that comes from a cohort file,
the syllabus or learner data is HTML-escaped, and HTML outputs are sanitised.

>>> import nbformat
>>> page = handout_html(nbformat.v4.new_notebook(cells=[
...     nbformat.v4.new_markdown_cell("# 99 · Demo"),
...     nbformat.v4.new_code_cell("secret_code = 1")]), "Demo")
>>> "99 · Demo" in page, "secret_code" in page
(True, False)
"""

from __future__ import annotations

import copy
import html
from dataclasses import dataclass

import nbformat

from pspo_lab.content.cohort import Cohort, agenda

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: Outputs only a live kernel or a test reads: widget views and recorded (scrapbook) values.
_LIVE_ONLY = (WIDGET_VIEW, "application/scrapbook")


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
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, embed_images=True, sanitize_html=True)
    body, _ = exporter.from_notebook_node(for_handout(notebook),
                                          resources={"metadata": {"name": title}})
    return body


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _link(target: str, text: str) -> str:
    return f'<a href="{_e(target)}">{_e(text)}</a>' if target else _e(text)


def index_html(cohort: Cohort, entries: list[IndexEntry], syllabus=None) -> str:
    """The cohort's ``index.html``: sessions in its timezone, modules, resources and links.

    Examples
    --------
    >>> from pspo_lab.content.syllabus import load_syllabus
    >>> cohort = load_syllabus().example_cohort.model_copy(update={"title": "<b>A&B</b>"})
    >>> page = index_html(cohort, [IndexEntry(1, "01_x", "Part one", "ok", "01_x.html")])
    >>> "&lt;b&gt;A&amp;B&lt;/b&gt;" in page, "<b>A&B</b>" in page, 'href="01_x.html"' in page
    (True, False, True)
    """
    from pspo_lab.content.syllabus import load_syllabus

    syllabus = syllabus or load_syllabus()
    by_part = {e.part: e for e in entries}
    titles = {p.id: p.title for p in syllabus.parts}
    rows = []
    table = agenda(cohort, titles)
    for session, row in zip(sorted(cohort.sessions, key=lambda s: s.start), table.itertuples(),
                            strict=True):
        parts = ", ".join(
            _link(by_part[i].handout if i in by_part else "", f"{i}. {titles.get(i, i)}")
            for i in session.syllabus_ids)
        rows.append(f"<tr><td>{row.session}</td><td>{_e(row.starts)}</td><td>{_e(row.ends)}"
                    f"</td><td>{parts}</td></tr>")
    modules = []
    known = {p.id: p for p in syllabus.parts}
    for entry in entries:
        part = known.get(entry.part)
        resources = "".join(
            f"<li>{_link(str(r.link), r.title)} ({_e(r.type)}, {r.minutes} min)</li>"
            for r in (part.resources if part else []))
        links = " · ".join(x for x in (_link(entry.handout, "hand-out") if entry.handout else "",
                                       _link(entry.notebook, "notebook") if entry.notebook
                                       else "") if x)
        modules.append(
            f"<section><h3>{_e(entry.name)} · {_e(entry.title)}</h3>"
            f"<p>Status: <strong>{_e(entry.status)}</strong>{' · ' + links if links else ''}"
            f"</p>{'<ul>' + resources + '</ul>' if resources else ''}</section>")
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(cohort.title)}</title>",
        "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem}"
        "</style></head><body>",
        f"<h1>{_e(cohort.title)}</h1>",
        f"<p>Trainer: {_e(cohort.trainer or '-')} · Location: {_e(cohort.location or '-')} · "
        f"Times in {_e(cohort.timezone)}</p>",
        "<h2>Agenda</h2>",
        "<table><tr><th>Session</th><th>Starts</th><th>Ends</th><th>Modules</th></tr>",
        *rows, "</table>",
        "<h2>Modules and resources</h2>", *modules,
        "<p><small>Made with pspo-lab, an independent project not affiliated with Scrum.org."
        "</small></p>",
        "</body></html>", ""])
