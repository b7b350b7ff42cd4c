"""A trial JupyterHub on 127.0.0.1, installed and started as README.md tells an administrator.

Shared by ``tests/test_class_hub.py`` (three learners) and ``benchmarks/class_hub.py`` (a
class of 20, then 40). The README's ``<!-- hub: ... -->`` blocks are run as they are:

* ``trial install``: a virtual environment with ``jupyterhub`` and, from npm,
  ``configurable-http-proxy``. It lives outside the checkout, in the temp folder, keyed by
  the block and ``binder/requirements.txt``, so the test and the benchmark share one;
* ``course install``: the course's pinned dependencies, ``nbgitpuller`` and ``pspo_lab``,
  run in a clone of the commit under test (with any uncommitted changes to tracked files);
* ``trial config``: written as ``jupyterhub_config.py``, followed by what only a test
  needs: free ports, a service token with the ``admin:users``, ``admin:servers`` and
  ``access:servers`` scopes, and a marker in every server's environment;
* ``trial start``: the hub, in its own process group.

The learners pull the course from a bare git repository of that same commit, through its
``file://`` URL. Every process the hub starts (proxy, learners' servers, their kernels)
carries the marker, so :meth:`TrialHub.stop` ends them all, also after a failure.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import psutil
import requests
from filelock import FileLock
from repo_paths import REPO_ROOT

README = REPO_ROOT / "README.md"
#: The environment variable every process of one trial hub carries (value: the run's id).
MARKER = "PSPO_LAB_HUB_RUN"
SERVICE = "class-test"
SERVICE_SCOPES = ["admin:users", "admin:servers", "access:servers"]
#: The password of the README's trial configuration.
PASSWORD_LINE = re.compile(r'^c\.DummyAuthenticator\.password = "([^"]+)"$', re.MULTILINE)
#: The learners' runtime folders of the README's config: a prefix, then the learner's name.
RUNTIME_FOLDER = re.compile(
    r'"JUPYTER_RUNTIME_DIR": lambda spawner: f"([^"{]+)\{spawner\.user\.name\}"')


class HubError(RuntimeError):
    """The hub could not be installed, started or asked."""


def readme_block(name: str) -> str:
    """The fenced block of README.md that follows ``<!-- hub: NAME ...-->``."""
    text = README.read_text(encoding="utf-8")
    marker = text.find(f"<!-- hub: {name} ")
    if marker < 0:
        raise HubError(f"README.md has no block marked 'hub: {name}'")
    fence = text.index("```", marker)
    body = text.index("\n", fence) + 1
    return text[body:text.index("```", body)]


def missing_tools() -> list[str]:
    """The programs the trial hub needs that this machine lacks."""
    return [tool for tool in ("git", "node", "npm") if shutil.which(tool) is None]


def _run(command: list[str] | str, log: Path, **kwargs) -> None:
    """Run ``command``, appending its output to ``log``; raise with the output's tail."""
    with log.open("a", encoding="utf-8") as out:
        out.write(f"$ {command if isinstance(command, str) else ' '.join(command)}\n")
        out.flush()
        done = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, text=True,
                              stdin=subprocess.DEVNULL, check=False, **kwargs)
    if done.returncode != 0:
        tail = "\n".join(log.read_text(encoding="utf-8").splitlines()[-30:])
        raise HubError(f"exit status {done.returncode} of {command!r}; log ends:\n{tail}")


def _git(*args: str, log: Path) -> None:
    _run(["git", "-c", "user.name=pspo-lab tests", "-c", "user.email=tests@example.org",
          *args], log)


@dataclass(frozen=True)
class Course:
    """The commit under test: a bare repository to pull from and a checkout to install."""

    url: str
    checkout: Path


def course_snapshot(folder: Path, log: Path) -> Course:
    """The checkout's commit (plus uncommitted changes to tracked files) as branch ``main``."""
    stash = subprocess.run(["git", "-c", "user.name=pspo-lab tests", "-c",
                            "user.email=tests@example.org", "stash", "create"], cwd=REPO_ROOT,
                           capture_output=True, text=True, check=True).stdout.strip()
    commit = stash or "HEAD"
    bare = folder / "pspo-lab.git"
    _git("init", "-q", "--bare", str(bare), log=log)
    _git("-C", str(bare), "config", "receive.shallowUpdate", "true", log=log)
    _git("-C", str(REPO_ROOT), "push", "-q", str(bare), f"{commit}:refs/heads/main", log=log)
    checkout = folder / "checkout"
    _git("clone", "-q", "--branch", "main", str(bare), str(checkout), log=log)
    return Course(url=bare.as_uri(), checkout=checkout)


