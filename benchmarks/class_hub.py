"""A class on a trial JupyterHub: 20 learners at once, then the load doubled to 40.

The hub is README's trial hub, installed and started by ``tests/hub_trial.py`` exactly as the
README's administrator blocks say (servers may take 300 s to start); learners are the simulated
ones of ``tests/hub_learners.py``: all of a class start within one second, log in, start their
server, open the ``pspo-lab cohort link`` (nbgitpuller clones the course from a local git
repository) and execute notebooks 00 and 01 on their kernels. For each class size it reports
the learners who got through, the p50 and p95 seconds from login to notebook 00 executed,
and the resident memory per learner (server plus kernel, measured with notebook 01 done).
Between the two classes every server is stopped.

Run: ``PYTHONPATH=. python benchmarks/class_hub.py`` (about ten minutes, the first time a
few more to install the hub; needs git, Node.js 20 and npm). The timings JSON and the hub's
log stay in a temp folder the script names; the learners' folders are removed. On a
machine shared with other work the figures are pessimistic. With ``PSPO_LAB_BENCH_SIZE=small``:
classes of 1 and 2 (a smoke test).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from hub_learners import run_class, stop_servers, summary  # noqa: E402
from hub_trial import trial_hub  # noqa: E402

from pspo_lab.content.cohort import hub_link  # noqa: E402

SMALL = os.environ.get("PSPO_LAB_BENCH_SIZE") == "small"
CLASSES = (1, 2) if SMALL else (20, 40)
#: Seconds from login to notebook 00 executed that 95% of a class should not exceed.
TARGET_P95 = 60


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="pspo-lab-class-hub-"))
    reports = {}
    with trial_hub(folder, folder / "hub.log") as (hub, course):
        link = hub_link(hub.url, course.url)
        for size in CLASSES:
            learners = run_class(hub, link, size, prefix=f"class{size}")
            reports[size] = report = summary(learners)
            print(f"{size} learners: {report['successes']} got through, started within "
                  f"{report['start_spread_s']} s; login to notebook 00 executed: "
                  f"p50 {report['p50_to_00_s']} s, p95 {report['p95_to_00_s']} s; "
                  f"{report['rss_mb_per_learner']} MiB per learner; machine load average "
                  f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
            for error in report["errors"]:
                print(f"  failure: {error}", flush=True)
            stop_servers(hub, learners)
    for bulky in ("hub", "checkout", "pspo-lab.git"):  # the learners' homes, the course
        shutil.rmtree(folder / bulky)
    (folder / "class_hub.json").write_text(json.dumps(reports, indent=2) + "\n")
    print(f"timings: {folder / 'class_hub.json'}; hub log: {folder / 'hub.log'}")
    for size, report in reports.items():
        p95 = report["p95_to_00_s"]
        print(f"RESULT hub_success_{size} ratio={report['successes'] / size:.2f} target>=1")
        # no learner through: counted as ten times the target
        print(f"RESULT hub_p95_{size} ratio={(p95 / TARGET_P95 if p95 else 10):.2f} target<=1")


if __name__ == "__main__":
    main()
