"""The leaders' overview at `/`: KPI cards, the task scorecard, reporting completeness and alerts; a configured
dashboard's charts, rankings of units and panels in the order its operator chose.

Leaders (and administrators) see the operations center of the top unit of their scope (or `?unit=`, a unit in
their scope; outside it: 404); everyone else lands on their worklist (views_worklist), with the links to the
modules and to their own units' pages.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.analytics import queries
from dieuhanh.assignments.models import Occurrence, Status
from dieuhanh.assignments.scorecards import Scorecard, occurrences_in, scorecard
from dieuhanh.assignments.templatetags.task_ui import due_bar
from dieuhanh.dashboard import alerts as alerting
from dieuhanh.dashboard import cards as kpi
from dieuhanh.dashboard import datacache, views_worklist
from dieuhanh.dashboard.models import Card, Dashboard
from dieuhanh.dashboard.selectors import DASHBOARD_PARAM, dashboard_from_request, dashboard_unit, dashboards_for
from dieuhanh.lib.periods import Period, PeriodType
from dieuhanh.lib.vnformat import format_percent
from dieuhanh.monitoring.views_board import systems_panel
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.reporting.completeness import Completeness, completeness, local_today, period_to_report
from dieuhanh.reporting.models import ReportForm


@dataclass
class TaskPanel:
    label: str
    card: Scorecard
    url: str
    # Overdue tasks that fell due before this year: counted by the overdue alert, not by this year's scorecard.
    earlier_overdue: int = 0
    earlier_url: str = ""

    @property
    def completion_rate(self) -> str:
        return format_percent(self.card.completion_rate)

    @property
    def on_time_rate(self) -> str:
        return format_percent(self.card.on_time_rate)

    @property
    def bar(self) -> list[tuple[str, str, int]]:
        return [(css, width, n) for css, width, n, _label in due_bar(self.card)]

    @property
    def parts(self) -> list[tuple[str, str, int]]:
        """The tasks fallen due by status (Status value, short label, count), adding up to `card.due`: on time, late
        and overdue always, due today (still within deadline) and paused when there are some."""
        return [(status, str(PART_LABELS[status]), n) for status, n in self.card.due_parts
                if n or status not in (Status.IN_PROGRESS, Status.PAUSED)]


# Short names of the parts of the tasks fallen due, for the panel's one line (the scorecard page has the long ones).
# On the panel the statuses are judged today, so "within deadline" among those fallen due means due today.
PART_LABELS = {
    Status.DONE_ON_TIME: pgettext_lazy("tasks fallen due", "on time"),
    Status.DONE_LATE: pgettext_lazy("tasks fallen due", "late"),
    Status.IN_PROGRESS: pgettext_lazy("tasks fallen due", "due today"),
    Status.OVERDUE: pgettext_lazy("tasks fallen due", "overdue"),
    Status.PAUSED: pgettext_lazy("tasks fallen due", "paused"),
}


def task_panels(unit: OrgUnit, scope, today) -> list[TaskPanel]:
    """This year's scorecard of the tasks led by `unit` and the units below it: all tasks, then key tasks; with the
    tasks still overdue from earlier years, which the overdue alert counts too."""
    year = Period.containing(PeriodType.YEAR, today)
    led = Occurrence.objects.filter(task__lead_unit__in=scope, task__lead_unit__path__startswith=unit.path)
    occurrences = occurrences_in(led, start=year.start, end=year.end, as_of=today)
    earlier = led.overdue_on(today).filter(deadline__lt=year.start).aggregate(
        all=Count("id"), key=Count("id", filter=Q(task__is_key=True)))
    base = reverse("assignments:scorecard") + f"?period={year.id}&unit={unit.code}"
    before = (year.start - datetime.timedelta(days=1)).isoformat()
    earlier_base = reverse("assignments:task_list") + f"?status={Status.OVERDUE}&unit={unit.pk}&deadline_to={before}"
    panels = []
    for label, key_only in ((_("All tasks"), False), (_("Key tasks"), True)):
        card = scorecard(occurrences, start=year.start, end=year.end, as_of=today, key_only=key_only)
        panels.append(TaskPanel(label, card, base + ("&key_only=on" if key_only else ""),
                                earlier["key" if key_only else "all"],
                                earlier_base + ("&key_only=on" if key_only else "")))
    return panels


@dataclass
class CompletenessRow:
    form: ReportForm
    result: Completeness
    url: str

    @property
    def rate(self) -> str:
        return format_percent(self.result.reported_rate)

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


def overview_cards(dashboard: Dashboard | None, unit: OrgUnit, today,
                   specs: list[kpi.CardSpec] | None = None) -> list[kpi.Kpi]:
    """The indicator cards of `dashboard` (its `specs` when already read) for `unit`, as the overview and the wall
    show them.

    A configured dashboard shows all its cards. The default one (None) shows what the unit has: a department
    has no telecom revenue of its own, so the cards without a figure for it are left out and, when none is left,
    the unit's own indicators are shown instead."""
    cards = kpi.kpis(specs if specs is not None else kpi.specs_of(dashboard), unit, today)
    if dashboard is None:
        cards = [c for c in cards if c.raw_value is not None]
        if not cards:
            specs = [kpi.CardSpec(Card.Kind.KPI, indicator=i) for i in kpi.unit_indicators(unit)[:kpi.DEFAULT_SIZE]]
            cards = [c for c in kpi.kpis(specs, unit, today) if c.raw_value is not None]
    return cards


