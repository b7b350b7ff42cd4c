"""Test-session settings shared by unit tests, notebook runs and nbval.

Kernels started by nbval or papermill inherit this environment: learners' real workspace
folders are never touched by a test run, and charts render without a display.
"""

import os
import tempfile

import matplotlib
import pytest

os.environ["PSPO_LAB_WORKSPACE"] = tempfile.mkdtemp(prefix="pspo-lab-test-workspace-")
os.environ.setdefault("MPLBACKEND", "Agg")
matplotlib.use("Agg")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """nbval's notebook cells execute a kernel: they are slow tests (``-m "not slow"`` skips)."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _close_figures():
    """Close the figures a test or doctest opened, so memory stays flat over the suite."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
