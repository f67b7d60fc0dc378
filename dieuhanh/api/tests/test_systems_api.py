"""Heartbeats through the API: a system holding a read-write key over its owner unit says it is alive, and the check
moves exactly as a call of its secret URL moves it; keys without the right reach or access are refused."""

import datetime as dt
import json

import pytest
from django.db import transaction
from django.utils import timezone

from dieuhanh.monitoring.models import Check, StateChange
from dieuhanh.monitoring.runner import heartbeat_evaluate
from dieuhanh.monitoring.services import check_create, heartbeat_receive, system_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def backup_system(agency):
    return system_create(user=None, code="saoluu", name="Sao lưu dữ liệu hằng đêm", owner=agency)


@pytest.fixture
def nightly(backup_system):
    return check_create(system=backup_system, user=None, name="Sao lưu đêm", kind=Check.Kind.HEARTBEAT,
                        period_seconds=86400, grace_seconds=3600, failures_to_down=1, successes_to_up=1)


def beat(client, code="saoluu", body=None):
    return client.post(f"/api/v1/systems/{code}/heartbeat", data=json.dumps(body) if body is not None else "",
                       content_type="application/json")


def test_a_heartbeat_through_the_api_brings_a_late_check_up_as_the_url_does(key_for, api_client, agency, nightly):
    # Late first: heard two days ago by its URL, nothing since (longer than the period plus the grace time).
    now = timezone.now()
    heartbeat_receive(nightly.heartbeat_token, now=now - dt.timedelta(days=2))
    with transaction.atomic():
        heartbeat_evaluate(check=Check.objects.select_for_update().get(pk=nightly.pk), now=now)
    assert Check.objects.get(pk=nightly.pk).state == "down"

    answer = beat(api_client(key_for(agency)))
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["system"], body["check"], body["state"]) == ("saoluu", "Sao lưu đêm", "up")
    check = Check.objects.get(pk=nightly.pk)
    assert check.state == "up" and check.last_ok_at is not None
    late_after = dt.datetime.fromisoformat(body["late_after"])
    assert abs((late_after - check.next_run_at).total_seconds()) < 0.001  # the JSON keeps milliseconds
    assert abs((late_after - check.last_ok_at).total_seconds() - (86400 + 3600)) < 1
    assert list(StateChange.objects.filter(check=nightly).values_list("new", flat=True))[-1] == "up"


def test_a_key_must_reach_the_owner_and_may_write(key_for, api_client, agency, commune_b, nightly):
    assert beat(api_client(key_for(commune_b))).json()["code"] == "E_NOT_FOUND"
    assert beat(api_client(key_for(agency)), code="khong-co").status_code == 404
    read_only = beat(api_client(key_for(agency, access="read")))
    assert read_only.status_code == 403
    assert Check.objects.get(pk=nightly.pk).last_ok_at is None  # nothing recorded by the refused calls


def test_several_heartbeat_checks_are_told_apart_by_name(key_for, api_client, agency, backup_system, nightly):
    check_create(system=backup_system, user=None, name="Đồng bộ dữ liệu", kind=Check.Kind.HEARTBEAT,
                 period_seconds=3600, grace_seconds=300)
    client = api_client(key_for(agency))
    ambiguous = beat(client)
    assert ambiguous.status_code == 422
    assert ambiguous.json()["code"] == "E_CHECK_AMBIGUOUS"
    assert "Đồng bộ dữ liệu" in ambiguous.json()["message"] and "Sao lưu đêm" in ambiguous.json()["message"]
    named = beat(client, body={"check": "Đồng bộ dữ liệu"})
    assert named.status_code == 200 and named.json()["check"] == "Đồng bộ dữ liệu"
    unknown = beat(client, body={"check": "Không có"})
    assert (unknown.status_code, unknown.json()["code"]) == (422, "E_NO_HEARTBEAT_CHECK")
    assert "Không có" in unknown.json()["message"]
    assert Check.objects.get(pk=nightly.pk).last_ok_at is None


def test_a_system_without_heartbeat_check_says_so(key_for, api_client, agency, backup_system):
    answer = beat(api_client(key_for(agency)))
    assert (answer.status_code, answer.json()["code"]) == (422, "E_NO_HEARTBEAT_CHECK")
    assert "saoluu" in answer.json()["message"]
