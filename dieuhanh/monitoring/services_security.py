"""Writes of the information-security incident register: record, edit, move through the response steps, record the
reports sent.

Every function is keyword-only and atomic. Bad input raises `ValidationError` keyed by field, so the form puts the
message next to the field; an action the user may not take raises `PermissionDenied` (views answer 404). Every
step is a `SecurityIncidentEvent` row; nothing is deleted.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dieuhanh.monitoring.models import System
from dieuhanh.monitoring.models_security import SecurityIncident, SecurityIncidentEvent
from dieuhanh.monitoring.selectors_security import (
    security_can_manage,
    security_systems_choosable,
    security_units_managed,
)

Status = SecurityIncident.Status
Kind = SecurityIncidentEvent.Kind

# What an edit may change. The status moves only through security_incident_advance, and the reports' numbers
# through security_incident_record_report, so each of those is an event of its own.
EDITABLE_FIELDS = (
    "orgunit", "reporter_name", "reporter_address", "reporter_phone", "reporter_email",
    "contact_name", "contact_position", "contact_phone", "contact_email",
    "operating_unit", "owner_agency", "affected_addresses", "providers",
    "title", "incident_type", "description", "symptoms", "impact", "detected_at", "detection_method", "notified_to",
    "serious", "serious_reason", "confidential",
    "measures", "supporters", "initial_result", "result", "proposals", "response_ended_at",
)
TEXT_FIELDS = tuple(
    name for name in EDITABLE_FIELDS if name not in {"orgunit", "detected_at", "serious", "confidential",
                                                     "response_ended_at"}
)


def default_reporter_name(orgunit) -> str:
    """The reporting organisation's name: the province's setting if there is one, else the reporting unit's."""
    return getattr(settings, "SECURITY_INCIDENT_REPORTER", "") or orgunit.name


def _event(*, incident: SecurityIncident, kind: str, user, note: str = "", old_status: str = "",
           new_status: str = "") -> SecurityIncidentEvent:
    return SecurityIncidentEvent.objects.create(
        incident=incident, kind=kind, actor=user, note=note, old_status=old_status, new_status=new_status,
    )


def _check_unit(user, orgunit) -> None:
    if orgunit is None:
        raise ValidationError({"orgunit": _("Choose the reporting unit.")})
    if not security_units_managed(user).filter(pk=orgunit.pk).exists():
        raise PermissionDenied


def _check_systems(user, systems: Iterable[System]) -> list[System]:
    systems = list(systems or ())
    allowed = set(security_systems_choosable(user).filter(pk__in=[s.pk for s in systems]).values_list(
        "pk", flat=True))
    outside = [s.name for s in systems if s.pk not in allowed]
    if outside:
        raise ValidationError({"systems": _("You may not name these systems: %(names)s.") % {
            "names": ", ".join(outside)}})
    return systems


def _locked(incident: SecurityIncident) -> SecurityIncident:
    """The incident re-read under a row lock, so two operators cannot act on a stale copy."""
    return SecurityIncident.objects.select_for_update().get(pk=incident.pk)


@transaction.atomic
def security_incident_create(
    *, user, orgunit, title: str, incident_type: str, description: str, detected_at: datetime.datetime,
    detection_method: str, contact_name: str, contact_phone: str, operating_unit: str,
    systems: Iterable[System] = (), reporter_name: str = "", reporter_address: str = "", reporter_phone: str = "",
    reporter_email: str = "", contact_position: str = "", contact_email: str = "", owner_agency: str = "",
    affected_addresses: str = "", providers: str = "", symptoms: str = "", impact: str = "", notified_to: str = "",
    serious: bool = False, serious_reason: str = "", confidential: bool = False, measures: str = "",
    supporters: str = "", initial_result: str = "", result: str = "", proposals: str = "", note: str = "",
) -> SecurityIncident:
    """Record a newly detected incident as received (TT 20/2017 Điều 11, step 1). Whether it is serious is the
    operator's judgement (QĐ 05/2017 Điều 9) and needs its reason; nothing here decides it."""
    _check_unit(user, orgunit)
    systems = _check_systems(user, systems)
    values = {
        "reporter_name": reporter_name, "reporter_address": reporter_address, "reporter_phone": reporter_phone,
        "reporter_email": reporter_email, "contact_name": contact_name, "contact_position": contact_position,
        "contact_phone": contact_phone, "contact_email": contact_email, "operating_unit": operating_unit,
        "owner_agency": owner_agency, "affected_addresses": affected_addresses, "providers": providers,
        "title": title, "incident_type": incident_type, "description": description, "symptoms": symptoms,
        "impact": impact, "detection_method": detection_method, "notified_to": notified_to,
        "serious_reason": serious_reason, "measures": measures, "supporters": supporters,
        "initial_result": initial_result, "result": result, "proposals": proposals,
    }
    values = {name: (value or "").strip() for name, value in values.items()}
    values["reporter_name"] = values["reporter_name"] or default_reporter_name(orgunit)
    incident = SecurityIncident(
        orgunit=orgunit, detected_at=detected_at, serious=bool(serious), confidential=bool(confidential),
        status=Status.RECEIVED, created_by=user, **values,
    )
    incident.full_clean()
    incident.save()
    incident.systems.set(systems)
    _event(incident=incident, kind=Kind.CREATED, user=user, new_status=Status.RECEIVED, note=(note or "").strip())
    return incident


