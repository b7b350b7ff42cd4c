"""A class of three learners on a trial JupyterHub, set up as README.md tells an administrator.

The hub is installed and started by ``hub_trial.py`` from README's blocks as they are; three
simulated learners (``hub_learners.py``) log in at the same moment, open the link that
``pspo-lab cohort link`` prints, let nbgitpuller clone the course into their own folders
and execute notebooks 00 and 01 on the hub. The hub's log, the learners' timings and a
screenshot of one learner's JupyterLab on the hub are left in ``test-artifacts/hub/``.
``benchmarks/class_hub.py`` runs the same path with 20 and 40 learners.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hub_learners import NOTEBOOKS, run_class, summary
from hub_trial import missing_tools, trial_hub
from repo_paths import REPO_ROOT

ARTIFACTS = REPO_ROOT / "test-artifacts" / "hub"
LEARNERS = 3

pytestmark = [pytest.mark.hub, pytest.mark.slow]


def _require_tools() -> None:
    missing = missing_tools()
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"not installed: {', '.join(missing)} (.ci/run installs them with apt)")
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)}")


def _screenshot_of_a_learners_lab(hub, link: str, name: str) -> str:
    """Log in as ``name`` in Chromium, open the class link; the notebook's first heading.

    The page, JupyterLab on the hub with notebook 00 open, is saved as
    ``test-artifacts/hub/<name>-lab.png``.
    """
    from chromium import chromium

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{hub.url}/hub/login", timeout=120_000)
        page.fill("input[name=username]", name)
        page.fill("input[name=password]", hub.password)
        page.click("[type=submit]")
        page.wait_for_url(f"{hub.url}/**", timeout=120_000)
        page.goto(link, timeout=300_000)  # nbgitpuller pulls again, then opens JupyterLab
        heading = page.locator(".jp-Notebook .jp-RenderedMarkdown h1").first
        heading.wait_for(state="visible", timeout=300_000)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}-lab.png"))
        # the course install's overrides.json: the learner's first screen has no news prompt
        assert page.get_by_text("Jupyter news").count() == 0, "no prompt about Jupyter news"
        return heading.inner_text()


def test_a_class_logs_in_pulls_the_course_and_runs_notebooks_on_the_hub(tmp_path):
    _require_tools()
    with trial_hub(tmp_path, ARTIFACTS / "hub.log") as (hub, course):
        printed = subprocess.run(
            [sys.executable, "-m", "pspo_lab.trainer.cli", "cohort", "link", hub.url,
             "--repo", course.url], capture_output=True, text=True, check=True)
        assert printed.stderr == "", "the branch was checked with git ls-remote"
        link = printed.stdout.strip()
        learners = run_class(hub, link, LEARNERS)
        report = summary(learners)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "timings.json").write_text(json.dumps(report, indent=2) + "\n")
        assert report["errors"] == []
        assert report["successes"] == LEARNERS
        assert report["start_spread_s"] < 1, "all learners start within one second"
        homes = hub.folder / "homes"
        for learner in learners:
            home = homes / learner.name
            welcome, module = (learner.outputs[notebook] for notebook in NOTEBOOKS)
            assert "80 questions in 60 minutes" in welcome
            assert f"Your workspace folder: {home / 'pspo-lab-workspace'}" in welcome
            assert module.strip(), "notebook 01 printed what its cells show"
            assert (home / "pspo-lab" / NOTEBOOKS[0]).is_file(), "each learner's own copy"
            assert learner.rss_mb > 0
        welcome_heading = _screenshot_of_a_learners_lab(hub, link, learners[0].name)
        assert welcome_heading.startswith("00 · Welcome to pspo-lab")
        running = hub.processes()
        assert running, "the hub's processes are found by their marker"
    assert hub.processes() == [], "the hub, proxy, servers and kernels are all gone"
