"""Write an OfficialDocument (dieuhanh.lib.officialdoc) as DOCX in the layout of Decree 30/2020/NĐ-CP, Phụ lục I.

A4 portrait, margins 20/20/30/15 mm, Times New Roman everywhere, the issuer block and the national block side by
side in a borderless table with the number and the place-and-date line on one row, the document type and summary,
the body (14 pt, justified, first-line indent 1.27 cm), the "Nơi nhận:" list beside the signature, and the annexes
each in a section of its own so that their pages are numbered on their own. Page numbers sit centred in the top
margin and are left off each first page (Word's "different first page").

Rules (the short lines under the issuing agency, the motto and the summary) are the top border of an empty, very
low paragraph indented to the rule's length: paragraph borders render the same in Word and LibreOffice, where drawn
shapes shift with the fonts and the anchoring.
"""

from __future__ import annotations

import datetime
import io

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt

from dieuhanh.lib.officialdoc import (
    Annex,
    Block,
    Heading,
    OfficialDocument,
    PageBreak,
    Paragraph,
    Run,
    Signature,
    Table,
)
from dieuhanh.lib.vnformat import roman

FONT = "Times New Roman"
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
TEXT_WIDTH = Emu(PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)  # 165 mm
BODY_SIZE = Pt(14)
FIRST_LINE_INDENT = Cm(1.27)
LINE_SPACING = 1.15  # "multiple": between single and 1.5 lines, as the decree allows
# Issuer block | national block. The header reaches 5 mm into the left margin, as in the decree's own samples, so
# that "SỞ KHOA HỌC VÀ CÔNG NGHỆ" holds on one line beside a national title that needs about 88 mm.
HEADER_OVERHANG = Mm(5)
HEADER_LEFT = Mm(76)
HEADER_RIGHT = Emu(TEXT_WIDTH + HEADER_OVERHANG - HEADER_LEFT)  # 94 mm
FINAL_LEFT, FINAL_RIGHT = Mm(80), Emu(TEXT_WIDTH - Mm(80))  # "Nơi nhận:" | signature
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
# The motto's printed width in Times New Roman bold 13 pt (measured in LibreOffice with the metric-compatible
# Liberation Serif): its rule is "as long as the line".
MOTTO_WIDTH_13PT = Mm(58)
CELL_PADDING = Mm(1)
SEND_TO_LABEL, SEND_TO_LIST = Mm(25), Mm(50)  # "Kính gửi:" and the recipients, from the margin
ZERO = Pt(0)
RULE_GAP = Pt(3)  # between a line of text and the rule under it
SIGNATURE_GAP_LINES = 4  # empty lines left for the hand signature and the seal

