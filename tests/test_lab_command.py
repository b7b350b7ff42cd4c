"""README's first command really starts JupyterLab and serves the welcome notebook."""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest
from repo_paths import REPO_ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


def landing_url(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.geturl()


@pytest.mark.slow
def test_run_lab_serves_the_welcome_notebook(tmp_path):
    port, token = free_port(), "pspo-lab-test"
    env = os.environ | {"JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
                        "JUPYTER_CONFIG_DIR": str(tmp_path / "config")}
    server = subprocess.Popen(
        [str(REPO_ROOT / "run"), "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={token}", "--ServerApp.open_browser=False"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # polls: a busy machine only makes it later
        while True:
            try:
                status, body = get(f"{base}/api/contents/notebooks/00_welcome.ipynb"
                                   f"?token={token}")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()[-2000:]
                assert time.monotonic() < deadline, "JupyterLab did not start in 300 s"
                time.sleep(1)
        notebook = json.loads(body)
        assert status == 200 and notebook["type"] == "notebook"
        assert notebook["content"]["cells"][0]["source"].startswith("# 00 · Welcome")
        status, page = get(f"{base}/lab/tree/notebooks/00_welcome.ipynb?token={token}")
        assert status == 200 and b"JupyterLab" in page
        assert landing_url(f"{base}/?token={token}").split("?")[0].endswith(
            "/lab/tree/notebooks/00_welcome.ipynb"), "the course opens on the welcome notebook"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
