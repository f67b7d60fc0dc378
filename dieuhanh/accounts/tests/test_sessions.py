"""One's own sessions: listed from login to logout (where, which browser, when), any other one ended from the page,
all others ended by a password change; a session idle for SESSION_IDLE_MINUTES ends, pages polling by themselves
do not keep it alive, the IOC room's wall screens do."""

import datetime
import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dieuhanh.accounts.models import Role, UserSession
from dieuhanh.accounts.sessions import ACTIVITY_KEY, browser_name
from dieuhanh.conftest import make_user
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401 (fixture)

PASSWORD = "secret-pass-123"
CHROME_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/131.0.0.0 Safari/537.36")
SAFARI_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "Version/17.5 Mobile/15E148 Safari/604.1")
EXPIRED = "Phiên làm việc đã hết hạn do không hoạt động quá 30 phút. Vui lòng đăng nhập lại."


@pytest.fixture
def person(province):
    return make_user("lanhdao", Role.LEADER, province)


def logged_in(user_agent=CHROME_WINDOWS, ip="10.1.2.3", username="lanhdao") -> Client:
    browser = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
    assert browser.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code == 302
    return browser


def activity_ago(browser: Client, seconds: float) -> None:
    session = browser.session
    session[ACTIVITY_KEY] = time.time() - seconds
    session.save()


def test_it_names_browsers_shortly():
    assert browser_name(CHROME_WINDOWS) == "Chrome · Windows"
    assert browser_name(SAFARI_IPHONE) == "Safari · iPhone"
    assert browser_name("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 "
                        "Mobile Safari/537.36 Edg/131.0") == "Edge · Android"
    assert browser_name("curl/8.5.0") == "curl/8.5.0"


def test_a_login_is_listed_with_its_address_and_browser_until_logout(person):
    browser = logged_in()
    row = UserSession.objects.get(user=person)
    assert row.session_key == browser.session.session_key and row.ip == "10.1.2.3"
    page = browser.get(reverse("account_sessions")).content.decode()
    assert "Chrome · Windows" in page and "10.1.2.3" in page and 'id="this-session"' in page
    assert "Kết thúc tất cả phiên khác" not in page  # no other session
    browser.post(reverse("logout"))
    assert not UserSession.objects.exists()


def test_the_user_menu_leads_to_the_page(person):
    page = logged_in().get(reverse("home")).content.decode()
    assert f'href="{reverse("account_sessions")}" id="nav-sessions">Phiên đăng nhập<' in page


def test_a_person_ends_another_session_of_theirs_and_it_is_gone(person):
    office, phone = logged_in(), logged_in(SAFARI_IPHONE, "10.9.9.9")
    phone_key = phone.session.session_key
    page = office.get(reverse("account_sessions")).content.decode()
    assert "Safari · iPhone" in page and "10.9.9.9" in page and "Kết thúc tất cả phiên khác" in page
    other = UserSession.objects.get(session_key=phone_key)
    response = office.post(reverse("account_session_end", args=[other.pk]), follow=True)
    assert "Đã kết thúc phiên đăng nhập." in response.content.decode()
    assert not Session.objects.filter(session_key=phone_key).exists()
    assert phone.get(reverse("home"))["Location"].startswith(reverse("login"))
    assert office.get(reverse("home")).status_code == 200
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [office.session.session_key]


def test_one_ends_all_other_sessions_at_once(person):
    office, phone, tablet = logged_in(), logged_in(SAFARI_IPHONE), logged_in()
    response = office.post(reverse("account_sessions_end_others"), follow=True)
    assert "Đã kết thúc 2 phiên đăng nhập khác." in response.content.decode()
    for browser in (phone, tablet):
        assert browser.get(reverse("home"))["Location"].startswith(reverse("login"))
    assert office.get(reverse("home")).status_code == 200


def test_no_one_ends_or_sees_another_persons_session(person, province):
    make_user("vanhanh", Role.OPERATOR, province)
    mine, theirs = logged_in(), logged_in(username="vanhanh")
    row = UserSession.objects.get(user__username="vanhanh")
    assert "10.1.2.3" in mine.get(reverse("account_sessions")).content.decode()
    assert mine.get(reverse("account_sessions")).content.decode().count('<tr id="session-') == 1
    assert mine.post(reverse("account_session_end", args=[row.pk])).status_code == 404
    assert theirs.get(reverse("home")).status_code == 200
    assert mine.get(reverse("account_session_end", args=[row.pk])).status_code == 405  # a link cannot end it


def test_a_password_change_keeps_this_session_and_ends_the_others(person):
    office, phone = logged_in(), logged_in(SAFARI_IPHONE)
    new = "Mật-khẩu-mới-2026"
    response = office.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": new,
                                                        "new_password2": new})
    assert response.status_code == 302
    assert office.get(reverse("home")).status_code == 200
    assert phone.get(reverse("home"))["Location"].startswith(reverse("login"))
    row = UserSession.objects.get(user=person)  # moved to the new key Django gave this session
    assert row.session_key == office.session.session_key


def test_a_session_idle_too_long_ends_with_a_message(person):
    browser = logged_in()
    activity_ago(browser, 31 * 60 + 61)
    response = browser.get(reverse("worklist"))
    assert response["Location"].startswith(reverse("login"))
    page = browser.get(response["Location"]).content.decode()
    assert EXPIRED in page
    assert "Phiên làm việc của bạn đã kết thúc hoặc bạn chưa đăng nhập" not in page  # one message, the right one
    assert not UserSession.objects.exists()


