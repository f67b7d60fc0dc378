"""/healthz: is this web process able to serve, and is the background worker alive?

For a load balancer, systemd or a monitoring probe (answered by HealthzMiddleware, before the middleware meant for
people): no login, no data — only "ok" or what failed, and how long ago
the worker last beat. 200 when everything is ok, 503 naming the failing part otherwise."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from dieuhanh.ops.heartbeat import heartbeat_age, stale_after_seconds

logger = logging.getLogger(__name__)


def database_check() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError as exc:
        logger.error("healthz: database check failed: %s", exc)
        return False


def worker_check() -> tuple[str, float | None]:
    """("ok" | "stale" | "missing" | "unknown", seconds since the last beat)."""
    try:
        age = heartbeat_age()
    except DatabaseError:
        return "unknown", None  # the database check tells why
    if age is None:
        return "missing", None
    return ("ok" if age <= stale_after_seconds() else "stale"), age


@never_cache
@require_safe
def healthz(request):
    database_ok = database_check()
    worker, age = worker_check() if database_ok else ("unknown", None)
    body = {
        "status": "ok" if database_ok and worker == "ok" else "fail",
        "database": "ok" if database_ok else "error",
        "worker": worker,
        "worker_last_beat_seconds": None if age is None else round(age),
    }
    if body["status"] != "ok":
        logger.warning("healthz: %s", body, extra={"health": body})
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
