"""An incident's reports as XLSX, in the layout of the national forms of Thông tư 20/2017/TT-BTTTT: Mẫu 03 "Báo cáo
ban đầu sự cố mạng" and Mẫu 04 "Báo cáo kết thúc ứng phó sự cố" — a title, numbered sections, label/value rows,
Times New Roman on A4, ready to print, sign and stamp.

The labels are the forms' own and stay Vietnamese whatever the page language. Every value is written as text, so
a description an attacker wrote ("=HYPERLINK(…)") is never a formula in the officer's Excel.
"""

from __future__ import annotations

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from dieuhanh.lib.xlsx import text_cell, workbook_bytes
from dieuhanh.monitoring.models_security import SecurityIncident

FONT = "Times New Roman"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LABEL_WIDTH, VALUE_WIDTH = 38, 62

# Our steps, as the form's "hiện trạng sự cố" is worded (its own option list is not published).
STATUS_VI = {
    SecurityIncident.Status.RECEIVED: "Đã tiếp nhận, đang xác minh",
    SecurityIncident.Status.CONTAINING: "Đang ứng cứu, ngăn chặn",
    SecurityIncident.Status.RECOVERING: "Đang khắc phục, khôi phục",
    SecurityIncident.Status.CLOSED: "Đã kết thúc ứng phó",
}
FORM_TITLES = {
    "03": ("BÁO CÁO BAN ĐẦU SỰ CỐ MẠNG", "(Mẫu 03 — Thông tư 20/2017/TT-BTTTT)"),
    "04": ("BÁO CÁO KẾT THÚC ỨNG PHÓ SỰ CỐ", "(Mẫu 04 — Thông tư 20/2017/TT-BTTTT)"),
}


def _font(size: int = 13, bold: bool = False, italic: bool = False) -> Font:
    return Font(name=FONT, size=size, bold=bold, italic=italic)


def _d(day) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _dt(moment) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y %H:%M}" if moment else ""


def _yes_no(flag: bool) -> str:
    return "Có" if flag else "Không"


class _Sheet:
    def __init__(self, ws):
        self.ws = ws
        self.row = 0

    def centred(self, text: str, font: Font, height: float | None = None) -> None:
        self.row += 1
        cell = text_cell(self.ws, self.row, 1, text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=2)
        if height:
            self.ws.row_dimensions[self.row].height = height

    def section(self, text: str) -> None:
        self.row += 1
        cell = text_cell(self.ws, self.row, 1, text)
        cell.font = _font(bold=True)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=2)

    def item(self, label: str, value) -> None:
        self.row += 1
        left = text_cell(self.ws, self.row, 1, label)
        right = text_cell(self.ws, self.row, 2, value)
        left.font, right.font = _font(), _font()
        left.border = right.border = BORDER
        left.alignment = Alignment(vertical="top", wrap_text=True)
        right.alignment = Alignment(vertical="top", wrap_text=True)
        # Excel does not grow a row for wrapped text it did not type itself: estimate the lines.
        lines = max(_lines(label, LABEL_WIDTH), _lines(right.value, VALUE_WIDTH))
        if lines > 1:
            self.ws.row_dimensions[self.row].height = 17 * lines

    def blank(self) -> None:
        self.row += 1


