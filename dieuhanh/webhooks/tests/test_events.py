"""Each event's payload as the receiver gets it, and which keys get which events (scope)."""

import datetime
from decimal import Decimal

import pytest

from dieuhanh.accounts.keys import apikey_create
from dieuhanh.accounts.models import Role
from dieuhanh.assignments.events import overdue_events_emit
from dieuhanh.assignments.models import Assigner, Occurrence
from dieuhanh.assignments.services import completion_confirm, completion_report, document_create, task_create
from dieuhanh.conftest import make_user
from dieuhanh.indicators.services import ValueInput
from dieuhanh.reporting.services import (
    submission_approve,
    submission_reopen,
    submission_return,
    submission_save_values,
    submission_submit,
)
from dieuhanh.webhooks.models import WebhookDelivery, WebhookEvent

D = datetime.date
PERIOD = "202603"
REPORT_EVENTS = ["report.submitted", "report.approved", "report.returned", "report.reopened",
                 "report.values_changed"]


def save(form, unit, user, **figures):
    return submission_save_values(form=form, orgunit=unit, period=PERIOD, user=user, channel="web", values=[
        ValueInput(indicator=indicator, kind="actual", value=Decimal(value)) for indicator, value in figures.values()])


def received(receiver):
    return [(r["json"]["event"], r["json"]["data"]) for r in receiver.requests]


def test_report_events_carry_the_report_and_who_acted(receiver, client_key, subscribe, sent, monthly_form, commune_a,
                                                      reporter_a, approver_a, revenue, subscribers):
    subscribe(client_key(commune_a), REPORT_EVENTS)
    approver_a.first_name, approver_a.last_name = "Lan", "Trần Thị"
    approver_a.save()
    with sent():
        report = save(monthly_form, commune_a, reporter_a, a=(revenue, "12.5"), b=(subscribers, "1200"))
        report = submission_submit(submission=report, user=reporter_a)
    with sent():
        report = submission_return(submission=report, user=approver_a, reason="Thiếu số thuê bao trả sau")
    with sent():
        report = submission_submit(submission=report, user=reporter_a)
        report = submission_approve(submission=report, user=approver_a)

    events = received(receiver)
    assert [e for e, _ in events] == ["report.submitted", "report.returned", "report.submitted", "report.approved"]
    submitted, returned, _, approved = (data for _, data in events)
    assert submitted == {
        "form": "01/BC-VT", "form_name": "Báo cáo tình hình viễn thông", "org_unit": "XA-A",
        "org_unit_name": "Xã Hưng Điền", "period": "202603", "status": "submitted", "from_status": "draft",
        "version": submitted["version"], "reason": "", "actor": "reporter_a",
        "submitted_at": submitted["submitted_at"], "approved_at": None}
    assert datetime.datetime.fromisoformat(submitted["submitted_at"]).tzinfo is not None
    assert (returned["status"], returned["from_status"], returned["reason"], returned["actor"]) == (
        "returned", "submitted", "Thiếu số thuê bao trả sau", "Lan Trần Thị")
    assert (approved["status"], approved["version"]) == ("approved", report.version)
    assert approved["approved_at"] is not None
    # A first approval changes no approved figure.
    assert not WebhookEvent.objects.filter(event_type="report.values_changed").exists()


