"""/healthz answered before everything else, and one log line per request (logger "dieuhanh.request": method,
path, status, duration, request id, client and user id). It is the only access log: gunicorn's own access log stays
off (gunicorn.conf.py), so a request is never logged twice. The query string is left out: it may carry tokens or
personal search terms."""

from __future__ import annotations

import logging
import re
import time
import uuid

from dieuhanh.accounts.lockout import client_ip
from dieuhanh.ops.logs import request_id_var
from dieuhanh.ops.views import healthz

logger = logging.getLogger("dieuhanh.request")

# nginx's $request_id is 32 hex digits; anything else sent by a client is replaced, never written into the log as is.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class HealthzMiddleware:
    """/healthz is answered here, first in MIDDLEWARE, not through the URLs: a probe asks by the machine's address
    (not in ALLOWED_HOSTS), over plain HTTP (no redirect to HTTPS), every few seconds (no session looked up, no line
    in the request log — a failure is logged by the view), and no middleware meant for people (a password to
    change, two-factor login) may send it elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        response.headers.setdefault("X-Request-ID", request_id)
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        level = logging.ERROR if response.status_code >= 500 else logging.INFO
        logger.log(level, "%s %s %s %.1f ms", request.method, request.path, response.status_code, duration_ms,
                   extra={"request_id": request_id, "method": request.method, "path": request.path,
                          "status": response.status_code, "duration_ms": duration_ms,
                          "client": client_ip(request), "user_id": user_id})
        return response
