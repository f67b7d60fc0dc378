"""The analytics API against figures computed by hand (the expected numbers are written out, not recomputed)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from dieuhanh.analytics import queries
from dieuhanh.analytics.queries import breakdown, comparison, comparisons, figure, figures, series, year_to_date
from dieuhanh.indicators.models import Indicator, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.orgunits.services import orgunit_create

D = Decimal
UA, PA = Indicator.UnitAggregation, Indicator.PeriodAggregation


def save(unit, period, indicator, value, kind="actual"):
    datavalues_save(state=ValueState.APPROVED,
                    orgunit=unit, period=period, values=[ValueInput(indicator, kind, D(value))], user=None,
                    channel="web")


@pytest.fixture
def make(ict_sector):
    def make(code, **fields):
        return Indicator.objects.create(code=code, name=code, unit="x", sector=ict_sector, **fields)
    return make


@pytest.fixture
def tree(province, commune_a, commune_b, agency):
    """province ─ commune A, commune B, agency ─ commune C1, commune C2 (three levels)."""
    c1 = orgunit_create(code="XA-C1", name="Xã C1", kind=OrgUnit.Kind.COMMUNE, parent=agency)
    c2 = orgunit_create(code="XA-C2", name="Xã C2", kind=OrgUnit.Kind.COMMUNE, parent=agency)
    return province, commune_a, commune_b, agency, c1, c2


def test_sums_are_summed_over_units(province, commune_a, commune_b, make):
    revenue = make("DT")
    save(commune_a, "202601", revenue, "10.25")
    save(commune_b, "202601", revenue, "20.5")
    found = figure(revenue, province, "202601")
    assert (found.value, found.units_reported, found.is_estimate) == (D("30.75"), 2, False)


def test_averages_are_the_mean_of_the_units_never_a_sum(province, commune_a, commune_b, make):
    share = make("TL", value_type=Indicator.ValueType.PERCENT, unit_aggregation=UA.AVERAGE)
    save(commune_a, "202601", share, "80")
    save(commune_b, "202601", share, "95")
    assert figure(share, province, "202601").value == D("87.5")


def test_weighted_averages_use_the_weight_of_the_same_unit_and_period(province, commune_a, commune_b, make):
    dossiers = make("HS")
    online = make("TL_TT", value_type=Indicator.ValueType.PERCENT, unit_aggregation=UA.WEIGHTED_AVERAGE,
                  weight_indicator=dossiers)
    save(commune_a, "202601", online, "50")
    save(commune_b, "202601", online, "80")
    save(commune_a, "202601", dossiers, "100")
    save(commune_b, "202601", dossiers, "300")
    save(commune_b, "202512", dossiers, "1")  # another period's weight plays no part
    assert figure(online, province, "202601").value == D("72.5")  # (50·100 + 80·300) / 400
    save(commune_b, "202601", dossiers, "100")  # a new weight refreshes the average
    assert figure(online, province, "202601").value == D("65")  # (50·100 + 80·100) / 200


def test_none_is_not_rolled_up_the_units_own_value_is(province, commune_a, commune_b, make):
    growth = make("GRDP_TT", unit_aggregation=UA.NONE, period_aggregation=PA.LAST)
    save(commune_a, "2026", growth, "7")
    save(commune_b, "2026", growth, "9")
    assert figure(growth, province, "2026").value is None
    save(province, "2026", growth, "8.1")
    assert figure(growth, province, "2026").value == D("8.1")
    assert figure(growth, commune_b, "2026").value == D("9")


def test_last_value_and_average_over_periods(province, commune_a, make):
    subscribers = make("TB", period_aggregation=PA.LAST)
    share = make("TL", unit_aggregation=UA.AVERAGE, period_aggregation=PA.AVERAGE)
    for month, subs, pct in (("202601", "100", "80"), ("202602", "110", "90"), ("202603", "125", "85"),
                             ("202604", "130", "95")):
        save(commune_a, month, subscribers, subs)
        save(commune_a, month, share, pct)
    assert figure(subscribers, province, "2026Q1").value == D("125")
    assert figure(share, province, "2026Q1").value == D("85")  # (80 + 90 + 85) / 3
    assert figure(subscribers, province, "2026").value == D("130")
    assert figure(share, province, "2026").value == D("87.5")  # (80 + 90 + 85 + 95) / 4


def test_an_estimate_counts_until_the_actual_comes(province, commune_a, commune_b, make):
    revenue = make("DT")
    save(commune_a, "202601", revenue, "10")
    save(commune_b, "202601", revenue, "20", kind="estimate")
    found = figure(revenue, province, "202601")
    assert (found.value, found.is_estimate) == (D("30"), True)
    save(commune_b, "202601", revenue, "18")
    found = figure(revenue, province, "202601")
    assert (found.value, found.is_estimate) == (D("28"), False)
    assert figure(revenue, commune_b, "202601").value == D("18")


def test_months_make_quarters_and_quarters_make_years_lũy_kế_from_january(province, commune_a, make):
    monthly, quarterly = make("DT"), make("XK")
    for month, value in (("202601", "10"), ("202602", "20"), ("202603", "30"), ("202604", "40")):
        save(commune_a, month, monthly, value)
    for quarter, value in (("2026Q1", "100"), ("2026Q2", "200"), ("2026Q3", "300"), ("2026Q4", "400")):
        save(commune_a, quarter, quarterly, value)
    assert figure(monthly, province, "2026Q1").value == D("60")
    assert figure(monthly, province, "2026Q2").value == D("40")  # only April is in
    assert year_to_date(monthly, province, "202603").value == D("60")
    assert year_to_date(monthly, province, "202604").value == D("100")
    assert figure(quarterly, province, "2026").value == D("1000")
    assert figure(quarterly, province, "2026S1").value == D("300")
    assert year_to_date(quarterly, province, "2026Q3").value == D("600")
    assert year_to_date(quarterly, province, "202608").value == D("300")  # Q3 is not over in August
    assert figure(quarterly, province, "202601").value is None  # a quarter is not split into months


def test_a_year_estimate_answers_for_the_year_until_all_twelve_months_are_in(province, make):
    revenue = make("DT")
    save(province, "2026", revenue, "1300", kind="estimate")
    for month in range(1, 12):
        save(province, f"2026{month:02d}", revenue, "100")
    found = figure(revenue, province, "2026")
    assert (found.value, found.is_estimate) == (D("1300"), True)
    assert year_to_date(revenue, province, "202611").value == D("1100")
    save(province, "202612", revenue, "105")
    found = figure(revenue, province, "2026")
    assert (found.value, found.is_estimate) == (D("1205"), False)


def test_growth_across_a_year_boundary_and_the_previous_period(province, commune_a, make):
    revenue = make("DT")
    for period, value in (("202501", "80"), ("202502", "120"), ("202503", "100"), ("202512", "125"),
                          ("202601", "100"), ("202602", "150"), ("202603", "110")):
        save(commune_a, period, revenue, value)
    jan = comparison(revenue, province, "202601", ytd=False)
    assert (jan.value.value, jan.last_year.value, jan.growth_pct) == (D("100"), D("80"), D("25"))
    assert (jan.previous.value, jan.change_pct) == (D("125"), D("-20"))  # 202601 → 202512
    q1 = comparison(revenue, province, "2026Q1", ytd=False)
    assert (q1.value.value, q1.last_year.value, q1.growth_pct) == (D("360"), D("300"), D("20"))
    assert (q1.previous.value, q1.change_pct) == (D("125"), None)  # 2025Q4 has December only
    q1_2 = comparison(revenue, province, "2026Q1", ytd=True)
    assert q1_2.growth_pct == D("20")
    jan_mar = comparison(revenue, province, "202602", ytd=False)
    assert jan_mar.growth_pct == D("25")  # 150 / 120 − 1
    feb = comparison(revenue, province, "202602", ytd=True)
    assert (feb.value.value, feb.last_year.value, feb.growth_pct) == (D("250"), D("200"), D("25"))
    assert (feb.period_value.value, feb.previous.value, feb.change_pct) == (D("150"), D("100"), D("50"))
    with translation.override("vi"):
        assert queries.change_text(feb.growth_pct) == "tăng 25,0% so với cùng kỳ năm trước"
        assert queries.change_text(jan.change_pct, against="previous") == "giảm 20,0% so với kỳ trước"
        assert comparison(revenue, province, "202602").pace_label == ""  # no target, no pace


@pytest.mark.parametrize(("june", "pct", "pace"), [
    ("570", D("47.5"), "on_track"),  # 570 / (1200 × 6/12) = 0.95
    ("540", D("45"), "at_risk"),  # 0.90
    ("500", D("41.666667"), "behind"),  # 0.833
])
def test_target_and_pace_when_higher_is_better(province, commune_a, make, june, pct, pace):
    revenue = make("DT")
    save(province, "2026", revenue, "1200", kind="target")
    save(commune_a, "2026S1", revenue, june)
    found = comparison(revenue, province, "2026Q2", ytd=True)
    assert (found.value.value, found.target.value, found.pct_of_target, found.pace) == (D(june), D("1200"), pct,
                                                                                          pace)
    with translation.override("vi"):
        assert found.pace_label == {"on_track": "Đúng tiến độ", "at_risk": "Có nguy cơ chậm",
                                    "behind": "Chậm tiến độ"}[pace]


@pytest.mark.parametrize(("june", "pace"), [("45", "on_track"), ("55", "at_risk"), ("70", "behind")])
def test_pace_when_lower_is_better(province, commune_a, make, june, pace):
    accidents = make("TNGT", direction=Indicator.Direction.LOWER)
    save(province, "2026", accidents, "100", kind="target")  # at most 100 in the year: 50 by June
    save(commune_a, "2026S1", accidents, june)
    assert comparison(accidents, province, "202606", ytd=True).pace == pace  # 50/45 = 1.11, 50/55 = 0.91, 0.71


def test_pace_of_a_level_compares_with_the_target_itself(province, make):
    online = make("TL", unit_aggregation=UA.AVERAGE, period_aggregation=PA.LAST)
    save(province, "2026", online, "60", kind="target")
    save(province, "202603", online, "58")
    found = comparison(online, province, "202603")
    assert (found.pace, found.pct_of_target) == ("on_track", D("96.666667"))  # 58/60 = 0.967


def test_a_three_level_tree(tree, make):
    province, commune_a, commune_b, agency, c1, c2 = tree
    revenue = make("DT")
    share = make("TL", unit_aggregation=UA.AVERAGE)
    for unit, value, pct in ((c1, "1", "10"), (c2, "2", "20"), (commune_a, "4", "60")):
        save(unit, "202601", revenue, value)
        save(unit, "202601", share, pct)
    assert figure(revenue, agency, "202601").value == D("3")
    assert figure(revenue, province, "202601").value == D("7")
    assert figure(share, agency, "202601").value == D("15")
    assert figure(share, province, "202601").value == D("30")  # (10 + 20 + 60) / 3, not (15 + 60) / 2
    assert figure(share, province, "202601").units_reported == 3
    save(agency, "202601", revenue, "100")  # the agency's own figure wins over its communes'
    assert figure(revenue, agency, "202601").value == D("100")
    assert figure(revenue, province, "202601").value == D("104")
    ranked = breakdown(revenue, province, "202601")
    assert [(u.code, f.value) for u, f in ranked] == [("SKHCN", D("100")), ("XA-A", D("4")), ("XA-B", None)]


def test_targets_roll_up_like_the_values(province, commune_a, commune_b, make):
    revenue = make("DT")
    save(commune_a, "2026", revenue, "500", kind="target")
    save(commune_b, "2026", revenue, "700", kind="target")
    assert figure(revenue, province, "2026", kind="target").value == D("1200")
    assert figure(revenue, province, "2026").value is None


def test_series_and_bulk_figures_take_a_few_queries(province, commune_a, commune_b, make):
    indicators = [make(f"I{i}") for i in range(6)]
    for i, ind in enumerate(indicators):
        save(commune_a, "202601", ind, str(i))
        save(commune_b, "202602", ind, "10")
    assert series(indicators[2], province, ["202601", "202602", "202603"]) == [
        ("202601", figure(indicators[2], province, "202601")), ("202602", figure(indicators[2], province, "202602")),
        ("202603", figure(indicators[2], province, "202603"))]
    assert [f.value for _p, f in series(indicators[2], province, ["202601", "202602", "2026Q1"])] == [
        D("2"), D("10"), D("12")]
    with CaptureQueriesContext(connection) as captured:
        found = figures(indicators, [province, commune_a, commune_b], ["202601", "202602", "2026Q1", "2026"])
        compared = comparisons(indicators, province, "202602")
    assert len(captured) <= 8
    assert len(found) == 6 * 3 * 4
    assert found[(indicators[5].pk, province.pk, "2026")].value == D("15")
    assert compared[indicators[5].pk].value.value == D("15")


def test_freshness_names_the_units_that_have_not_reported(monthly_form, province, commune_a, commune_b, revenue):
    from dieuhanh.reporting.models import Submission

    save(commune_a, "202603", revenue, "5")
    save(commune_b, "202603", revenue, "7")
    # "Reported" is the completeness rule: commune A's report left the unit; B's figure sits in a draft.
    Submission.objects.create(form=monthly_form, orgunit=commune_a, period="202603", status="submitted")
    Submission.objects.create(form=monthly_form, orgunit=commune_b, period="202603", status="draft")
    as_of, missing = queries.freshness(revenue, province, "202603")
    assert missing == [commune_b]
    assert as_of is not None
    assert figure(revenue, province, "202603").units_expected == 2


def test_breakdown_leaves_out_units_that_did_not_exist_in_the_period(province, commune_a, commune_b, make):
    import datetime

    revenue = make("DT")
    save(commune_a, "202601", revenue, "3")
    OrgUnit.objects.filter(pk=commune_b.pk).update(valid_to=datetime.date(2025, 6, 30))
    assert [u.code for u, _f in breakdown(revenue, province, "202601")] == ["XA-A"]
    assert [u.code for u, _f in breakdown(revenue, province, "2025")] == ["XA-A", "XA-B"]


def test_no_growth_of_a_total_against_fewer_months(province, commune_a, make):
    dossiers = make("HS")
    save(commune_a, "2025Q3", dossiers, "100")  # the series starts in July 2025
    for quarter in ("2026Q1", "2026Q2", "2026Q3"):
        save(commune_a, quarter, dossiers, "100")
    found = comparison(dossiers, province, "2026Q3", ytd=True)
    assert (found.value.value, found.last_year.value, found.growth_pct) == (D("300"), D("100"), None)
    assert (found.period_value.value, found.previous.value, found.change_pct) == (D("100"), D("100"), D("0"))
    assert comparison(dossiers, province, "2026Q3", ytd=False).growth_pct == D("0")


def test_a_reader_reads_each_stored_period_once(province, commune_a, commune_b, make):
    indicators = [make(f"R{i}") for i in range(3)]
    for i, ind in enumerate(indicators):
        save(commune_a, "202601", ind, str(i + 1))
        save(commune_b, "202602", ind, "10")
        save(commune_a, "202502", ind, "4")
        save(commune_b, "202501", ind, "2")
    reader = queries.Reader(indicators, [province])
    months = ["202601", "202602"]
    with CaptureQueriesContext(connection) as first:
        sparkline = reader.figures(months)
    with CaptureQueriesContext(connection) as again:
        assert reader.figures(months) == sparkline
    assert len(again) == 0  # nothing new to read
    with CaptureQueriesContext(connection) as more:
        compared = reader.comparisons(province, "202602", indicators=indicators[1:])
    # The months of this year were read: only last year's and the target are new (rollups + own values).
    assert 0 < len(more) <= 2 < len(first)
    assert compared[indicators[1].pk].value.value == D("12")  # 2 in January + 10 in February
    assert compared[indicators[1].pk].last_year.value == D("6")
    assert compared[indicators[1].pk].growth_pct == D("100")
    assert compared == comparisons(indicators[1:], province, "202602")
    assert sparkline == figures(indicators, [province], months)


def test_reporting_units_are_counted_once_whatever_the_forms(monthly_form, province, commune_a, commune_b, agency,
                                                             revenue, make):
    from dieuhanh.reporting.models import FormRow, FormSection, ReportForm

    quarterly = ReportForm.objects.create(code="02/BC-VT", name="Quý", period_type="quarter", receiver=agency)
    quarterly.units.set([commune_a])  # commune A reports revenue on two forms: it still counts once
    FormRow.objects.create(section=FormSection.objects.create(form=quarterly, order=1, title="A"), order=1,
                           indicator=revenue, kinds="actual")
    nowhere = make("NOWHERE")
    found = figures([revenue, nowhere], [province, commune_a, commune_b], ["202603"])
    assert found[(revenue.pk, province.pk, "202603")].units_expected == 2
    assert found[(revenue.pk, commune_a.pk, "202603")].units_expected == 1
    assert found[(revenue.pk, commune_b.pk, "202603")].units_expected == 1
    assert found[(nowhere.pk, province.pk, "202603")].units_expected is None  # on no form: nobody owes it
    monthly_form.active = False
    monthly_form.save()
    assert figure(revenue, province, "202603").units_expected == 1  # only the active quarterly form counts


def test_a_reader_refuses_a_unit_it_was_not_made_for(province, commune_a, revenue):
    save(commune_a, "202601", revenue, "5")
    reader = queries.Reader([revenue], [province])
    with pytest.raises(ValueError):
        reader.comparisons(commune_a, "202601")  # it read nothing for commune A: no silent empty figures
    assert reader.comparisons(province, "202601")[revenue.pk].value.value == D("5")
