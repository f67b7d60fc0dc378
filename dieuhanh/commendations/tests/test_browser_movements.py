"""In Chromium: a department's reporter adds a person to the department, registers the department and the person
for the year's emulation, and sees both listed with who recorded them; the province's office launches a
movement."""

import pytest

from dieuhanh.accounts.models import Role
from dieuhanh.commendations.models import EmulationMovement, EmulationRegistration, Person
from dieuhanh.conftest import make_user
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_unit_reporter_adds_a_person_and_registers(browser_page, live_server, province, dept):  # noqa: F811
    reporter = make_user("khcn", Role.REPORTER, dept)
    reporter.first_name, reporter.last_name = "Phạm Thị", "Lan"
    reporter.save()
    make_user("office", Role.OFFICE, province)
    page = browser_page

    log_in(page, live_server, "office")
    page.goto(f"{live_server.url}/commendations/movements/")
    page.click("#launch-movement")
    page.fill("#id_name", "Phong trào thi đua thường xuyên năm 2026")
    for field, day in (("#id_start_date", "01/01/2026"), ("#id_end_date", "31/12/2026")):
        page.fill(field, day)
        page.keyboard.press("Escape")
    page.fill("#id_launch_document", "12/KH-UBND")
    page.click("#submit-movement")
    page.wait_for_load_state("networkidle")
    assert "Phong trào thi đua thường xuyên năm 2026" in page.locator("#movements").inner_text()
    assert EmulationMovement.objects.get().organiser == province

    page.context.clear_cookies()
    log_in(page, live_server, "khcn")
    page.goto(f"{live_server.url}/commendations/movements/")
    page.click("#people-units a:has-text('Sở Khoa học và Công nghệ')")
    page.fill("#id_full_name", "Đỗ Thị Mai")
    page.fill("#id_position", "Chuyên viên")
    page.select_option("#id_gender", value="female")
    page.click("#add-person")
    page.wait_for_load_state("networkidle")
    assert "Đã thêm Đỗ Thị Mai vào Sở Khoa học và Công nghệ." in page.content()
    assert "Đỗ Thị Mai" in page.locator("#people").inner_text()
    screenshot(page, "commendations_people")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "commendations_people_360")
    page.set_viewport_size({"width": 1366, "height": 900})

    page.goto(f"{live_server.url}/commendations/movements/?year=2026")
    page.click("#register")
    page.wait_for_load_state()  # the form's script (a static file since the CSP) has run
    page.check("#registration-form input[name=registrant][value=unit]")
    assert page.locator("label:text-is('Lao động tiên tiến')").is_hidden()  # an individual title
    page.check("label:text-is('Tập thể lao động xuất sắc')")
    page.select_option("#id_movement", label="Phong trào thi đua thường xuyên năm 2026")
    page.click("#submit-registration")
    page.wait_for_load_state("networkidle")

    page.click("#register")
    page.wait_for_load_state()  # the form's script (a static file since the CSP) has run
    page.check("#registration-form input[name=registrant][value=person]")
    assert page.locator("label:text-is('Tập thể lao động xuất sắc')").is_hidden()
    page.select_option("#id_person", label="Đỗ Thị Mai — Chuyên viên, Sở Khoa học và Công nghệ")
    page.check("label:text-is('Lao động tiên tiến')")
    page.check("label:text-is('Chiến sĩ thi đua cơ sở')")
    screenshot(page, "commendations_registration_form")
    page.click("#submit-registration")
    page.wait_for_load_state("networkidle")

    listed = page.locator("#registrations").inner_text()
    assert "Sở Khoa học và Công nghệ" in listed and "Đỗ Thị Mai" in listed
    assert "Tập thể lao động xuất sắc" in listed and "Chiến sĩ thi đua cơ sở" in listed
    assert "Phạm Thị Lan" in listed  # who recorded them
    screenshot(page, "commendations_registrations")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "commendations_registrations_360")

    mai = Person.objects.get(full_name="Đỗ Thị Mai")
    assert EmulationRegistration.objects.filter(person=mai, year=2026).count() == 1
    assert EmulationRegistration.objects.get(unit=dept).movement.name == "Phong trào thi đua thường xuyên năm 2026"
