"""Binder: pinned requirements, postBuild, the launch badge, and a rehearsal of the build.

``jupyter-repo2docker --no-build`` is the real Binder builder: it writes the Dockerfile
Binder would build, without Docker. The rehearsal (slow) does what that Dockerfile does in a
fresh virtual environment and executes every notebook in it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from repo_paths import REPO_ROOT

BINDER = REPO_ROOT / "binder"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!-]+)$")


def pinned() -> dict[str, str]:
    pins = {}
    for number, line in enumerate((BINDER / "requirements.txt").read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        match = PIN.match(line.strip())
        assert match, f"binder/requirements.txt line {number}: {line!r} is not NAME==VERSION"
        pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def test_requirements_pin_every_runtime_dependency():
    pins = pinned()
    assert "pspo-lab" not in pins, "postBuild installs pspo-lab itself"
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    for line in project["dependencies"]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"binder/requirements.txt does not pin {requirement.name}"
        assert requirement.specifier.contains(pins[name]), (
            f"binder/requirements.txt pins {name}=={pins[name]}, pyproject wants {line}")


def test_runtime_postbuild_and_badge():
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"
    post_build = BINDER / "postBuild"
    assert os.access(post_build, os.X_OK), "postBuild is executable"
    assert "pip install --no-deps -e ." in post_build.read_text()
    readme = (REPO_ROOT / "README.md").read_text()
    badge = re.search(r"\[!\[[^]]*\]\((https://mybinder\.org/badge_logo\.svg)\)\]\(([^)]+)\)",
                      readme)
    assert badge, "README has a Binder launch badge"
    assert badge.group(2).startswith("https://mybinder.org/v2/gh/")
    assert badge.group(2).endswith("?labpath=notebooks%2F00_welcome.ipynb")


def test_repo2docker_writes_a_dockerfile_that_installs_requirements_and_runs_postbuild(
        tmp_path):
    pytest.importorskip("repo2docker")
    result = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build", "--debug", "--no-run",
         str(REPO_ROOT)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    dockerfile = result.stdout + result.stderr
    assert "python=3.11" in dockerfile or "python-3.11" in dockerfile
    install = re.search(r'^RUN .*pip install .*-r "?binder/requirements\.txt"?$', dockerfile,
                        re.MULTILINE)
    assert install, "the Dockerfile installs binder/requirements.txt"
    post_build = dockerfile.find("RUN ./binder/postBuild")
    assert post_build > install.start(), "postBuild runs after the requirements are installed"


def _copy_repository(target: Path) -> Path:
    ignore = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.egg-info", "cohorts-out",
                                    "test-artifacts", ".ipynb_checkpoints")
    return Path(shutil.copytree(REPO_ROOT, target, ignore=ignore, symlinks=True))


RUN_EVERY_NOTEBOOK = """
import pathlib, sys
from pspo_lab.trainer.kernels import execute_notebook
for path in sorted(pathlib.Path("notebooks").glob("[0-9][0-9]_*.ipynb")):
    execute_notebook(path, sys.argv[1] + "/" + path.name, cwd="notebooks",
                     execution_timeout=300)
    print("executed", path.name, flush=True)
"""


@pytest.mark.slow
def test_binder_rehearsal_in_a_fresh_environment(tmp_path):
    """Fresh venv + binder/requirements.txt + postBuild, then every notebook runs in it."""
    repository = _copy_repository(tmp_path / "repo")
    environment = tmp_path / "env"
    venv.create(environment, with_pip=True)
    bin_dir = environment / "bin"
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env |= {"PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", "HOME": str(tmp_path),
            "PSPO_LAB_WORKSPACE": str(tmp_path / "workspace"), "MPLBACKEND": "Agg",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1"}

    def run(*command: str, timeout: int = 900) -> str:
        result = subprocess.run(command, cwd=repository, env=env, capture_output=True,
                                text=True, timeout=timeout)
        assert result.returncode == 0, f"{command}: {result.stdout[-1500:]}{result.stderr[-1500:]}"
        return result.stdout

    run(str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "-r",
        "binder/requirements.txt")
    run("bash", "binder/postBuild")
    where = run(str(bin_dir / "python"), "-c", "import pspo_lab; print(pspo_lab.__file__)")
    assert Path(where.strip()).is_relative_to(repository), where
    out = tmp_path / "executed"
    out.mkdir()
    printed = run(str(bin_dir / "python"), "-c", RUN_EVERY_NOTEBOOK, str(out), timeout=1800)
    expected = sorted(p.name for p in (repository / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert printed.split() == [w for name in expected for w in ("executed", name)]
