"""The bad-input corpus and how each file goes through the loaders it applies to.

Files live in ``tests/fixtures/bad_inputs/<kind>/``; a name starting ``ok__`` must load, one
starting ``bad__`` must be refused with one line naming the file. CSV names start with the
table they are for (``backlog__bad__effort_inf.csv``). Big files (a 50 MB line) are made at
test time by :func:`generated_cases`, never committed.

Run as a script to measure the corpus against whatever ``pspo_lab`` is importable::

    PYTHONPATH=. python tests/bad_inputs.py

Each run then happens in a forked child with a time limit, so a hang counts as a hang.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).parent / "fixtures" / "bad_inputs"
ONE_LINE = "error"


@dataclass(frozen=True)
class Case:
    """One file through one loader."""

    loader: str
    path: Path

    @property
    def expect_ok(self) -> bool:
        return "ok__" in self.path.name

    @property
    def id(self) -> str:
        return f"{self.loader}:{self.path.parent.name}/{self.path.name}"


def cases(root: Path = CORPUS) -> list[Case]:
    """Every (loader, file) pair of the committed corpus."""
    found = []
    for path in sorted((root / "cohort").iterdir()):
        found += [Case("check_cohort", path), Case("load_cohort", path),
                  Case("cli_cohort_check", path)]
    for path in sorted((root / "csv").iterdir()):
        found.append(Case("read_csv", path))
    for path in sorted((root / "workspace").iterdir()):
        found.append(Case("workspace_import", path))
    for path in sorted((root / "importer").iterdir()):
        found.append(Case("flow_data", path))
    return found


def generated_cases(folder: Path) -> list[Case]:
    """Big files written into ``folder``: a 50 MB single line and a 30 MB CSV."""
    line = folder / "backlog__bad__50mb_single_line.csv"
    with line.open("w") as stream:
        stream.write("id,title," + "x," * 25_000_000 + "\n")
    big = folder / "backlog__bad__30mb_rows.csv"
    with big.open("w") as stream:
        stream.write("id,title\n" + "PB-1,a\n" * 4_300_000)
    long_yaml = folder / "bad__50mb_title.yaml"
    long_yaml.write_text("title: " + "x" * 50_000_000 + "\n")
    return [Case("read_csv", line), Case("read_csv", big), Case("check_cohort", long_yaml),
            Case("load_cohort", long_yaml)]


def _load(case: Case, scratch: Path) -> str | None:
    """Run the loader; return an error text it printed (CLI) or ``None`` when it loaded."""
    path = case.path
    if case.loader == "check_cohort":
        from pspo_lab.content.cohort_files import check_cohort
        problems = check_cohort(path)
        if problems:
            from pspo_lab.core.errors import DataError
            raise DataError("\n".join(problems))
        return None
    if case.loader == "load_cohort":
        from pspo_lab.content.cohort_files import load_cohort
        load_cohort(str(path))
        return None
    if case.loader == "cli_cohort_check":
        from pspo_lab.trainer.cli import main
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            status = main(["cohort", "check", str(path)])
        return err.getvalue().strip() if status else None
    if case.loader == "read_csv":
        from pspo_lab.content.datasets import read_csv
        read_csv(path, path.name.split("__")[0])
        return None
    if case.loader in ("workspace_import", "read_export"):
        from pspo_lab.core.workspace import Workspace, read_export
        if case.loader == "read_export":
            read_export(path)
            return None
        from pspo_lab.analysis.catchup import cards_table
        from pspo_lab.widgets.take_home import record_problem
        ws = Workspace(scratch / "ws")
        ws.import_(path, check=record_problem)
        cards_table(ws)  # what notebook 09 shows next
        return None
    if case.loader == "flow_data":
        from pspo_lab.analysis.importers import load_flow_data
        if path.name.startswith("throughput__"):
            load_flow_data(throughput_csv=path)
        else:
            load_flow_data(items_csv=path)
        return None
    raise ValueError(case.loader)


def run(case: Case, scratch: Path) -> tuple[str, str]:
    """Outcome and message of one case, as the corpus tables count them.

    Outcomes: ``error`` (one line naming the file), ``accepted``, ``traceback`` (an
    exception that is not pspo-lab's), ``multi-line``, ``unnamed`` (one line, but not naming the
    file), ``silent`` (a bad file accepted) and ``refused`` (a good file refused).
    """
    from pspo_lab.core.errors import PspoLabError
    try:
        printed = _load(case, scratch)
    except PspoLabError as error:
        printed = str(error)
    except BaseException as error:  # noqa: BLE001 - the point is to classify it
        return "traceback", "".join(traceback.format_exception_only(error)).strip()[:300]
    if printed is None:
        return ("accepted" if case.expect_ok else "silent"), ""
    if case.expect_ok:
        return "refused", printed[:300]
    lines = printed.strip().splitlines()
    # ``cohort check`` lists every problem of a file, one line each; the others stop at one
    if len(lines) > 1 and case.loader not in ("check_cohort", "cli_cohort_check"):
        return "multi-line", printed[:300]
    if not all(case.path.name in line for line in lines):
        return "unnamed", printed[:300]
    return ONE_LINE, printed


def _child(case: Case, scratch: str, queue: multiprocessing.Queue) -> None:
    queue.put(run(case, Path(scratch)))


def measure(all_cases: list[Case], limit: float = 20.0) -> Counter:
    """Run each case in a forked child; count outcomes, ``hang`` past ``limit`` seconds."""
    context = multiprocessing.get_context("fork")
    counts: Counter = Counter()
    for case in all_cases:
        with tempfile.TemporaryDirectory() as scratch:
            queue = context.Queue()
            child = context.Process(target=_child, args=(case, scratch, queue))
            started = time.monotonic()
            child.start()
            child.join(limit)
            if child.is_alive():
                child.kill()
                child.join()
                outcome, message = "hang", f"> {limit:.0f} s"
            else:
                outcome, message = queue.get() if not queue.empty() else ("crash", "")
            seconds = time.monotonic() - started
        counts[outcome] += 1
        if outcome not in (ONE_LINE, "accepted"):
            print(f"{outcome:10} {seconds:6.2f}s {case.id}: {message[:140]!r}")
    return counts


if __name__ == "__main__":
    import pspo_lab.analysis.importers  # noqa: F401 - imported once, before forking
    import pspo_lab.content.cohort_files  # noqa: F401
    import pspo_lab.content.datasets  # noqa: F401
    import pspo_lab.trainer.cli  # noqa: F401
    import pspo_lab.widgets.take_home  # noqa: F401
    with tempfile.TemporaryDirectory() as big:
        corpus = cases() + generated_cases(Path(big))
        figures = measure(corpus, limit=float(sys.argv[1]) if len(sys.argv) > 1 else 20.0)
    distinct = len({c.path for c in corpus})
    print(f"{len(corpus)} runs of {distinct} files:", dict(sorted(figures.items())))
