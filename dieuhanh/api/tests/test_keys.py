"""Keys: shown once and stored hashed, scoped, read or read-write, expiry, revocation, last use, rate limit."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import timezone

from dieuhanh.accounts.keys import apikey_create, apikey_revoke
from dieuhanh.accounts.models import ApiKey, Role, RoleAssignment


def test_it_answers_401_in_one_shape_without_a_valid_key(db):
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer dh_00000000_nothing"}, {"HTTP_X_API_KEY": "wrong"}):
        response = Client(**headers).get("/api/v1/me")
        assert response.status_code == 401
        body = response.json()
        assert body["code"] == "E_UNAUTHENTICATED" and "khóa" in body["message"]
        assert body["errors"][0]["code"] == "E_UNAUTHENTICATED"


def test_it_stores_only_the_hash_and_reports_who_the_key_is(system, key_for, api_client, commune_a):
    raw = key_for(commune_a, access="read")
    key = ApiKey.objects.get()
    assert raw not in (key.hashed, key.prefix) and raw.startswith(f"dh_{key.prefix}_")
    assert key.last_used_at is None
    body = api_client(raw).get("/api/v1/me").json()
    assert body == {"name": "Hệ thống một cửa điện tử tỉnh", "client": True, "access": "read", "root": "XA-A",
                    "expires_at": None, "rate_per_minute": 600}
    key.refresh_from_db()
    assert key.last_used_at is not None
    assert Client(HTTP_X_API_KEY=raw).get("/api/v1/me").status_code == 200


def test_it_refuses_revoked_and_expired_keys(system, key_for, api_client, commune_a, admin_user):
    raw = key_for(commune_a)
    assert api_client(raw).get("/api/v1/me").status_code == 200
    apikey_revoke(key=ApiKey.objects.get(), by=admin_user)
    assert api_client(raw).get("/api/v1/me").status_code == 401
    # The service account lost the roles of its only key.
    assert not RoleAssignment.objects.filter(user=system.user).exists()

    soon = key_for(commune_a, expires_at=timezone.now() + datetime.timedelta(seconds=30))
    assert api_client(soon).get("/api/v1/me").status_code == 200
    ApiKey.objects.filter(expires_at__isnull=False).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert api_client(soon).get("/api/v1/me").status_code == 401

    system.active = False
    system.save()
    live = key_for(commune_a)
    assert api_client(live).get("/api/v1/me").status_code == 401


def test_a_client_key_gives_its_service_account_the_roles_of_its_access(system, key_for, commune_a, commune_b):
    key_for(commune_a, access="read")
    key_for(commune_b, access="read_write")
    held = set(RoleAssignment.objects.filter(user=system.user).values_list("role", "orgunit__code"))
    assert held == {(Role.LEADER, "XA-A"), (Role.LEADER, "XA-B"), (Role.REPORTER, "XA-B"), (Role.APPROVER, "XA-B")}


def test_a_personal_token_reaches_at_most_its_owners_rights(reporter_a, commune_a, commune_b, leader, province):
    with pytest.raises(ValidationError) as refused:
        apikey_create(user=reporter_a, created_by=reporter_a, root=commune_b, access="read")
    assert "root" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        apikey_create(user=leader, created_by=leader, root=province, access="read_write")
    assert "access" in refused.value.message_dict
    key, raw = apikey_create(user=reporter_a, created_by=reporter_a, root=commune_a, access="read_write")
    assert key.user == reporter_a and key.owner_name == "reporter_a"
    assert ApiKey.objects.count() == 1


@override_settings(API_RATE_PER_MINUTE=3)
def test_it_limits_each_key_with_429_and_retry_after(key_for, api_client, commune_a, commune_b):
    from django.core.cache import cache

    cache.clear()
    first, second = api_client(key_for(commune_a)), api_client(key_for(commune_b))
    assert [first.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 200]
    limited = first.get("/api/v1/me")
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited.json()["code"] == "E_RATE_LIMIT"
    assert second.get("/api/v1/me").status_code == 200  # another key has its own count
