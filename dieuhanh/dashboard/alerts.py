"""Alerts: what a provincial leader must act on, from what the overview (or the wall) already knows.

Each source is a function of the `Situation` (the unit, the viewer's scope, today, the KPI cards and the
reporting completeness rows the page has already computed) returning `Alert`s, most urgent first:

- `overdue_tasks`: assigned tasks not completed past their deadline (`Occurrence.objects.overdue_on`, the task
  list's and the scorecard's definition), led by units under the page's unit in the viewer's scope — one alert with
  the count, how many of them fell due in earlier years (the overview's task panel counts this year's), and the few
  most overdue (one query, whatever their number);
- `late_reports`: forms of the current period whose deadline has passed with units that have not reported;
- `kpis_behind`: KPI cards whose pace is "behind".

`collect` runs the sources, orders the alerts by severity (a stable sort: within a severity, the sources' order
and each source's own order) and keeps the first few. Another kind of alert (system monitoring) is one more
function appended to `SOURCES`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import IntEnum

from django.db.models import Count, Q, QuerySet, Window
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, npgettext

from dieuhanh.assignments.models import Occurrence
from dieuhanh.orgunits.models import OrgUnit

MAX_SHOWN = 6
TASKS_NAMED = 3  # the most overdue tasks named under the count
UNITS_NAMED = 3  # the units named under a late form


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    CRITICAL = 3

    @property
    def colour(self) -> str:
        """Bootstrap colour of the alert's mark."""
        return {Severity.CRITICAL: "danger", Severity.WARNING: "warning", Severity.INFO: "info"}[self]

    @property
    def label(self) -> str:
        return str(SEVERITY_LABELS[self])


SEVERITY_LABELS = {
    Severity.CRITICAL: gettext_lazy("Urgent"),
    Severity.WARNING: gettext_lazy("Warning"),
    Severity.INFO: gettext_lazy("For information"),
}


@dataclass(frozen=True)
class AlertLine:
    """One item under an alert (one of the most overdue tasks), with its own link."""

    text: str
    url: str = ""


@dataclass(frozen=True)
class Alert:
    severity: Severity
    title: str
    detail: str = ""
    url: str = ""
    source: str = ""  # "systems", "tasks", "reporting", "kpi"
    lines: tuple[AlertLine, ...] = ()


@dataclass
class Situation:
    """What the page already knows; the sources read it and add at most a cheap query each."""

    unit: OrgUnit
    scope: QuerySet[OrgUnit]
    today: datetime.date
    cards: list = field(default_factory=list)  # dashboard.cards.Kpi
    reporting: list = field(default_factory=list)  # views_overview.CompletenessRow


@dataclass
class Alerts:
    shown: list[Alert]
    more: int = 0

    @property
    def total(self) -> int:
        return len(self.shown) + self.more

    def __bool__(self) -> bool:
        return bool(self.shown)


