"""What waits for a person, and the menu that counts it and reaches the IOC pages they may open.

Whose work it is comes from the roles a person is assigned (accounts.RoleAssignment), not from an administrator's
implied roles: an administrator may enter or approve any report of the province, but the province's reports do not
wait for them. Each role's units are the subtrees of its assignments, so nothing outside the user's scope appears.

- reporters: reports due, late or returned (reporting.selectors.reports_to_make, "not reported" being the
  completeness rule);
- approvers: reports submitted and waiting (reporting.selectors.reports_to_approve);
- the office (Role.OFFICE), and whoever is an assigner's account: extension requests and completion reports to
  decide (assignments.selectors).

The menu (`Menu`, through the context processor) reads this on every page, lazily and in a bounded number of
queries: one for the roles, one counting approvals and decisions (only for those who approve or decide), and the
reporters' four (reports_to_make) — whatever the number of forms, units and items.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth import get_user_model
from django.db.models import IntegerField, QuerySet, Subquery, Value

from dieuhanh.accounts.models import Role, RoleAssignment
from dieuhanh.accounts.selectors import units_under
from dieuhanh.assignments.models import Assigner
from dieuhanh.assignments.selectors import completions_to_confirm, extensions_to_decide
from dieuhanh.dashboard.selectors import top_unit
from dieuhanh.lib.periods import Period
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.reporting.completeness import local_today
from dieuhanh.reporting.selectors import ReportTask, reports_to_approve, reports_to_make

ASSIGNER = "assigner"  # not a role: the user is the account of an assigner (Assigner.user)


class _Count(Subquery):
    """The number of rows of a queryset, as a column of another query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _rows)"
    output_field = IntegerField()


