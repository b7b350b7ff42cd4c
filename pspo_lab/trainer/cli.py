"""The ``pspo-lab`` command.

``pspo-lab datasets write [--seed N] [--out DIR]``  regenerate the case-study CSV files
``pspo-lab datasets dictionary``                   print the data dictionary (Markdown)
``pspo-lab cohort new ID [--start DATE] [--timezone TZ] [--dir DIR]``  scaffold ID.yaml
``pspo-lab cohort check FILE``                      list every problem of a cohort file
``pspo-lab cohort run FILE [--jobs N] [--only IDS] [--resume] [--out DIR] [--facilitator]``
                                                   execute its notebooks, write hand-outs
``pspo-lab cohort link HUB_URL [--repo URL] [--branch B]``  print an nbgitpuller link
                                                   (checks that the branch exists)
``pspo-lab cohort collect FILE EXPORTS_DIR [--out DIR] [--show-names]``
                                                   a class dashboard from learners' exports
``pspo-lab cohort example-exports DIR [--learners N] [--seed N]``  a fictional class's exports
``pspo-lab run NOTEBOOK OUT [-p NAME VALUE ...] [--cwd DIR] [--timeout S]``
                                                   execute one notebook by hand

Errors print one line and exit with status 2; ``cohort run`` and ``run`` exit with 1 when a
notebook failed and 130 when interrupted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from pspo_lab.content import casestudy
from pspo_lab.content.cohort import REPOSITORY_URL, hub_link
from pspo_lab.content.cohort_files import check_cohort, scaffold_cohort
from pspo_lab.content.datasets import data_dictionary, write_datasets
from pspo_lab.core.errors import ParameterError, PspoLabError
from pspo_lab.core.files import write_atomic
from pspo_lab.trainer.class_demo import write_class_exports
from pspo_lab.trainer.collect import collect_class
from pspo_lab.trainer.git_remote import remote_branches
from pspo_lab.trainer.kernels import kill_kernels
from pspo_lab.trainer.runner import run_cohort, summary_table
from pspo_lab.trainer.single_run import NotebookFailed, notebook_parameters, run_notebook


def _folder(option: str, value: str) -> Path:
    """``value`` as a folder to write into: refused when it is an existing file."""
    folder = Path(value)
    if folder.exists() and not folder.is_dir():
        raise ParameterError(f"{option} {value}: is a file (expected a folder to write into)")
    return folder


def _datasets(args: argparse.Namespace) -> int:
    if args.action == "write":
        if not 0 <= args.seed <= 2**32 - 1:
            raise ParameterError(f"--seed {args.seed}: not usable (expected a whole number "
                                 f"from 0 to {2**32 - 1})")
        _folder("--out", args.out)
        for path in write_datasets(args.out, seed=args.seed):
            print(path)
    else:
        print(data_dictionary())
    return 0


def _cohort_new(args: argparse.Namespace) -> int:
    text = scaffold_cohort(args.id, args.start, args.timezone)
    target = _folder("--dir", args.dir) / f"{args.id}.yaml"
    if target.exists():
        raise ParameterError(f"{target} already exists (expected a new cohort id; edit the "
                             "file or remove it first)")
    write_atomic(target, text)
    print(target)
    return 0


def _cohort_check(args: argparse.Namespace) -> int:
    problems = check_cohort(args.file)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 2
    print(f"{args.file}: ok")
    return 0


def _cohort_run(args: argparse.Namespace) -> int:
    _folder("--out", args.out)
    try:
        outcomes = run_cohort(args.file, args.out, jobs=args.jobs, only=args.only,
                              resume=args.resume, notebooks_dir=args.notebooks,
                              progress=not args.no_progress, timeout=args.timeout,
                              facilitator=args.facilitator)
    except KeyboardInterrupt:
        print("pspo-lab: interrupted; finished notebooks are kept, nothing half-written "
              "(run again with --resume)", file=sys.stderr)
        return 130
    print(summary_table(outcomes))
    failed = [o.name for o in outcomes if o.status == "failed"]
    if failed:
        print(f"pspo-lab: {len(failed)} notebook(s) failed: {', '.join(failed)}",
              file=sys.stderr)
        return 1
    return 0


def _run(args: argparse.Namespace) -> int:
    source = Path(args.notebook)
    if not source.is_file():
        raise ParameterError(f"{source}: notebook not found (expected an .ipynb file)")
    parameters = notebook_parameters(source, args.parameters)
    try:
        print(run_notebook(source, args.out, parameters, cwd=args.cwd, timeout=args.timeout))
    except NotebookFailed as failure:
        print(f"pspo-lab: {failure}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        kill_kernels()
        print(f"pspo-lab: interrupted; {args.out} was not written", file=sys.stderr)
        return 130
    return 0


def _add_run(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser("run", help="execute one notebook (papermill's options, "
                              "without the stalls of a plain papermill run)")
    run.add_argument("notebook", help="the notebook to run")
    run.add_argument("out", help="the executed notebook to write")
    run.add_argument("-p", "--parameters", nargs=2, action="append", default=[],
                     metavar=("NAME", "VALUE"), help="a parameter, read like papermill's -p: "
                     "True, False, None, a number or text (repeat for several)")
    run.add_argument("--cwd", help="folder the kernel starts in (default: the notebook's)")
    run.add_argument("--timeout", type=int, help="seconds one cell may run before the "
                     "notebook fails (default: no limit)")
    run.set_defaults(handler=_run)


def _cohort_link(args: argparse.Namespace) -> int:
    link = hub_link(args.hub_url, args.repo, args.branch)
    branches = remote_branches(args.repo)
    if branches is None:
        print(f"pspo-lab: could not reach {args.repo} to check that branch {args.branch!r} "
              "exists; the link assumes it does", file=sys.stderr)
    elif args.branch not in branches:
        shown = ", ".join(branches[:10]) or "none"
        raise ParameterError(f"--branch {args.branch!r}: no such branch in {args.repo} "
                             f"(expected one of: {shown})")
    print(link)
    return 0


def _cohort_collect(args: argparse.Namespace) -> int:
    _folder("--out", args.out)
    done = collect_class(args.file, args.exports, args.out, show_names=args.show_names)
    for skipped in done.skipped:
        print(f"skipped {skipped.file}: {skipped.reason}", file=sys.stderr)
    print(f"{done.page} ({done.learners} learner(s), {len(done.skipped)} file(s) skipped)")
    return 0


def _cohort_example_exports(args: argparse.Namespace) -> int:
    if not 1 <= args.learners <= 5000:
        raise ParameterError(f"--learners {args.learners}: not usable (expected 1 to 5000)")
    if not 0 <= args.seed <= 2**32 - 1:
        raise ParameterError(f"--seed {args.seed}: not usable (expected a whole number "
                             f"from 0 to {2**32 - 1})")
    for path in write_class_exports(_folder("folder", args.folder), args.learners, args.seed):
        print(path)
    return 0


def _add_collect(actions: argparse._SubParsersAction) -> None:
    collect = actions.add_parser("collect", help="a class dashboard (class.html) from the "
                                 "learners' workspace exports")
    collect.add_argument("file", help="the cohort file (or a bundled cohort's name)")
    collect.add_argument("exports", help="folder of the learners' workspace exports")
    collect.add_argument("--out", default="cohorts-out", help="output folder (default: "
                         "cohorts-out); the page goes into OUT/<cohort id>/class.html")
    collect.add_argument("--show-names", action="store_true", help="show learners' ids "
                         "instead of pseudonyms")
    collect.set_defaults(handler=_cohort_collect)
    example = actions.add_parser("example-exports", help="write a fictional class's workspace "
                                 "exports (seeded), to try collect")
    example.add_argument("folder")
    example.add_argument("--learners", type=int, default=30)
    example.add_argument("--seed", type=int, default=42)
    example.set_defaults(handler=_cohort_example_exports)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (expected YYYY-MM-DD)"
                                         ) from None


def _add_cohort(commands: argparse._SubParsersAction) -> None:
    cohort = commands.add_parser("cohort", help="prepare and run the course for a cohort")
    actions = cohort.add_subparsers(dest="action", required=True)
    new = actions.add_parser("new", help="scaffold a cohort file ID.yaml")
    new.add_argument("id")
    new.add_argument("--start", type=_date, default=dt.date.today() + dt.timedelta(days=7),
                     help="date of the first session, YYYY-MM-DD (default: in a week)")
    new.add_argument("--timezone", default="UTC", help="IANA timezone, e.g. Europe/London")
    new.add_argument("--dir", default=".", help="folder for the file (default: here)")
    new.set_defaults(handler=_cohort_new)
    check = actions.add_parser("check", help="validate a cohort file (exit status 2 if not)")
    check.add_argument("file")
    check.set_defaults(handler=_cohort_check)
    run = actions.add_parser("run", help="execute the cohort's notebooks and write hand-outs")
    run.add_argument("file")
    run.add_argument("--jobs", type=int, default=1, help="notebooks run at once (default 1)")
    run.add_argument("--only", help="comma-separated part ids or notebook names, e.g. 0,7")
    run.add_argument("--resume", action="store_true",
                     help="skip notebooks already done with the same parameters")
    run.add_argument("--out", default="cohorts-out", help="output folder (default: "
                     "cohorts-out); files go into OUT/<cohort id>/")
    run.add_argument("--notebooks", help="folder of the notebooks (default: notebooks/ "
                     "in the current folder)")
    run.add_argument("--timeout", type=int, default=300,
                     help="seconds one cell may run before its notebook fails (default 300)")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    run.add_argument("--facilitator", action="store_true", help="hand-outs for the trainer: "
                     "timings, debrief questions, model answers and common mistakes on top")
    run.set_defaults(handler=_cohort_run)
    link = actions.add_parser("link", help="print an nbgitpuller link for a JupyterHub")
    link.add_argument("hub_url")
    link.add_argument("--repo", default=REPOSITORY_URL, help="git repository of the course")
    link.add_argument("--branch", default="main")
    link.set_defaults(handler=_cohort_link)
    _add_collect(actions)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``pspo-lab`` (sub-commands register here)."""
    parser = argparse.ArgumentParser(prog="pspo-lab", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    data = commands.add_parser("datasets", help="regenerate or describe the case-study data")
    data.add_argument("action", choices=["write", "dictionary"])
    data.add_argument("--seed", type=int, default=casestudy.CASE_STUDY_SEED)
    data.add_argument("--out", default="casestudy-data",
                      help="folder to write to (default: casestudy-data/)")
    data.set_defaults(handler=_datasets)
    _add_cohort(commands)
    _add_run(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Parameters
    ----------
    argv
        The arguments after ``pspo-lab``; ``None`` reads them from ``sys.argv``.

    Returns
    -------
    int
        What the sub-command returns (``0`` on success), or ``2`` when it raised a
        :class:`~pspo_lab.PspoLabError`, whose message is printed to standard error.

    Raises
    ------
    SystemExit
        From :mod:`argparse` for ``--help`` or unknown arguments.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> main(["cohort", "new", "spring", "--start", "2026-03-02", "--dir", folder])
    ... # doctest: +ELLIPSIS
    /.../spring.yaml
    0
    >>> main(["cohort", "new", "spring", "--dir", folder])
    2
    """
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except PspoLabError as error:
        print(f"pspo-lab: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
