"""Deadline reminders: one digest per unit and day, 7/3/1 days ahead and overdue on working days, e-mail
failures kept and retried, the Huey job and the command run the same service."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils.timezone import localdate

from dieuhanh.accounts.models import Role
from dieuhanh.assignments.models import Reminder
from dieuhanh.assignments.reminders import reminders_due, reminders_send
from dieuhanh.assignments.services import completion_confirm, completion_report, task_cancel, task_pause
from dieuhanh.assignments.tasks import hourly_from_seven_local, task_reminders_send
from dieuhanh.conftest import make_user
from dieuhanh.reporting.models import Holiday

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 2)
SATURDAY = datetime.date(2026, 3, 7)


class FailingBackend(BaseEmailBackend):
    """An SMTP server that refuses everything."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("connection refused")


@pytest.fixture
def unit_users(commune_a, commune_b, agency):
    a = make_user("a.reporter", Role.REPORTER, commune_a)
    a.email = "a@example.vn"
    a.save()
    b = make_user("b.approver", Role.APPROVER, commune_b)
    b.email = "b@example.vn"
    b.save()
    return a, b


@pytest.fixture
def due_task(make_task):
    """A dated task registered by the office through `task_create`; returns its occurrence."""

    def make(title, lead_unit, deadline):
        return make_task(title=title, lead_unit=lead_unit, deadline=deadline, coordinating_units=[]).occurrences.get()

    return make


def days(n):
    return MONDAY + datetime.timedelta(days=n)


def test_it_sends_one_digest_per_unit_and_day(due_task, commune_a, commune_b, unit_users):
    due_task("Xây dựng Kế hoạch chuyển đổi số năm 2026", commune_a, days(7))
    due_task("Triển khai nền tảng tích hợp, chia sẻ dữ liệu", commune_a, days(3))
    due_task("Báo cáo kết quả thực hiện Đề án 06", commune_a, days(-2))
    due_task("Rà soát hạ tầng viễn thông", commune_b, days(1))

    first = reminders_send(day=MONDAY)
    assert len(mail.outbox) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.vn", "b@example.vn"]
    assert Reminder.objects.filter(day=MONDAY).count() == 4  # two units × (in-app, e-mail)
    assert len(first) == 4

    again = reminders_send(day=MONDAY)
    assert again == []
    assert len(mail.outbox) == 2
    assert Reminder.objects.count() == 4


def test_it_groups_a_units_tasks_in_one_digest(due_task, commune_a, unit_users):
    due_task("Xây dựng Kế hoạch chuyển đổi số năm 2026", commune_a, days(7))
    due_task("Triển khai nền tảng tích hợp, chia sẻ dữ liệu", commune_a, days(3))
    due_task("Nâng cấp hệ thống một cửa điện tử", commune_a, days(1))
    overdue = due_task("Báo cáo kết quả thực hiện Đề án 06", commune_a, days(-4))

    reminders_send(day=MONDAY)
    [message] = mail.outbox
    for title in ("Xây dựng Kế hoạch chuyển đổi số năm 2026", "Triển khai nền tảng tích hợp, chia sẻ dữ liệu",
                  "Nâng cấp hệ thống một cửa điện tử", "Báo cáo kết quả thực hiện Đề án 06", "125/QĐ-UBND"):
        assert title in message.body
    assert message.subject == "Nhắc việc: 3 nhiệm vụ sắp đến hạn, 1 nhiệm vụ quá hạn"
    assert "Văn bản số 125/QĐ-UBND ngày 05/01/2026" in message.body
    assert days(-4).strftime("%d/%m/%Y") in message.body
    in_app = Reminder.objects.get(unit=commune_a, channel=Reminder.Channel.IN_APP)
    assert in_app.occurrences.count() == 4 and overdue in in_app.occurrences.all()
    assert in_app.sent_at is not None and in_app.body == message.body


@pytest.mark.parametrize("ahead, reminded", [(7, True), (6, False), (3, True), (2, False), (1, True), (0, False),
                                             (8, False)])
def test_it_reminds_7_3_and_1_days_before(due_task, commune_a, ahead, reminded):
    occurrence = due_task("Báo cáo an toàn thông tin", commune_a, days(ahead))
    due = reminders_due(day=MONDAY)
    assert (occurrence in [i.occurrence for i in due.get(commune_a.pk, [])]) is reminded


