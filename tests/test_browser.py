"""Every notebook in real JupyterLab, driven through the UI by headless Chromium.

JupyterLab starts on a free localhost port with a token, in a temporary folder holding copies
of the notebooks beside a link to ``datasets/`` (the learner's workspace is temporary too).
For each notebook the test runs all cells from the *Run* menu, saves, and checks: no error
outputs, widgets render (no "Error displaying widget"), and moving a slider, picking from a
drop-down or clicking a button changes an output. A screenshot per notebook goes to
``test-artifacts/browser/``.

Chromium is Debian's ``/usr/bin/chromium`` (``.ci/run`` installs it); Playwright never
downloads a browser. Without Chromium the tests skip, except under ``CI=true`` where they fail.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
import screen_checks
from chromium import chromium, require_browser
from repo_paths import REPO_ROOT

ARTIFACTS = REPO_ROOT / "test-artifacts" / "browser"
NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
FIXTURES = Path(__file__).parent / "fixtures" / "browser"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
RUN_TIMEOUT = 300  # seconds for one notebook on a busy machine

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Lab:
    """A running JupyterLab server and how to reach it."""

    def __init__(self, root: Path, port: int, token: str) -> None:
        self.root, self.port, self.token = root, port, token
        self.url = f"http://127.0.0.1:{port}"

    def api(self, path: str, method: str = "GET") -> object:
        request = urllib.request.Request(f"{self.url}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - localhost
            body = response.read()
        return json.loads(body) if body else None

    def wait_for_idle_kernel(self, notebook: str, timeout: float = 300) -> None:
        """Wait until the notebook's kernel has started and is idle."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            states = [s["kernel"]["execution_state"] for s in self.api("/api/sessions")
                      if s.get("path", "").endswith(notebook) and s.get("kernel")]
            if states == ["idle"]:
                return
            time.sleep(0.5)
        pytest.fail(f"the kernel of {notebook} did not start within {timeout} s")

    def shutdown_kernels(self) -> None:
        for session in self.api("/api/sessions"):
            self.api(f"/api/sessions/{session['id']}", method="DELETE")


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Iterator[Lab]:
    require_browser()
    base = tmp_path_factory.mktemp("lab")
    root = base / "root"
    (root / "notebooks").mkdir(parents=True)
    for path in NOTEBOOKS:
        shutil.copy(path, root / "notebooks")
    (root / "datasets").symlink_to(REPO_ROOT / "datasets")  # for paths relative to notebooks/
    shutil.copytree(FIXTURES, root / "fixtures")
    settings = base / "settings" / "@jupyterlab"
    for plugin, values in {
            # every cell in the page, so that prompts and widgets of all cells can be read
            "notebook-extension/tracker": {"windowingMode": "none"}}.items():
        target = settings / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env |= {"PYTHONPATH": str(REPO_ROOT), "PSPO_LAB_WORKSPACE": str(base / "workspace"),
            "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
            "JUPYTERLAB_SETTINGS_DIR": str(base / "settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces")}
    port, token = _free_port(), secrets.token_hex(16)
    log = (base / "lab.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
         f"--port={port}", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={root}", f"--LabApp.workspaces_dir={base / 'workspaces'}",
         "--ServerApp.port_retries=0", "--allow-root"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    running = Lab(root, port, token)
    try:
        deadline = time.monotonic() + 300  # a busy machine: generous, the loop ends early
        while True:
            try:
                running.api("/api/status")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start: {(base / 'lab.log').read_text()}")
                time.sleep(0.5)
        yield running
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        log.close()


@pytest.fixture(scope="module")
def browser(lab):
    with chromium() as launched:
        yield launched


PROMPTS_JS = """() => Array.from(document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt'))
    .map(e => e.textContent.trim())"""


def _run_all(page) -> None:
    """Run every cell from the Run menu; wait until each ran once in order, or it stopped."""
    initial = page.evaluate(PROMPTS_JS)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel:text-is('Run All Cells')").click()
    idle = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    deadline, quiet = time.monotonic() + RUN_TIMEOUT, 0
    while time.monotonic() < deadline:
        prompts = page.evaluate(PROMPTS_JS)
        if prompts == [f"[{n}]:" for n in range(1, len(prompts) + 1)]:
            return
        ran = any(p.strip("[]:").isdigit() for p in prompts)
        stopped = ran and prompts != initial and "[*]:" not in prompts and idle.count() > 0
        quiet = quiet + 1 if stopped else 0
        if quiet >= 10:
            return  # stopped early, at an error: the saved notebook says which
        time.sleep(0.5)
    pytest.fail(f"cells did not finish within {RUN_TIMEOUT} s: {page.evaluate(PROMPTS_JS)}")


def _save_and_read(page, path: Path, before: float) -> nbformat.NotebookNode:
    page.keyboard.press("Control+s")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if path.stat().st_mtime > before:
            try:
                return nbformat.read(path, as_version=4)
            except Exception:  # noqa: BLE001 - being written; try again
                pass
        time.sleep(0.5)
    pytest.fail(f"{path.name} was not saved")


def _widget_changes_an_output(page) -> str:
    """Move a slider, pick another option or click a button until an output changes."""
    controls = [("slider", ".jp-OutputArea .widget-slider .noUi-handle"),
                ("dropdown", ".jp-OutputArea .widget-dropdown select"),
                ("button", ".jp-OutputArea button.jupyter-button")]
    idle = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    tried = []
    for kind, selector in controls:
        for index in range(min(page.locator(selector).count(), 3)):
            control = page.locator(selector).nth(index)
            cell = control.locator("xpath=ancestor::div[contains(@class,'jp-Cell ')][1]")
            outputs = cell.locator(".widget-output")
            watched = outputs if outputs.count() else cell.locator(".jp-Cell-outputArea")

            def snapshot(watched=watched) -> str:
                return "".join(watched.nth(i).inner_html() for i in range(watched.count()))

            if not control.is_visible() or not control.is_enabled():
                continue
            if kind == "dropdown" and control.locator("option").count() < 2:
                continue
            control.scroll_into_view_if_needed()
            before = snapshot()
            if kind == "slider":
                control.focus()
                page.keyboard.press("ArrowRight")
            elif kind == "dropdown":
                options = control.locator("option").count()
                current = control.evaluate("e => e.selectedIndex")
                control.select_option(index=(current + 1) % options, timeout=10_000)
            else:
                control.click(timeout=10_000)
            deadline, settled = time.monotonic() + 30, 0
            while time.monotonic() < deadline:
                time.sleep(0.25)
                changed = snapshot() != before and idle.count() > 0
                settled = settled + 1 if changed else 0
                if settled >= 2:  # the kernel handled the change and the output stayed new
                    return kind
            tried.append(f"{kind} {index}")
    pytest.fail(f"no widget control changed an output (tried {tried or 'none found'})")


def _open_and_run(lab: Lab, browser, relative: str):
    """Open ``relative`` (inside the lab root), run all cells, save; return page and file."""
    path = lab.root / relative
    before = path.stat().st_mtime
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{lab.url}/lab/tree/{relative}?reset&token={lab.token}")  # only this tab
    lab.wait_for_idle_kernel(path.name)
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
        timeout=300_000)
    _run_all(page)
    return page, _save_and_read(page, path, before)


