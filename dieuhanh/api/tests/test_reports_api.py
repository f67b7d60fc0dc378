"""Reports through the API: a report's state, the list, and the workflow steps a system takes for its units, under
the entry page's rules (reporters submit, approvers approve, return and reopen), within the key's subtree."""

import datetime
import json
from decimal import Decimal

import pytest

from dieuhanh.indicators.models import Channel
from dieuhanh.indicators.services import ValueInput
from dieuhanh.lib.periods import Period, PeriodType
from dieuhanh.reporting.completeness import local_today
from dieuhanh.reporting.models import Submission, SubmissionEvent
from dieuhanh.reporting.services import submission_save_values, submission_submit

pytestmark = pytest.mark.django_db
SYSTEM = "Hệ thống một cửa điện tử tỉnh"


@pytest.fixture
def period():
    """Last month: its deadline (the 15th) has passed whatever today is."""
    return Period.containing(PeriodType.MONTH, local_today()).previous()


@pytest.fixture
def draft_of(monthly_form, reporter_a, reporter_b, revenue, commune_a, commune_b, period):
    """`draft_of(unit)`: the unit's reporter saves a revenue figure for `period`: a draft."""
    reporters = {commune_a.pk: reporter_a, commune_b.pk: reporter_b}

    def make(unit, value="120.5"):
        return submission_save_values(form=monthly_form, orgunit=unit, period=period.id, user=reporters[unit.pk],
                                      channel=Channel.WEB, values=[ValueInput(revenue, "actual", Decimal(value))])
    return make


def post(client, path, body, **extra):
    return client.post(f"/api/v1/reports/{path}", data=json.dumps(body), content_type="application/json", **extra)


def body_for(unit, period, **more):
    return {"form": "01/BC-VT", "org_unit": unit.code, "period": period.id, **more}


def test_it_shows_a_reports_state_deadline_and_history(key_for, api_client, draft_of, commune_a, period,
                                                       monthly_form):
    draft = draft_of(commune_a)
    client = api_client(key_for(commune_a, access="read"))
    response = client.get("/api/v1/reports/report", {"form": "01/BC-VT", "orgUnit": "XA-A", "period": period.id})
    assert response.status_code == 200, response.content
    report = response.json()
    assert report["status"] == {"code": "draft", "label": "Bản nháp"}
    assert report["state"]["code"] == "draft"
    assert report["version"] == draft.version
    assert report["deadline"] == monthly_form.deadline_rule.deadline_for(period).isoformat()
    assert report["submitted_at"] is None and report["on_time"] is None
    assert report["updated_by"] == "reporter_a"
    assert [(e["from_status"], e["to_status"]["code"]) for e in report["events"]] == [(None, "draft")]


def test_a_key_for_commune_a_gets_404_on_commune_bs_report(key_for, api_client, draft_of, commune_a, commune_b,
                                                          period):
    draft_of(commune_b)
    client = api_client(key_for(commune_a))
    for code in ("XA-B", "NOWHERE"):
        response = client.get("/api/v1/reports/report", {"form": "01/BC-VT", "orgUnit": code, "period": period.id})
        assert response.status_code == 404
        assert response.json()["code"] == "E_NOT_FOUND"
    response = post(client, "submit", body_for(commune_b, period))
    assert response.status_code == 404
    assert Submission.objects.get(orgunit=commune_b).status == "draft"
    # The list names only commune A's report, even when asked for the province's.
    listed = client.get("/api/v1/reports", {"form": "01/BC-VT", "period": period.id}).json()
    assert [item["org_unit"] for item in listed["items"]] == ["XA-A"]
    assert client.get("/api/v1/reports", {"orgUnit": "XA-B"}).status_code == 404


def test_a_read_only_key_may_not_take_a_step(key_for, api_client, draft_of, commune_a, period):
    draft_of(commune_a)
    client = api_client(key_for(commune_a, access="read"))
    for step in ("submit", "approve"):
        response = post(client, step, body_for(commune_a, period))
        assert response.status_code == 403
        assert response.json()["code"] == "E_FORBIDDEN" and "chỉ được đọc" in response.json()["message"]
    assert Submission.objects.get().status == "draft"
    assert SubmissionEvent.objects.count() == 1