def _clean_environment(userenv: Path) -> dict[str, str]:
    """This process's environment without its Python settings, plus ``USERENV``."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PSPO_LAB_WORKSPACE", "MPLBACKEND")}
    return env | {"USERENV": str(userenv)}


def userenv_folder() -> Path:
    """Where the trial install lives: the temp folder, one per version of what it installs."""
    key = hashlib.sha256((readme_block("trial install")
                          + (REPO_ROOT / "binder" / "requirements.txt").read_text())
                         .encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"pspo-lab-hub-{key}"


def install(userenv: Path, course: Course, log: Path) -> None:
    """README's trial install (once per ``userenv``), then its course install."""
    env = _clean_environment(userenv)
    stamp = userenv / ".pspo-lab-trial-installed"
    if not stamp.exists():
        shutil.rmtree(userenv, ignore_errors=True)
        _run(["bash", "-euo", "pipefail", "-c", readme_block("trial install")], log,
             cwd=course.checkout, env=env)
        stamp.write_text("ok\n")
    _run(["bash", "-euo", "pipefail", "-c", readme_block("course install")], log,
         cwd=course.checkout, env=env)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TrialHub:
    """The README's trial hub in ``folder``, with a service token for the test.

    Parameters
    ----------
    userenv
        The installed environment (see :func:`install`).
    folder
        An empty folder: configuration, database and the learners' homes go there.
    log
        File that receives the output of the hub, the proxy and the learners' servers.
    """

    def __init__(self, userenv: Path, folder: Path, log: Path) -> None:
        self.userenv, self.folder, self.log = userenv, folder, log
        self.run_id = secrets.token_hex(8)
        self.token = secrets.token_hex(24)
        self.url = f"http://127.0.0.1:{_free_port()}"
        self.password = PASSWORD_LINE.search(readme_block("trial config")).group(1)
        self.process: subprocess.Popen | None = None

    def _config(self) -> str:
        extra = [
            f"c.JupyterHub.bind_url = {self.url!r}",
            f"c.JupyterHub.hub_bind_url = 'http://127.0.0.1:{_free_port()}'",
            f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{_free_port()}'",
            f"c.JupyterHub.services = [{{'name': {SERVICE!r}, 'api_token': {self.token!r}}}]",
            f"c.JupyterHub.load_roles = [{{'name': {SERVICE!r}, 'scopes': {SERVICE_SCOPES!r},"
            f" 'services': [{SERVICE!r}]}}]",
            f"c.Spawner.environment.update({{{MARKER!r}: {self.run_id!r}}})",
        ]
        return readme_block("trial config") + "\n# added by tests/hub_trial.py\n" + \
            "\n".join(extra) + "\n"

    def start(self, deadline: float = 120) -> None:
        """Start the hub and wait until its API answers through the proxy."""
        (self.folder / "jupyterhub_config.py").write_text(self._config(), encoding="utf-8")
        env = _clean_environment(self.userenv) | {MARKER: self.run_id}
        with self.log.open("a", encoding="utf-8") as out:
            self.process = subprocess.Popen(
                ["bash", "-c", readme_block("trial start")], cwd=self.folder, env=env,
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True)
        until = time.monotonic() + deadline
        while True:
            if self.process.poll() is not None:
                raise HubError(f"the hub exited with status {self.process.returncode}; "
                               f"see {self.log}")
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=5).ok:
                    return
            except requests.ConnectionError:
                pass
            if time.monotonic() > until:
                raise HubError(f"the hub did not answer within {deadline} s; see {self.log}")
            time.sleep(0.25)  # polling the port: the hub has no other way to say it is up

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """A call to the hub's REST API with the service's token."""
        response = requests.request(method, f"{self.url}/hub/api{path}", timeout=120,
                                    headers={"Authorization": f"token {self.token}"}, **kwargs)
        if not response.ok:
            raise HubError(f"{method} {path}: {response.status_code} {response.text[:200]}")
        return response

    def processes(self) -> list[psutil.Process]:
        """Every live process of this hub: the hub, its proxy, servers and kernels."""
        found = []
        for process in psutil.process_iter():
            try:
                if process.environ().get(MARKER) == self.run_id:
                    found.append(process)
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
        return found

    def stop(self) -> None:
        """Stop the hub (which stops the servers and the proxy), end any leftover, and remove
        the learners' runtime folders the README's config puts in /tmp."""
        prefix = RUNTIME_FOLDER.search(readme_block("trial config")).group(1)
        folders: list[Path] = []
        with suppress(requests.RequestException, HubError):  # a hub that never came up
            folders = [Path(f"{prefix}{user['name']}") for user in self.api("GET", "/users").json()]
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        leftovers = self.processes()
        for process in leftovers:
            with suppress(psutil.NoSuchProcess):
                process.terminate()
        _, alive = psutil.wait_procs(leftovers, timeout=15)
        for process in alive:
            with suppress(psutil.NoSuchProcess):
                process.kill()
        psutil.wait_procs(alive, timeout=15)
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def trial_hub(folder: Path, log: Path) -> Iterator[tuple[TrialHub, Course]]:
    """Install (or reuse) the trial hub, start it in ``folder``; stop everything after.

    The install is locked for the hub's whole life: a second hub on the same install waits.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("", encoding="utf-8")
    userenv = userenv_folder()
    with FileLock(f"{userenv}.lock"):
        course = course_snapshot(folder, log)
        install(userenv, course, log)
        home = folder / "hub"
        home.mkdir()
        hub = TrialHub(userenv, home, log)
        try:
            hub.start()
            yield hub, course
        finally:
            hub.stop()
