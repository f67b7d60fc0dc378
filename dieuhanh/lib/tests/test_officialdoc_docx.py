"""The DOCX writer (lib/officialdoc_docx) against Decree 30/2020 Phụ lục I, read back with python-docx: paper and
margins, Times New Roman on every run, sizes, the national and issuer blocks, the number and the date line, the
body's indent and spacing, headings, tables, the page number left off page 1, the final block and the annexes.
No database: the writer reads only the content model."""

from __future__ import annotations

import datetime
import io

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from dieuhanh.lib.officialdoc import (
    Annex,
    Heading,
    OfficialDocument,
    Paragraph,
    Run,
    Signature,
    Table,
)
from dieuhanh.lib.officialdoc_docx import format_place_date, render_docx
from dieuhanh.lib.vnformat import roman

FONT = "Times New Roman"

BODY = (
    "Năm 2026, doanh thu bưu chính đạt 95,5 tỷ đồng, bằng 102,3% kế hoạch, tăng 8,1% so với năm 2025; doanh thu "
    "viễn thông ước đạt 1.762,38 tỷ đồng; nộp ngân sách nhà nước 377 tỷ đồng. "
)

INDICATORS = Table(
    columns=("STT", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện", "% kế hoạch"),
    rows=(
        ("I", "Bưu chính, viễn thông", "", "", "", ""),
        ("1", "Doanh thu bưu chính", "tỷ đồng", "93,36", "95,50", "102,3%"),
        ("2", "Doanh thu viễn thông", "tỷ đồng", "1.700,00", "1.762,38", "103,7%"),
        ("3", "Nộp ngân sách", "tỷ đồng", "350,00", "377,00", "107,7%"),
        *((str(i), f"Chỉ tiêu {i}", "%", "100,00", "99,90", "99,9%") for i in range(4, 16)),
    ),
    numeric=frozenset({3, 4, 5}),
    widths_mm=(14, 63, 22, 24, 24, 18),
    bold_rows=frozenset({0}),
    caption="Đơn vị tính: tỷ đồng",
)


def sample_document(*, date: datetime.date | None = datetime.date(2027, 1, 5), annexes: int = 2) -> OfficialDocument:
    blocks = (
        Paragraph("Thực hiện Kế hoạch số 123/KH-UBND ngày 10/11/2026 của UBND tỉnh, Sở Khoa học và Công nghệ báo cáo "
                  "kết quả thực hiện nhiệm vụ năm 2026 như sau:"),
        Heading("I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2026", 1),
        Heading("1. Công tác chỉ đạo, điều hành", 2),
        Paragraph(runs=(Run("Sở đã thực hiện "), Run("167/167", bold=True), Run(" nhiệm vụ trọng tâm UBND tỉnh giao, "),
                        Run("đạt 100%", italic=True), Run("."))),
        Heading("a) Bưu chính, viễn thông", 3),
        Paragraph(BODY * 3),
        INDICATORS,
        Heading("II. ĐÁNH GIÁ CHUNG", 1),
        Paragraph(BODY * 2),
        Heading("III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027", 1),
        Paragraph(BODY * 2),
    )
    return OfficialDocument(
        owner_agency="UBND TỈNH TÂY NINH",
        issuing_agency="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        number="15/BC-SKHCN",
        place="Tây Ninh",
        date=date,
        year=2027,
        doc_type="BÁO CÁO",
        summary="Tổng kết công tác năm 2026 và phương hướng, nhiệm vụ năm 2027",
        blocks=blocks,
        signature=Signature(authority="KT. GIÁM ĐỐC", title="PHÓ GIÁM ĐỐC", name="Nguyễn Văn An"),
        send_to=("Ủy ban nhân dân tỉnh Tây Ninh.",),
        received_by=("- UBND tỉnh;", "- Bộ Khoa học và Công nghệ;", "- Giám đốc, các PGĐ Sở;", "- Lưu: VT, VP."),
        annexes=tuple(
            Annex(
                title=f"Danh sách thứ {n}",
                subtitle="(Kèm theo Báo cáo số 15/BC-SKHCN ngày 05/01/2027 của Sở Khoa học và Công nghệ)",
                blocks=(Table(columns=("STT", "Tên", "Số tiền"), rows=(("1", "Phòng Kế hoạch", "1.404.000"),),
                              numeric=frozenset({2})),),
            )
            for n in range(1, annexes + 1)
        ),
    )


@pytest.fixture(scope="module")
def word():
    return docx.Document(io.BytesIO(render_docx(sample_document())))


def all_paragraphs(word):
    """Body paragraphs and those inside tables, in document order (no nested tables here)."""
    body = word.element.body
    for element in body.iter(qn("w:p")):
        yield docx.text.paragraph.Paragraph(element, word.part)


def text_paragraph(word, text):
    for p in all_paragraphs(word):
        if p.text == text:
            return p
    raise AssertionError(f"no paragraph {text!r}")


def effective(run, attr):
    """A run's font attribute, or its paragraph style's, or Normal's (what Word shows)."""
    value = getattr(run.font, attr)
    if value is None:
        value = getattr(word_style_font(run), attr)
    return value


def word_style_font(run):
    return run.part.document.styles["Normal"].font


def test_it_is_a4_portrait_with_the_decree_margins(word):
    for section in word.sections:
        assert abs(section.page_width - Mm(210)) < Mm(0.5)
        assert abs(section.page_height - Mm(297)) < Mm(0.5)
        assert Mm(20) - Mm(0.1) <= section.top_margin <= Mm(25) + Mm(0.1)
        assert Mm(20) - Mm(0.1) <= section.bottom_margin <= Mm(25) + Mm(0.1)
        assert Mm(30) - Mm(0.1) <= section.left_margin <= Mm(35) + Mm(0.1)
        assert Mm(15) - Mm(0.1) <= section.right_margin <= Mm(20) + Mm(0.1)


def test_it_writes_every_run_in_times_new_roman_for_every_script(word):
    normal = word.styles["Normal"]
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert fonts.get(qn(attr)) == FONT
    assert fonts.get(qn("w:asciiTheme")) is None and fonts.get(qn("w:eastAsiaTheme")) is None
    default_fonts = word.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    assert default_fonts.get(qn("w:asciiTheme")) is None
    assert default_fonts.get(qn("w:ascii")) == FONT
    parts = [word.element.body]
    for section in word.sections:
        parts += [section.header._element, section.first_page_header._element]
    runs = 0
    for part in parts:
        for r in part.iter(qn("w:r")):
            if r.find(qn("w:t")) is None:
                continue
            run = docx.text.run.Run(r, word.part)
            assert (run.font.name or normal.font.name) == FONT, run.text
            rfonts = r.find(qn("w:rPr")).find(qn("w:rFonts"))
            assert rfonts.get(qn("w:eastAsia")) == FONT and rfonts.get(qn("w:cs")) == FONT, run.text
            runs += 1
    assert runs > 50


def test_it_writes_the_issuer_and_national_blocks(word):
    header = word.tables[0]
    left, right = (cell.paragraphs for cell in header.rows[0].cells)
    assert [p.text for p in left if p.text] == ["UBND TỈNH TÂY NINH", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]
    owner, issuer = left[0].runs[0], left[1].runs[0]
    assert not owner.font.bold and owner.font.size == Pt(13)
    assert issuer.font.bold and issuer.font.size == Pt(13)
    assert [p.text for p in right if p.text] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    title, motto = right[0].runs[0], right[1].runs[0]
    assert title.font.bold and Pt(12) <= title.font.size <= Pt(13)
    assert motto.font.bold and Pt(13) <= motto.font.size <= Pt(14)
    # The rules: an empty paragraph with a top border under the issuing agency and under the motto.
    for cell_paragraphs in (left, right):
        rule = cell_paragraphs[-1]
        assert rule.text == ""
        border = rule._p.pPr.find(qn("w:pBdr")).find(qn("w:top"))
        assert border.get(qn("w:val")) == "single"
    # No borders on the header table.
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}


