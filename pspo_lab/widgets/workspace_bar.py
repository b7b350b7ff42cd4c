"""The workspace bar every notebook's Setup shows: where the work is saved, Export, Import.

Binder sessions are thrown away when the tab closes, so each notebook offers the same small
bar: the workspace folder and how many records it holds, an *Export* button that writes the
whole workspace into one file in a folder beside the notebooks (``pspo-lab-exports/``, which
JupyterLab's file browser shows) and then shows a download link relative to the notebook,
and an *Import* upload that brings such a file back (validated completely first, see
:func:`~pspo_lab.widgets.take_home.import_upload`). Nothing is written unless the learner
clicks or uploads, so notebooks run headless unchanged.

>>> import tempfile
>>> from pspo_lab.core.workspace import Workspace
>>> bar = WorkspaceBar(Workspace(tempfile.mkdtemp()), tempfile.mkdtemp())
>>> bar.export_button.description, bar.upload.description
('Export', 'Import')
"""

from __future__ import annotations

import html
import os
from pathlib import Path

import ipywidgets as widgets

from pspo_lab.analysis.portfolio import portfolio_html, write_portfolio
from pspo_lab.core.errors import DataError
from pspo_lab.core.workspace import Workspace, read_export
from pspo_lab.widgets.take_home import (
    EXPORT_FOLDER,
    TakeHome,
    import_summary,
    record_problem,
)


def download_link(path: str | Path, start: str | Path | None = None) -> str:
    """An HTML download link to ``path``, relative to ``start`` (default: the notebook's folder).

    JupyterLab resolves a relative link against the notebook's place in the served tree, so
    the link downloads the file wherever the server runs.

    Examples
    --------
    >>> print(download_link("/srv/notebooks/exports/my work.json", "/srv/notebooks"))
    <a href="exports/my%20work.json" download="my work.json">exports/my work.json</a>
    """
    from urllib.parse import quote

    target = Path(path)
    try:
        relative = Path(os.path.relpath(target, start or Path.cwd())).as_posix()
    except ValueError:  # another drive on Windows
        relative = target.as_posix()
    return (
        f'<a href="{html.escape(quote(relative))}" download="{html.escape(target.name)}">'
        f"{html.escape(relative)}</a>"
    )


class WorkspaceBar(TakeHome):
    """The compact workspace bar: saved-in line, Export with a download link, Import.

    Parameters
    ----------
    workspace
        The learner's workspace.
    folder
        Where exports are written (relative to the notebook, so the link downloads it).

    Examples
    --------
    >>> import tempfile
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> _ = ws.save("product", "definition", {"name": "ClinicBook"})
    >>> bar = WorkspaceBar(ws, tempfile.mkdtemp())
    >>> "1 record" in bar.where.value
    True
    """

    def __init__(self, workspace: Workspace, folder: str | Path = EXPORT_FOLDER) -> None:
        super().__init__(workspace, folder)
        self.export_button.description = "Export"
        self.export_button.tooltip = "Write all your saved work into one file to download"
        self.upload.tooltip = "Bring back a file exported before"
        self.where = widgets.HTML()
        self.status.value = ""
        self.link_html = widgets.HTML()
        self.refresh()

    def refresh(self) -> None:
        """Update the saved-in line (after an import, the count changes)."""
        try:
            count = len(self.workspace.records())
        except Exception:  # noqa: BLE001 - a broken record must not block the Setup cell
            count = None
        counted = "" if count is None else f" ({count} record{'s' * (count != 1)})"
        self.where.value = (
            f"<b>Your work</b> is saved in "
            f"<code>{html.escape(str(self.workspace.root))}</code>{counted}. "
            "On Binder it is gone when the session ends: Export it, and "
            "Import the file next time."
        )

    def show_link(self, path: Path) -> None:
        """Show the download link of the file just exported, relative to the notebook."""
        self.link_html.value = f"Download: {download_link(path)}"

    def import_files(self, value):  # type: ignore[no-untyped-def]  # same as TakeHome's
        """Import uploaded files (what the upload control does) and update the count."""
        imported = super().import_files(value)
        self.refresh()
        return imported

    def widget(self) -> widgets.VBox:
        """The bar as one widget."""
        return widgets.VBox(
            [
                self.where,
                widgets.HBox([self.export_button, self.upload, self.status]),
                self.link_html,
            ],
            layout=widgets.Layout(border="1px solid #ccc", padding="4px"),
        )


