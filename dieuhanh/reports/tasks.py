"""Background jobs of the reports app (Huey): build a requested document; every ten minutes, mark as failed the
documents a dead worker left queued or running, so that their page stops waiting."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .services import document_build, documents_stale_fail


@db_task()
def reports_document_build(document_id: int) -> int | None:
    document = document_build(document_id=document_id)
    return document.progress if document else None


@db_periodic_task(crontab(minute="*/10"))
def reports_documents_stale_fail() -> int:
    return documents_stale_fail()