def test_values_changed_in_an_approved_report_are_sent_old_and_new(receiver, client_key, subscribe, sent,
                                                                   monthly_form, commune_a, reporter_a, approver_a,
                                                                   revenue, subscribers):
    subscribe(client_key(commune_a), ["report.reopened", "report.values_changed"])
    report = save(monthly_form, commune_a, reporter_a, a=(revenue, "12.5"), b=(subscribers, "1200"))
    report = submission_approve(submission=submission_submit(submission=report, user=reporter_a), user=approver_a)
    with sent():
        report = submission_reopen(submission=report, user=approver_a, reason="Sai số doanh thu")
    # Corrected twice (the last figure counts), one figure back to what it was, one new cell.
    save(monthly_form, commune_a, reporter_a, a=(revenue, "13"), b=(subscribers, "1250"))
    save(monthly_form, commune_a, reporter_a, a=(revenue, "13.75"), b=(subscribers, "1200"))
    report = submission_save_values(form=monthly_form, orgunit=commune_a, period=PERIOD, user=reporter_a,
                                    channel="web", values=[ValueInput(indicator=revenue, kind="estimate",
                                                                      value=Decimal("14"))])
    with sent():
        report = submission_approve(submission=submission_submit(submission=report, user=reporter_a),
                                    user=approver_a)

    events = received(receiver)
    assert [e for e, _ in events] == ["report.reopened", "report.values_changed"]
    reopened, changed = events[0][1], events[1][1]
    assert (reopened["status"], reopened["from_status"], reopened["reason"]) == ("draft", "approved",
                                                                                 "Sai số doanh thu")
    assert changed["status"] == "approved" and changed["previously_approved_at"]
    assert changed["changes"] == [
        {"indicator": "DT_VT", "kind": "actual", "old": "12.5", "new": "13.75"},
        {"indicator": "DT_VT", "kind": "estimate", "old": None, "new": "14"},
    ]

    # Approved again after a reopening that changed nothing: no values_changed.
    with sent():
        report = submission_reopen(submission=report, user=approver_a, reason="Kiểm tra lại")
        report = submission_approve(submission=submission_submit(submission=report, user=reporter_a),
                                    user=approver_a)
    assert [e for e, _ in received(receiver)][2:] == ["report.reopened"]


@pytest.fixture
def office(province):
    return make_user("office", Role.OFFICE, province)


@pytest.fixture
def assigner(province):
    return Assigner.objects.create(name="Nguyễn Văn Mạnh", position="Chủ tịch UBND tỉnh", orgunit=province,
                                   user=make_user("chairman", Role.LEADER, province))


@pytest.fixture
def make_task(office, assigner, province, agency, commune_a):
    document = document_create(user=office, number="125/QĐ-UBND", issued_on=D(2026, 1, 5), issuer=province,
                               summary="Kế hoạch chuyển đổi số tỉnh Tây Ninh năm 2026")

    def make(**overrides):
        return task_create(**{
            "user": office, "title": "Triển khai nền tảng tích hợp, chia sẻ dữ liệu của tỉnh", "assigner": assigner,
            "assigned_on": D(2026, 1, 10), "lead_unit": agency, "deadline_kind": "date", "deadline": D(2026, 3, 31),
            "document": document, "coordinating_units": [commune_a], **overrides})
    return make


