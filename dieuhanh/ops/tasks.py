"""The worker's heartbeat: written when the consumer starts (so /healthz is green at once after a start, not a
minute later) and every minute after."""

from __future__ import annotations

import logging

from django.db import close_old_connections
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, on_startup

from dieuhanh.ops.heartbeat import heartbeat_record

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def worker_heartbeat() -> None:
    heartbeat_record()


@on_startup()
def worker_heartbeat_on_start() -> None:
    # Runs in each worker thread of the consumer; a failure (database not there yet) must not stop the thread:
    # the periodic beat will come a minute later.
    try:
        heartbeat_record()
    except Exception as exc:  # noqa: BLE001
        logger.warning("worker heartbeat at start failed: %s", exc)
    finally:
        close_old_connections()