def test_it_writes_the_number_and_the_date_line_on_one_row(word):
    number_cell, date_cell = word.tables[0].rows[1].cells
    assert number_cell.text == "Số: 15/BC-SKHCN"
    assert number_cell.paragraphs[0].runs[0].font.size == Pt(13)
    date_run = date_cell.paragraphs[0].runs[0]
    assert date_cell.text == "Tây Ninh, ngày 05 tháng 01 năm 2027"
    assert date_run.font.italic and Pt(13) <= date_run.font.size <= Pt(14)
    assert date_cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


@pytest.mark.parametrize(
    "date, expected",
    [
        (datetime.date(2027, 1, 5), "Tây Ninh, ngày 05 tháng 01 năm 2027"),
        (datetime.date(2027, 2, 28), "Tây Ninh, ngày 28 tháng 02 năm 2027"),
        (datetime.date(2026, 3, 9), "Tây Ninh, ngày 09 tháng 3 năm 2026"),
        (datetime.date(2026, 12, 10), "Tây Ninh, ngày 10 tháng 12 năm 2026"),
    ],
)
def test_it_writes_leading_zeros_for_days_below_10_and_months_1_and_2(date, expected):
    assert format_place_date("Tây Ninh", date) == expected


def test_it_leaves_day_and_month_blank_for_the_signer_when_undated():
    word = docx.Document(io.BytesIO(render_docx(sample_document(date=None, annexes=0))))
    text = word.tables[0].rows[1].cells[1].text
    assert text.startswith("Tây Ninh, ngày ") and text.endswith(" năm 2027")
    day, month = text.removeprefix("Tây Ninh, ngày ").removesuffix(" năm 2027").split(" tháng ")
    assert day.strip("\u00a0 ") == "" and month.strip("\u00a0 ") == "" and len(day) >= 3


