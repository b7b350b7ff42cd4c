"""Take your work home: export the whole workspace to one file and import it again.

Binder sessions disappear when the browser tab closes. :func:`export_file` writes every
saved record into one JSON file (atomically, through :meth:`Workspace.export`);
:func:`import_upload` brings such a file back, validating it completely first, so a broken
or foreign file changes nothing. :class:`TakeHome` wires both to an *Export* button with a
download link and a file-upload control; it writes only when the learner clicks or uploads.

>>> import tempfile
>>> from pspo_lab.core.workspace import Workspace
>>> ws = Workspace(tempfile.mkdtemp())
>>> _ = ws.save("product", "definition", {"name": "FreshCrate"})
>>> exported = export_file(ws, tempfile.mkdtemp())
>>> other = Workspace(tempfile.mkdtemp())
>>> [r.kind for r in import_upload(other, exported.name, exported.read_bytes())]
['product']
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from pydantic import BaseModel, ValidationError

from pspo_lab.analysis.attempts import AttemptState
from pspo_lab.analysis.canvas import CANVASES
from pspo_lab.analysis.cards import ExperimentCard, card_name
from pspo_lab.analysis.catchup import Reflection, TwoWeekPlan
from pspo_lab.analysis.empiricism import ComplexityFactors
from pspo_lab.analysis.metrics_inventory import MetricsInventory
from pspo_lab.analysis.mindset import SelfCheck
from pspo_lab.analysis.product import ProductDefinition
from pspo_lab.analysis.refinement import Refinement
from pspo_lab.analysis.release_plan import ReleasePlan
from pspo_lab.analysis.stakeholders import Persona
from pspo_lab.analysis.story_map import Decision, Roadmap
from pspo_lab.analysis.strategy import CostInputs, TargetSegments
from pspo_lab.analysis.strategy_maps import AssumptionList, ImpactMapDraft
from pspo_lab.content.framework import ProcessCheck
from pspo_lab.core import records
from pspo_lab.core.errors import DataError, format_pydantic_error
from pspo_lab.core.workspace import Record, Workspace

#: Names an experiment card may have: one per course module (syllabus parts 0-9).
CARD_NAMES = tuple(card_name(part) for part in range(10))

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
EXPORT_FOLDER = "pspo-lab-exports"


def export_name(now: dt.datetime | None = None) -> str:
    """File name of an export made at ``now`` (UTC).

    Examples
    --------
    >>> export_name(dt.datetime(2026, 3, 2, 18, 5, tzinfo=dt.UTC))
    'pspo-lab-workspace-20260302-180500.json'
    """
    now = now or dt.datetime.now(dt.UTC)
    return f"pspo-lab-workspace-{now:%Y%m%d-%H%M%S}.json"


def export_file(workspace: Workspace, folder: str | Path = EXPORT_FOLDER,
                now: dt.datetime | None = None) -> Path:
    """Export every record of ``workspace`` into one new file in ``folder``.

    Returns
    -------
    pathlib.Path
        The file written; it is complete or absent, never half-written.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> path = export_file(Workspace(tempfile.mkdtemp()), folder,
    ...                    now=dt.datetime(2026, 3, 2, tzinfo=dt.UTC))
    >>> path.name
    'pspo-lab-workspace-20260302-000000.json'
    """
    return workspace.export(Path(folder) / export_name(now))


def import_upload(workspace: Workspace, filename: str, content: bytes) -> list[Record]:
    """Import the uploaded bytes of a workspace export into ``workspace``.

    The bytes go to a temporary file that :meth:`Workspace.import_` validates completely
    before changing anything; records already present are kept in their history.

    Raises
    ------
    DataError
        One line naming the uploaded file: too large, not JSON, not a pspo-lab export, a
        malformed record or one whose content no longer fits its form (see
        :func:`record_problem`). Nothing is changed.

    Examples
    --------
    >>> import tempfile
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> import_upload(ws, "notes.json", b'{"a": 1}')  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.DataError: notes.json: not a pspo-lab workspace export ...
    """
    name = Path(filename).name or "upload"
    if len(content) > MAX_UPLOAD_BYTES:
        raise DataError(f"{name}: {len(content) / 1e6:.1f} MB is too large (expected a "
                        f"workspace export under {MAX_UPLOAD_BYTES // 1024 // 1024} MB); "
                        "nothing was imported")
    folder = tempfile.mkdtemp(prefix="pspo-lab-upload-")
    path = Path(folder) / name
    try:
        path.write_bytes(content)
        return workspace.import_(path, check=record_problem)
    finally:
        path.unlink(missing_ok=True)
        os.rmdir(folder)


@functools.cache
def record_models() -> dict[records.RecordName, type[BaseModel]]:
    """The model each kind of saved course record must fit.

    Returns
    -------
    dict
        ``(kind, name)`` to a pydantic model; a ``None`` name stands for every name of that
        kind. Records of other kinds are not the course's forms and are not checked.

    Examples
    --------
    >>> record_models()[("canvas", "lean")].__name__
    'LeanCanvas'
    """
    return {
        records.PRODUCT_DEFINITION: ProductDefinition, records.PRODUCT_SELF_CHECK: SelfCheck,
        **{records.CANVASES.named(name): model for name, model in CANVASES.items()},
        records.STRATEGY_TARGETS: TargetSegments, records.STRATEGY_TCO: CostInputs,
        records.STRATEGY_ASSUMPTIONS: AssumptionList, records.STRATEGY_IMPACT_MAP: ImpactMapDraft,
        records.STRATEGY_PERSONA: Persona,
        records.METRICS_INVENTORY: MetricsInventory,
        records.COMPLEXITY_FACTORS: ComplexityFactors, records.SCRUM_CHECK: ProcessCheck,
        records.BACKLOG_ROADMAP: Roadmap, records.DECISION_LOG: Decision,
        records.BACKLOG_REFINEMENT: Refinement, records.RELEASE_PLAN: ReleasePlan,
        records.EXPERIMENT_CARDS: ExperimentCard, records.CATCHUP_REFLECTION: Reflection,
        records.CATCHUP_PLAN: TwoWeekPlan, records.ASSESSMENT_ATTEMPTS: AttemptState,
    }


def record_problem(record: Record) -> str | None:
    """What is wrong with a record's content for its form, or ``None`` if it fits.

    Examples
    --------
    >>> from pspo_lab.core.workspace import Record
    >>> record = Record(schema_version=1, kind="strategy", name="tco",
    ...                 saved_at=dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc),
    ...                 data={"years": "five"})
    >>> print(record_problem(record))  # doctest: +ELLIPSIS
    record strategy/tco field 'years': Input should be a valid integer...
    """
    if record.kind == records.EXPERIMENT_CARDS.kind and record.name not in CARD_NAMES:
        return (f"record {record.kind}/{record.name}: not a course module (expected one of "
                f"{', '.join(CARD_NAMES)})")
    models = record_models()
    model = models.get((record.kind, record.name)) or models.get((record.kind, None))
    if model is None:
        return None
    try:
        model.model_validate(record.data)
    except ValidationError as error:
        return format_pydantic_error(f"record {record.kind}/{record.name}", error)
    return None


def uploaded_files(value: Iterable[Any]) -> list[tuple[str, bytes]]:
    """``(name, bytes)`` pairs from the value of an ipywidgets 8 ``FileUpload``.

    Examples
    --------
    >>> uploaded_files([{"name": "a.json", "content": memoryview(b"{}")}])
    [('a.json', b'{}')]
    """
    return [(str(item["name"]), bytes(item["content"])) for item in value]


def import_summary(records: list[Record]) -> str:
    """One line describing what an import brought in.

    Examples
    --------
    >>> import_summary([])
    'The file held no records; nothing changed.'
    """
    if not records:
        return "The file held no records; nothing changed."
    kinds = sorted({r.kind for r in records})
    return (f"Imported {len(records)} record(s) ({', '.join(kinds)}); earlier versions are "
            "kept in the workspace history.")


class TakeHome:
    """Export button with a download link, and an upload control that imports an export.

    Parameters
    ----------
    workspace
        The learner's workspace.
    folder
        Where exports are written, relative to the notebook so the link downloads it.

    Examples
    --------
    >>> import tempfile
    >>> view = TakeHome(Workspace(tempfile.mkdtemp()), tempfile.mkdtemp())
    >>> view.export_button.description
    'Export my work'
    """
    def __init__(self, workspace: Workspace, folder: str | Path = EXPORT_FOLDER) -> None:
        self.workspace, self.folder = workspace, Path(folder)
        self.export_button = widgets.Button(description="Export my work", icon="download",
                                            button_style="primary")
        self.upload = widgets.FileUpload(accept=".json", multiple=False,
                                         description="Import")
        self.status = widgets.HTML("Nothing exported or imported in this session yet.")
        self.link = widgets.Output()
        self.export_button.on_click(lambda _: self.export())
        self.upload.observe(lambda change: self.import_files(change["new"]), names="value")

    def export(self) -> Path | None:
        """Export now and show a download link (what the button does)."""
        try:
            path = export_file(self.workspace, self.folder)
        except (DataError, OSError) as error:
            self.status.value = f"<span style='color:#a00'>Not exported: " \
                                f"{html.escape(str(error))}</span>"
            return None
        count = len(self.workspace.records())
        self.status.value = f"Exported {count} record(s). Download the file and keep it."
        self.show_link(path)
        return path

    def show_link(self, path: Path) -> None:
        """Show the download link of the file just exported."""
        from IPython.display import FileLink, display

        self.link.clear_output()
        with self.link:
            display(FileLink(str(path)))

    def import_files(self, value: Iterable[Any]) -> list[Record]:
        """Import uploaded files (what the upload control does); report one clear line.

        Files are imported in order. The first one that is not a valid export stops the
        loop: its error is shown in :attr:`status` and the files imported before it stay
        imported. An empty ``value`` changes nothing.

        Parameters
        ----------
        value
            The value of an ipywidgets 8 ``FileUpload``: items with ``name`` and
            ``content``.

        Returns
        -------
        list of Record
            The records imported before any error.

        Examples
        --------
        >>> import tempfile
        >>> source = Workspace(tempfile.mkdtemp())
        >>> _ = source.save("product", "definition", {"name": "FreshCrate"})
        >>> exported = export_file(source, tempfile.mkdtemp())
        >>> view = TakeHome(Workspace(tempfile.mkdtemp()), tempfile.mkdtemp())
        >>> [r.name for r in view.import_files([{"name": exported.name,
        ...                                      "content": exported.read_bytes()}])]
        ['definition']
        >>> view.status.value
        'Imported 1 record(s) (product); earlier versions are kept in the workspace history.'
        >>> view.import_files([{"name": "notes.txt", "content": b"hello"}])
        []
        >>> view.status.value.startswith("<span style='color:#a00'>Not imported: notes.txt")
        True
        """
        imported: list[Record] = []
        for name, content in uploaded_files(value):
            try:
                imported += import_upload(self.workspace, name, content)
            except DataError as error:
                self.status.value = (f"<span style='color:#a00'>Not imported: "
                                     f"{html.escape(str(error))}</span>")
                return imported
        if value:
            self.status.value = html.escape(import_summary(imported))
        return imported

    def widget(self) -> widgets.VBox:
        """The controls as one widget."""
        return widgets.VBox([widgets.HBox([self.export_button, self.upload]), self.status,
                             self.link])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())