RANKING_SIZE = 8
PANEL_KINDS = (Card.Kind.TASKS, Card.Kind.COMPLETENESS, Card.Kind.ALERTS)


@dataclass
class RankRow:
    rank: int
    unit: OrgUnit
    value: str
    is_estimate: bool
    url: str


@dataclass
class Block:
    """One place in a configured dashboard's order: an indicator card (KPI, chart, ranking) or a built-in panel."""

    kind: str
    card: kpi.Kpi | None = None
    ranking: list[RankRow] | None = None
    more: int = 0  # sub-units with a figure beyond the ranking's top
    ranking_url: str = ""  # the indicator page's ranking of the same figures


def _ranking_read_at(block: Block, span: str) -> tuple[str, bool]:
    """(period id, lũy kế?) a ranking card ranks at: the card's own span."""
    period = block.card.period
    return (str(period.year) if span == Card.Span.YEAR else period.id), span == Card.Span.YEAR_TO_DATE


def rank(blocks: list[tuple[Block, str]], unit: OrgUnit) -> None:
    """Fill the ranking cards (block, span): the sub-units of `unit` for each card's indicator at the card's period,
    best first — one analytics read per distinct (period, span), not per card. Each card links to the indicator
    page's ranking of the same figures."""
    groups: dict[tuple[str, bool], list[Block]] = defaultdict(list)
    for block, span in blocks:
        groups[_ranking_read_at(block, span)].append(block)
    for (read_at, ytd), group in groups.items():
        found = queries.breakdowns([b.card.indicator for b in group], unit, read_at, ytd=ytd)
        mode = "&ranking=ytd" if ytd else ""
        for block in group:
            card = block.card
            with_value = [(child, f) for child, f in found[card.indicator.pk] if f.value is not None]
            base = card.url.split("?", 1)[0]
            block.ranking_url = f"{base}?unit={quote(unit.code)}&period={read_at}{mode}#ranking"
            block.ranking = [
                RankRow(n, child, kpi.with_unit(card.indicator, figure.value), figure.is_estimate,
                        f"{base}?unit={quote(child.code)}&period={read_at}{mode}")
                for n, (child, figure) in enumerate(with_value[:RANKING_SIZE], start=1)
            ]
            block.more = max(len(with_value) - RANKING_SIZE, 0)


