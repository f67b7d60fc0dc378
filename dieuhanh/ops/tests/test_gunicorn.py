"""The production server as deployed: gunicorn with gunicorn.conf.py (DEBUG off), its settings from the environment,
/healthz naming a database that does not answer, and its log lines — gunicorn's and the application's — each one
JSON object, one line per request."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PORT = 8046


def get(path: str) -> tuple[int, dict, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=30) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_for_port(deadline: float) -> None:
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", PORT)) == 0:
                return
        time.sleep(0.3)
    raise AssertionError("gunicorn did not listen")


def test_gunicorn_serves_healthz_and_logs_json_lines(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "LOG_FORMAT", "DATABASE_URL"}}
    env.update({
        "DJANGO_SETTINGS_MODULE": "dieuhanh.settings", "SECRET_KEY": "k" * 50, "SECURE_SSL_REDIRECT": "0",
        "PORT": str(PORT), "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "2", "DIEUHANH_VAR_DIR": str(tmp_path),
        # Nothing listens on port 9: the database check must fail, and say so, without a traceback to the client.
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
    })
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen([str(gunicorn), "-c", "gunicorn.conf.py"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_port(time.monotonic() + 120)
        status, headers, body = get("/healthz")
        assert status == 503
        assert body == {"status": "fail", "database": "error", "worker": "unknown", "worker_last_beat_seconds": None}
        assert headers["Server"] == "gunicorn"
        # A page that needs no database: CommonMiddleware adds the slash.
        request = urllib.request.Request(f"http://127.0.0.1:{PORT}/tasks", headers={"X-Request-ID": "abcd1234abcd1234"})
        opener = urllib.request.build_opener(NoRedirect)
        try:
            opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            assert error.code == 301 and error.headers["X-Request-ID"] == "abcd1234abcd1234"
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=60)
    lines = [line for line in stderr.splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    messages = [entry["message"] for entry in entries]
    assert any(m.startswith("Booting worker with pid") for m in messages)
    assert sum(m.startswith("Booting worker with pid") for m in messages) == 1  # WEB_CONCURRENCY=1
    assert any(e["logger"] == "dieuhanh.ops.views" and e["level"] == "ERROR" for e in entries)  # why it failed
    requests = [e for e in entries if e["logger"] == "dieuhanh.request"]
    assert len(requests) == 1  # the page, once (no gunicorn access line beside it); probes are not logged
    assert requests[0]["path"] == "/tasks" and requests[0]["status"] == 301
    assert requests[0]["request_id"] == "abcd1234abcd1234" and requests[0]["duration_ms"] >= 0
    assert not any(e["logger"] == "gunicorn.access" for e in entries)
