"""Tasks through the API: the list and detail within the key's reach (as the task pages scope them), and progress and
completion reports posted by another system, recorded as from that system."""
# The task fixtures are the assignments tests' own, imported: tests naming them as arguments "redefine" them.
# ruff: noqa: F811

import datetime
import json

import pytest
from django.urls import reverse

from dieuhanh.assignments.models import Occurrence, TaskEvent
from dieuhanh.assignments.tests.conftest import (  # noqa: F401 (fixtures)
    assigner,
    assigner_user,
    coordinating_unit,
    document,
    finance,
    lead_reporter,
    lead_unit,
    make_task,
    office,
    task,
)

pytestmark = pytest.mark.django_db
D = datetime.date
SYSTEM = "Hệ thống một cửa điện tử tỉnh"


def post(client, path, body, **extra):
    return client.post(f"/api/v1/tasks/{path}", data=json.dumps(body), content_type="application/json", **extra)


def occurrence_of(task):
    return task.occurrences.get()


def test_a_key_reaches_the_tasks_its_units_lead_or_coordinate(key_for, api_client, task, lead_unit, commune_a,
                                                               commune_b):
    for root, seen in ((lead_unit, True), (commune_a, True), (commune_b, False)):
        client = api_client(key_for(root, access="read"))
        listed = client.get("/api/v1/tasks").json()
        assert [i["task"] for i in listed["items"]] == ([task.pk] if seen else [])
        detail = client.get(f"/api/v1/tasks/{task.pk}")
        assert detail.status_code == (200 if seen else 404)
    outside = api_client(key_for(commune_b)).get(f"/api/v1/tasks/{task.pk}")
    assert outside.json()["code"] == "E_NOT_FOUND"


def test_the_detail_shows_occurrences_statuses_and_history(key_for, api_client, task, lead_unit):
    client = api_client(key_for(lead_unit, access="read"))
    body = client.get(f"/api/v1/tasks/{task.pk}", {"on": "2026-03-01"}).json()
    assert body["title"] == "Triển khai nền tảng tích hợp, chia sẻ dữ liệu của tỉnh"
    assert body["lead_unit"] == {"code": "SKHCN", "name": "Sở Khoa học và Công nghệ"}
    assert body["coordinating_units"] == [{"code": "XA-A", "name": "Xã Hưng Điền"}]
    assert body["document"]["number"] == "125/QĐ-UBND"
    assert body["assigner"] == "Chủ tịch UBND tỉnh Nguyễn Văn Mạnh"
    [occurrence] = body["occurrences"]
    assert occurrence["status"]["code"] == "in_progress" and occurrence["deadline"] == "2026-03-31"
    overdue = client.get(f"/api/v1/tasks/{task.pk}", {"on": "2026-04-01"}).json()["occurrences"][0]["status"]
    assert overdue["code"] == "overdue" and overdue["label"] == "Chưa hoàn thành, quá hạn"
    assert [e["kind"]["code"] for e in body["events"]] == ["created"]
    assert body["events"][0]["by"] == "office"


def test_the_list_filters_by_status_on_a_day_unit_document_and_deadline(key_for, api_client, make_task, province,
                                                                         finance, lead_unit):
    march = make_task(title="Báo cáo quý I")
    june = make_task(title="Báo cáo 6 tháng", deadline=D(2026, 6, 30), lead_unit=finance)
    client = api_client(key_for(province, access="read"))

    def tasks(**params):
        response = client.get("/api/v1/tasks", params)
        assert response.status_code == 200, response.content
        return [i["task"] for i in response.json()["items"]]

    assert tasks() == [march.pk, june.pk]  # by deadline
    assert tasks(on="2026-04-15", status="overdue") == [march.pk]
    assert tasks(on="2026-04-15", status="in_progress") == [june.pk]
    assert tasks(on="2026-04-15", status=["overdue", "in_progress"]) == [march.pk, june.pk]
    assert tasks(orgUnit="STC") == [june.pk]
    assert tasks(document="125/QĐ-UBND") == [march.pk, june.pk]
    assert tasks(document="09/QĐ-UBND") == []
    unreadable = client.get("/api/v1/tasks", {"document": "9/QĐ-UBND"})  # Decree 30: numbers below 10 take a 0
    assert unreadable.status_code == 400 and unreadable.json()["field"] == "document"
    assert tasks(deadlineFrom="2026-04-01", deadlineTo="2026-12-31") == [june.pk]
    assert tasks(q="quy i") == [march.pk]
    page = client.get("/api/v1/tasks", {"limit": 1, "offset": 1}).json()
    assert page["count"] == 2 and [i["task"] for i in page["items"]] == [june.pk]
    wrong = client.get("/api/v1/tasks", {"deadlineFrom": "2026-05-01", "deadlineTo": "2026-04-01"})
    assert wrong.status_code == 400 and wrong.json()["field"] == "deadlineFrom"
    assert client.get("/api/v1/tasks", {"status": "late"}).status_code == 422
    # A key for the agency: only what its units lead or coordinate.
    agency_only = api_client(key_for(lead_unit, access="read")).get("/api/v1/tasks").json()
    assert [i["task"] for i in agency_only["items"]] == [march.pk]
    assert api_client(key_for(lead_unit, access="read")).get("/api/v1/tasks", {"orgUnit": "STC"}).status_code == 404


