"""Simulated learners of a JupyterHub class, driven through the hub's and Jupyter's REST APIs.

Each learner does what a learner's browser does, in order:

1. logs in: asks the hub's REST API for a token with its name and the class password,
   and sends the login form for the cookie the hub's pages need;
2. starts its server and follows the hub's progress events until it is ready;
3. opens the ``pspo-lab cohort link``: the hub redirects to the learner's server, whose
   nbgitpuller page is served; the pull itself runs through nbgitpuller's event stream,
   as the page's script would; then the notebook the link points at is opened;
4. executes notebook 00, then a module notebook, cell by cell, over the kernel websocket
   (messages built with ``jupyter_client.session.Session``).

All learners wait at a barrier and start together. Timings are seconds since the learner's
own start; memory is the resident size of its server and kernel at the end.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from urllib.parse import parse_qs, urlsplit

import psutil
import requests
import websocket
from hub_trial import TrialHub
from jupyter_client.jsonutil import json_default
from jupyter_client.session import Session

NOTEBOOKS = ("notebooks/00_welcome.ipynb", "notebooks/01_product_vs_project.ipynb")
#: Seconds any one request, pull or notebook may take before the learner counts as failed.
STEP_TIMEOUT = 900
#: Below this much free memory, learners stop: the machine is shared with other work.
MEMORY_FLOOR = 1.5 * 2**30


class LearnerFailed(RuntimeError):
    """One step of a learner went wrong (the message names the step)."""


@dataclass
class Learner:
    """One learner's run: what it reached, when, and what it saw.

    ``started`` is a :func:`time.monotonic` reading; ``seconds`` counts from it.
    """

    name: str
    started: float = 0.0
    seconds: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    rss_mb: float | None = None
    outputs: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None and len(self.outputs) == len(NOTEBOOKS)


def _events(response: requests.Response):
    """The JSON payloads of a server-sent event stream."""
    for line in response.iter_lines(decode_unicode=True):
        if line and line.startswith("data:"):
            yield json.loads(line[len("data:"):])


def _check(response: requests.Response, step: str) -> requests.Response:
    if not response.ok:
        raise LearnerFailed(f"{step}: HTTP {response.status_code} at {response.url}")
    return response


def _text(content: dict) -> str:
    if "text" in content:
        return content["text"]
    data = content.get("data", {})
    return data.get("text/plain", "")


def execute_notebook(http: requests.Session, base: str, token: str, path: str,
                     before_shutdown: Callable[[], None] | None = None) -> str:
    """Run every code cell of the notebook at ``path`` on a new kernel; its printed text.

    The kernel is shut down afterwards, as a learner closing the notebook would; with every
    cell done, ``before_shutdown`` is called first.
    """
    notebook = _check(http.get(f"{base}/api/contents/{path}", timeout=STEP_TIMEOUT),
                      f"open {path}").json()["content"]
    session = _check(http.post(f"{base}/api/sessions", timeout=STEP_TIMEOUT, json={
        "path": path, "type": "notebook", "name": path.rsplit("/", 1)[-1],
        "kernel": {"name": "python3"}}), f"start a kernel for {path}").json()
    kernel = session["kernel"]["id"]
    messages = Session(username="learner")
    socket = websocket.create_connection(
        f"ws{base.removeprefix('http')}/api/kernels/{kernel}/channels"
        f"?session_id={messages.session}", header=[f"Authorization: token {token}"],
        timeout=STEP_TIMEOUT)
    printed = []
    try:
        _run_cells(socket, messages, notebook, path, printed)
        if before_shutdown is not None:
            before_shutdown()
    except websocket.WebSocketException as error:
        raise LearnerFailed(f"{path}: the kernel's connection ended ({error})") from None
    finally:
        socket.close()
        http.delete(f"{base}/api/sessions/{session['id']}", timeout=STEP_TIMEOUT)
    return "\n".join(printed)


def _run_cells(socket: websocket.WebSocket, messages: Session, notebook: dict, path: str,
               printed: list[str]) -> None:
    """Execute the code cells in order, adding what they print to ``printed``."""
    for number, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        request = messages.msg("execute_request", {
            "code": cell["source"], "silent": False, "store_history": True,
            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        request["channel"] = "shell"
        socket.send(json.dumps(request, default=json_default))
        replied = idle = False
        while not (replied and idle):
            message = json.loads(socket.recv())
            state = message["content"].get("execution_state") if message.get(
                "msg_type") == "status" else None
            if state in ("dead", "restarting"):
                raise LearnerFailed(f"{path} cell {number}: the kernel is {state}")
            if message.get("parent_header", {}).get("msg_id") != request["header"]["msg_id"]:
                continue
            kind = message["msg_type"]
            if kind == "error":
                raise LearnerFailed(f"{path} cell {number}: {message['content']['ename']}: "
                                    f"{message['content']['evalue']}")
            if kind in ("stream", "execute_result", "display_data"):
                printed.append(_text(message["content"]))
            replied = replied or kind == "execute_reply"
            idle = idle or (kind == "status"
                            and message["content"]["execution_state"] == "idle")


def _memory_mb(hub: TrialHub, name: str) -> float:
    """Resident memory of the learner's server and kernels, in MiB."""
    total = 0
    for process in hub.processes():
        try:
            if process.environ().get("JUPYTERHUB_USER") == name:
                total += process.memory_info().rss
        except psutil.Error:
            continue
    return round(total / 2**20, 1)