def test_each_step_goes_through_the_workflow_as_the_system(key_for, api_client, draft_of, commune_a, period, system,
                                                           monthly_form):
    draft = draft_of(commune_a)
    client = api_client(key_for(commune_a))

    submitted = post(client, "submit", body_for(commune_a, period, expected_version=draft.version))
    assert submitted.status_code == 200, submitted.content
    report = submitted.json()
    assert report["status"]["code"] == "submitted" and report["state"]["code"] == "submitted_late"
    assert report["on_time"] is False and report["submitted_at"]
    assert report["events"][-1]["by"] == SYSTEM

    approved = post(client, "approve", body_for(commune_a, period)).json()
    assert approved["status"] == {"code": "approved", "label": "Đã phê duyệt"} and approved["approved_at"]

    reopened = post(client, "reopen", body_for(commune_a, period, reason="Sửa số liệu doanh thu")).json()
    assert reopened["status"]["code"] == "draft"
    assert reopened["events"][-1]["reason"] == "Sửa số liệu doanh thu"

    post(client, "submit", body_for(commune_a, period))
    day = local_today() + datetime.timedelta(days=3)
    returned = post(client, "return", body_for(commune_a, period, reason="Thiếu số thuê bao",
                                               resubmit_by=day.isoformat()))
    assert returned.status_code == 200, returned.content
    report = returned.json()
    assert report["status"]["code"] == "returned" and report["returned_reason"] == "Thiếu số thuê bao"
    assert report["resubmit_by"] == day.isoformat()
    assert [e["to_status"]["code"] for e in report["events"]] == [
        "draft", "submitted", "approved", "draft", "submitted", "returned"]
    events = SubmissionEvent.objects.filter(submission__orgunit=commune_a).exclude(to_status="draft",
                                                                                   from_status="")
    assert {e.actor_id for e in events} == {system.user_id}


def test_a_step_on_a_stale_version_is_a_conflict(key_for, api_client, draft_of, commune_a, period, reporter_a):
    draft = draft_of(commune_a)
    client = api_client(key_for(commune_a))
    stale = draft.version
    draft_of(commune_a, "130")  # the commune saves again meanwhile
    response = post(client, "submit", body_for(commune_a, period, expected_version=stale))
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "E_CONFLICT" and body["field"] == "expected_version"
    assert "reporter_a" in body["message"] and "chưa được lưu" in body["message"]
    assert Submission.objects.get().status == "draft"

    submission_submit(submission=Submission.objects.get(), user=reporter_a)
    version = Submission.objects.get().version
    response = post(client, "approve", body_for(commune_a, period, expected_version=version - 1))
    assert response.status_code == 409
    assert Submission.objects.get().status == "submitted"
    assert post(client, "approve", body_for(commune_a, period, expected_version=version)).status_code == 200


def test_refused_steps_answer_in_the_error_shape_and_change_nothing(key_for, api_client, draft_of, commune_a,
                                                                    period):
    client = api_client(key_for(commune_a))
    nothing = post(client, "submit", body_for(commune_a, period))
    assert nothing.status_code == 400 and nothing.json()["code"] == "E_NOTHING_SAVED"
    assert not Submission.objects.exists()

    draft_of(commune_a)
    response = post(client, "approve", body_for(commune_a, period))
    assert response.status_code == 400
    assert response.json()["message"] == "Báo cáo ở trạng thái “bản nháp” không thể chuyển sang “đã phê duyệt”"

    post(client, "submit", body_for(commune_a, period))
    response = post(client, "return", body_for(commune_a, period, reason="  "))
    assert response.status_code == 400
    assert response.json()["field"] == "reason" and "lý do" in response.json()["message"]
    yesterday = local_today() - datetime.timedelta(days=1)
    response = post(client, "return", body_for(commune_a, period, reason="Sai", resubmit_by=yesterday.isoformat()))
    assert response.status_code == 400 and response.json()["field"] == "resubmit_by"
    assert Submission.objects.get().status == "submitted"

    wrong = post(client, "approve", {**body_for(commune_a, period), "period": "2026Q1"})
    assert wrong.status_code == 400 and wrong.json()["field"] == "period"
    missing = post(client, "approve", {"form": "01/BC-VT", "org_unit": "XA-A"})
    assert missing.status_code == 422 and missing.json()["field"] == "period"
    assert Submission.objects.get().status == "submitted"


