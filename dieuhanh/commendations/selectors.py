"""Reads of the commendation rules and the award register. Rules apply by date; the register is scoped by the
user's org units (a collective in scope, or a person whose unit is in scope)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from dieuhanh.accounts.selectors import units_in_scope
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


def awards_in_scope(user) -> QuerySet[Award]:
    """The register as `user` may read it."""
    units = units_in_scope(user)
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