# Element order inside w:pPr, w:rPr and w:tblPr (Word refuses a file whose children are out of order); each list is
# what may follow the element being inserted.
_PPR_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)
_PPR_AFTER_OUTLINE = ("w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_PPR_AFTER_RPR = ("w:sectPr", "w:pPrChange")
_RPR_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
_RPR_AFTER_SZCS = (
    "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em",
    "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)
_TBLPR_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
_SECTPR_AFTER_PGNUM = (
    "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter",
    "w:docGrid", "w:printerSettings", "w:sectPrChange",
)


def render_docx(doc: OfficialDocument) -> bytes:
    """The document as the bytes of a .docx file."""
    document = Document()
    _setup_styles(document)
    _setup_section(document.sections[0], restart_numbering=False)
    # The template starts with one empty paragraph; the header table goes before it and it is removed at the end.
    body = document.element.body
    for element in list(body):
        if element.tag == qn("w:p"):
            body.remove(element)

    _write_header_block(document, doc)
    if doc.send_to:
        _write_send_to(document, doc.send_to)
    _write_title(document, doc)
    _write_blocks(document, doc.blocks)
    if doc.signature is not None or doc.received_by:
        _write_final_block(document, doc.signature, doc.received_by)
    for index, annex in enumerate(doc.annexes, start=1):
        _write_annex(document, annex, index)

    # The file's properties, shown by Word and carried into the PDF, instead of the template's "python-docx".
    properties = document.core_properties
    properties.author = properties.last_modified_by = doc.issuing_agency
    properties.title = " ".join(part for part in (doc.doc_type, doc.summary) if part)
    properties.language = "vi-VN"
    properties.created = properties.modified = datetime.datetime.now(datetime.UTC).replace(microsecond=0, tzinfo=None)
    properties.revision = 1
    properties.comments = properties.subject = properties.keywords = ""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def format_place_date(place: str, date: datetime.date | None, year: int | None = None) -> str:
    """ "Tây Ninh, ngày 05 tháng 01 năm 2027": a leading zero for days below 10 and for the months 1 and 2 (Decree 30,
    ô 4). Without a date the day and month are left blank for the signer."""
    if date is None:
        blank = "\u00a0" * 5
        return f"{place}, ngày {blank} tháng {blank} năm {year if year is not None else blank}"
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return f"{place}, ngày {date.day:02d} tháng {month} năm {date.year}"


# Styles and page ----------------------------------------------------------------------------------------------


def _set_fonts(rpr) -> None:
    """Times New Roman for every script, with the theme's font references removed (they would win over the names)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _setup_styles(document) -> None:
    styles_element = document.styles.element
    defaults = styles_element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None and rpr_default.find(qn("w:rPr")) is not None:
            _set_fonts(rpr_default.find(qn("w:rPr")))
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    rpr = normal.element.get_or_add_rPr()
    _set_fonts(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.insert_element_before(lang, *_RPR_AFTER_LANG)
    lang.set(qn("w:val"), "vi-VN")
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    for name in ("Header", "Footer", "Table Grid"):
        try:
            style = document.styles[name]
        except KeyError:
            continue
        style.font.name = FONT
        _set_fonts(style.element.get_or_add_rPr())


def _setup_section(section, *, restart_numbering: bool) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    section.gutter = Mm(0)
    section.different_first_page_header_footer = True
    if restart_numbering:
        sect_pr = section._sectPr
        pg_num = sect_pr.find(qn("w:pgNumType"))
        if pg_num is None:
            pg_num = OxmlElement("w:pgNumType")
            sect_pr.insert_element_before(pg_num, *_SECTPR_AFTER_PGNUM)
        pg_num.set(qn("w:start"), "1")
        return
    # The page number, centred in the top margin; the first page's header stays empty.
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_page_field(paragraph)
    section.first_page_header.is_linked_to_previous = False
    first = section.first_page_header.paragraphs[0]
    first.text = ""


def _add_page_field(paragraph) -> None:
    """A PAGE field as Word writes it (begin, instruction, separate, cached result, end)."""

    def field_run(child):
        run = paragraph.add_run()
        _format_run(run, size=Pt(13))
        run._r.append(child)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    field_run(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    field_run(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    field_run(separate)
    result = paragraph.add_run("2")
    _format_run(result, size=Pt(13))
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    field_run(end)


# Runs and paragraphs --------------------------------------------------------------------------------------------


def _format_run(run, *, size=BODY_SIZE, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    _set_fonts(run._r.get_or_add_rPr())
    run.font.size = size
    szcs = run._r.rPr.find(qn("w:szCs"))
    if szcs is None:
        szcs = OxmlElement("w:szCs")
        run._r.rPr.insert_element_before(szcs, *_RPR_AFTER_SZCS)
    szcs.set(qn("w:val"), str(int(size.pt * 2)))
    run.font.bold = bold
    run.font.italic = italic


def _add_text(container, text: str, *, size=BODY_SIZE, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.CENTER,
              space_before=ZERO, space_after=ZERO, paragraph=None):
    p = paragraph if paragraph is not None else container.add_paragraph()
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = space_before, space_after
    fmt.first_line_indent = Emu(0)
    if text:
        _format_run(p.add_run(text), size=size, bold=bold, italic=italic)
    else:
        _mark_size(p, size)
    return p


def _mark_size(paragraph, size) -> None:
    """The size of the paragraph mark: it sets an empty paragraph's height."""
    ppr = paragraph._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.insert_element_before(rpr, *_PPR_AFTER_RPR)
    fonts = OxmlElement("w:rFonts")
    rpr.append(fonts)
    _set_fonts(rpr)
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(max(2, int(size.pt * 2))))
    rpr.append(sz)


def _add_rule(container, width, available, *, space_before=RULE_GAP) -> None:
    """A short solid rule of `width`, centred in `available`, as the top border of an empty low paragraph."""
    p = container.add_paragraph()
    side = max(Emu(0), Emu(int((available - width) / 2)))
    fmt = p.paragraph_format
    fmt.left_indent = fmt.right_indent = side
    fmt.first_line_indent = Emu(0)
    fmt.space_before, fmt.space_after = space_before, Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(2)
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    top.set(qn("w:val"), "single")
    top.set(qn("w:sz"), "6")  # eighths of a point: 0.75 pt
    top.set(qn("w:space"), "1")
    top.set(qn("w:color"), "000000")
    borders.append(top)
    ppr.insert_element_before(borders, *_PPR_AFTER_PBDR)
    _mark_size(p, Pt(1))


def _estimated_width(text: str, size) -> Emu:
    """Rough printed width of a line of capitals in Times New Roman bold (about 0.68 em a letter, 0.25 a space)."""
    ems = sum(0.25 if c == " " else 0.68 for c in text)
    return Emu(int(ems * size))


def _body_format(p, *, indent: bool = True) -> None:
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt = p.paragraph_format
    fmt.first_line_indent = FIRST_LINE_INDENT if indent else Emu(0)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    fmt.line_spacing = LINE_SPACING
    fmt.widow_control = True


def _set_outline_level(p, level: int) -> None:
    """Word's navigation pane lists the headings without their taking Word's blue heading styles."""
    ppr = p._p.get_or_add_pPr()
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level - 1))
    ppr.insert_element_before(outline, *_PPR_AFTER_OUTLINE)