def test_the_reminder_days_are_a_setting(due_task, commune_a, settings):
    settings.TASK_REMINDER_DAYS = [10, 5]
    ten = due_task("Báo cáo bưu chính", commune_a, days(10))
    due_task("Báo cáo viễn thông", commune_a, days(7))
    assert [i.occurrence for i in reminders_due(day=MONDAY)[commune_a.pk]] == [ten]


def test_overdue_tasks_are_reminded_on_working_days_only(due_task, commune_a, unit_users):
    occurrence = due_task("Báo cáo kết quả thực hiện Đề án 06", commune_a, days(-10))
    Holiday.objects.create(date=days(1), name="Ngày lễ")
    assert reminders_due(day=MONDAY)[commune_a.pk][0].days_left == -10
    assert reminders_due(day=days(1)) == {}  # a holiday
    assert reminders_due(day=SATURDAY) == {}
    assert reminders_due(day=SATURDAY + datetime.timedelta(days=1)) == {}
    for d in range(0, 7):
        reminders_send(day=days(d))
    sent_days = sorted(Reminder.objects.filter(channel="email").values_list("day", flat=True))
    assert sent_days == [days(0), days(2), days(3), days(4)]
    assert len(mail.outbox) == 4
    assert all(occurrence in r.occurrences.all() for r in Reminder.objects.all())


def test_no_reminder_for_confirmed_paused_or_cancelled_tasks(due_task, commune_a, unit_users, office):
    reporter = unit_users[0]
    confirmed = due_task("Báo cáo đã xong", commune_a, days(3))
    completion_report(user=reporter, occurrence=confirmed, completed_on=days(-1), result_note="Đã ban hành")
    completion_confirm(user=office, occurrence=confirmed)
    paused = due_task("Nhiệm vụ tạm dừng", commune_a, days(-3))
    task_pause(user=office, task=paused.task, reason="Chờ hướng dẫn của Bộ", on=days(-5))
    cancelled = due_task("Nhiệm vụ đã hủy", commune_a, days(1))
    task_cancel(user=office, task=cancelled.task, reason="Không còn phù hợp", on=days(-5))
    reported = due_task("Báo cáo chờ xác nhận", commune_a, days(-1))
    completion_report(user=reporter, occurrence=reported, completed_on=days(-1), result_note="Đã gửi báo cáo")

    due = reminders_due(day=MONDAY)
    assert [i.occurrence for i in due[commune_a.pk]] == [reported]  # reported is not completed until confirmed
    reminders_send(day=MONDAY)
    assert set(Reminder.objects.get(channel="in_app").occurrences.all()) == {reported}
    assert "chờ xác nhận" in mail.outbox[0].body or "awaiting confirmation" in mail.outbox[0].body


def test_a_failed_email_is_recorded_and_retried_once(due_task, commune_a, unit_users, settings):
    due_task("Xây dựng Kế hoạch chuyển đổi số năm 2026", commune_a, days(3))
    settings.EMAIL_BACKEND = "dieuhanh.assignments.tests.test_reminders.FailingBackend"
    reminders_send(day=MONDAY)
    email = Reminder.objects.get(channel="email")
    assert email.sent_at is None and "connection refused" in email.error
    assert Reminder.objects.get(channel="in_app").sent_at is not None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retried = reminders_send(day=MONDAY)
    assert [r.channel for r in retried] == ["email"]
    email.refresh_from_db()
    assert email.sent_at is not None and email.error == ""
    assert len(mail.outbox) == 1 and "Xây dựng Kế hoạch chuyển đổi số năm 2026" in mail.outbox[0].body

    reminders_send(day=MONDAY)
    assert len(mail.outbox) == 1


def test_a_unit_without_recipients_keeps_the_error(due_task, agency):
    due_task("Báo cáo hạ tầng viễn thông", agency, days(1))
    reminders_send(day=MONDAY)
    email = Reminder.objects.get(channel="email")
    assert email.sent_at is None and email.error
    assert mail.outbox == []


def test_the_email_goes_to_active_users_with_a_role_on_the_unit(due_task, commune_a, province, unit_users):
    due_task("Báo cáo hạ tầng viễn thông", commune_a, days(1))
    gone = make_user("gone", Role.REPORTER, commune_a)
    gone.email, gone.is_active = "gone@example.vn", False
    gone.save()
    above = make_user("above", Role.LEADER, province)
    above.email = "above@example.vn"
    above.save()
    reminders_send(day=MONDAY)
    assert mail.outbox[0].to == ["a@example.vn"]