def date_text(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


# --- sources ----------------------------------------------------------------------------------------------------
def overdue_occurrences(unit: OrgUnit, scope, today: datetime.date) -> QuerySet[Occurrence]:
    """Occurrences whose status on `today` is "not completed, overdue" (Occurrence.objects.overdue_on, the same as
    Occurrence.status_on), led by `unit` or a unit below it within `scope`, the most overdue first."""
    return (
        Occurrence.objects.overdue_on(today)
        .filter(task__lead_unit__in=scope, task__lead_unit__path__startswith=unit.path)
        .order_by("deadline", "-task__is_key", "id")
    )


def overdue_title(total: int, earlier: int) -> str:
    """"29 nhiệm vụ quá hạn (1 từ các năm trước)": the count, and how many of them fell due before this year, so the
    reader can match it with this year's scorecard beside it."""
    if not earlier:
        return ngettext("%(n)s overdue task", "%(n)s overdue tasks", total) % {"n": total}
    return ngettext("%(n)s overdue task (%(earlier)s from earlier years)",
                    "%(n)s overdue tasks (%(earlier)s from earlier years)", total) % {"n": total, "earlier": earlier}


def overdue_tasks(situation: Situation) -> list[Alert]:
    """One alert: how many tasks are overdue (of which from earlier years), of which key tasks, and the most overdue
    with their lead units."""
    today = situation.today
    year_start = today.replace(month=1, day=1)
    rows = list(
        overdue_occurrences(situation.unit, situation.scope, today)
        .select_related("task", "task__lead_unit")
        .annotate(total=Window(Count("id")), key=Window(Count("id", filter=Q(task__is_key=True))),
                  earlier=Window(Count("id", filter=Q(deadline__lt=year_start))))
        [:TASKS_NAMED]
    )
    if not rows:
        return []
    total, key = rows[0].total, rows[0].key
    title = overdue_title(total, rows[0].earlier)
    detail = ngettext("of which %(n)s key task", "of which %(n)s key tasks", key) % {"n": key} if key else ""
    lines = []
    for occurrence in rows:
        days = (today - occurrence.deadline).days
        late = npgettext("after a task", "%(n)s day overdue", "%(n)s days overdue", days) % {"n": days}
        text = f"{occurrence.task.title} — {occurrence.task.lead_unit.name} · {late}"
        lines.append(AlertLine(text, reverse("assignments:task_detail", args=[occurrence.task_id])))
    url = reverse("assignments:task_list") + f"?status=overdue&unit={situation.unit.pk}"
    return [Alert(Severity.CRITICAL, title, detail, url, "tasks", tuple(lines))]


def late_reports(situation: Situation) -> list[Alert]:
    """A form whose deadline for the current period has passed while units have not reported (the completeness
    rule, `Completeness.not_reported`: the same units the panel counts and the indicator and completeness pages
    list): the longest overdue first, then the most units missing."""
    alerts = []
    rows = [r for r in situation.reporting if r.result.deadline_passed and r.result.not_reported]
    rows.sort(key=lambda r: (r.result.deadline, -len(r.result.not_reported), r.form.code))
    for row in rows:
        result = row.result
        missing = result.not_reported
        title = ngettext(
            "Form %(code)s: %(n)s unit has not reported, due %(date)s",
            "Form %(code)s: %(n)s units have not reported, due %(date)s", len(missing),
        ) % {"code": row.form.code, "n": len(missing), "date": date_text(result.deadline)}
        late = [r.unit.name for r in missing]
        names = ", ".join(late[:UNITS_NAMED])
        if len(late) > UNITS_NAMED:
            names = _("%(names)s and %(n)s more") % {"names": names, "n": len(late) - UNITS_NAMED}
        detail = f"{result.period.label} · {names}"
        alerts.append(Alert(Severity.WARNING, title, detail, row.url, "reporting"))
    return alerts


def kpis_behind(situation: Situation) -> list[Alert]:
    """A KPI card behind its pace (the card's colour is "danger"): the furthest from its target first; an
    indicator shown on several cards (a figure and a chart) is one alert."""
    behind = [c for c in situation.cards if c.pace == "danger"]
    # By the pace ratio, not the share of the target: a lower-is-better figure far over its target and a flow read
    # early in the year are behind by their ratio to what was expected by now.
    behind.sort(key=lambda c: (c.pace_ratio is None, c.pace_ratio or 0))
    alerts, seen = [], set()
    for card in behind:
        if card.indicator.pk in seen:
            continue
        seen.add(card.indicator.pk)
        title = _("%(indicator)s: behind target") % {"indicator": card.title}
        if card.target:
            detail = _("%(pct)s of the target %(target)s · %(period)s") % {
                "pct": card.pct_of_target, "target": card.target, "period": card.period_label}
        else:
            detail = card.period_label
        alerts.append(Alert(Severity.WARNING, title, detail, card.url, "kpi"))
    return alerts


def systems(situation: Situation) -> list[Alert]:
    """The province's systems: the alert rules' firing alerts about systems (down, slow, certificate expiring,
    heartbeat late) owned by the page's unit or below, within the viewer's scope, as the evaluator
    (dieuhanh.alerts.engine) left them — read, not computed on the page."""
    from dieuhanh.alerts.models import AlertRule, Level
    from dieuhanh.alerts.selectors import alerts_firing_under

    kinds = (AlertRule.Kind.SYSTEM_DOWN, AlertRule.Kind.SYSTEM_SLOW, AlertRule.Kind.CERT_EXPIRING,
             AlertRule.Kind.HEARTBEAT_LATE)
    severity = {Level.CRITICAL: Severity.CRITICAL, Level.WARNING: Severity.WARNING}
    firing = alerts_firing_under(situation.unit, situation.scope).filter(rule__kind__in=kinds)[:MAX_SHOWN]
    return [Alert(severity.get(a.rule.level, Severity.INFO), a.summary, a.rule.name,
                  a.link or reverse("alerts:alert_detail", args=[a.pk]), "systems") for a in firing]


Source = Callable[[Situation], Iterable[Alert]]
SOURCES: list[Source] = [systems, overdue_tasks, late_reports, kpis_behind]


def collect(situation: Situation, sources: Iterable[Source] | None = None, limit: int = MAX_SHOWN) -> Alerts:
    """Every source's alerts, the most severe first, the first `limit` shown."""
    alerts = [alert for source in (SOURCES if sources is None else sources) for alert in source(situation)]
    alerts.sort(key=lambda a: -a.severity)
    return Alerts(alerts[:limit], max(len(alerts) - limit, 0))
