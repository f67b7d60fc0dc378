"""What each kind of alert rule watches: a function of the rule and the moment returning the subjects whose
condition holds now, keyed by a stable subject key.

Every condition asks the app that owns the state its own definition — overdue from `Occurrence.objects.overdue_on`
(the task list's and the scorecard's), late reports from `reporting.completeness` (the overview's and the
completeness page's), figures and pace from `analytics.queries` (the cards') — and never computes a second copy."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dieuhanh.assignments.models import Extension, Occurrence, Status
from dieuhanh.assignments.reminders import period_label
from dieuhanh.lib.vnformat import format_number
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.reporting.completeness import completeness, period_to_report
from dieuhanh.reporting.models import ReportForm, Submission

from .models import AlertRule

Kind = AlertRule.Kind


@dataclass(frozen=True)
class Condition:
    unit: OrgUnit | None
    summary: str
    link: str = ""


Conditions = dict[str, Condition]


def _date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _task_link(occurrence: Occurrence) -> str:
    return reverse("assignments:task_detail", args=[occurrence.task_id])


def _in_scope(rule: AlertRule, prefix: str) -> dict:
    return {f"{prefix}__path__startswith": rule.unit.path}


def task_overdue(rule: AlertRule, today: datetime.date) -> Conditions:
    found = {}
    for occurrence in (Occurrence.objects.overdue_on(today).filter(**_in_scope(rule, "task__lead_unit"))
                       .select_related("task__lead_unit")):
        days = (today - occurrence.deadline).days
        late = ngettext("%(n)s day overdue", "%(n)s days overdue", days) % {"n": days}
        summary = _("Task overdue: %(task)s — %(unit)s, due %(date)s (%(late)s)") % {
            "task": occurrence.task.title[:250], "unit": occurrence.task.lead_unit.name,
            "date": _date(occurrence.deadline), "late": late}
        found[f"occurrence:{occurrence.pk}"] = Condition(occurrence.task.lead_unit, summary, _task_link(occurrence))
    return found


def task_due_soon(rule: AlertRule, today: datetime.date) -> Conditions:
    horizon = today + datetime.timedelta(days=rule.days or 0)
    found = {}
    for occurrence in (Occurrence.objects.with_status(today, Status.IN_PROGRESS)
                       .filter(deadline__lte=horizon, **_in_scope(rule, "task__lead_unit"))
                       .select_related("task__lead_unit")):
        days = (occurrence.deadline - today).days
        left = ngettext("%(n)s day left", "%(n)s days left", days) % {"n": days}
        summary = _("Task due soon: %(task)s — %(unit)s, due %(date)s (%(left)s)") % {
            "task": occurrence.task.title[:250], "unit": occurrence.task.lead_unit.name,
            "date": _date(occurrence.deadline), "left": left}
        found[f"occurrence:{occurrence.pk}:{occurrence.deadline}"] = Condition(
            occurrence.task.lead_unit, summary, _task_link(occurrence))
    return found


def task_extension_requested(rule: AlertRule, today: datetime.date) -> Conditions:
    """A lead unit's request for more time waits for the assigner: about the assigner's unit, whose people (the
    office, the assigner's account) decide it."""
    found = {}
    for extension in (Extension.objects.filter(decision=Extension.Decision.PENDING,
                                               **_in_scope(rule, "occurrence__task__assigner__orgunit"))
                      .select_related("occurrence__task__lead_unit", "occurrence__task__assigner__orgunit")):
        task = extension.occurrence.task
        summary = _("Extension requested: %(task)s — %(unit)s asks for %(date)s") % {
            "task": task.title[:250], "unit": task.lead_unit.name, "date": _date(extension.requested_deadline)}
        found[f"extension:{extension.pk}"] = Condition(task.assigner.orgunit, summary,
                                                       _task_link(extension.occurrence))
    return found


def _forms(rule: AlertRule):
    forms = ReportForm.objects.filter(active=True)
    return forms.filter(pk=rule.form_id) if rule.form_id else forms


def _entry_link(form: ReportForm, unit: OrgUnit, period_id: str) -> str:
    return reverse("reporting:entry", args=[form.pk, unit.code, period_id])


def report_late(rule: AlertRule, today: datetime.date) -> Conditions:
    """Units that have not reported a form's current period after its deadline (`Completeness.overdue` rows)."""
    found = {}
    scope = rule.unit.descendants()
    for form in _forms(rule):
        period = period_to_report(form, today)
        result = completeness(form, period, units=scope, today=today)
        for row in result.rows:
            if not row.overdue:
                continue
            summary = _("Report late: %(form)s %(period)s — %(unit)s, due %(date)s") % {
                "form": form.code, "period": period.label, "unit": row.unit.name, "date": _date(row.deadline)}
            found[f"report:{form.pk}:{period.id}:{row.unit.pk}"] = Condition(
                row.unit, summary, _entry_link(form, row.unit, period.id))
    return found


def report_returned(rule: AlertRule, today: datetime.date) -> Conditions:
    found = {}
    submissions = Submission.objects.filter(status=Submission.Status.RETURNED, **_in_scope(rule, "orgunit"))
    if rule.form_id:
        submissions = submissions.filter(form_id=rule.form_id)
    for submission in submissions.select_related("form", "orgunit"):
        summary = _("Report returned: %(form)s %(period)s — %(unit)s") % {
            "form": submission.form.code, "period": period_label(submission.period), "unit": submission.orgunit.name}
        if submission.resubmit_by:
            summary += " · " + _("send again by %(date)s") % {"date": _date(submission.resubmit_by)}
        found[f"submission:{submission.pk}"] = Condition(
            submission.orgunit, summary, _entry_link(submission.form, submission.orgunit, submission.period))
    return found


def _indicator_period(rule: AlertRule, today: datetime.date):
    """The period a rule on an indicator reads: the one its form collects now (None for a rule missing its
    indicator or form, which the rule form does not let through)."""
    if rule.form_id is None or rule.indicator_id is None:
        return None
    return period_to_report(rule.form, today)


def indicator_threshold(rule: AlertRule, today: datetime.date) -> Conditions:
    from dieuhanh.analytics.queries import figure

    period = _indicator_period(rule, today)
    if period is None or rule.threshold is None:
        return {}
    value = figure(rule.indicator, rule.unit, period.id).value
    if value is None:
        return {}
    crossed = value > rule.threshold if rule.comparison == AlertRule.Comparison.ABOVE else value < rule.threshold
    if not crossed:
        return {}
    indicator = rule.indicator
    summary = _("%(indicator)s %(comparison)s %(threshold)s: %(value)s %(unit_of_measure)s — %(unit)s, %(period)s") % {
        "indicator": indicator.name, "comparison": rule.get_comparison_display(),
        "threshold": format_number(rule.threshold, indicator.decimals, trim=True),
        "value": format_number(value, indicator.decimals, trim=True), "unit_of_measure": indicator.unit,
        "unit": rule.unit.name, "period": period.label}
    return {f"indicator:{indicator.pk}:{rule.unit.pk}": Condition(rule.unit, summary, _indicator_link(rule))}


def indicator_behind_pace(rule: AlertRule, today: datetime.date) -> Conditions:
    from dieuhanh.analytics.queries import comparison

    period = _indicator_period(rule, today)
    if period is None:
        return {}
    figures = comparison(rule.indicator, rule.unit, period.id, ytd=True)
    if figures.pace != "behind":
        return {}
    summary = _("%(indicator)s behind its pace: %(pct)s%% of the year's target — %(unit)s, %(period)s") % {
        "indicator": rule.indicator.name, "pct": format_number(figures.pct_of_target or Decimal(0), 1, trim=True),
        "unit": rule.unit.name, "period": period.label}
    return {f"pace:{rule.indicator.pk}:{rule.unit.pk}": Condition(rule.unit, summary, _indicator_link(rule))}


def indicator_no_data(rule: AlertRule, today: datetime.date) -> Conditions:
    from dieuhanh.analytics.queries import figure

    period = _indicator_period(rule, today)
    if period is None:
        return {}
    deadline = completeness(rule.form, period, units=rule.unit.descendants(), today=today)
    if not deadline.deadline_passed or figure(rule.indicator, rule.unit, period.id).value is not None:
        return {}
    summary = _("%(indicator)s has no data for %(period)s after the deadline %(date)s — %(unit)s") % {
        "indicator": rule.indicator.name, "period": period.label, "date": _date(deadline.deadline),
        "unit": rule.unit.name}
    return {f"nodata:{rule.indicator.pk}:{rule.unit.pk}:{period.id}": Condition(rule.unit, summary,
                                                                                 _indicator_link(rule))}


def _indicator_link(rule: AlertRule) -> str:
    return reverse("dashboard:indicator", args=[rule.indicator.code])


# --- the province's systems (dieuhanh.monitoring: the runner writes the states) ----------------------------------
def _checks(rule: AlertRule, kind: str | None = None):
    from dieuhanh.monitoring.models import Check

    checks = Check.objects.filter(active=True, system__active=True, **_in_scope(rule, "system__owner"))
    if kind:
        checks = checks.filter(kind=kind)
    return checks.select_related("system__owner")


def _system_link(system) -> str:
    return reverse("monitoring:system_detail", args=[system.code])


def system_down(rule: AlertRule, today: datetime.date) -> Conditions:
    """A system whose state (the worst of its checks', kept by the runner; maintenance is its own state) is down."""
    from dieuhanh.monitoring.models import State as SystemState
    from dieuhanh.monitoring.models import System

    found = {}
    for system in System.objects.filter(active=True, state=SystemState.DOWN, **_in_scope(rule, "owner")).select_related(
            "owner"):
        since = timezone.localtime(system.state_since).strftime("%H:%M %d/%m/%Y") if system.state_since else ""
        summary = _("%(system)s is down since %(since)s") % {"system": system.name, "since": since}
        found[f"system:{system.pk}"] = Condition(system.owner, summary.strip(), _system_link(system))
    return found


def system_slow(rule: AlertRule, today: datetime.date) -> Conditions:
    """A check (up, not in maintenance) whose last response took longer than the rule's threshold in ms."""
    from dieuhanh.monitoring.models import State as SystemState

    if rule.threshold is None:
        return {}
    found = {}
    for check in _checks(rule).filter(state=SystemState.UP, last_response_ms__gt=rule.threshold):
        summary = _("%(system)s is slow: %(check)s answered in %(ms)s ms (limit %(limit)s ms)") % {
            "system": check.system.name, "check": check.name, "ms": format_number(check.last_response_ms, 0),
            "limit": format_number(rule.threshold, 0)}
        found[f"slow:{check.pk}"] = Condition(check.system.owner, summary, _system_link(check.system))
    return found


def cert_expiring(rule: AlertRule, today: datetime.date) -> Conditions:
    """A TLS check's certificate within one of its warning thresholds (30, 14, 7 days: the runner's rule)."""
    from dieuhanh.monitoring.models import Check
    from dieuhanh.monitoring.runner.probes import cert_warning_days

    now = timezone.now()
    found = {}
    for check in _checks(rule, Check.Kind.TLS).filter(cert_expires_at__isnull=False):
        if cert_warning_days(check.cert_expires_at, check.cert_warn_days, now=now) is None:
            continue
        days = max(0, (check.cert_expires_at - now).days)
        summary = _("%(system)s: the certificate of %(host)s expires on %(date)s (%(left)s)") % {
            "system": check.system.name, "host": check.host or check.name,
            "date": _date(timezone.localtime(check.cert_expires_at).date()),
            "left": ngettext("%(n)s day left", "%(n)s days left", days) % {"n": days}}
        found[f"cert:{check.pk}"] = Condition(check.system.owner, summary, _system_link(check.system))
    return found


def heartbeat_late(rule: AlertRule, today: datetime.date) -> Conditions:
    """A heartbeat check the runner found late (down: no signal within its period plus its grace time)."""
    from dieuhanh.monitoring.models import Check
    from dieuhanh.monitoring.models import State as SystemState

    found = {}
    for check in _checks(rule, Check.Kind.HEARTBEAT).filter(state=SystemState.DOWN):
        summary = _("%(system)s: no heartbeat from %(check)s — %(error)s") % {
            "system": check.system.name, "check": check.name, "error": check.last_error[:200]}
        found[f"heartbeat:{check.pk}"] = Condition(check.system.owner, summary, _system_link(check.system))
    return found


CONDITIONS: dict[str, Callable[[AlertRule, datetime.date], Conditions]] = {
    Kind.TASK_OVERDUE: task_overdue,
    Kind.TASK_DUE_SOON: task_due_soon,
    Kind.TASK_EXTENSION_REQUESTED: task_extension_requested,
    Kind.REPORT_LATE: report_late,
    Kind.REPORT_RETURNED: report_returned,
    Kind.INDICATOR_THRESHOLD: indicator_threshold,
    Kind.INDICATOR_BEHIND_PACE: indicator_behind_pace,
    Kind.INDICATOR_NO_DATA: indicator_no_data,
    Kind.SYSTEM_DOWN: system_down,
    Kind.SYSTEM_SLOW: system_slow,
    Kind.CERT_EXPIRING: cert_expiring,
    Kind.HEARTBEAT_LATE: heartbeat_late,
}


def conditions_of(rule: AlertRule, now: datetime.datetime | None = None) -> Conditions:
    today = timezone.localdate(now or timezone.now())
    return CONDITIONS[rule.kind](rule, today)
