"""Who may see and do what, by role and org-unit subtree. Every view scopes through these."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from dieuhanh.accounts.models import Role, RoleAssignment
from dieuhanh.lib.requestmemo import memoized
from dieuhanh.orgunits.models import OrgUnit

# Roles whose holders may read data in their subtree. Reporters read their own units' data too.
READ_ROLES = (Role.ADMIN, Role.LEADER, Role.REPORTER, Role.APPROVER, Role.OFFICE)


def role_paths(user) -> tuple[tuple[str, str], ...]:
    """(role, unit path) of every role `user` holds: one query, once per request (lib/requestmemo.py)."""
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return ()
    return memoized(("role_paths", user.pk), lambda: tuple(
        RoleAssignment.objects.filter(user=user).values_list("role", "orgunit__path")))


def holds_any(user, roles) -> bool:
    """Whether `user` holds one of `roles` on some unit."""
    return any(role in roles for role, _path in role_paths(user))


def _root_paths(user, roles) -> list[str]:
    if not user.is_authenticated or not user.is_active:
        return []
    wanted = set(roles) | {Role.ADMIN}  # an administrator may do everything in their subtree
    return [path for role, path in role_paths(user) if role in wanted]


def units_in_scope(user, *roles: str) -> QuerySet[OrgUnit]:
    """Units in the subtrees where `user` holds any of `roles` (default: any reading role)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return OrgUnit.objects.all()
    return units_under(_root_paths(user, roles or READ_ROLES))


def units_under(paths: list[str]) -> QuerySet[OrgUnit]:
    """The units at or below the units with these paths."""
    if not paths:
        return OrgUnit.objects.none()
    condition = Q()
    for p in paths:
        condition |= Q(path__startswith=p)
    return OrgUnit.objects.filter(condition)


def has_role(user, role: str, orgunit: OrgUnit) -> bool:
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(orgunit.path.startswith(p) for p in _root_paths(user, [role]))


def roles_on(user, orgunit: OrgUnit) -> set[str]:
    """All roles `user` holds on `orgunit` (through it or an ancestor); administrators hold every role."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return set(Role.values)
    if not user.is_authenticated:
        return set()
    held = {role for role, path in role_paths(user) if orgunit.path.startswith(path)}
    return set(Role.values) if Role.ADMIN in held else held


def get_unit_or_404(user, code: str, *roles: str) -> OrgUnit:
    """The unit with `code` if `user` holds one of `roles` on it; otherwise 404, so nothing leaks."""
    try:
        return units_in_scope(user, *roles).get(code=code)
    except OrgUnit.DoesNotExist as exc:
        raise Http404 from exc