# Tables -------------------------------------------------------------------------------------------------------


def _set_borders(table, visible: bool) -> None:
    tbl_pr = table._tbl.tblPr
    old = tbl_pr.find(qn("w:tblBorders"))
    if old is not None:
        tbl_pr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        if visible:
            edge.set(qn("w:val"), "single")
            edge.set(qn("w:sz"), "4")
            edge.set(qn("w:space"), "0")
            edge.set(qn("w:color"), "000000")
        else:
            edge.set(qn("w:val"), "nil")
        borders.append(edge)
    tbl_pr.insert_element_before(borders, *_TBLPR_AFTER_BORDERS)


def _set_cell_margins(table, side) -> None:
    """Left and right padding of every cell (Word's default 1.9 mm wraps "STT" in a 12 mm column)."""
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(int(side.twips)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")


def _new_table(document, rows: int, widths, *, borders: bool, indent=None):
    """A table of fixed column widths, centred, or starting `indent` from the left margin (negative: into it)."""
    table = document.add_table(rows=rows, cols=len(widths))
    table.autofit = False
    _set_borders(table, borders)
    if indent is None:
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
    else:
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        tbl_ind = OxmlElement("w:tblInd")
        tbl_ind.set(qn("w:w"), str(int(Emu(indent).twips)))
        tbl_ind.set(qn("w:type"), "dxa")
        table._tbl.tblPr.insert_element_before(tbl_ind, "w:tblBorders", *_TBLPR_AFTER_BORDERS)
    _set_cell_margins(table, CELL_PADDING)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    return table


def _cell_paragraph(cell, index: int = 0):
    """The cell's first paragraph (a new cell has one), then new ones."""
    if index == 0:
        return cell.paragraphs[0]
    return cell.add_paragraph()


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)


