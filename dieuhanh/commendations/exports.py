"""Exports of the register: a decision with its annex list (DOCX, Decree 30 layout through lib.officialdoc), the
annex list as XLSX, and the ceremony list (the order names are called at the year-end conference) as XLSX.

User text goes into workbooks as text cells and `workbook_bytes` neutralises anything that would be a formula."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from dieuhanh.commendations.models import Award, Decision
from dieuhanh.commendations.selectors import base_salary_on, kind_family_name, multiple_on
from dieuhanh.lib.officialdoc import Annex, Heading, OfficialDocument, Paragraph, Signature, Table
from dieuhanh.lib.officialdoc_docx import render_docx
from dieuhanh.lib.vnformat import format_number
from dieuhanh.lib.xlsx import text_cell, workbook_bytes
from dieuhanh.orgunits.models import OrgUnit

NO_AMOUNT = "—"
FONT = "Times New Roman"


def amount_text(award: Award) -> str:
    return format_number(award.amount, 0) if award.amount is not None else NO_AMOUNT


def no_amount_reason(award: Award) -> str:
    """Why an award carries no reward: no multiple of its kind, or no base salary, in force on the decision date."""
    if award.amount is not None:
        return ""
    day = award.decision.date
    if multiple_on(award.kind, day) is None:
        return _("No reward multiple of %(kind)s was in force on %(day)s.") % {
            "kind": award.kind.name, "day": day.strftime("%d/%m/%Y")}
    if base_salary_on(day) is None:
        return _("No base salary was in force on %(day)s.") % {"day": day.strftime("%d/%m/%Y")}
    return _("Recorded without a reward.")


def recipient_name(award: Award) -> str:
    return award.person.full_name if award.person_id else award.unit.name


def recipient_where(award: Award) -> str:
    """"Trưởng phòng, Sở Khoa học và Công nghệ" for a person; the parent unit's name for a collective."""
    if award.person_id:
        return ", ".join(x for x in (award.person.position, award.person.unit.name) if x)
    parent = award.unit.parent
    return parent.name if parent is not None else ""


def _ordered(awards: Iterable[Award]) -> list[Award]:
    """Collectives first, then individuals; each by the form's rank (highest first) and name."""
    return sorted(awards, key=lambda a: (a.person_id is not None, -a.kind.rank, a.kind.name,
                                         recipient_name(a).split()[-1] if a.person_id else "", recipient_name(a)))


def decision_awards(decision: Decision) -> list[Award]:
    return _ordered(decision.awards.select_related("kind", "person", "person__unit", "unit", "unit__parent",
                                                   "decision"))


def _province_name(unit: OrgUnit) -> str:
    root_code = [p for p in unit.path.split("/") if p][0]
    root = OrgUnit.objects.filter(path=f"/{root_code}/").first() or unit
    return root.name.replace("(cũ)", "").replace("Tỉnh", "").replace("tỉnh", "").strip()


def _issuer_lines(decision: Decision) -> tuple[str, str]:
    issuer = decision.issuer
    province = _province_name(issuer)
    if issuer.kind == OrgUnit.Kind.PROVINCE:
        return "", f"ỦY BAN NHÂN DÂN TỈNH {province.upper()}"
    return f"UBND TỈNH {province.upper()}", issuer.name.upper()


ANNEX_COLUMNS = ("STT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị", "Danh hiệu, hình thức", "Số tiền (đồng)")


def annex_rows(decision: Decision) -> tuple[list[tuple[str, ...]], set[int], list[Award]]:
    """The annex list's rows: a group row "I. TẬP THỂ" / "II. CÁ NHÂN" (bold), then the recipients numbered."""
    awards = decision_awards(decision)
    rows: list[tuple[str, ...]] = []
    bold: set[int] = set()
    groups = [("I. TẬP THỂ", [a for a in awards if a.unit_id]), ("II. CÁ NHÂN", [a for a in awards if a.person_id])]
    groups = [g for g in groups if g[1]]
    for title, members in groups:
        label = title if len(groups) == 2 else title.split(". ", 1)[1]  # no "I." for a single group
        bold.add(len(rows))
        rows.append(("", f"{label} ({len(members)})", "", "", ""))
        for number, award in enumerate(members, start=1):
            rows.append((str(number), recipient_name(award), recipient_where(award), award.kind.name,
                         amount_text(award)))
    return rows, bold, awards