def _lines(text: str, width: int) -> int:
    return sum(max(1, -(-len(part) // int(width * 1.1))) for part in (text or "").split("\n")) or 1


def _systems(incident: SecurityIncident) -> tuple[str, str]:
    systems = list(incident.systems.all())
    names = "; ".join(s.name for s in systems)
    levels = "; ".join(f"{s.name}: cấp độ {s.security_level}" for s in systems if s.security_level)
    return names, levels


def _reporter(sheet: _Sheet, incident: SecurityIncident) -> None:
    sheet.item("Tên tổ chức, cá nhân báo cáo", incident.reporter_name)
    sheet.item("Địa chỉ", incident.reporter_address)
    sheet.item("Điện thoại", incident.reporter_phone)
    sheet.item("Thư điện tử", incident.reporter_email)


def _signature(sheet: _Sheet, incident: SecurityIncident) -> None:
    sheet.blank()
    sheet.item("Thời gian báo cáo", f"{timezone.localtime():%d/%m/%Y %H:%M}")
    sheet.blank()
    sheet.row += 1
    head = text_cell(sheet.ws, sheet.row, 2, "THỦ TRƯỞNG ĐƠN VỊ")
    head.font, head.alignment = _font(bold=True), Alignment(horizontal="center")
    sheet.row += 1
    note = text_cell(sheet.ws, sheet.row, 2, "(Ký, ghi rõ họ tên, đóng dấu)")
    note.font, note.alignment = _font(italic=True), Alignment(horizontal="center")


def _workbook(form: str, incident: SecurityIncident, fill) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"Mẫu {form}"
    ws.column_dimensions["A"].width = LABEL_WIDTH
    ws.column_dimensions["B"].width = VALUE_WIDTH
    sheet = _Sheet(ws)
    sheet.centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", _font(bold=True))
    sheet.centred("Độc lập - Tự do - Hạnh phúc", _font(bold=True))
    sheet.blank()
    title, subtitle = FORM_TITLES[form]
    sheet.centred(title, _font(14, bold=True), height=22)
    sheet.centred(subtitle, _font(12, italic=True))
    sheet.blank()
    fill(sheet, incident)
    _signature(sheet, incident)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    return workbook_bytes(wb)


def _fill_initial(sheet: _Sheet, incident: SecurityIncident) -> None:
    names, levels = _systems(incident)
    detected = timezone.localtime(incident.detected_at)
    sheet.section("1. Thông tin về tổ chức, cá nhân báo cáo sự cố")
    _reporter(sheet, incident)
    sheet.section("2. Thông tin người liên hệ")
    sheet.item("Họ và tên", incident.contact_name)
    sheet.item("Chức vụ", incident.contact_position)
    sheet.item("Điện thoại", incident.contact_phone)
    sheet.item("Thư điện tử", incident.contact_email)
    sheet.section("3. Thông tin về hệ thống thông tin bị sự cố")
    sheet.item("Đơn vị vận hành hệ thống thông tin", incident.operating_unit)
    sheet.item("Cơ quan chủ quản", incident.owner_agency)
    sheet.item("Tên hệ thống thông tin", names)
    sheet.item("Cấp độ hệ thống thông tin", levels)
    sheet.item("Tên miền, địa chỉ IP", incident.affected_addresses)
    sheet.item("Nhà cung cấp dịch vụ (CNTT, viễn thông, an toàn thông tin)", incident.providers)
    sheet.section("4. Thông tin về sự cố")
    sheet.item("Tên sự cố", incident.title)
    sheet.item("Loại sự cố", incident.incident_type)
    sheet.item("Mô tả sơ bộ về sự cố", incident.description)
    sheet.item("Dấu hiệu", incident.symptoms)
    sheet.item("Thiệt hại sơ bộ, phạm vi, mức độ ảnh hưởng", incident.impact)
    sheet.item("Ngày phát hiện", _d(detected.date()))
    sheet.item("Thời gian phát hiện", f"{detected:%H:%M}")
    sheet.item("Hiện trạng sự cố", STATUS_VI[SecurityIncident.Status(incident.status)])
    sheet.item("Cách thức phát hiện", incident.detection_method)
    sheet.item("Đã thông báo sự cố cho", incident.notified_to)
    serious = _yes_no(incident.serious) + (f" — {incident.serious_reason}" if incident.serious else "")
    sheet.item("Sự cố nghiêm trọng (Điều 9 Quyết định 05/2017/QĐ-TTg)", serious)
    sheet.section("5. Các biện pháp và kết quả ứng cứu ban đầu")
    sheet.item("Biện pháp đã triển khai, dự kiến triển khai", incident.measures)
    sheet.item("Tổ chức đã tham gia hỗ trợ, kết quả", incident.supporters)
    sheet.item("Kết quả ứng cứu ban đầu", incident.initial_result)
    sheet.section("6. Đề xuất, kiến nghị")
    sheet.item("Đề xuất, yêu cầu hỗ trợ", incident.proposals)
    sheet.item("Đề nghị giữ bí mật", _yes_no(incident.confidential))
    if incident.initial_report_number:
        sheet.item("Số báo cáo", f"{incident.initial_report_number}, ngày {_d(incident.initial_report_date)}")


def _fill_closing(sheet: _Sheet, incident: SecurityIncident) -> None:
    names, levels = _systems(incident)
    detected = timezone.localtime(incident.detected_at)
    sheet.section("1. Thông tin về tổ chức, cá nhân báo cáo")
    _reporter(sheet, incident)
    sheet.section("2. Báo cáo ban đầu sự cố")
    sheet.item("Số báo cáo ban đầu", incident.initial_report_number)
    sheet.item("Ngày báo cáo ban đầu", _d(incident.initial_report_date))
    sheet.section("3. Thông tin về sự cố")
    sheet.item("Đơn vị vận hành hệ thống thông tin", incident.operating_unit)
    sheet.item("Cơ quan chủ quản", incident.owner_agency)
    sheet.item("Tên hệ thống thông tin", names)
    sheet.item("Cấp độ hệ thống thông tin", levels)
    sheet.item("Tên hoặc mô tả sự cố", "\n".join(filter(None, [incident.title, incident.description])))
    sheet.item("Ngày, giờ phát hiện", f"{detected:%d/%m/%Y %H:%M}")
    sheet.item("Thời điểm kết thúc ứng phó", _dt(incident.response_ended_at))
    sheet.section("4. Kết quả xử lý sự cố")
    sheet.item("Kết quả xử lý", incident.result)
    sheet.item("Đề xuất, kiến nghị", incident.proposals)
    sheet.section("5. Tài liệu kèm theo")
    sheet.item("Tài liệu kèm theo", "")
    if incident.closing_report_number:
        sheet.item("Số báo cáo", f"{incident.closing_report_number}, ngày {_d(incident.closing_report_date)}")


def initial_report_workbook(incident: SecurityIncident) -> bytes:
    """Mẫu 03, the initial report."""
    return _workbook("03", incident, _fill_initial)


def closing_report_workbook(incident: SecurityIncident) -> bytes:
    """Mẫu 04, the closing report."""
    return _workbook("04", incident, _fill_closing)
