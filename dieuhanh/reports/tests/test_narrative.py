"""The indicator sections (narrative and table) against the analytics' comparisons and sentences written out by hand
(the figures are worked out in the comments, not recomputed)."""

import datetime
from decimal import Decimal

import pytest

from dieuhanh.analytics.queries import comparisons
from dieuhanh.indicators.models import Indicator, Sector, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.lib.officialdoc import Paragraph, Table
from dieuhanh.lib.vnformat import format_percent
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.orgunits.services import orgunit_create, orgunit_merge
from dieuhanh.reports.sections import Kind, ReportScope, section_content

D = Decimal
PA = Indicator.PeriodAggregation
pytestmark = pytest.mark.django_db


def save(unit, period, indicator, value, kind="actual"):
    datavalues_save(state=ValueState.APPROVED, orgunit=unit, period=period,
                    values=[ValueInput(indicator, kind, D(value))], user=None, channel="web")


@pytest.fixture
def postal(ict_sector):
    return Indicator.objects.create(code="DT_BC", name="Doanh thu bưu chính", unit="tỷ đồng", sector=ict_sector,
                                    decimals=2, min_value=0)


@pytest.fixture
def press():
    sector = Sector.objects.create(code="BCPT", name="Báo chí, phát thanh, truyền hình", order=2)
    return Indicator.objects.create(code="DT_BCPT", name="Doanh thu báo chí, phát thanh, truyền hình",
                                    unit="tỷ đồng", sector=sector, decimals=2, min_value=0)


def narrative(unit, period_id, indicators, **scope):
    return section_content(Kind.NARRATIVE, ReportScope(unit=unit, issuer=unit, period_id=period_id, **scope),
                           indicators=indicators)


def sentences(content):
    assert all(isinstance(block, Paragraph) for block in content.blocks)
    return [block.text for block in content.blocks]


def test_it_writes_the_year_as_the_2020_review_does(province, postal):
    save(province, "2020", postal, "95.5")
    save(province, "2020", postal, "93.35", kind="target")  # 95,5 / 93,35 = 102,30%
    save(province, "2019", postal, "88.35")  # 95,5 / 88,35 = 1,0809 → up 8,1%
    content = narrative(province, "2020", [postal])
    assert sentences(content) == [
        "Năm 2020, doanh thu bưu chính đạt 95,5 tỷ đồng, bằng 102,3% kế hoạch, tăng 8,1% so với năm 2019."]
    found = comparisons([postal], province, "2020")[postal.pk]
    assert content.figures == {"DT_BC.value": "95,5 tỷ đồng", "DT_BC.pct_target": format_percent(found.pct_of_target),
                               "DT_BC.growth": "tăng " + format_percent(found.growth_pct)}


def test_it_leaves_out_the_plan_without_a_target_and_the_comparison_without_last_year(province, postal):
    save(province, "2026", postal, "1762.38")
    content = narrative(province, "2026", [postal])
    assert sentences(content) == ["Năm 2026, doanh thu bưu chính đạt 1.762,38 tỷ đồng."]
    assert content.figures == {"DT_BC.value": "1.762,38 tỷ đồng"}


def test_an_estimate_is_ước_đạt_and_so_is_a_report_written_before_the_actuals(province, postal):
    save(province, "2026", postal, "100", kind="estimate")
    save(province, "2025", postal, "102")  # 100 / 102 → down 1,96%
    assert sentences(narrative(province, "2026", [postal])) == [
        "Năm 2026, doanh thu bưu chính ước đạt 100 tỷ đồng, giảm 2,0% so với năm 2025."]
    save(province, "2026", postal, "101")
    assert comparisons([postal], province, "2026")[postal.pk].value.is_estimate is False
    assert sentences(narrative(province, "2026", [postal])) == [
        "Năm 2026, doanh thu bưu chính đạt 101 tỷ đồng, giảm 1,0% so với năm 2025."]
    assert sentences(narrative(province, "2026", [postal], estimate=True))[0].startswith(
        "Năm 2026, doanh thu bưu chính ước đạt 101 tỷ đồng")


@pytest.fixture
def months(province, postal):
    """Ten tỷ đồng a month in 2026 (January–September), eight in 2025, a year's target of 120."""
    for month in range(1, 10):
        save(province, f"2026{month:02d}", postal, "10")
        save(province, f"2025{month:02d}", postal, "8")
    save(province, "2026", postal, "120", kind="target")


