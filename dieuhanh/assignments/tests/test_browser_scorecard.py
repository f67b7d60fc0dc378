"""In a real browser (Vietnamese by default): a leader reads the scorecard of the first quarter of 2026 and follows
a count to the tasks behind it; the office imports tasks from Excel, first with a mistake, then without."""

import io

import pytest
from openpyxl import Workbook

from dieuhanh.assignments.models import Task
from dieuhanh.assignments.tests.test_scorecards import hand_counted  # noqa: F401
from dieuhanh.assignments.xlsx import IMPORT_COLUMNS, IMPORT_HEADER_ROW
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_reads_the_quarters_scorecard(browser_page, live_server, leader, hand_counted):  # noqa: F811
    page = browser_page
    log_in(page, live_server, "leader")
    page.goto(f"{live_server.url}/tasks/scorecard/?period=2026Q1")
    assert "Quý I/2026" in page.locator("#window-label").inner_text()
    assert page.locator('[data-figure="due"]').inner_text() == "12"
    assert page.locator('[data-figure="completion_rate"]').inner_text() == "58,3%"
    assert page.locator('[data-figure="on_time_rate"]').inner_text() == "41,7%"
    assert page.locator('#by-unit tr[data-key="STC"] td.num').nth(6).inner_text() == "66,7%"
    # The paused task is one of the twelve fallen due, under its label, so the figures add up to 12.
    assert page.locator('[data-figure="paused_due"]').inner_text() == "1"
    parts = [page.locator(f'[data-figure="{key}"]').inner_text() for key in ("done_on_time", "done_late", "overdue",
                                                                               "paused_due")]
    assert sum(int(n) for n in parts) == 12
    assert "Tạm dừng" in page.locator("#province-total").inner_text()
    path = screenshot(page, "task-scorecard-1366")
    assert path.endswith(".png")

    page.set_viewport_size({"width": 360, "height": 800})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width  # nothing sticks out of a phone's screen
    assert page.locator('#by-unit-compact [data-key="SKHCN"]').is_visible()  # a block per unit, not the wide table
    assert not page.locator("#by-unit").is_visible()
    assert "55,6%" in page.locator('#by-unit-compact [data-key="SKHCN"]').inner_text()
    screenshot(page, "task-scorecard-360")
    page.set_viewport_size({"width": 1366, "height": 900})

    page.check("#id_key_only")
    page.click("#scorecard-filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator('[data-figure="due"]').inner_text() == "5"
    assert page.locator('[data-figure="completion_rate"]').inner_text() == "60,0%"

    page.goto(f"{live_server.url}/tasks/scorecard/?period=2026Q1")
    page.locator('#by-unit tr[data-key="SKHCN"] td.num').nth(4).locator("a").click()
    page.wait_for_load_state("networkidle")
    assert "/tasks/?" in page.url and "status=overdue" in page.url
    assert page.locator("#task-results tbody tr").count() == 3


def _workbook(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for col, (_key, title) in enumerate(IMPORT_COLUMNS, start=1):
        ws.cell(IMPORT_HEADER_ROW, col, title)
    for r, row in enumerate(rows, start=IMPORT_HEADER_ROW + 1):
        for col, value in enumerate(row, start=1):
            ws.cell(r, col, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_office_imports_tasks_from_excel(browser_page, live_server, office, assigner, lead_unit, tmp_path):  # noqa: F811
    good = ["Xây dựng Kế hoạch chuyển đổi số năm 2026", "130/QĐ-UBND", "03/02/2026", "SKHCN", "", "31/03/2026", "x",
            "Kế hoạch", "", ""]
    bad = tmp_path / "nhiem-vu.xlsx"
    bad.write_bytes(_workbook([good, [*good[:2], "abc", *good[3:]]]))
    page = browser_page
    log_in(page, live_server, "office")
    page.goto(f"{live_server.url}/tasks/import/")
    page.set_input_files("#xlsx-file", str(bad))
    page.click("#import-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "C6" in page.locator("#import-errors").inner_text()
    assert Task.objects.count() == 0
    screenshot(page, "task-import-errors")

    fixed = tmp_path / "nhiem-vu-sua.xlsx"
    fixed.write_bytes(_workbook([good]))
    page.set_input_files("#xlsx-file", str(fixed))
    page.click("#import-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.rstrip("/").endswith("/tasks")
    assert Task.objects.count() == 1
