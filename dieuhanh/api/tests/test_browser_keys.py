"""The key pages in Chromium: an administrator registers a system, makes a key, copies it from the page that shows
it once; screenshots at 1366 and 360 px."""

from dieuhanh.accounts.models import ApiKey
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401


def test_an_administrator_makes_and_copies_a_key(browser_page, live_server, admin_user, province, commune_a):  # noqa: F811
    page = browser_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in(page, live_server, "admin")
    page.click("#nav-catalogue")
    page.click("#nav-api")
    page.click("#register-client")
    page.fill("#id_name", "Hệ thống một cửa điện tử tỉnh")
    page.fill("#id_contact", "vnpt@tayninh.gov.vn")
    page.click("#save-client")
    page.select_option("#id_root", str(commune_a.pk))
    page.select_option("#id_access", "read_write")
    page.fill("#id_name", "máy chủ đồng bộ")
    screenshot(page, "api-client-1366")
    page.click("#make-key")
    page.wait_for_selector("#shown-once")
    raw = page.input_value("#key-text")
    key = ApiKey.objects.get()
    assert raw.startswith(f"dh_{key.prefix}_")
    page.click("#copy-key")
    # The clipboard answers asynchronously: the button says so once it has.
    page.wait_for_function("() => document.querySelector('#copy-key').textContent === 'Đã sao chép'", timeout=5000)
    assert page.evaluate("navigator.clipboard.readText()") == raw
    screenshot(page, "api-key-made-1366")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "api-key-made-360")
    page.click("#back")
    page.wait_for_selector("#keys")
    screenshot(page, "api-client-360")
    assert raw not in page.content()