def test_an_idle_htmx_request_sends_the_window_to_the_login_page(person):
    browser = logged_in()
    activity_ago(browser, 40 * 60)
    response = browser.get(reverse("worklist"), HTTP_HX_REQUEST="true", HTTP_X_BACKGROUND_REQUEST="1")
    assert response.status_code == 200 and response["HX-Redirect"].startswith(reverse("login"))
    assert EXPIRED in browser.get(reverse("login")).content.decode()


def test_activity_within_the_limit_keeps_the_session(person, settings):
    settings.SESSION_IDLE_MINUTES = 5
    browser = logged_in()
    activity_ago(browser, 4 * 60)
    assert browser.get(reverse("home")).status_code == 200
    activity_ago(browser, 7 * 60)  # over 5 minutes (and the minute it may lag)
    assert browser.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_a_page_polling_by_itself_does_not_keep_the_session_but_a_wall_screen_does(person):
    browser = logged_in()
    poll = {"HTTP_HX_REQUEST": "true", "HTTP_X_BACKGROUND_REQUEST": "1"}
    activity_ago(browser, 10 * 60)
    before = browser.session[ACTIVITY_KEY]
    seen = UserSession.objects.get().last_seen
    assert browser.get(reverse("worklist"), **poll).status_code == 200
    assert browser.session[ACTIVITY_KEY] == before and UserSession.objects.get().last_seen == seen
    for wall in (reverse("dashboard:wall_panels"), reverse("monitoring:board") + "?wall=1"):
        activity_ago(browser, 10 * 60)
        assert browser.get(wall, **poll).status_code == 200, wall
        assert time.time() - browser.session[ACTIVITY_KEY] < 5, wall
    activity_ago(browser, 10 * 60)
    browser.get(reverse("monitoring:board"), **poll)  # the board itself, not its wall: a poll like any other
    assert time.time() - browser.session[ACTIVITY_KEY] > 500
    browser.get(reverse("worklist"), HTTP_HX_REQUEST="true")  # the person's click
    assert time.time() - browser.session[ACTIVITY_KEY] < 5 and UserSession.objects.get().last_seen > seen


def test_last_use_is_written_at_most_once_a_minute(person):
    browser = logged_in()
    seen = UserSession.objects.get().last_seen
    activity_ago(browser, 30)
    browser.get(reverse("account_sessions"))
    assert UserSession.objects.get().last_seen == seen
    activity_ago(browser, 61)
    browser.get(reverse("account_sessions"))
    assert UserSession.objects.get().last_seen > seen


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_browser_marks_polls_and_not_clicks_and_lists_sessions(browser_page, live_server, province):  # noqa: F811
    make_user("lanhdao", Role.LEADER, province)
    logged_in(SAFARI_IPHONE, "10.9.9.9")  # another session, on a phone
    page = browser_page
    log_in(page, live_server, "lanhdao", PASSWORD)
    page.goto(f"{live_server.url}/account/sessions/")
    with page.expect_request("**/account/sessions/?poll=1") as polled:
        page.evaluate("""() => {
            const box = document.createElement('div');
            box.setAttribute('hx-get', '/account/sessions/?poll=1');
            box.setAttribute('hx-trigger', 'load');
            document.body.appendChild(box);
            htmx.process(box);
        }""")
    assert polled.value.headers.get("x-background-request") == "1"
    with page.expect_request("**/account/sessions/?click=1") as clicked:
        page.evaluate("""() => {
            const button = document.createElement('button');
            button.id = 'probe'; button.textContent = 'probe';
            button.setAttribute('hx-get', '/account/sessions/?click=1');
            button.setAttribute('hx-swap', 'none');
            document.body.appendChild(button);
            htmx.process(button);
        }""")
        page.click("#probe")
    assert clicked.value.headers.get("x-background-request") is None
    page.goto(f"{live_server.url}/account/sessions/")
    assert page.locator("#session-table tbody tr").count() == 2
    assert "Safari · iPhone" in page.inner_text("#session-table")
    screenshot(page, "account_sessions_1366")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "account_sessions_360")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.click("#end-other-sessions")
    page.wait_for_selector(".alert-success")
    assert page.locator("#session-table tbody tr").count() == 1


def test_sessions_past_the_idle_limit_leave_the_list(person):
    office, forgotten = logged_in(), logged_in(SAFARI_IPHONE)
    forgotten_key = forgotten.session.session_key
    UserSession.objects.filter(session_key=forgotten_key).update(
        last_seen=timezone.now() - datetime.timedelta(minutes=32))
    page = office.get(reverse("account_sessions")).content.decode()
    assert "Safari · iPhone" not in page and "Kết thúc tất cả phiên khác" not in page
    assert not Session.objects.filter(session_key=forgotten_key).exists()
    assert forgotten.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_logging_in_again_over_ones_own_session_lists_it_once(person):
    browser = logged_in()
    assert browser.post(reverse("login"), {"username": "lanhdao", "password": PASSWORD}).status_code == 302
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [browser.session.session_key]
    assert browser.get(reverse("account_sessions")).status_code == 200
