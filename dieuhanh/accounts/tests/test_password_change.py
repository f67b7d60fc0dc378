"""A password someone else knows serves one login: the demo's shared password outside the demo, and one an
administrator set. The person must choose their own before any page opens."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from dieuhanh.accounts.models import PasswordState, Role
from dieuhanh.accounts.passwords import DEMO_PASSWORD
from dieuhanh.conftest import make_user

NEW = "Một-mật-khẩu-riêng-2026"


@pytest.fixture
def demo_person(province):
    user = make_user("lanhdao", Role.LEADER, province)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def change(client, old, new=NEW):
    return client.post(reverse("password_change"), {"old_password": old, "new_password1": new,
                                                    "new_password2": new})


def test_outside_the_demo_its_shared_password_must_be_changed_first(client, demo_person, settings):
    settings.DEMO_PASSWORD_ALLOWED = False
    response = log_in(client, "lanhdao", DEMO_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    page = client.get(reverse("password_change")).content.decode()
    assert "Hãy đặt mật khẩu của riêng bạn trước khi tiếp tục" in page
    for url in (reverse("home"), reverse("worklist"), "/reports/", "/api/tokens/"):
        assert client.get(url)["Location"] == reverse("password_change"), url
    for weak in ("abc", DEMO_PASSWORD, "password123"):  # too short, the same (the demo's), too common
        assert change(client, DEMO_PASSWORD, weak).status_code == 200, weak
    same = change(client, DEMO_PASSWORD, DEMO_PASSWORD).content.decode()
    assert "Hãy chọn mật khẩu khác với mật khẩu hiện tại" in same
    assert client.get(reverse("home"))["Location"] == reverse("password_change")
    assert change(client, DEMO_PASSWORD).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    state = PasswordState.objects.get(user=demo_person)
    assert not state.change_required and state.changed_at is not None
    client.logout()
    assert log_in(client, "lanhdao", NEW)["Location"] == reverse("home")


def test_in_the_demo_the_shared_password_just_works(client, demo_person, settings):
    settings.DEMO_PASSWORD_ALLOWED = True
    assert log_in(client, "lanhdao", DEMO_PASSWORD)["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


@pytest.fixture
def admin_client(province):
    from django.test import Client

    superuser = get_user_model().objects.create_superuser("quantri", password="Quan-tri-2026!")
    browser = Client()
    browser.force_login(superuser)
    return browser


def test_a_password_an_administrator_set_serves_one_login(client, admin_client, province):
    response = admin_client.post(reverse("admin:auth_user_add"), {
        "username": "nguoimoi", "password1": "Tam-thoi-2026!", "password2": "Tam-thoi-2026!",
        "usable_password": "true", "role_assignments-TOTAL_FORMS": "0", "role_assignments-INITIAL_FORMS": "0"})
    assert response.status_code == 302, response.content.decode()[:2000]
    person = get_user_model().objects.get(username="nguoimoi")
    assert PasswordState.objects.get(user=person).change_required
    assert log_in(client, "nguoimoi", "Tam-thoi-2026!")["Location"] == reverse("password_change")
    assert change(client, "Tam-thoi-2026!").status_code == 302
    client.logout()
    assert log_in(client, "nguoimoi", NEW)["Location"] == reverse("home")
    client.logout()
    # A reset by the administrator: again one login only.
    response = admin_client.post(reverse("admin:auth_user_password_change", args=[person.pk]), {
        "password1": "Dat-lai-2026!", "password2": "Dat-lai-2026!", "usable_password": "true"})
    assert response.status_code == 302
    assert log_in(client, "nguoimoi", "Dat-lai-2026!")["Location"] == reverse("password_change")
