"""Guessing passwords is throttled per account and per address, on the login page and the admin's, with a message
in Vietnamese; an administrator unlocks; the forwarded address counts only from a trusted proxy."""

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.test import Client, RequestFactory
from django.urls import reverse

from dieuhanh.accounts.lockout import client_ip
from dieuhanh.conftest import make_user

PASSWORD = "Mật-khẩu-đúng-2026"


@pytest.fixture
def person(province):
    from dieuhanh.accounts.models import Role

    user = make_user("nguoidung", Role.LEADER, province)
    user.set_password(PASSWORD)
    user.save()
    return user


def attempt(client, username, password, *, url="login", ip="10.0.0.5"):
    return client.post(reverse(url), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_an_account_locks_after_the_limit_even_for_the_right_password(client, person, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "nguoidung", "sai").status_code == 200  # the form again, with its error
    locked = attempt(client, "nguoidung", "sai")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert f"Sau {settings.AXES_FAILURE_LIMIT} lần nhập sai mật khẩu liên tiếp" in page
    assert "Hãy thử lại sau 15 phút" in page
    # From another computer, with the right password: the account itself is locked.
    assert attempt(Client(), "nguoidung", PASSWORD, ip="10.0.0.99").status_code == 429
    assert "_auth_user_id" not in client.session


def test_an_address_locks_after_the_limit_over_many_accounts(client, person, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"khong-co-{i}", "sai", ip="10.0.0.7")
    assert attempt(client, "nguoidung", PASSWORD, ip="10.0.0.7").status_code == 429
    assert attempt(Client(), "nguoidung", PASSWORD, ip="10.0.0.8").status_code == 302  # another address logs in


def test_the_admin_login_is_throttled_too(client, person, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "nguoidung", "sai", url="admin:login")
    assert attempt(client, "nguoidung", PASSWORD, url="admin:login").status_code == 429


def test_a_success_clears_the_count_and_an_administrator_unlocks(client, person, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "nguoidung", "sai")
    assert attempt(client, "nguoidung", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):  # counted from zero again
        attempt(client, "nguoidung", "sai")
    assert attempt(client, "nguoidung", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "nguoidung", "sai")
    assert attempt(client, "nguoidung", PASSWORD).status_code == 429
    assert AccessAttempt.objects.filter(username="nguoidung").exists()  # the administrator sees it in the admin
    reset(username="nguoidung")  # what the admin's delete and `manage.py axes_reset_username` do
    reset(ip="10.0.0.5")
    assert attempt(client, "nguoidung", PASSWORD).status_code == 302


def test_the_forwarded_address_counts_only_from_a_trusted_proxy(settings):
    rf = RequestFactory()
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    behind = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.1.1.1")
    assert client_ip(behind) == "10.1.1.1"  # the hop our proxy saw; the rest was written by the client
    spoofed = rf.get("/", REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="10.1.1.1")
    assert client_ip(spoofed) == "198.51.100.4"
