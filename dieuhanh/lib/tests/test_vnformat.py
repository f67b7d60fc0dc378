from decimal import Decimal

import pytest
from django.utils import translation

from dieuhanh.lib.vnformat import NumberFormatError, fold, format_number, parse_number


@pytest.mark.parametrize(
    "text,expected",
    [
        ("1.762,38", "1762.38"), ("1762.38", "1762.38"), ("1,762.38", "1762.38"), ("1 762,38", "1762.38"),
        ("1\u00a0762,38", "1762.38"), ("-5", "-5"), ("−5", "-5"), ("+5", "5"), ("12%", "12"), ("12,5 %", "12.5"),
        ("0,125", "0.125"), ("0.125", "0.125"), ("1234.567", "1234.567"), ("1.762.381", "1762381"),
        ("1,762,381", "1762381"), ("1.762.381,5", "1762381.5"), ("3,5", "3.5"), ("  42 ", "42"), ("007", "7"),
    ],
)
def test_it_parses_numbers_typed_either_way(text, expected):
    assert parse_number(text) == Decimal(expected)


def test_it_passes_numbers_from_spreadsheets_through():
    assert parse_number(1762) == Decimal(1762)
    assert parse_number(1762.38) == Decimal("1762.38")
    assert parse_number(Decimal("1.5")) == Decimal("1.5")
    for blank in (None, "", "   "):
        assert parse_number(blank) is None


def test_it_rejects_an_ambiguous_thousands_group_for_decimals():
    with translation.override("vi"), pytest.raises(NumberFormatError) as err:
        parse_number("1.762")
    message = str(err.value)
    assert message.startswith("'1.762' không rõ nghĩa")
    assert "1762" in message and "1,762" in message and "thập phân" in message
    with pytest.raises(NumberFormatError):
        parse_number("1,762")


def test_it_reads_a_thousands_group_for_whole_numbers():
    assert parse_number("1.762", integer=True) == Decimal(1762)
    assert parse_number("2.060", integer=True) == Decimal(2060)
    assert parse_number("2.060.000", integer=True) == Decimal(2060000)
    assert parse_number("1,762,381", integer=True) == Decimal(1762381)  # two commas: no decimal reading exists


@pytest.mark.parametrize("text,dotted,plain", [("1,234", "1.234", "1234"), ("-12,345", "-12.345", "-12345"),
                                               ("999,000", "999.000", "999000")])
def test_it_refuses_a_decimal_comma_in_a_whole_number_cell_saying_how_to_write_it(text, dotted, plain):
    # A Vietnamese reader sees "1,234" as 1 point 234: taking it as 1234 would store a thousand times that.
    with translation.override("vi"), pytest.raises(NumberFormatError) as err:
        parse_number(text, integer=True)
    assert str(err.value) == (f"'{text}' có dấu phẩy thập phân, nhưng ô này chỉ nhận số nguyên: "
                              f"hãy ghi {dotted} hoặc {plain}")
    with pytest.raises(NumberFormatError):
        parse_number(_Typed(text), integer=True)  # the general rules say the same as the fast path


@pytest.mark.parametrize("value", ["1,5", "0.5", 1.5])
def test_it_rejects_fractions_for_whole_numbers(value):
    with translation.override("vi"), pytest.raises(NumberFormatError, match="không phải là số nguyên"):
        parse_number(value, integer=True)


@pytest.mark.parametrize(
    "text", ["abc", "12a", "1.2.3", "1,76,2", "1.762,38,5", "1..5", ".5", "5.", "-", "%", "1e5", "1,762.38.1",
             True, float("nan"), Decimal("Infinity")],
)
def test_it_rejects_garbage_with_a_message(text):
    with translation.override("vi"), pytest.raises(NumberFormatError) as err:
        parse_number(text)
    assert "không" in str(err.value)
    assert str(text).strip() in str(err.value)


def test_it_names_the_typed_value_in_the_message():
    with translation.override("vi"), pytest.raises(NumberFormatError) as err:
        parse_number(" abc ")
    assert str(err.value) == "'abc' không phải là số"


@pytest.mark.parametrize(
    "value,decimals,kwargs,expected",
    [
        (Decimal("1762.38"), 2, {}, "1.762,38"), (1762.38, 2, {}, "1.762,38"), (2060, 0, {}, "2.060"),
        (Decimal("2060000"), 0, {}, "2.060.000"), (Decimal("-1234.5"), 2, {}, "-1.234,50"),
        (Decimal("0.5"), 0, {}, "1"), (Decimal("2.5"), 0, {}, "3"), (1762.385, 2, {}, "1.762,39"),
        (Decimal("-0.001"), 2, {}, "0,00"), (Decimal("12.50"), 2, {"trim": True}, "12,5"),
        (Decimal("12.00"), 2, {"trim": True}, "12"), (Decimal("98.6"), 1, {}, "98,6"), (0, 2, {}, "0,00"),
        (Decimal("1E+30"), 0, {}, "1" + ".000" * 10), (None, 2, {}, ""),
    ],
)
def test_it_formats_numbers_the_vietnamese_way(value, decimals, kwargs, expected):
    assert format_number(value, decimals, **kwargs) == expected


@pytest.mark.parametrize("value", ["1.762,38", "2.060.000", "-1.234,50", "0,13"])
def test_it_reads_back_what_it_formats(value):
    number = parse_number(value)
    assert format_number(number, 2 if "," in value else 0) == value


@pytest.mark.parametrize(
    "text,expected",
    [("Tây Ninh", "tay ninh"), ("Đắk Lắk", "dak lak"), ("ĐỒNG THÁP", "dong thap"),
     ("  Xã   Hưng  Điền ", "xa hung dien"),
     ("Thừa Thiên Huế", "thua thien hue"), ("Quảng Ngãi", "quang ngai"), ("", ""), (None, "")],
)
def test_it_folds_vietnamese_for_search(text, expected):
    assert fold(text) == expected


def test_it_folds_decomposed_and_precomposed_text_alike():
    import unicodedata

    name = "Xã Hưng Điền"
    assert fold(unicodedata.normalize("NFD", name)) == fold(unicodedata.normalize("NFC", name)) == "xa hung dien"


class _Typed(str):
    """A str subclass skips parse_number's fast path, so the general rules read it."""


def _read(text, integer):
    try:
        return parse_number(text, integer=integer)
    except NumberFormatError as exc:
        return str(exc)


def test_the_fast_path_reads_every_shape_as_the_general_rules_do():
    import itertools

    pieces = ["0", "1", "12", "123", "1234", "007", "762", "7620", ".", ",", " ", "-", "%", "٣", "1.762", "000", ",38",
              "1.762.381"]
    for size in (1, 2, 3, 4):
        for parts in itertools.product(pieces, repeat=size):
            text = "".join(parts)
            for integer in (False, True):
                assert _read(text, integer) == _read(_Typed(text), integer), (text, integer)