def held_roles(user) -> dict[str, list[str]]:
    """{role: paths of the units it is assigned on}, plus ASSIGNER when the user is an assigner's account. One
    query."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    rows = RoleAssignment.objects.filter(user=user).order_by().values_list("role", "orgunit__path").union(
        Assigner.objects.filter(user=user).order_by().values_list(Value(ASSIGNER), Value("")), all=True)
    held: dict[str, list[str]] = {}
    for role, path in rows:
        held.setdefault(role, []).append(path)
    return held


def units_of(held: dict[str, list[str]], role: str) -> QuerySet[OrgUnit]:
    """The units in the subtrees where `role` is assigned."""
    return units_under(held.get(role, []))


@dataclass
class Worklist:
    roles: set[str]
    to_make: list[ReportTask] = field(default_factory=list)
    to_approve: list = field(default_factory=list)  # reporting.Submission
    extensions: list = field(default_factory=list)  # assignments.Extension
    completions: list = field(default_factory=list)  # assignments.Occurrence

    @property
    def reporter(self) -> bool:
        return Role.REPORTER in self.roles

    @property
    def approver(self) -> bool:
        return Role.APPROVER in self.roles

    @property
    def decider(self) -> bool:
        return bool({Role.OFFICE, ASSIGNER} & self.roles)

    @property
    def count(self) -> int:
        return len(self.to_make) + len(self.to_approve) + len(self.extensions) + len(self.completions)

    @property
    def late(self) -> list[ReportTask]:
        return [t for t in self.to_make if t.kind == ReportTask.LATE]

    @property
    def returned(self) -> list[ReportTask]:
        return [t for t in self.to_make if t.kind == ReportTask.RETURNED]

    @property
    def due(self) -> list[ReportTask]:
        return [t for t in self.to_make if t.kind == ReportTask.DUE]


def worklist(user, today: datetime.date | None = None) -> Worklist:
    """Everything waiting for `user`, each list in the order to act on it."""
    today = today or local_today()
    held = held_roles(user)
    work = Worklist(roles=set(held))
    if work.reporter:
        work.to_make = reports_to_make(units_of(held, Role.REPORTER), today)
    if work.approver:
        work.to_approve = list(reports_to_approve(units_of(held, Role.APPROVER)).select_related("form", "orgunit"))
        for submission in work.to_approve:
            submission.period_label = Period.parse(submission.period).label
    if work.decider:
        office = units_of(held, Role.OFFICE)
        work.extensions = list(extensions_to_decide(user, office).select_related(
            "occurrence__task__lead_unit", "requested_by"))
        work.completions = list(completions_to_confirm(user, office).select_related("task__lead_unit"))
    return work


class Menu:
    """The menu's counts and IOC links for one request, read only when a template asks (pages without the menu,
    and anonymous visitors, pay nothing)."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def _held(self) -> dict[str, list[str]]:
        return held_roles(self.user)

    @cached_property
    def counts(self) -> dict[str, int]:
        """{"reports", "approvals", "decisions"}: the number of items of each list of the worklist. Kept under the
        data version (datacache): building the query cost more than a cached page's whole rest."""
        from dieuhanh.dashboard import datacache

        user = self.user
        if not getattr(user, "is_authenticated", False):
            return self._counts()
        # The day too: what is due (reports to make) moves at midnight without a write.
        return datacache.cached(("menu-counts", user.pk, datacache.scope_key(user), local_today()), self._counts)

    def _counts(self) -> dict[str, int]:
        held, user = self._held, self.user
        counts = {"reports": 0, "approvals": 0, "decisions": 0}
        if Role.REPORTER in held:
            counts["reports"] = len(reports_to_make(units_of(held, Role.REPORTER)))
        columns = {}
        if Role.APPROVER in held:
            columns["approvals"] = _Count(reports_to_approve(units_of(held, Role.APPROVER)).values("pk"))
        if {Role.OFFICE, ASSIGNER} & held.keys():
            office = units_of(held, Role.OFFICE)
            columns["extensions"] = _Count(extensions_to_decide(user, office).values("pk"))
            columns["completions"] = _Count(completions_to_confirm(user, office).values("pk"))
        if columns:  # one query for all of them
            found = get_user_model().objects.filter(pk=user.pk).values(**columns).get()
            counts["approvals"] = found.get("approvals", 0)
            counts["decisions"] = found.get("extensions", 0) + found.get("completions", 0)
        return counts

    @property
    def work_count(self) -> int:
        return sum(self.counts.values())

    @cached_property
    def ioc(self) -> bool:
        """The wall and the pivot answer whoever has a unit to show (dashboard.selectors.top_unit): anyone with a role
        that reads data (a system operator sees systems, not figures); a superuser once the registry has a unit."""
        if not getattr(self.user, "is_authenticated", False) or not self.user.is_active:
            return False
        if set(self._held) - {ASSIGNER, Role.OPERATOR}:
            return True
        return bool(self.user.is_superuser and top_unit(self.user) is not None)

    @property
    def audits(self) -> bool:
        """The audit trail's link: the trail's own rule (audit.selectors.can_audit)."""
        from dieuhanh.audit.selectors import can_audit

        return can_audit(self.user)

    @property
    def configures(self) -> bool:
        """Dashboard configuration answers administrators (dashboard.selectors.is_configurator)."""
        if not getattr(self.user, "is_authenticated", False) or not self.user.is_active:
            return False
        return self.user.is_superuser or Role.ADMIN in self._held

    @property
    def systems(self) -> bool:
        """The systems board, the incidents and the security register answer those who hold a role that sees
        systems (monitoring.selectors.VIEW_ROLES; administrators always)."""
        from dieuhanh.monitoring.selectors import VIEW_ROLES

        if not getattr(self.user, "is_authenticated", False) or not self.user.is_active:
            return False
        return self.user.is_superuser or bool({*VIEW_ROLES, Role.ADMIN} & self._held.keys())

    @property
    def leader(self) -> bool:
        """Leaders and administrators get the operations overview at `/` (dashboard.cards.is_leader)."""
        if not getattr(self.user, "is_authenticated", False) or not self.user.is_active:
            return False
        return self.user.is_superuser or bool({Role.LEADER, Role.ADMIN} & self._held.keys())
