"""Project-wide quality gates: lint, docstrings, no stale Scrum vocabulary in course text."""

import ast
import re
import subprocess
import sys

import nbformat
import pytest
from repo_paths import REPO_ROOT

PACKAGE = REPO_ROOT / "pspo_lab"
STALE_TERMS = [r"\bDevelopment Team\b", r"\bSprint 0\b", r"\bSprint Zero\b",
               r"\bDefinition of Ready\b", r"\bgroom(ing|ed)?\b", r"\bvelocity\b"]


def test_ruff_is_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", str(REPO_ROOT)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_public_functions_have_docstrings():
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{path.name} has no module docstring"
        for node in tree.body:
            public = isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name[0] != "_"
            if public and not ast.get_docstring(node):
                missing.append(f"{path.name}:{node.name}")
    assert not missing, missing


def course_text() -> list[tuple[str, str]]:
    texts = []
    for path in sorted((REPO_ROOT / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                texts.append((path.name, cell.source))
    texts.append(("README.md", (REPO_ROOT / "README.md").read_text(encoding="utf-8")))
    return texts


@pytest.mark.parametrize("term", STALE_TERMS)
def test_no_stale_scrum_terms_taught(term):
    """Terms the 2020 Scrum Guide dropped may appear only where a text says so explicitly."""
    for name, text in course_text():
        for match in re.finditer(term, text, flags=re.IGNORECASE):
            around = text[max(0, match.start() - 200): match.end() + 200].lower()
            assert any(w in around for w in ("2017", "not in the", "no longer", "myth",
                                              "not part of", "anti-pattern", "not a scrum")), (
                f"{name}: {match.group(0)!r} used as if it were Scrum 2020")


def test_benchmarks_end_with_result_lines():
    """Every benchmark prints ``RESULT <name> ratio=<x.xx> target<=<y>`` lines (or >=)."""
    scripts = sorted((REPO_ROOT / "benchmarks").glob("*.py"))
    assert scripts
    for script in scripts:
        text = script.read_text(encoding="utf-8")
        assert re.search(r'RESULT \w+|RESULT \{', text), f"{script.name} prints no RESULT line"
        assert re.search(r"ratio=\{[^}]*:\.2f\} target(<=|>=)", text), (
            f"{script.name}: RESULT line not in the form ratio=<x.xx> target<=<y>")