@transaction.atomic
def security_incident_update(*, user, incident: SecurityIncident, systems: Iterable[System] | None = None,
                             note: str = "", **changes) -> SecurityIncident:
    """Change an incident's details. The event names the fields that changed (their labels), not their values:
    the register may be confidential, the timeline is read by more people."""
    if not security_can_manage(user, incident):
        raise PermissionDenied
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"security_incident_update() got unexpected fields: {', '.join(sorted(unknown))}")
    incident = _locked(incident)
    if "orgunit" in changes and changes["orgunit"] != incident.orgunit:
        _check_unit(user, changes["orgunit"])
    for name in TEXT_FIELDS:
        if name in changes:
            changes[name] = (changes[name] or "").strip()
    if "reporter_name" in changes and not changes["reporter_name"]:
        changes["reporter_name"] = default_reporter_name(changes.get("orgunit") or incident.orgunit)
    changed = [name for name, value in changes.items() if getattr(incident, name) != value]
    for name in changed:
        setattr(incident, name, changes[name])
    if systems is not None:
        systems = _check_systems(user, systems)
        if {s.pk for s in systems} != set(incident.systems.values_list("pk", flat=True)):
            changed.append("systems")
    if not changed and not (note or "").strip():
        return incident
    incident.full_clean()
    incident.save()
    if systems is not None:
        incident.systems.set(systems)
    labels = [str(SecurityIncident._meta.get_field(name).verbose_name) for name in changed]
    text = _("Changed: %(fields)s.") % {"fields": ", ".join(labels)} if labels else ""
    _event(incident=incident, kind=Kind.EDITED, user=user, note="\n".join(filter(None, [text, (note or "").strip()])))
    return incident


@transaction.atomic
def security_incident_advance(*, user, incident: SecurityIncident, status: str, note: str = "",
                              ended_at: datetime.datetime | None = None) -> SecurityIncident:
    """Move the incident to the next response step (TT 20/2017 Điều 11). Closing it ends the response at
    `ended_at` (default now): the closing report's 5 days count from there."""
    if not security_can_manage(user, incident):
        raise PermissionDenied
    incident = _locked(incident)
    old = incident.status
    if status not in Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status not in incident.next_statuses():
        raise ValidationError({"status": _("The incident cannot go from “%(old)s” to “%(new)s”.") % {
            "old": Status(old).label, "new": Status(status).label}})
    incident.status = status
    if status == Status.CLOSED:
        incident.response_ended_at = ended_at or timezone.now()
        if not incident.result.strip() and not (note or "").strip():
            raise ValidationError({"note": _("Write the handling result before closing the incident.")})
        if not incident.result.strip():
            incident.result = note.strip()
    incident.full_clean()
    incident.save()
    _event(incident=incident, kind=Kind.STATUS, user=user, old_status=old, new_status=status,
           note=(note or "").strip())
    return incident


REPORT_KINDS = ("initial", "closing")


@transaction.atomic
def security_incident_record_report(*, user, incident: SecurityIncident, kind: str, number: str,
                                    date: datetime.date) -> SecurityIncident:
    """Record the number and date of the initial report (Mẫu 03) or the closing report (Mẫu 04) as sent. The
    closing report is sent after the response ends (TT 20/2017 Điều 9.2b), so only a closed incident takes one."""
    if not security_can_manage(user, incident):
        raise PermissionDenied
    if kind not in REPORT_KINDS:
        raise ValidationError({"kind": _("Unknown report.")})
    incident = _locked(incident)
    number = (number or "").strip()
    errors = {}
    if not number:
        errors["number"] = _("Enter the report's number, for example 12/BC-STTTT.")
    if date is None:
        errors["date"] = _("Enter the report's date.")
    elif date > timezone.localdate():
        errors["date"] = _("The report's date %(date)s is in the future.") % {"date": date_format(date, "d/m/Y")}
    if kind == "closing" and incident.status != Status.CLOSED:
        errors["kind"] = _("The closing report is sent after the response ends: close the incident first.")
    if errors:
        raise ValidationError(errors)
    setattr(incident, f"{kind}_report_number", number)
    setattr(incident, f"{kind}_report_date", date)
    try:
        incident.full_clean()
    except ValidationError as exc:
        # The model names its own fields; the form has "date".
        raise ValidationError({"date": [m for ms in exc.message_dict.values() for m in ms]}) from exc
    incident.save()
    label = _("Initial report") if kind == "initial" else _("Closing report")
    _event(incident=incident, kind=Kind.REPORT, user=user,
           note=_("%(report)s no. %(number)s of %(date)s") % {
               "report": label, "number": number, "date": date_format(date, "d/m/Y")})
    return incident
