"""A person logs in through a real browser, in Vietnamese by default."""

import pytest

from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_logs_in_and_shows_the_home_page_in_vietnamese(browser_page, live_server, reporter_a):  # noqa: F811
    page = browser_page
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Đăng nhập" in page.content()
    screenshot(page, "login")
    log_in(page, live_server, "reporter_a")
    assert page.url.rstrip("/") == live_server.url
    assert "Báo cáo định kỳ" in page.content()
    screenshot(page, "home")


def test_it_names_a_wrong_password_in_vietnamese(browser_page, live_server, reporter_a):  # noqa: F811
    page = browser_page
    log_in(page, live_server, "reporter_a", "wrong-password")
    assert "Sai tên đăng nhập hoặc mật khẩu" in page.content()