def _write_table(document, table: Table) -> None:
    count = len(table.columns)
    if table.widths_mm:
        total = sum(table.widths_mm)
        scale = min(1.0, TEXT_WIDTH.mm / total) if total else 1.0
        widths = [Mm(w * scale) for w in table.widths_mm]
    else:
        widths = [Emu(int(TEXT_WIDTH / count))] * count
    size = Pt(12) if count >= 7 else Pt(13)
    if table.caption:
        _add_text(document, table.caption, size=size, italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT,
                  space_after=Pt(3))
    grid = _new_table(document, 1 + len(table.rows), widths, borders=True)
    header = grid.rows[0]
    _repeat_header(header)
    for cell, text in zip(header.cells, table.columns, strict=True):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _add_text(cell, text, size=size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=Pt(2),
                  space_after=Pt(2), paragraph=cell.paragraphs[0])
    for index, (row, values) in enumerate(zip(grid.rows[1:], table.rows, strict=True)):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        bold = index in table.bold_rows
        for column, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            if column in table.numeric:
                align = WD_ALIGN_PARAGRAPH.RIGHT
            elif table.columns[column].strip().upper() == "STT":
                align = WD_ALIGN_PARAGRAPH.CENTER
            else:
                align = WD_ALIGN_PARAGRAPH.LEFT
            _add_text(cell, text, size=size, bold=bold, align=align, space_before=Pt(2), space_after=Pt(2),
                      paragraph=cell.paragraphs[0])
    # A little air after the table before the next paragraph.
    _add_text(document, "", size=Pt(6))


# Blocks -------------------------------------------------------------------------------------------------------


def _write_header_block(document, doc: OfficialDocument) -> None:
    table = _new_table(document, 2, [HEADER_LEFT, HEADER_RIGHT], borders=False, indent=-HEADER_OVERHANG)
    top, bottom = table.rows
    left, right = top.cells
    for cell in (*top.cells, *bottom.cells):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP

    agency_size = Pt(13)
    first = True
    if doc.owner_agency:
        _add_text(left, doc.owner_agency, size=agency_size, paragraph=_cell_paragraph(left, 0))
        first = False
    _add_text(left, doc.issuing_agency, size=agency_size, bold=True,
              paragraph=_cell_paragraph(left, 0 if first else 1))
    cell_width = Emu(HEADER_LEFT - 2 * CELL_PADDING)
    agency_line = max(doc.issuing_agency.split("\n"), key=len) if doc.issuing_agency else ""
    rule = min(cell_width * 0.5, max(Mm(15), Emu(int(_estimated_width(agency_line, agency_size) * 0.4))))
    _add_rule(left, Emu(int(rule)), cell_width)

    _add_text(right, NATIONAL_TITLE, size=Pt(12), bold=True, paragraph=_cell_paragraph(right, 0))
    _add_text(right, MOTTO, size=Pt(13), bold=True, paragraph=_cell_paragraph(right, 1))
    _add_rule(right, MOTTO_WIDTH_13PT, Emu(HEADER_RIGHT - 2 * CELL_PADDING))

    number_cell, date_cell = bottom.cells
    _add_text(number_cell, f"Số: {doc.number}", size=Pt(13), space_before=Pt(6), paragraph=number_cell.paragraphs[0])
    _add_text(date_cell, format_place_date(doc.place, doc.date, doc.year), size=Pt(14), italic=True,
              space_before=Pt(6), paragraph=date_cell.paragraphs[0])


