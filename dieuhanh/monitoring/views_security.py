"""The information-security incident pages: the register, an incident with its deadlines and timeline, the forms,
and the reports (Mẫu 03 and Mẫu 04) as XLSX. Operators and administrators manage, leaders read, others get 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import npgettext, pgettext
from django.views.decorators.http import require_POST

from dieuhanh.assignments.views_tasks import apply_errors
from dieuhanh.monitoring import selectors_security as selectors
from dieuhanh.monitoring import services_security as services
from dieuhanh.monitoring.forms_security import (
    DETECTION_METHODS,
    INCIDENT_TYPES,
    AdvanceForm,
    RegisterFilterForm,
    ReportNumberForm,
    SecurityIncidentForm,
)
from dieuhanh.monitoring.models_security import Deadline, ReportingRule, SecurityIncident
from dieuhanh.monitoring.xlsx_security import XLSX_TYPE, closing_report_workbook, initial_report_workbook


def deadline_text(deadline: Deadline) -> tuple[str, str]:
    """("còn 3 ngày", css class) — what the countdown says, and how alarming it looks."""
    # A context of its own: other apps' catalogues have the same English words, capitalised.
    if deadline.done:
        sent = f"{deadline.sent_on:%d/%m/%Y}"
        if deadline.sent_late:
            return pgettext("security deadline", "sent %(date)s, late") % {"date": sent}, "text-bg-warning"
        return pgettext("security deadline", "sent %(date)s") % {"date": sent}, "text-bg-success"
    if deadline.due is None:
        return pgettext("security deadline", "counted from the end of the response"), "text-bg-light"
    days = deadline.days_left
    if days < 0:
        text = npgettext("security deadline", "%(n)d day overdue", "%(n)d days overdue", -days) % {"n": -days}
        return text, "text-bg-danger"
    if days == 0:
        return pgettext("security deadline", "due today"), "text-bg-danger"
    return npgettext("security deadline", "%(n)d day left", "%(n)d days left", days) % {"n": days}, (
        "text-bg-warning" if days <= 2 else "text-bg-info")


def _deadline_rows(incident: SecurityIncident, today, rules=None) -> list[dict]:
    rows = []
    for deadline in selectors.deadlines(incident, today, rules=rules):
        text, css = deadline_text(deadline)
        rows.append({"deadline": deadline, "text": text, "css": css})
    return rows


def _visible_units_or_404(user):
    units = selectors.security_units_visible(user)
    if not units.exists():
        raise Http404
    return units


def _managed_units_or_404(user):
    units = selectors.security_units_managed(user)
    if not units.exists():
        raise Http404
    return units


@login_required
def register(request):
    _visible_units_or_404(request.user)
    form = RegisterFilterForm(request.GET or None, years=selectors.security_incident_years(request.user))
    year = status = serious = None
    if form.is_bound and form.is_valid():
        year, status, serious = form.cleaned_data["year"], form.cleaned_data["status"], form.serious_value
    incidents = selectors.security_incidents_filtered(request.user, year=year, status=status or "", serious=serious)
    today = timezone.localdate()
    rules = list(ReportingRule.objects.order_by("order", "code"))  # read once for the whole page
    rows = [{"incident": i, "deadlines": _deadline_rows(i, today, rules)} for i in incidents[:500]]
    return render(request, "monitoring/security/register.html", {
        "form": form, "rows": rows, "count": incidents.count(),
        "may_create": selectors.security_units_managed(request.user).exists(),
    })


@login_required
def detail(request, pk: int):
    return _detail_page(request, selectors.security_incident_or_404(request.user, pk))


def _detail_page(request, incident: SecurityIncident, bound_forms: dict | None = None, status: int = 200):
    """The incident page; `bound_forms` replaces an action's empty form by the one that failed, with its errors."""
    manages = selectors.security_can_manage(request.user, incident)
    context = {
        "incident": incident, "manages": manages,
        "deadlines": _deadline_rows(incident, timezone.localdate()),
        "events": incident.events.select_related("actor"),
        "systems": incident.systems.all(),
    }
    if manages:
        if incident.next_statuses():
            context["advance_form"] = AdvanceForm(incident=incident, prefix="advance")
        context["initial_form"] = ReportNumberForm(prefix="initial", initial={
            "kind": "initial", "number": incident.initial_report_number,
            "date": incident.initial_report_date or timezone.localdate()})
        if incident.status == SecurityIncident.Status.CLOSED:
            context["closing_form"] = ReportNumberForm(prefix="closing", initial={
                "kind": "closing", "number": incident.closing_report_number,
                "date": incident.closing_report_date or timezone.localdate()})
    context.update(bound_forms or {})
    return render(request, "monitoring/security/detail.html", context, status=status)