def test_the_huey_task_runs_the_service(due_task, commune_a, unit_users):
    today = localdate()
    due_task("Báo cáo kết quả thực hiện Đề án 06", commune_a, today + datetime.timedelta(days=3))
    task_reminders_send()  # Huey's immediate mode in tests: runs now, for today
    assert Reminder.objects.filter(day=today).count() == 2
    assert len(mail.outbox) == 1


def test_the_command_sends_a_given_day(due_task, commune_a, unit_users, capsys):
    due_task("Báo cáo kết quả thực hiện Đề án 06", commune_a, days(7))
    call_command("send_task_reminders", "--day", MONDAY.isoformat())
    assert "1 in-app digests, 1 e-mails sent, 0 e-mails failed" in capsys.readouterr().out
    call_command("send_task_reminders", "--day", MONDAY.isoformat())
    assert "0 in-app digests, 0 e-mails sent" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def page(client, user, **params):
    client.force_login(user)
    response = client.get("/tasks/reminders/", params)
    return response.status_code, response.content.decode() if response.status_code == 200 else ""


def test_the_page_lists_the_digests_of_the_users_units(client, due_task, commune_a, commune_b, unit_users, leader):
    due_task("Xây dựng Kế hoạch chuyển đổi số năm 2026", commune_a, days(3))
    due_task("Rà soát hạ tầng viễn thông", commune_b, days(-1))
    reminders_send(day=MONDAY)
    a_user, b_user = unit_users

    status, html = page(client, a_user)
    assert status == 200
    task = Reminder.objects.get(unit=commune_a, channel="in_app").occurrences.get().task
    assert f'href="/tasks/{task.pk}/"' in html
    assert "Xây dựng Kế hoạch chuyển đổi số năm 2026" in html and "Rà soát hạ tầng viễn thông" not in html
    assert html.count('class="card mb-3 reminder"') == 1
    status, html = page(client, b_user)
    assert "Rà soát hạ tầng viễn thông" in html and "Xây dựng Kế hoạch" not in html
    status, html = page(client, leader)
    assert html.count('class="card mb-3 reminder"') == 2
    status, html = page(client, leader, unit=commune_b.code)
    assert html.count('class="card mb-3 reminder"') == 1 and "Rà soát hạ tầng viễn thông" in html


def test_the_page_needs_a_login(client):
    response = client.get("/tasks/reminders/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_another_units_filter_answers_404(client, due_task, commune_a, commune_b, unit_users, outsider):
    due_task("Rà soát hạ tầng viễn thông", commune_b, days(-1))
    reminders_send(day=MONDAY)
    a_user, _ = unit_users
    assert page(client, a_user, unit=commune_b.code)[0] == 404
    status, html = page(client, outsider)
    assert status == 200 and "Rà soát hạ tầng viễn thông" not in html and 'id="no-reminders"' in html


def test_the_job_runs_hourly_from_seven_in_the_sites_time_zone(settings):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    utc = datetime.datetime
    assert hourly_from_seven_local(utc(2026, 3, 2, 0, 0))  # 07:00 in Hanoi
    assert hourly_from_seven_local(utc(2026, 3, 2, 10, 0))  # 17:00
    assert not hourly_from_seven_local(utc(2026, 3, 2, 23, 0))  # 06:00
    assert not hourly_from_seven_local(utc(2026, 3, 2, 11, 0))  # 18:00
    assert not hourly_from_seven_local(utc(2026, 3, 2, 0, 1))


def test_exactly_one_of_the_two_digest_jobs_runs(settings):
    """The digests go through the notifications engine by default; the tasks app's own job runs only without it."""
    from dieuhanh.alerts.tasks import _digest_hours
    from dieuhanh.assignments.tasks import _own_digest_hours

    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    seven = datetime.datetime(2026, 3, 2, 0, 0)  # Huey's naive UTC: 07:00 in Hanoi
    assert settings.ALERTS_TASK_DIGESTS
    for engine in (True, False):
        settings.ALERTS_TASK_DIGESTS = engine
        assert bool(_digest_hours(seven)) is engine
        assert bool(_own_digest_hours(seven)) is not engine
