"""The package's layers, as import-linter contracts in pyproject.toml, and module sizes.

``pspo_lab`` has five layers (trainer | widgets > analysis > content > core). The contracts
forbid imports of a layer above, ipywidgets/IPython below the widgets layer, and import
cycles between modules (including imports hidden inside functions).
"""

import ast
import subprocess
import sys
import tomllib

from repo_paths import REPO_ROOT

PACKAGE = REPO_ROOT / "pspo_lab"
MAX_MODULE_LINES = 600
LAYERS = ["core", "content", "analysis", "widgets", "trainer"]


def test_import_linter_contracts_are_kept():
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
         "sys.exit(lint_imports(no_cache=True))"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "Contracts: 3 kept, 0 broken." in done.stdout


def test_contracts_name_every_layer():
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    named = {part.strip().removeprefix("pspo_lab.") for layer in layers for part in
             layer.split("|")}
    subpackages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert named == subpackages == set(LAYERS)


def test_no_module_at_the_top_level_besides_the_package_init():
    assert sorted(p.name for p in PACKAGE.glob("*.py")) == ["__init__.py"]


def test_modules_stay_small():
    sizes = {str(p.relative_to(PACKAGE)): len(p.read_text(encoding="utf-8").splitlines())
             for p in PACKAGE.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > MAX_MODULE_LINES} == {}


def test_every_import_of_pspo_lab_is_at_module_level():
    """Imports inside functions hide dependencies (and cycles) from a reader."""
    hidden = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and (node.level or (
                        node.module or "").startswith("pspo_lab")):
                    hidden.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert hidden == []