def _article_one(decision: Decision, awards: list[Award]) -> str:
    collectives = sum(1 for a in awards if a.unit_id)
    people = sum(1 for a in awards if a.person_id)
    forms = sorted({kind_family_name(a.kind.name) for a in awards})
    whom = " và ".join(x for x in (f"{collectives} tập thể" if collectives else "",
                                  f"{people} cá nhân" if people else "") if x)
    notes = sorted({a.achievement_note for a in awards if a.achievement_note})
    # "Hoàn thành tốt nhiệm vụ năm 2020" → "đã hoàn thành tốt nhiệm vụ năm 2020"
    why = f"{notes[0][0].lower()}{notes[0][1:]}" if len(notes) == 1 else "có thành tích xuất sắc"
    return f"Điều 1. Tặng {', '.join(forms)} cho {whom} có tên trong danh sách kèm theo, đã {why}."


def signing_authority(decision: Decision) -> str:
    """"Chủ tịch Ủy ban nhân dân tỉnh Tây Ninh", "Giám đốc Sở Thông tin và Truyền thông tỉnh Tây Ninh": the
    authority as the decision names itself (the authority's row describes the office in general)."""
    issuer = decision.issuer
    if issuer.kind == OrgUnit.Kind.PROVINCE:
        return f"Chủ tịch Ủy ban nhân dân tỉnh {_province_name(issuer)}"
    if decision.authority.code == "GD_SO":
        return f"Giám đốc {issuer.name}"
    if decision.authority.code == "CT_XA":
        return f"Chủ tịch Ủy ban nhân dân {issuer.name}"
    return decision.authority.name


def decision_document(decision: Decision) -> OfficialDocument:
    """The decision with its annex list, as an official document (Decree 30, Appendix I)."""
    rows, bold, awards = annex_rows(decision)
    owner, issuing = _issuer_lines(decision)
    place = _province_name(decision.issuer)
    authority = signing_authority(decision)
    law = ("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;" if decision.date >= datetime.date(2024, 1, 1)
           else "Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003 và Luật sửa đổi, bổ sung một số điều "
                "của Luật Thi đua, khen thưởng;")
    decree = ("Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi tiết một số "
              "điều của Luật Thi đua, khen thưởng;" if decision.date >= datetime.date(2025, 7, 1) else
              "Căn cứ Nghị định của Chính phủ quy định chi tiết thi hành Luật Thi đua, khen thưởng;")
    total = sum(a.amount or 0 for a in awards)
    missing = [a for a in awards if a.amount is None]
    money = (f"Điều 2. Tiền thưởng kèm theo tổng cộng {format_number(total, 0)} đồng, chi theo quy định hiện hành."
             if not missing else
             "Điều 2. Tiền thưởng chi theo quy định hiện hành tại thời điểm quyết định.")
    blocks = (
        Heading(text=authority.upper(), level=2, centred=True),  # Decree 30: the issuer's line stands centred
        Paragraph(text=law, italic=True),
        Paragraph(text=decree, italic=True),
        Paragraph(text="Xét đề nghị của Hội đồng Thi đua - Khen thưởng,", italic=True),
        Heading(text="QUYẾT ĐỊNH:", level=2, centred=True),
        Paragraph(text=_article_one(decision, awards)),
        Paragraph(text=money),
        Paragraph(text="Điều 3. Quyết định có hiệu lực kể từ ngày ký. Thủ trưởng các cơ quan, đơn vị liên quan và các "
                       "tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này."),
    )
    notes = []
    if missing:
        reasons = sorted({no_amount_reason(a) for a in missing})
        notes.append(Paragraph(text="Ghi chú: “—”: không có số tiền. " + " ".join(reasons), italic=True))
    annex = Annex(
        title="DANH SÁCH KHEN THƯỞNG",
        subtitle=f"(Kèm theo Quyết định số {decision.number} ngày {decision.date:%d/%m/%Y} của {authority})",
        blocks=(Table(columns=ANNEX_COLUMNS, rows=tuple(rows), numeric=frozenset({4}),
                      widths_mm=(12, 48, 50, 35, 25), bold_rows=frozenset(bold)), *notes),
    )
    position = decision.signer_position or ""
    return OfficialDocument(
        owner_agency=owner, issuing_agency=issuing, number=decision.number, place=place, date=decision.date,
        doc_type="QUYẾT ĐỊNH", summary=decision.excerpt or "Về việc khen thưởng",
        blocks=blocks, signature=Signature(title=position.upper(), name=decision.signer_name),
        received_by=("- Như Điều 3;", "- Lưu: VT."), annexes=(annex,),
    )


def decision_docx(decision: Decision) -> bytes:
    return render_docx(decision_document(decision))