def _errors(saved: nbformat.NotebookNode) -> list[str]:
    return [f"{o.ename}: {o.evalue}" for c in saved.cells if c.cell_type == "code"
            for o in c.outputs if o.output_type == "error"]


def _finish(page, lab: Lab, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.close()
    lab.shutdown_kernels()


@pytest.mark.parametrize("source", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_in_jupyterlab(lab, browser, source):
    page, saved = _open_and_run(lab, browser, f"notebooks/{source.name}")
    try:
        assert not _errors(saved), f"error outputs: {_errors(saved)}"
        assert page.get_by_text("Error displaying widget").count() == 0
        has_widgets = any(WIDGET_VIEW in o.get("data", {}) for c in saved.cells
                          if c.cell_type == "code" for o in c.outputs)
        assert has_widgets, "the notebook shows at least one widget"
        assert page.locator(".jp-OutputArea .jupyter-widgets").count() > 0, "widgets render"
        # binder/overrides.json, installed into the environment, keeps the news prompt away
        assert page.get_by_text("Jupyter news").count() == 0, "no prompt about Jupyter news"
        problems = screen_checks.all_problems(page)
        assert not problems, "what a learner sees:\n" + "\n".join(problems)
        _widget_changes_an_output(page)
    finally:
        _finish(page, lab, source.stem)


def test_the_screen_checks_find_each_defect(lab, browser):
    """The screen checks themselves, on a notebook made of the defects a learner once saw."""
    page, saved = _open_and_run(lab, browser, "fixtures/screen_defects.ipynb")
    try:
        assert not _errors(saved)
        assert screen_checks.code_name_labels(page) == [
            "code name as a label: 'target_po_hours'", "code name as a label: 'wsjf'",
            "code name as a label: 'cd3'", "code name as a label: 'rice'"]
        assert screen_checks.truncated_statements(page) == [
            "cut short: 'The Product Owner is one person, not a commit…'"]
        assert screen_checks.nbval_text(page) == ["visible NBVAL marker: '# NBVAL_CHECK_OUTPUT'"]
        assert len(screen_checks.images_without_alt(page)) == 1
        assert screen_checks.plain_resource_links(page) == [
            "resources table with 1 rows but 0 links"]
        axe = screen_checks.serious_axe_violations(page)
        assert [line.split(":")[0] for line in axe] == ["axe serious link-name"], axe
    finally:
        _finish(page, lab, "fixture-screen-defects")


def test_the_checks_catch_errors_and_move_sliders(lab, browser):
    """The harness itself: an error output is found, a slider's effect is seen."""
    page, saved = _open_and_run(lab, browser, "fixtures/error.ipynb")
    try:
        assert _errors(saved) == ["ZeroDivisionError: division by zero"]
    finally:
        _finish(page, lab, "fixture-error")
    page, saved = _open_and_run(lab, browser, "fixtures/slider.ipynb")
    try:
        assert not _errors(saved)
        assert _widget_changes_an_output(page) == "slider"
    finally:
        _finish(page, lab, "fixture-slider")