def test_a_progress_report_is_recorded_as_the_system(key_for, api_client, task, lead_unit, system, client,
                                                     lead_reporter):
    occurrence = occurrence_of(task)
    api = api_client(key_for(lead_unit))
    response = post(api, f"occurrences/{occurrence.pk}/progress",
                    {"text": "Đã ký hợp đồng triển khai", "percent": 40, "expected_version": occurrence.version})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["occurrences"][0]["percent"] == 40
    event = body["events"][-1]
    assert event["kind"]["code"] == "progress" and event["by"] == SYSTEM and event["percent"] == 40
    assert event["unit"]["code"] == "SKHCN"
    stored = TaskEvent.objects.get(kind="progress")
    assert stored.actor == system.user and stored.text == "Đã ký hợp đồng triển khai"
    # The task page shows the system's name in the history.
    client.force_login(lead_reporter)
    page = client.get(reverse("assignments:task_detail", args=[task.pk])).content.decode()
    history = page[page.index("Đã ký hợp đồng triển khai") - 2000:page.index("Đã ký hợp đồng triển khai") + 2000]
    assert SYSTEM in history
    assert system.user.username not in page


def test_a_completion_report_awaits_confirmation(key_for, api_client, task, lead_unit, system):
    occurrence = occurrence_of(task)
    api = api_client(key_for(lead_unit))
    response = post(api, f"occurrences/{occurrence.pk}/completion",
                    {"completed_on": "2026-03-20", "result_note": "Đã vận hành nền tảng", "result_number":
                     "45/BC-SKHCN"})
    assert response.status_code == 200, response.content
    [reported] = response.json()["occurrences"]
    assert reported["progress"]["code"] == "reported" and reported["completed_on"] == "2026-03-20"
    assert reported["status"]["code"] == "overdue"  # not done until the assigner confirms
    assert response.json()["events"][-1]["by"] == SYSTEM
    again = post(api, f"occurrences/{occurrence.pk}/completion",
                 {"completed_on": "2026-03-21", "result_note": "Lần nữa"})
    assert again.status_code == 400 and again.json()["message"] == "Đã báo cáo hoàn thành."
    assert TaskEvent.objects.filter(kind="completion_reported").count() == 1


def test_bad_reports_change_nothing(key_for, api_client, task, lead_unit):
    occurrence = occurrence_of(task)
    api = api_client(key_for(lead_unit))
    future = datetime.date.today() + datetime.timedelta(days=30)
    response = post(api, f"occurrences/{occurrence.pk}/completion",
                    {"completed_on": future.isoformat(), "result_note": " "})
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"completed_on", "result_note"}
    percent = post(api, f"occurrences/{occurrence.pk}/progress", {"text": "Xong một nửa", "percent": 140})
    assert percent.status_code == 400 and percent.json()["field"] == "percent"
    assert "0 đến 100" in percent.json()["message"]
    empty = post(api, f"occurrences/{occurrence.pk}/progress", {"percent": 10})
    assert empty.status_code == 422 and empty.json()["field"] == "text"
    occurrence.refresh_from_db()
    assert occurrence.progress == Occurrence.Progress.OPEN and occurrence.percent == 0
    assert not TaskEvent.objects.exclude(kind="created").exists()


def test_read_only_keys_get_403_and_keys_out_of_reach_404(key_for, api_client, task, lead_unit, commune_a,
                                                          commune_b):
    occurrence = occurrence_of(task)
    body = {"text": "Đang làm", "percent": 10}
    read_only = post(api_client(key_for(lead_unit, access="read")), f"occurrences/{occurrence.pk}/progress", body)
    assert read_only.status_code == 403 and read_only.json()["code"] == "E_FORBIDDEN"
    # Commune A coordinates the task: it reads it but does not report for the lead unit, as on the page.
    assert post(api_client(key_for(commune_a)), f"occurrences/{occurrence.pk}/progress", body).status_code == 404
    assert post(api_client(key_for(commune_b)), f"occurrences/{occurrence.pk}/progress", body).status_code == 404
    assert post(api_client(key_for(lead_unit)), "occurrences/999999/progress", body).status_code == 404
    assert not TaskEvent.objects.filter(kind="progress").exists()


def test_a_report_on_a_stale_version_is_a_conflict_and_a_repeat_is_replayed(key_for, api_client, task, lead_unit,
                                                                            lead_reporter):
    from dieuhanh.assignments.services import progress_add

    occurrence = occurrence_of(task)
    stale = occurrence.version
    progress_add(user=lead_reporter, occurrence=occurrence, text="Người của sở báo trước", percent=20)
    api = api_client(key_for(lead_unit))
    response = post(api, f"occurrences/{occurrence.pk}/progress",
                    {"text": "Hệ thống báo sau", "percent": 30, "expected_version": stale})
    assert response.status_code == 409
    assert response.json()["code"] == "E_CONFLICT" and response.json()["field"] == "expected_version"
    assert TaskEvent.objects.filter(kind="progress").count() == 1

    body = {"text": "Hệ thống báo lại", "percent": 30}
    first = post(api, f"occurrences/{occurrence.pk}/progress", body, HTTP_IDEMPOTENCY_KEY="vb-2026-1")
    again = post(api, f"occurrences/{occurrence.pk}/progress", body, HTTP_IDEMPOTENCY_KEY="vb-2026-1")
    assert first.status_code == again.status_code == 200 and again.content == first.content
    assert TaskEvent.objects.filter(kind="progress").count() == 2
