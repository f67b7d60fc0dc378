"""Document numbers and symbols by Decree 30/2020/NĐ-CP ("123/QĐ-UBND", "06/2024/QĐ-UBND", "125/UBND-KT").

A number is the order number in the year (restarting on 1 January, below 10 written with a leading 0),
then "/", then — for legal normative documents — the year and "/", then the type abbreviation, "-" and the
issuer's abbreviation. A công văn has no type abbreviation: the issuer comes first ("125/UBND-KT", where
"KT" is the drafting unit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dieuhanh.lib.vnformat import fold

# Type abbreviations of Appendix III of Decree 30 (and copies), with the Vietnamese names officials use.
DOCUMENT_TYPES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "BGN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển",
    "PB": "Phiếu báo",
    "SY": "Bản sao y",
    "TrS": "Bản trích sao",
    "SL": "Bản sao lục",
}
OFFICIAL_LETTER = "Công văn"

# Issuer and drafting-unit abbreviations: Vietnamese capital letters, digits and "&" ("UBND", "SKHCN", "VP").
_ABBR = r"[A-ZĐ][A-Za-zĐđ0-9&]*"
_NUMBER = re.compile(
    rf"^(?P<order>\d+)/(?:(?P<year>\d{{4}})/)?(?P<type>{_ABBR})-(?P<issuer>{_ABBR}(?:-{_ABBR})*)$"
)


class DocumentNumberError(ValueError):
    """The number does not follow Decree 30; the message is shown to users as is."""


@dataclass(frozen=True)
class DocumentNumber:
    order: int
    year: int | None
    type_code: str  # "" for a công văn
    issuer: str  # issuer abbreviation, with the drafting unit for a công văn ("UBND-KT")

    @property
    def type_name(self) -> str:
        return DOCUMENT_TYPES.get(self.type_code, OFFICIAL_LETTER)

    @property
    def is_normative(self) -> bool:
        return self.year is not None


def parse_document_number(text: str) -> DocumentNumber:
    """Read "123/QĐ-UBND" and friends; raise DocumentNumberError saying what is wrong.

    Without a type abbreviation the number is read as a công văn when its first part looks like an issuer
    ("UBND", "SKHCN"): four or more capital letters. "QD-UBND" is refused, with a hint to write "QĐ".
    """
    raw = " ".join((text or "").split()).removeprefix("Số:").removeprefix("Số").strip().replace(" ", "")
    if not raw:
        raise DocumentNumberError(_("The document number is empty."))
    match = _NUMBER.match(raw)
    if not match:
        raise DocumentNumberError(
            _("'%(number)s' is not a document number: expected e.g. 123/QĐ-UBND, 06/2024/QĐ-UBND or 125/UBND-KT.")
            % {"number": text}
        )
    order = int(match["order"])
    if order < 1:
        raise DocumentNumberError(_("'%(number)s': the order number starts at 01.") % {"number": text})
    if len(match["order"]) < 2:
        raise DocumentNumberError(
            _("'%(number)s': order numbers below 10 are written with a leading zero (%(fixed)s).")
            % {"number": text, "fixed": f"{order:02d}"}
        )
    year = int(match["year"]) if match["year"] else None
    head, issuer = match["type"], match["issuer"]
    if head in DOCUMENT_TYPES:
        return DocumentNumber(order=order, year=year, type_code=head, issuer=issuer)
    if year is None and head.isupper() and len(head) >= 4 and "-" not in issuer:
        # A công văn: the issuer's abbreviation ("UBND", "SKHCN"), then the drafting unit. Type
        # abbreviations are two or three letters, so a longer head cannot be a mistyped type.
        return DocumentNumber(order=order, year=None, type_code="", issuer=f"{head}-{issuer}")
    message = _("'%(number)s': '%(type)s' is not a document type of Decree 30. Valid types: %(valid)s.") % {
        "number": text,
        "type": head,
        "valid": ", ".join(DOCUMENT_TYPES),
    }
    lookalike = next((code for code in DOCUMENT_TYPES if fold(code) == fold(head)), None)
    if lookalike:
        message += " " + _("Did you mean %(code)s?") % {"code": lookalike}
    raise DocumentNumberError(message)


def normalise_document_number(text: str) -> str:
    """The number as it is stored and shown: no "Số:", no spaces."""
    parsed = parse_document_number(text)
    order = f"{parsed.order:02d}"
    if parsed.type_code == "":
        return f"{order}/{parsed.issuer}"
    year = f"{parsed.year}/" if parsed.year else ""
    return f"{order}/{year}{parsed.type_code}-{parsed.issuer}"
