"""Alerts fixtures: a real HTTP receiver that records what it gets and answers as told, people's settings.

- `receiver` — an HTTP server on 127.0.0.1 in a thread: `receiver.base` (http://127.0.0.1:port),
  `receiver.requests` (each: path, headers, body bytes, json), `receiver.answers` (each (status, body bytes),
  answered in order; 200 with `receiver.default_body` when the list runs out)
- `sent` — runs the block's on-commit callbacks (Huey is immediate in tests: the deliveries go out there)
- `prefer(user, **settings)` → the person's NotificationPreference, through the service
- the tasks' fixtures of dieuhanh/assignments/tests/conftest.py (`make_task`, `finish`, `lead_reporter`, `office`...)
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dieuhanh.alerts.services import preference_update

# The tasks' fixtures (lead unit, office, make_task, finish...): alerts about tasks are tested on the same tasks.
from dieuhanh.assignments.tests.conftest import *  # noqa: F401,F403


class Receiver:
    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[tuple[int, bytes]] = []
        self.default_body = b'{"ok": true, "error": 0}'
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers.items()), "body": body,
                                          "json": json.loads(body or b"null")})
                status, reply = receiver.answers.pop(0) if receiver.answers else (200, receiver.default_body)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.close()


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def prefer(db):
    def make(user, channels=("in_app",), **kwargs):
        return preference_update(user=user, channels=channels, **kwargs)
    return make