def _write_send_to(document, lines: tuple[str, ...]) -> None:
    """ô 9a: one recipient on the line of "Kính gửi:", centred; several as a list aligned after "Kính gửi: "."""
    if len(lines) == 1:
        _add_text(document, f"Kính gửi: {lines[0]}", space_before=Pt(12))
        return
    for index, line in enumerate(lines):
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        p.paragraph_format.space_before = Pt(12) if index == 0 else ZERO
        p.paragraph_format.left_indent = SEND_TO_LIST
        if index == 0:
            # "Kính gửi:" hangs out to the left; the tab takes the first recipient to the list's edge.
            p.paragraph_format.first_line_indent = Emu(SEND_TO_LABEL - SEND_TO_LIST)
            p.paragraph_format.tab_stops.add_tab_stop(SEND_TO_LIST)
            _format_run(p.add_run("Kính gửi:\t"))
        _format_run(p.add_run(line))


def _write_title(document, doc: OfficialDocument) -> None:
    _add_text(document, doc.doc_type, bold=True, space_before=Pt(18))
    if doc.summary:
        _add_text(document, doc.summary, bold=True)
        # About 0.47 em a letter in bold normal case; the rule a little over a third of the (longest) line.
        line = max(doc.summary.split("\n"), key=len)
        printed = min(TEXT_WIDTH, int(len(line) * 0.47 * BODY_SIZE))
        width = Emu(max(Mm(25), int(printed * 0.4)))
        _add_rule(document, width, TEXT_WIDTH)
    _add_text(document, "", space_after=Pt(6))


def _write_paragraph(document, block: Paragraph) -> None:
    p = document.add_paragraph()
    _body_format(p)
    runs = block.runs or (Run(block.text),)
    for run in runs:
        _format_run(p.add_run(run.text), bold=run.bold or block.bold, italic=run.italic or block.italic)



def _write_heading(document, block: Heading) -> None:
    p = document.add_paragraph()
    _body_format(p)
    p.paragraph_format.keep_with_next = True
    level = min(max(block.level, 1), 3)
    if level == 1:
        p.paragraph_format.space_before = Pt(6)
    if block.centred:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = Emu(0)
    _set_outline_level(p, level)
    _format_run(p.add_run(block.text), bold=level in (1, 2), italic=level == 3)


def _write_blocks(document, blocks: tuple[Block, ...]) -> None:
    for block in blocks:
        if isinstance(block, Heading):
            _write_heading(document, block)
        elif isinstance(block, Paragraph):
            _write_paragraph(document, block)
        elif isinstance(block, Table):
            _write_table(document, block)
        elif isinstance(block, PageBreak):
            p = document.add_paragraph()
            p.paragraph_format.page_break_before = True
            _mark_size(p, Pt(2))
        else:  # pragma: no cover - the content model has no other block
            raise TypeError(f"unknown block {block!r}")


def _write_final_block(document, signature: Signature | None, received_by: tuple[str, ...]) -> None:
    table = _new_table(document, 1, [FINAL_LEFT, FINAL_RIGHT], borders=False)
    row = table.rows[0]
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    left, right = row.cells
    left.vertical_alignment = right.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    if received_by:
        _add_text(left, "Nơi nhận:", size=Pt(12), bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT,
                  space_before=Pt(12), paragraph=left.paragraphs[0])
        for line in received_by:
            _add_text(left, line, size=Pt(11), align=WD_ALIGN_PARAGRAPH.LEFT)
    if signature is not None:
        index = 0
        for line in (signature.authority, signature.title):
            if line:
                _add_text(right, line.upper(), bold=True, space_before=Pt(12) if index == 0 else Pt(0),
                          paragraph=_cell_paragraph(right, index))
                index += 1
        for _ in range(SIGNATURE_GAP_LINES):
            _add_text(right, "", paragraph=_cell_paragraph(right, index))
            index += 1
        _add_text(right, signature.name, bold=True, paragraph=_cell_paragraph(right, index))


def _write_annex(document, annex: Annex, number: int) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _setup_section(section, restart_numbering=True)
    _add_text(document, f"Phụ lục {roman(number)}", bold=True)
    _add_text(document, annex.title.upper(), bold=True)
    if annex.subtitle:
        _add_text(document, annex.subtitle, italic=True)
    _add_text(document, "", space_after=Pt(6))
    _write_blocks(document, annex.blocks)
