"""`make lab`: JupyterLab in French, without the news pop-up, with the project's kernel, also as root."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as answer:
        return json.loads(answer.read().decode("utf-8"))


def test_make_lab_opens_jupyterlab_in_french_without_news_and_with_the_project_kernel(tmp_path):
    lab, port = tmp_path / "lab", free_port()
    jupyter_home = {name: str(tmp_path / name.lower()) for name in
                    ("JUPYTER_RUNTIME_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "IPYTHONDIR")}
    server = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"LAB={lab}",
         f"LAB_ARGS=--no-browser --port={port} --IdentityProvider.token="],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        env={**os.environ, **jupyter_home},
    )
    try:
        deadline, languages = time.monotonic() + 420, None
        while languages is None and time.monotonic() < deadline and server.poll() is None:
            try:
                languages = get(port, "/lab/api/translations/")["data"]
            except OSError:
                time.sleep(1)
        assert languages is not None, "JupyterLab n'a pas démarré"
        assert languages["fr_FR"]["nativeName"] == "Français (France)"  # the language pack is installed
        locale = get(port, "/lab/api/settings/@jupyterlab/translation-extension:plugin")["schema"]["properties"]
        assert locale["locale"]["default"] == "fr_FR"  # and chosen for everyone
        news = get(port, "/lab/api/settings/@jupyterlab/apputils-extension:notification")["schema"]["properties"]
        assert news["fetchNews"]["default"] == "false" and news["checkForUpdates"]["default"] is False
        kernels = get(port, "/api/kernelspecs")["kernelspecs"]
        assert kernels["python3"]["spec"]["display_name"] == "Python 3 (imilo-audit)"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=60)[0]
    if os.getuid() == 0:  # a quality officer's VM often runs as root: allowed, with a French warning
        assert "compte administrateur (root)" in output
        assert "Running as root is not recommended" not in output
