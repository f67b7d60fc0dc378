"""Reads of the commendation rules and the award register. Rules apply by date; the register is scoped by the
user's org units (a collective in scope, or a person whose unit is in scope)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from dieuhanh.accounts.models import Role, RoleAssignment
from dieuhanh.accounts.selectors import READ_ROLES, units_in_scope, units_under
from dieuhanh.commendations.models import (
    Award,
    AwardKind,
    BaseSalary,
    Person,
    RewardMultiple,
    ShareCap,
    VoteThreshold,
)
from dieuhanh.commendations.models_rules import in_force_on
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.orgunits.selectors import lineage_of


def base_salary_on(day: datetime.date) -> BaseSalary | None:
    """The base salary in force on `day`: the latest that started on or before it."""
    return BaseSalary.objects.filter(valid_from__lte=day).order_by("-valid_from").first()


def multiple_on(kind: AwardKind, day: datetime.date) -> RewardMultiple | None:
    return RewardMultiple.objects.filter(in_force_on(day), kind=kind).order_by("-valid_from").first()


def vote_threshold_on(kind: AwardKind, day: datetime.date) -> VoteThreshold | None:
    return VoteThreshold.objects.filter(in_force_on(day), kind=kind).order_by("-valid_from").first()


def share_caps_on(kind: AwardKind, unit: OrgUnit, day: datetime.date) -> list[ShareCap]:
    """The caps in use on `day` for `kind` that reach `unit` (set for the whole deployment or for a subtree above
    or at the unit)."""
    caps = ShareCap.objects.filter(in_force_on(day), kind=kind, enabled=True).select_related("orgunit", "of_kind")
    return [cap for cap in caps if cap.orgunit_id is None or unit.path.startswith(cap.orgunit.path)]


def _recipient(person: Person | None, unit: OrgUnit | None) -> Q:
    if (person is None) == (unit is None):
        raise ValueError("exactly one of person and unit")
    return Q(person=person) if person is not None else Q(unit=unit)


def consecutive_years(*, kinds: Iterable[AwardKind | str], up_to: int, person: Person | None = None,
                      unit: OrgUnit | None = None) -> int:
    """How many years in a row, ending with `up_to`, the person or collective holds one of `kinds` (codes or rows):
    e.g. 3 consecutive Chiến sĩ thi đua cơ sở for Chiến sĩ thi đua tỉnh. Several kinds count alike (Chiến sĩ thi
    đua tỉnh or bộ for Chiến sĩ thi đua toàn quốc). A gap ends the run; 0 when `up_to` itself has none."""
    codes = [k if isinstance(k, str) else k.code for k in kinds]
    years = set(Award.objects.filter(_recipient(person, unit), kind__code__in=codes, year__lte=up_to)
                .values_list("year", flat=True))
    run = 0
    while up_to - run in years:
        run += 1
    return run


def register_of(*, person: Person | None = None, unit: OrgUnit | None = None) -> QuerySet[Award]:
    """The awards of one person or collective across the years, newest first."""
    return (Award.objects.filter(_recipient(person, unit)).select_related("kind", "decision")
            .order_by("-year", "-decision__date", "kind__rank"))


def register_units(user) -> QuerySet[OrgUnit]:
    """The units whose register `user` may read: their scope, and the subtrees of the units their scope's roots
    replaced (merged or split, lineage): the old Sở TT&TT's 2020 awards belong to the history of the Sở KH&CN that
    took it over, and the old provinces' to the new province's."""
    units = units_in_scope(user)
    if getattr(user, "is_superuser", False):
        return units
    roots = OrgUnit.objects.filter(pk__in=RoleAssignment.objects.filter(user=user, role__in=READ_ROLES + (
        Role.ADMIN,)).values("orgunit"))
    paths = [u.path for root in roots for u in lineage_of(root).predecessors]
    if not paths:
        return units
    return OrgUnit.objects.filter(Q(pk__in=units.values("pk")) | Q(pk__in=units_under(paths).values("pk")))


def awards_in_scope(user) -> QuerySet[Award]:
    """The register as `user` may read it (their units and the units those replaced)."""
    units = register_units(user)
    return Award.objects.filter(Q(unit__in=units) | Q(person__unit__in=units)).select_related(
        "kind", "decision", "person", "unit")


def members_of(unit: OrgUnit, year: int) -> QuerySet[Person]:
    """The people of a collective (its unit and the units below it) who had not left it by the end of `year`."""
    return Person.objects.filter(Q(left_on__isnull=True) | Q(left_on__gt=datetime.date(year, 12, 31)),
                                 unit__path__startswith=unit.path)


def title_share(*, unit: OrgUnit, year: int, kinds: Iterable[AwardKind | str]) -> tuple[int, int]:
    """(members holding one of `kinds` for `year`, members): e.g. the share of Lao động tiên tiến a collective needs
    for Tập thể lao động xuất sắc (≥ 70%), or the base of a share cap."""
    codes = [k if isinstance(k, str) else k.code for k in kinds]
    members = members_of(unit, year)
    holders = members.filter(awards__year=year, awards__kind__code__in=codes).distinct()
    return holders.count(), members.count()


@dataclass(frozen=True)
class YearSummaryLine:
    """One line of a year's commendations: an authority granted a title or form to so many collectives and so
    many individuals ("Chủ tịch UBND tỉnh tặng Bằng khen cho 2 tập thể và 4 cá nhân"). A form given to both has a
    kind per recipient (their rewards differ); the line joins the twins under the form's name without the
    "(tập thể)" / "(cá nhân)" suffix, and `kind_codes` lists the kinds joined."""

    authority_code: str
    authority: str
    authority_rank: int
    kind_name: str
    kind_codes: tuple[str, ...]
    category: str  # AwardKind.Category: "title" or "form"
    kind_rank: int
    collectives: int
    individuals: int


_RECIPIENT_SUFFIX = re.compile(r"\s*\((tập thể|cá nhân)\)\s*$")


def kind_family_name(name: str) -> str:
    """'Bằng khen của Chủ tịch UBND tỉnh (tập thể)' → 'Bằng khen của Chủ tịch UBND tỉnh'."""
    return _RECIPIENT_SUFFIX.sub("", name)


def year_summary(year: int, units=None, *, issuers=None) -> list[YearSummaryLine]:
    """The commendations for `year`'s achievements (Award.year, whatever the decision's date: the 2020 awards are
    often decided in January 2021), per granting authority and title or form: how many distinct collectives and
    individuals received it. `units`: only recipients in these units (a collective among them, or a person whose
    unit is among them), e.g. `units_in_scope(user)` or a unit's subtree; None = all. `issuers`: also the awards
    decided by these units, whoever received them (a department's Giấy khen to the sector's enterprises, which are
    not its units). Ordered by authority rank,
    highest first, then kind rank, highest first (the order of an official account)."""
    awards = Award.objects.filter(year=year)
    if units is not None:
        wanted = Q(unit__in=units) | Q(person__unit__in=units)
        if issuers is not None:
            wanted |= Q(decision__issuer__in=issuers)
        awards = awards.filter(wanted)
    rows = awards.values_list("decision__authority__code", "decision__authority__name", "decision__authority__rank",
                              "kind__code", "kind__name", "kind__category", "kind__rank", "person_id", "unit_id")
    groups: dict[tuple[str, str], dict] = {}
    for a_code, a_name, a_rank, k_code, k_name, category, k_rank, person_id, unit_id in rows:
        family = kind_family_name(k_name)
        group = groups.setdefault((a_code, family), {
            "authority_code": a_code, "authority": a_name, "authority_rank": a_rank, "kind_name": family,
            "kind_codes": set(), "category": category, "kind_rank": k_rank, "units": set(), "people": set()})
        group["kind_codes"].add(k_code)
        group["kind_rank"] = max(group["kind_rank"], k_rank)
        if unit_id is not None:
            group["units"].add(unit_id)
        else:
            group["people"].add(person_id)
    lines = [YearSummaryLine(
        authority_code=g["authority_code"], authority=g["authority"], authority_rank=g["authority_rank"],
        kind_name=g["kind_name"], kind_codes=tuple(sorted(g["kind_codes"])), category=g["category"],
        kind_rank=g["kind_rank"], collectives=len(g["units"]), individuals=len(g["people"]),
    ) for g in groups.values()]
    lines.sort(key=lambda line: (-line.authority_rank, line.authority_code, -line.kind_rank, line.kind_name))
    return lines
