"""A forgotten password, reset by e-mail: the same answer whether the address is known or not, a Vietnamese e-mail
whose link works once and for PASSWORD_RESET_TIMEOUT seconds, the password rules applied, the "must change" state
and the person's other sessions ended — and no way around the lockout or the login itself."""

import re
import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from dieuhanh.accounts.models import PasswordState, Role, UserSession
from dieuhanh.conftest import make_user
from dieuhanh.tests.browser import browser_page, screenshot  # noqa: F401 (fixture)

NEW = "Mật-khẩu-mới-2026"
SENT = "Nếu có tài khoản dùng địa chỉ này, một liên kết để đặt mật khẩu mới đã được gửi đến đó."


@pytest.fixture
def person(province):
    user = make_user("lanhdao", Role.LEADER, province)
    user.first_name, user.last_name, user.email = "Hòa", "Trần Thị", "hoa.tt@tayninh.gov.vn"
    user.save()
    return user


def ask(client, email):
    return client.post(reverse("password_reset"), {"email": email}, follow=True)


def link_in(message) -> str:
    return re.search(r"https?://\S+/password/reset/\S+/", message.body).group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def log_in(client, username, password, ip="10.0.0.5"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(client, person):
    known = ask(client, "HOA.TT@tayninh.gov.vn")  # any case
    unknown = ask(client, "khongco@tayninh.gov.vn")
    assert SENT in known.content.decode() and SENT in unknown.content.decode()
    assert known.redirect_chain == unknown.redirect_chain == [(reverse("password_reset_done"), 302)]
    assert "Liên kết chỉ dùng được một lần, trong 60 phút." in known.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["hoa.tt@tayninh.gov.vn"]


def test_the_email_is_vietnamese_and_names_the_account(client, person):
    ask(client, "hoa.tt@tayninh.gov.vn")
    message = mail.outbox[0]
    assert message.subject == "Đặt mật khẩu mới cho Điều hành"
    assert "Xin chào Hòa Trần Thị," in message.body
    assert "Tên đăng nhập của bạn: lanhdao" in message.body
    assert "Để đặt mật khẩu mới, hãy mở liên kết sau:" in message.body
    assert link_in(message).startswith("http://testserver/password/reset/")


def test_the_link_uses_the_site_address_when_it_is_set(client, person, settings):
    settings.SITE_URL = "https://ioc.tayninh.gov.vn/"
    ask(client, "hoa.tt@tayninh.gov.vn")
    assert link_in(mail.outbox[0]).startswith("https://ioc.tayninh.gov.vn/password/reset/")


def test_no_email_for_an_inactive_account_or_one_without_a_password(client, person, province):
    service = make_user("dichvu", Role.REPORTER, province)
    service.email = "hoa.tt@tayninh.gov.vn"
    service.set_unusable_password()
    service.save()
    person.is_active = False
    person.save()
    assert SENT in ask(client, "hoa.tt@tayninh.gov.vn").content.decode()
    assert mail.outbox == []


def test_the_link_sets_a_password_by_the_rules_once_and_logs_no_one_in(client, person):
    PasswordState.objects.create(user=person, change_required=True)
    elsewhere = Client()
    elsewhere.force_login(person)
    assert elsewhere.get(reverse("account_sessions")).status_code == 200  # a listed session on another computer
    assert UserSession.objects.filter(user=person).count() == 1

    ask(client, "hoa.tt@tayninh.gov.vn")
    link = path_of(link_in(mail.outbox[0]))
    form = client.get(link, follow=True)
    form_url = form.redirect_chain[-1][0]  # Django moves the token out of the address into the session
    assert "Đặt mật khẩu mới" in form.content.decode() and "set-password" in form_url
    weak = client.post(form_url, {"new_password1": "matkhau1", "new_password2": "matkhau1"}).content.decode()
    assert "Mật khẩu phải có ít nhất 3 trong 4 loại ký tự" in weak
    same_name = client.post(form_url, {"new_password1": "LanhDao-2026", "new_password2": "LanhDao-2026"})
    assert "Mật khẩu không được chứa tên đăng nhập hoặc họ tên của bạn." in same_name.content.decode()
    person.refresh_from_db()
    assert person.check_password("secret-pass-123")  # nothing changed yet

    done = client.post(form_url, {"new_password1": NEW, "new_password2": NEW}, follow=True)
    assert done.redirect_chain == [(reverse("password_reset_complete"), 302)]
    assert "Đã đặt mật khẩu mới; các phiên đăng nhập khác của tài khoản đã kết thúc." in done.content.decode()
    assert "_auth_user_id" not in client.session  # the reset logs no one in
    person.refresh_from_db()
    assert person.check_password(NEW)
    assert not PasswordState.objects.get(user=person).change_required
    assert not UserSession.objects.filter(user=person).exists()
    assert elsewhere.get(reverse("account_sessions"))["Location"].startswith(reverse("login"))

    again = client.get(link, follow=True).content.decode()  # used once: no more
    assert "Liên kết này không còn hiệu lực" in again
    assert log_in(client, "lanhdao", NEW)["Location"] == reverse("home")


def test_the_link_expires(client, person, settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 3600  # an hour by default
    ask(client, "hoa.tt@tayninh.gov.vn")
    link = path_of(link_in(mail.outbox[0]))
    settings.PASSWORD_RESET_TIMEOUT = 1
    time.sleep(2.1)
    page = client.get(link, follow=True).content.decode()
    assert "Liên kết này không còn hiệu lực" in page and 'name="new_password1"' not in page


def test_a_reset_does_not_lift_the_lockout(client, person, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "lanhdao", "sai")
    assert log_in(client, "lanhdao", "secret-pass-123").status_code == 429
    ask(Client(), "hoa.tt@tayninh.gov.vn")
    other = Client()
    form_url = other.get(path_of(link_in(mail.outbox[0])), follow=True).redirect_chain[-1][0]
    other.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    person.refresh_from_db()
    assert person.check_password(NEW)
    assert log_in(Client(), "lanhdao", NEW, ip="10.0.0.77").status_code == 429  # still locked, new password or not


def test_the_login_page_links_to_the_reset(client):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in page and "Quên mật khẩu?" in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_person_resets_a_forgotten_password_in_the_browser(browser_page, live_server, province):  # noqa: F811
    person = make_user("lanhdao", Role.LEADER, province)
    person.email = "hoa.tt@tayninh.gov.vn"
    person.save()
    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.click("#forgot-password")
    page.fill("#id_email", "hoa.tt@tayninh.gov.vn")
    screenshot(page, "password_reset_form_1366")
    page.click("#send-reset")
    page.wait_for_selector("#reset-sent")
    assert len(mail.outbox) == 1
    page.goto(link_in(mail.outbox[0]))
    page.fill("#id_new_password1", "abc")
    page.fill("#id_new_password2", "abc")
    page.click("#set-password")
    assert "Mật khẩu quá ngắn" in page.inner_text("main")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "password_reset_confirm_errors_360")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.fill("#id_new_password1", NEW)
    page.fill("#id_new_password2", NEW)
    page.click("#set-password")
    page.wait_for_selector("#reset-complete")
    screenshot(page, "password_reset_complete_1366")
    page.click("#to-login")
    page.fill("#id_username", "lanhdao")
    page.fill("#id_password", NEW)
    page.click("form button.btn-primary")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("#nav-me").count() == 1