def test_a_key_with_only_reporting_roles_may_not_approve(api_client, draft_of, commune_a, period, reporter_a):
    """A person's token carries the person's roles: a reporter's token submits but does not approve (404, as the
    entry page answers an approver's action to a reporter)."""
    from dieuhanh.accounts.keys import apikey_create

    draft_of(commune_a)
    _key, raw = apikey_create(user=reporter_a, created_by=reporter_a, root=commune_a, access="read_write")
    client = api_client(raw)
    assert post(client, "submit", body_for(commune_a, period)).status_code == 200
    assert post(client, "approve", body_for(commune_a, period)).status_code == 404
    assert Submission.objects.get().status == "submitted"


def test_the_list_filters_by_form_period_unit_and_state(key_for, api_client, draft_of, commune_a, commune_b,
                                                        period, province, reporter_b):
    draft_of(commune_a)
    submission_submit(submission=draft_of(commune_b), user=reporter_b)
    client = api_client(key_for(province, access="read"))
    everything = client.get("/api/v1/reports", {"form": "01/BC-VT", "period": period.id}).json()
    assert everything["count"] == 2
    assert {(i["org_unit"], i["state"]["code"]) for i in everything["items"]} == {
        ("XA-A", "draft"), ("XA-B", "submitted_late")}  # November's report, due 15/11
    submitted = client.get("/api/v1/reports", {"period": period.id, "status": "submitted"}).json()
    assert [i["org_unit"] for i in submitted["items"]] == ["XA-B"]
    by_state = client.get("/api/v1/reports", {"period": period.id, "state": ["draft", "not_started"]}).json()
    assert [i["org_unit"] for i in by_state["items"]] == ["XA-A"]
    under = client.get("/api/v1/reports", {"period": period.id, "orgUnit": "TN", "children": "true"}).json()
    assert under["count"] == 2
    only = client.get("/api/v1/reports", {"period": period.id, "orgUnit": "TN"}).json()
    assert only["count"] == 0  # the province reports no form itself
    paged = client.get("/api/v1/reports", {"period": period.id, "limit": 1, "offset": 1}).json()
    assert paged["count"] == 2 and len(paged["items"]) == 1
    bad = client.get("/api/v1/reports", {"period": "2026M13"})
    assert bad.status_code == 400 and bad.json()["field"] == "period"
    assert client.get("/api/v1/reports", {"form": "NO-SUCH"}).status_code == 404


def test_a_repeated_step_with_the_same_idempotency_key_replays_its_first_answer(key_for, api_client, draft_of,
                                                                                 commune_a, period):
    draft_of(commune_a)
    client = api_client(key_for(commune_a))
    first = post(client, "submit", body_for(commune_a, period), HTTP_IDEMPOTENCY_KEY="submit-1")
    assert first.status_code == 200
    again = post(client, "submit", body_for(commune_a, period), HTTP_IDEMPOTENCY_KEY="submit-1")
    assert again.status_code == 200 and again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert SubmissionEvent.objects.filter(to_status="submitted").count() == 1
    other = post(client, "approve", body_for(commune_a, period), HTTP_IDEMPOTENCY_KEY="submit-1")
    assert other.status_code == 409 and other.json()["code"] == "E_IDEMPOTENCY"
    assert Submission.objects.get().status == "submitted"
