"""The operators' registry pages: create and edit a system and its checks, list and plan maintenance windows.
Operators and administrators of a unit manage the systems its subtree owns; anyone else gets 404, as for a page
that is not theirs. Writes go through core's services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.monitoring import selectors, services
from dieuhanh.monitoring.forms import CheckForm, MaintenanceForm, SystemForm, apply_errors, window_text
from dieuhanh.monitoring.models import Check, MaintenanceWindow, System
from dieuhanh.monitoring.views_common import manageable_systems, visible_systems


def _managed_or_404(user, code: str) -> System:
    try:
        return manageable_systems(user).select_related("owner").get(code=code)
    except System.DoesNotExist as exc:
        raise Http404 from exc


def _system_form(request, instance=None):
    units = selectors.units_manageable(request.user)
    if not units.exists():
        raise Http404
    kwargs = {"units": units, "systems": visible_systems(request.user),
              "may_publish": units_in_scope(request.user, Role.ADMIN).exists(), "instance": instance}
    return SystemForm(request.POST or None, **kwargs)


def _save(request, form, write, success: str, template: str, context: dict):
    """Run the service `write` on a valid form; its errors go under the fields they name."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = write()
        except PermissionDenied:
            form.add_error(None, _("You do not manage this system."))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return obj, None
    status = 400 if request.method == "POST" else 200
    return None, render(request, template, {"form": form, **context}, status=status)


@login_required
def system_create(request):
    form = _system_form(request)
    system, page = _save(request, form, lambda: services.system_create(user=request.user, **form.service_kwargs()),
                         _("System registered."), "monitoring/system_form.html", {"system": None})
    return page or redirect("monitoring:system_detail", code=system.code)


@login_required
def system_edit(request, code: str):
    system = _managed_or_404(request.user, code)
    form = _system_form(request, instance=system)
    saved, page = _save(request, form, lambda: services.system_update(system=system, user=request.user,
                                                                      **form.service_kwargs()),
                        _("System saved."), "monitoring/system_form.html", {"system": system})
    return page or redirect("monitoring:system_detail", code=system.code)


@login_required
def check_create(request, code: str):
    system = _managed_or_404(request.user, code)
    form = CheckForm(request.POST or None)
    check, page = _save(request, form, lambda: services.check_create(system=system, user=request.user,
                                                                     **form.service_kwargs()),
                        _("Check added."), "monitoring/check_form.html", {"system": system, "check": None})
    return page or redirect("monitoring:system_detail", code=system.code)


@login_required
def check_edit(request, code: str, pk: int):
    system = _managed_or_404(request.user, code)
    try:
        check = system.checks.get(pk=pk)
    except Check.DoesNotExist as exc:
        raise Http404 from exc
    form = CheckForm(request.POST or None, instance=check)
    saved, page = _save(request, form, lambda: services.check_update(check=check, user=request.user,
                                                                     **form.service_kwargs()),
                        _("Check saved."), "monitoring/check_form.html", {"system": system, "check": check})
    return page or redirect("monitoring:system_detail", code=system.code)


@login_required
def maintenance_list(request):
    systems = manageable_systems(request.user)
    if not systems.exists():
        raise Http404
    # A window shared with another unit's systems names only those the user sees.
    windows = (MaintenanceWindow.objects.filter(systems__in=systems.values("pk")).distinct()
               .prefetch_related(Prefetch("systems", queryset=visible_systems(request.user).order_by("name")))
               .order_by("-created_at", "-pk")[:200])
    now = timezone.now()
    today = timezone.localdate(now)
    # (window, when, on now, still to come or running: what "End now" can stop)
    rows = [(w, window_text(w), w.covers(now), w.recurring and (w.valid_to is None or w.valid_to >= today)
             or (not w.recurring and w.ends_at is not None and w.ends_at > now)) for w in windows]
    return render(request, "monitoring/maintenance_list.html", {"rows": rows})


@login_required
def maintenance_create(request):
    systems = manageable_systems(request.user)
    if not systems.exists():
        raise Http404
    initial = {}
    chosen = systems.filter(code=request.GET.get("system", "")).first()
    if chosen is not None:
        initial["systems"] = [chosen]
    form = MaintenanceForm(request.POST or None, systems=systems, initial=initial)
    window, page = _save(request, form, lambda: services.maintenance_create(user=request.user,
                                                                            **form.service_kwargs()),
                         _("Maintenance window planned."), "monitoring/maintenance_form.html", {})
    return page or redirect("monitoring:maintenance_list")


def _window_or_404(user, pk: int) -> MaintenanceWindow:
    """A window of a system `user` manages (core's service checks every system of it on a write)."""
    window = MaintenanceWindow.objects.filter(pk=pk, systems__in=manageable_systems(user).values("pk")).first()
    if window is None:
        raise Http404
    return window


@login_required
def maintenance_edit(request, pk: int):
    window = _window_or_404(request.user, pk)
    form = MaintenanceForm(request.POST or None, systems=manageable_systems(request.user),
                           initial=MaintenanceForm.initial_from(window))
    saved, page = _save(request, form, lambda: services.maintenance_update(window=window, user=request.user,
                                                                           **form.service_kwargs()),
                        _("Maintenance window saved."), "monitoring/maintenance_form.html", {"window": window})
    return page or redirect("monitoring:maintenance_list")


@login_required
@require_POST
def maintenance_end(request, pk: int):
    """Stop a window now: a one-off ends now, a recurring one stops after today (core's maintenance_end)."""
    window = _window_or_404(request.user, pk)
    try:
        services.maintenance_end(window=window, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Maintenance window ended."))
    return redirect("monitoring:maintenance_list")