def test_a_month_gives_its_own_figure_and_the_lũy_kế(province, postal, months):
    # 9 × 10 = 90 of 120 = 75%; 90 against 9 × 8 = 72: up 25%
    assert sentences(narrative(province, "202609", [postal])) == [
        "Tháng 9/2026, doanh thu bưu chính đạt 10 tỷ đồng; lũy kế 9 tháng đạt 90 tỷ đồng, bằng 75,0% kế hoạch năm, "
        "tăng 25,0% so với cùng kỳ năm 2025."]
    assert sentences(narrative(province, "2026Q3", [postal])) == [
        "Quý III/2026, doanh thu bưu chính đạt 30 tỷ đồng; lũy kế 9 tháng đạt 90 tỷ đồng, bằng 75,0% kế hoạch năm, "
        "tăng 25,0% so với cùng kỳ năm 2025."]
    content = narrative(province, "202609", [postal])
    assert content.figures["DT_BC.period_value"] == "10 tỷ đồng"
    assert content.figures["DT_BC.value"] == "90 tỷ đồng"


def test_spans_from_january_are_one_clause(province, postal, months):
    assert sentences(narrative(province, "2026N9", [postal])) == [
        "9 tháng năm 2026, doanh thu bưu chính đạt 90 tỷ đồng, bằng 75,0% kế hoạch năm, tăng 25,0% so với cùng kỳ "
        "năm 2025."]
    assert sentences(narrative(province, "2026S1", [postal])) == [
        "6 tháng đầu năm 2026, doanh thu bưu chính đạt 60 tỷ đồng, bằng 50,0% kế hoạch năm, tăng 25,0% so với cùng "
        "kỳ năm 2025."]
    assert sentences(narrative(province, "202601", [postal])) == [
        "Tháng 1/2026, doanh thu bưu chính đạt 10 tỷ đồng, bằng 8,3% kế hoạch năm, tăng 25,0% so với cùng kỳ năm "
        "2025."]


def test_lower_is_better_still_says_what_the_figure_did(province, ict_sector):
    outages = Indicator.objects.create(code="MLL", name="Số lần mất liên lạc", unit="lần", sector=ict_sector,
                                       decimals=0, direction=Indicator.Direction.LOWER)
    save(province, "2026", outages, "12")
    save(province, "2025", outages, "16")  # 12 / 16 → down 25%
    assert sentences(narrative(province, "2026", [outages])) == [
        "Năm 2026, số lần mất liên lạc đạt 12 lần, giảm 25,0% so với năm 2025."]


def test_a_percent_indicator_writes_no_space_before_its_sign(province, ict_sector):
    share = Indicator.objects.create(code="TL_TT", name="Tỷ lệ hồ sơ trực tuyến", unit="%", sector=ict_sector,
                                     decimals=1, value_type=Indicator.ValueType.PERCENT)
    save(province, "2026", share, "85.3")
    assert sentences(narrative(province, "2026", [share])) == ["Năm 2026, tỷ lệ hồ sơ trực tuyến đạt 85,3%."]


def test_no_figure_says_so(province, postal):
    content = narrative(province, "2026", [postal])
    assert sentences(content) == ["Năm 2026, doanh thu bưu chính chưa có số liệu."]
    assert content.figures == {}


def test_units_missing_are_named_and_not_set_against_the_whole_target(province, commune_a, commune_b, revenue,
                                                                      monthly_form):
    save(province, "2026", revenue, "100", kind="target")
    save(commune_a, "202601", revenue, "10")
    save(commune_a, "202501", revenue, "8")
    save(commune_b, "202501", revenue, "7")
    found = comparisons([revenue], province, "202601")[revenue.pk]
    assert (found.value.units_reported, found.value.units_expected) == (1, 2)
    assert found.growth_basis.compared == 1  # like-for-like over commune A: 10 against 8, up 25%
    content = narrative(province, "202601", [revenue])
    assert sentences(content) == [
        "Tháng 1/2026, doanh thu viễn thông đạt 10 tỷ đồng (số liệu của 1/2 đơn vị đã báo cáo), tăng 25,0% so với "
        "cùng kỳ năm 2025 (so sánh trên 1/2 đơn vị đã báo cáo)."]
    assert content.figures["DT_VT.units"] == "1/2"
    assert "DT_VT.pct_target" not in content.figures
    save(commune_b, "202601", revenue, "20")  # both in: 30 of 100, against 15: up 100%
    assert sentences(narrative(province, "202601", [revenue])) == [
        "Tháng 1/2026, doanh thu viễn thông đạt 30 tỷ đồng, bằng 30,0% kế hoạch năm, tăng 100,0% so với cùng kỳ năm "
        "2025."]


