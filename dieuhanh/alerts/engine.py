"""The evaluator: moves each rule's alerts through their states (Grafana's) and tells the people they concern.

    normal/resolved ──condition true──▶ pending ──for_minutes passed──▶ firing ──condition false──▶ resolved
                    (firing at once when for_minutes is 0)     pending ──condition false──▶ normal

People are told when an alert fires, again every `repeat_minutes` while it fires, and when it is resolved — unless
a silence covers it (the states still change, and an alert that fired under a silence is told once the silence
ends). Each change of state is an `AlertTransition` row, made by a conditional update on the alert's state, so two
evaluators running side by side never both make (and tell) the same change.

Routing: an alert about a unit reaches the active people holding, on that unit, a role that may read what the alert
is about (`audience_roles`: systems for those who see systems, the rest for those who read the unit's data), and
the people holding such a role on a unit above it who asked for alerts of the units below theirs
(`NotificationPreference.alerts_below`)."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dieuhanh.accounts.models import RoleAssignment
from dieuhanh.dashboard import datacache
from dieuhanh.orgunits.models import OrgUnit

from .conditions import Condition, conditions_of
from .models import (
    Alert,
    AlertRule,
    AlertState,
    AlertTransition,
    Level,
    NotificationPreference,
    Silence,
    audience_roles,
)
from .services import notify

log = logging.getLogger(__name__)

State = AlertState
OPEN = (State.PENDING, State.FIRING)


@dataclass
class Evaluation:
    rules: int = 0
    fired: int = 0
    resolved: int = 0
    notified: int = 0  # notifications written (people × messages)
    errors: int = 0


def ancestor_paths(unit: OrgUnit) -> list[str]:
    """"/80/27727/" → ["/80/", "/80/27727/"]: the unit's own path and its ancestors'."""
    codes = [c for c in unit.path.split("/") if c]
    return ["/" + "/".join(codes[:i]) + "/" for i in range(1, len(codes) + 1)]


def recipients(unit: OrgUnit | None, roles) -> list:
    """The people an alert about `unit` reaches when it concerns what `roles` read (see the module note)."""
    if unit is None:
        return []
    paths = ancestor_paths(unit)
    holders = RoleAssignment.objects.filter(orgunit__path__in=paths, user__is_active=True, role__in=roles)
    direct = set(holders.filter(orgunit=unit).values_list("user_id", flat=True))
    above = set(holders.exclude(orgunit=unit).values_list("user_id", flat=True)) - direct
    subscribed = set(NotificationPreference.objects.filter(user_id__in=above, alerts_below=True)
                     .values_list("user_id", flat=True))
    return list(get_user_model().objects.filter(pk__in=direct | subscribed).order_by("pk"))


def active_silences(now: datetime.datetime) -> list[Silence]:
    return list(Silence.objects.filter(starts_at__lte=now, ends_at__gt=now).select_related("unit"))


def silenced(alert: Alert, silences: list[Silence]) -> bool:
    unit_path = alert.unit.path if alert.unit_id else None
    return any((s.rule_id is None or s.rule_id == alert.rule_id) and unit_path is not None
               and unit_path.startswith(s.unit.path) for s in silences)


def _move(alert: Alert, new: str, now: datetime.datetime, condition: Condition | None) -> bool:
    """Change the alert's state if it is still what we read; record the change. False if another evaluator moved
    it first."""
    fields = {"state": new, "since": now}
    if condition is not None:
        fields.update(summary=condition.summary[:500], link=condition.link[:500], unit=condition.unit)
    if Alert.objects.filter(pk=alert.pk, state=alert.state).update(**fields) != 1:
        return False
    AlertTransition.objects.create(alert=alert, at=now, old=alert.state, new=new,
                                   summary=(condition.summary if condition else alert.summary)[:500])
    for name, value in fields.items():
        setattr(alert, name, value)
    return True


def _tell(alert: Alert, what: str, now: datetime.datetime, silences: list[Silence]) -> int:
    """Tell the alert's people that it fires (`firing`, `repeat`) or is resolved; returns notifications written."""
    if silenced(alert, silences):
        return 0
    if what != "resolved":
        # Claim the telling: of two evaluators reading the same last_notified_at, one tells.
        previous = Q(last_notified_at__isnull=True) if alert.last_notified_at is None else Q(
            last_notified_at=alert.last_notified_at)
        if Alert.objects.filter(previous, pk=alert.pk).update(last_notified_at=now) != 1:
            return 0
        alert.last_notified_at = now
    rule = alert.rule
    if what == "resolved":
        title = _("Resolved: %(summary)s") % {"summary": alert.summary}
        level = Level.INFO
    else:
        title = alert.summary
        level = rule.level
    body = _("Rule: %(rule)s") % {"rule": rule.name}
    if what == "repeat":
        body += "\n" + _("Still firing since %(since)s") % {
            "since": timezone.localtime(alert.since).strftime("%d/%m/%Y %H:%M")}
    written = notify(users=recipients(alert.unit, audience_roles(rule.kind)), title=title, body=body,
                     link=alert.link, level=level, event_key=f"alert:{alert.pk}:{what}:{now.isoformat()}")
    return len(written)


