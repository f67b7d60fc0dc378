"""The monitoring pages in Chromium, on the demo's systems: the board as a leader at 1366 and 360 px and on the
room's 1920 and 3840 walls, a system's page and an incident worked through as an operator, a reporter refused,
and the public page read anonymously (screenshots under var/screenshots/)."""

import re

import pytest
from django.urls import reverse

from dieuhanh.accounts.models import Role
from dieuhanh.conftest import make_user
from dieuhanh.monitoring.models import Incident
from dieuhanh.monitoring.tests.test_pages_fixtures import demo_systems, operator  # noqa: F401
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"
BAR_TITLES = "() => [...document.querySelectorAll('.board-row .uptime-bars')][0].querySelectorAll('i.bar').length"
DATE_PERCENT = re.compile(r"^\d{2}/\d{2}/\d{4}: (\d{1,3}(,\d{1,2})?%|Chưa có số liệu)$")


def test_the_board_at_office_phone_and_wall_sizes(browser_page, live_server, leader, demo_systems):  # noqa: F811
    page = browser_page
    log_in(page, live_server, "leader")
    page.goto(live_server.url + reverse("monitoring:board"))
    assert page.locator(".board-row").count() == len(demo_systems)
    assert page.locator(".board-row").first.get_attribute("data-code") == "bang-tin"
    assert page.locator("#open-incidents").inner_text().count("Mất kết nối bộ điều khiển bảng tin") == 1
    page.wait_for_function(f"{BAR_TITLES} === 90")
    titles = page.locator(".board-row").first.locator(".uptime-bars i.bar").evaluate_all("els => els.map(e => e.title)")
    assert len(titles) == 90 and all(DATE_PERCENT.match(t) for t in titles), titles[:3]
    assert any(not t.endswith(": 100%") for t in titles)  # the boards' outages show in their days
    assert page.evaluate(FITS)
    screenshot(page, "systems-board-1366")
    # A leader reads the system and its incident, without the operators' buttons.
    page.locator(".board-row").first.locator(".board-name a").click()
    page.wait_for_selector("#response-chart canvas")
    assert page.locator("#system-actions").count() == 0
    page.click("#incidents a")
    assert "Mất kết nối bộ điều khiển bảng tin" in page.locator("h1").inner_text()
    assert page.locator("#incident-actions").count() == 0 and page.locator("#note-form").count() == 0
    page.goto(live_server.url + reverse("monitoring:board"))

    page.set_viewport_size({"width": 360, "height": 780})
    page.reload()
    page.wait_for_function(f"{BAR_TITLES} === 90")
    assert page.evaluate(FITS)
    screenshot(page, "systems-board-360")

    for width, height in ((1920, 1080), (3840, 2160)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(live_server.url + reverse("monitoring:board") + "?wall=1")
        page.wait_for_function("() => document.querySelectorAll('.swall-tile .uptime-bars i.bar').length > 0")
        assert page.locator("nav.navbar").count() == 0 and page.evaluate(FITS)
        name_px = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.swall-name')).fontSize)")
        assert name_px >= width / 100  # read from across the room
        screenshot(page, f"systems-board-wall-{width}")
        inside = "() => document.querySelector('#board').getBoundingClientRect().bottom <= window.innerHeight"
        assert page.evaluate(inside)  # the demo's systems fit one screen


def test_an_operator_reads_a_system_and_works_an_incident(browser_page, live_server, operator, demo_systems):  # noqa: F811
    page = browser_page
    log_in(page, live_server, "operator")
    page.goto(live_server.url + reverse("monitoring:system_detail", args=["lgsp"]))
    page.wait_for_selector("#response-chart canvas")
    assert "Cấp độ 3" in page.locator("#security-level").inner_text()
    assert page.locator("#uptime-table tr").count() >= 5
    assert page.evaluate(FITS)
    screenshot(page, "system-page-1366")
    page.set_viewport_size({"width": 360, "height": 780})
    page.reload()
    page.wait_for_selector("#response-chart canvas")
    assert page.evaluate(FITS)
    screenshot(page, "system-page-360")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + reverse("monitoring:board"))
    page.click("#open-incidents a")
    page.click("#acknowledge")
    page.wait_for_selector("text=Đã tiếp nhận sự cố.")
    assert page.locator("#incident-status").inner_text() == "Đã tiếp nhận"
    page.fill("#id_cause", "Mất điện tủ điều khiển")
    page.fill("#id_actions", "Thay bộ nguồn, kiểm tra lại kết nối")
    page.click("#save-note")
    page.wait_for_selector("text=Đã lưu nguyên nhân và biện pháp.")
    screenshot(page, "incident-1366")
    page.click("#close")
    page.wait_for_selector("text=Đã đóng sự cố.")
    assert page.locator("#incident-actions").count() == 0
    incident = Incident.objects.get(system=demo_systems["bang-tin"])
    assert (incident.status, incident.cause) == (Incident.Status.CLOSED, "Mất điện tủ điều khiển")
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(live_server.url + reverse("monitoring:incident_list") + "?status=all")
    assert page.evaluate(FITS)
    screenshot(page, "incidents-360")

    page.goto(live_server.url + reverse("monitoring:check_create", args=["lgsp"]))
    page.select_option("#id_kind", "dns")
    assert page.locator("#id_dns_name").is_visible() and not page.locator("#id_url").is_visible()
    assert page.evaluate(FITS)
    screenshot(page, "check-form-360")
    page.goto(live_server.url + reverse("monitoring:maintenance_create"))
    page.check("input[name=kind][value=recurring]")
    assert page.locator("#id_duration_minutes").is_visible() and not page.locator("#id_starts_on").is_visible()
    assert page.evaluate(FITS)
    screenshot(page, "maintenance-form-360")


def test_a_reporter_is_refused_and_the_public_reads_the_status_page(browser_page, live_server, demo_systems):  # noqa: F811
    page = browser_page
    incident = Incident.objects.get(system=demo_systems["bang-tin"])
    page.goto(live_server.url + reverse("monitoring:board"))
    assert "/login/" in page.url  # internal pages need a login
    page.goto(live_server.url + reverse("status:page"))
    assert page.locator("nav.navbar .navbar-brand").is_visible()
    codes = page.eval_on_selector_all(".board-row", "els => els.map(e => e.dataset.code)")
    assert "bang-tin" in codes and "lgsp" not in codes and "dc" not in codes
    assert "Mất kết nối bộ điều khiển bảng tin" in page.locator("#current-incidents").inner_text()
    assert "Connection refused" not in page.content()
    page.wait_for_function("() => document.querySelectorAll('.uptime-bars i.bar').length > 0")
    assert page.evaluate(FITS)
    screenshot(page, "status-1366")
    page.set_viewport_size({"width": 360, "height": 780})
    page.reload()
    assert page.evaluate(FITS)
    screenshot(page, "status-360")

    make_user("reporter", Role.REPORTER, demo_systems["lgsp"].owner)
    log_in(page, live_server, "reporter")
    response = page.goto(live_server.url + reverse("monitoring:incident_detail", args=[incident.pk]))
    assert response.status == 404
    response = page.request.post(live_server.url + reverse("monitoring:incident_acknowledge", args=[incident.pk]))
    assert response.status in (403, 404)
    incident.refresh_from_db()
    assert incident.status == Incident.Status.OPEN
