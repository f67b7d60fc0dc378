"""An official document (văn bản hành chính) as plain data, laid out by Decree 30/2020/NĐ-CP Appendix I when
written to DOCX.

Reports and commendation decisions build one of these from the product's data; `render_docx` (in
`dieuhanh.lib.officialdoc_docx`) writes it, and `dieuhanh.lib.pdf` turns the DOCX into PDF with LibreOffice.
Keeping the content apart from the layout lets the same section be tested as data (its sentences and figures)
and as a Word file (its fonts and margins).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    """"I. KẾT QUẢ …" (level 1, capitals, bold), "1. Chỉ đạo, điều hành" (level 2, bold), "a) …" (level 3,
    italic). `text` carries its own numbering: the outline numbers it, not the writer."""

    text: str
    level: int = 1
    centred: bool = False  # a decision's "QUYẾT ĐỊNH:" and its issuer line stand centred, without the indent


@dataclass(frozen=True)
class Paragraph:
    """Body text: justified, first-line indent. `runs` lets part of a sentence be bold or italic; when empty,
    `text` is the whole paragraph."""

    text: str = ""
    italic: bool = False
    bold: bool = False
    runs: tuple[Run, ...] = ()


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Table:
    """A table with a header row. `numeric` marks the columns aligned right (figures); `widths_mm` the columns'
    widths (None: even). `bold_rows` are row indexes (in `rows`) written bold (group rows, totals)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()
    widths_mm: tuple[float, ...] | None = None
    bold_rows: frozenset[int] = frozenset()
    caption: str = ""  # "Đơn vị tính: tỷ đồng", written right-aligned italic above the table


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Table | PageBreak


@dataclass(frozen=True)
class Signature:
    """Ô 7: "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC" / name. `authority` is the prefixed line ("KT. GIÁM ĐỐC", "TM. ỦY BAN
    NHÂN DÂN", or "" when the head signs), `title` the signer's own title, `name` without academic titles."""

    title: str
    name: str
    authority: str = ""


@dataclass(frozen=True)
class OfficialDocument:
    owner_agency: str  # "UBND TỈNH TÂY NINH" (ô 2, upper line, not bold); "" for a top-level issuer
    issuing_agency: str  # "SỞ KHOA HỌC VÀ CÔNG NGHỆ" (ô 2, bold, with a rule)
    number: str  # "15/BC-SKHCN" or "…/BC-SKHCN" while unnumbered; written "Số: " + number
    place: str  # "Tây Ninh"
    date: datetime.date | None  # None: "ngày … tháng … năm 2027" left for the signer
    doc_type: str  # "BÁO CÁO", "QUYẾT ĐỊNH" (ô 5a)
    summary: str  # "Tổng kết công tác năm 2026 và phương hướng, nhiệm vụ năm 2027"
    blocks: tuple[Block, ...] = ()
    signature: Signature | None = None
    send_to: tuple[str, ...] = ()  # ô 9a "Kính gửi:" lines, for a report sent upward
    received_by: tuple[str, ...] = ()  # ô 9b "Nơi nhận:" lines, "- Lưu: VT, …" last
    year: int | None = None  # the year printed when `date` is None
    annexes: tuple[Annex, ...] = field(default=())


@dataclass(frozen=True)
class Annex:
    """"Phụ lục I" + title in capitals, on a new page, numbered on its own."""

    title: str
    blocks: tuple[Block, ...]
    subtitle: str = ""  # "(Kèm theo Quyết định số …/QĐ-UBND ngày … của …)", italic
