"""Two-factor login: set-up with a real TOTP code, the code asked at login, recovery codes used once, throttling,
required for administrators, the admin site guarded, turning it off."""

import re
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dieuhanh.accounts import twofactor
from dieuhanh.accounts.models import Role
from dieuhanh.accounts.passwords import DEMO_PASSWORD
from dieuhanh.accounts.twofactor_views import SETUP_SALT
from dieuhanh.conftest import make_user

PASSWORD = "secret-pass-123"


def code_for(key_hex: str, steps_ahead: int = 0) -> str:
    """What the person's authenticator app shows now (or `steps_ahead` 30-second steps later)."""
    return f"{totp(bytes.fromhex(key_hex), t0=-30 * steps_ahead):06d}"


def log_in(client, username, password=PASSWORD, next_url=""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def set_up(client) -> tuple[str, list[str]]:
    """Go through the set-up page as the logged-in person: returns the secret and the recovery codes shown."""
    page = client.get(reverse("twofactor:setup")).content.decode()
    signed = re.search(r'name="key" value="([^"]+)"', page).group(1)
    key_hex = signing.loads(signed, salt=SETUP_SALT)["key"]
    secret = re.search(r'id="twofactor-secret">([^<]+)<', page).group(1)
    assert len(secret.split()) == 8 and "<svg" in page  # base32 in groups of four, the QR code inline
    response = client.post(reverse("twofactor:setup"), {"key": signed, "code": code_for(key_hex)})
    assert response.status_code == 200
    codes = re.findall(r'<span class="d-block border rounded py-1">([a-z2-7]{4}-[a-z2-7]{4})</span>',
                       response.content.decode())
    return key_hex, codes


@pytest.fixture
def enrolled(client, leader):
    """The leader with an authenticator set up (through the pages), then logged out."""
    client.force_login(leader)
    key_hex, codes = set_up(client)
    client.logout()
    return leader, key_hex, codes


def test_it_sets_up_an_authenticator_with_a_first_code_and_shows_ten_recovery_codes(client, leader):
    client.force_login(leader)
    assert client.get(reverse("twofactor:setup")).status_code == 200
    assert not TOTPDevice.objects.exists()  # opening the page writes nothing
    page = client.get(reverse("twofactor:setup")).content.decode()
    signed = re.search(r'name="key" value="([^"]+)"', page).group(1)
    key_hex = signing.loads(signed, salt=SETUP_SALT)["key"]

    wrong = client.post(reverse("twofactor:setup"), {"key": signed, "code": "000000" if code_for(key_hex) != "000000"
                                                     else "111111"})
    assert wrong.status_code == 400 and "Mã không đúng" in wrong.content.decode()
    assert not TOTPDevice.objects.exists()
    forged = client.post(reverse("twofactor:setup"), {"key": signing.dumps({"key": "ab" * 20, "user": leader.pk}),
                                                      "code": code_for("ab" * 20)})
    assert forged.status_code == 302 and not TOTPDevice.objects.exists()  # a secret the server did not make

    done = client.post(reverse("twofactor:setup"), {"key": signed, "code": code_for(key_hex)})
    body = done.content.decode()
    assert "Xác thực hai bước đã bật" in body
    codes = re.findall(r'>([a-z2-7]{4}-[a-z2-7]{4})</span>', body)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(c.replace("-", "") for c in codes)
    download = re.search(r'download="[^"]+\.txt"\s+href="data:text/plain;charset=utf-8,([^"]+)"', body).group(1)
    assert all(code in unquote(download) for code in codes)
    device = TOTPDevice.objects.get(user=leader)
    assert device.confirmed and device.key == key_hex and device.last_t >= 0
    # This session passed the second factor by setting it up; the page now shows its state.
    manage = client.get(reverse("twofactor:setup")).content.decode()
    assert 'id="twofactor-codes-left">10<' in manage and 'id="twofactor-disable"' in manage
    assert done["Cache-Control"].startswith("max-age=0") and "no-store" in done["Cache-Control"]


def test_login_asks_for_the_code_before_any_page(client, enrolled):
    leader, key_hex, _codes = enrolled
    response = log_in(client, "leader", next_url="/reports/")
    assert response.status_code == 302
    for url in ("/", "/reports/", "/api/tokens/", reverse("twofactor:setup"), "/admin/"):
        page = client.get(url)
        assert page.status_code == 302 and page["Location"].startswith(reverse("twofactor:verify")), url
    htmx = client.get("/work/", headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == reverse("twofactor:verify")
    ask = client.get(reverse("twofactor:verify") + "?next=/reports/")
    assert ask.status_code == 200 and "Nhập mã 6 chữ số" in ask.content.decode()

    wrong = client.post(reverse("twofactor:verify"), {"code": "12345x", "next": "/reports/"})
    assert wrong.status_code == 400 and "Mã không đúng" in wrong.content.decode()
    assert client.get("/").status_code == 302

    # Wrong codes are throttled: right after one, even the right code is not checked.
    wrong_totp = "000000" if code_for(key_hex) != "000000" else "111111"
    refused = client.post(reverse("twofactor:verify"), {"code": wrong_totp})
    assert "Mã không đúng" in refused.content.decode() and "Hãy đợi 1 giây" in refused.content.decode()
    throttled = client.post(reverse("twofactor:verify"), {"code": code_for(key_hex)})
    assert throttled.status_code == 400 and "Bạn đã nhập sai quá nhiều lần" in throttled.content.decode()
    assert client.get("/").status_code == 302
    TOTPDevice.objects.filter(user=leader).update(
        throttling_failure_timestamp=timezone.now() - timezone.timedelta(seconds=5))

    # The code the set-up took cannot serve again: the app's next one (30 s later, one step of tolerance) does.
    assert client.post(reverse("twofactor:verify"), {"code": code_for(key_hex)}).status_code == 400
    TOTPDevice.objects.filter(user=leader).update(throttling_failure_count=0)
    passed = client.post(reverse("twofactor:verify"), {"code": code_for(key_hex, 1), "next": "/reports/"})
    assert passed.status_code == 302 and passed["Location"] == "/reports/"
    assert client.get("/").status_code == 200
    assert client.get("/admin/").status_code == 302  # not staff: the admin's own login, as before
    # The same code never serves twice, even in another session.
    other = type(client)()
    log_in(other, "leader")
    again = other.post(reverse("twofactor:verify"), {"code": code_for(key_hex, 1)})
    assert again.status_code == 400 and other.get("/").status_code == 302


def test_a_recovery_code_works_once(client, enrolled):
    leader, _key_hex, codes = enrolled
    log_in(client, "leader")
    first = codes[0]
    passed = client.post(reverse("twofactor:verify"), {"code": first.upper().replace("-", " ")})
    home = client.get("/")
    assert passed.status_code == 302 and home.status_code == 200 and "còn 9 mã" in home.content.decode()
    client.logout()
    log_in(client, "leader")
    reused = client.post(reverse("twofactor:verify"), {"code": first})
    assert reused.status_code == 400 and client.get("/").status_code == 302
    assert StaticToken.objects.filter(device__user=leader).count() == 9


def test_new_recovery_codes_make_the_old_ones_die(client, enrolled):
    leader, key_hex, codes = enrolled
    log_in(client, "leader")
    client.post(reverse("twofactor:verify"), {"code": codes[1]})
    renewed = client.post(reverse("twofactor:codes"))
    new_codes = re.findall(r'>([a-z2-7]{4}-[a-z2-7]{4})</span>', renewed.content.decode())
    assert len(new_codes) == 10 and not set(new_codes) & set(codes)
    client.logout()
    log_in(client, "leader")
    assert client.post(reverse("twofactor:verify"), {"code": codes[2]}).status_code == 400
    StaticDevice.objects.filter(user=leader).update(throttling_failure_count=0)
    assert client.post(reverse("twofactor:verify"), {"code": new_codes[0]}).status_code == 302


def test_turning_it_off_takes_a_current_code(client, enrolled):
    leader, key_hex, codes = enrolled
    log_in(client, "leader")
    client.post(reverse("twofactor:verify"), {"code": codes[0]})
    assert 'id="twofactor-disable"' in client.get(reverse("twofactor:setup")).content.decode()
    client.post(reverse("twofactor:disable"), {"code": "999999" if code_for(key_hex) != "999999" else "888888"})
    assert TOTPDevice.objects.filter(user=leader).exists()
    TOTPDevice.objects.filter(user=leader).update(throttling_failure_count=0)
    response = client.post(reverse("twofactor:disable"), {"code": code_for(key_hex, 1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=leader).exists() and not StaticDevice.objects.filter(user=leader).exists()
    client.logout()
    assert log_in(client, "leader")["Location"] == reverse("home")
    assert client.get("/").status_code == 200


def test_it_is_required_for_administrators_who_are_sent_to_set_it_up(client, admin_user, leader, settings):
    settings.TWO_FACTOR_ENFORCED = True
    log_in(client, "admin")
    for url in ("/", "/reports/", reverse("twofactor:verify"), reverse("twofactor:codes")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("twofactor:setup")), url
    page = client.get(reverse("twofactor:setup")).content.decode()
    assert "Tài khoản của bạn phải dùng xác thực hai bước" in page
    set_up(client)
    assert client.get("/").status_code == 200
    manage = client.get(reverse("twofactor:setup")).content.decode()
    assert 'id="twofactor-disable"' not in manage and 'id="twofactor-required"' in manage
    key_hex = TOTPDevice.objects.get(user=admin_user).key
    assert client.post(reverse("twofactor:disable"), {"code": code_for(key_hex, 1)}).status_code == 302
    assert TOTPDevice.objects.filter(user=admin_user).exists()  # refused: required for them
    # Not required for the leader unless the deployment lists the role.
    client.logout()
    log_in(client, "leader")
    assert client.get("/").status_code == 200
    settings.TWO_FACTOR_REQUIRED_ROLES = ["leader"]
    assert client.get("/")["Location"].startswith(reverse("twofactor:setup"))
    # A superuser or staff member without any role, too.
    client.logout()
    get_user_model().objects.create_user("nhanvien", password=PASSWORD, is_staff=True)
    log_in(client, "nhanvien")
    assert client.get("/")["Location"].startswith(reverse("twofactor:setup"))


def test_off_when_not_enforced(client, admin_user, settings):
    settings.TWO_FACTOR_ENFORCED = False
    log_in(client, "admin")
    assert client.get("/").status_code == 200


def test_a_forced_password_change_comes_before_set_up_but_after_the_code(client, province, settings):
    settings.TWO_FACTOR_ENFORCED = True
    settings.DEMO_PASSWORD_ALLOWED = False
    person = make_user("quantri", Role.ADMIN, province)
    person.set_password(DEMO_PASSWORD)
    person.save()
    log_in(client, "quantri", DEMO_PASSWORD)
    assert client.get("/")["Location"] == reverse("password_change")  # the password first, then the set-up
    new = "Một-mật-khẩu-riêng-2026"
    changed = client.post(reverse("password_change"), {"old_password": DEMO_PASSWORD, "new_password1": new,
                                                       "new_password2": new})
    assert changed.status_code == 302, changed.content.decode()
    assert client.get("/")["Location"].startswith(reverse("twofactor:setup"))
    key_hex, _codes = set_up(client)
    client.logout()
    # With an authenticator, a forced password change waits for the code: the password alone changes nothing.
    from dieuhanh.accounts.passwords import password_set_by_administrator

    person.set_password("Dat-lai-2026!")
    person.save()
    password_set_by_administrator(user=person)
    log_in(client, "quantri", "Dat-lai-2026!")
    assert client.get(reverse("password_change"))["Location"].startswith(reverse("twofactor:verify"))
    client.post(reverse("twofactor:verify"), {"code": code_for(key_hex, 1)})
    assert client.get("/")["Location"] == reverse("password_change")


@pytest.fixture
def superuser_enrolled(client, province, settings):
    settings.TWO_FACTOR_ENFORCED = True
    user = get_user_model().objects.create_superuser("quantri", password=PASSWORD)
    client.force_login(user)
    key_hex, _codes = set_up(client)
    client.logout()
    return user, key_hex


def test_the_admin_site_demands_the_second_factor(client, superuser_enrolled):
    user, key_hex = superuser_enrolled
    login = client.post(reverse("admin:login"), {"username": "quantri", "password": PASSWORD,
                                                 "next": reverse("admin:index")})
    assert login.status_code == 302
    for url in (reverse("admin:index"), reverse("admin:auth_user_changelist"),
                reverse("admin:otp_totp_totpdevice_changelist")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("twofactor:verify")), url
    client.post(reverse("twofactor:verify"), {"code": code_for(key_hex, 1)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_an_administrator_resets_a_persons_two_factor_login_in_the_admin(client, superuser_enrolled, enrolled):
    admin, admin_key = superuser_enrolled
    leader, _key_hex, _codes = enrolled
    log_in(client, "quantri")
    client.post(reverse("twofactor:verify"), {"code": code_for(admin_key, 1)})
    listing = client.get(reverse("admin:otp_totp_totpdevice_changelist")).content.decode()
    assert "Ứng dụng xác thực" in listing and "Xác thực hai bước" in listing
    device = TOTPDevice.objects.get(user=leader)
    change = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk])).content.decode()
    assert device.key not in change and "Số lần nhập sai liên tiếp" in change  # the secret never shown
    deleted = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert deleted.status_code == 302 and not TOTPDevice.objects.filter(user=leader).exists()
    other = type(client)()
    log_in(other, "leader")
    assert other.get("/").status_code == 200  # not required for a leader: in, and may set it up again


def test_api_keys_are_unaffected(client, enrolled, province):
    from dieuhanh.accounts.keys import apikey_create

    leader, _key_hex, _codes = enrolled
    _key, raw = apikey_create(user=leader, created_by=leader, name="thử", root=None, access="read")
    response = client.get("/api/v1/orgUnits", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_required_roles_must_be_real_roles(settings, db):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["leaders"]
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        twofactor.required_roles()