def test_it_writes_the_title_and_send_to(word):
    send_to = text_paragraph(word, "Kính gửi: Ủy ban nhân dân tỉnh Tây Ninh.")
    assert send_to.runs[0].font.size == Pt(14)
    kind = text_paragraph(word, "BÁO CÁO")
    summary = text_paragraph(word, "Tổng kết công tác năm 2026 và phương hướng, nhiệm vụ năm 2027")
    for p in (kind, summary):
        assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert p.runs[0].font.bold and p.runs[0].font.size == Pt(14)
    after = summary._p.getnext()
    assert after.pPr.find(qn("w:pBdr")) is not None  # the short rule under the summary


def test_it_writes_the_body_justified_with_a_first_line_indent(word):
    p = text_paragraph(word, BODY * 3)
    fmt = p.paragraph_format
    assert p.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert abs(fmt.first_line_indent - Cm(1.27)) < Mm(0.1)
    assert fmt.space_after >= Pt(6)
    assert 1.0 <= fmt.line_spacing <= 1.5
    assert all(effective(run, "size") == Pt(14) for run in p.runs)
    mixed = text_paragraph(word, "Sở đã thực hiện 167/167 nhiệm vụ trọng tâm UBND tỉnh giao, đạt 100%.")
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in mixed.runs] == [
        ("Sở đã thực hiện ", False, False), ("167/167", True, False),
        (" nhiệm vụ trọng tâm UBND tỉnh giao, ", False, False), ("đạt 100%", False, True), (".", False, False),
    ]


def test_it_writes_heading_levels(word):
    one = text_paragraph(word, "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2026")
    two = text_paragraph(word, "1. Công tác chỉ đạo, điều hành")
    three = text_paragraph(word, "a) Bưu chính, viễn thông")
    assert one.runs[0].bold and not one.runs[0].italic
    assert two.runs[0].bold and not two.runs[0].italic
    assert three.runs[0].italic and not three.runs[0].bold
    for p, level in ((one, "0"), (two, "1"), (three, "2")):
        assert p.runs[0].font.size == Pt(14)
        assert p.paragraph_format.keep_with_next
        assert p._p.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == level


def test_it_writes_tables_with_a_repeated_bold_header_and_figures_on_the_right(word):
    table = next(t for t in word.tables if t.rows[0].cells[0].text == "STT" and len(t.columns) == 6)
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    for cell in header.cells:
        assert cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(run.font.bold for run in cell.paragraphs[0].runs)
    assert [c.text for c in header.cells] == list(INDICATORS.columns)
    row = table.rows[3]  # "2", "Doanh thu viễn thông"
    assert row.cells[4].text == "1.762,38"
    for column in (3, 4, 5):
        assert row.cells[column].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert row.cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert Pt(12) <= row.cells[1].paragraphs[0].runs[0].font.size <= Pt(13)
    assert not row.cells[1].paragraphs[0].runs[0].font.bold
    assert table.rows[1].cells[1].paragraphs[0].runs[0].font.bold  # bold_rows={0}: the group row
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"single"}
    widths = [round(c.width / Mm(1)) for c in table.columns]
    assert widths == [14, 63, 22, 24, 24, 18]
    caption = table._tbl.getprevious()
    caption = docx.text.paragraph.Paragraph(caption, word.part)
    assert caption.text == "Đơn vị tính: tỷ đồng"
    assert caption.alignment == WD_ALIGN_PARAGRAPH.RIGHT and caption.runs[0].italic


