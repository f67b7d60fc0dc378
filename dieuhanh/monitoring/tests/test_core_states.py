"""The worker's state machine, incidents, maintenance, heartbeats, claims and concurrency, against real local
servers and the real database."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.utils import timezone

from dieuhanh.accounts.models import Role
from dieuhanh.conftest import make_user
from dieuhanh.monitoring.models import Check, CheckResult, Incident, State, StateChange, System
from dieuhanh.monitoring.runner import run_once
from dieuhanh.monitoring.services import (
    check_create,
    check_update,
    heartbeat_receive,
    incident_acknowledge,
    incident_close,
    incident_note,
    incident_open,
    maintenance_create,
    system_create,
)
from dieuhanh.monitoring.tests import _core_servers as servers
from dieuhanh.monitoring.views_heartbeat import heartbeat


@pytest.fixture
def http():
    server = servers.HttpServer()
    yield server
    server.close()


@pytest.fixture
def system(province):
    return system_create(user=None, code="lgsp", name="Nền tảng LGSP", owner=province,
                         category=System.Category.LGSP)


@pytest.fixture
def operator(province):
    return make_user("operator", Role.OPERATOR, province)


def again(check: Check) -> Check:
    """Run the worker once with the check due, as `manage.py monitor --once` would a minute later."""
    Check.objects.filter(pk=check.pk).update(next_run_at=None)
    assert check.pk in run_once().check_ids
    check.refresh_from_db()
    return check


def transitions(check):
    return list(StateChange.objects.filter(check=check).order_by("at", "id").values_list("old", "new"))


def test_three_failures_make_it_down_two_successes_up_with_an_incident(http, system):
    http.routes["/health"] = (500, "lỗi", 0)
    check = check_create(system=system, user=None, name="API", kind=Check.Kind.HTTP, url=http.url("/health"),
                         timeout_seconds=2)
    assert [again(check).state for _ in range(3)] == [State.PENDING, State.PENDING, State.DOWN]
    system.refresh_from_db()
    assert system.state == State.DOWN
    incident = Incident.objects.get(system=system)
    assert incident.title == "Nền tảng LGSP ngừng hoạt động"
    assert incident.error == "Mã trạng thái HTTP 500 (mong đợi 200-299)"
    assert incident.status == Incident.Status.OPEN and incident.opened_by is None and incident.check == check
    assert incident.ended_at is None
    assert again(check).state == State.DOWN  # still down: no second incident
    assert Incident.objects.filter(system=system).count() == 1
    http.routes["/health"] = (200, "ok", 0)
    assert [again(check).state for _ in range(2)] == [State.DOWN, State.UP]
    assert transitions(check) == [("unknown", "pending"), ("pending", "down"), ("down", "up")]
    incident.refresh_from_db()
    system.refresh_from_db()
    assert system.state == State.UP
    assert incident.ended_at == check.state_since and incident.status == Incident.Status.OPEN  # the operator closes
    assert CheckResult.objects.filter(check=check).count() == 6
    # The next outage is a new incident, even while the last awaits closing.
    http.routes["/health"] = (500, "lỗi", 0)
    for _ in range(3):
        again(check)
    assert Incident.objects.filter(system=system).count() == 2


def test_a_single_failure_is_pending_and_a_success_clears_it(http, system):
    http.routes["/x"] = (200, "ok", 0)
    check = check_create(system=system, user=None, name="API", kind=Check.Kind.HTTP, url=http.url("/x"),
                         timeout_seconds=2)
    assert again(check).state == State.UP
    http.routes["/x"] = (502, "", 0)
    assert again(check).state == State.PENDING
    http.routes["/x"] = (200, "ok", 0)
    assert again(check).state == State.UP
    assert not Incident.objects.exists()


def test_the_system_is_the_worst_of_its_active_checks(http, system):
    http.routes["/ok"] = (200, "ok", 0)
    http.routes["/bad"] = (500, "", 0)
    good = check_create(system=system, user=None, name="Web", kind=Check.Kind.HTTP, url=http.url("/ok"))
    bad = check_create(system=system, user=None, name="API", kind=Check.Kind.HTTP, url=http.url("/bad"),
                       failures_to_down=1)
    run_once()
    system.refresh_from_db()
    assert (good.__class__.objects.get(pk=good.pk).state, system.state) == (State.UP, State.DOWN)
    check_update(check=bad, user=None, active=False)  # switched off: unknown, and no longer counted
    system.refresh_from_db()
    assert system.state == State.UP
    assert transitions(bad)[-1] == ("down", "unknown")


def test_maintenance_records_results_but_opens_no_incident(http, system):
    http.routes["/down"] = (503, "", 0)
    check = check_create(system=system, user=None, name="Web", kind=Check.Kind.HTTP, url=http.url("/down"))
    now = timezone.now()
    window = maintenance_create(user=None, name="Nâng cấp máy chủ", systems=[system],
                                starts_at=now - dt.timedelta(minutes=5), ends_at=now + dt.timedelta(hours=1))
    states = [again(check).state for _ in range(4)]
    assert states == [State.MAINTENANCE] * 4
    assert check.consecutive_failures == 4 and check.last_error.startswith("Mã trạng thái HTTP 503")
    assert CheckResult.objects.filter(check=check, ok=False).count() == 4
    system.refresh_from_db()
    assert system.state == State.MAINTENANCE and not Incident.objects.exists()
    window.delete()  # the work is over and the system is still down: confirmed at once
    assert again(check).state == State.DOWN
    assert Incident.objects.filter(system=system).count() == 1


def test_a_recurring_window_covers_its_local_hours(http, system):
    http.routes["/down"] = (503, "", 0)
    check = check_create(system=system, user=None, name="Web", kind=Check.Kind.HTTP, url=http.url("/down"),
                         failures_to_down=1)
    local = timezone.localtime()
    maintenance_create(user=None, name="Sao lưu hằng tuần", systems=[system], weekdays=[local.weekday()],
                       start_time=(local - dt.timedelta(minutes=10)).time(), duration_minutes=30)
    if (local - dt.timedelta(minutes=10)).date() != local.date():
        pytest.skip("the window would start yesterday: this test needs ten minutes after local midnight")
    assert again(check).state == State.MAINTENANCE


def test_a_heartbeat_is_up_on_a_ping_and_down_when_late(system):
    check = check_create(system=system, user=None, name="Sao lưu đêm", kind=Check.Kind.HEARTBEAT,
                         period_seconds=3600, grace_seconds=600)
    assert check.heartbeat_token and len(check.heartbeat_token) >= 32
    assert run_once().ran == 0  # never pinged and not due: nothing to look at
    request = RequestFactory().post(f"/systems/hb/{check.heartbeat_token}")
    assert heartbeat(request, check.heartbeat_token).status_code == 200
    check.refresh_from_db()
    assert check.state == State.UP and check.last_ok_at is not None
    assert heartbeat(RequestFactory().get("/systems/hb/nope"), "nope").status_code == 404
    # Within the period plus grace: on time. Past it: late, down at once, with the reason.
    assert check.pk not in run_once(now=timezone.now() + dt.timedelta(minutes=65)).check_ids
    late = timezone.now() + dt.timedelta(minutes=71)
    assert check.pk in run_once(now=late).check_ids
    check.refresh_from_db()
    assert check.state == State.DOWN
    assert check.last_error.startswith("Không nhận được tín hiệu từ ")
    assert check.last_error.endswith("(chu kỳ 60 phút, chờ thêm 10 phút)")
    assert Incident.objects.get(system=system).error == check.last_error
    # Looked at again while down: nothing new recorded.
    results = CheckResult.objects.filter(check=check).count()
    run_once(now=late + dt.timedelta(minutes=5))
    assert CheckResult.objects.filter(check=check).count() == results
    assert heartbeat_receive(check.heartbeat_token, now=late + dt.timedelta(minutes=6)).state == State.UP
    assert Incident.objects.get(system=system).ended_at == late + dt.timedelta(minutes=6)


def test_the_monitor_command_runs_once(http, system, capsys):
    http.routes["/ok"] = (200, "ok", 0)
    for i in range(3):
        check_create(system=system, user=None, name=f"Web {i}", kind=Check.Kind.HTTP, url=http.url("/ok"))
    call_command("monitor", "--once")
    assert capsys.readouterr().out.strip() == "3 checks ran, 0 failed"
    call_command("monitor", "--once")  # nothing due any more
    assert capsys.readouterr().out.strip() == "0 checks ran, 0 failed"


def test_the_huey_task_runs_the_due_checks(http, system):
    from dieuhanh.monitoring.tasks import monitoring_run_due

    http.routes["/ok"] = (200, "ok", 0)
    check_create(system=system, user=None, name="Web", kind=Check.Kind.HTTP, url=http.url("/ok"))
    assert monitoring_run_due.call_local() == 1
    assert monitoring_run_due.call_local() == 0


def test_slow_checks_do_not_delay_each_other(http, system):
    http.routes["/slow"] = (200, "ok", 2)
    for i in range(50):
        check_create(system=system, user=None, name=f"Chậm {i}", kind=Check.Kind.HTTP, url=http.url("/slow"),
                     timeout_seconds=3)
    started = time.monotonic()
    summary = run_once()
    elapsed = time.monotonic() - started
    assert summary.ran == 50 and summary.failed == 0  # all of them, in one pass
    assert http.hits["/slow"] == 50
    assert elapsed < 50 * 2 / 3  # far from one after the other (100 s); about 2 s on an idle machine


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_never_run_a_check_twice(http, province):
    system = system_create(user=None, code="vbdh", name="Quản lý văn bản", owner=province)
    for i in range(30):
        http.routes[f"/c{i}"] = (200, "ok", 0.2)
        check_create(system=system, user=None, name=f"Kiểm tra {i}", kind=Check.Kind.HTTP,
                     url=http.url(f"/c{i}"), timeout_seconds=3)
    summaries, errors, start = [], [], threading.Barrier(2)

    def worker():
        try:
            start.wait(10)
            summaries.append(run_once())
        except Exception as exc:  # pragma: no cover - shown by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sum(s.ran for s in summaries) == 30 and sum(s.lost for s in summaries) == 0
    assert sorted(id_ for s in summaries for id_ in s.check_ids) == sorted(
        Check.objects.values_list("pk", flat=True))
    failed = list(CheckResult.objects.filter(ok=False).values_list("error", flat=True))
    assert not failed
    assert [http.hits[f"/c{i}"] for i in range(30)] == [1] * 30
    assert CheckResult.objects.count() == 30
    assert not Check.objects.exclude(claim_token="").exists()


def test_a_claimed_check_is_not_run_by_another_worker(http, system):
    from dieuhanh.monitoring.runner import claim_due

    http.routes["/ok"] = (200, "ok", 0)
    check = check_create(system=system, user=None, name="Web", kind=Check.Kind.HTTP, url=http.url("/ok"))
    assert [c.pk for c in claim_due(now=timezone.now(), token="a" * 32)] == [check.pk]
    assert run_once().ran == 0 and http.hits["/ok"] == 0  # held by the other worker
    later = timezone.now() + dt.timedelta(minutes=10)  # that worker died: its lease ends
    assert run_once(now=later).check_ids == [check.pk]


def test_incidents_by_hand_acknowledged_noted_and_closed(system, operator, reporter_a):
    incident = incident_open(system=system, title="Mất kết nối tới cơ sở dữ liệu", user=operator)
    assert incident.opened_by == operator and incident.status == Incident.Status.OPEN
    with pytest.raises(ValidationError) as caught:
        incident_open(system=system, title="Lần nữa", user=operator)
    assert caught.value.message_dict == {"system": ["Hệ thống này đang có sự cố chưa kết thúc; hãy cập nhật sự cố đó."]}
    with pytest.raises(ValidationError) as caught:
        incident_acknowledge(incident=incident, user=reporter_a)
    assert caught.value.message_dict == {"system": ["Bạn không vận hành hệ thống của đơn vị này."]}
    incident = incident_acknowledge(incident=incident, user=operator)
    assert incident.status == Incident.Status.ACKNOWLEDGED and incident.acknowledged_by == operator
    incident = incident_note(incident=incident, cause="Hỏng ổ cứng", actions="Thay ổ, khôi phục", user=operator)
    incident = incident_close(incident=incident, user=operator)
    incident.refresh_from_db()
    assert (incident.status, incident.cause, incident.closed_by) == (Incident.Status.CLOSED, "Hỏng ổ cứng", operator)
    assert incident.ended_at == incident.closed_at and incident.duration >= dt.timedelta(0)
    with pytest.raises(ValidationError):
        incident_close(incident=incident, user=operator)


@pytest.mark.django_db(transaction=True)
def test_the_worker_loop_runs_checks_as_they_fall_due_and_stops(http, province):
    from dieuhanh.monitoring.runner import run_forever

    system = system_create(user=None, code="hop", name="Phòng họp không giấy", owner=province)
    http.routes["/ok"] = (200, "ok", 0)
    checks = [check_create(system=system, user=None, name=f"Web {i}", kind=Check.Kind.HTTP, url=http.url("/ok"),
                           interval_seconds=60, timeout_seconds=2) for i in range(3)]
    stop, outcome = threading.Event(), []

    def results(check=None) -> int:
        """Results so far; SQLite's shared-cache test database may say "locked" while the worker writes."""
        for _attempt in range(50):
            try:
                rows = CheckResult.objects.all() if check is None else CheckResult.objects.filter(check=check)
                return rows.count()
            except OperationalError:
                time.sleep(0.05)
        return 0

    def loop():
        try:
            outcome.append(run_forever(stop=stop, concurrency=10, poll=0.1))
        finally:
            connection.close()

    thread = threading.Thread(target=loop)
    thread.start()
    deadline = time.monotonic() + 30
    while results() < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    # A check made while the worker runs is picked up on its next look.
    late = check_create(system=system, user=None, name="Web muộn", kind=Check.Kind.HTTP, url=http.url("/ok"),
                        interval_seconds=60, timeout_seconds=2)
    while results(late) < 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    stop.set()
    thread.join(20)
    assert not thread.is_alive()
    assert outcome and outcome[0].ran == 4 and http.hits["/ok"] == 4  # each once: the next run is a minute away
    assert all(c.state == State.UP for c in Check.objects.filter(pk__in=[c.pk for c in checks] + [late.pk]))
