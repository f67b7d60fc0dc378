"""Outages (operations incidents): the list `/systems/incidents/` (open or closed, by system), an incident's page
with the operator's actions (acknowledge, note the cause and the actions taken, close), and opening one by hand.

Those who see the system (leaders, operators) read its incidents; only the operators and administrators of the
owning unit's subtree act, through core's services. An incident of a system the user does not see answers 404;
an action by someone who sees but does not operate it answers 403."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dieuhanh.monitoring import services
from dieuhanh.monitoring.forms import IncidentNoteForm, IncidentOpenForm, apply_errors
from dieuhanh.monitoring.models import Incident
from dieuhanh.monitoring.views_common import manageable_systems, visible_systems, with_durations

PAGE_SIZE = 50
FILTERS = {
    "open": (Incident.Status.OPEN, Incident.Status.ACKNOWLEDGED),
    "closed": (Incident.Status.CLOSED,),
    "all": tuple(Incident.Status.values),
}


def _incident_or_404(user, pk: int) -> Incident:
    try:
        return Incident.objects.select_related("system", "system__owner", "check", "acknowledged_by", "opened_by",
                                               "closed_by").get(pk=pk, system__in=visible_systems(user).values("pk"))
    except Incident.DoesNotExist as exc:
        raise Http404 from exc


def _operated_or_403(user, pk: int) -> Incident:
    incident = _incident_or_404(user, pk)
    if not manageable_systems(user).filter(pk=incident.system_id).exists():
        raise PermissionDenied(_("Only the system's operators act on its incidents."))
    return incident


@login_required
def incident_list(request):
    systems = visible_systems(request.user)
    chosen = request.GET.get("status") if request.GET.get("status") in FILTERS else "open"
    incidents = Incident.objects.filter(system__in=systems.values("pk"), status__in=FILTERS[chosen])
    system_code = request.GET.get("system", "")
    system = systems.filter(code=system_code).first() if system_code else None
    if system is not None:
        incidents = incidents.filter(system=system)
    page = Paginator(incidents.select_related("system").order_by("-started_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    keep = {"status": chosen, **({"system": system.code} if system else {})}
    return render(request, "monitoring/incidents.html", {
        "page": page, "incidents": with_durations(page.object_list), "status": chosen, "system": system,
        "systems": systems.order_by("name").only("code", "name"), "query": urlencode(keep),
        "filters": [("open", _("Open")), ("closed", _("Closed")), ("all", _("All"))],
        "manages": manageable_systems(request.user).exists(),
    })


@login_required
def incident_detail(request, pk: int):
    incident = _incident_or_404(request.user, pk)
    manages = manageable_systems(request.user).filter(pk=incident.system_id).exists()
    [incident] = with_durations([incident])
    return render(request, "monitoring/incident.html", {
        "incident": incident, "manages": manages,
        "note_form": IncidentNoteForm(initial={"cause": incident.cause, "actions": incident.actions}),
    })


def _act(request, pk: int, service, success: str):
    """An operator's button (acknowledge, close): the service decides; its refusal is shown as a message."""
    incident = _operated_or_403(request.user, pk)
    try:
        service(incident=incident, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect("monitoring:incident_detail", pk=incident.pk)


@login_required
@require_POST
def incident_acknowledge(request, pk: int):
    return _act(request, pk, services.incident_acknowledge, _("Incident acknowledged."))


@login_required
@require_POST
def incident_note(request, pk: int):
    incident = _operated_or_403(request.user, pk)
    form = IncidentNoteForm(request.POST)
    if form.is_valid():
        try:
            services.incident_note(incident=incident, user=request.user, cause=form.cleaned_data["cause"],
                                   actions=form.cleaned_data["actions"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Cause and actions saved."))
            return redirect("monitoring:incident_detail", pk=incident.pk)
    [incident] = with_durations([incident])
    return render(request, "monitoring/incident.html", {"incident": incident, "manages": True, "note_form": form},
                  status=400)


@login_required
@require_POST
def incident_close(request, pk: int):
    return _act(request, pk, services.incident_close, _("Incident closed."))


@login_required
def incident_open(request):
    systems = manageable_systems(request.user).filter(active=True).order_by("name")
    if not systems.exists():
        raise Http404
    if request.method == "POST":
        form = IncidentOpenForm(request.POST, systems=systems)
        if form.is_valid():
            try:
                incident = services.incident_open(user=request.user, **form.service_kwargs())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Incident opened."))
                return redirect("monitoring:incident_detail", pk=incident.pk)
        status = 400
    else:
        initial = {}
        chosen = systems.filter(code=request.GET.get("system", "")).first()
        if chosen is not None:
            initial["system"] = chosen
        form = IncidentOpenForm(initial=initial, systems=systems)
        status = 200
    return render(request, "monitoring/incident_open.html", {"form": form}, status=status)
