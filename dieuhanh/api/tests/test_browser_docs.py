"""The docs page in Chromium: Swagger UI lists our operations, loads nothing from outside; screenshots."""

from dieuhanh.tests.browser import browser_page, screenshot  # noqa: F401


def test_swagger_ui_renders_our_operations_offline(browser_page, live_server):  # noqa: F811
    page = browser_page
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for width, name in ((1366, "api-docs-1366"), (360, "api-docs-360")):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/api/v1/docs")
        page.wait_for_selector(".opblock-summary-path")
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert "/api/v1/me" in [p.strip() for p in paths]
        assert page.locator("button.authorize").count() == 1
        screenshot(page, name)
    outside = [url for url in requested if not url.startswith(live_server.url) and not url.startswith("data:")]
    assert outside == []