def _learn(hub: TrialHub, link: str, learner: Learner, shutdown: threading.Event) -> None:
    def step(name: str) -> None:
        learner.seconds[name] = round(time.monotonic() - learner.started, 2)
        if shutdown.is_set():
            raise LearnerFailed(f"stopped after {name}: the machine ran short of memory")

    http = requests.Session()
    url = f"{hub.url}/hub/api/users/{learner.name}"
    credentials = {"username": learner.name, "password": hub.password}
    token = _check(http.post(f"{url}/tokens", timeout=STEP_TIMEOUT, json={
        "auth": credentials, "note": "class"}), "log in").json()["token"]
    # the hub's pages (the link is one) know the browser by the cookie of its login form
    _check(http.get(f"{hub.url}/hub/login", timeout=STEP_TIMEOUT), "open the login page")
    form = credentials | {"_xsrf": http.cookies.get("_xsrf", "")}
    login = http.post(f"{hub.url}/hub/login", data=form, allow_redirects=False,
                      timeout=STEP_TIMEOUT)
    if login.status_code != 302:
        raise LearnerFailed(f"log in: HTTP {login.status_code} from the login form")
    http.headers["Authorization"] = f"token {token}"
    step("logged_in")
    _check(http.post(f"{url}/server", timeout=STEP_TIMEOUT), "start the server")
    with http.get(f"{url}/server/progress", stream=True, timeout=STEP_TIMEOUT) as progress:
        for event in _events(_check(progress, "wait for the server")):
            if event.get("failed"):
                raise LearnerFailed(f"server start: {event.get('message')}")
            if event.get("ready"):
                break
        else:
            raise LearnerFailed("server start: progress ended before the server was ready")
    step("server_ready")
    page = _check(http.get(link, timeout=STEP_TIMEOUT), "open the link")
    base = f"{hub.url}/user/{learner.name}"
    if not page.url.startswith(f"{base}/git-pull?"):
        raise LearnerFailed(f"open the link: landed on {page.url}")
    query = {key: values[0] for key, values in parse_qs(urlsplit(link).query).items()}
    pull = {key: query[key] for key in ("repo", "branch", "targetpath")}
    with http.get(f"{base}/git-pull/api", params=pull, stream=True,
                  timeout=STEP_TIMEOUT) as events:
        phases = [event for event in _events(_check(events, "pull the course"))
                  if event.get("phase") in ("finished", "error")]
    if not phases or phases[-1]["phase"] != "finished":
        raise LearnerFailed(f"pull the course: {phases[-1]['message'] if phases else 'no end'}")
    _check(http.get(f"{base}/{query['urlpath']}", timeout=STEP_TIMEOUT), "open notebook 00")
    step("pulled")
    folder = query["targetpath"]
    for number, notebook in enumerate(NOTEBOOKS):
        learner.outputs[notebook] = execute_notebook(
            http, base, token, f"{folder}/{notebook}",
            before_shutdown=lambda: setattr(learner, "rss_mb", _memory_mb(hub, learner.name)))
        step(f"notebook_{number}")


def _memory_guard(done: threading.Event, shutdown: threading.Event) -> None:
    while not done.wait(1):
        if psutil.virtual_memory().available < MEMORY_FLOOR:
            shutdown.set()


def run_class(hub: TrialHub, link: str, size: int, prefix: str = "learner") -> list[Learner]:
    """``size`` learners (created by the service first) run at once; each one's record."""
    learners = [Learner(f"{prefix}-{number:02d}") for number in range(1, size + 1)]
    hub.api("POST", "/users", json={"usernames": [learner.name for learner in learners]})
    barrier = threading.Barrier(size)
    done, shutdown = threading.Event(), threading.Event()

    def run(learner: Learner) -> None:
        barrier.wait()
        learner.started = time.monotonic()
        try:
            _learn(hub, link, learner, shutdown)
        except Exception as error:  # noqa: BLE001 - every failure is one learner's result
            learner.error = f"{type(error).__name__}: {error}".splitlines()[0]

    guard = threading.Thread(target=_memory_guard, args=(done, shutdown), daemon=True)
    guard.start()
    threads = [threading.Thread(target=run, args=(learner,)) for learner in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    return learners


def stop_servers(hub: TrialHub, learners: list[Learner], deadline: float = 300) -> None:
    """Stop every learner's server through the service and wait until all are gone."""
    for learner in learners:
        hub.api("DELETE", f"/users/{learner.name}/server")
    until = time.monotonic() + deadline
    while any(hub.api("GET", f"/users/{learner.name}").json()["servers"]
              for learner in learners):
        if time.monotonic() > until:
            raise RuntimeError(f"servers still running {deadline} s after being stopped")
        time.sleep(0.5)  # the hub has no event for "all stopped": ask it again


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile (0-1) of ``values``, interpolated; the value itself for one."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def summary(learners: list[Learner]) -> dict:
    """Successes, start spread, p50/p95 of login to notebook 00 done, memory per learner."""
    ok = [learner for learner in learners if learner.ok]
    to_00 = [learner.seconds["notebook_0"] for learner in ok]
    memory = [learner.rss_mb for learner in ok if learner.rss_mb]
    starts = [learner.started for learner in learners]
    return {
        "learners": len(learners), "successes": len(ok),
        "start_spread_s": round(max(starts) - min(starts), 3),
        "p50_to_00_s": round(percentile(to_00, 0.5), 2) if to_00 else None,
        "p95_to_00_s": round(percentile(to_00, 0.95), 2) if to_00 else None,
        "rss_mb_per_learner": round(statistics.mean(memory), 1) if memory else None,
        "errors": sorted({learner.error for learner in learners if learner.error}),
        "runs": [asdict(learner) | {"started": round(learner.started - min(starts), 3),
                                    "outputs": None} for learner in learners],
    }
