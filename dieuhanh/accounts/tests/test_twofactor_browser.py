"""Two-factor login in Chromium: an administrator who must use it sets up an authenticator from the page's key,
saves the recovery codes, logs out, and logs in again with the app's code. No page script is refused by the
Content-Security-Policy."""

import re

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dieuhanh.accounts.models import Role, RoleAssignment
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_from_secret(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key the page tells to type by hand."""
    from base64 import b32decode

    raw = "".join(secret.split())
    key = b32decode(raw + "=" * (-len(raw) % 8))
    return f"{totp(key, t0=-30 * steps_ahead):06d}"


def test_an_administrator_sets_up_and_logs_in_with_a_code(browser_page, live_server, province, settings):  # noqa: F811
    settings.TWO_FACTOR_ENFORCED = True
    person = get_user_model().objects.create_user("quantri", password="secret-pass-123")
    RoleAssignment.objects.create(user=person, role=Role.ADMIN, orgunit=province)
    page = browser_page
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text else None)
    page.on("pageerror", lambda error: refused.append(str(error)))

    log_in(page, live_server, "quantri")
    assert "/account/2fa/" in page.url  # sent to set it up before any page
    assert "Tài khoản của bạn phải dùng xác thực hai bước" in page.content()
    assert page.locator("#twofactor-qr svg").is_visible()
    assert page.locator("#twofactor-qr svg").bounding_box()["width"] > 150
    screenshot(page, "twofactor-setup-1366")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "twofactor-setup-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1366, "height": 900})

    secret = page.locator("#twofactor-secret").inner_text()
    page.fill("#id_code", "000000" if code_from_secret(secret) != "000000" else "111111")
    page.click("#twofactor-setup button")
    assert "Mã không đúng" in page.locator("#twofactor-error").inner_text()
    assert page.locator("#twofactor-secret").inner_text() == secret  # the same key, to try again
    page.fill("#id_code", code_from_secret(secret))
    page.click("#twofactor-setup button")
    page.wait_for_selector("#twofactor-codes")
    codes = [c.strip() for c in page.locator("#twofactor-codes li").all_inner_texts()]
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{4}-[a-z2-7]{4}", c) for c in codes)
    with page.expect_download() as download_info:
        page.click("#twofactor-download")
    download = download_info.value
    assert download.suggested_filename.endswith(".txt")
    with open(download.path(), encoding="utf-8") as saved:
        text = saved.read()
    assert all(code in text for code in codes) and "quantri" in text
    screenshot(page, "twofactor-codes-1366")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "twofactor-codes-360")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.click("#twofactor-continue")
    page.wait_for_load_state("networkidle")
    assert page.url.rstrip("/") == live_server.url

    # Log out from the menu under the name, and in again: the password, then the app's code.
    page.click("#nav-me")
    page.click("#nav-logout")
    page.wait_for_load_state("networkidle")
    log_in(page, live_server, "quantri")
    assert "/account/2fa/verify/" in page.url
    page.goto(f"{live_server.url}/reports/")
    assert "/account/2fa/verify/" in page.url  # every page waits for the code
    screenshot(page, "twofactor-verify-1366")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "twofactor-verify-360")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.fill("#id_code", code_from_secret(secret, 1))  # the set-up's code cannot serve again: the next one
    page.click("#twofactor-verify button")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/reports/"), page.url
    page.goto(f"{live_server.url}/account/2fa/")
    assert page.locator("#twofactor-codes-left").inner_text() == "10"
    assert page.locator("#twofactor-required").is_visible()  # required: no way to turn it off
    screenshot(page, "twofactor-manage-1366")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "twofactor-manage-360")
    assert TOTPDevice.objects.get(user=person).last_used_at is not None
    assert not refused, refused
