"""The reporting workflow through the services: saving figures, submitting, approving, returning, reopening."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from dieuhanh.indicators.models import DataValue, ValueHistory
from dieuhanh.indicators.services import ValueInput
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.orgunits.services import orgunit_create
from dieuhanh.reporting.models import Submission, SubmissionEvent
from dieuhanh.reporting.services import (
    SubmissionConflict,
    submission_approve,
    submission_reopen,
    submission_return,
    submission_save_values,
    submission_submit,
)

pytestmark = pytest.mark.django_db
PERIOD = "202603"
S = Submission.Status


@pytest.fixture(autouse=True)
def english():
    with override("en"):
        yield


def save(form, unit, user, *values, period=PERIOD, expected_version=None):
    return submission_save_values(form=form, orgunit=unit, period=period, user=user, channel="web",
                                  values=list(values), expected_version=expected_version)


def v(indicator, value, kind="actual"):
    return ValueInput(indicator=indicator, kind=kind, value=None if value is None else Decimal(value))


def cells(unit, period=PERIOD):
    return {(d.indicator.code, d.kind): d.value for d in DataValue.objects.filter(orgunit=unit, period=period)
            .select_related("indicator")}


def transitions(submission):
    return [(e.from_status, e.to_status, e.actor.username, e.reason) for e in submission.events.all()]


def test_draft_submitted_approved(monthly_form, commune_a, reporter_a, approver_a, revenue, subscribers):
    before = timezone.now()
    sub = save(monthly_form, commune_a, reporter_a, v(revenue, "12.5"), v(subscribers, "1200"))
    assert sub.status == S.DRAFT
    assert cells(commune_a) == {("DT_VT", "actual"): Decimal("12.5"), ("TB_DD", "actual"): Decimal("1200")}
    sub = submission_submit(submission=sub, user=reporter_a)
    assert sub.status == S.SUBMITTED and sub.submitted_at >= before
    sub = submission_approve(submission=sub, user=approver_a)
    assert sub.status == S.APPROVED and sub.approved_at >= sub.submitted_at
    assert transitions(sub) == [("", "draft", "reporter_a", ""), ("draft", "submitted", "reporter_a", ""),
                                ("submitted", "approved", "approver_a", "")]
    times = [e.at for e in sub.events.all()]
    assert times == sorted(times) and all(before <= t <= timezone.now() for t in times)


def test_returning_needs_a_reason_and_records_it(monthly_form, commune_a, reporter_a, approver_a, revenue):
    sub = submission_submit(submission=save(monthly_form, commune_a, reporter_a, v(revenue, "1")), user=reporter_a)
    with pytest.raises(ValidationError) as exc:
        submission_return(submission=sub, user=approver_a, reason="  ")
    assert "reason" in exc.value.message_dict
    assert Submission.objects.get(pk=sub.pk).status == S.SUBMITTED
    sub = submission_return(submission=sub, user=approver_a, reason="Thiếu số thuê bao")
    assert sub.status == S.RETURNED and sub.returned_reason == "Thiếu số thuê bao"
    assert transitions(sub)[-1] == ("submitted", "returned", "approver_a", "Thiếu số thuê bao")
    # A returned report can be corrected and sent again; the reason is cleared on resubmission.
    sub = save(monthly_form, commune_a, reporter_a, v(revenue, "2"))
    sub = submission_submit(submission=sub, user=reporter_a)
    assert sub.status == S.SUBMITTED and sub.returned_reason == ""


def test_approved_data_is_locked_until_reopened(monthly_form, commune_a, reporter_a, approver_a, revenue):
    sub = submission_submit(submission=save(monthly_form, commune_a, reporter_a, v(revenue, "5")), user=reporter_a)
    sub = submission_approve(submission=sub, user=approver_a)
    with pytest.raises(ValidationError, match="locked"):
        save(monthly_form, commune_a, reporter_a, v(revenue, "6"))
    assert cells(commune_a)[("DT_VT", "actual")] == Decimal("5")
    with pytest.raises(ValidationError):
        submission_reopen(submission=sub, user=approver_a, reason="")
    sub = submission_reopen(submission=sub, user=approver_a, reason="Sửa số liệu tháng 3")
    assert sub.status == S.DRAFT and sub.approved_at is None
    assert transitions(sub)[-1] == ("approved", "draft", "approver_a", "Sửa số liệu tháng 3")
    save(monthly_form, commune_a, reporter_a, v(revenue, "6"))
    assert cells(commune_a)[("DT_VT", "actual")] == Decimal("6")


def test_a_submitted_report_is_locked(monthly_form, commune_a, reporter_a, revenue):
    sub = submission_submit(submission=save(monthly_form, commune_a, reporter_a, v(revenue, "5")), user=reporter_a)
    with pytest.raises(ValidationError, match="submitted and locked"):
        save(monthly_form, commune_a, reporter_a, v(revenue, "6"))
    assert Submission.objects.get(pk=sub.pk).version == sub.version


@pytest.mark.parametrize("status, action", [
    ("draft", "approve"), ("draft", "return"), ("draft", "reopen"),
    ("submitted", "submit"), ("submitted", "reopen"),
    ("approved", "submit"), ("approved", "approve"),
    ("returned", "approve"), ("returned", "return"), ("returned", "reopen"),
])
def test_illegal_transitions_are_refused(monthly_form, commune_a, reporter_a, approver_a, revenue, status, action):
    sub = save(monthly_form, commune_a, reporter_a, v(revenue, "1"))
    if status != "draft":
        sub = submission_submit(submission=sub, user=reporter_a)
    if status == "approved":
        sub = submission_approve(submission=sub, user=approver_a)
    if status == "returned":
        sub = submission_return(submission=sub, user=approver_a, reason="x")
    events = sub.events.count()
    call = {
        "submit": lambda: submission_submit(submission=sub, user=reporter_a),
        "approve": lambda: submission_approve(submission=sub, user=approver_a),
        "return": lambda: submission_return(submission=sub, user=approver_a, reason="why"),
        "reopen": lambda: submission_reopen(submission=sub, user=approver_a, reason="why"),
    }[action]
    with pytest.raises(ValidationError, match="cannot become"):
        call()
    assert Submission.objects.get(pk=sub.pk).status == status
    assert sub.events.count() == events


def test_a_save_based_on_an_older_version_is_a_conflict(monthly_form, commune_a, reporter_a, revenue):
    first = save(monthly_form, commune_a, reporter_a, v(revenue, "1"))
    opened = first.version
    save(monthly_form, commune_a, reporter_a, v(revenue, "2"), expected_version=opened)
    with pytest.raises(SubmissionConflict) as exc:
        save(monthly_form, commune_a, reporter_a, v(revenue, "3"), expected_version=opened)
    assert "reporter_a" in str(exc.value)
    assert cells(commune_a)[("DT_VT", "actual")] == Decimal("2")
    with pytest.raises(SubmissionConflict):
        submission_submit(submission=first, user=reporter_a, expected_version=opened)
    assert Submission.objects.get(pk=first.pk).status == S.DRAFT


def test_parts_may_not_exceed_the_total(monthly_form, commune_a, reporter_a, revenue, mobile_revenue):
    with pytest.raises(ValidationError, match="more than the total"):
        save(monthly_form, commune_a, reporter_a, v(revenue, "10"), v(mobile_revenue, "10.01"))
    assert cells(commune_a) == {}
    save(monthly_form, commune_a, reporter_a, v(revenue, "10"), v(mobile_revenue, "10"))
    # The rule holds against figures saved earlier too.
    with pytest.raises(ValidationError, match="more than the total"):
        save(monthly_form, commune_a, reporter_a, v(revenue, "9"))
    assert cells(commune_a)[("DT_VT", "actual")] == Decimal("10")


def test_a_value_for_an_indicator_not_on_the_form_is_refused(monthly_form, commune_a, reporter_a, revenue,
                                                             subscribers):
    with pytest.raises(ValidationError, match="TB_DD .* is not on form 01/BC-VT"):
        save(monthly_form, commune_a, reporter_a, v(revenue, "1"), v(subscribers, "5", kind="target"))
    assert cells(commune_a) == {} and not Submission.objects.exists()


def test_a_unit_that_does_not_report_the_form_is_refused(monthly_form, province, reporter_a, revenue):
    other = orgunit_create(code="XA-C", name="Xã khác", kind=OrgUnit.Kind.COMMUNE, parent=province)
    with pytest.raises(ValidationError, match="does not report form 01/BC-VT"):
        save(monthly_form, other, reporter_a, v(revenue, "1"))
    with pytest.raises(ValidationError, match="reported by month"):
        save(monthly_form, province, reporter_a, v(revenue, "1"), period="2026Q1")
    assert not Submission.objects.exists() and not DataValue.objects.exists()


def test_one_bad_value_saves_nothing(monthly_form, commune_a, reporter_a, revenue, subscribers):
    sub = save(monthly_form, commune_a, reporter_a, v(revenue, "7"), v(subscribers, "100"))
    history = list(ValueHistory.objects.order_by("pk").values_list("pk", flat=True))
    events = list(SubmissionEvent.objects.values_list("pk", flat=True))
    with pytest.raises(ValidationError) as exc:
        save(monthly_form, commune_a, reporter_a, v(revenue, "8"), v(subscribers, "100.5"))  # whole numbers only
    assert "TB_DD" in str(exc.value)
    with pytest.raises(ValidationError, match="below the minimum"):
        save(monthly_form, commune_a, reporter_a, v(revenue, "-1"), v(subscribers, "150"))
    assert cells(commune_a) == {("DT_VT", "actual"): Decimal("7"), ("TB_DD", "actual"): Decimal("100")}
    assert list(ValueHistory.objects.order_by("pk").values_list("pk", flat=True)) == history
    assert list(SubmissionEvent.objects.values_list("pk", flat=True)) == events
    assert Submission.objects.get(pk=sub.pk).version == sub.version