def _form_page(request, form, incident=None, status=200):
    return render(request, "monitoring/security/form.html", {
        "form": form, "incident": incident, "incident_types": INCIDENT_TYPES, "detection_methods": DETECTION_METHODS,
    }, status=status)


@login_required
def create(request):
    units = _managed_units_or_404(request.user)
    kwargs = {"units": units.order_by("path"), "systems": selectors.security_systems_choosable(request.user)}
    if request.method == "POST":
        form = SecurityIncidentForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                incident = services.security_incident_create(user=request.user, **form.service_kwargs())
            except PermissionDenied:
                form.add_error("orgunit", _("You do not manage incidents of this unit."))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Incident recorded."))
                return redirect("monitoring:security_detail", pk=incident.pk)
        return _form_page(request, form, status=400)
    now = timezone.localtime()
    initial = {"detected_on": now.date(), "detected_time": now.time().replace(second=0, microsecond=0)}
    first = units.order_by("path").first()
    initial["orgunit"] = first.pk
    # The reporting organisation's details rarely change: start from the unit's last incident.
    last = SecurityIncident.objects.filter(orgunit__in=units).order_by("-created_at").first()
    if last:
        initial.update({name: getattr(last, name) for name in (
            "orgunit", "reporter_name", "reporter_address", "reporter_phone", "reporter_email", "contact_name",
            "contact_position", "contact_phone", "contact_email", "operating_unit", "owner_agency")})
        initial["orgunit"] = last.orgunit_id
    else:
        initial["reporter_name"] = services.default_reporter_name(first)
    return _form_page(request, SecurityIncidentForm(initial=initial, **kwargs))


@login_required
def edit(request, pk: int):
    incident = selectors.security_incident_or_404(request.user, pk)
    if not selectors.security_can_manage(request.user, incident):
        raise Http404
    units = selectors.security_units_managed(request.user)
    kwargs = {"units": units.order_by("path"), "systems": selectors.security_systems_choosable(request.user)}
    if request.method == "POST":
        form = SecurityIncidentForm(request.POST, **kwargs)
        if form.is_valid():
            data = form.service_kwargs()
            systems = data.pop("systems")
            try:
                services.security_incident_update(user=request.user, incident=incident, systems=systems, **data)
            except PermissionDenied:
                form.add_error("orgunit", _("You do not manage incidents of this unit."))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Incident updated."))
                return redirect("monitoring:security_detail", pk=incident.pk)
        return _form_page(request, form, incident, status=400)
    return _form_page(request, SecurityIncidentForm(initial=SecurityIncidentForm.initial_for(incident), **kwargs),
                      incident)


def _managed_or_404(request, pk: int) -> SecurityIncident:
    incident = selectors.security_incident_or_404(request.user, pk)
    if not selectors.security_can_manage(request.user, incident):
        raise Http404
    return incident


@login_required
@require_POST
def advance(request, pk: int):
    incident = _managed_or_404(request, pk)
    if not incident.next_statuses():
        raise Http404
    form = AdvanceForm(request.POST, incident=incident, prefix="advance")
    if form.is_valid():
        try:
            services.security_incident_advance(
                user=request.user, incident=incident, status=form.cleaned_data["status"],
                note=form.cleaned_data["note"], ended_at=form.cleaned_data["ended_at"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Status changed."))
            return redirect("monitoring:security_detail", pk=incident.pk)
    return _detail_page(request, incident, {"advance_form": form}, status=400)


@login_required
@require_POST
def record_report(request, pk: int, kind: str):
    incident = _managed_or_404(request, pk)
    if kind not in services.REPORT_KINDS:
        raise Http404
    form = ReportNumberForm(request.POST, prefix=kind)
    if form.is_valid():
        try:
            services.security_incident_record_report(
                user=request.user, incident=incident, kind=kind, number=form.cleaned_data["number"],
                date=form.cleaned_data["date"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Report recorded."))
            return redirect("monitoring:security_detail", pk=incident.pk)
    return _detail_page(request, incident, {f"{kind}_form": form}, status=400)


@login_required
def report_xlsx(request, pk: int, form: str):
    incident = selectors.security_incident_or_404(request.user, pk)
    if form == "03":
        data = initial_report_workbook(incident)
    elif form == "04":
        data = closing_report_workbook(incident)
    else:
        raise Http404
    response = HttpResponse(data, content_type=XLSX_TYPE)
    name = "bao-cao-ban-dau" if form == "03" else "bao-cao-ket-thuc"
    response["Content-Disposition"] = f'attachment; filename="{name}-su-co-{incident.pk}.xlsx"'
    return response