def test_it_scales_down_columns_wider_than_the_page():
    doc = OfficialDocument(owner_agency="", issuing_agency="ỦY BAN NHÂN DÂN TỈNH TÂY NINH", number="1/QĐ-UBND",
                           place="Tây Ninh", date=None, year=2027, doc_type="QUYẾT ĐỊNH", summary="Về việc khen thưởng",
                           blocks=(Table(columns=tuple("ABCDEFGH"), rows=(tuple("12345678"),),
                                         widths_mm=(40,) * 8),))
    word = docx.Document(io.BytesIO(render_docx(doc)))
    table = word.tables[-1]
    assert sum(c.width for c in table.columns) <= Mm(165) + Mm(0.5)
    assert table.rows[1].cells[0].paragraphs[0].runs[0].font.size == Pt(12)  # eight columns: 12 pt
    # A top-level issuer: no owner line, the issuing agency bold.
    left = word.tables[0].rows[0].cells[0].paragraphs
    assert left[0].text == "ỦY BAN NHÂN DÂN TỈNH TÂY NINH" and left[0].runs[0].bold


def test_it_numbers_pages_in_the_top_margin_but_not_on_the_first_page(word):
    section = word.sections[0]
    assert section.different_first_page_header_footer
    header = section.header
    assert not header.is_linked_to_previous
    instructions = [el.text.strip() for el in header._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    assert header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert section.header_distance < section.top_margin
    first = section.first_page_header
    assert not list(first._element.iter(qn("w:instrText")))
    assert first._element.xpath("string(.)").strip() == ""


def test_it_writes_the_recipients_beside_the_signature(word):
    final = word.tables[-1 - 2]  # the annexes' tables come after it
    left, right = final.rows[0].cells
    label = left.paragraphs[0].runs[0]
    assert left.paragraphs[0].text == "Nơi nhận:"
    assert label.font.size == Pt(12) and label.font.bold and label.font.italic
    lines = left.paragraphs[1:]
    assert [p.text for p in lines] == ["- UBND tỉnh;", "- Bộ Khoa học và Công nghệ;", "- Giám đốc, các PGĐ Sở;",
                                       "- Lưu: VT, VP."]
    for p in lines:
        assert p.runs[0].font.size == Pt(11) and not p.runs[0].font.bold and not p.runs[0].font.italic
    texts = [p.text for p in right.paragraphs]
    assert texts[:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert texts[-1] == "Nguyễn Văn An"
    assert texts[2:-1] and all(t == "" for t in texts[2:-1])  # room for the signature and the seal
    for p in (right.paragraphs[0], right.paragraphs[1], right.paragraphs[-1]):
        assert p.runs[0].font.bold and p.runs[0].font.size == Pt(14)
        assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER
    borders = final._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}


def test_it_puts_each_annex_on_a_new_page_numbered_on_its_own(word):
    sections = word.sections
    assert len(sections) == 3
    for section in sections[1:]:
        assert section.start_type == docx.enum.section.WD_SECTION.NEW_PAGE
        assert section.different_first_page_header_footer
        assert section._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    for number in ("I", "II"):
        p = text_paragraph(word, f"Phụ lục {number}")
        assert p.runs[0].bold and p.runs[0].font.size == Pt(14) and p.alignment == WD_ALIGN_PARAGRAPH.CENTER
    title = text_paragraph(word, "DANH SÁCH THỨ 1")
    assert title.runs[0].bold
    subtitle = title._p.getnext()
    subtitle = docx.text.paragraph.Paragraph(subtitle, word.part)
    assert subtitle.text.startswith("(Kèm theo Báo cáo số 15/BC-SKHCN") and subtitle.runs[0].italic


def test_roman_numerals():
    assert [roman(n) for n in (1, 2, 3, 4, 5, 9, 10, 14, 40, 49, 90, 400, 1994, 3999)] == [
        "I", "II", "III", "IV", "V", "IX", "X", "XIV", "XL", "XLIX", "XC", "CD", "MCMXCIV", "MMMCMXCIX"]
    with pytest.raises(ValueError):
        roman(0)


# The order of children that WordprocessingML requires (ECMA-376 Part 1, §17): Word refuses a file whose
# pPr/rPr/tblPr/trPr/sectPr children are out of order, even where LibreOffice reads it.
ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
           "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
           "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
           "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
           "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl "
           "cs em lang eastAsianLayout specVanish oMath",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
             "tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription",
    "trPr": "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc hidden",
    "sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
              "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings",
}