# XLSX -----------------------------------------------------------------------------------------------------------
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _sheet_setup(ws, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[chr(64 + index)].width = width
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _title(ws, row: int, text: str, columns: int, *, bold=True, italic=False, size=13) -> None:
    cell = text_cell(ws, row, 1, text)
    cell.font = Font(name=FONT, size=size, bold=bold, italic=italic)
    cell.alignment = Alignment(horizontal="center", wrap_text=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)


def _table(ws, top: int, header: tuple[str, ...], rows: list[tuple], bold_rows: set[int], numeric: set[int]) -> int:
    for col, text in enumerate(header, start=1):
        cell = text_cell(ws, top, col, text)
        cell.font = Font(name=FONT, size=12, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BOX
    for offset, values in enumerate(rows, start=1):
        for col, value in enumerate(values, start=1):
            if isinstance(value, int):
                cell = ws.cell(top + offset, col, value)
                cell.number_format = "#,##0"
            else:
                cell = text_cell(ws, top + offset, col, value)
            cell.font = Font(name=FONT, size=12, bold=(offset - 1) in bold_rows)
            cell.alignment = Alignment(horizontal="right" if col - 1 in numeric else (
                "center" if col == 1 else "left"), vertical="center", wrap_text=True)
            cell.border = _BOX
    return top + len(rows)


def annex_xlsx(decision: Decision) -> bytes:
    rows, bold, awards = annex_rows(decision)
    # The amount as a number Excel can sum; "—" stays text.
    by_name = iter(awards)
    cells: list[tuple] = []
    for index, row in enumerate(rows):
        if index in bold:
            cells.append(row)
            continue
        award = next(by_name)
        cells.append((*row[:4], award.amount if award.amount is not None else NO_AMOUNT))
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    _sheet_setup(ws, [6, 32, 40, 36, 16])
    _title(ws, 1, "DANH SÁCH KHEN THƯỞNG", 5)
    _title(ws, 2, f"(Kèm theo Quyết định số {decision.number} ngày {decision.date:%d/%m/%Y} của "
                  f"{decision.authority.name})", 5, bold=False, italic=True, size=12)
    last = _table(ws, 4, ANNEX_COLUMNS, cells, set(bold), {4})
    missing = [a for a in awards if a.amount is None]
    if missing:
        note = "Ghi chú: “—”: không có số tiền. " + " ".join(sorted({no_amount_reason(a) for a in missing}))
        cell = text_cell(ws, last + 2, 1, note)
        cell.font = Font(name=FONT, size=11, italic=True)
        ws.merge_cells(start_row=last + 2, start_column=1, end_row=last + 2, end_column=5)
    ws.print_title_rows = "4:4"
    return workbook_bytes(wb)


CEREMONY_COLUMNS = ("Thứ tự gọi", "Danh hiệu, hình thức", "Tập thể / cá nhân", "Họ và tên / Tên tập thể",
                    "Chức vụ, đơn vị", "Quyết định")


def ceremony_order(awards: Iterable[Award]) -> list[tuple[str, list[Award]]]:
    """(group title, awards) in the order of the ceremony: the highest authority and form first, each form's
    collectives before its individuals."""
    groups: dict[tuple, list[Award]] = {}
    for award in awards:
        key = (-award.decision.authority.rank, award.decision.authority.code, -award.kind.rank,
               kind_family_name(award.kind.name), award.decision.authority.name)
        groups.setdefault(key, []).append(award)
    result = []
    for key in sorted(groups):
        title = f"{key[3]} ({key[4]})" if key[4] not in key[3] else key[3]
        result.append((title, _ordered(groups[key])))
    return result


def ceremony_xlsx(awards: Iterable[Award], *, title: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Hội nghị"
    _sheet_setup(ws, [10, 34, 12, 32, 40, 22])
    _title(ws, 1, "DANH SÁCH KHEN THƯỞNG TẠI HỘI NGHỊ", 6)
    _title(ws, 2, title, 6, bold=False, italic=True, size=12)
    rows: list[tuple] = []
    bold: set[int] = set()
    order = 0
    for group, members in ceremony_order(awards):
        bold.add(len(rows))
        rows.append(("", group, "", "", "", ""))
        for award in members:
            order += 1
            rows.append((str(order), award.kind.name, "Tập thể" if award.unit_id else "Cá nhân",
                         recipient_name(award), recipient_where(award),
                         f"{award.decision.number} ngày {award.decision.date:%d/%m/%Y}"))
    _table(ws, 4, CEREMONY_COLUMNS, rows, bold, set())
    ws.print_title_rows = "4:4"
    return workbook_bytes(wb)


def award_rows(awards, *, openable: set[int] | None = None):
    """The rows of an awards table; `openable`: the units whose registers the reader may open (None: all), so
    that a recipient outside them is named without a link that would answer 404."""
    def opens(a) -> bool:
        return openable is None or (a.person.unit_id if a.person_id else a.unit_id) in openable

    return [{"a": a, "amount": amount_text(a), "reason": no_amount_reason(a),
             "where": recipient_where(a), "opens": opens(a)} for a in awards]
