"""Notebook executions shared by the whole test run: each (notebook, parameters) runs once.

Tests that only read what a notebook printed or recorded ask the ``notebook_runs`` fixture
(``tests/conftest.py``) for an execution instead of starting a kernel of their own.
Executions are cached on disk in the run's temporary folder, under a lock per execution, so
pytest-xdist workers share them: whichever test asks first executes, the others wait for it
and read the result.

Default-parameter executions come from the installed wheel (``tests/test_binder.py``) when
the wheel test is part of the run: that test executes every notebook with its default
parameters in a fresh environment, outside the repository, and ``tests/test_notebooks.py``
reads those executed copies instead of running the notebooks a second time. Without the
wheel test (``pytest -k 04_empiricism tests/test_notebooks.py``) they run here, in this
environment.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import venv
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import nbformat
import pytest
import scrapbook
from filelock import FileLock
from repo_paths import NOTEBOOKS_DIR, REPO_ROOT, SAMPLES_DIR

from pspo_lab.trainer.kernels import execute_notebook

CELL_TIMEOUT = 300  # seconds for one cell on a busy machine


@dataclass(frozen=True)
class ExecutedNotebook:
    """A notebook run by papermill: where its executed copy and its workspace are."""

    output: Path
    workspace: Path
    parameters: dict = field(default_factory=dict)

    @cached_property
    def notebook(self) -> nbformat.NotebookNode:
        return nbformat.read(self.output, as_version=4)

    @cached_property
    def scraps(self) -> dict:
        """The values the notebook recorded with ``pspo_lab.widgets.notebook.record``."""
        return {name: scrap.data
                for name, scrap in scrapbook.read_notebook(str(self.output)).scraps.items()}

    @property
    def outputs(self) -> list[dict]:
        return [o for cell in self.notebook.cells if cell.cell_type == "code"
                for o in cell.get("outputs", [])]

    @property
    def errors(self) -> list[dict]:
        return [o for o in self.outputs if o.get("output_type") == "error"]

    @property
    def text(self) -> str:
        """Everything the notebook printed or displayed as plain text."""
        return "\n".join(o.get("text", "") if o["output_type"] == "stream"
                         else str(o.get("data", {}).get("text/plain", ""))
                         for o in self.outputs)


def once(folder: Path, produce: Callable[[Path], None]) -> Path:
    """Fill ``folder`` with ``produce(folder)`` once per test run; later callers reuse it.

    A failure is remembered too: every caller sees it, nobody repeats long work that failed.
    """
    done, failed = folder / ".done", folder / ".failed"
    folder.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(folder.with_suffix(".lock")):  # shared by every process of the test run
        if not done.exists() and not failed.exists():
            folder.mkdir(parents=True, exist_ok=True)
            try:
                produce(folder)
            except BaseException as error:
                failed.write_text(f"{type(error).__name__}: {error}", encoding="utf-8")
                raise
            done.touch()
    if failed.exists():
        pytest.fail(f"shared setup {folder.name} failed earlier in this run: "
                    f"{failed.read_text(encoding='utf-8')[-3000:]}")
    return folder


def key_of(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def clean_environment(bin_dir: Path, home: Path) -> dict[str, str]:
    """This process's environment without the repository's venv, with a HOME of its own.

    pip keeps using the user's download cache.
    """
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    cache = os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))
    return env | {"PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", "HOME": str(home),
                  "MPLBACKEND": "Agg", "PIP_DISABLE_PIP_VERSION_CHECK": "1",
                  "PIP_CACHE_DIR": cache}


def checked_run(command: list[str], cwd: Path, env: dict, timeout: int = 1800) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"{command}: {done.stdout[-1500:]}{done.stderr[-1500:]}"
    return done.stdout


@dataclass(frozen=True)
class WheelEnvironment:
    """A fresh venv with binder/requirements.txt and pspo-lab's wheel (not editable)."""

    root: Path

    @property
    def python(self) -> Path:
        return self.root / "venv" / "bin" / "python"

    @property
    def course(self) -> Path:
        """Copies of ``notebooks/`` and ``datasets/``, outside the repository."""
        return self.root / "course"

    @property
    def env(self) -> dict[str, str]:
        return clean_environment(self.python.parent, self.root / "home") | {
            "PSPO_LAB_WORKSPACE": str(self.root / "default-workspace")}

    def build(self, folder: Path) -> None:
        # Built from a copy: setuptools writes build/ and *.egg-info beside the sources.
        sources = shutil.copytree(REPO_ROOT, folder / "sources", ignore=shutil.ignore_patterns(
            ".git", ".venv", "__pycache__", "*.egg-info", "build", "dist", "test-artifacts",
            "notebooks", "datasets", ".ipynb_checkpoints"))
        wheels = folder / "wheel"
        (folder / "home").mkdir()
        env = clean_environment(Path(sys.executable).parent, folder / "home")
        checked_run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", str(sources),
                     "-w", str(wheels)], cwd=folder, env=env)
        venv.create(folder / "venv", with_pip=True)
        env = self.env
        checked_run([str(self.python), "-m", "pip", "install", "--quiet", "-r",
                     str(REPO_ROOT / "binder" / "requirements.txt")], cwd=folder, env=env)
        wheel, = wheels.glob("pspo_lab-*.whl")
        checked_run([str(self.python), "-m", "pip", "install", "--quiet", "--no-deps",
                     str(wheel)], cwd=folder, env=env)
        shutil.copytree(NOTEBOOKS_DIR, self.course / "notebooks",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        shutil.copytree(SAMPLES_DIR, self.course / "datasets")

    def installed_package(self) -> Path:
        where = checked_run([str(self.python), "-c", "import pspo_lab; print(pspo_lab.__file__)"],
                            cwd=self.course, env=self.env)
        return Path(where.strip())


RUN_ONE = """
import sys
from pspo_lab.trainer.kernels import execute_notebook
source, target, workspace, timeout = sys.argv[1:]
execute_notebook(source, target, cwd=".", parameters={"workspace": workspace},
                 request_save_on_cell_execute=False, execution_timeout=int(timeout))
"""


class NotebookRuns:
    """Executions of notebooks, each (notebook, parameters, prior workspace) once per run."""

    def __init__(self, root: Path, defaults_from_wheel: bool) -> None:
        self.root = root
        self.defaults_from_wheel = defaults_from_wheel

    def wheel_environment(self) -> WheelEnvironment:
        environment = WheelEnvironment(self.root / "wheel-environment")
        once(environment.root, environment.build)
        return environment

    def default(self, path: Path) -> ExecutedNotebook:
        """``path`` run with its default parameters (and a workspace of its own)."""
        if not self.defaults_from_wheel:
            return self.run(path)
        environment = self.wheel_environment()
        folder = self.root / "wheel-runs" / path.stem

        def produce(folder: Path) -> None:
            checked_run([str(environment.python), "-c", RUN_ONE, path.name,
                         str(folder / path.name), str(folder / "workspace"), str(CELL_TIMEOUT)],
                        cwd=environment.course / "notebooks", env=environment.env)

        once(folder, produce)
        return ExecutedNotebook(folder / path.name, folder / "workspace")

    def run(self, path: Path, parameters: dict | None = None,
            after: ExecutedNotebook | None = None) -> ExecutedNotebook:
        """``path`` run here with ``parameters``; ``after``: in a copy of that run's workspace.

        The executed copy and workspace are shared: read them, never change them.
        """
        parameters = dict(parameters or {})
        key = key_of(path.name, parameters, str(after.output) if after else None)
        folder = self.root / "runs" / f"{path.stem}-{key}"

        def produce(folder: Path) -> None:
            workspace = folder / "workspace"
            if after is not None and after.workspace.exists():
                shutil.copytree(after.workspace, workspace)
            execute_notebook(path, folder / path.name,
                             parameters=parameters | {"workspace": str(workspace)},
                             cwd=str(path.parent), request_save_on_cell_execute=False,
                             execution_timeout=CELL_TIMEOUT)

        once(folder, produce)
        return ExecutedNotebook(folder / path.name, folder / "workspace", parameters)
