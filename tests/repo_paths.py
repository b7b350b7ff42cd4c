"""Paths of the checkout, for tests only: the package itself never looks outside itself."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
SAMPLES_DIR = REPO_ROOT / "datasets"
