"""API clients and keys: registering an external system, making, checking and revoking keys.

A key is `dh_<prefix>_<secret>`: the prefix finds the row, the SHA-256 of the whole key is compared in constant
time. The secret has 256 bits of randomness, so a plain hash is enough (no password stretching: nobody can guess
it, and every API request checks one). The key is returned once, by the function that makes it.

A client's service account holds the roles its keys need (reader, or reporter and approver for a read-write key) on
the keys' subtrees, so the services and selectors that check a person's roles check the system's the same way;
the API also keeps each request inside its own key's subtree and access."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dieuhanh.accounts.models import ApiClient, ApiKey, Role, RoleAssignment
from dieuhanh.accounts.selectors import roles_on, units_in_scope
from dieuhanh.orgunits.models import OrgUnit

KEY_PREFIX = "dh_"
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)  # last_used_at is written at most once a minute per key
WRITE_ROLES = (Role.REPORTER, Role.APPROVER)
READ_ROLE = Role.LEADER


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _service_username(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower().encode("ascii", "ignore").decode()).strip("-")[:40] or "system"
    return f"api-{slug}-{secrets.token_hex(3)}"


@transaction.atomic
def apiclient_create(*, name: str, description: str = "", contact: str = "", created_by) -> ApiClient:
    """Register an external system with its own service account (no password: it logs in only by key)."""
    user = get_user_model()(username=_service_username(name), first_name=name[:150])
    user.set_unusable_password()
    user.full_clean()
    user.save()
    client = ApiClient(name=name.strip(), description=description, contact=contact, user=user, created_by=created_by)
    client.full_clean()
    client.save()
    return client


@transaction.atomic
def apikey_create(*, user=None, client: ApiClient | None = None, created_by, root: OrgUnit | None,
                  access: str, name: str = "", expires_at: datetime.datetime | None = None,
                  rate_per_minute: int | None = None) -> tuple[ApiKey, str]:
    """Make a key for a client system (`client`) or a person's own token (`user`); returns the key and, once, its
    text. A client's key must name its subtree; a person's token reaches at most what the person may."""
    if (client is None) == (user is None):
        raise ValueError("a key is either a client's or a person's")
    problems = {}
    if client is not None:
        user = client.user
        if root is None:
            problems["root"] = _("Choose the units this key reaches")
    else:
        held = roles_on(user, root) if root is not None else None
        if root is not None and not held:
            problems["root"] = _("You have no role on %(unit)s") % {"unit": root}
        elif access == ApiKey.Access.READ_WRITE and root is not None and not held & set(WRITE_ROLES):
            problems["access"] = _("You may not enter or approve figures for %(unit)s") % {"unit": root}
    if expires_at is not None and expires_at <= timezone.now():
        problems["expires_at"] = _("The expiry must be in the future")
    if problems:
        raise ValidationError(problems)
    raw_prefix = secrets.token_hex(4)
    raw = f"{KEY_PREFIX}{raw_prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey(client=client, user=user, name=name, prefix=raw_prefix, hashed=_hash(raw), root=root, access=access,
                 expires_at=expires_at, rate_per_minute=rate_per_minute, created_by=created_by)
    key.full_clean()
    key.save()
    if client is not None:
        _sync_service_roles(client)
    return key, raw


@transaction.atomic
def apikey_revoke(*, key: ApiKey, by) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        if key.client_id:
            _sync_service_roles(key.client)
    return key


def _sync_service_roles(client: ApiClient) -> None:
    """The service account holds exactly the roles its usable keys need."""
    now = timezone.now()
    wanted = set()
    for key in client.keys.select_related("client", "user").filter(revoked_at__isnull=True):
        if key.is_usable(now) and key.root_id:
            wanted.add((READ_ROLE, key.root_id))
            if key.can_write:
                wanted.update((role, key.root_id) for role in WRITE_ROLES)
    held = set(RoleAssignment.objects.filter(user=client.user).values_list("role", "orgunit_id"))
    for role, unit_id in held - wanted:
        RoleAssignment.objects.filter(user=client.user, role=role, orgunit_id=unit_id).delete()
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=client.user, role=role, orgunit_id=unit_id) for role, unit_id in wanted - held])


def apikey_authenticate(raw: str) -> ApiKey | None:
    """The usable key `raw` is, or None (unknown, wrong, revoked, expired, its client or account switched off)."""
    parts = raw.strip().split("_")
    if len(parts) < 3 or not raw.startswith(KEY_PREFIX):
        return None
    key = ApiKey.objects.select_related("client", "user", "root").filter(prefix=parts[1]).first()
    if key is None or not hmac.compare_digest(key.hashed, _hash(raw.strip())):
        return None
    now = timezone.now()
    if not key.is_usable(now):
        return None
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


# --- who manages what (the pages under /api/clients/ and /api/tokens/) --------------------------------------------
def may_manage_clients(user) -> bool:
    """Administrators (Role.ADMIN anywhere, or superusers) register systems and make and revoke their keys."""
    return bool(user.is_active and (user.is_superuser or RoleAssignment.objects.filter(
        user=user, role=Role.ADMIN).exists()))


def client_key_roots(user):
    """The units an administrator may give a client's key: those they administer (subtrees included)."""
    return units_in_scope(user, Role.ADMIN).filter(valid_to__isnull=True)


def token_roots(user):
    """The units a person may give their own token: any they hold a role on (subtrees included)."""
    return units_in_scope(user).filter(valid_to__isnull=True)


def may_write_somewhere(user) -> bool:
    return units_in_scope(user, *WRITE_ROLES).exists()


def may_revoke(user, key: ApiKey) -> bool:
    """A person revokes their own tokens; an administrator, the keys of clients within what they administer."""
    if key.client_id is None:
        return key.user_id == user.pk
    return may_manage_clients(user) and (key.root_id is None or client_key_roots(user).filter(
        pk=key.root_id).exists() or user.is_superuser)


def apikey_state(key: ApiKey, now: datetime.datetime | None = None) -> str:
    """'revoked', 'expired', 'disabled' (its system or account switched off) or 'active'."""
    now = now or timezone.now()
    if key.revoked_at is not None:
        return "revoked"
    if key.expires_at is not None and key.expires_at <= now:
        return "expired"
    return "active" if key.is_usable(now) else "disabled"