def test_a_figure_across_the_reform_says_it_was_converted(postal):
    reform = datetime.date(2025, 7, 1)
    old = datetime.date(2008, 1, 1)
    a = orgunit_create(code="A", name="Tây Ninh (cũ)", kind=OrgUnit.Kind.PROVINCE, valid_from=old)
    b = orgunit_create(code="B", name="Long An (cũ)", kind=OrgUnit.Kind.PROVINCE, valid_from=old)
    save(a, "2024", postal, "60")
    save(b, "2024", postal, "40")
    orgunit_merge(predecessors=[a, b], new_unit={"code": "N", "name": "Tây Ninh", "kind": OrgUnit.Kind.PROVINCE},
                  effective_date=reform)
    new = OrgUnit.objects.get(code="N")
    save(new, "2026", postal, "121")
    save(new, "2026", postal, "110", kind="target")
    save(a, "2025", postal, "55")  # the old provinces' 2025 (to 30/6), folded into the new one's 2025
    save(b, "2025", postal, "55")
    found = comparisons([postal], new, "2026")[postal.pk]
    assert found.last_year.sources and found.growth_pct == D("10")  # 121 against 55 + 55
    assert sentences(narrative(new, "2026", [postal])) == [
        "Năm 2026, doanh thu bưu chính đạt 121 tỷ đồng, bằng 110,0% kế hoạch, tăng 10,0% so với năm 2025 (quy đổi "
        "theo địa giới mới)."]
    # The 2024 review of the new province: its own figure is the converted one.
    assert sentences(narrative(new, "2024", [postal])) == [
        "Năm 2024, doanh thu bưu chính đạt 100 tỷ đồng (quy đổi theo địa giới mới)."]
    content = section_content(Kind.INDICATOR_TABLE, ReportScope(unit=new, issuer=new, period_id="2026"),
                              indicators=[postal])
    assert content.blocks[0].rows == (("1", "Doanh thu bưu chính", "tỷ đồng", "110", "121", "110,0%", "110,0%"),)
    assert content.blocks[1].text == "Số liệu quy đổi theo địa giới mới: Doanh thu bưu chính."


# --- the table -----------------------------------------------------------------------------------------------------
def table_of(unit, period_id, indicators, **kwargs):
    options = kwargs.pop("options", None)
    content = section_content(Kind.INDICATOR_TABLE, ReportScope(unit=unit, issuer=unit, period_id=period_id,
                                                                **kwargs), indicators=indicators, options=options)
    table = content.blocks[0]
    assert isinstance(table, Table)
    return table, content.figures