def workspace_bar(workspace: Workspace, folder: str | Path = EXPORT_FOLDER) -> None:
    """Show the workspace bar (the one call in every notebook's Setup).

    Parameters
    ----------
    workspace
        The learner's workspace.
    folder
        Where exports are written, relative to the notebook.
    """
    from IPython.display import display

    display(WorkspaceBar(workspace, folder).widget())


def import_export(workspace: Workspace, path: str | Path) -> str:
    """Import a workspace export file (module 9's ``import_file`` parameter); one line back.

    The file is validated completely first (every record must fit its form); if anything is
    wrong nothing changes and a :class:`~pspo_lab.DataError` names the file and the problem.
    A file whose records all equal the saved ones changes nothing, so re-running a notebook
    with the same ``import_file`` adds no history.

    Examples
    --------
    >>> import tempfile
    >>> source = Workspace(tempfile.mkdtemp())
    >>> _ = source.save("product", "definition", {"name": "ClinicBook"})
    >>> bundle = source.export(Path(tempfile.mkdtemp()) / "my-work.json")
    >>> target = Workspace(tempfile.mkdtemp())
    >>> import_export(target, bundle)
    'Imported 1 record(s) (product); earlier versions are kept in the workspace history.'
    >>> import_export(target, bundle)
    'my-work.json: already imported (every record equals the saved one); nothing changed.'
    """
    bundle = read_export(path, consequence="; nothing was imported")
    if bundle.records and all(workspace.load(r.kind, r.name) == r.data for r in bundle.records):
        return (
            f"{Path(path).name}: already imported (every record equals the saved one); "
            "nothing changed."
        )
    return import_summary(workspace.import_(path, check=record_problem))


def portfolio_view(workspace: Workspace, height: str = "32em") -> widgets.HTML:
    """The portfolio shown inside the notebook, in a frame so its page style stays its own.

    Examples
    --------
    >>> import tempfile
    >>> view = portfolio_view(Workspace(tempfile.mkdtemp()))
    >>> view.value.startswith("<iframe") and "Nothing saved yet" in view.value
    True
    """
    page = html.escape(portfolio_html(workspace), quote=True)
    return widgets.HTML(
        f'<iframe title="Your portfolio" srcdoc="{page}" '
        f'style="width:100%;height:{height};border:1px solid #ccc"></iframe>'
    )


def portfolio_button(workspace: Workspace, folder: str | Path = EXPORT_FOLDER) -> widgets.VBox:
    """A button that writes the portfolio (HTML and Markdown) and shows download links.

    Nothing is written until the button is clicked.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> box = portfolio_button(Workspace(tempfile.mkdtemp()), folder)
    >>> button, status = box.children
    >>> list(folder.iterdir())
    []
    >>> button.click()
    >>> sorted(p.name for p in folder.iterdir())
    ['my-pspo-portfolio.html', 'my-pspo-portfolio.md']
    """
    button = widgets.Button(
        description="Build my portfolio",
        icon="file",
        button_style="primary",
        layout=widgets.Layout(width="auto"),
    )
    status = widgets.HTML("Writes an HTML and a Markdown file when you click.")

    def clicked(_: object) -> None:
        try:
            html_file, md_file = write_portfolio(workspace, folder)
        except (DataError, OSError) as error:
            status.value = f"<span style='color:#a00'>Not written: {html.escape(str(error))}</span>"
            return
        status.value = f"Download: {download_link(html_file)} · {download_link(md_file)}"

    button.on_click(clicked)
    return widgets.VBox([button, status])
