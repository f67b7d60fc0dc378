"""Reads of dashboards, scoped to the user.

Who sees which dashboard (`dashboards_for`): the active dashboards assigned to the user directly, or assigned to
a unit at or above a unit where the user holds a role (a dashboard assigned to the province reaches everyone
with a role in the province, one assigned to a commune only that commune's people); when nothing is assigned,
the default dashboards (`is_default`). An empty answer means no dashboard is configured at all: pages then build
the default in code.

Pages take the dashboard from `?dashboard=<id>` (`DASHBOARD_PARAM`) through `dashboard_from_request`: an id the
user may not see answers 404.

Who configures (`configurable_dashboards`): administrators (Role.ADMIN, or superusers), for the dashboards whose
unit is empty or inside their subtree; everybody else gets 404 on the configuration pages.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from dieuhanh.accounts.models import Role, RoleAssignment
from dieuhanh.accounts.selectors import holds_any, role_paths, units_in_scope
from dieuhanh.dashboard.models import Card, Dashboard
from dieuhanh.orgunits.models import OrgUnit

DASHBOARD_PARAM = "dashboard"


def _ancestor_paths(path: str) -> list[str]:
    """"/80/27727/" → ["/80/", "/80/27727/"]: the paths of a unit and of every unit above it."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def dashboards_for(user) -> QuerySet[Dashboard]:
    """The dashboards `user` is given, in their order (see the module note); one query to build, one to read."""
    if not _active(user):
        return Dashboard.objects.none()
    paths = {p for _role, path in role_paths(user) for p in _ancestor_paths(path)}
    assigned = Q(users=user)
    if paths:
        assigned |= Q(orgunits__path__in=paths)
    active = Dashboard.objects.filter(active=True)
    ids = list(active.filter(assigned).values_list("pk", flat=True).distinct())
    if ids:
        return active.filter(pk__in=ids)
    return active.filter(is_default=True)


def is_configurator(user) -> bool:
    if not _active(user):
        return False
    return user.is_superuser or holds_any(user, {Role.ADMIN})


def admin_units(user) -> QuerySet[OrgUnit]:
    """The units an administrator may put on a dashboard or assign it to."""
    if not is_configurator(user):
        return OrgUnit.objects.none()
    return units_in_scope(user, Role.ADMIN)


def configurable_dashboards(user) -> QuerySet[Dashboard]:
    if not is_configurator(user):
        return Dashboard.objects.none()
    qs = Dashboard.objects.select_related("sector", "orgunit")
    if user.is_superuser:
        return qs
    return qs.filter(Q(orgunit__isnull=True) | Q(orgunit__in=admin_units(user)))


def configurable_dashboard_or_404(user, pk) -> Dashboard:
    try:
        return configurable_dashboards(user).get(pk=pk)
    except (Dashboard.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def configurable_card_or_404(user, dashboard: Dashboard, pk) -> Card:
    try:
        return dashboard.cards.select_related("indicator").get(pk=pk)
    except (Card.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def dashboard_or_404(user, pk) -> Dashboard:
    """A dashboard `user` is given, or one they configure (administrators preview theirs); otherwise 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    dashboard = dashboards_for(user).filter(pk=pk).first() or configurable_dashboards(user).filter(pk=pk).first()
    if dashboard is None:
        raise Http404
    return dashboard


def dashboard_from_request(request) -> Dashboard | None:
    """The dashboard named by `?dashboard=<id>` (404 when not the user's), else the user's first, else None."""
    wanted = request.GET.get(DASHBOARD_PARAM, "").strip()
    if wanted:
        return dashboard_or_404(request.user, wanted)
    return dashboards_for(request.user).first()


def dashboard_unit(user, dashboard: Dashboard | None) -> OrgUnit | None:
    """The unit whose figures `dashboard` shows to `user`: its own unit when inside the user's scope, else the top
    of the user's scope (the unit with the shortest path); None for a user without any scope."""
    scope = units_in_scope(user)
    if dashboard is not None and dashboard.orgunit_id and scope.filter(pk=dashboard.orgunit_id).exists():
        return dashboard.orgunit
    return top_unit(user)


def top_unit(user) -> OrgUnit | None:
    units = list(units_in_scope(user).filter(parent__isnull=True)[:1])
    if units:
        return units[0]
    roots = RoleAssignment.objects.filter(user=user).select_related("orgunit")
    best = min((ra.orgunit for ra in roots), key=lambda u: (u.path.count("/"), u.path), default=None)
    return best
