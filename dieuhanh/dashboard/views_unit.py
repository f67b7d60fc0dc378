"""One department's or commune's page: its indicators (latest figures and comparisons), its reporting (forms and
states for the current period, links to entry and completeness) and its tasks (scorecard, overdue list).

Any reading role on the unit (or above it) opens the page; a unit outside the user's scope answers 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from dieuhanh.accounts.selectors import get_unit_or_404, units_in_scope
from dieuhanh.assignments.models import Status
from dieuhanh.assignments.selectors import task_rows
from dieuhanh.dashboard import cards as kpi
from dieuhanh.dashboard.views_overview import completeness_rows, task_panels
from dieuhanh.reporting.completeness import local_today

OVERDUE_SHOWN = 15
LOOKBACK = 3


@login_required
@require_GET
def unit_page(request, code):
    unit = get_unit_or_404(request.user, code)
    scope = units_in_scope(request.user)
    today = local_today()
    indicators = kpi.unit_indicators(unit)
    # No sparklines here: a province lists hundreds of indicators, each read at the latest of its last 3 periods.
    cards = kpi.kpis([kpi.CardSpec("kpi", indicator=i) for i in indicators], unit, today, lookback=LOOKBACK)
    reporting = completeness_rows(unit, scope, today)
    for row in reporting:
        own = [r for r in row.result.rows if r.unit.pk == unit.pk]
        row.own = own[0] if own else None
        row.entry_url = (reverse("reporting:entry", args=[row.form.pk, unit.code, row.result.period.id])
                         if row.own else "")
    children = list(scope.filter(parent=unit).order_by("kind", "search_name")[:200])
    overdue = task_rows(request.user, on=timezone.localdate(), unit=unit, status=Status.OVERDUE)
    return render(request, "dashboard/unit.html", {
        "unit": unit,
        "cards": cards,
        "as_of": kpi.latest_moment(cards),
        "reporting": reporting,
        "tasks": task_panels(unit, scope, timezone.localdate()),
        "overdue": overdue[:OVERDUE_SHOWN],
        "overdue_count": len(overdue),
        "task_list_url": reverse("assignments:task_list") + f"?unit={unit.pk}",
        "overdue_url": reverse("assignments:task_list") + f"?unit={unit.pk}&status={Status.OVERDUE}",
        "children": children,
        "parent": unit.parent if unit.parent_id and scope.filter(pk=unit.parent_id).exists() else None,
    })
