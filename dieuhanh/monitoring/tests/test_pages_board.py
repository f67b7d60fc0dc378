"""The systems board and the public status page, rendered by Django's test client on the demo's systems; the
board of many systems is read in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dieuhanh.monitoring.models import Check, Incident, State, StateChange, System
from dieuhanh.monitoring.tests.test_pages_fixtures import demo_systems, operator  # noqa: F401
from dieuhanh.monitoring.views_figures import board_figures

pytestmark = pytest.mark.django_db


def test_it_shows_every_system_with_its_state_bars_and_open_incident(client, leader, demo_systems):  # noqa: F811
    client.force_login(leader)
    response = client.get(reverse("monitoring:board"))
    assert response.status_code == 200
    html = response.content.decode()
    for system in demo_systems.values():
        assert f'data-code="{system.code}"' in html
    assert "Ngừng hoạt động" in html and "Hoạt động" in html
    # The boards' controller is down now: first on the board, and its incident on top.
    rows = response.context["rows"]
    assert rows[0].system.code == "bang-tin"
    assert [i.system.code for i in response.context["incidents"]] == ["bang-tin"]
    assert "Mất kết nối bộ điều khiển bảng tin" in html
    first, values = rows[0].bars.split(";")
    assert first == (timezone.localdate() - datetime.timedelta(days=89)).isoformat()
    assert len(values.split(",")) == 90


def test_a_reporter_sees_no_systems_and_anonymous_goes_to_login(client, reporter_a, demo_systems):  # noqa: F811
    response = client.get(reverse("monitoring:board"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(reporter_a)
    response = client.get(reverse("monitoring:board"))
    assert response.context["rows"] == []
    assert "bang-tin" not in response.content.decode()
    assert client.get(reverse("monitoring:system_detail", args=["bang-tin"])).status_code == 404


def test_the_wall_layout_and_its_refreshed_panels(client, leader, demo_systems):  # noqa: F811
    client.force_login(leader)
    html = client.get(reverse("monitoring:board") + "?wall=1").content.decode()
    assert "swall-body" in html and "navbar" not in html and 'hx-trigger="every 60s"' in html
    panels = client.get(reverse("monitoring:board") + "?wall=1", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in panels and 'data-code="bang-tin"' in panels


def test_uptime_is_time_weighted_and_leaves_out_maintenance(province, agency):
    system = System.objects.create(code="s", name="S", owner=agency)
    check = Check.objects.create(system=system, name="c", kind="tcp", host="127.0.0.1", port=9)
    now = timezone.now()
    start = now - datetime.timedelta(hours=30)
    StateChange.objects.create(check=check, system=system, at=start, old=State.UNKNOWN, new=State.UP)
    # Down 2.4 hours within the last 24: 90% for the day.
    StateChange.objects.create(check=check, system=system, at=now - datetime.timedelta(hours=10), old=State.UP,
                               new=State.DOWN)
    StateChange.objects.create(check=check, system=system, at=now - datetime.timedelta(hours=7.6), old=State.DOWN,
                               new=State.UP)
    figures = board_figures(System.objects.filter(pk=system.pk), now=now)[system.pk]
    assert figures.day == pytest.approx(0.9)
    assert figures.bars[0][1] is None  # 89 days ago: unknown, not counted
    # A maintenance window over the outage: nothing is down any more.
    from dieuhanh.monitoring.models import MaintenanceWindow
    window = MaintenanceWindow.objects.create(name="m", starts_at=now - datetime.timedelta(hours=11),
                                              ends_at=now - datetime.timedelta(hours=7))
    window.systems.add(system)
    figures = board_figures(System.objects.filter(pk=system.pk), now=now)[system.pk]
    assert figures.day == pytest.approx(1.0)


def test_the_board_of_many_systems_reads_in_a_fixed_number_of_queries(client, leader, agency):
    now = timezone.now()

    def add(count, offset):
        systems = System.objects.bulk_create(
            [System(code=f"s{n}", name=f"Hệ thống {n}", owner=agency, state=State.UP) for n in
             range(offset, offset + count)])
        checks = Check.objects.bulk_create([Check(system=s, name="c", kind="tcp") for s in systems])
        StateChange.objects.bulk_create(
            [StateChange(check=c, system_id=c.system_id, at=now - datetime.timedelta(days=d, hours=1), old=old,
                         new=new) for c in checks for d in (80, 40, 3)
             for old, new in ((State.UP, State.DOWN),)]
            + [StateChange(check=c, system_id=c.system_id, at=now - datetime.timedelta(days=d), old=State.DOWN,
                           new=State.UP) for c in checks for d in (80, 40, 3)])
        Incident.objects.create(system=systems[0], title="x", started_at=now)

    client.force_login(leader)
    add(20, 0)
    client.get(reverse("monitoring:board"))  # the first view keeps the finished days (uptime_days.py)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("monitoring:board")).status_code == 200
    add(480, 20)
    with CaptureQueriesContext(connection) as filling:
        client.get(reverse("monitoring:board"))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("monitoring:board"))
    assert len(response.context["rows"]) == 500
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    assert len(many) <= 18  # with the second factor's device and the menu's auditor permission, as every page
    # Keeping 480 systems' days is a few batched writes, not a query per system.
    assert len(filling) < len(many) + 20


def test_the_public_page_shows_only_public_systems_without_internal_errors(client, demo_systems):  # noqa: F811
    response = client.get(reverse("status:page"))
    assert response.status_code == 200
    html = response.content.decode()
    public = {s.code for s in demo_systems.values() if s.public}
    shown = {r.system.code for r in response.context["rows"]}
    assert shown == public and "lgsp" not in shown
    assert "Nền tảng tích hợp" not in html
    assert "Mất kết nối bộ điều khiển bảng tin" in html  # the current incident's title
    assert "Connection refused" not in html and "127.0.0.1" not in html
    assert "Một số hệ thống đang không hoạt động bình thường" in html


def _live(systems, now):
    """What core's Timeline gives, live, for each system: the 90 days' ratios, the 24 hours and the 30 days."""
    from dieuhanh.monitoring.models import LOCAL_TZ
    from dieuhanh.monitoring.selectors import WINDOWS, Timeline
    from dieuhanh.monitoring.uptime import local_midnight

    today = now.astimezone(LOCAL_TZ).date()
    bounds = [local_midnight(today - datetime.timedelta(days=89 - i)) for i in range(90)] + [now]
    timeline = Timeline([s.pk for s in systems], bounds[0], now, now=now)
    return {s.pk: ([timeline.figure(s.pk, bounds[i], bounds[i + 1]).ratio for i in range(90)],
                   timeline.figure(s.pk, now - WINDOWS["24h"], now).ratio,
                   timeline.figure(s.pk, now - WINDOWS["30d"], now).ratio) for s in systems}


def _assert_board_is_live(systems, now):
    from dieuhanh.monitoring.views_common import bars_data
    from dieuhanh.monitoring.views_figures import uptime_table

    live = _live(systems, now)
    figures = board_figures(System.objects.filter(pk__in=[s.pk for s in systems]), now=now)
    for system in systems:
        days, day, month = live[system.pk]
        f = figures[system.pk]
        # The same microseconds on both sides: equal to the last digit, not approximately.
        assert [r for _d, r in f.bars] == days, system.code
        assert (f.day, f.month) == (day, month), system.code
        assert f.bars_text == bars_data(list(f.bars)), system.code  # the kept text is what the days read
        table = dict(uptime_table(system, now=now))
        assert (table["24 giờ"], table["30 ngày"]) == (day, month)  # the system page says the same


def test_the_kept_days_give_exactly_the_live_figures_and_follow_late_changes(agency):
    """The board reads finished days from SystemDays and measures only the rest live; over random histories
    (down, pending, unknown, maintenance states; one-off and recurring windows) it must give exactly what core's
    Timeline gives live — also after a maintenance window is added for past days, a window is changed, a state
    change is recorded late, a check is deleted with its history, and the next day comes."""
    import random

    from dieuhanh.monitoring.models import MaintenanceWindow, SystemDays

    rng = random.Random(12)
    now = timezone.now()
    systems = []
    for n in range(6):
        system = System.objects.create(code=f"r{n}", name=f"R{n}", owner=agency)
        for k in range(2):
            check = Check.objects.create(system=system, name=f"c{k}", kind="tcp")
            moment, state = now - datetime.timedelta(days=rng.randint(40, 100)), State.UNKNOWN
            while moment < now:
                new = rng.choice([State.UP, State.UP, State.DOWN, State.PENDING, State.UNKNOWN, State.MAINTENANCE])
                StateChange.objects.create(check=check, system=system, at=moment, old=state, new=new)
                state = new
                moment += datetime.timedelta(minutes=rng.randint(5, 6000))
        systems.append(system)
    quiet = System.objects.create(code="quiet", name="Quiet", owner=agency)  # up for 80 days
    StateChange.objects.create(check=Check.objects.create(system=quiet, name="c", kind="tcp"), system=quiet,
                               at=now - datetime.timedelta(days=80), old=State.UNKNOWN, new=State.UP)
    systems.append(quiet)
    weekly = MaintenanceWindow.objects.create(name="w", weekdays="2,6", start_time=datetime.time(23),
                                              duration_minutes=150)
    weekly.systems.add(*systems[:3])
    _assert_board_is_live(systems, now)
    assert SystemDays.objects.count() == 7

    # A window recorded afterwards over past days (the admin adds it without a service).
    once = MaintenanceWindow.objects.create(name="o", starts_at=now - datetime.timedelta(days=20, hours=5),
                                            ends_at=now - datetime.timedelta(days=18))
    once.systems.add(*systems[2:])
    _assert_board_is_live(systems, now)
    # A recurring window's days changed, and a window taken off a system.
    MaintenanceWindow.objects.filter(pk=weekly.pk).update(weekdays="0,3")
    once.systems.remove(systems[4])
    _assert_board_is_live(systems, now)
    # State changes recorded late, 50 days back: those days change.
    check = systems[1].checks.first()
    StateChange.objects.create(check=check, system=systems[1], at=now - datetime.timedelta(days=50, hours=3),
                               old=State.UP, new=State.DOWN)
    # At 10:00 local time, so that the two hours fall in one day whatever the hour the test runs (an outage across
    # midnight is two shorter ones, each day above 95 %).
    outage = timezone.localtime(now - datetime.timedelta(days=50)).replace(hour=10, minute=0, second=0)
    for at, old, new in ((outage, State.UP, State.DOWN), (outage + datetime.timedelta(hours=2), State.DOWN,
                                                          State.UP)):
        StateChange.objects.create(check=quiet.checks.get(), system=quiet, at=at, old=old, new=new)
    _assert_board_is_live(systems, now)
    assert min(r for _d, r in board_figures([quiet.pk], now=now)[quiet.pk].bars if r is not None) < 0.95
    # A check deleted with its history.
    systems[3].checks.first().delete()
    _assert_board_is_live(systems, now)
    # The next days: the kept days move on.
    for later in (1, 2, 31):
        _assert_board_is_live(systems, now + datetime.timedelta(days=later, hours=later))


def test_the_wall_shows_the_systems_in_trouble_first_and_counts_the_rest(client, leader, agency):
    from dieuhanh.monitoring.views_board import WALL_TILES

    System.objects.bulk_create([System(code=f"w{n:02d}", name=f"Hệ thống {n:02d}", owner=agency,
                                       state=State.DOWN if n == 55 else State.UP) for n in range(WALL_TILES + 12)])
    client.force_login(leader)
    response = client.get(reverse("monitoring:board") + "?wall=1")
    tiles = response.context["tiles"]
    assert len(tiles) == WALL_TILES and tiles[0].system.code == "w55"
    assert "và 12 hệ thống khác" in response.content.decode()


def test_the_overview_panel_counts_states_and_lists_open_incidents(rf, leader, reporter_a, agency, demo_systems):  # noqa: F811
    from django.template.loader import render_to_string

    from dieuhanh.monitoring.views_board import systems_panel

    assert systems_panel(reporter_a) is None
    panel = systems_panel(leader)
    assert panel["total"] == len(demo_systems) and [c[0] for c in panel["counts"]] == ["down", "up"]
    html = render_to_string("monitoring/_panel_systems.html", {"systems_panel": panel})
    assert "Ngừng hoạt động: 1" in html and "Mất kết nối bộ điều khiển bảng tin" in html
    year = timezone.localdate().year
    before = panel["security"]  # the demo's own incidents of this year
    assert f"Năm {year}: {before.incidents} sự cố an toàn thông tin mạng" in html

    # The year's information-security incidents of the reader's scope: one serious, one closed; and one of last year.
    from dieuhanh.accounts.models import Role
    from dieuhanh.conftest import make_user
    from dieuhanh.monitoring.services_security import security_incident_advance, security_incident_create

    op = make_user("op_panel", Role.OPERATOR, agency)
    made = [security_incident_create(
        user=op, orgunit=agency, title=f"Sự cố {n}", incident_type="Mã độc", description="Máy trạm nhiễm mã độc",
        detected_at=timezone.now() - datetime.timedelta(days=days), detection_method="Phần mềm diệt virus",
        contact_name="Nguyễn Văn A", contact_phone="0276 000", operating_unit="Sở", serious=serious,
        serious_reason="Ngừng hệ thống cấp 3" if serious else "")
        for n, (days, serious) in enumerate(((0, True), (0, False), (400, False)))]
    security_incident_advance(user=op, incident=made[1], status="closed", note="Đã xử lý xong")
    html = render_to_string("monitoring/_panel_systems.html", {"systems_panel": systems_panel(leader)})
    assert f"Năm {year}: {before.incidents + 2} sự cố an toàn thông tin mạng" in html
    assert f"{before.serious + 1} nghiêm trọng" in html and f"{before.open + 1} đang xử lý" in html
    assert f"/systems/security/?year={year}" in html


def test_uptime_text_writes_a_ratio_as_format_percent_does():
    """The board writes 3,000 figures a view with its own short way; it must read as format_percent's."""
    import random

    from dieuhanh.lib.vnformat import format_percent
    from dieuhanh.monitoring.views_common import uptime_text

    rng = random.Random(5)
    ratios = [rng.random() for _ in range(5000)] + [1 - rng.random() / 10**rng.randint(2, 7) for _ in range(5000)]
    for ratio in ratios + [0.0, 1.0, 0.99995, 0.999949999, 0.00005, None]:
        assert uptime_text(ratio) == format_percent(None if ratio is None else ratio * 100, 2), ratio
