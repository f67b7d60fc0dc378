"""The worker's heartbeat: one row the Huey worker rewrites every minute, read by /healthz.

In the database rather than the cache: without Redis the cache is each process's own memory, so a web process
would never see the worker's beat."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    # One row per worker name; a deployment runs one consumer ("huey"), a second one would add its own row.
    name = models.CharField(_("worker"), max_length=64, unique=True)
    beat_at = models.DateTimeField(_("last heartbeat"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
