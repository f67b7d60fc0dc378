"""Wall mode `/ioc/wall/` for the operations room: a dark full-screen page without navbar whose panels (the
dashboard's KPI cards, six to a panel, then the alerts, the task scorecard and reporting completeness) rotate every
`Dashboard.wall_seconds`; the panels are fetched again from `/ioc/wall/panels/` every REFRESH_SECONDS, so new
figures appear without reloading the page. The dashboard comes from `?dashboard=<id>` (404 when not the
user's) or is the user's first; the figures are those of the dashboard's unit (or the top of the user's scope).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.assignments.models import Occurrence
from dieuhanh.assignments.scorecards import scorecards_by_unit
from dieuhanh.dashboard import alerts as alerting
from dieuhanh.dashboard import cards as kpi
from dieuhanh.dashboard import datacache
from dieuhanh.dashboard.models import Card, Dashboard
from dieuhanh.dashboard.selectors import DASHBOARD_PARAM, dashboard_from_request, dashboard_unit
from dieuhanh.dashboard.views_overview import TaskPanel, completeness_rows, overview_cards, task_panels
from dieuhanh.lib.periods import Period, PeriodType
from dieuhanh.monitoring.models import Incident
from dieuhanh.monitoring.selectors import systems_visible
from dieuhanh.monitoring.views_board import OPEN, board_rows
from dieuhanh.reporting.completeness import local_today

KPIS_PER_PANEL = 6
UNITS_ON_TASK_PANEL = 8
FORMS_PER_PANEL = 8
WALL_ALERTS = 5  # what fits in large type at 1920×1080
WALL_SYSTEMS = 12  # system tiles on the systems slide (in trouble first): 4 × 3 in large type
WALL_OUTAGES = 4
REFRESH_SECONDS = 60
DEFAULT_SECONDS = Dashboard._meta.get_field("wall_seconds").default


@dataclass
class Panel:
    kind: str  # "kpi", "alerts", "tasks", "completeness", "systems"
    title: str
    items: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # tasks: the lead units with the most overdue tasks; systems: outages
    more: int = 0  # alerts: how many more than the panel shows


def units_to_chase(unit, scope, today) -> list[TaskPanel]:
    """This year's (lead unit, scorecard) below `unit` with the most overdue tasks first, then the most due."""
    year = Period.containing(PeriodType.YEAR, today)
    occurrences = Occurrence.objects.filter(task__lead_unit__in=scope, task__lead_unit__path__startswith=unit.path)
    rows = scorecards_by_unit(occurrences, start=year.start, end=year.end, as_of=today)
    rows = [(lead, card) for lead, card in rows if card.due or card.in_progress]
    rows.sort(key=lambda row: (-row[1].overdue, -row[1].due, row[0].path))
    return [TaskPanel(str(lead), card, "") for lead, card in rows[:UNITS_ON_TASK_PANEL]]


def _chunks(items: list, size: int) -> list[list]:
    """`items` in as few panels of at most `size` as possible, balanced (13 cards: 5, 4, 4 rather than 6, 6, 1)."""
    if not items:
        return []
    count = -(-len(items) // size)
    base, extra = divmod(len(items), count)
    out, start = [], 0
    for n in range(count):
        end = start + base + (1 if n < extra else 0)
        out.append(items[start:end])
        start = end
    return out


def wall_context(request) -> dict:
    user = request.user
    dashboard = dashboard_from_request(request)
    unit = dashboard_unit(user, dashboard)
    if unit is None:
        raise Http404
    # The same panels for every screen with the same roles on the same units, until the next write.
    key = ("wall", datacache.scope_key(user), unit.pk, dashboard.pk if dashboard else None, local_today(),
           timezone.localdate())
    context = datacache.cached(key, lambda: wall_figures(user, dashboard, unit))
    return {**context, "refreshed_at": timezone.localtime()}


def wall_figures(user, dashboard, unit) -> dict:
    scope = units_in_scope(user)
    today = local_today()
    # The wall shows every indicator card as a KPI: charts and rankings are not read for it.
    specs = [replace(s, kind=Card.Kind.KPI) for s in kpi.specs_of(dashboard)] if dashboard is not None else None
    cards = overview_cards(dashboard, unit, today, specs=specs)
    # A card titled by its indicator takes the short name: a long name would not fit a third of the screen in
    # type read from across the room. A title an administrator gave the card stays as given.
    cards = [replace(c, title=c.indicator.display_name) if c.title == c.indicator.name else c for c in cards]
    title = dashboard.name if dashboard is not None else _("Main indicators")
    panels = []
    chunks = _chunks(cards, KPIS_PER_PANEL) or [[]]
    for number, chunk in enumerate(chunks, start=1):
        suffix = f" ({number}/{len(chunks)})" if len(chunks) > 1 else ""
        panels.append(Panel("kpi", f"{title}{suffix}", chunk))
    forms = completeness_rows(unit, scope, today)
    alerts = alerting.collect(alerting.Situation(unit, scope, today), limit=WALL_ALERTS)
    panels.append(Panel("alerts", _("Alerts"), alerts.shown, more=alerts.more))
    day = timezone.localdate()
    panels.append(Panel("tasks", _("Tasks assigned this year"), task_panels(unit, scope, day),
                        units_to_chase(unit, scope, day)))
    form_chunks = _chunks(forms, FORMS_PER_PANEL) or [[]]
    for number, chunk in enumerate(form_chunks, start=1):
        suffix = f" ({number}/{len(form_chunks)})" if len(form_chunks) > 1 else ""
        panels.append(Panel("completeness", _("Reporting completeness") + suffix, chunk))
    systems = systems_visible(user).filter(active=True, owner__path__startswith=unit.path)
    if systems.exists():  # the systems slide, for those who see systems (the board's rows and outages)
        rows = board_rows(systems)
        outages = list(Incident.objects.filter(system__in=systems.values("pk"), status__in=OPEN)
                       .select_related("system").order_by("-started_at")[:WALL_OUTAGES])
        panels.append(Panel("systems", _("Shared systems"), rows[:WALL_SYSTEMS], outages,
                            more=max(len(rows) - WALL_SYSTEMS, 0)))
    query = f"?{DASHBOARD_PARAM}={dashboard.pk}" if dashboard is not None else ""
    return {
        "dashboard": dashboard,
        "unit": unit,
        "panels": panels,
        "as_of": kpi.latest_moment(cards),
        "seconds": dashboard.wall_seconds if dashboard is not None else DEFAULT_SECONDS,
        "refresh_seconds": REFRESH_SECONDS,
        "query": query,
    }


@login_required
@require_GET
def wall_page(request):
    return render(request, "dashboard/wall.html", wall_context(request))


@login_required
@require_GET
def wall_panels(request):
    return render(request, "dashboard/wall_panels.html", wall_context(request))
