"""Who is calling: an API key (`Authorization: Bearer dh_…`, or `X-API-Key: dh_…`) becomes a Principal that every
endpoint asks what the call may reach, and a rate limit per key.

A key reaches the units under its root that its user may reach with the roles asked for (a client's service account
holds the roles of its keys; a person's token holds at most the person's). A unit outside answers 404, as the pages
do, so a key learns nothing about units it may not see."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.security import APIKeyHeader, HttpBearer
from ninja.throttling import SimpleRateThrottle

from dieuhanh.accounts.keys import WRITE_ROLES, apikey_authenticate
from dieuhanh.accounts.models import ApiKey
from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.audit.middleware import api_key_used
from dieuhanh.orgunits.models import OrgUnit


@dataclass
class Principal:
    key: ApiKey

    @property
    def user(self):
        return self.key.user

    @property
    def name(self) -> str:
        """The calling system's name, or the person's: what the history and the logs record."""
        return self.key.owner_name

    @property
    def can_write(self) -> bool:
        return self.key.can_write

    def units(self, *roles: str) -> QuerySet[OrgUnit]:
        """Units this key may reach holding any of `roles` (default: reading); writing roles need a read-write key."""
        if roles and set(roles) <= set(WRITE_ROLES) and not self.can_write:
            return OrgUnit.objects.none()
        units = units_in_scope(self.user, *roles)
        if self.key.root_id:
            units = units.filter(path__startswith=self.key.root.path)
        return units

    def unit_or_404(self, code: str, *roles: str) -> OrgUnit:
        try:
            return self.units(*roles).get(code=code)
        except OrgUnit.DoesNotExist as exc:
            raise Http404 from exc

    def require_write(self) -> None:
        if not self.can_write:
            raise PermissionDenied(_("This key is read-only"))


def _principal(request, token: str) -> Principal | None:
    key = apikey_authenticate(token)
    if key:
        api_key_used(request, key)  # one audit row per call made with a key, with its status
    return Principal(key) if key else None


class BearerKey(HttpBearer):
    def authenticate(self, request, token):
        return _principal(request, token)


class HeaderKey(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request, key):
        return _principal(request, key) if key else None


AUTH = [BearerKey(), HeaderKey()]


class KeyRateThrottle(SimpleRateThrottle):
    """settings.API_RATE_PER_MINUTE requests a minute per key (a key's own rate_per_minute overrides it), counted in
    the shared cache (Redis when REDIS_URL is set, so every web process counts together)."""

    scope = "api-key"

    def __init__(self):  # the rate depends on the key: set per request in allow_request
        self.rate = f"{settings.API_RATE_PER_MINUTE}/min"
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def allow_request(self, request) -> bool:
        principal = getattr(request, "auth", None)
        if not isinstance(principal, Principal):
            return True
        per_minute = principal.key.rate_per_minute or settings.API_RATE_PER_MINUTE
        self.num_requests, self.duration = per_minute, 60
        return super().allow_request(request)

    def get_cache_key(self, request) -> str:
        # The prefix, not the row id: ids come back after a rollback (tests) or a restore, prefixes are random.
        return self.cache_format % {"scope": self.scope, "ident": request.auth.key.prefix}
