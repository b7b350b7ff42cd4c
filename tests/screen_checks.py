"""What a learner sees on a notebook page in JupyterLab, checked in the browser.

Each function takes a Playwright page that shows one executed notebook and returns the
problems it finds, one readable line each (an empty list when the screen is clean):

* :func:`code_name_labels`: widget labels, options and buttons that show a code name
  (``target_po_hours``, ``wsjf``) or are cut off by their box;
* :func:`truncated_statements`: table cells and labels ending in an ellipsis, where a learner
  has to read a statement in full;
* :func:`nbval_text`: the text ``NBVAL`` anywhere in the notebook;
* :func:`images_without_alt`: output images without a text alternative;
* :func:`plain_resource_links`: a learning-resources table whose titles are not links;
* :func:`serious_axe_violations`: axe-core's serious and critical violations in the course's
  own content (rendered Markdown and outputs, not JupyterLab's own interface).
"""

from __future__ import annotations

import re

CONTENT = ".jp-Notebook .jp-MarkdownOutput, .jp-Notebook .jp-OutputArea-output"
CODE_NAME = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$|^[a-z][a-z0-9]*_$|^(?:wsjf|cd3|rice)$")

# Violations inside a library's own control, not the course's content: ipywidgets' slider
# handle (noUiSlider) has role="slider" but no accessible name; the visible description label
# beside it is not tied to it. Reported upstream behaviour, not fixable from a notebook.
UPSTREAM = {("aria-input-field-name", "noUi-handle")}
PLACEHOLDER_ALT = {"", "image", "figure", "chart", "plot"}

LABELS_JS = """() => {
  const out = document.querySelectorAll('.jp-Notebook .jp-OutputArea-output');
  const found = [];
  for (const area of out) {
    for (const e of area.querySelectorAll(
        '.widget-label, .widget-label-basic, .widget-checkbox label, .widget-checkbox span,'
        + ' button.jupyter-button, .widget-toggle-button, .widget-radio-box label,'
        + ' select option, .widget-tab .lm-TabBar-tabLabel, .p-Accordion-title,'
        + ' .jp-Collapse-header')) {
      const text = (e.textContent || '').trim();
      if (!text) continue;
      const cut = e.tagName !== 'OPTION' && e.scrollWidth > e.clientWidth + 1
                  && getComputedStyle(e).textOverflow === 'ellipsis';
      found.push({text: text, cut: cut});
    }
  }
  return found;
}"""

CELLS_JS = """() => Array.from(document.querySelectorAll(
    '.jp-Notebook .jp-OutputArea-output td, .jp-Notebook .jp-OutputArea-output th,'
    + ' .jp-Notebook .jp-OutputArea-output .widget-html-content'))
  .map(e => (e.textContent || '').trim()).filter(t => t)"""

IMAGES_JS = """() => Array.from(document.querySelectorAll(
    '.jp-Notebook .jp-OutputArea-output img'))
  .map(e => ({alt: (e.getAttribute('alt') || '').trim(),
              src: (e.getAttribute('src') || '').slice(0, 40)}))"""

RESOURCES_JS = """() => {
  const tables = Array.from(document.querySelectorAll('.jp-Notebook .jp-OutputArea-output table'));
  return tables.filter(t => Array.from(t.querySelectorAll('th')).some(
      th => th.textContent.trim() === 'Title') && Array.from(t.querySelectorAll('th')).some(
      th => ['Kind', 'Why', 'Type'].includes(th.textContent.trim())))
    .map(t => ({rows: t.querySelectorAll('tbody tr').length,
                links: t.querySelectorAll('tbody a[href]').length}));
}"""


def code_name_labels(page) -> list[str]:
    """Widget labels a learner reads as code names, or cut off by their box."""
    problems = []
    for label in page.evaluate(LABELS_JS):
        text = label["text"].rstrip(":").strip()
        if CODE_NAME.match(text):
            problems.append(f"code name as a label: {label['text']!r}")
        elif label["cut"]:
            problems.append(f"label cut off by its box: {label['text']!r}")
    return problems


def truncated_statements(page) -> list[str]:
    """Table cells and widget texts that end in an ellipsis (the statement is cut)."""
    return [f"cut short: {text[:60]!r}" for text in page.evaluate(CELLS_JS)
            if text.endswith(("…", "...")) and len(text) > 12]


def nbval_text(page) -> list[str]:
    """The marker ``NBVAL`` anywhere a learner can read it, code included."""
    text = page.locator(".jp-Notebook").first.inner_text()
    return [f"visible NBVAL marker: {line.strip()[:60]!r}" for line in text.splitlines()
            if "NBVAL" in line]


def images_without_alt(page) -> list[str]:
    """Output images (charts) without a text alternative of their own.

    JupyterLab gives an image that has none the placeholder ``alt="Image"``, which tells a
    screen-reader user nothing: it counts as missing.
    """
    return [f"image without alt text: {image['src']}..." for image in page.evaluate(IMAGES_JS)
            if image["alt"].lower() in PLACEHOLDER_ALT]


def plain_resource_links(page) -> list[str]:
    """Learning-resources tables whose rows are not clickable links."""
    return [f"resources table with {table['rows']} rows but {table['links']} links"
            for table in page.evaluate(RESOURCES_JS) if table["links"] < table["rows"]]


def serious_axe_violations(page) -> list[str]:
    """axe-core's serious and critical violations inside the course's own content."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context={"include": [[CONTENT]]} if page.locator(
        CONTENT).count() else None)
    problems = []
    for violation in results.response["violations"]:
        nodes = [node for node in violation["nodes"]
                 if not any(violation["id"] == rule and marker in node.get("html", "")
                            for rule, marker in UPSTREAM)]
        if violation.get("impact") not in ("serious", "critical") or not nodes:
            continue
        # the element's own HTML says more than JupyterLab's long selectors
        examples = [node.get("html", "")[:160] for node in nodes[:3]]
        problems.append(f"axe {violation['impact']} {violation['id']}: {violation['help']} "
                        f"({len(nodes)} elements, e.g. {examples})")
    return problems


def all_problems(page) -> list[str]:
    """Every problem the checks above find on ``page``."""
    return (code_name_labels(page) + truncated_statements(page) + nbval_text(page)
            + images_without_alt(page) + plain_resource_links(page)
            + serious_axe_violations(page))