def test_the_table_groups_by_sector_and_leaves_empty_cells_as_dashes(province, postal, press):
    save(province, "2020", postal, "95.5")
    save(province, "2020", postal, "93.35", kind="target")
    save(province, "2019", postal, "88.35")
    save(province, "2020", press, "27.3")
    table, figures = table_of(province, "2020", [postal, press])
    assert table.columns == ("STT", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện", "% kế hoạch", "% cùng kỳ")
    assert table.rows == (
        ("I", "Viễn thông", "", "", "", "", ""),
        ("1", "Doanh thu bưu chính", "tỷ đồng", "93,35", "95,5", "102,3%", "108,1%"),
        ("II", "Báo chí, phát thanh, truyền hình", "", "", "", "", ""),
        ("1", "Doanh thu báo chí, phát thanh, truyền hình", "tỷ đồng", "-", "27,3", "-", "-"),
    )
    assert table.bold_rows == frozenset({0, 2})
    assert table.numeric == frozenset({3, 4, 5, 6})
    assert sum(table.widths_mm) == 160
    found = comparisons([postal, press], province, "2020")
    assert figures["DT_BC.pct_target"] == format_percent(found[postal.pk].pct_of_target)
    assert figures["DT_BC.pct_last_year"] == format_percent(found[postal.pk].growth_pct + 100)
    assert figures["DT_BC.target"] == "93,35 tỷ đồng" and figures["DT_BCPT.value"] == "27,3 tỷ đồng"
    assert "DT_BCPT.pct_target" not in figures


def test_one_sector_has_no_group_row_unless_asked_and_an_estimate_heads_its_column(province, postal):
    save(province, "2026", postal, "50", kind="estimate")
    table, _figures = table_of(province, "2026", [postal], estimate=True)
    assert table.columns[4] == "Ước thực hiện"
    assert table.rows == (("1", "Doanh thu bưu chính", "tỷ đồng", "-", "50", "-", "-"),)
    table, _figures = table_of(province, "2026", [postal], options={"group": True})
    assert table.columns[4] == "Thực hiện"
    assert [row[0] for row in table.rows] == ["I", "1"] and table.bold_rows == frozenset({0})


def test_the_table_of_a_month_is_the_lũy_kế_and_says_so(province, postal, months):
    table, figures = table_of(province, "202609", [postal])
    assert table.rows == (("1", "Doanh thu bưu chính", "tỷ đồng", "120", "90", "75,0%", "125,0%"),)
    assert table.caption == "Thực hiện: lũy kế 9 tháng năm 2026"
    assert figures["DT_BC.value"] == "90 tỷ đồng"


def test_narrative_and_table_agree_on_their_shared_keys(province, postal, press, months):
    save(province, "2026", press, "27.3", kind="estimate")
    story = narrative(province, "2026N9", [postal, press]).figures
    _table, figures = table_of(province, "2026N9", [postal, press])
    shared = set(story) & set(figures)
    assert shared >= {"DT_BC.value", "DT_BC.pct_target"}
    assert all(story[key] == figures[key] for key in shared)


def test_a_section_reads_the_figures_in_a_few_queries(province, postal, press, months, django_assert_max_num_queries):
    indicators = list(Indicator.objects.all())
    with django_assert_max_num_queries(12):
        narrative(province, "202609", indicators)


def test_only_the_first_sentence_opens_with_the_period_unless_asked(province, postal, press, months):
    save(province, "2026", press, "27.3")
    content = narrative(province, "202609", [postal, press])
    assert sentences(content) == [
        "Tháng 9/2026, doanh thu bưu chính đạt 10 tỷ đồng; lũy kế 9 tháng đạt 90 tỷ đồng, bằng 75,0% kế hoạch năm, "
        "tăng 25,0% so với cùng kỳ năm 2025.",
        "Doanh thu báo chí, phát thanh, truyền hình chưa có số liệu."]  # a yearly figure is no month's
    content = narrative(province, "2026", [postal, press])
    assert sentences(content)[1] == "Doanh thu báo chí, phát thanh, truyền hình đạt 27,3 tỷ đồng."
    every = section_content(Kind.NARRATIVE, ReportScope(unit=province, issuer=province, period_id="2026"),
                            indicators=[postal, press], options={"lead_each": True})
    assert sentences(every)[1] == "Năm 2026, doanh thu báo chí, phát thanh, truyền hình đạt 27,3 tỷ đồng."


def test_the_table_notes_the_figures_of_some_units_only(province, commune_a, revenue, monthly_form):
    save(commune_a, "202601", revenue, "10")
    table, figures = table_of(province, "202601", [revenue])
    content = section_content(Kind.INDICATOR_TABLE, ReportScope(unit=province, issuer=province, period_id="202601"),
                              indicators=[revenue])
    assert [block.text for block in content.blocks[1:]] == [
        "Số liệu chưa đủ các đơn vị báo cáo: Doanh thu viễn thông (1/2 đơn vị đã báo cáo)."]
    assert content.blocks[1].italic and figures["DT_VT.units"] == "1/2"


def test_a_converted_last_year_without_a_comparison_is_not_noted(postal):
    a = orgunit_create(code="A", name="Tây Ninh (cũ)", kind=OrgUnit.Kind.PROVINCE, valid_from=datetime.date(2008, 1, 1))
    orgunit_merge(predecessors=[a], new_unit={"code": "N", "name": "Tây Ninh", "kind": OrgUnit.Kind.PROVINCE},
                  effective_date=datetime.date(2025, 7, 1))
    new = OrgUnit.objects.get(code="N")
    save(a, "202501", postal, "5")
    save(new, "2026", postal, "121")  # a year against one month: no comparison, so nothing converted is shown
    content = section_content(Kind.INDICATOR_TABLE, ReportScope(unit=new, issuer=new, period_id="2026"),
                              indicators=[postal])
    assert comparisons([postal], new, "2026")[postal.pk].last_year.sources
    assert content.blocks[0].rows[0][-1] == "-" and len(content.blocks) == 1
