"""Run every notebook of a cohort with papermill and write its hand-outs.

``pspo-lab cohort run FILE`` calls :func:`run_cohort`. For a cohort with id ``ID`` it writes,
under the output folder ``DIR``:

* ``DIR/ID/NN_topic.ipynb``: the executed notebook with the cohort's parameters;
* ``DIR/ID/NN_topic.html``: its hand-out (code hidden);
* ``DIR/ID/NN_topic.failed.ipynb``: instead of both, when the notebook failed;
* ``DIR/ID/index.html``: the agenda with links to the hand-outs.

Guarantees: a failing notebook does not stop the others; each file appears atomically
(written to a temporary file, then renamed), so an interrupted run or a full disk leaves no
half-written output; nothing is written outside ``DIR/ID``; ``resume=True`` skips notebooks
whose outputs exist for the same parameters; ``jobs`` notebooks run in parallel, each in a
worker process of its own with its own kernel.

Workers never see Ctrl-C: the run stops them itself (they kill their kernel and remove their
temporary files at once), and a worker whose run was killed stops by itself within a second.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from pspo_lab.content.cohort import COHORT_ID, Cohort
from pspo_lab.content.cohort_files import read_cohort_file
from pspo_lab.content.facilitator import load_facilitator_notes
from pspo_lab.content.packaged import data_file
from pspo_lab.content.syllabus import load_syllabus
from pspo_lab.core.errors import ParameterError
from pspo_lab.core.workspace import default_workspace_at, write_atomic
from pspo_lab.trainer.handouts import IndexEntry, handout_html, index_html
from pspo_lab.trainer.kernels import error_summary, execute_notebook
from pspo_lab.trainer.workers import run_in_workers

WELCOME = (0, "00_welcome", "Welcome to pspo-lab")


@dataclass(frozen=True)
class Job:
    """One notebook to execute: syllabus part, notebook name, source file and parameters."""

    part: int
    name: str
    title: str
    source: Path
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """What happened to one notebook: ``ok``, ``failed``, ``done earlier`` or ``missing``."""

    part: int
    name: str
    status: str
    seconds: float = 0.0
    detail: str = ""


def cohort_dir(out: str | Path, cohort_id: str) -> Path:
    """The folder of a cohort's outputs, refusing anything that would leave ``out``.

    Examples
    --------
    >>> import tempfile
    >>> root = tempfile.mkdtemp()
    >>> cohort_dir(root, "spring").name
    'spring'
    >>> cohort_dir(root, "../elsewhere")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pspo_lab.ParameterError: cohort id '../elsewhere' would write outside ...
    """
    root = Path(out).resolve()
    target = (root / cohort_id).resolve()
    if not re.match(COHORT_ID, cohort_id) or target.parent != root:
        raise ParameterError(f"cohort id {cohort_id!r} would write outside {root} (expected "
                             "lower-case letters, digits, '-' or '_')")
    return target


def _inside(folder: Path, name: str) -> Path:
    path = (folder / name).resolve()
    if path.parent != folder:
        raise ParameterError(f"output {name!r} would be written outside {folder}")
    return path


def cohort_reference(path: Path, cohort: Cohort) -> str:
    """The ``cohort`` parameter for the notebooks: the id of a bundled cohort, else the path.

    Examples
    --------
    >>> path = data_file("cohorts") / "apac-evening.yaml"
    >>> cohort_reference(path, read_cohort_file(path))
    'apac-evening'
    """
    bundled = data_file("cohorts") / f"{cohort.id}.yaml"
    if bundled.is_file() and bundled.resolve() == path.resolve():
        return cohort.id
    return str(path.resolve())


def cohort_parameters(path: Path, cohort: Cohort) -> dict[str, Any]:
    """Every parameter the cohort file sets, with paths made absolute.

    Examples
    --------
    >>> cohort_parameters(data_file("cohorts") / "apac-evening.yaml",
    ...                   read_cohort_file(data_file("cohorts") / "apac-evening.yaml"))
    {'cohort': 'apac-evening', 'seed': 7}
    """
    params: dict[str, Any] = {"cohort": cohort_reference(path, cohort),
                              "seed": cohort.parameters.seed}
    base = path.resolve().parent
    if cohort.parameters.workspace is not None:
        params["workspace"] = str(base / cohort.parameters.workspace)
    for key, value in cohort.parameters.csv_files().items():
        params[key] = str(base / value)
    return params


def _selected(only: str | None, candidates: list[tuple[int, str, str]]
              ) -> list[tuple[int, str, str]]:
    if not only:
        return candidates
    chosen = set()
    for token in (t.strip() for t in only.split(",") if t.strip()):
        match = [c for c in candidates
                 if (token.isdigit() and c[0] == int(token)) or c[1] == token]
        if not match:
            known = ", ".join(f"{c[0]} ({c[1]})" for c in candidates)
            raise ParameterError(f"--only: {token!r} is not a notebook of this cohort "
                                 f"(expected part ids or notebook names among {known})")
        chosen.update(c[0] for c in match)
    return [c for c in candidates if c[0] in chosen]


def plan_cohort(path: Path, cohort: Cohort, notebooks_dir: Path | None = None,
                only: str | None = None, syllabus=None) -> tuple[list[Job], list[Outcome]]:
    """The notebooks to run for a cohort (welcome first) and those not written yet.

    Each job gets only the parameters its notebook's ``parameters`` cell defines
    (``papermill.inspect_notebook``).

    Examples
    --------
    >>> path = data_file("cohorts") / "apac-evening.yaml"
    >>> jobs, _ = plan_cohort(path, read_cohort_file(path), only="0")
    >>> jobs[0].name, jobs[0].parameters
    ('00_welcome', {'cohort': 'apac-evening', 'seed': 7})
    """
    import papermill

    syllabus = syllabus or load_syllabus()
    notebooks_dir = Path(notebooks_dir or "notebooks")
    parts = {p.id: p for p in syllabus.parts}
    candidates = [WELCOME] + [(i, parts[i].notebook, parts[i].title)
                              for i in sorted(cohort.part_ids())]
    params = cohort_parameters(path, cohort)
    jobs, missing = [], []
    for part, name, title in _selected(only, candidates):
        source = notebooks_dir / f"{name}.ipynb"
        if not source.is_file():
            missing.append(Outcome(part, name, "missing", detail=f"{source.name} is not in "
                                   f"{notebooks_dir} yet"))
            continue
        accepted = papermill.inspect_notebook(str(source))
        jobs.append(Job(part, name, title, source,
                        {k: v for k, v in params.items() if k in accepted}))
    return jobs, missing


def is_done(job: Job, target: Path, facilitator: bool = False) -> bool:
    """Whether ``target`` already holds this notebook's outputs for the same parameters.

    The hand-out must also be of the same kind: with the facilitator notes or without
    (``--resume`` after a change of ``--facilitator`` writes the hand-outs again).

    Examples
    --------
    >>> import tempfile
    >>> is_done(Job(0, "00_welcome", "Welcome", Path("00_welcome.ipynb")), Path(tempfile.mkdtemp()))
    False
    """
    notebook, handout = target / f"{job.name}.ipynb", target / f"{job.name}.html"
    if not (notebook.is_file() and handout.is_file()):
        return False
    try:
        done = nbformat.read(notebook, as_version=4)
    except Exception:  # noqa: BLE001 - an unreadable output is simply not done
        return False
    same_parameters = done.metadata.get("papermill", {}).get("parameters") == job.parameters
    kind = done.metadata.get("pspo_lab", {}).get("facilitator_handout", False)
    return same_parameters and kind == facilitator


def _publish(path: Path, text: str) -> None:
    """Write ``text`` atomically and make the file readable like any other output."""
    write_atomic(path, text)
    path.chmod(0o644)


def _discard(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


#: Longest Unix socket path (``sun_path`` holds 108 bytes on Linux, 104 on macOS), less the
#: ``-N`` suffix ipykernel adds per channel.
IPC_PATH_LIMIT = 96


@contextlib.contextmanager
def kernel_transport(folder: Path) -> Iterator[dict[str, str]]:
    """How a kernel started for a cohort job talks to its client, as ``KernelManager`` config.

    Unix sockets in ``folder``: kernels started at the same time (ours or anyone's on a shared
    machine) cannot race for a TCP port. Where ``folder`` is too deep for a socket path (a
    long ``TMPDIR``), the sockets go into a short folder of their own in ``/tmp``, removed
    afterwards. Windows has no Unix sockets: there the kernel uses TCP on the loopback address.

    Examples
    --------
    >>> with kernel_transport(Path("/tmp") / ("deep" * 30)) as config:
    ...     len(config["ip"]) < IPC_PATH_LIMIT or config["transport"] == "tcp"
    True
    """
    if os.name == "nt":
        yield {"transport": "tcp", "ip": "127.0.0.1"}
        return
    if len(str(folder / "kernel")) <= IPC_PATH_LIMIT:
        yield {"transport": "ipc", "ip": str(folder / "kernel")}
        return
    short = Path(tempfile.mkdtemp(prefix="pspo-lab-kernel-", dir="/tmp"))
    try:
        yield {"transport": "ipc", "ip": str(short / "kernel")}
    finally:
        shutil.rmtree(short, ignore_errors=True)


def keep_partial_notebook(temporary: Path, failed: Path, detail: str) -> str:
    """Keep the partly executed notebook ``temporary`` as ``failed`` (atomically) if it is
    readable, and return ``detail`` saying when it was not kept.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "cut.ipynb").write_text('{"cells": [')
    >>> keep_partial_notebook(folder / "cut.ipynb", folder / "x.failed.ipynb", "cell 2: E")
    'cell 2: E (the partly executed notebook was unreadable and is not kept)'
    """
    if not temporary.is_file():
        return detail
    try:
        partial = nbformat.read(temporary, as_version=4)
    except Exception:  # noqa: BLE001 - e.g. cut short by a full disk: not worth keeping
        return f"{detail} (the partly executed notebook was unreadable and is not kept)"
    try:
        _publish(failed, nbformat.writes(partial))
    except OSError as error:
        return f"{detail} ({failed.name} not written: {error.strerror or error})"
    return detail


def execute_job(job: Job, target: Path, timeout: int | None = None,
                facilitator: bool = False, scratch: Path | None = None) -> Outcome:
    """Execute one notebook into ``target``; never raises for a failing notebook.

    ``timeout`` limits each cell (seconds): a cell that runs longer, or a kernel that stops
    answering, makes the notebook fail instead of hanging the run.

    On success ``NN_topic.ipynb`` and its hand-out ``NN_topic.html`` appear in ``target``
    and an older ``NN_topic.failed.ipynb`` is removed; on failure those two are removed and
    the partly executed notebook, if any, is kept as ``NN_topic.failed.ipynb``. Without a
    ``workspace`` parameter the kernel works in an empty temporary workspace.

    Parameters
    ----------
    job
        The notebook and the parameters to inject.
    target
        The cohort's output folder (see :func:`cohort_dir`); it must exist.
    timeout
        Longest time one cell may run, in seconds (``None``: no limit).
    facilitator
        Put the trainer's notes (timings, debrief questions, model answers, common
        mistakes; :mod:`pspo_lab.content.facilitator`) at the top of the hand-out.
    scratch
        An empty folder for the kernel's sockets and workspace, removed afterwards
        (default: a new temporary folder).

    Returns
    -------
    Outcome
        ``ok`` or ``failed`` with the run time; for a failure ``detail`` is one line: the
        cell number and the error's type and message (see
        :func:`pspo_lab.trainer.kernels.error_summary`).

    Examples
    --------
    A notebook that cannot be read fails without starting a kernel:

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp())
    >>> outcome = execute_job(Job(0, "00_welcome", "Welcome", target / "nowhere.ipynb"), target)
    >>> print(outcome.status, outcome.detail)  # doctest: +ELLIPSIS
    failed FileNotFoundError: [Errno 2] No such file or directory: '.../nowhere.ipynb'

    Running a real notebook starts a kernel and takes several seconds:

    >>> welcome = Path("notebooks") / "00_welcome.ipynb"
    >>> execute_job(Job(0, "00_welcome", "Welcome", welcome, {"seed": 7}), target
    ...             ).status  # doctest: +SKIP
    'ok'
    """
    from traitlets.config import Config

    started = time.perf_counter()
    final, handout = _inside(target, f"{job.name}.ipynb"), _inside(target, f"{job.name}.html")
    failed = _inside(target, f"{job.name}.failed.ipynb")
    temporary = target / f".{job.name}.{uuid.uuid4().hex}.tmp.ipynb"
    sockets = scratch or Path(tempfile.mkdtemp(prefix="pspo-lab-kernel-"))
    try:
        try:
            # Without a cohort workspace the kernel gets an empty one of its own (it inherits
            # this worker's environment), never the default folder of whoever runs the cohort.
            with default_workspace_at(sockets / "workspace"), \
                    kernel_transport(sockets) as transport:
                execute_notebook(
                    job.source, temporary, parameters=job.parameters,
                    cwd=str(job.source.parent), request_save_on_cell_execute=True,
                    execution_timeout=timeout,
                    config=Config({"KernelManager": transport}))
        except Exception as error:  # noqa: BLE001 - reported, the other notebooks go on
            _discard(final, handout, failed)
            detail = keep_partial_notebook(temporary, failed, error_summary(error))
            return Outcome(job.part, job.name, "failed", time.perf_counter() - started, detail)
        try:
            executed = nbformat.read(temporary, as_version=4)
            notes = load_facilitator_notes(job.name) if facilitator else None
            _publish(handout, handout_html(executed, f"{job.name} · {job.title}", notes))
            executed.metadata.setdefault("pspo_lab", {})["facilitator_handout"] = facilitator
            _publish(final, nbformat.writes(executed))
        except (OSError, ValueError) as error:  # a full disk, or papermill's file cut short
            _discard(final, handout)
            return Outcome(job.part, job.name, "failed", time.perf_counter() - started,
                           f"outputs not written: {error_summary(error)}")
        _discard(failed)
        return Outcome(job.part, job.name, "ok", time.perf_counter() - started)
    finally:
        _discard(temporary)
        shutil.rmtree(sockets, ignore_errors=True)


def _clean_temporaries(target: Path) -> None:
    for stale in target.glob(".*.tmp*"):
        _discard(stale)


def run_jobs(todo: list[Job], target: Path, jobs: int = 1, timeout: int | None = None,
             done: Callable[[Outcome], None] | None = None,
             facilitator: bool = False) -> list[Outcome]:
    """Run ``todo`` with at most ``jobs`` worker processes at once, one notebook each.

    Parameters
    ----------
    todo
        The notebooks to run.
    target
        The cohort's output folder (see :func:`cohort_dir`).
    jobs
        How many notebooks run at once.
    timeout
        Longest time one cell may run, in seconds (``None``: no limit).
    done
        Called with each outcome as soon as it is known.
    facilitator
        Write hand-outs for the trainer, with the facilitator notes (see :func:`execute_job`).

    Returns
    -------
    list of Outcome
        In the order the notebooks finished.

    Raises
    ------
    KeyboardInterrupt
        After stopping every worker and removing every temporary file.

    Examples
    --------
    >>> run_jobs([], Path("."))
    []
    """
    outcomes: list[Outcome] = []

    def collect(index: int, outcome: Outcome | None) -> None:
        if outcome is None:
            outcome = Outcome(todo[index].part, todo[index].name, "failed",
                              detail="its worker process ended without a result")
        outcomes.append(outcome)
        if done is not None:
            done(outcome)

    try:
        run_in_workers(execute_job, [(job, target, timeout, facilitator) for job in todo], jobs,
                       collect)
    except BaseException:
        _clean_temporaries(target)
        raise
    return outcomes


def write_index(cohort: Cohort, jobs: list[Job], outcomes: list[Outcome], target: Path
                ) -> Path:
    """Write ``index.html`` for the cohort (atomically) and return its path.

    The page shows the agenda and one section per notebook: every planned job plus every
    notebook reported ``missing``, in part order, with its status (``not run`` when no
    outcome names it) and links to the hand-out and executed notebook found in ``target``.

    Parameters
    ----------
    cohort
        The cohort, for the title and agenda.
    jobs
        The planned notebooks.
    outcomes
        What happened to them so far.
    target
        The cohort's output folder (see :func:`cohort_dir`).

    Returns
    -------
    Path
        ``target / "index.html"``.

    Examples
    --------
    >>> import tempfile
    >>> path = data_file("cohorts") / "apac-evening.yaml"
    >>> jobs = [Job(0, "00_welcome", "Welcome to pspo-lab", Path("00_welcome.ipynb"))]
    >>> outcomes = [Outcome(0, "00_welcome", "failed", 1.0, "cell 3: ValueError: no"),
    ...             Outcome(7, "07_forecasting", "missing")]
    >>> index = write_index(read_cohort_file(path), jobs, outcomes,
    ...                     Path(tempfile.mkdtemp()).resolve())
    >>> index.name, re.findall(r"Status: <strong>([^<]+)", index.read_text())
    ('index.html', ['failed', 'not written yet'])
    """
    status = {o.name: o.status for o in outcomes}
    entries = []
    for part, name, title in sorted({(j.part, j.name, j.title) for j in jobs}
                                    | {(o.part, o.name, _title(o.part)) for o in outcomes
                                       if o.status == "missing"}):
        handout = f"{name}.html" if (target / f"{name}.html").is_file() else ""
        notebook = f"{name}.ipynb" if (target / f"{name}.ipynb").is_file() else ""
        state = status.get(name, "not run")
        entries.append(IndexEntry(part, name, title,
                                  "not written yet" if state == "missing" else state,
                                  handout, notebook))
    index = _inside(target, "index.html")
    _publish(index, index_html(cohort, entries))
    return index


def _title(part: int) -> str:
    if part == WELCOME[0]:
        return WELCOME[2]
    return load_syllabus().part(part).title


def run_cohort(path: str | Path, out: str | Path, jobs: int = 1, only: str | None = None,
               resume: bool = False, notebooks_dir: str | Path | None = None,
               progress: bool = True, timeout: int | None = 300,
               facilitator: bool = False) -> list[Outcome]:
    """Execute a cohort's notebooks and write hand-outs and ``index.html``.

    Parameters
    ----------
    path
        The cohort YAML file (checked first with
        :func:`pspo_lab.content.cohort_files.check_cohort`).
    out
        Output folder; everything goes into ``out/<cohort id>/``.
    jobs
        How many notebooks run at once, each in its own process and kernel.
    only
        Comma-separated part ids (``0`` is the welcome notebook) or notebook names.
    resume
        Skip notebooks whose outputs already exist for the same parameters.
    notebooks_dir
        Where the notebooks are (default: the course's ``notebooks/``).
    progress
        Show a progress bar on standard error.
    timeout
        Longest time one cell may run, in seconds (``None``: no limit).
    facilitator
        Write hand-outs for the trainer, with the facilitator notes (see :func:`execute_job`).

    Returns
    -------
    list of Outcome
        One per notebook of the plan, in course order.
    """
    from tqdm import tqdm

    if jobs < 1:
        raise ParameterError(f"--jobs: {jobs} is not usable (expected 1 or more)")
    if timeout is not None and timeout < 1:
        raise ParameterError(f"--timeout: {timeout} is not usable (expected seconds >= 1)")
    path = Path(path)
    cohort = read_cohort_file(path)
    todo, outcomes = plan_cohort(path, cohort, Path(notebooks_dir) if notebooks_dir else None,
                                 only)
    target = cohort_dir(out, cohort.id)
    target.mkdir(parents=True, exist_ok=True)
    _clean_temporaries(target)
    planned = todo
    if resume:
        done = {j.name for j in todo if is_done(j, target, facilitator)}
        outcomes += [Outcome(j.part, j.name, "done earlier") for j in todo if j.name in done]
        todo = [j for j in todo if j.name not in done]
    bar = tqdm(total=len(todo), unit="notebook", desc=cohort.id, disable=not progress)

    def show(outcome: Outcome) -> None:
        bar.set_postfix_str(f"{outcome.name}: {outcome.status}")
        bar.update()

    try:
        outcomes += run_jobs(todo, target, jobs, timeout, show, facilitator)
    finally:
        bar.close()
    _write_full_index(path, cohort, planned, outcomes, target, only, notebooks_dir, facilitator)
    return sorted(outcomes, key=lambda o: o.part)


def _write_full_index(path: Path, cohort: Cohort, planned: list[Job], outcomes: list[Outcome],
                      target: Path, only: str | None, notebooks_dir: str | Path | None,
                      facilitator: bool) -> None:
    """Write ``index.html``; after ``--only`` it still lists every notebook already done."""
    if only:
        everything, absent = plan_cohort(path, cohort,
                                         Path(notebooks_dir) if notebooks_dir else None)
        reported = {o.name for o in outcomes}
        outcomes = outcomes + [Outcome(j.part, j.name, "done earlier") for j in everything
                               if j.name not in reported and is_done(j, target, facilitator)]
        outcomes += [m for m in absent if m.name not in reported]
        planned = everything
    write_index(cohort, planned, outcomes, target)


def summary_table(outcomes: list[Outcome]) -> str:
    """A plain-text table of outcomes for the terminal.

    Examples
    --------
    >>> print(summary_table([Outcome(0, "00_welcome", "ok", 3.21),
    ...                      Outcome(2, "02_x", "failed", 1.0, "cell 3: ValueError: no")]))
    notebook    status  seconds  detail
    00_welcome  ok          3.2
    02_x        failed      1.0  cell 3: ValueError: no
    """
    rows = [("notebook", "status", "seconds", "detail")] + [
        (o.name, o.status, f"{o.seconds:.1f}" if o.seconds else "", o.detail) for o in outcomes]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    return "\n".join(f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]}"
                     .rstrip() for r in rows)
