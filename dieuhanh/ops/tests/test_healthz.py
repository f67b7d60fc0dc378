"""/healthz: 200 when the database answers and the worker beat recently, 503 naming the failing part otherwise;
reachable without login, past the middleware that sends people elsewhere, and telling nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from dieuhanh.accounts.passwords import SESSION_KEY
from dieuhanh.ops.models import WorkerHeartbeat
from dieuhanh.ops.tasks import worker_heartbeat

pytestmark = pytest.mark.django_db


def beat_seconds_ago(seconds: int) -> None:
    WorkerHeartbeat.objects.filter(name="huey").update(beat_at=timezone.now() - dt.timedelta(seconds=seconds))


def test_it_is_ok_after_the_workers_periodic_task_ran(client):
    worker_heartbeat()  # the Huey task itself (the tests' Huey runs tasks at once)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["worker"]) == ("ok", "ok", "ok")
    assert 0 <= body["worker_last_beat_seconds"] < 60  # the first request loads the URLs: seconds on a busy machine
    assert set(body) == {"status", "database", "worker", "worker_last_beat_seconds"}  # nothing else is told
    assert "no-store" in response["Cache-Control"]


def test_it_fails_when_the_worker_never_beat(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "database": "ok", "worker": "missing",
                               "worker_last_beat_seconds": None}


def test_it_fails_once_the_heartbeat_is_older_than_the_setting(client):
    worker_heartbeat()
    beat_seconds_ago(170)
    assert client.get("/healthz").status_code == 200
    beat_seconds_ago(190)  # the default: stale after 180 s
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "stale"
    assert response.json()["worker_last_beat_seconds"] >= 190
    with override_settings(HEALTHZ_WORKER_STALE_SECONDS=300):
        assert client.get("/healthz").status_code == 200


def test_a_new_beat_makes_it_healthy_again(client):
    worker_heartbeat()
    beat_seconds_ago(3600)
    assert client.get("/healthz").status_code == 503
    worker_heartbeat()
    assert client.get("/healthz").status_code == 200
    assert WorkerHeartbeat.objects.count() == 1


def test_it_answers_a_person_who_must_change_the_password_first(client, leader):
    worker_heartbeat()
    client.force_login(leader)
    session = client.session
    session[SESSION_KEY] = True
    session.save()
    assert client.get("/").status_code == 302  # everything else waits for the new password
    assert client.get("/healthz").status_code == 200


@override_settings(SECURE_SSL_REDIRECT=True)
def test_a_probe_over_plain_http_is_not_redirected(client):
    worker_heartbeat()
    assert client.get("/").status_code == 301
    assert client.get("/healthz").status_code == 200


@override_settings(ALLOWED_HOSTS=["ioc.tayninh.gov.vn"])
def test_a_probe_by_the_machines_address_is_answered(client):
    worker_heartbeat()
    assert client.get("/", HTTP_HOST="10.0.0.5").status_code == 400
    assert client.get("/healthz", HTTP_HOST="10.0.0.5").status_code == 200


def test_it_only_reads(client):
    worker_heartbeat()
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200
