"""The UI speaks Vietnamese unless the person chose English with the language switcher; the browser's
Accept-Language is never followed (an official whose Chrome is in English still gets Vietnamese)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from dieuhanh.tests.browser import browser_page  # noqa: F401

pytestmark = pytest.mark.django_db


def login_page(client: Client, **headers):
    response = client.get(reverse("login"), **headers)
    assert response.status_code == 200
    return response


def speaks(response) -> str:
    """The language of a page, by what it says and what it declares."""
    html = response.content.decode()
    language = response.headers["Content-Language"]
    assert f'<html lang="{language}"' in html
    if language == "vi":
        assert "Đăng nhập" in html
    else:
        assert "Log in" in html and "Đăng nhập" not in html
    return language


def test_an_english_browser_gets_vietnamese(client):
    response = login_page(client, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert speaks(response) == "vi"
    assert "Accept-Language" not in response.headers.get("Vary", "")
    assert "Cookie" in response.headers["Vary"]


def test_choosing_english_with_the_switcher_gives_english_on_the_next_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")},
                           HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 302 and response.headers["Location"] == reverse("login")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert speaks(login_page(client, HTTP_ACCEPT_LANGUAGE="vi")) == "en"
    # And back to Vietnamese the same way.
    client.post(reverse("set_language"), {"language": "vi", "next": reverse("login")})
    assert speaks(login_page(client, HTTP_ACCEPT_LANGUAGE="en")) == "vi"


def test_the_language_follows_a_logged_in_user_through_the_pages(client, leader):
    client.force_login(leader)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("home"))
    assert response.status_code == 200 and response.headers["Content-Language"] == "en"
    assert response.wsgi_request.LANGUAGE_CODE == "en"


@pytest.mark.parametrize("value", ["fr", "xx-yy", "", "en;q=1"])
def test_an_unknown_cookie_falls_back_to_vietnamese(client, value):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = value
    response = login_page(client, HTTP_ACCEPT_LANGUAGE="en")
    assert speaks(response) == "vi"
    assert response.wsgi_request.LANGUAGE_CODE == "vi"


def test_a_regional_variant_of_a_language_we_have_is_that_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    assert speaks(login_page(client)) == "en"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_a_browser_set_to_english_the_switcher_is_what_counts(browser_page, live_server):  # noqa: F811
    """Chromium in English (navigator language and Accept-Language "en-US"): Vietnamese until the person picks
    EN in the switcher, then English on the following pages."""
    context = browser_page.context.browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/login/")
        assert page.evaluate("() => navigator.language") == "en-US"
        assert page.locator("html").get_attribute("lang") == "vi"
        assert "Đăng nhập" in page.locator("main").inner_text()
        with page.expect_navigation():
            page.select_option("select[name=language]", "en")
        assert page.url == f"{live_server.url}/login/"
        assert page.locator("html").get_attribute("lang") == "en"
        assert "Log in" in page.locator("main").inner_text()
        page.goto(f"{live_server.url}/login/?again=1")
        assert page.locator("html").get_attribute("lang") == "en"
    finally:
        context.close()
