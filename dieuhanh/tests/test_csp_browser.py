"""The pages that run scripts, in Chromium under the Content-Security-Policy: for several demo roles, not one
"Refused to …" / Content Security Policy message and no script error, and what each page's script does still
happens (a chart drawn, a date picker opened, a field shown or hidden, a form sent on change).

A template that brings back an inline <script>, an onclick= or an hx-on fails here."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from dieuhanh.demo.build import demo_build
from dieuhanh.demo.province import PASSWORD
from dieuhanh.monitoring.models import System
from dieuhanh.reporting.models import Submission
from dieuhanh.reports.models import ReportTemplate
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the page's own code sees of a refused script or style (the console says "Refused to …" too).
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI || "inline"} ${e.sourceFile}:${e.lineNumber}`);
});
"""
REFUSED = re.compile(r"Content Security Policy|Refused to", re.I)


class Watch:
    """Console messages and page errors of one browser page, checked after each page is used."""

    def __init__(self, page):
        self.page, self.problems = page, []
        page.context.add_init_script(WATCH_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: page error: {error}"))

    def _console(self, message):
        if message.type == "error" and (message.location or {}).get("url", "").endswith("/favicon.ico"):
            return  # the browser asks for /favicon.ico on its own; there is none
        if REFUSED.search(message.text) or message.type == "error":
            self.problems.append(f"{self.page.url}: console {message.type}: {message.text}")

    def open(self, url: str, ready: str | None = None):
        self.page.goto(url)
        self.page.wait_for_load_state("load")
        if ready:
            self.page.wait_for_function(ready)
        return self.page

    def assert_clean(self):
        violations = self.page.evaluate("() => window.__violations || []")
        problems = self.problems + [f"{self.page.url}: violation {v}" for v in violations]
        self.problems = []
        assert problems == []


def log_out(page):
    page.context.clear_cookies()


def chart_drawn(selector: str) -> str:
    """An ECharts chart drew into the element (a canvas, or an SVG for the sparklines)."""
    return f"() => document.querySelector('{selector} canvas, {selector} svg') !== null"


def filter_narrows_a_list(page):
    """picker.js: typing in a filter box above a long list hides the options that do not match."""
    box = page.locator(".picker-filter").first
    target = page.locator(f"#{box.get_attribute('data-target')}")
    shown_before = target.evaluate("s => Array.from(s.options).filter(o => !o.hidden).length")
    box.fill("zzzz không có")
    assert target.evaluate("s => Array.from(s.options).filter(o => !o.hidden).length") < shown_before


@pytest.fixture
def demo(db):
    return demo_build(small=True)


def test_pages_with_scripts_run_them_under_the_policy(browser_page, live_server, demo):  # noqa: F811
    page, url = browser_page, live_server.url
    watch = Watch(page)

    # The policy is in force in the browser: a script put into the page is refused and reported.
    log_in(page, live_server, "lanhdao", PASSWORD)
    watch.open(url + reverse("home"), chart_drawn(".kpi-spark"))
    watch.assert_clean()
    assert page.evaluate("""() => { const s = document.createElement("script"); s.textContent = "window.__ran = 1";
                                     document.body.append(s); return window.__ran; }""") is None
    refused = page.evaluate("() => window.__violations")
    assert len(refused) == 1 and refused[0].startswith("script-src") and " inline " in refused[0]
    page.evaluate("() => { window.__violations = []; }")
    watch.problems = []

    # Leader: overview, indicator, unit, pivot, wall, the task scorecard, the language switcher.
    province = demo.units.province
    watch.open(url + reverse("dashboard:indicator", args=["DT_VT"]), "() => window.indicatorChart !== undefined")
    assert page.locator("#indicator-chart canvas").count() == 1
    watch.assert_clean()
    watch.open(url + reverse("dashboard:unit", args=[province.code]))
    pending = page.locator(".sector-pending").count()
    chip = page.locator(".sector-nav a[href^='#sector-']").evaluate_all(
        "as => as.map(a => a.getAttribute('href')).find(h => document.querySelector(h + ' .sector-pending'))")
    assert pending and chip
    page.click(f".sector-nav a[href='{chip}']")  # unit.js unfolds the section, htmx brings its rows
    page.wait_for_function(f"() => document.querySelectorAll('.sector-pending').length < {pending}")
    watch.assert_clean()
    watch.open(url + reverse("dashboard:pivot"))
    filter_narrows_a_list(page)
    watch.assert_clean()
    watch.open(url + reverse("dashboard:wall"), "() => document.getElementById('wall-clock').textContent.trim() !== ''")
    assert page.locator("#wall-dots span").count() >= 1
    watch.assert_clean()
    watch.open(url + reverse("assignments:scorecard") + "?from=01/01/2026&to=31/03/2026")
    page.select_option("#id_period", index=1)
    assert page.input_value("#id_from") == "" and page.input_value("#id_to") == ""
    watch.assert_clean()
    page.select_option("nav select[name=language]", "en")  # data-autosubmit sends the switcher's form
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    page.select_option("nav select[name=language]", "vi")
    page.wait_for_function("() => document.documentElement.lang === 'vi'")
    watch.assert_clean()

    # Any user: a personal API key made and copied; the API's docs (Swagger UI).
    watch.open(url + reverse("api:tokens"))
    page.fill("#id_name", "csp")
    page.click("#make-key")
    page.wait_for_selector("#copy-key")
    page.click("#copy-key")
    page.wait_for_function("() => document.getElementById('copy-key').textContent.trim() === 'Đã sao chép'")
    watch.assert_clean()
    watch.open(url + reverse("api:docs"), "() => document.querySelector('#swagger-ui .opblock') !== null")
    page.locator("#swagger-ui .opblock-summary").first.click()
    page.wait_for_selector("#swagger-ui .opblock-body")
    watch.assert_clean()
    screenshot(page, "csp-api-docs")
    log_out(page)

    # Operator: systems board and its wall, a system's page, a check's and a maintenance window's forms.
    log_in(page, live_server, "vanhanh", PASSWORD)
    watch.open(url + reverse("monitoring:board"), "() => document.querySelector('.uptime-bars[data-drawn]') !== null")
    watch.assert_clean()
    watch.open(url + reverse("monitoring:board") + "?wall=1")
    watch.assert_clean()
    system = System.objects.filter(checks__isnull=False).order_by("pk").first()
    watch.open(url + reverse("monitoring:system_detail", args=[system.code]), chart_drawn("#response-chart"))
    watch.assert_clean()
    watch.open(url + reverse("monitoring:check_create", args=[system.code]))
    kinds = page.locator("#id_kind option").evaluate_all("os => os.map(o => o.value).filter(Boolean)")
    for kind in kinds[:2]:
        page.select_option("#id_kind", kind)
        visible = page.locator("#check-form [data-kind]:not([hidden])").evaluate_all(
            "gs => gs.map(g => g.dataset.kind)")
        assert set(visible) == {kind}
    watch.assert_clean()
    watch.open(url + reverse("monitoring:maintenance_create"))
    radios = page.locator("#maintenance-form input[name=kind]")
    for i in range(radios.count()):
        radios.nth(i).check()
        value = radios.nth(i).get_attribute("value")
        visible = page.locator("#maintenance-form [data-window]:not([hidden])").evaluate_all(
            "gs => gs.map(g => g.dataset.window)")
        assert visible and set(visible) == {value}
    watch.assert_clean()
    log_out(page)

    # The public status page (no login).
    watch.open(url + reverse("status:page"), "() => document.querySelector('.uptime-bars[data-drawn]') !== null")
    watch.assert_clean()

    # Reporter: the entry form, its date picker and the history of a cell (htmx into a modal).
    reporter = get_user_model().objects.get(username="khcn.baocao")
    report = Submission.objects.filter(orgunit=reporter.role_assignments.first().orgunit).order_by("-period").first()
    log_in(page, live_server, reporter.username, PASSWORD)
    watch.open(url + reverse("reporting:entry", args=[report.form_id, report.orgunit.code, report.period]))
    page.locator(".history-link").first.click()
    page.wait_for_selector("#history-modal.show")
    page.wait_for_selector("#history-body p strong")  # the cell's history came (htmx) in place of "Loading…"
    assert "Không tải được" not in page.inner_text("#history-body")
    watch.assert_clean()
    log_out(page)

    # Task office: the task form (fields following the source and the deadline kind, the date picker, the
    # coordinating units' filter) and the reminders' filter sent on change.
    log_in(page, live_server, "vanphong", PASSWORD)
    watch.open(url + reverse("assignments:task_create"))
    page.select_option("select[name=deadline_kind]", "date")
    assert page.locator("#deadline-date").is_visible() and not page.locator("#deadline-recurring").is_visible()
    page.select_option("select[name=deadline_kind]", "monthly")
    assert page.locator("#deadline-recurring").is_visible() and not page.locator("#deadline-date").is_visible()
    page.select_option("select[name=deadline_kind]", "date")
    page.locator("#deadline-date input[data-date-input]").first.click()
    page.wait_for_selector(".flatpickr-calendar.open")
    page.keyboard.press("Escape")
    units = page.locator("#unit-checks .form-check")
    page.fill("#unit-filter", "zzzz không có")
    assert page.locator("#unit-checks .form-check:not([hidden])").count() < units.count()
    watch.assert_clean()
    screenshot(page, "csp-task-form")
    watch.open(url + reverse("assignments:reminders"))
    if page.locator("#reminder-unit").count():
        code = page.locator("#reminder-unit option").nth(1).get_attribute("value")
        page.select_option("#reminder-unit", code)
        page.wait_for_url(re.compile(rf"unit={re.escape(code)}"))
    watch.assert_clean()
    log_out(page)

    # Administrator: a dashboard's settings, the emulation registration form, a report template's section
    # removal (asks first), the admin.
    log_in(page, live_server, "admin", PASSWORD)
    watch.open(url + reverse("dashboard:config_create"))
    filter_narrows_a_list(page)
    watch.assert_clean()
    watch.open(url + reverse("commendations:registration_new"))
    page.locator("input[name=registrant][value=person]").check()
    assert page.locator("[data-registrant=unit]").first.is_hidden()
    assert page.locator("[data-registrant=person]").first.is_visible()
    page.locator("input[name=registrant][value=unit]").check()
    assert page.locator("[data-registrant=person]").first.is_hidden()
    watch.assert_clean()
    template = ReportTemplate.objects.filter(sections__isnull=False).order_by("pk").first()
    watch.open(url + reverse("reports:template_edit", args=[template.pk]))
    sections = template.sections.count()
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator("form[data-confirm] button").first.click()
    page.wait_for_timeout(300)
    assert asked == ["Xóa mục này? Nội dung đã viết cho mục này trong các báo cáo cũng bị xóa."]
    assert template.sections.count() == sections  # "Cancel" keeps the section
    watch.assert_clean()
    watch.open(url + reverse("admin:index"))
    watch.open(url + reverse("admin:auth_user_changelist"))
    watch.assert_clean()