def rule_evaluate(rule: AlertRule, *, now: datetime.datetime, silences: list[Silence] | None = None,
                  result: Evaluation | None = None) -> Evaluation:
    """One rule: compute its conditions and move its alerts; atomic, so a failure changes and tells nothing.

    One evaluation of a rule at a time: the worker evaluates the systems' rules after every state change, and two
    evaluations reading the alerts before either committed would both open the same subject's alert (the second
    failing on one_alert_per_rule_subject). The rule's row is locked first; the next evaluation waits for the commit,
    then reads the alerts and conditions as the first left them."""
    result = result or Evaluation()
    silences = active_silences(now) if silences is None else silences
    with transaction.atomic():
        list(AlertRule.objects.select_for_update().filter(pk=rule.pk).values_list("pk", flat=True))
        conditions = conditions_of(rule, now)
        # Every alert of the rule (one per subject ever seen), not an IN list of thousands of subject keys.
        alerts = {a.subject_key: a for a in Alert.objects.filter(rule=rule).select_related("unit", "rule")}
        held_for = datetime.timedelta(minutes=rule.for_minutes)
        for key, condition in conditions.items():
            alert = alerts.get(key)
            if alert is None:
                alert = Alert.objects.create(rule=rule, subject_key=key, unit=condition.unit, since=now,
                                             summary=condition.summary[:500], link=condition.link[:500])
                alert.rule = rule
            if alert.state in (State.NORMAL, State.RESOLVED):
                if not _move(alert, State.PENDING if held_for else State.FIRING, now, condition):
                    continue
            elif alert.summary != condition.summary[:500]:
                Alert.objects.filter(pk=alert.pk).update(summary=condition.summary[:500], link=condition.link[:500])
                alert.summary, alert.link = condition.summary[:500], condition.link[:500]
            if alert.state == State.PENDING and now - alert.since >= held_for:
                if not _move(alert, State.FIRING, now, condition):
                    continue
            if alert.state == State.FIRING:
                # Fired anew (`since` moved) and not told since. last_notified_at keeps the stored value: _tell's
                # claim compares against it, so a copy reset here would never match and the telling would wait
                # for the next evaluation.
                if alert.last_notified_at is None or alert.last_notified_at < alert.since:
                    told = _tell(alert, "firing", now, silences)
                    result.fired += 1 if alert.since == now else 0
                    result.notified += told
                elif rule.repeat_minutes and now - alert.last_notified_at >= datetime.timedelta(
                        minutes=rule.repeat_minutes):
                    result.notified += _tell(alert, "repeat", now, silences)
        for key, alert in alerts.items():
            if key in conditions or alert.state not in OPEN:
                continue
            if alert.state == State.PENDING:
                _move(alert, State.NORMAL, now, None)
            elif _move(alert, State.RESOLVED, now, None):
                result.resolved += 1
                if alert.last_notified_at is not None:  # told it fired (not only under a silence): tell it ended
                    result.notified += _tell(alert, "resolved", now, silences)
        with datacache.unchanged_figures():  # when the rule last ran: shown on the rules' page only
            AlertRule.objects.filter(pk=rule.pk).update(evaluated_at=now)
    result.rules += 1
    return result


def alerts_evaluate(*, now: datetime.datetime | None = None, rules=None) -> Evaluation:
    """Every active rule (or `rules`), each on its own: one rule failing (a bad threshold, a missing form) is
    logged and the others still run."""
    now = now or timezone.now()
    silences = active_silences(now)
    result = Evaluation()
    # Summaries and messages are stored as written: in the site's language, whatever the worker's.
    translation.activate(settings.LANGUAGE_CODE)
    rules = AlertRule.objects.filter(active=True).select_related("unit", "indicator", "form") if rules is None \
        else rules
    for rule in rules:
        try:
            rule_evaluate(rule, now=now, silences=silences, result=result)
        except Exception:  # noqa: BLE001 — one broken rule must not stop the others
            result.errors += 1
            log.exception("alerts: rule %s (%s) could not be evaluated", rule.pk, rule.name)
    return result
