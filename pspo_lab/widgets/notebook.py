"""Small helpers every course notebook calls in its Setup section.

* :func:`setup` makes pspo-lab errors show as one readable line instead of a traceback.
* :func:`record` stores a value in the executed notebook (scrapbook's format) so that tests and
  trainers can read key results back without parsing printed text.
* :func:`open_workspace` turns the ``workspace`` notebook parameter into a :class:`Workspace`.
* :func:`resources` shows a part's learning resources with clickable titles.
  With ``show_bar=True`` it also shows the workspace bar
  (:func:`~pspo_lab.widgets.workspace_bar.workspace_bar`): where the work is saved, Export
  and Import, the same in every notebook's Setup.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import warnings
from pathlib import Path
from typing import Any

from pandas.io.formats.style import Styler

from pspo_lab.content.cohort import FIRST_YEAR, LAST_YEAR
from pspo_lab.content.syllabus import resources_table
from pspo_lab.core.display import figure_img, use_readable_defaults
from pspo_lab.core.errors import ParameterError, PspoLabError
from pspo_lab.core.workspace import Workspace
from pspo_lab.widgets.workspace_bar import import_export, workspace_bar


def _show_error(shell: Any, etype: type, value: BaseException, tb: Any,
                tb_offset: int | None = None) -> None:
    from IPython.display import display

    # one output with two renderings: JupyterLab shows the HTML once, plain readers the text
    line = f"{etype.__name__}: {value}"
    display({"text/html": f"<div class='pspo-lab-error' style='color:#a00;font-weight:bold'>"
                          f"{html.escape(line)}</div>", "text/plain": line}, raw=True)


def _one_line_warning(message: Warning | str, category: type[Warning], *_: Any,
                      **__: Any) -> str:
    return f"{category.__name__}: {message}\n"


def setup() -> None:
    """Prepare a notebook: readable errors and a consistent chart style.

    Call once, right after the imports. Outside IPython it only sets the chart style.
    """
    import matplotlib.pyplot as plt

    plt.style.use("tableau-colorblind10")  # colours told apart with any colour vision
    plt.rcParams.update({"figure.figsize": (8, 4), "axes.spines.top": False,
                         "axes.spines.right": False, "figure.dpi": 100})
    use_readable_defaults()
    # a note (e.g. a saved record left out) reads as one line, without a source excerpt
    warnings.formatwarning = _one_line_warning
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the course
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((PspoLabError,), _show_error)
        from matplotlib.figure import Figure

        # Loading the inline backend clears every formatter registered for figures, and
        # pyplot loads it lazily, at the first chart: load it now, then register ours.
        plt.switch_backend(plt.get_backend())
        # every chart is shown as an image with a text alternative
        shell.display_formatter.formatters["text/html"].for_type(Figure, _figure_html)


def _plain(value: Any) -> Any:
    """Convert numpy/pandas scalars and containers into JSON-friendly Python values."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


SCRAP_MIMETYPE = "application/scrapbook.scrap.json+json"
"""Output type of a recorded value: scrapbook's JSON scrap format, version 1."""


def record(name: str, value: Any) -> None:
    """Record a key result of the notebook under ``name`` (shows nothing).

    The value is written into the executed notebook as an invisible output in scrapbook's
    scrap format (what ``scrapbook.glue(name, value, encoder="json")`` writes), so tests and
    trainers read it back with ``scrapbook.read_notebook(path).scraps[name].data``. Writing
    it directly keeps scrapbook's heavy imports out of every learner's kernel. ``None`` (a
    result that does not exist yet, e.g. the score of an exam still running) records nothing:
    scrapbook cannot read a null scrap back.

    Examples
    --------
    >>> record("answer", 42)  # returns nothing: a cell ending with it echoes no stray value
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return None
    if get_ipython() is not None and value is not None:
        from IPython.display import display

        payload = {"name": name, "data": _plain(value), "encoder": "json", "version": 1}
        json.dumps(payload, allow_nan=False)
        display({SCRAP_MIMETYPE: payload}, raw=True,
                metadata={"scrapbook": {"name": name, "data": True, "display": False}})
    return None


def open_workspace(workspace: str | Path | None, show_bar: bool = False,
                   import_file: str | Path | None = None) -> Workspace:
    """The learner's workspace for the ``workspace`` parameter (``None``: the default folder).

    Nothing is created or written (unless ``import_file`` is given); the folder appears on
    the first save.

    Parameters
    ----------
    workspace
        Folder of the learner's saved work; ``None`` uses ``$PSPO_LAB_WORKSPACE`` or
        ``~/pspo-lab-workspace``.
    show_bar
        Show the workspace bar (where the work is saved, Export, Import) in the notebook.
    import_file
        A workspace export to import first, e.g. the file a learner downloaded from an
        earlier Binder session (:func:`~pspo_lab.widgets.workspace_bar.import_export`: all
        or nothing, and nothing again when it is already imported); one line says what
        happened.

    Returns
    -------
    Workspace
        A workspace rooted at that folder.

    Raises
    ------
    ParameterError
        If the path exists and is a file.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> open_workspace(folder / "my-work").records()
    []
    >>> (folder / "notes.txt").write_text("not a folder")
    12
    >>> open_workspace(folder / "notes.txt")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.ParameterError: workspace parameter: .../notes.txt is a file (expected ...)
    """
    ws = Workspace(workspace)
    if ws.root.exists() and not ws.root.is_dir():
        raise ParameterError(f"workspace parameter: {ws.root} is a file (expected a folder "
                             "for your saved work)")
    if import_file:
        print(import_export(ws, import_file))
    if show_bar:
        workspace_bar(ws)
    return ws


def check_seed(seed: Any) -> int:
    """Validate the ``seed`` parameter and return it as an int.

    Examples
    --------
    >>> check_seed(7)
    7
    >>> check_seed("seven")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.ParameterError: seed parameter: 'seven' is not a whole number >= 0 ...
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ParameterError(f"seed parameter: {seed!r} is not a whole number >= 0 (expected e.g. "
                             "seed = 42)")
    return seed


