"""Who reads, writes and configures official reports, and the reads scoped to them.

- Read (and generate a new document, which changes no one's text): whoever holds a reading role
  (accounts.selectors.READ_ROLES: leaders, the Sở's staff, administrators) on the issuing unit or on the unit
  reported on.
- Create and edit (number, recipients, signer, free texts): the issuer's own staff — reporters, approvers and the
  office — and administrators. Leaders read and generate but do not write the department's text.
- Configure templates: administrators of a top-level unit (the province) and superusers: a template is the
  province's outline, used by every department.
A unit's history counts as its own: a department that took over an ended one (Sở KH&CN took over Sở TT&TT in 2025,
the new Tây Ninh the old one) reaches its predecessors' reports, through the lineage's merges and splits.
"""

from __future__ import annotations

import datetime

from django.db.models import Max, Q, QuerySet

from dieuhanh.accounts.models import Role, RoleAssignment
from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.indicators.models import DataValue, ValueKind, ValueState
from dieuhanh.lib.periods import Period, PeriodType, periods_of_year
from dieuhanh.orgunits.models import LineageEvent, OrgUnit

from .models import Report, ReportDocument, ReportTemplate

EDIT_ROLES = (Role.REPORTER, Role.APPROVER, Role.OFFICE, Role.ADMIN)
CHAIN = [LineageEvent.Kind.MERGE, LineageEvent.Kind.SPLIT]


def with_predecessors(units: QuerySet[OrgUnit]) -> QuerySet[OrgUnit]:
    """`units`, the units merged or split into them, those units' own subtrees, and so on back."""
    ids = set(units.values_list("pk", flat=True))
    frontier = ids
    while frontier:
        before = set(OrgUnit.objects.filter(lineage_as_predecessor__successors__in=frontier,
                                            lineage_as_predecessor__kind__in=CHAIN).values_list("pk", flat=True))
        below = set()
        for path in OrgUnit.objects.filter(pk__in=before - ids).values_list("path", flat=True):
            below |= set(OrgUnit.objects.filter(path__startswith=path).values_list("pk", flat=True))
        frontier = (before | below) - ids
        ids |= frontier
    return OrgUnit.objects.filter(pk__in=ids)


def readable_units(user) -> QuerySet[OrgUnit]:
    return with_predecessors(units_in_scope(user))


def editable_units(user) -> QuerySet[OrgUnit]:
    return with_predecessors(units_in_scope(user, *EDIT_ROLES))


def subject_units(user) -> QuerySet[OrgUnit]:
    """Units a report may be about: those the person reads, and the units above those whose reports they write
    (a department reports on its province's sector), with their predecessors."""
    above = set()
    for path in units_in_scope(user, *EDIT_ROLES).values_list("path", flat=True).distinct()[:1000]:
        above |= {path[:n + 1] for n, ch in enumerate(path) if ch == "/"}
    units = units_in_scope(user) | OrgUnit.objects.filter(path__in=above)
    return with_predecessors(units)


def reports_for(user) -> QuerySet[Report]:
    units = readable_units(user)
    return (Report.objects.filter(Q(issuer__in=units) | Q(subject__in=units))
            .select_related("template", "issuer", "subject", "created_by"))


def may_edit(user, report: Report) -> bool:
    return editable_units(user).filter(pk=report.issuer_id).exists()


def may_create(user) -> bool:
    return units_in_scope(user, *EDIT_ROLES).exists()


def may_configure(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or RoleAssignment.objects.filter(
        user=user, role=Role.ADMIN, orgunit__parent__isnull=True).exists()


def templates_for_use() -> QuerySet[ReportTemplate]:
    return ReportTemplate.objects.filter(active=True).order_by("name")


def documents_of(report: Report) -> QuerySet[ReportDocument]:
    """The report's kept documents, newest first, without their files (read only on download)."""
    return report.documents.defer("docx", "pdf").select_related("made_by").order_by("-version")


def period_choices(today: datetime.date, *, first_year: int = 2017) -> list[tuple[str, list[tuple[str, str]]]]:
    """Periods offered on the create page, grouped by type ("Năm 2026", "Quý III/2026"), newest first."""
    groups = []
    for ptype in (PeriodType.YEAR, PeriodType.NINE_MONTHS, PeriodType.SIX_MONTHS, PeriodType.QUARTER,
                  PeriodType.MONTH):
        periods = [p for y in range(today.year, first_year - 1, -1) for p in reversed(periods_of_year(ptype, y))
                   if p.start <= today]
        groups.append((ptype.label, [(p.id, p.label) for p in periods]))
    return groups


def data_as_of(report: Report, indicator_ids: list[int] | None) -> datetime.datetime | None:
    """The latest change of a counted value (actual or estimate) of `indicator_ids` (None: any) for a stored period
    inside the report's period — or the same span a year before, which the comparisons read — in the subject's
    subtree or its predecessors'. None when no such value exists."""
    period = report.period
    ids = set()
    for span in (period, period.same_period_last_year()):
        for ptype in PeriodType:
            ids |= {p.id for p in periods_of_year(ptype, span.year) if span.start <= p.start and p.end <= span.end}
    units = with_predecessors(OrgUnit.objects.filter(pk=report.subject_id))
    paths = list(units.values_list("path", flat=True))
    where = Q()
    for path in paths:
        where |= Q(orgunit__path__startswith=path)
    values = DataValue.objects.filter(where, period__in=ids, kind__in=[ValueKind.ACTUAL, ValueKind.ESTIMATE],
                                      state__gte=ValueState.counted())
    if indicator_ids is not None:
        values = values.filter(indicator_id__in=indicator_ids)
    return values.aggregate(at=Max("updated_at"))["at"]


def period_label(period_id: str) -> str:
    try:
        return Period.parse(period_id).label
    except ValueError:
        return period_id
