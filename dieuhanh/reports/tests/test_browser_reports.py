"""A department's reporter creates a report in a real browser, writes a free text, generates the document (the worker
runs at once in tests), downloads the DOCX and finds the text and the analytics' figure in it; a value changes, the
second document shows the change; a commune's reporter gets 404 on the report."""

import io
from decimal import Decimal

import docx
import pytest

from dieuhanh.accounts.models import Role
from dieuhanh.analytics.queries import comparison
from dieuhanh.conftest import make_user
from dieuhanh.indicators.models import ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.lib.vnformat import format_number
from dieuhanh.reports import services
from dieuhanh.reports.models import Report, ReportDocument
from dieuhanh.tests.browser import browser_page, log_in, screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FREE_TEXT = "Đề nghị UBND tỉnh bố trí kinh phí cho các nhiệm vụ chuyển đổi số năm 2027."


def save(unit, period, indicator, value, kind="actual"):
    datavalues_save(state=ValueState.APPROVED, orgunit=unit, period=period,
                    values=[ValueInput(indicator, kind, Decimal(value))], user=None, channel="web")


@pytest.fixture
def setting(province, agency, revenue, reporter_a):
    """A template of its own (a transactional test empties the seeded ones), a reporter of the department, values."""
    staff = make_user("khcn", Role.REPORTER, agency)
    template = services.template_save(user=None, name="Tổng kết năm (thử)", kind="year_end", period_type="year",
                                      summary_pattern="Tổng kết công tác năm {year} và phương hướng năm {next_year}")
    services.template_section_save(user=None, template=template, heading="I. KẾT QUẢ NĂM {year}", level=1,
                                   kind="free_text")
    services.template_section_save(user=None, template=template, heading="1. Các chỉ tiêu", level=2,
                                   kind="narrative", indicators=[revenue])
    services.template_section_save(user=None, template=template, heading="", level=2, kind="indicator_table",
                                   indicators=[revenue])
    services.template_section_save(user=None, template=template, heading="II. KIẾN NGHỊ, ĐỀ XUẤT", level=1,
                                   kind="free_text")
    save(province, "2025", revenue, "4100")
    save(province, "2026", revenue, "4380.43")
    save(province, "2026", revenue, "4500", kind="target")
    return staff, template


def download(page, selector) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    with open(info.value.path(), "rb") as f:
        return f.read()


def test_create_write_generate_download_and_regenerate(
        browser_page, live_server, setting, province, agency, revenue, reporter_a):  # noqa: F811
    staff, template = setting
    page = browser_page
    log_in(page, live_server, "khcn")
    page.goto(f"{live_server.url}/reports/")
    page.click("#report-new")
    page.select_option("#id_template", str(template.pk))
    page.select_option("#id_issuer", str(agency.pk))
    page.select_option("#id_subject", str(province.pk))
    page.select_option("#id_period_id", "2026")
    page.fill("#id_number", "5/BC-SKHCN")  # no leading zero: refused, naming the field
    page.click("#save")
    assert "Số văn bản" in page.locator("#error-number").inner_text()
    assert not Report.objects.exists()
    page.fill("#id_number", "15/BC-SKHCN")
    page.fill("#id_place", "Tây Ninh")
    page.click("#save")
    page.wait_for_selector("#outline")
    report = Report.objects.get()
    assert page.locator("#report-summary").inner_text() == (
        "Tổng kết công tác năm 2026 và phương hướng năm 2027")

    kien_nghi = template.sections.get(heading="II. KIẾN NGHỊ, ĐỀ XUẤT")
    page.fill(f"#text-{kien_nghi.pk}", FREE_TEXT)
    page.click("#generate")
    page.wait_for_selector('#document-1 [data-download="docx"]')
    screenshot(page, "report-detail-1366")
    data = download(page, '#document-1 [data-download="docx"]')
    paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert FREE_TEXT in paragraphs
    expected = format_number(comparison(revenue, province, "2026").value.value, 2, trim=True)
    assert expected == "4.380,43"
    assert any(f"{expected} tỷ đồng" in p for p in paragraphs)
    assert "Số: 15/BC-SKHCN" in "\n".join(paragraphs + [c.text for t in docx.Document(io.BytesIO(data)).tables
                                                         for r in t.rows for c in r.cells])

    save(province, "2026", revenue, "4400")
    page.click("#generate")
    page.wait_for_selector('#document-2 [data-download="docx"]')
    changes = page.locator("#document-2 [data-changes]").inner_text()
    assert "Doanh thu viễn thông: 4.380,43 → 4.400 tỷ đồng" in changes
    assert ReportDocument.objects.filter(report=report).count() == 2
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "report-detail-360")

    page.context.clear_cookies()
    log_in(page, live_server, "reporter_a")
    response = page.goto(f"{live_server.url}/reports/{report.pk}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/reports/{report.pk}/documents/1.docx")
    assert response.status == 404
