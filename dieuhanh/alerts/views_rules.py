"""Pages of the alert rules: the alerts firing now (everyone, about the units they may read), and for
administrators the rules and the silences over the units they administer."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.assignments.views_tasks import apply_errors

from . import selectors, services
from .forms import RuleForm, SilenceForm
from .models import LOCAL_TZ, AlertRule

RULE_FIELDS = ("name", "kind", "unit", "days", "indicator", "form", "comparison", "threshold", "level",
               "for_minutes", "repeat_minutes", "active")


def _administrator(request) -> None:
    if not selectors.may_administer(request.user):
        raise PermissionDenied(_("Only administrators set alert rules and silences."))


@login_required
def alert_list(request):
    alerts = list(selectors.alerts_open_for(request.user)[:500])
    return render(request, "alerts/alert_list.html", {
        "alerts": alerts, "administers": selectors.may_administer(request.user)})


@login_required
def alert_detail(request, pk: int):
    alert = selectors.alert_for(request.user, pk)
    return render(request, "alerts/alert_detail.html", {
        "alert": alert, "transitions": alert.transitions.order_by("-at", "-id")[:200],
        "administers": selectors.may_administer(request.user)})


@login_required
def rule_list(request):
    _administrator(request)
    rules = selectors.rules_for(request.user).order_by("name", "id")
    return render(request, "alerts/rule_list.html", {"rules": rules})


@login_required
def rule_edit(request, pk: int | None = None):
    _administrator(request)
    rule = get_object_or_404(selectors.rules_for(request.user), pk=pk) if pk else None
    units = units_in_scope(request.user, Role.ADMIN)
    if request.method == "POST":
        form = RuleForm(request.POST, units=units)
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in RULE_FIELDS}
            fields["days"] = fields["days"] if fields["kind"] == AlertRule.Kind.TASK_DUE_SOON else None
            try:
                rule = services.rule_save(user=request.user, rule=rule, **fields)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The alert rule “%(name)s” is saved.") % {"name": rule.name})
                return redirect("alerts:rules")
    else:
        initial = {name: getattr(rule, name) for name in RULE_FIELDS} if rule else {
            "level": "warning", "for_minutes": 0, "repeat_minutes": 0, "active": True}
        form = RuleForm(initial=initial, units=units)
    return render(request, "alerts/rule_form.html", {"form": form, "rule": rule})


@login_required
def silence_list(request):
    _administrator(request)
    units = units_in_scope(request.user, Role.ADMIN)
    rules = selectors.rules_for(request.user)
    if request.method == "POST":
        form = SilenceForm(request.POST, units=units, rules=rules)
        if form.is_valid():
            data = form.cleaned_data
            ends_at = datetime.datetime.combine(data["ends_on"], data["ends_time"], tzinfo=LOCAL_TZ)
            try:
                services.silence_create(user=request.user, rule=data["rule"], unit=data["unit"],
                                        starts_at=timezone.now(), ends_at=ends_at, reason=data["reason"])
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "ends_at" in exc.error_dict:
                    exc = ValidationError({"ends_on": exc.error_dict.pop("ends_at"), **exc.error_dict})
                apply_errors(form, exc)
            else:
                messages.success(request, _("Alerts are silenced until %(until)s.") % {
                    "until": ends_at.strftime("%d/%m/%Y %H:%M")})
                return redirect("alerts:silences")
    else:
        form = SilenceForm(units=units, rules=rules)
    now = timezone.now()
    silences = list(selectors.silences_for(request.user).order_by("-ends_at", "-id")[:200])
    return render(request, "alerts/silence_list.html", {
        "form": form, "now": now,
        "current": [s for s in silences if s.starts_at <= now < s.ends_at],
        "past": [s for s in silences if not s.starts_at <= now < s.ends_at]})


@login_required
@require_POST
def silence_end(request, pk: int):
    _administrator(request)
    silence = get_object_or_404(selectors.silences_for(request.user), pk=pk)
    services.silence_end(user=request.user, silence=silence)
    messages.success(request, _("The silence is ended."))
    return redirect("alerts:silences")