def test_task_events_created_completed_and_overdue_once(receiver, client_key, subscribe, sent, make_task, agency,
                                                        assigner, province):
    subscribe(client_key(agency), ["task.created", "task.overdue", "task.completed"])
    with sent():
        task = make_task()
    [(event, created)] = received(receiver)
    assert event == "task.created"
    occurrence = task.occurrences.get()
    assert created == {
        "task": task.pk, "title": "Triển khai nền tảng tích hợp, chia sẻ dữ liệu của tỉnh", "source": "125/QĐ-UBND",
        "assigner": "Chủ tịch UBND tỉnh Nguyễn Văn Mạnh", "assigned_on": "2026-01-10", "lead_unit": "SKHCN",
        "lead_unit_name": "Sở Khoa học và Công nghệ", "coordinating_units": ["XA-A"], "deadline_kind": "date",
        "is_key": False, "product": "report",
        "occurrences": [{"id": occurrence.pk, "period": "", "deadline": "2026-03-31",
                         "original_deadline": "2026-03-31", "status": created["occurrences"][0]["status"],
                         "percent": 0, "completed_on": None, "result_number": "", "result_note": ""}]}

    # Overdue from 01/04/2026: emitted once, however often the hourly job runs.
    with sent():
        assert overdue_events_emit(day=D(2026, 3, 31)) == 0
        assert overdue_events_emit(day=D(2026, 4, 1)) == 1
        assert overdue_events_emit(day=D(2026, 4, 2)) == 0
    event, overdue = received(receiver)[1]
    assert event == "task.overdue"
    assert overdue["occurrence"]["status"] == "overdue" and overdue["occurrence"]["deadline"] == "2026-03-31"
    # A new deadline that is missed again is a new overdue event.
    Occurrence.objects.filter(pk=occurrence.pk).update(deadline=D(2026, 4, 30))
    with sent():
        assert overdue_events_emit(day=D(2026, 4, 20)) == 0
        assert overdue_events_emit(day=D(2026, 5, 1)) == 1
    assert received(receiver)[2][1]["occurrence"]["deadline"] == "2026-04-30"

    lead = make_user("lead_reporter", Role.REPORTER, agency)
    completion_report(user=lead, occurrence=occurrence, completed_on=D(2026, 4, 28), result_note="Đã triển khai")
    with sent():
        completion_confirm(user=assigner.user, occurrence=occurrence)
    event, completed = received(receiver)[3]
    assert event == "task.completed"
    assert completed["occurrence"]["completed_on"] == "2026-04-28"
    assert completed["occurrence"]["result_note"] == "Đã triển khai"
    assert completed["occurrence"]["percent"] == 100
    assert len(receiver.requests) == 4


def test_overdue_is_remembered_without_subscribers(receiver, client_key, subscribe, sent, make_task, agency):
    make_task()
    assert overdue_events_emit(day=D(2026, 4, 1)) == 1  # no subscriber: remembered, nothing to send
    assert WebhookEvent.objects.filter(event_type="task.overdue").count() == 1
    subscribe(client_key(agency), ["task.overdue"])
    with sent():
        assert overdue_events_emit(day=D(2026, 4, 2)) == 0  # a new subscriber is not sent old news
    assert receiver.requests == []


def test_a_key_gets_only_the_events_of_units_it_may_read(receiver, client_key, subscribe, sent, monthly_form,
                                                         commune_a, commune_b, province, reporter_a, reporter_b,
                                                         leader, make_task, revenue, subscribers, admin_user):
    commune_key = client_key(commune_a)
    subscribe(commune_key, ["report.submitted", "task.created"])
    province_key = client_key(province)
    subscribe(province_key, ["report.submitted"])
    # A person's token reaches at most what the person may: a leader of the province, a token for commune B.
    leaders_token, _ = apikey_create(user=leader, created_by=leader, root=commune_b, access="read")
    subscribe(leaders_token, ["report.submitted"])
    # Subscribed to other events only: gets nothing.
    subscribe(client_key(commune_a), ["report.approved"])

    with sent():
        submission_submit(submission=save(monthly_form, commune_b, reporter_b, a=(revenue, "7")), user=reporter_b)
    with sent():
        submission_submit(submission=save(monthly_form, commune_a, reporter_a, a=(revenue, "9")), user=reporter_a)
    with sent():
        make_task(lead_unit=province, coordinating_units=[commune_b])  # commune A neither leads nor coordinates
        make_task()  # led by the agency, coordinated by commune A

    got = {}
    for delivery in WebhookDelivery.objects.select_related("event", "subscription__key"):
        got.setdefault(delivery.subscription.key_id, []).append(
            (delivery.event.event_type, delivery.event.data.get("org_unit") or delivery.event.data["lead_unit"]))
    assert sorted(got[commune_key.pk]) == [("report.submitted", "XA-A"), ("task.created", "SKHCN")]
    assert sorted(got[province_key.pk]) == [("report.submitted", "XA-A"), ("report.submitted", "XA-B")]
    assert got[leaders_token.pk] == [("report.submitted", "XA-B")]
    assert len(got) == 3
    assert len(receiver.requests) == 5
    assert all(d.state == WebhookDelivery.State.DELIVERED for d in WebhookDelivery.objects.all())
