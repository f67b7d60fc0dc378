"""A comparison where not every expected unit has reported is like-for-like over the units that reported in both
spans, and says so; it never paints a decline or a pace from missing reports."""

from decimal import Decimal

from dieuhanh.analytics.queries import Reader
from dieuhanh.indicators.models import ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save

D = Decimal


def save(unit, period, indicator, value, kind="actual"):
    datavalues_save(orgunit=unit, period=period, values=[ValueInput(indicator, kind, D(value))], user=None,
                    channel="web", state=ValueState.APPROVED)


def test_growth_over_the_units_that_reported_both_years(monthly_form, province, commune_a, commune_b, revenue):
    save(commune_a, "202503", revenue, "100")
    save(commune_b, "202503", revenue, "300")
    save(commune_a, "202603", revenue, "110")  # commune B has not reported March 2026 yet
    save(province, "2026", revenue, "1000", kind="target")
    reader = Reader([revenue], [province])
    c = reader.comparisons(province, "202603", ytd=False)[revenue.pk]
    assert (c.value.value, c.last_year.value) == (D("110"), D("400"))  # the totals as they are
    # Not "down 72.5%": commune A alone, 110 against 100.
    assert c.growth_pct == D("10")
    assert (c.growth_basis.compared, c.growth_basis.expected) == (1, 2)
    assert c.growth_basis.note == "so sánh trên 1/2 đơn vị đã báo cáo"
    assert (c.pace, c.pace_ratio) == (None, None)  # 1 of 2 units against the whole province's target
    assert reader.growths(province, ["202603"])[(revenue.pk, "202603")].pct == D("10")

    save(commune_b, "202603", revenue, "270")
    c = Reader([revenue], [province]).comparisons(province, "202603", ytd=False)[revenue.pk]
    assert c.growth_pct == D("-5")  # 380 against 400, every unit: a whole comparison
    assert c.growth_basis.compared is None and c.growth_basis.note == ""
    assert c.pace is not None


def test_an_average_compares_the_mean_of_the_same_units(monthly_form, province, commune_a, commune_b, revenue):
    revenue.unit_aggregation = "average"
    revenue.save()
    save(commune_a, "202502", revenue, "10")
    save(commune_b, "202502", revenue, "50")
    save(commune_b, "202602", revenue, "60")
    c = Reader([revenue], [province]).comparisons(province, "202602", ytd=False)[revenue.pk]
    assert (c.growth_pct, c.growth_basis.now, c.growth_basis.before) == (D("20"), D("60"), D("50"))


def test_no_unit_in_both_years_gives_no_change(monthly_form, province, commune_a, commune_b, revenue):
    save(commune_a, "202501", revenue, "10")
    save(commune_b, "202601", revenue, "50")
    c = Reader([revenue], [province]).comparisons(province, "202601", ytd=False)[revenue.pk]
    assert c.growth_pct is None and (c.growth_basis.compared, c.growth_basis.expected) == (0, 2)


def test_the_indicator_page_s_table_compares_like_for_like(client, leader, monthly_form, province, commune_a,
                                                           commune_b, revenue):
    from django.urls import reverse

    save(commune_a, "202503", revenue, "100")
    save(commune_b, "202503", revenue, "300")
    save(commune_a, "202603", revenue, "110")
    client.force_login(leader)
    page = client.get(reverse("dashboard:indicator", args=[revenue.code]) + "?unit=TN&period=202603")
    rows = {r.period.id: r for r in page.context["rows"]}
    assert (rows["202603"].growth, rows["202603"].growth_note) == ("tăng 10,0% so với cùng kỳ",
                                                                   "so sánh trên 1/2 đơn vị đã báo cáo")
    assert "giảm" not in rows["202603"].growth


def test_a_unit_s_own_figure_is_whole_and_keeps_its_pace(monthly_form, province, commune_a, commune_b, revenue):
    save(commune_a, "202503", revenue, "100")
    save(commune_b, "202503", revenue, "300")
    save(commune_a, "202603", revenue, "110")  # commune B has not reported; the province enters its own estimate
    save(province, "202603", revenue, "420", kind="estimate")
    save(province, "2026", revenue, "4800", kind="target")
    c = Reader([revenue], [province]).comparisons(province, "202603", ytd=False)[revenue.pk]
    assert (c.value.value, c.value.own) == (D("420"), True)
    assert c.growth_pct == D("5") and c.growth_basis.compared is None  # 420 against 400: the whole province
    assert c.pace is not None
