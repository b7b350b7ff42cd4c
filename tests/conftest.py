"""Fixtures shared by the test files: the run's notebook executions (``notebook_runs.py``)."""

from __future__ import annotations

import os

import pytest
from notebook_runs import NotebookRuns

WHEEL_TEST = "test_wheel_installs_and_runs_every_notebook_outside_the_repository"
WHEEL_SELECTED = pytest.StashKey[bool]()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Note whether the wheel test runs: then it provides the default-parameter executions."""
    session.config.stash[WHEEL_SELECTED] = any(item.name == WHEEL_TEST for item in session.items)


@pytest.fixture(scope="session")
def notebook_runs(tmp_path_factory: pytest.TempPathFactory,
                  pytestconfig: pytest.Config) -> NotebookRuns:
    """The run's shared notebook executions (one folder for all xdist workers)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each worker's own
    return NotebookRuns(base / "notebook-runs", pytestconfig.stash.get(WHEEL_SELECTED, False))
