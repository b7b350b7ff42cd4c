"""Binder: pinned requirements, postBuild, the launch badge, and the installed wheel.

``jupyter-repo2docker --no-build`` is the real Binder builder: it writes the Dockerfile
Binder would build, without Docker. The wheel test (slow) does what that Dockerfile does in
a fresh virtual environment (requirements, then pspo-lab installed without ``-e``) and
executes every notebook with it from a folder outside the repository.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import zipfile

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
    commands = [line for line in post_build.read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    assert "python -m pip install --no-deps ." in commands, "postBuild installs pspo-lab"
    assert not any(" -e " in f"{line} " for line in commands), "not an editable install"
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


@pytest.mark.slow
def test_wheel_installs_and_runs_every_notebook_outside_the_repository(notebook_runs):
    """Fresh venv + binder/requirements.txt + the wheel (no ``-e``); every notebook runs.

    The executions, with default parameters from a copy of ``notebooks/`` and ``datasets/``
    outside the repository, are the ones ``tests/test_notebooks.py`` checks further.
    """
    environment = notebook_runs.wheel_environment()
    installed = environment.installed_package()
    site_packages = environment.root / "venv" / "lib"
    assert installed.is_relative_to(site_packages) and "site-packages" in installed.parts, (
        f"pspo_lab imported from {installed}, not from the venv's site-packages")
    assert not installed.is_relative_to(REPO_ROOT)
    wheel, = (environment.root / "wheel").glob("pspo_lab-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    sources = [path.relative_to(REPO_ROOT) for path in (REPO_ROOT / "pspo_lab").rglob("*")
               if path.is_file()]
    missing = sorted(name.as_posix() for name in sources if name.as_posix() not in shipped
                     and not any(part.startswith((".", "__pycache__")) for part in name.parts))
    assert missing == [], "the wheel ships every file of the package"
    notebooks = sorted((REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in notebooks:
        run = notebook_runs.default(path)
        assert run.output.is_relative_to(notebook_runs.root / "wheel-runs"), run.output
        assert run.notebook.cells and not run.errors, f"{path.name}: {run.errors[:1]}"