def resources(part_id: int) -> Styler:
    """The learning resources of syllabus part ``part_id``, each title a link that opens it.

    The table of :func:`~pspo_lab.content.syllabus.resources_table` shows long addresses cut
    short; here the title carries the whole address, so the link works in JupyterLab and in
    the HTML hand-out alike. Titles and addresses are escaped.

    Examples
    --------
    >>> page = resources(7).to_html()
    >>> '<a href="https://' in page and 'target="_blank"' in page
    True
    """
    table = resources_table(part_id)
    links = [f'<a href="{html.escape(link)}" target="_blank" rel="noopener">'
             f"{html.escape(title)}</a>" for title, link in zip(table["title"], table["link"],
                                                                strict=True)]
    shown = table.drop(columns="link").assign(title=links).rename(columns=str.capitalize)
    return shown.style.hide(axis="index").format(escape=None)


def check_date(name: str, value: Any) -> dt.date | None:
    """A date parameter (``YYYY-MM-DD`` text, a date, or ``None``) as a date.

    Examples
    --------
    >>> check_date("as_of", "2025-11-21")
    datetime.date(2025, 11, 21)
    >>> check_date("as_of", "31/02/2024")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.ParameterError: as_of parameter: '31/02/2024' is not a date (expected ...)
    """
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ParameterError(f"{name} parameter: {value!r} is not a date (expected YYYY-MM-DD "
                             f"between {FIRST_YEAR} and {LAST_YEAR}, e.g. \"2025-11-21\", or None)")
    return day


def check_output_folder(name: str, value: Any) -> Path | None:
    """A parameter naming a folder to write into: refused when it is an existing file.

    A folder that does not exist yet is created when the first file is written.

    Examples
    --------
    >>> import tempfile
    >>> check_output_folder("portfolio_folder", None) is None
    True
    >>> _, name = tempfile.mkstemp()
    >>> check_output_folder("portfolio_folder", name)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.ParameterError: portfolio_folder parameter: ... is a file (expected a folder ...)
    """
    if value is None or value == "":
        return None
    path = Path(str(value))
    if path.exists() and not path.is_dir():
        raise ParameterError(f"{name} parameter: {str(value)!r} is a file (expected a folder "
                             "name such as \"pspo-lab-exports\")")
    return path


def reveal(title: str, text: str) -> Any:
    """``text`` folded under ``title``: shown only when the learner opens it.

    For an answer that would otherwise sit right below the question it answers.

    Examples
    --------
    >>> folded = reveal("Show the answer", "False: the pillars depend on each other.")
    >>> folded.selected_index is None, folded.get_title(0)
    (True, 'Show the answer')
    >>> "the pillars depend" in folded.children[0].value
    True
    """
    import ipywidgets as widgets

    body = widgets.HTML(f"<div style='white-space:pre-wrap'>{html.escape(text)}</div>")
    return widgets.Accordion(children=[body], titles=(title,), selected_index=None)


def _figure_html(figure: Any) -> str:
    """The figure as an ``<img>`` with its text alternative (what screen readers read)."""
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return figure_img(buffer.getvalue(), figure)
