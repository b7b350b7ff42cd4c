"""The learner's workspace: their own inputs, saved as JSON, never lost.

Every record (a product definition, a canvas, an experiment card, a quiz attempt, ...) is one
JSON file ``<workspace>/<kind>/<name>.json`` holding an envelope with a schema version, the
time it was saved and the learner's data. Guarantees:

* **Atomic writes.** New files are written in full to ``<workspace>/.staging/``, flushed to
  disk and only then renamed into place: a crash leaves either the old or the new version,
  a reader never finds a saved record missing, and a full disk changes nothing (a one-line
  :class:`~pspo_lab.DataError` says so). Files a killed save left in ``.staging/`` are
  removed by the next save, or when the workspace is opened and nobody is saving.
* **Nothing overwritten silently.** Saving over an existing record first puts a copy of the
  old version into ``<kind>/.history/``; re-running a notebook only *reads* records.
* **Safe with several kernels.** Saves take an exclusive lock on the workspace (a
  :class:`filelock.FileLock`, on Linux, macOS and Windows alike), so two notebooks saving at
  once both end up on disk (one as the current version, one in history).
* **Take-home.** :meth:`Workspace.export` writes everything to one file; :meth:`Workspace.import_`
  validates such a file completely before changing anything, then writes all of it or
  nothing.

The default folder is ``$PSPO_LAB_WORKSPACE`` or ``~/pspo-lab-workspace`` (outside the package).

>>> import tempfile
>>> ws = Workspace(tempfile.mkdtemp())
>>> _ = ws.save("product", "definition", {"users": "home cooks"})
>>> ws.load("product", "definition")
{'users': 'home cooks'}
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

from filelock import FileLock, Timeout
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pspo_lab.core.errors import DataError, format_pydantic_error
from pspo_lab.core.files import NotUtf8Error, load_json, read_text, write_atomic

SCHEMA_VERSION = 1
EXPORT_FORMAT = "pspo-lab-workspace"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
STAGING = ".staging"
"""Folder of the workspace where new files are written before they are renamed into place."""


class Record(BaseModel):
    """One saved item of learner work with its envelope."""

    model_config = ConfigDict(extra="forbid")

    schema_version: int = Field(ge=1, le=SCHEMA_VERSION)
    kind: str = Field(pattern=_NAME.pattern)
    name: str = Field(pattern=_NAME.pattern)
    saved_at: dt.datetime
    data: dict[str, Any]


class WorkspaceExport(BaseModel):
    """The single-file export of a whole workspace.

    ``learner`` is who exported it (see :func:`default_learner`); exports written before it
    existed have none, and a trainer's collection names them by their file name instead.
    """

    model_config = ConfigDict(extra="forbid")

    format: Literal["pspo-lab-workspace"]
    format_version: int = Field(ge=1, le=SCHEMA_VERSION)
    exported_at: dt.datetime
    learner: str | None = Field(None, min_length=1, max_length=120)
    records: list[Record]


def default_workspace_path() -> Path:
    """``$PSPO_LAB_WORKSPACE`` if set, else ``~/pspo-lab-workspace``."""
    return Path(os.environ.get("PSPO_LAB_WORKSPACE", Path.home() / "pspo-lab-workspace"))


def default_learner() -> str | None:
    """The learner id written into exports: ``$PSPO_LAB_LEARNER``, else ``$JUPYTERHUB_USER``
    (a JupyterHub sets it for every learner), else ``None``."""
    found = os.environ.get("PSPO_LAB_LEARNER") or os.environ.get("JUPYTERHUB_USER") or ""
    return found.strip()[:120] or None


@contextlib.contextmanager
def default_workspace_at(folder: str | Path) -> Iterator[Path]:
    """Point ``$PSPO_LAB_WORKSPACE`` (what :func:`default_workspace_path` reads, in this
    process and in kernels it starts) at ``folder`` for the duration of a ``with`` block.

    Examples
    --------
    >>> with default_workspace_at("/tmp/scratch-workspace"):
    ...     print(default_workspace_path())
    /tmp/scratch-workspace
    """
    previous = os.environ.get("PSPO_LAB_WORKSPACE")
    os.environ["PSPO_LAB_WORKSPACE"] = str(folder)
    try:
        yield Path(folder)
    finally:
        if previous is None:
            os.environ.pop("PSPO_LAB_WORKSPACE", None)
        else:
            os.environ["PSPO_LAB_WORKSPACE"] = previous


def _check_name(what: str, value: str) -> None:
    if not _NAME.match(value):
        raise DataError(f"workspace {what} {value!r} is not usable (expected lower-case letters, "
                        "digits, '-' or '_', starting with a letter or digit, at most 80)")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def read_export(path: str | Path, consequence: str = "") -> WorkspaceExport:
    """Read and validate a workspace export file completely.

    Parameters
    ----------
    path
        The export file.
    consequence
        Text appended to every error message, e.g. ``"; nothing was imported"``.

    Raises
    ------
    DataError
        Missing file, not JSON, not a pspo-lab export, or a malformed record.
    """
    path = Path(path)
    try:
        raw = load_json(read_text(path, "a pspo-lab workspace export"), path.name)
    except NotUtf8Error as error:
        raise DataError(f"{path.name}: not a JSON file ({str(error).split(': ', 1)[1]})"
                        f"{consequence}") from None
    except DataError as error:
        raise DataError(f"{error}{consequence}") from None
    if not isinstance(raw, dict) or raw.get("format") != EXPORT_FORMAT:
        raise DataError(f"{path.name}: not a pspo-lab workspace export (expected "
                        f"\"format\": \"{EXPORT_FORMAT}\"){consequence}")
    try:
        return WorkspaceExport.model_validate(raw)
    except ValidationError as error:
        raise DataError(format_pydantic_error(path.name, error) + consequence) from None


class Workspace:
    """A folder of learner records. See the module docstring for the guarantees.

    Parameters
    ----------
    root
        The workspace folder; ``None`` uses :func:`default_workspace_path`. It is created
        on the first save, not before.
    """

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_workspace_path()
        staging = self.root / STAGING
        if staging.is_dir() and any(staging.iterdir()):
            # when someone is saving, their next save sweeps instead
            with contextlib.suppress(Timeout), FileLock(self.root / ".lock", timeout=0):
                self._sweep_staging()

    def __repr__(self) -> str:
        return f"Workspace({str(self.root)!r})"

    def path(self, kind: str, name: str) -> Path:
        """Where record ``kind/name`` lives.

        Only the file name is computed; nothing is created or read.

        Parameters
        ----------
        kind
            Record kind (the sub-folder), e.g. ``"product"``.
        name
            Record name (the file stem), e.g. ``"definition"``.

        Returns
        -------
        Path
            ``<root>/<kind>/<name>.json``.

        Raises
        ------
        DataError
            If ``kind`` or ``name`` is not lower-case letters, digits, ``-`` or ``_``
            (starting with a letter or digit, at most 80 characters).

        Examples
        --------
        >>> Workspace("/tmp/ws").path("product", "definition").as_posix()
        '/tmp/ws/product/definition.json'
        >>> Workspace("/tmp/ws").path("product", "../secret")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        pspo_lab.DataError: workspace name '../secret' is not usable (expected ...)
        """
        _check_name("kind", kind)
        _check_name("name", name)
        return self.root / kind / f"{name}.json"

    def _locked(self) -> FileLock:
        """An exclusive lock on the workspace, shared by every process and thread saving here."""
        self.root.mkdir(parents=True, exist_ok=True)
        return FileLock(self.root / ".lock")

    def _read(self, path: Path) -> Record:
        try:
            return Record.model_validate_json(path.read_text(encoding="utf-8"))
        except ValidationError as error:
            raise DataError(format_pydantic_error(str(path), error)
                            + " - the file was left as it is") from None
        except UnicodeDecodeError:
            raise DataError(f"{path}: not a text file (expected a pspo-lab JSON record) - "
                            "the file was left as it is") from None

    def _read_all(self, paths: list[Path]) -> list[Record]:
        """The records at ``paths``, skipping any a failed import took back meanwhile."""
        found = []
        for path in paths:
            with contextlib.suppress(FileNotFoundError):
                found.append(self._read(path))
        return found

    def _sweep_staging(self) -> None:
        """Remove what a killed save left in ``.staging/``. Caller holds the lock."""
        folder = self.root / STAGING
        if folder.is_dir():
            for leftover in folder.iterdir():
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()

    def _stage(self, content: bytes) -> Path:
        """Write ``content`` in full (flushed to disk) to a new file in ``.staging/``."""
        folder = self.root / STAGING
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=folder, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)
            raise
        return Path(name)

    def _commit(self, records: list[Record], keep_history: bool = True) -> None:
        """Write ``records`` all or nothing, keeping each replaced version in history.

        With ``keep_history=False`` a replaced version is simply replaced (an autosave).

        The caller holds the lock. Every new file (each record, and a copy of the version it
        replaces) is written in full to ``.staging/`` before any is renamed into place, history
        before record: a reader never finds a record missing, a crash leaves at most a spare
        copy in history, and a full disk changes nothing. A failed rename puts back what moved.
        """
        self._sweep_staging()
        steps: list[tuple[Path | None, Path | None, Path, Path]] = []
        current: dict[Path, bytes | None] = {}
        taken: set[Path] = set()
        applied: list[tuple[Path | None, Path, bool]] = []  # (history, target, record moved)
        try:
            for record in records:
                target = self.path(record.kind, record.name)
                if target not in current:
                    current[target] = target.read_bytes() if target.is_file() else None
                previous, staged_previous, history = current[target], None, None
                if previous is not None and keep_history:
                    history = self._history_path(target, record.name, taken)
                    taken.add(history)
                    staged_previous = self._stage(previous)
                current[target] = (record.model_dump_json(indent=2) + "\n").encode("utf-8")
                steps.append((staged_previous, history, self._stage(current[target]), target))
            for staged_previous, history, staged, target in steps:
                target.parent.mkdir(exist_ok=True)
                if staged_previous is not None and history is not None:
                    history.parent.mkdir(exist_ok=True)
                    os.replace(staged_previous, history)
                applied.append((history, target, False))
                os.replace(staged, target)
                applied[-1] = (history, target, True)
        except OSError as error:
            self._undo(applied)
            names = ", ".join(f"{r.kind}/{r.name}" for r in records[:3])
            more = f" and {len(records) - 3} more" if len(records) > 3 else ""
            raise DataError(f"workspace {self.root}: could not write {names}{more} "
                            f"({error.strerror or error}); nothing was changed") from None
        finally:
            self._sweep_staging()

    @staticmethod
    def _undo(applied: list[tuple[Path | None, Path, bool]]) -> None:
        """Put back what :meth:`_commit` moved, newest first, by renames only (no new space)."""
        for history, target, record_moved in reversed(applied):
            with contextlib.suppress(OSError):
                if record_moved and history is not None:
                    os.replace(history, target)
                elif record_moved:
                    target.unlink()
                elif history is not None:
                    history.unlink()

    @staticmethod
    def _history_path(target: Path, name: str, taken: set[Path]) -> Path:
        """A history file name not yet used (clocks on some systems tick only every 15 ms)."""
        moment = _now()
        while True:  # names sort in time order: a taken name moves on by a microsecond
            candidate = target.parent / ".history" / f"{name}.{moment:%Y%m%dT%H%M%S%fZ}.json"
            if candidate not in taken and not candidate.exists():
                return candidate
            moment += dt.timedelta(microseconds=1)

    def save(self, kind: str, name: str, data: dict[str, Any],
             keep_history: bool = True) -> Record:
        """Save ``data`` as record ``kind/name``; an existing version goes to history.

        Parameters
        ----------
        kind
            Record kind (the sub-folder).
        name
            Record name (the file stem).
        data
            The learner's values; they must be JSON data without NaN or infinity.
        keep_history
            ``False`` replaces the current version without keeping it (for autosaves, which
            would otherwise fill the history with every keystroke).

        Returns
        -------
        Record
            The record as written, with its schema version and UTC save time.

        Raises
        ------
        DataError
            If ``kind`` or ``name`` is not a safe file name or ``data`` is not JSON data, or
            the disk is full (the previous version stays current).

        Examples
        --------
        >>> ws = Workspace(tempfile.mkdtemp())
        >>> saved = ws.save("product", "definition", {"users": "home cooks"})
        >>> saved.kind, saved.name, saved.data
        ('product', 'definition', {'users': 'home cooks'})
        >>> ws.save("product", "definition", {"tags": {"new"}})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        pspo_lab.DataError: ... data cannot be saved as JSON (...); nothing was written
        """
        self.path(kind, name)
        try:
            json.dumps(data, allow_nan=False)
        except (TypeError, ValueError) as error:
            raise DataError(f"workspace record {kind}/{name}: data cannot be saved as JSON "
                            f"({error}); nothing was written") from None
        record = Record(schema_version=SCHEMA_VERSION, kind=kind, name=name,
                        saved_at=_now(), data=data)
        with self._locked():
            self._commit([record], keep_history=keep_history)
        return record

    def record(self, kind: str, name: str) -> Record | None:
        """The full record ``kind/name`` with its envelope, or ``None`` if never saved.

        Parameters
        ----------
        kind
            Record kind (the sub-folder).
        name
            Record name (the file stem).

        Returns
        -------
        Record or None
            The current version, or ``None`` when there is no such file.

        Raises
        ------
        DataError
            If a name is unusable or the file is not a valid record (it is left as it is).

        Examples
        --------
        >>> ws = Workspace(tempfile.mkdtemp())
        >>> ws.record("product", "definition") is None
        True
        >>> _ = ws.save("product", "definition", {"users": "home cooks"})
        >>> found = ws.record("product", "definition")
        >>> found.schema_version, found.data
        (1, {'users': 'home cooks'})
        """
        try:
            return self._read(self.path(kind, name))
        except FileNotFoundError:
            return None

    def load(self, kind: str, name: str, default: dict[str, Any] | None = None
             ) -> dict[str, Any] | None:
        """The saved data of ``kind/name``, or ``default`` if it was never saved.

        Parameters
        ----------
        kind
            Record kind (the sub-folder).
        name
            Record name (the file stem).
        default
            What to return when the record does not exist.

        Returns
        -------
        dict or None
            The ``data`` of the current version, or ``default``.

        Raises
        ------
        DataError
            If a name is unusable or the file is not a valid record (it is left as it is).

        Examples
        --------
        >>> ws = Workspace(tempfile.mkdtemp())
        >>> ws.load("product", "definition", default={"users": ""})
        {'users': ''}
        >>> _ = ws.save("product", "definition", {"users": "home cooks"})
        >>> ws.load("product", "definition")
        {'users': 'home cooks'}
        """
        found = self.record(kind, name)
        return found.data if found is not None else default

    def records(self, kind: str | None = None) -> list[Record]:
        """All current records (of one kind, or all), ordered by kind and name.

        Earlier versions kept in history are not included.

        Parameters
        ----------
        kind
            Only records of this kind; ``None`` (or ``""``) lists every kind.

        Returns
        -------
        list of Record
            Empty if the workspace folder does not exist yet.

        Raises
        ------
        DataError
            If a record file is not a valid record.

        Examples
        --------
        >>> ws = Workspace(tempfile.mkdtemp())
        >>> ws.records()
        []
        >>> _ = ws.save("product", "vision", {"text": "Dinner, solved"})
        >>> _ = ws.save("canvas", "module-02", {"users": "home cooks"})
        >>> [(r.kind, r.name) for r in ws.records()]
        [('canvas', 'module-02'), ('product', 'vision')]
        >>> [r.name for r in ws.records("product")]
        ['vision']
        """
        if not self.root.is_dir():
            return []
        pattern = f"{kind}/*.json" if kind else "*/*.json"
        return self._read_all(sorted(self.root.glob(pattern)))

    def history(self, kind: str, name: str) -> list[Record]:
        """Earlier versions of ``kind/name``, oldest first.

        Parameters
        ----------
        kind
            Record kind (the sub-folder).
        name
            Record name (the file stem).

        Returns
        -------
        list of Record
            The versions that later saves or imports replaced; the current one is not
            included, and the list is empty for a record saved at most once.

        Raises
        ------
        DataError
            If a name is unusable or a history file is not a valid record.

        Examples
        --------
        >>> ws = Workspace(tempfile.mkdtemp())
        >>> for text in ["first", "second", "third"]:
        ...     _ = ws.save("product", "vision", {"text": text})
        >>> [r.data["text"] for r in ws.history("product", "vision")]
        ['first', 'second']
        """
        folder = self.path(kind, name).parent / ".history"
        return self._read_all(sorted(folder.glob(f"{name}.*.json")))

    def export(self, path: str | Path, learner: str | None = None) -> Path:
        """Write every current record into one JSON file (atomically) and return its path.

        History is not exported. An existing file at ``path`` is replaced.

        Parameters
        ----------
        path
            The export file to write; missing parent folders are created.
        learner
            Who the work belongs to, as the trainer knows them; ``None`` uses
            :func:`default_learner` (and writes no id when that is ``None`` too).

        Returns
        -------
        Path
            ``path`` as a :class:`~pathlib.Path`.

        Examples
        --------
        >>> ws = Workspace(tempfile.mkdtemp())
        >>> _ = ws.save("product", "vision", {"text": "Dinner, solved"})
        >>> target = ws.export(Path(tempfile.mkdtemp()) / "my-work.json")
        >>> [r.name for r in read_export(target).records]
        ['vision']
        >>> read_export(ws.export(target, learner="ana.lima")).learner
        'ana.lima'
        """
        bundle = WorkspaceExport(format=EXPORT_FORMAT, format_version=SCHEMA_VERSION,
                                 exported_at=_now(), learner=learner or default_learner(),
                                 records=self.records())
        target = Path(path)
        unset = {"learner"} if bundle.learner is None else None  # files as before without one
        write_atomic(target, bundle.model_dump_json(indent=2, exclude=unset) + "\n")
        return target

    def import_(self, path: str | Path,
                check: Callable[[Record], str | None] | None = None) -> list[Record]:
        """Bring the records of an export file into this workspace.

        The whole file is validated first; if anything is wrong nothing changes. Records that
        already exist are replaced, with the current version kept in history.

        Parameters
        ----------
        path
            An export file written by :meth:`export`.
        check
            Optional content check: given a record, returns what is wrong with it or
            ``None``. One problem refuses the whole file.

        Returns
        -------
        list of Record
            The imported records, in the order of the file.

        Raises
        ------
        DataError
            Missing file, not JSON, not a pspo-lab export, or a malformed record; or the
            records could not all be written (a full disk): the workspace is left as it was.

        Examples
        --------
        >>> source = Workspace(tempfile.mkdtemp())
        >>> _ = source.save("product", "vision", {"text": "Dinner, solved"})
        >>> bundle = source.export(Path(tempfile.mkdtemp()) / "my-work.json")
        >>> target = Workspace(tempfile.mkdtemp())
        >>> [r.name for r in target.import_(bundle)]
        ['vision']
        >>> target.load("product", "vision")
        {'text': 'Dinner, solved'}
        """
        bundle = read_export(path, consequence="; nothing was imported")
        problems = [p for p in map(check, bundle.records) if p] if check else []
        if problems:
            more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
            raise DataError(f"{Path(path).name}: {problems[0]}{more}; nothing was imported")
        with self._locked():
            self._commit(bundle.records)
        return bundle.records
