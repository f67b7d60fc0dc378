"""Webhook fixtures: a real HTTP receiver, keys of an external system, subscriptions.

- `receiver` — an HTTP server on 127.0.0.1 in a thread, started for the test: `receiver.url`, `receiver.requests`
  (each: path, headers, body bytes, json), `receiver.answers` (statuses, or (status, headers) or (status, headers,
  delay seconds), answered in order; 200 when the list runs out), `receiver.by_path` (path → such a list)
- `system` — "Hệ thống một cửa điện tử tỉnh" (ApiClient); `client_key(root, access="read")` → its ApiKey
- `subscribe(key, events, url=None)` → (subscription, secret), to the receiver by default
- `sent` — runs the block's on-commit callbacks (Huey is immediate in tests: the deliveries go out there)
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dieuhanh.accounts.keys import apiclient_create, apikey_create
from dieuhanh.webhooks.services import subscription_create


class Receiver:
    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list = []
        self.by_path: dict[str, list] = {}  # answers for one path, before `answers`
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers.items()), "body": body,
                                          "json": json.loads(body or b"null")})
                queue = receiver.by_path.get(self.path, receiver.answers)
                answer = queue.pop(0) if queue else 200
                status, headers, delay = (answer, {}, 0) if isinstance(answer, int) else (*answer, 0)[:3]
                if delay:
                    time.sleep(delay)
                reply = b'{"error": "gone"}' if status >= 400 else b"ok"
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply)))
                    self.end_headers()
                    self.wfile.write(reply)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the sender gave up waiting (a timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/dieuhanh"
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
def system(db, admin_user):
    return apiclient_create(name="Hệ thống một cửa điện tử tỉnh", contact="vnpt@tayninh.gov.vn", created_by=admin_user)


@pytest.fixture
def client_key(system, admin_user):
    def make(root, access="read", **kwargs):
        return apikey_create(client=system, created_by=admin_user, root=root, access=access, **kwargs)[0]
    return make


@pytest.fixture
def subscribe(receiver):
    def make(key, events, url=None):
        return subscription_create(key=key, url=url or receiver.url, events=events)
    return make


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)
