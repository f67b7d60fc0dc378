"""The leaders' overview at `/`: KPI cards, the task scorecard, reporting completeness and alerts.

Leaders (and administrators) see the operations center of the top unit of their scope (or `?unit=`, a unit in
their scope; outside it: 404); everyone else sees the links to the modules and to their own units' pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.assignments.models import Occurrence
from dieuhanh.assignments.scorecards import Scorecard, occurrences_in, scorecard
from dieuhanh.dashboard import alerts as alerting
from dieuhanh.dashboard import cards as kpi
from dieuhanh.dashboard.models import Card, Dashboard
from dieuhanh.dashboard.selectors import DASHBOARD_PARAM, dashboard_from_request, dashboard_unit, dashboards_for
from dieuhanh.lib.periods import Period, PeriodType
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.reporting.completeness import Completeness, completeness, local_today, period_to_report
from dieuhanh.reporting.models import ReportForm


@dataclass
class TaskPanel:
    label: str
    card: Scorecard
    url: str

    @property
    def completion_rate(self) -> str:
        return kpi.percent_text(self.card.completion_rate)

    @property
    def on_time_rate(self) -> str:
        return kpi.percent_text(self.card.on_time_rate)

    @property
    def bar(self) -> list[tuple[str, str, int]]:
        c = self.card
        if not c.due:
            return []
        parts = [("bg-success", c.done_on_time), ("bg-warning", c.done_late), ("bg-danger", c.overdue),
                 ("bg-secondary", c.due - c.done_on_time - c.done_late - c.overdue)]
        return [(css, f"{100 * n / c.due:.2f}", n) for css, n in parts if n]


def task_panels(unit: OrgUnit, scope, today) -> list[TaskPanel]:
    """This year's scorecard of the tasks led by `unit` and the units below it: all tasks, then key tasks."""
    year = Period.containing(PeriodType.YEAR, today)
    occurrences = occurrences_in(
        Occurrence.objects.filter(task__lead_unit__in=scope, task__lead_unit__path__startswith=unit.path),
        start=year.start, end=year.end, as_of=today)
    base = reverse("assignments:scorecard") + f"?period={year.id}&unit={unit.code}"
    panels = []
    for label, key_only in ((_("All tasks"), False), (_("Key tasks"), True)):
        card = scorecard(occurrences, start=year.start, end=year.end, as_of=today, key_only=key_only)
        panels.append(TaskPanel(label, card, base + ("&key_only=on" if key_only else "")))
    return panels


@dataclass
class CompletenessRow:
    form: ReportForm
    result: Completeness
    url: str

    @property
    def rate(self) -> str:
        return kpi.percent_text(self.result.reported_rate)

    @property
    def width(self) -> str:
        rate = self.result.reported_rate
        return "0" if rate is None else f"{float(rate):.1f}"


def completeness_rows(unit: OrgUnit, scope, today) -> list[CompletenessRow]:
    """Each active form reported by units under `unit`: its current period and who has reported."""
    units = scope.filter(path__startswith=unit.path)
    forms = ReportForm.objects.filter(active=True, units__in=units).distinct().order_by("code")
    rows = []
    for form in forms:
        period = period_to_report(form, today)
        result = completeness(form, period, units=units, today=today)
        if result.expected:
            rows.append(CompletenessRow(form, result, reverse("reporting:completeness", args=[form.pk, period.id])))
    return rows


def overview_cards(dashboard: Dashboard | None, unit: OrgUnit, today) -> list[kpi.Kpi]:
    """The KPI cards of `dashboard` for `unit`, as the overview and the wall show them.

    A configured dashboard shows all its cards. The default one (None) shows what the unit has: a department
    has no telecom revenue of its own, so the cards without a figure for it are left out and, when none is left,
    the unit's own indicators are shown instead."""
    cards = kpi.kpis(kpi.specs_of(dashboard), unit, today)
    if dashboard is None:
        cards = [c for c in cards if c.raw_value is not None]
        if not cards:
            specs = [kpi.CardSpec(Card.Kind.KPI, indicator=i) for i in kpi.unit_indicators(unit)[:kpi.DEFAULT_SIZE]]
            cards = [c for c in kpi.kpis(specs, unit, today) if c.raw_value is not None]
    return cards


def chosen_unit(request, scope) -> OrgUnit | None:
    code = request.GET.get("unit", "").strip()
    if code:
        unit = scope.filter(code=code).first()
        if unit is None:
            raise Http404
        return unit
    return None


@login_required
@require_GET
def overview(request):
    user = request.user
    leader = kpi.is_leader(user)
    context = {"leader": leader}
    if not leader:
        context["own_units"] = kpi.top_units(user)[:6]
        return render(request, "dashboard/overview.html", context)
    scope = units_in_scope(user)
    # The user's dashboards are read once: the first is shown unless ?dashboard= names another of them.
    dashboards = list(dashboards_for(user))
    dashboard = dashboard_from_request(request) if request.GET.get(DASHBOARD_PARAM) else next(iter(dashboards), None)
    unit = chosen_unit(request, scope) or dashboard_unit(user, dashboard)
    if unit is None:
        return render(request, "dashboard/overview.html", context)
    today = local_today()
    cards = overview_cards(dashboard, unit, today)
    reporting = completeness_rows(unit, scope, today)
    context.update(
        unit=unit,
        dashboard=dashboard,
        dashboards=dashboards,
        cards=cards,
        as_of=kpi.latest_moment(cards),
        missing_any=any(c.missing for c in cards),
        tasks=task_panels(unit, scope, timezone.localdate()),
        year=Period.containing(PeriodType.YEAR, today),
        reporting=reporting,
        alerts=alerting.collect(alerting.Situation(unit, scope, today, cards, reporting)),
        unit_url=reverse("dashboard:unit", args=[unit.code]),
    )
    return render(request, "dashboard/overview.html", context)
