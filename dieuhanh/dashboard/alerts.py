"""Alerts: what a provincial leader must act on, read from the alert rules' firing alerts (dieuhanh.alerts).

The panel on the overview and the wall computes nothing: the engine (`alerts.engine.alerts_evaluate`, run each
minute by the worker) decides with the same definitions as the pages (`alerts.conditions`: overdue from
`Occurrence.objects.overdue_on`, late from the completeness rule, pace from the analytics comparison) which
subjects are in which state, tells the people they concern, and leaves one `Alert` row per rule and subject. The
panel reads the firing rows about units under the page's unit within the viewer's scope and groups them into
quotable lines, each subject counted once however many rules over nested units fired about it (`subject_key`):

- `systems`: one line per system alert (down, slow, certificate expiring, heartbeat late), as it was told;
- `overdue_tasks`: one line for the `task_overdue` alerts — the count, how many of them fell due in earlier years
  (the overview's task panel counts this year's), of which key tasks, and the few most overdue (one query, whatever
  their number: the occurrences named by the alerts' subject keys);
- `late_reports`: one line per form and period of the `report_late` alerts, with the units not reported;
- `kpis_behind`: one line per indicator and unit of the `indicator_behind_pace` alerts, as it was told.

A kind without a rule over the page's unit is absent; `manage.py alerts_default_rules` (and the demo) create the
defaults. Each line's severity is the level of the most severe rule that fired. `collect` runs the sources, orders
the lines by severity (a stable sort: within a severity, the sources' order and each source's own order), keeps the
first few, and says when the rules it reads were last evaluated (`Alerts.as_of`, the stalest of them), so that a
figure can be quoted with its source.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import IntEnum
from functools import cached_property

from django.db.models import Count, Q, QuerySet, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, npgettext

from dieuhanh.alerts.models import SYSTEM_KINDS, AlertRule, Level
from dieuhanh.alerts.selectors import (
    alerts_evaluated_at,
    alerts_firing_under,
    firing_levels_under,
    firing_subject_ids,
)
from dieuhanh.assignments.models import Occurrence
from dieuhanh.lib.periods import Period, PeriodError
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.reporting.completeness import holidays_for
from dieuhanh.reporting.models import ReportForm

MAX_SHOWN = 6
TASKS_NAMED = 3  # the most overdue tasks named under the count
UNITS_NAMED = 3  # the units named under a late form

Kind = AlertRule.Kind
# The rule kinds the panel reads; others (due soon, returned, threshold...) reach people and the alerts page only.
PANEL_KINDS = (*sorted(SYSTEM_KINDS), Kind.TASK_OVERDUE, Kind.REPORT_LATE, Kind.INDICATOR_BEHIND_PACE)


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
SEVERITY_OF_LEVEL = {Level.CRITICAL: Severity.CRITICAL, Level.WARNING: Severity.WARNING, Level.INFO: Severity.INFO}


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
    """The page's unit, the viewer's scope and today: the panel reads the engine's alerts, nothing the page computed."""

    unit: OrgUnit
    scope: QuerySet[OrgUnit]
    today: datetime.date

    @cached_property
    def levels(self) -> dict[str, str]:
        """The most severe firing rule's level per kind, read once for all the sources."""
        return firing_levels_under(self.unit, self.scope, PANEL_KINDS)

    def severity(self, kind: str) -> Severity:
        return SEVERITY_OF_LEVEL.get(self.levels.get(kind), Severity.INFO)


class Shown(list):
    """The alerts shown, carrying the moment they are as of: the wall's panel receives only this list."""

    as_of: datetime.datetime | None = None

    @property
    def as_of_text(self) -> str:
        return moment_text(self.as_of)


@dataclass
class Alerts:
    shown: list[Alert]
    more: int = 0
    as_of: datetime.datetime | None = None  # the stalest last evaluation of the rules the panel reads

    def __post_init__(self) -> None:
        self.shown = Shown(self.shown)
        self.shown.as_of = self.as_of

    @property
    def as_of_text(self) -> str:
        return moment_text(self.as_of)

    @property
    def total(self) -> int:
        return len(self.shown) + self.more

    def __bool__(self) -> bool:
        return bool(self.shown)


