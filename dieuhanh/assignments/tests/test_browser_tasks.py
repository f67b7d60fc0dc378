"""A task's life in a real browser: the office registers it, the lead unit reports progress and completion, the
office confirms; the list and the detail page also at a phone's width."""

import datetime

import pytest
from django.urls import reverse

from dieuhanh.assignments.models import Document, Occurrence, Task, TaskEvent
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Xây dựng Kho dữ liệu dùng chung của tỉnh"


def test_it_registers_reports_and_confirms_a_task(browser_page, live_server, office, lead_reporter,  # noqa: F811
                                                  assigner, document, lead_unit, coordinating_unit, tmp_path):
    page = browser_page
    deadline = datetime.date.today() + datetime.timedelta(days=30)

    # The office registers the task; a missing deadline is named first and nothing is saved.
    log_in(page, live_server, "office")
    page.goto(live_server.url + reverse("assignments:task_list"))
    page.click("#new-task")
    # The document is not registered yet: register it from the task form, first with a wrong type.
    page.click("#new-document")
    page.fill("#id_number", "88/KHH-UBND")
    page.fill("#id_issued_on", "2026-01-15")
    page.fill("#id_signer", "Nguyễn Văn Mạnh")
    page.fill("#id_summary", "Kế hoạch phát triển hạ tầng dữ liệu tỉnh Tây Ninh năm 2026")
    with page.expect_navigation():
        page.click("#save-document")
    error = page.locator("#id_number-error").inner_text()
    assert "Nghị định 30" in error and "KH" in error
    screenshot(page, "task-document-errors")
    page.fill("#id_number", "88/KH-UBND")
    with page.expect_navigation():
        page.click("#save-document")
    new_document = Document.objects.get(number="88/KH-UBND")
    assert page.locator("#id_document").input_value() == str(new_document.pk)
    page.fill("#id_title", TITLE)
    page.select_option("#id_assigner", str(assigner.pk))
    page.fill("#id_assigned_on", "2026-01-20")
    page.select_option("#id_lead_unit", str(lead_unit.pk))
    page.fill("#unit-filter", "hung dien")  # finds "Xã Hưng Điền" without diacritics
    assert page.locator("#unit-checks .form-check:visible").count() == 1
    page.check(f"#unit-checks input[value='{coordinating_unit.pk}']")
    page.check("#id_is_key")
    with page.expect_navigation():
        page.click("#save-task")
    assert page.locator("#id_deadline-error").is_visible()
    assert not Task.objects.exists()
    assert page.locator("#id_title").input_value() == TITLE
    screenshot(page, "task-register-errors")
    page.fill("#id_deadline", deadline.isoformat())
    with page.expect_navigation():
        page.click("#save-task")
    task = Task.objects.get(title=TITLE)
    assert list(task.coordinating_units.all()) == [coordinating_unit] and task.is_key
    assert page.url.endswith(reverse("assignments:task_detail", args=[task.pk]))
    assert page.locator("#task-title").inner_text() == TITLE
    screenshot(page, "task-detail-office")

    # The lead unit finds it by searching without diacritics, reports progress with a file, then completion.
    log_in(page, live_server, "lead_reporter")
    page.goto(live_server.url + reverse("assignments:task_list"))
    with page.expect_response(lambda r: "q=kho" in r.url):
        page.fill("#id_q", "kho du lieu dung chung")
    page.locator(f"#tasks tr[data-task='{task.pk}']").wait_for()
    assert page.locator("#tasks tbody tr").count() == 1
    screenshot(page, "task-list-search")
    page.click(f"#tasks tr[data-task='{task.pk}'] a.task-link")
    page.wait_for_url(f"**{reverse('assignments:task_detail', args=[task.pk])}")
    screenshot(page, "task-detail-lead")
    report = tmp_path / "tien-do.pdf"
    report.write_bytes(b"%PDF-1.4 tien do")
    page.fill("#id_progress-text", "Đã hoàn thành khảo sát hiện trạng dữ liệu của các sở")
    page.fill("#id_progress-percent", "60")
    page.set_input_files("#id_progress-files", str(report))
    with page.expect_navigation():
        page.click("#action-progress button[type=submit]")
    assert page.locator(".alert-success").count() == 1
    assert "60%" in page.locator("#occurrences").inner_text()
    assert "tien-do.pdf" in page.locator("#history").inner_text()
    page.fill("#id_complete-result_note", "Kho dữ liệu dùng chung đã vận hành")
    page.fill("#id_complete-result_number", "45/BC-SKHCN")
    with page.expect_navigation():
        page.click("#action-complete button[type=submit]")
    assert Occurrence.objects.get(task=task).progress == Occurrence.Progress.REPORTED
    assert page.locator("#action-progress").count() == 0
    screenshot(page, "task-detail-reported")

    # The office confirms: completed on time.
    log_in(page, live_server, "office")
    page.goto(live_server.url + reverse("assignments:task_detail", args=[task.pk]))
    with page.expect_navigation():
        page.click("#action-confirm button[type=submit]")
    occurrence = Occurrence.objects.get(task=task)
    assert occurrence.progress == Occurrence.Progress.CONFIRMED
    assert page.locator("#occurrences tr[data-status='done_on_time']").count() == 1
    assert list(TaskEvent.objects.filter(task=task).values_list("kind", flat=True)) == [
        "created", "progress", "completion_reported", "confirmed"]
    screenshot(page, "task-detail-confirmed")

    page.goto(live_server.url + reverse("assignments:task_list"))
    screenshot(page, "task-list")

    # At a phone's width nothing spills out of the page: the table scrolls inside its own box.
    page.set_viewport_size({"width": 360, "height": 780})
    for url, name in ((reverse("assignments:task_list"), "task-list-360"),
                      (reverse("assignments:task_detail", args=[task.pk]), "task-detail-360"),
                      (reverse("assignments:task_create"), "task-register-360"),
                      (reverse("assignments:document_list"), "task-documents-360")):
        page.goto(live_server.url + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{url} is {width}px wide"
        screenshot(page, name)
