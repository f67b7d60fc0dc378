"""Returning a report sets a new deadline; whether the report that comes back is on time or late.

Hand-built dates: form 01/BC-VT is due on the 15th of the period's month, so March 2026's report is due on
15/03/2026. The clock (django.utils.timezone.now, which every "now" and "today" of the app reads) is set to a
moment in Vietnam's local time before each step.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from dieuhanh.indicators.services import ValueInput
from dieuhanh.lib.periods import Period
from dieuhanh.reporting.completeness import State, completeness, deadline_of
from dieuhanh.reporting.models import Holiday, Submission, SubmissionEvent
from dieuhanh.reporting.services import (
    submission_approve,
    submission_return,
    submission_save_values,
    submission_submit,
)

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = "202603"
S = Submission.Status


def day(text: str) -> datetime.date:
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()


@pytest.fixture
def clock(monkeypatch):
    """clock("20/03/2026 09:00") sets the app's now to that moment, Vietnam time."""

    def set_to(text: str) -> None:
        moment = datetime.datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=HCM)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


@pytest.fixture
def flow(monthly_form, commune_a, reporter_a, approver_a, revenue, clock):
    """Steps of commune A's March report, each at a given moment."""

    class Flow:
        submission = None

        def submit(self, when: str) -> None:
            clock(when)
            saved = submission_save_values(form=monthly_form, orgunit=commune_a, period=MARCH, user=reporter_a,
                                           channel="web", values=[ValueInput(revenue, "actual", Decimal("10"))])
            self.submission = submission_submit(submission=saved, user=reporter_a)

        def back(self, when: str, by: str | None = None) -> None:
            clock(when)
            self.submission = submission_return(submission=self.submission, user=approver_a, reason="Thiếu số liệu",
                                                resubmit_by=day(by) if by else None)

        def approve(self, when: str) -> None:
            clock(when)
            self.submission = submission_approve(submission=self.submission, user=approver_a)

        def row(self, today: str = "30/04/2026"):
            return next(r for r in completeness(monthly_form, MARCH, today=day(today)).rows if r.unit == commune_a)

    return Flow()


def test_the_form_is_due_on_the_15th(monthly_form):
    assert deadline_of(monthly_form, Period.parse(MARCH)) == day("15/03/2026")


def test_an_on_time_report_returned_after_the_deadline_stays_on_time_when_it_comes_back_by_the_new_one(flow):
    flow.submit("14/03/2026 10:00")
    flow.back("20/03/2026 09:00", by="25/03/2026")
    assert (flow.submission.status, flow.submission.resubmit_by, flow.submission.missed_deadline) == (
        S.RETURNED, day("25/03/2026"), False)
    flow.submit("25/03/2026 23:30")  # the last evening of the new deadline, Vietnam time
    row = flow.row()
    assert (row.state, row.on_time) == (State.SUBMITTED_ON_TIME, True)
    flow.approve("26/03/2026 08:00")
    assert flow.row().on_time is True


def test_missing_the_new_deadline_makes_it_late(flow):
    flow.submit("14/03/2026 10:00")
    flow.back("20/03/2026 09:00", by="25/03/2026")
    flow.submit("26/03/2026 00:10")
    row = flow.row()
    assert (row.state, row.on_time) == (State.SUBMITTED_LATE, False)


def test_a_report_first_submitted_late_stays_late(flow):
    flow.submit("16/03/2026 08:00")
    assert flow.row().state == State.SUBMITTED_LATE
    flow.back("17/03/2026 09:00", by="20/03/2026")
    assert flow.submission.missed_deadline is True
    flow.submit("18/03/2026 10:00")  # well within the new deadline: still late
    assert (flow.row().state, flow.row().on_time) == (State.SUBMITTED_LATE, False)


@pytest.mark.parametrize(("second_submission", "missed", "state"), [
    ("24/03/2026 10:00", False, State.SUBMITTED_ON_TIME),  # back by the first new deadline, and by the second
    ("27/03/2026 10:00", True, State.SUBMITTED_LATE),  # missed the first new deadline: late for good
])
def test_two_returns(flow, second_submission, missed, state):
    flow.submit("14/03/2026 10:00")
    flow.back("20/03/2026 09:00", by="25/03/2026")
    flow.submit(second_submission)
    flow.approve("28/03/2026 08:00")
    flow.back("01/04/2026 09:00", by="06/04/2026")  # an approved report returned: its figures need fixing
    assert flow.submission.missed_deadline is missed
    flow.submit("06/04/2026 17:00")
    assert flow.row().state == state


def test_a_new_deadline_before_the_forms_does_not_shorten_it(flow):
    flow.submit("05/03/2026 10:00")
    flow.back("06/03/2026 09:00", by="09/03/2026")
    flow.submit("14/03/2026 10:00")  # after the approver's day, before the form's
    assert flow.row().state == State.SUBMITTED_ON_TIME


def test_the_default_new_deadline_is_five_working_days_after_the_return(flow):
    flow.submit("14/03/2026 10:00")
    Holiday.objects.create(date=day("24/03/2026"), name="Nghỉ bù")
    flow.back("20/03/2026 09:00")  # a Friday: Mon 23, (Tue 24 off), Wed 25, Thu 26, Fri 27, Mon 30
    assert flow.submission.resubmit_by == day("30/03/2026")


def test_a_new_deadline_in_the_past_is_refused_and_nothing_is_saved(flow, approver_a):
    flow.submit("14/03/2026 10:00")
    events = SubmissionEvent.objects.count()
    with override("vi"), pytest.raises(ValidationError) as caught:
        flow.back("20/03/2026 09:00", by="19/03/2026")
    assert caught.value.message_dict == {"resubmit_by": ["Hạn nộp lại không được trước hôm nay (20/03/2026)"]}
    submission = Submission.objects.get()
    assert (submission.status, submission.resubmit_by, SubmissionEvent.objects.count()) == (S.SUBMITTED, None, events)


def test_the_approver_types_the_new_deadline_on_the_report_page(monthly_form, commune_a, approver_a, flow, clock):
    flow.submit("14/03/2026 10:00")
    clock("20/03/2026 09:00")
    client = Client()
    client.force_login(approver_a)
    url = reverse("reporting:entry", args=[monthly_form.pk, commune_a.code, MARCH])
    html = client.get(url).content.decode()
    assert 'name="resubmit_by"' in html and 'value="27/03/2026"' in html  # offered: 5 working days from Friday 20/03

    response = client.post(url, {"action": "return", "reason": "Thiếu số thuê bao", "resubmit_by": "31/02/2026"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nhập hạn nộp lại theo ngày/tháng/năm, ví dụ 27/03/2026" in html
    assert 'value="31/02/2026"' in html and "Thiếu số thuê bao" in html  # what was typed stays
    assert Submission.objects.get().status == S.SUBMITTED

    response = client.post(url, {"action": "return", "reason": "Thiếu số thuê bao", "resubmit_by": "01/04/2026"})
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert (submission.status, submission.resubmit_by) == (S.RETURNED, day("01/04/2026"))
    html = client.get(url).content.decode()
    assert 'id="resubmit-by-note"' in html and "01/04/2026" in html
