"""`record()`: the one way a row gets into the audit trail, used by the signals, the middleware and the value writer.

Recording never breaks what it records: a failure is logged and swallowed, inside a savepoint so that on PostgreSQL
the caller's transaction goes on. It is in the caller's transaction, though: a figure change rolled back leaves no
audit row, and an audit row is never without its change.

The request being served is kept in a context variable by AuditMiddleware, so that signals fired deep inside a
request (a role saved, a user's flags changed) still know the address and the path."""

from __future__ import annotations

import contextvars
import datetime
import decimal
import logging
import uuid

from django.db import models, transaction
from django.http import HttpRequest

from dieuhanh.audit.models import Action, AuditEvent

logger = logging.getLogger(__name__)
current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar("audit_request", default=None)

USER_AGENT_LENGTH = 200


def jsonable(value):
    """A value JSON can hold, readable on the page (dates as ISO text, Decimals without trailing zeros)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, uuid.UUID | models.Model):
        return str(value)
    return str(value)


def _unit_of(obj, user):
    """The unit an event belongs to: the object's own (a unit, or anything with an `orgunit`/`unit`), else the
    acting person's highest-placed role's."""
    from dieuhanh.orgunits.models import OrgUnit

    if isinstance(obj, OrgUnit):
        return obj.pk
    for attr in ("orgunit_id", "unit_id"):
        unit_id = getattr(obj, attr, None)
        if unit_id is not None:
            return unit_id
    if user is not None and getattr(user, "pk", None):
        from dieuhanh.accounts.models import RoleAssignment

        return (RoleAssignment.objects.filter(user_id=user.pk).order_by("orgunit__path")
                .values_list("orgunit_id", flat=True).first())
    return None


def _real_user(user):
    return user if user is not None and getattr(user, "is_authenticated", False) and user.pk else None


def event_build(action: str, *, request=None, user=None, obj=None, before=None, after=None, unit=None,
                text: str = "", username: str = "", object_type: str = "", object_id: str = "") -> AuditEvent:
    """The unsaved row (record() saves one; the value writer saves many at once)."""
    request = request if request is not None else current_request.get()
    if user is None and request is not None:
        user = getattr(request, "user", None)
    user = _real_user(user)
    from dieuhanh.accounts.lockout import client_ip

    is_model = isinstance(obj, models.Model)
    unit_id = unit.pk if isinstance(unit, models.Model) else unit
    if unit_id is None:
        unit_id = _unit_of(obj, user)
    return AuditEvent(
        action=action,
        user=user,
        username=(user.get_username() if user else username)[:150],
        unit_id=unit_id,
        ip=(client_ip(request) if request is not None else "")[:45],
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:USER_AGENT_LENGTH],
        object_type=(object_type or (obj._meta.label_lower if is_model else ""))[:100],
        object_id=(str(object_id or "") or (str(obj.pk) if is_model and obj.pk is not None else ""))[:64],
        object_text=(text or (str(obj) if obj is not None else ""))[:255],
        before=jsonable(before),
        after=jsonable(after),
        path=(request.get_full_path() if request is not None else "")[:500],
    )


def record(action: Action | str, *, request=None, user=None, obj=None, before=None, after=None, unit=None,
           text: str = "", username: str = "", object_type: str = "", object_id: str = "") -> AuditEvent | None:
    """Append one audit row; returns it, or None if it could not be written (logged, never raised)."""
    try:
        event = event_build(action, request=request, user=user, obj=obj, before=before, after=after, unit=unit,
                            text=text, username=username, object_type=object_type, object_id=object_id)
        with transaction.atomic():  # a savepoint: a failed insert leaves the caller's transaction usable
            event.save()
        return event
    except Exception:  # noqa: BLE001 -- the audited action must go on; the failure is in the log
        logger.exception("audit: could not record %s", action)
        return None
