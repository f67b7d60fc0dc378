"""Uptime in time from hand-made state changes; maintenance windows (one-off, recurring in Vietnam's time); the
daily bars; monthly figures and the purge of raw results (the daily job)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from dieuhanh.monitoring.models import LOCAL_TZ, Check, CheckResult, MaintenanceWindow, State, StateChange, SystemMonth
from dieuhanh.monitoring.selectors import daily_bars, response_series, uptime, uptime_windows
from dieuhanh.monitoring.services import check_create, maintenance_create, system_create
from dieuhanh.monitoring.tasks import monitoring_daily
from dieuhanh.monitoring.uptime import months_of_year, system_months_update, uptime_year

H = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@pytest.fixture
def system(province):
    return system_create(user=None, code="email", name="Thư điện tử công vụ", owner=province)


def local(y, m, d, h=0, minute=0):
    return dt.datetime(y, m, d, h, minute, tzinfo=LOCAL_TZ)


def check_of(system, name="Web"):
    return check_create(system=system, user=None, name=name, kind=Check.Kind.TCP, host="127.0.0.1", port=1)


def flips(check, *moves):
    """moves: (moment, new state); the old state follows from the previous move."""
    old = State.UNKNOWN
    for at, new in moves:
        StateChange.objects.create(check=check, system=check.system, at=at, old=old, new=new)
        old = new


def test_one_hour_down_in_a_day_is_95_83_percent(system):
    check = check_of(system)
    day = local(2026, 11, 10)
    flips(check, (day - DAY, State.UP), (day + 10 * H, State.DOWN), (day + 11 * H, State.UP))
    figure = uptime(system, day, day + DAY)
    assert (figure.down_seconds, figure.maintenance_seconds, figure.counted_seconds) == (3600, 0, 86400)
    assert figure.ratio == pytest.approx(23 / 24) and round(figure.percent, 2) == 95.83


def test_maintenance_is_left_out_of_the_denominator(system):
    check = check_of(system)
    day = local(2026, 11, 10)
    flips(check, (day - DAY, State.UP), (day + 10 * H, State.DOWN), (day + 11 * H, State.UP),
          (day + 20 * H, State.MAINTENANCE), (day + 22 * H, State.UP))
    figure = uptime(system, day, day + DAY)
    assert (figure.down_seconds, figure.maintenance_seconds, figure.counted_seconds) == (3600, 7200, 79200)
    assert figure.ratio == pytest.approx(1 - 3600 / 79200)


def test_a_window_over_an_outage_makes_it_maintenance(system):
    check = check_of(system)
    day = local(2026, 11, 10)
    flips(check, (day - DAY, State.UP), (day + 2 * H, State.DOWN), (day + 4 * H, State.UP))
    # The runner saw it down (the window was entered late), but the work was planned 01:30–03:00.
    maintenance_create(user=None, name="Nâng cấp", systems=[system], starts_at=day + 1.5 * H, ends_at=day + 3 * H)
    figure = uptime(system, day, day + DAY)
    assert (figure.down_seconds, figure.maintenance_seconds) == (3600, 5400)
    assert figure.counted_seconds == 86400 - 5400


def test_the_system_is_down_while_any_check_is(system):
    a, b = check_of(system, "A"), check_of(system, "B")
    day = local(2026, 11, 10)
    flips(a, (day - DAY, State.UP), (day + 10 * H, State.DOWN), (day + 11 * H, State.UP))
    flips(b, (day - DAY, State.UP), (day + 10.5 * H, State.PENDING), (day + 10.75 * H, State.DOWN),
          (day + 12 * H, State.UP))
    # A is down 10:00–11:00, B 10:45–12:00 (its pending 10:30–10:45 is not down): the system 10:00–12:00.
    assert uptime(system, day, day + DAY).down_seconds == 2 * 3600


def test_time_before_the_first_result_is_not_counted(system):
    check = check_of(system)
    day = local(2026, 11, 10)
    flips(check, (day + 12 * H, State.UP), (day + 18 * H, State.DOWN))
    figure = uptime(system, day, day + DAY)
    assert figure.counted_seconds == 12 * 3600 and figure.down_seconds == 6 * 3600 and figure.ratio == 0.5
    assert uptime(system, day - DAY, day).ratio is None  # nothing measured at all


def test_windows_and_daily_bars(system):
    check = check_of(system)
    now = timezone.now()
    today = now.astimezone(LOCAL_TZ).date()
    outage_day = today - dt.timedelta(days=3)
    start = local(outage_day.year, outage_day.month, outage_day.day)
    flips(check, (now - 10 * DAY, State.UP), (start + 6 * H, State.DOWN), (start + 7 * H, State.UP))
    windows = uptime_windows(system, now=now)
    assert list(windows) == ["24h", "7d", "30d", "90d"]
    assert windows["24h"].ratio == 1 and windows["24h"].down_seconds == 0
    assert windows["7d"].down_seconds == 3600 and windows["7d"].counted_seconds == 7 * 86400
    assert windows["90d"].counted_seconds == pytest.approx((now - (now - 10 * DAY)).total_seconds(), abs=1)
    bars = daily_bars(system, now=now)
    assert len(bars) == 90 and bars[-1][0] == today and bars[0][0] == today - dt.timedelta(days=89)
    by_day = dict(bars)
    assert by_day[outage_day] == pytest.approx(23 / 24)
    assert by_day[today - dt.timedelta(days=20)] is None  # before anything was measured
    assert by_day[today - dt.timedelta(days=1)] == 1


def test_a_one_off_window_covers_its_span(system):
    start = local(2026, 12, 5, 22)
    window = MaintenanceWindow(name="x", starts_at=start, ends_at=start + 2 * H)
    assert window.covers(start) and window.covers(start + 1.9 * H)
    assert not window.covers(start + 2 * H) and not window.covers(start - dt.timedelta(seconds=1))
    assert window.intervals(start + H, start + 5 * H) == [(start + H, start + 2 * H)]


def test_a_recurring_window_in_vietnams_time(system):
    # Monday and Thursday 23:00 for two hours (into the next day), from 1 to 31 December 2026.
    window = maintenance_create(user=None, name="Sao lưu", systems=[system], weekdays="0, 3",
                                start_time=dt.time(23, 0), duration_minutes=120, valid_from=dt.date(2026, 12, 1),
                                valid_to=dt.date(2026, 12, 31))
    assert window.weekdays == "0,3"
    monday = local(2026, 12, 7, 23)  # a Monday
    assert window.covers(monday) and window.covers(monday + 1.5 * H)
    assert window.covers(dt.datetime(2026, 12, 7, 16, 30, tzinfo=dt.UTC))  # 23:30 in Hà Nội, said in UTC
    assert not window.covers(monday + 2 * H) and not window.covers(monday - H)
    assert not window.covers(local(2026, 12, 8, 23))  # a Tuesday
    assert not window.covers(local(2027, 1, 4, 23))  # a Monday after valid_to
    spans = window.intervals(local(2026, 12, 7), local(2026, 12, 14))
    assert spans == [(monday, monday + 2 * H), (local(2026, 12, 10, 23), local(2026, 12, 11, 1))]
    # A span starting inside an occurrence begun the day before is clipped, not lost.
    assert window.intervals(local(2026, 12, 8, 0, 30), local(2026, 12, 8, 12)) == [
        (local(2026, 12, 8, 0, 30), local(2026, 12, 8, 1))]


def test_the_daily_job_fills_the_months_and_purges_old_results(system):
    check = check_of(system)
    now = timezone.now()
    this_month = now.astimezone(LOCAL_TZ).date().replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    start = local(last_month.year, last_month.month, 1)
    flips(check, (start - DAY, State.UP), (start + 2 * DAY, State.DOWN), (start + 2 * DAY + 3 * H, State.UP))
    old = [CheckResult(check=check, at=now - dt.timedelta(days=40, minutes=i), ok=True, response_ms=100)
           for i in range(25)]
    recent = [CheckResult(check=check, at=now - dt.timedelta(days=5, minutes=i), ok=True, response_ms=300)
              for i in range(5)]
    CheckResult.objects.bulk_create(old + recent)
    with override_settings(MONITORING_RESULT_DAYS=30):
        outcome = monitoring_daily.call_local()
    assert outcome["purged"] == 25 and CheckResult.objects.count() == 5
    month = SystemMonth.objects.get(system=system, month=last_month)
    assert month.down_seconds == 3 * 3600
    days_in_month = (this_month - last_month).days
    assert month.counted_seconds == days_in_month * 86400 and month.maintenance_seconds == 0
    recent_month = (now - dt.timedelta(days=5)).astimezone(LOCAL_TZ).date().replace(day=1)
    assert SystemMonth.objects.get(system=system, month=recent_month).response_ms_avg == 300
    current = SystemMonth.objects.get(system=system, month=this_month)
    assert current.down_seconds == 0 and current.counted_seconds > 0
    assert system_months_update(now=now) == 2  # again: the same rows, updated
    assert SystemMonth.objects.filter(system=system).count() == 2
    if last_month.year == this_month.year:
        year = uptime_year(system, this_month.year)
        assert year.down_seconds == 3 * 3600
        assert [m for m, _f in months_of_year(system, this_month.year)] == [last_month, this_month]


def test_the_daily_job_keeps_the_finished_days_and_repairs_what_a_watermark_missed(system):
    """The board's kept days (uptime_days.py) are filled by the nightly job; a late change the id watermark
    could not see (on PostgreSQL: committed after a higher-numbered one) is set right by the next night's run."""
    from dieuhanh.monitoring.models import SystemDays
    from dieuhanh.monitoring.uptime import Timeline, local_midnight
    from dieuhanh.monitoring.uptime_days import KEPT_DAYS, kept_days

    check = check_of(system)
    now = timezone.now()
    today = now.astimezone(LOCAL_TZ).date()
    flips(check, (now - 100 * DAY, State.UP))
    outcome = monitoring_daily.call_local()
    assert outcome["days"] == 1
    row = SystemDays.objects.get(system=system)
    assert (row.first_day, row.last_day) == (today - dt.timedelta(days=KEPT_DAYS), today - dt.timedelta(days=1))
    assert row.bars == ",".join(["100"] * KEPT_DAYS) and row.down_total == 0

    day = today - dt.timedelta(days=10)
    StateChange.objects.create(check=check, system=system, at=local(day.year, day.month, day.day, 6),
                               old=State.UP, new=State.DOWN)
    StateChange.objects.create(check=check, system=system, at=local(day.year, day.month, day.day, 12),
                               old=State.DOWN, new=State.UP)
    SystemDays.objects.filter(system=system).update(changes_seen=10**9)  # as if the changes had been seen
    assert kept_days([system.pk])[system.pk].total().down == 0  # the read trusts its watermark…
    monitoring_daily.call_local()  # …the night's run does not
    kept = kept_days([system.pk])[system.pk]
    assert kept.total().down == 6 * 3600 * 10**6
    assert kept.bars.split(",")[KEPT_DAYS - 10] == "75.00"
    # To the microsecond what core's Timeline measures over the same days.
    assert kept.total() == Timeline([system.pk], local_midnight(kept.first_day), local_midnight(today)).span(system.pk)


def test_the_response_series_averages_buckets(system):
    check = check_of(system)
    start = local(2026, 11, 10)
    CheckResult.objects.bulk_create([
        CheckResult(check=check, at=start + dt.timedelta(minutes=1), ok=True, response_ms=100),
        CheckResult(check=check, at=start + dt.timedelta(minutes=2), ok=True, response_ms=300),
        CheckResult(check=check, at=start + 3 * H, ok=False, response_ms=None, error="x"),
        CheckResult(check=check, at=start + 5 * H, ok=True, response_ms=50),
    ])
    series = response_series(system, start, start + 6 * H, points=6)
    assert series == [(start, 200), (start + H, None), (start + 2 * H, None), (start + 3 * H, None),
                      (start + 4 * H, None), (start + 5 * H, 50)]