def blocks_of(specs: list[kpi.CardSpec], cards: list[kpi.Kpi], unit: OrgUnit) -> list[Block]:
    """A configured dashboard's cards and panels in the operator's order (each panel once)."""
    shown = iter(cards)  # kpis() keeps the indicator cards' order
    blocks, panels, rankings = [], set(), []
    for spec in specs:
        if spec.kind in Card.INDICATOR_KINDS:
            if spec.indicator is None:
                continue
            block = Block(spec.kind, next(shown))
            if spec.kind == Card.Kind.RANKING:
                rankings.append((block, spec.span))
        elif spec.kind in PANEL_KINDS and spec.kind not in panels:
            panels.add(spec.kind)
            block = Block(spec.kind)
        else:
            continue
        blocks.append(block)
    rank(rankings, unit)
    return blocks


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
    if not leader:  # officials land on what waits for them
        return views_worklist.render_worklist(request, home=True)
    scope = units_in_scope(user)

    def default_view():
        # The user's dashboards, read once: the first is shown unless ?dashboard= names another of them.
        dashboards = list(dashboards_for(user))
        first = next(iter(dashboards), None)
        return dashboards, first, dashboard_unit(user, first)

    # What the page shows when nothing is asked for, kept like the figures (the same data version and roles):
    # leaders reload the overview far more often than dashboards or units change.
    dashboards, dashboard, unit = datacache.cached(("overview-default", user.pk, datacache.scope_key(user)),
                                                   default_view)
    if request.GET.get(DASHBOARD_PARAM):
        dashboard = dashboard_from_request(request)
        unit = dashboard_unit(user, dashboard)
    unit = chosen_unit(request, scope) or unit
    if unit is None:
        return render(request, "dashboard/overview.html", context)
    today = local_today()
    computed: dict = {}

    def figures() -> dict:
        """The figures behind the page, computed once per request, and only when the cache has not the page."""
        if not computed:
            computed.update(compute())
        return computed

    def compute() -> dict:
        specs = kpi.specs_of(dashboard) if dashboard is not None else None
        cards = overview_cards(dashboard, unit, today, specs)
        # A configured dashboard shows its cards and panels in its order; the default one (and a configured one
        # without panel cards) the cards, then the three panels. KPI cards alone keep the plain grid.
        blocks = blocks_of(specs, cards, unit) if specs is not None else None
        if blocks is not None and all(b.kind == Card.Kind.KPI for b in blocks):
            blocks = None
        return dict(
            cards=cards,
            blocks=blocks,
            panels_after=blocks is None or not any(b.kind in PANEL_KINDS for b in blocks),
            as_of=kpi.latest_moment(cards),
            missing_any=any(c.missing for c in cards),
            tasks=task_panels(unit, scope, today),  # the same day as the overdue alert, so the two agree
            year=Period.containing(PeriodType.YEAR, today),
            reporting=completeness_rows(unit, scope, today),
            alerts=alerting.collect(alerting.Situation(unit, scope, today)),
            systems_panel=systems_panel(user),  # None for a leader who sees no system
        )

    def page() -> dict:
        # The cards and panels rendered once: rendering them was most of the page's time once the figures were
        # read, and the rendered text is cheaper to keep and read back than the objects behind it.
        found = figures()
        return {"figures_html": render_to_string("dashboard/_overview_figures.html", found),
                "as_of": found["as_of"], "missing_any": found["missing_any"], "has_cards": bool(found["cards"])}

    # The figures are the same for everyone with the same roles on the same units, until the next write.
    key = ("overview", datacache.scope_key(user), unit.pk, dashboard.pk if dashboard else None, today)
    context.update(
        datacache.cached(key, page),
        unit=unit,
        dashboard=dashboard,
        dashboards=dashboards,
        unit_url=reverse("dashboard:unit", args=[unit.code]),
        # The objects behind the figures, for whoever reads the context (tests): computed only if read.
        **{name: SimpleLazyObject(lambda name=name: figures()[name])
           for name in ("cards", "blocks", "tasks", "reporting", "alerts", "systems_panel")},
    )
    return render(request, "dashboard/overview.html", context)
