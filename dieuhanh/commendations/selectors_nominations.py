"""Who may do what in the nomination workflow, and the rounds, nominations and decisions a user may read.

- Propose: a unit's reporters, approvers and office (and administrators) for people and collectives of the unit's
  subtree.
- Record rounds, votes and decisions (the emulation council's secretariat): an administrator of the round's
  organiser, or the office of a province above or at it (Văn phòng UBND tỉnh keeps the council's secretariat; a
  department's office does not record the province council's votes).
- Read: every reading role (leaders included) in its subtree: a round when its organiser is in scope, a nomination
  when its proposer or its recipient is in scope or the reader is the round's secretariat.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from dieuhanh.accounts.models import Role, RoleAssignment
from dieuhanh.accounts.selectors import has_role, units_in_scope, units_under
from dieuhanh.commendations.models import Decision, Nomination, Round
from dieuhanh.commendations.selectors import register_units
from dieuhanh.orgunits.models import OrgUnit

PROPOSER_ROLES = (Role.REPORTER, Role.APPROVER, Role.OFFICE)


def proposing_units(user) -> QuerySet[OrgUnit]:
    """The units whose people and collectives `user` may propose."""
    return units_in_scope(user, *PROPOSER_ROLES)


def _secretariat_paths(user) -> list[str]:
    if not user.is_authenticated or not user.is_active:
        return []
    held = RoleAssignment.objects.filter(user=user).filter(
        Q(role=Role.ADMIN) | Q(role=Role.OFFICE, orgunit__kind=OrgUnit.Kind.PROVINCE))
    return list(held.values_list("orgunit__path", flat=True))


def is_secretariat(user, organiser: OrgUnit) -> bool:
    """Whether `user` records rounds, votes and decisions of `organiser`'s council."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(organiser.path.startswith(p) for p in _secretariat_paths(user))


def secretariat_units(user) -> QuerySet[OrgUnit]:
    if getattr(user, "is_superuser", False) and user.is_active:
        return OrgUnit.objects.all()
    return units_under(_secretariat_paths(user))


def _proposing_root_paths(user) -> list[str]:
    if getattr(user, "is_superuser", False) and user.is_active:
        return ["/"]
    if not user.is_authenticated or not user.is_active:
        return []
    return list(RoleAssignment.objects.filter(user=user, role__in=[*PROPOSER_ROLES, Role.ADMIN]).values_list(
        "orgunit__path", flat=True))


def _ancestor_paths(paths: list[str]) -> set[str]:
    """"/80/27727/" → {"/80/", "/80/27727/"}: the councils a unit may propose to are at or above it."""
    found = set()
    for path in paths:
        parts = [p for p in path.split("/") if p]
        for i in range(1, len(parts) + 1):
            found.add("/" + "/".join(parts[:i]) + "/")
    return found


def rounds_for(user) -> QuerySet[Round]:
    """Rounds of a council in the reader's scope, of the councils they keep the secretariat of, and of the councils
    above or at the units they propose for."""
    condition = Q(organiser__in=units_in_scope(user)) | Q(organiser__in=secretariat_units(user))
    above = _ancestor_paths(_proposing_root_paths(user))
    if above:
        condition |= Q(organiser__path__in=above)
    return Round.objects.filter(condition).select_related("authority", "organiser")


def round_or_404(user, pk: int) -> Round:
    found = rounds_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def may_propose_in(user, round_: Round) -> bool:
    """A unit proposes to the council of a unit above or at it."""
    if round_.closed:
        return False
    return any(unit.path.startswith(round_.organiser.path) for unit in proposing_units(user))


def nominations_for(user, round_: Round) -> QuerySet[Nomination]:
    nominations = round_.nominations.select_related("kind", "person", "person__unit", "unit", "proposer", "award")
    if is_secretariat(user, round_.organiser) or has_role(user, Role.LEADER, round_.organiser):
        return nominations
    scope = units_in_scope(user)
    return nominations.filter(Q(proposer__in=scope) | Q(unit__in=scope) | Q(person__unit__in=scope))


def nomination_or_404(user, pk: int) -> Nomination:
    nomination = Nomination.objects.select_related("round", "round__organiser", "round__authority").filter(
        pk=pk).first()
    if nomination is None or not nominations_for(user, nomination.round).filter(pk=pk).exists():
        raise Http404
    return nomination


def decisions_for(user) -> QuerySet[Decision]:
    """Decisions issued in the user's scope or granting an award in it."""
    scope = register_units(user)
    return (Decision.objects.filter(Q(issuer__in=scope) | Q(awards__unit__in=scope) | Q(awards__person__unit__in=scope))
            .distinct().select_related("authority", "issuer"))
