"""The whole flow in Chromium: a department proposes, the evidence is shown, the province's office records the
council's vote and the decision, the award is in the register, and the annex DOCX and XLSX download and open."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from dieuhanh.accounts.models import Role
from dieuhanh.commendations.services import person_create
from dieuhanh.commendations.services_nominations import round_create
from dieuhanh.conftest import make_user
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_goes_from_nomination_to_the_annex(browser_page, live_server, province, dept, authority):  # noqa: F811
    make_user("khcn", Role.REPORTER, dept)
    make_user("office", Role.OFFICE, province)
    person_create(full_name="Nguyễn Thị Thu Hà", unit=dept, position="Phó Trưởng phòng")
    round_ = round_create(name="Xét khen thưởng năm 2026", year=2026, authority=authority("CT_TINH"),
                          organiser=province)
    page = browser_page
    log_in(page, live_server, "khcn")
    page.goto(f"{live_server.url}/commendations/rounds/{round_.pk}/")
    page.click("#propose")
    page.select_option("#id_person", label="Nguyễn Thị Thu Hà — Phó Trưởng phòng, Sở Khoa học và Công nghệ")
    page.select_option("#id_kind", label="Bằng khen của Chủ tịch UBND tỉnh (cá nhân)")
    page.select_option("#id_achievement", value="merit")
    page.click("#submit-nomination")
    page.wait_for_load_state("networkidle")
    assert page.locator("#evidence tr[data-criterion=registration]").count() == 1
    assert "Minh chứng từ dữ liệu" in page.content()
    nomination_url = page.url
    screenshot(page, "commendations_nomination")

    page.context.clear_cookies()
    log_in(page, live_server, "office")
    page.goto(nomination_url)
    assert "không quy định ngưỡng" in page.locator("#threshold").inner_text()
    page.fill("#id_voted_on", "03/12/2026")
    page.keyboard.press("Escape")
    page.fill("#id_members_total", "9")
    page.fill("#id_members_present", "8")
    page.fill("#id_votes_for", "8")
    page.select_option("#id_chair_approves", value="yes")
    page.fill("#id_note", "Biên bản họp ngày 03/12/2026")
    page.click("#record-vote")
    page.wait_for_load_state("networkidle")
    assert "Như Hội đồng đã xem" in page.locator("#evidence-when").inner_text()
    assert page.locator("[data-state=passed]").count() == 1

    page.goto(f"{live_server.url}/commendations/rounds/{round_.pk}/")
    page.click("#decide")
    page.fill("#id_number", "125/QĐ-UBND")
    page.fill("#id_date", "15/12/2026")
    page.keyboard.press("Escape")
    page.fill("#id_signer_name", "Phạm Văn Chủ")
    page.fill("#id_signer_position", "Chủ tịch")
    page.click("#submit-decision")
    page.wait_for_load_state("networkidle")
    assert "Quyết định số 125/QĐ-UBND ngày 15/12/2026" in page.locator("h1").inner_text()
    assert "3.510.000" in page.locator("#awards").inner_text()
    screenshot(page, "commendations_decision")

    with page.expect_download() as docx_download:
        page.click("#annex-docx")
    text = "\n".join(p.text for p in Document(docx_download.value.path()).paragraphs)
    assert "Kèm theo Quyết định số 125/QĐ-UBND ngày 15/12/2026" in text
    with page.expect_download() as xlsx_download:
        page.click("#annex-xlsx")
    with open(xlsx_download.value.path(), "rb") as fh:
        sheet = load_workbook(io.BytesIO(fh.read())).active
    assert any(row[1] == "Nguyễn Thị Thu Hà" for row in sheet.iter_rows(values_only=True))

    page.goto(f"{live_server.url}/commendations/register/?year=2026")
    assert "Nguyễn Thị Thu Hà" in page.locator("#awards").inner_text()
    page.click("#awards a:has-text('Nguyễn Thị Thu Hà')")
    page.wait_for_load_state("networkidle")
    assert "125/QĐ-UBND" in page.locator("#awards").inner_text()


def test_a_unit_outside_scope_is_not_found(client, province, dept, commune_a):
    client.force_login(make_user("khcn", Role.REPORTER, dept))
    assert client.get(f"/commendations/units/{commune_a.code}/").status_code == 404
    assert client.get(f"/commendations/units/{dept.code}/").status_code == 200
    other = person_create(full_name="Người xã", unit=commune_a)
    assert client.get(f"/commendations/people/{other.pk}/").status_code == 404