def date_text(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def moment_text(moment: datetime.datetime | None, today: datetime.date | None = None) -> str:
    """"14:05" today, "14:05 03/12/2026" another day: when the panel's figures were last changed."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    if local.date() == (today or timezone.localdate()):
        return local.strftime("%H:%M")
    return local.strftime("%H:%M %d/%m/%Y")


# --- sources ----------------------------------------------------------------------------------------------------
def overdue_title(total: int, earlier: int) -> str:
    """"29 nhiệm vụ quá hạn (1 từ các năm trước)": the count, and how many of them fell due before this year, so the
    reader can match it with this year's scorecard beside it."""
    if not earlier:
        return ngettext("%(n)s overdue task", "%(n)s overdue tasks", total) % {"n": total}
    return ngettext("%(n)s overdue task (%(earlier)s from earlier years)",
                    "%(n)s overdue tasks (%(earlier)s from earlier years)", total) % {"n": total, "earlier": earlier}


def overdue_occurrences(unit: OrgUnit, scope) -> QuerySet[Occurrence]:
    """The occurrences the `task_overdue` alerts under `unit` (within `scope`) are firing about, the most overdue
    first: each once, however many rules fired about it."""
    return (Occurrence.objects.filter(pk__in=firing_subject_ids(unit, scope, Kind.TASK_OVERDUE, "occurrence:"))
            .order_by("deadline", "-task__is_key", "id"))


def overdue_tasks(situation: Situation) -> list[Alert]:
    """One alert: how many tasks the engine found overdue (of which from earlier years, of which key tasks), and
    the most overdue with their lead units."""
    today = situation.today
    year_start = today.replace(month=1, day=1)
    rows = list(
        overdue_occurrences(situation.unit, situation.scope)
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
    return [Alert(situation.severity(Kind.TASK_OVERDUE), title, detail, url, "tasks", tuple(lines))]


def _late_groups(situation: Situation) -> dict[tuple[int, str], dict[str, str]]:
    """(form id, period id) → {subject key: unit name} of the firing `report_late` alerts, each unit in the
    completeness page's order."""
    groups: dict[tuple[int, str], dict[str, str]] = {}
    rows = (alerts_firing_under(situation.unit, situation.scope).filter(rule__kind=Kind.REPORT_LATE)
            .order_by("unit__search_name", "unit__code").values_list("subject_key", "unit__name"))
    for key, unit_name in rows:
        parts = key.split(":")  # "report:<form>:<period>:<unit>"
        if len(parts) != 4 or not parts[1].isdigit():
            continue
        groups.setdefault((int(parts[1]), parts[2]), {})[key] = unit_name
    return groups


def late_reports(situation: Situation) -> list[Alert]:
    """One alert per form and period with units the engine found late (the completeness rule: not reported after
    the deadline — the units the completeness panel and page list): the longest overdue first, then the most units
    missing."""
    groups = _late_groups(situation)
    if not groups:
        return []
    forms = ReportForm.objects.in_bulk({form_id for form_id, _period in groups})
    pairs = []
    for (form_id, period_id), units in groups.items():
        try:
            period = Period.parse(period_id)
        except PeriodError:
            continue
        if form_id in forms:
            pairs.append((forms[form_id], period, list(units.values())))
    holidays = holidays_for([form for form, _p, _u in pairs], [period for _f, period, _u in pairs])
    rows = [(form, period, late, form.deadline_rule.deadline_for(period, holidays)) for form, period, late in pairs]
    rows.sort(key=lambda r: (r[3], -len(r[2]), r[0].code))
    severity = situation.severity(Kind.REPORT_LATE)
    alerts = []
    for form, period, late, deadline in rows:
        title = ngettext(
            "Form %(code)s: %(n)s unit has not reported, due %(date)s",
            "Form %(code)s: %(n)s units have not reported, due %(date)s", len(late),
        ) % {"code": form.code, "n": len(late), "date": date_text(deadline)}
        names = ", ".join(late[:UNITS_NAMED])
        if len(late) > UNITS_NAMED:
            names = _("%(names)s and %(n)s more") % {"names": names, "n": len(late) - UNITS_NAMED}
        url = reverse("reporting:completeness", args=[form.pk, period.id])
        alerts.append(Alert(severity, title, f"{period.label} · {names}", url, "reporting"))
    return alerts


def _told(situation: Situation, kinds, source: str) -> list[Alert]:
    """The firing alerts of `kinds` as the engine worded them (what people were told), each subject once (at the
    level of its most severe rule), most severe first, then the longest firing."""
    alerts, seen = [], set()
    for alert in alerts_firing_under(situation.unit, situation.scope).filter(rule__kind__in=kinds):
        if alert.subject_key in seen:
            continue
        seen.add(alert.subject_key)
        alerts.append(Alert(SEVERITY_OF_LEVEL.get(alert.rule.level, Severity.INFO), alert.summary, alert.rule.name,
                            alert.link or reverse("alerts:alert_detail", args=[alert.pk]), source))
    return alerts


def kpis_behind(situation: Situation) -> list[Alert]:
    """An indicator the engine found behind its pace (a behind-pace rule on it, over the page's unit or one below):
    one alert per indicator and unit."""
    return _told(situation, [Kind.INDICATOR_BEHIND_PACE], "kpi")


def systems(situation: Situation) -> list[Alert]:
    """The province's systems: firing alerts about systems (down, slow, certificate expiring, heartbeat late) owned
    by the page's unit or below."""
    return _told(situation, SYSTEM_KINDS, "systems")


Source = Callable[[Situation], Iterable[Alert]]
SOURCES: list[Source] = [systems, overdue_tasks, late_reports, kpis_behind]


def collect(situation: Situation, sources: Iterable[Source] | None = None, limit: int = MAX_SHOWN) -> Alerts:
    """Every source's alerts, the most severe first, the first `limit` shown, as of the rules' last evaluation."""
    alerts = [alert for source in (SOURCES if sources is None else sources) for alert in source(situation)]
    alerts.sort(key=lambda a: -a.severity)
    as_of = alerts_evaluated_at(situation.unit, PANEL_KINDS)
    return Alerts(alerts[:limit], max(len(alerts) - limit, 0), as_of)