def test_it_keeps_the_schema_order_word_requires():
    data = render_docx(sample_document())
    word = docx.Document(io.BytesIO(data))
    roots = [word.element, word.styles.element]
    for section in word.sections:
        roots += [section.header._element, section.first_page_header._element]
    checked = 0
    for root in roots:
        for parent_name, sequence in ORDER.items():
            rank = {name: i for i, name in enumerate(sequence.split())}
            for parent in root.iter(qn(f"w:{parent_name}")):
                names = [child.tag.split("}")[1] for child in parent]
                if parent_name == "sectPr":  # header/footer references may repeat, in any order among themselves
                    names = [n for n in names if not n.endswith("Reference")]
                unknown = [n for n in names if n not in rank]
                assert not unknown, (parent_name, unknown)
                positions = [rank[n] for n in names]
                assert positions == sorted(positions) and len(set(names)) == len(names), (parent_name, names)
                checked += 1
    assert checked > 100


def test_an_empty_document_still_renders():
    doc = OfficialDocument(owner_agency="UBND TỈNH TÂY NINH", issuing_agency="SỞ NỘI VỤ", number="…/BC-SNV",
                           place="Tây Ninh", date=None, doc_type="BÁO CÁO", summary="")
    word = docx.Document(io.BytesIO(render_docx(doc)))
    assert word.tables[0].rows[1].cells[0].text == "Số: …/BC-SNV"
    assert len(word.sections) == 1
    assert any(p.text == "BÁO CÁO" for p in word.paragraphs)


def test_headings_and_paragraph_flags():
    doc = OfficialDocument(owner_agency="", issuing_agency="SỞ NỘI VỤ", number="2/BC-SNV", place="Tây Ninh",
                           date=datetime.date(2027, 3, 1), doc_type="BÁO CÁO", summary="Thử",
                           blocks=(Paragraph("Chú thích.", italic=True), Paragraph("Kết luận.", bold=True),
                                   Heading("IV. KIẾN NGHỊ, ĐỀ XUẤT")),
                           signature=Signature(title="GIÁM ĐỐC", name="Trần Thị Bình"),
                           annexes=(Annex(title="a", blocks=()),))
    word = docx.Document(io.BytesIO(render_docx(doc)))
    italic = text_paragraph(word, "Chú thích.").runs[0]
    bold = text_paragraph(word, "Kết luận.").runs[0]
    assert italic.italic and not italic.bold and bold.bold and not bold.italic
    final = word.tables[-1]
    texts = [p.text for p in final.rows[0].cells[1].paragraphs]
    assert texts[0] == "GIÁM ĐỐC" and texts[-1] == "Trần Thị Bình"  # no authority line when the head signs
    assert word.tables[0].rows[1].cells[1].text == "Tây Ninh, ngày 01 tháng 3 năm 2027"


def test_several_recipients_stand_in_a_list_after_kinh_gui_and_a_heading_may_be_centred():
    doc = OfficialDocument(owner_agency="", issuing_agency="ỦY BAN NHÂN DÂN\nTỈNH TÂY NINH", number="…/QĐ-UBND",
                           place="Tây Ninh", date=None, year=2027, doc_type="QUYẾT ĐỊNH", summary="Về việc khen thưởng",
                           send_to=("- Ủy ban nhân dân tỉnh;", "- Bộ Khoa học và Công nghệ."),
                           blocks=(Heading("QUYẾT ĐỊNH:", centred=True), Heading("Điều 1. Tặng Bằng khen", 2)))
    word = docx.Document(io.BytesIO(render_docx(doc)))
    first = text_paragraph(word, "Kính gửi:\t- Ủy ban nhân dân tỉnh;")
    second = text_paragraph(word, "- Bộ Khoa học và Công nghệ.")
    assert first.paragraph_format.left_indent == second.paragraph_format.left_indent
    assert first.paragraph_format.first_line_indent < 0  # "Kính gửi:" hangs out to the left of the list
    centred = text_paragraph(word, "QUYẾT ĐỊNH:")
    assert centred.alignment == WD_ALIGN_PARAGRAPH.CENTER and not centred.paragraph_format.first_line_indent
    assert text_paragraph(word, "Điều 1. Tặng Bằng khen").alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    # The agency's own line break is kept (a <w:br/>), not flattened.
    assert word.tables[0].rows[0].cells[0].paragraphs[0].text == "ỦY BAN NHÂN DÂN\nTỈNH TÂY NINH"
