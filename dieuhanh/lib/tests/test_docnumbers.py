"""Document numbers and symbols by Decree 30/2020/NĐ-CP."""

import pytest
from django.utils import translation

from dieuhanh.lib.docnumbers import (
    DOCUMENT_TYPES,
    DocumentNumberError,
    normalise_document_number,
    parse_document_number,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("text", "order", "year", "type_code", "issuer", "type_name"),
    [
        ("123/QĐ-UBND", 123, None, "QĐ", "UBND", "Quyết định"),
        ("06/2024/QĐ-UBND", 6, 2024, "QĐ", "UBND", "Quyết định"),
        ("125/UBND-KT", 125, None, "", "UBND-KT", "Công văn"),
        ("01/KH-UBND", 1, None, "KH", "UBND", "Kế hoạch"),
        ("15/CTr-SKHCN", 15, None, "CTr", "SKHCN", "Chương trình"),
        ("07/QyĐ-UBND", 7, None, "QyĐ", "UBND", "Quy định"),
        ("320/TTr-STC", 320, None, "TTr", "STC", "Tờ trình"),
    ],
)
def test_it_reads_valid_numbers(text, order, year, type_code, issuer, type_name):
    parsed = parse_document_number(text)
    assert (parsed.order, parsed.year, parsed.type_code, parsed.issuer) == (order, year, type_code, issuer)
    assert parsed.type_name == type_name
    assert parsed.is_normative == (year is not None)


def test_it_normalises_what_officials_type():
    assert normalise_document_number("Số: 123/QĐ-UBND") == "123/QĐ-UBND"
    assert normalise_document_number(" 06 / 2024 / QĐ-UBND ") == "06/2024/QĐ-UBND"
    assert normalise_document_number("125/UBND-KT") == "125/UBND-KT"


def test_an_unknown_type_is_refused_with_the_valid_ones():
    with pytest.raises(DocumentNumberError) as caught:
        parse_document_number("12/XYZ-UBND")
    message = str(caught.value)
    assert "'XYZ' is not a document type of Decree 30" in message
    for code in ("NQ", "QĐ", "CT", "KH", "TTr", "CTr", "BC"):
        assert code in message
    assert message.count(", ") == len(DOCUMENT_TYPES) - 1


def test_qd_without_the_vietnamese_d_gets_a_hint():
    with pytest.raises(DocumentNumberError, match="Did you mean QĐ"):
        parse_document_number("123/QD-UBND")


def test_order_numbers_below_ten_need_a_leading_zero():
    with pytest.raises(DocumentNumberError, match=r"leading zero \(01\)"):
        parse_document_number("1/QĐ-UBND")
    with pytest.raises(DocumentNumberError, match=r"leading zero \(06\)"):
        parse_document_number("6/2024/QĐ-UBND")
    assert parse_document_number("01/QĐ-UBND").order == 1


@pytest.mark.parametrize("text", ["", "   ", "QĐ-UBND", "123/QĐ", "123-QĐ-UBND", "abc/QĐ-UBND", "00/QĐ-UBND"])
def test_it_refuses_what_is_not_a_number(text):
    with pytest.raises(DocumentNumberError):
        parse_document_number(text)
