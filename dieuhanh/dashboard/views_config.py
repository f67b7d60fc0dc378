"""Dashboard configuration for administrators, without code: list, create, edit, and cards (add, move, remove).

Everyone else gets 404 (the pages do not exist for them). Writes go through dashboard.services; the card list
is a fragment that HTMX swaps in place, and the same buttons work as plain forms without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dieuhanh.dashboard import services
from dieuhanh.dashboard.forms_config import CardForm, DashboardForm
from dieuhanh.dashboard.selectors import (
    configurable_card_or_404,
    configurable_dashboard_or_404,
    configurable_dashboards,
    is_configurator,
)


def _require_configurator(user) -> None:
    if not is_configurator(user):
        raise Http404


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
def config_list(request):
    _require_configurator(request.user)
    dashboards = configurable_dashboards(request.user).prefetch_related("cards", "users", "orgunits")
    return render(request, "dashboard/config_list.html", {"dashboards": dashboards})


def _save(form: DashboardForm, dashboard=None):
    data = form.cleaned_data
    fields = {name: data[name] for name in services.DASHBOARD_FIELDS}
    try:
        if dashboard is None:
            return services.dashboard_create(users=data["users"], orgunits=data["orgunits"], **fields)
        return services.dashboard_update(dashboard=dashboard, users=data["users"], orgunits=data["orgunits"],
                                         **fields)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None


@login_required
def config_create(request):
    _require_configurator(request.user)
    form = DashboardForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        dashboard = _save(form)
        if dashboard is not None:
            messages.success(request, _("Dashboard “%(name)s” created: now add its cards.") % {"name": dashboard})
            return redirect("dashboard:config_edit", pk=dashboard.pk)
    return render(request, "dashboard/config_form.html", {"form": form, "dashboard": None})


@login_required
def config_edit(request, pk: int):
    _require_configurator(request.user)
    dashboard = configurable_dashboard_or_404(request.user, pk)
    form = DashboardForm(request.POST or None, instance=dashboard, user=request.user)
    if request.method == "POST" and form.is_valid():
        if _save(form, dashboard) is not None:
            messages.success(request, _("Dashboard saved."))
            return redirect("dashboard:config_edit", pk=dashboard.pk)
        dashboard.refresh_from_db()
    return render(request, "dashboard/config_form.html", {
        "form": form, "dashboard": dashboard, "card_form": CardForm(), **_cards_context(dashboard),
    })


def _cards_context(dashboard) -> dict:
    cards = list(dashboard.cards.select_related("indicator").order_by("order", "id"))
    return {"cards": cards, "dashboard": dashboard}


def _cards_response(request, dashboard, card_form=None):
    if _is_htmx(request):
        return render(request, "dashboard/config_cards.html", {
            **_cards_context(dashboard), "card_form": card_form or CardForm(),
        })
    return redirect("dashboard:config_edit", pk=dashboard.pk)


@login_required
@require_POST
def card_add(request, pk: int):
    _require_configurator(request.user)
    dashboard = configurable_dashboard_or_404(request.user, pk)
    form = CardForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.card_add(dashboard=dashboard, kind=data["kind"], indicator=data["indicator"], span=data["span"],
                              title=data["title"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    if form.errors:
        if _is_htmx(request):
            return _cards_response(request, dashboard, form)
        edit_form = DashboardForm(instance=dashboard, user=request.user)
        return render(request, "dashboard/config_form.html", {
            "form": edit_form, "card_form": form, **_cards_context(dashboard),
        }, status=400)
    return _cards_response(request, dashboard)


def _card_of(request, pk: int, card_pk: int):
    _require_configurator(request.user)
    dashboard = configurable_dashboard_or_404(request.user, pk)
    return dashboard, configurable_card_or_404(request.user, dashboard, card_pk)


@login_required
@require_POST
def card_move(request, pk: int, card_pk: int):
    dashboard, card = _card_of(request, pk, card_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise Http404
    services.card_move(card=card, direction=direction)
    return _cards_response(request, dashboard)


@login_required
@require_POST
def card_remove(request, pk: int, card_pk: int):
    dashboard, card = _card_of(request, pk, card_pk)
    services.card_remove(card=card)
    return _cards_response(request, dashboard)
