"""Idempotency-Key: a repeat replays the first answer, another request with the same key is refused (409), a
duplicate sent while the first runs does not run, keys are per API key and kept 24 h."""

import datetime
import json
import threading

import pytest
from django.test import Client
from django.utils import timezone

from dieuhanh.accounts.models import ApiClient
from dieuhanh.api.models import IdempotentRequest
from dieuhanh.api.tests import idempotency_urls

pytestmark = pytest.mark.urls("dieuhanh.api.tests.idempotency_urls")


def post(client, path, body, key=None):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def caller(key_for, api_client, province):
    return api_client(key_for(province))


def registered():
    """Clients registered through the endpoint (the fixture's own system aside)."""
    return list(ApiClient.objects.exclude(name="Hệ thống một cửa điện tử tỉnh").values_list("name", flat=True))


def test_a_repeat_with_the_same_body_replays_the_first_answer(caller):
    first = post(caller, "/clients", {"name": "Hệ thống quản lý văn bản"}, key="k-1")
    assert first.status_code == 201 and "Idempotent-Replayed" not in first
    again = post(caller, "/clients", {"name": "Hệ thống quản lý văn bản"}, key="k-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.content == first.content and again["Content-Type"] == first["Content-Type"]
    assert registered() == ["Hệ thống quản lý văn bản"]
    # Without the header the endpoint runs again: the name is taken now.
    assert post(caller, "/clients", {"name": "Hệ thống quản lý văn bản"}).status_code == 400


def test_the_same_key_with_another_body_is_refused_with_409(caller):
    assert post(caller, "/clients", {"name": "Hệ thống A"}, key="k-2").status_code == 201
    refused = post(caller, "/clients", {"name": "Hệ thống B"}, key="k-2")
    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "E_IDEMPOTENCY" and body["field"] == "Idempotency-Key"
    assert "đã được dùng" in body["message"] and body["errors"][0]["code"] == "E_IDEMPOTENCY"
    assert registered() == ["Hệ thống A"]
    # Another path with the same key is another request too; so is a body that does not fit the schema (422 before
    # the endpoint runs), which still learns that its key is taken.
    assert post(caller, "/refuse", {"name": "Hệ thống A"}, key="k-2").status_code == 409
    assert post(caller, "/clients", {"nom": 1}, key="k-2").json()["code"] == "E_IDEMPOTENCY"
    assert post(caller, "/clients", {"nom": 1}, key="k-3").status_code == 422


def test_keys_belong_to_one_api_key(caller, key_for, api_client, commune_a):
    assert post(caller, "/clients", {"name": "Hệ thống C"}, key="shared").status_code == 201
    other = api_client(key_for(commune_a))
    # The other key's 'shared' is its own: the endpoint runs, and finds the name taken.
    answer = post(other, "/clients", {"name": "Hệ thống C"}, key="shared")
    assert answer.status_code == 400 and "Idempotent-Replayed" not in answer
    assert registered() == ["Hệ thống C"]


def test_refusals_the_endpoint_made_are_replayed_too(caller):
    first = post(caller, "/refuse", {"name": "x"}, key="k-4")
    assert first.status_code == 400 and first.json()["code"] == "E_TEST"
    again = post(caller, "/refuse", {"name": "x"}, key="k-4")
    assert again.status_code == 400 and again["Idempotent-Replayed"] == "true" and again.content == first.content


def test_a_duplicate_sent_while_the_first_runs_does_not_run(caller):
    answer = post(caller, "/nested", {"name": "x"}, key="k-5")
    assert answer.status_code == 200
    assert answer.json() == {"inner_status": 409, "inner_code": "E_IDEMPOTENCY_PENDING"}


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_from_two_threads_run_once(key_for, api_client, province):
    raw = key_for(province)
    idempotency_urls.running.clear()
    idempotency_urls.go_on.clear()
    answers = {}

    def first():
        answers["first"] = post(api_client(raw), "/clients", {"name": "Hệ thống song song"}, key="k-6")

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert idempotency_urls.running.wait(10)
        pending = post(api_client(raw), "/clients", {"name": "Hệ thống song song"}, key="k-6")
        assert pending.status_code == 409 and pending.json()["code"] == "E_IDEMPOTENCY_PENDING"
        assert pending["Retry-After"] == "1"
    finally:
        idempotency_urls.go_on.set()
        thread.join(20)
    assert answers["first"].status_code == 201
    replay = post(api_client(raw), "/clients", {"name": "Hệ thống song song"}, key="k-6")
    assert replay.status_code == 201 and replay.content == answers["first"].content
    assert registered() == ["Hệ thống song song"]


def test_a_server_error_releases_the_key(key_for, province):
    caller = Client(HTTP_AUTHORIZATION=f"Bearer {key_for(province)}", raise_request_exception=False)
    assert post(caller, "/clients", {"name": "Hệ thống D", "fail": True}, key="k-7").status_code == 500
    assert not IdempotentRequest.objects.exists()
    assert post(caller, "/clients", {"name": "Hệ thống D"}, key="k-7").status_code == 201
    assert registered() == ["Hệ thống D"]


def test_a_key_is_kept_24_hours(caller):
    assert post(caller, "/clients", {"name": "Hệ thống E"}, key="k-8").status_code == 201
    IdempotentRequest.objects.update(created_at=timezone.now() - datetime.timedelta(hours=24, seconds=1))
    assert post(caller, "/clients", {"name": "Hệ thống F"}, key="k-8").status_code == 201
    assert sorted(registered()) == ["Hệ thống E", "Hệ thống F"]
    assert IdempotentRequest.objects.count() == 1


def test_a_malformed_key_is_refused_and_nothing_runs(caller):
    for key in ("", "x" * 256):
        answer = post(caller, "/clients", {"name": "Hệ thống G"}, key=key)
        assert answer.status_code == 400 and answer.json()["field"] == "Idempotency-Key"
    assert registered() == [] and not IdempotentRequest.objects.exists()


def test_the_openapi_names_the_header_and_the_409(caller):
    operation = idempotency_urls.api.get_openapi_schema()["paths"]["/clients"]["post"]
    assert "Idempotency-Key" in [p["name"] for p in operation["parameters"]]
    assert 409 in operation["responses"]
    nested = idempotency_urls.api.get_openapi_schema()["paths"]["/nested"]["post"]
    assert 409 in nested["responses"] and 200 in nested["responses"]


def test_an_endpoint_with_its_own_409_declares_both(caller):
    from dieuhanh.api.tests.idempotency_urls import api

    schema = api.get_openapi_schema()["paths"]["/own409"]["post"]["responses"][409]["content"]["application/json"]
    refs = {item["$ref"].rsplit("/", 1)[1] for item in schema["schema"]["anyOf"]}
    assert refs == {"SummaryOut", "ErrorOut"}
    assert post(caller, "/own409", {"name": "x"}, key="k-9").json() == {"status": "ERROR"}
    assert post(caller, "/own409", {"name": "y"}, key="k-9").json()["code"] == "E_IDEMPOTENCY"


def test_a_body_too_large_to_fingerprint_answers_413_in_the_error_shape(caller, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000_000
    refused = post(caller, "/clients", {"name": "x" * 2_100_000}, key="k-big")
    assert refused.status_code == 413
    body = refused.json()
    assert body["code"] == "E_TOO_LARGE" and "2 MB" in body["message"] and "Idempotency-Key" in body["message"]
    assert registered() == [] and not IdempotentRequest.objects.filter(key="k-big").exists()
