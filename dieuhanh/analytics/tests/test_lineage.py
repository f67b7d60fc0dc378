# ruff: noqa: F811 — `make`, a fixture imported from test_queries, is each test's argument
"""Figures across lineage events, against numbers worked out by hand (written out, not recomputed): a unit's figure for
a period before its merger or split comes from its predecessors ("theo địa giới hiện nay"), or, on request, from the
units as they were ("theo địa giới tại thời điểm báo cáo")."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dieuhanh.analytics.lineage import LineageResolver
from dieuhanh.analytics.queries import Reader
from dieuhanh.analytics.tests.test_queries import make  # noqa: F401 — the fixture making indicators
from dieuhanh.indicators.models import Indicator, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.orgunits.models import LineageEvent, LineageShare, OrgUnit
from dieuhanh.orgunits.services import lineage_shares_set, orgunit_create, orgunit_merge, orgunit_split

D = Decimal
UA, PA = Indicator.UnitAggregation, Indicator.PeriodAggregation
REFORM = datetime.date(2025, 7, 1)
SPLIT_DAY = datetime.date(2019, 1, 1)
OLD = datetime.date(2008, 1, 1)
P = OrgUnit.Kind.PROVINCE
C = OrgUnit.Kind.COMMUNE

pytestmark = pytest.mark.django_db


def save(unit, period, indicator, value, kind="actual", state=ValueState.APPROVED):
    datavalues_save(state=state, orgunit=unit, period=period, values=[ValueInput(indicator, kind, D(value))],
                    user=None, channel="web")


def unit(code, kind=C, parent=None, valid_from=OLD):
    return orgunit_create(code=code, name=f"Đơn vị {code}", kind=kind, parent=parent, valid_from=valid_from)


@pytest.fixture
def merged():
    """Two old provinces A (with two communes) and B, merged into a new province N on 1/7/2025."""
    a, b = unit("A", P), unit("B", P)
    a1, a2 = unit("A1", parent=a), unit("A2", parent=a)
    orgunit_merge(predecessors=[a, b], new_unit={"code": "N", "name": "Tỉnh mới", "kind": P},
                  effective_date=REFORM)
    new = OrgUnit.objects.get(code="N")
    a.refresh_from_db()
    b.refresh_from_db()
    return new, a, b, a1, a2


def figures(units, indicator, periods, *, boundaries="current", ytd=False):
    reader = Reader([indicator], units, boundaries=boundaries)
    found = reader.figures(periods, ytd=ytd)
    return {(u.code, p): found[(indicator.pk, u.pk, p)] for u in units for p in periods}


def test_a_merger_adds_up_its_predecessors_sums_and_says_where_they_came_from(merged, make):
    new, a, b, a1, a2 = merged
    revenue = make("DT")
    save(a1, "2024", revenue, "60")
    save(a2, "2024", revenue, "40.5")
    save(b, "2024", revenue, "50")
    save(new, "2026", revenue, "170")
    found = figures([new], revenue, ["2024", "2026"])
    assert found[("N", "2024")].value == D("150.5")  # 60 + 40,5 + 50
    assert found[("N", "2024")].sources == (a.pk, b.pk)
    assert not found[("N", "2024")].is_estimate
    assert (found[("N", "2026")].value, found[("N", "2026")].sources) == (D("170"), ())
    as_reported = figures([new, a], revenue, ["2024"], boundaries="as_reported")
    assert (as_reported[("N", "2024")].value, as_reported[("N", "2024")].sources) == (None, ())
    assert as_reported[("A", "2024")].value == D("100.5")


def test_a_merger_averages_over_all_the_units_not_the_mean_of_the_provinces(merged, make):
    new, a, b, a1, a2 = merged
    share = make("TL", value_type=Indicator.ValueType.PERCENT, unit_aggregation=UA.AVERAGE,
                 period_aggregation=PA.LAST)
    save(a1, "2024", share, "70")
    save(a2, "2024", share, "80")
    save(b, "2024", share, "90")
    # A's figure is 75 from two communes, B's 90 from itself: (70 + 80 + 90) / 3 = 80, not (75 + 90) / 2.
    assert figures([new], share, ["2024"])[("N", "2024")].value == D("80")


def test_a_merger_weighs_a_percentage_by_its_weight_indicator(merged, make):
    new, a, b, a1, a2 = merged
    dossiers = make("HS")
    online = make("TL_TT", value_type=Indicator.ValueType.PERCENT, unit_aggregation=UA.WEIGHTED_AVERAGE,
                  weight_indicator=dossiers, period_aggregation=PA.AVERAGE)
    save(a1, "2024", online, "50")
    save(a1, "2024", dossiers, "100")
    save(a2, "2024", online, "20")
    save(a2, "2024", dossiers, "100")
    save(b, "2024", online, "80")  # B has no sub-units: its own value, weighted by its own 300 dossiers
    save(b, "2024", dossiers, "300")
    # (50·100 + 20·100 + 80·300) / 500 = 31000 / 500 = 62
    found = figures([new], online, ["2024"])[("N", "2024")]
    assert found.value == D("62")
    assert found.units_reported == 3
    assert figures([new], dossiers, ["2024"])[("N", "2024")].value == D("500")


def test_a_none_indicator_is_not_combined(merged, make):
    new, a, b, a1, a2 = merged
    growth = make("GRDP_TT", unit_aggregation=UA.NONE, period_aggregation=PA.LAST)
    save(a, "2024", growth, "7")
    save(b, "2024", growth, "9")
    save(new, "2025", growth, "8.2")
    found = figures([new], growth, ["2024", "2025"])
    assert (found[("N", "2024")].value, found[("N", "2025")].value) == (None, D("8.2"))


def test_months_before_the_merger_come_from_the_predecessors_and_months_after_from_the_unit(merged, make):
    new, a, b, a1, a2 = merged
    revenue = make("DT")
    for month in range(1, 10):
        period = f"2024{month:02d}"
        save(a1, period, revenue, "10")
        save(b, period, revenue, "4")
    for month in range(1, 7):
        period = f"2025{month:02d}"
        save(a1, period, revenue, "10")
        save(b, period, revenue, "5")
    for month in range(7, 10):
        save(new, f"2025{month:02d}", revenue, "16")
    reader = Reader([revenue], [new])
    lk = reader.figures(["202509"], ytd=True)[(revenue.pk, new.pk, "202509")]
    assert (lk.value, lk.months) == (D("138"), 9)  # 6 × (10 + 5) + 3 × 16
    assert lk.sources == (a.pk, b.pk)
    year = reader.figures(["2025"])[(revenue.pk, new.pk, "2025")]
    assert (year.value, year.months) == (D("138"), 9)
    compared = reader.comparisons(new, "202509", ytd=True)[revenue.pk]
    assert compared.last_year.value == D("126")  # 9 × (10 + 4)
    assert compared.growth_pct == D("9.523810")  # 138 / 126 − 1
    july = reader.figures(["202507", "202506"])
    assert (july[(revenue.pk, new.pk, "202507")].value, july[(revenue.pk, new.pk, "202507")].sources) == (D("16"), ())
    assert july[(revenue.pk, new.pk, "202506")].value == D("15")
    as_reported = Reader([revenue], [new], boundaries="as_reported")
    lk = as_reported.figures(["202509"], ytd=True)[(revenue.pk, new.pk, "202509")]
    assert (lk.value, lk.months, lk.sources) == (D("48"), 3, ())
    assert as_reported.comparisons(new, "202509", ytd=True)[revenue.pk].growth_pct is None


def test_a_unit_that_absorbed_another_keeps_its_own_figures_and_adds_the_others(make):
    keeper, absorbed = unit("S", OrgUnit.Kind.AGENCY), unit("T", OrgUnit.Kind.AGENCY)
    orgunit_merge(predecessors=[absorbed], successor=keeper, effective_date=datetime.date(2025, 3, 1))
    revenue = make("DT")
    save(keeper, "2024", revenue, "10")
    save(absorbed, "2024", revenue, "4")
    save(keeper, "202502", revenue, "1")
    save(absorbed, "202502", revenue, "2")
    save(keeper, "202503", revenue, "3")
    save(absorbed, "202503", revenue, "99")  # after it ended: not this unit's any more
    found = figures([keeper], revenue, ["2024", "202502", "202503"])
    assert [found[("S", p)].value for p in ("2024", "202502", "202503")] == [D("14"), D("3"), D("3")]
    reported = figures([keeper], revenue, ["2024"], boundaries="as_reported")
    assert reported[("S", "2024")].value == D("10")


def split_in_two() -> tuple[OrgUnit, OrgUnit, OrgUnit, LineageEvent]:
    """X split on 1/1/2019 into Y and Z (no shares yet)."""
    x = unit("X")
    event = orgunit_split(predecessor=x, successors=[{"code": "Y", "name": "Xã Y", "kind": C},
                                                      {"code": "Z", "name": "Xã Z", "kind": C}],
                          effective_date=SPLIT_DAY)
    return x, OrgUnit.objects.get(code="Y"), OrgUnit.objects.get(code="Z"), event


@pytest.fixture
def split():
    """X split on 1/1/2019 into Y (60%) and Z (40%)."""
    x, y, z, event = split_in_two()
    lineage_shares_set(event=event, shares={y: "0.6", z: "0.4"}, basis="Dân số 31/12/2018")
    return x, y, z, event


def test_a_split_allocates_by_the_shares_and_marks_the_figures_estimated(split, make):
    x, y, z, event = split
    revenue = make("DT")
    rate = make("TL", value_type=Indicator.ValueType.PERCENT, unit_aggregation=UA.AVERAGE,
                period_aggregation=PA.LAST)
    save(x, "2018", revenue, "200")
    save(x, "2018", rate, "55")
    save(y, "2019", revenue, "130")
    found = figures([y, z], revenue, ["2018", "2019"])
    assert (found[("Y", "2018")].value, found[("Z", "2018")].value) == (D("120"), D("80"))
    assert found[("Y", "2018")].is_estimate and found[("Y", "2018")].sources == (x.pk,)
    assert (found[("Y", "2019")].value, found[("Y", "2019")].is_estimate) == (D("130"), False)
    rates = figures([y, z], rate, ["2018"])
    assert (rates[("Y", "2018")].value, rates[("Z", "2018")].value) == (D("55"), D("55"))  # a rate is not divided
    assert figures([y], revenue, ["2018"], boundaries="as_reported")[("Y", "2018")].value is None


def test_a_split_without_shares_invents_nothing(make):
    x, y, _z, _event = split_in_two()
    revenue = make("DT")
    save(x, "2018", revenue, "200")
    assert figures([y], revenue, ["2018"])[("Y", "2018")].value is None


def test_a_unit_that_continues_after_a_part_split_away_keeps_the_rest(make):
    x = unit("X")
    event = orgunit_split(predecessor=x, successors=[{"code": "Q", "name": "Xã Q", "kind": C}],
                          effective_date=SPLIT_DAY, end_predecessor=False)
    q = OrgUnit.objects.get(code="Q")
    lineage_shares_set(event=event, shares={q: "0.25"})
    revenue = make("DT")
    save(x, "2018", revenue, "100")
    save(x, "2019", revenue, "90")
    found = figures([x, q], revenue, ["2018", "2019"])
    assert (found[("X", "2018")].value, found[("Q", "2018")].value) == (D("75"), D("25"))
    assert found[("X", "2018")].is_estimate and found[("X", "2018")].sources == ()
    assert found[("X", "2019")].value == D("90")


def test_a_chain_is_followed_to_the_end(split, make):
    """X split in 2019 (Z took 40%); Z merged with W into V in 2025: V's 2018 is 40% of X plus W."""
    x, y, z, _event = split
    w = unit("W")
    orgunit_merge(predecessors=[z, w], new_unit={"code": "V", "name": "Xã V", "kind": C}, effective_date=REFORM)
    v = OrgUnit.objects.get(code="V")
    revenue = make("DT")
    save(x, "2018", revenue, "200")
    save(w, "2018", revenue, "30")
    save(z, "2020", revenue, "45")
    save(w, "2020", revenue, "35")
    save(v, "2026", revenue, "90")
    found = figures([v], revenue, ["2018", "2020", "2026"])
    assert found[("V", "2018")].value == D("110")  # 0,4 × 200 + 30
    assert found[("V", "2018")].is_estimate and found[("V", "2018")].sources == (x.pk, w.pk)
    assert found[("V", "2020")].value == D("80")  # 45 + 35, as reported by both
    assert not found[("V", "2020")].is_estimate and found[("V", "2020")].sources == (z.pk, w.pk)
    assert (found[("V", "2026")].value, found[("V", "2026")].sources) == (D("90"), ())
    reported = figures([v], revenue, ["2018", "2020"], boundaries="as_reported")
    assert [reported[("V", p)].value for p in ("2018", "2020")] == [None, None]


def test_a_rename_linking_two_units_is_followed(make):
    old, new = unit("OLD"), unit("NEW", valid_from=REFORM)
    event = LineageEvent.objects.create(kind=LineageEvent.Kind.RENAME, effective_date=REFORM, old_name=old.name,
                                        new_name=new.name)
    event.predecessors.set([old])
    event.successors.set([new])
    growth = make("GRDP_TT", unit_aggregation=UA.NONE, period_aggregation=PA.LAST)
    save(old, "2024", growth, "7.5")
    found = figures([new], growth, ["2024"])[("NEW", "2024")]
    assert (found.value, found.sources, found.is_estimate) == (D("7.5"), (old.pk,), False)


def test_drafts_of_predecessors_stay_out(merged, make):
    new, a, b, a1, a2 = merged
    revenue = make("DT")
    save(a1, "2024", revenue, "60")
    save(b, "2024", revenue, "50", state=ValueState.DRAFT)
    assert figures([new], revenue, ["2024"])[("N", "2024")].value == D("60")


def test_the_resolver_costs_one_query_for_units_without_history(province, commune_a, django_assert_num_queries):
    with django_assert_num_queries(1):
        resolver = LineageResolver([province, commune_a])
    assert resolver.sources(province.pk, "2018") is None


def test_a_resolver_names_the_sources_and_stops_at_a_loop():
    a, b = unit("LA"), unit("LB")
    for pred, succ in ((a, b), (b, a)):  # recorded by mistake both ways
        event = LineageEvent.objects.create(kind=LineageEvent.Kind.MERGE, effective_date=REFORM)
        event.predecessors.set([pred])
        event.successors.set([succ])
    resolver = LineageResolver([a])
    sources = resolver.sources(a.pk, "2024")
    assert {s.unit_id for s in sources} == {a.pk, b.pk}
    assert resolver.names[b.pk] == "Đơn vị LB"


# --- shares ------------------------------------------------------------------------------------------------------
def test_shares_must_cover_every_resulting_unit_and_add_up(split):
    x, y, z, event = split
    with translation.override("vi"):
        with pytest.raises(ValidationError) as missing:
            lineage_shares_set(event=event, shares={y: "1"})
        assert "Xã Z" in missing.value.message_dict["shares"][0]
        with pytest.raises(ValidationError) as wrong_sum:
            lineage_shares_set(event=event, shares={y: "0.5", z: "0.4"})
        assert wrong_sum.value.message_dict["shares"] == ["Tổng các tỷ lệ phải bằng 100% (hiện là 90%)."]
        with pytest.raises(ValidationError) as bad:
            lineage_shares_set(event=event, shares={y: "abc", z: "0.4"})
        assert bad.value.message_dict["shares"] == [
            "Tỷ lệ của Xã Y phải là một số lớn hơn 0 và không quá 1 (0,4 là 40%)."]
    assert sorted(LineageShare.objects.values_list("share", flat=True)) == [D("0.4"), D("0.6")]  # unchanged
    lineage_shares_set(event=event, shares={y: "0,7", z: "0.3"})
    assert sorted(LineageShare.objects.values_list("share", flat=True)) == [D("0.3"), D("0.7")]


def test_only_a_split_has_shares(merged):
    new, *_rest = merged
    event = LineageEvent.objects.get(successors=new)
    with pytest.raises(ValidationError):
        lineage_shares_set(event=event, shares={new: "1"})


def test_no_change_is_painted_from_missing_reports_against_converted_figures(merged, make):
    """Against a converted figure there is no like-for-like by today's units: the change is given only when the
    latest month holds as many units as the months before it."""
    new, a, b, a1, a2 = merged
    n1, n2 = unit("N1", parent=new, valid_from=REFORM), unit("N2", parent=new, valid_from=REFORM)
    revenue = make("DT")
    for month in range(1, 10):
        save(b, f"2024{month:02d}", revenue, "10")
    for month in range(1, 7):
        save(b, f"2025{month:02d}", revenue, "10")
    for period in ("202507", "202508", "202509"):
        save(n1, period, revenue, "6")
    for period in ("202507", "202508"):
        save(n2, period, revenue, "6")
    compared = Reader([revenue], [new]).comparisons(new, "202509", ytd=True)[revenue.pk]
    assert (compared.value.value, compared.last_year.value) == (D("90"), D("90"))  # N2's September is missing
    assert compared.growth_pct is None  # not "unchanged"
    save(n2, "202509", revenue, "6")
    compared = Reader([revenue], [new]).comparisons(new, "202509", ytd=True)[revenue.pk]
    assert (compared.value.value, compared.growth_pct) == (D("96"), D("6.666667"))  # 96 / 90


def test_a_ranking_under_todays_boundaries_lists_todays_units(province, make):
    """Before the merger, today's commune ranks with its converted figure and the merged ones give way; as reported,
    the communes of the time rank. A unit that ended without a successor keeps its place in its period."""
    from dieuhanh.analytics.queries import breakdown

    a = orgunit_create(code="OA", name="Xã Cũ A", kind=C, parent=province, valid_from=OLD)
    b = orgunit_create(code="OB", name="Xã Cũ B", kind=C, parent=province, valid_from=OLD)
    closed = orgunit_create(code="OC", name="Xã Giải Thể", kind=C, parent=province, valid_from=OLD,
                            valid_to=datetime.date(2024, 12, 31))
    orgunit_merge(predecessors=[a, b], new_unit={"code": "NM", "name": "Xã Mới", "kind": C}, effective_date=REFORM)
    revenue = make("DT")
    save(a, "2024", revenue, "100")
    save(b, "2024", revenue, "50")
    save(closed, "2024", revenue, "30")
    ranked = [(u.code, f.value) for u, f in breakdown(revenue, province, "2024")]
    assert ranked == [("NM", D("150")), ("OC", D("30"))]
    as_reported = [(u.code, f.value) for u, f in breakdown(revenue, province, "2024", boundaries="as_reported")]
    assert as_reported == [("OA", D("100")), ("OB", D("50")), ("OC", D("30"))]


def test_a_kpi_card_says_its_figure_or_last_year_s_was_converted(merged, make):
    from dieuhanh.analytics.queries import comparison
    from dieuhanh.dashboard.cards import kpi_card
    from dieuhanh.lib.periods import Period

    new, a, b, a1, a2 = merged
    revenue = make("DT")
    save(a1, "2024", revenue, "60")
    save(b, "2024", revenue, "40")
    save(new, "2025", revenue, "110")
    with translation.override("vi"):
        card = kpi_card(revenue, new, Period.parse("2024"), "year", comparison(revenue, new, "2024", ytd=False), [])
        assert (card.value, card.converted) == ("100,00", "quy đổi theo địa giới mới")
        card = kpi_card(revenue, new, Period.parse("2025"), "year", comparison(revenue, new, "2025", ytd=False), [])
        assert card.growth.startswith("tăng 10,0%")
        assert card.converted == "cùng kỳ năm trước quy đổi theo địa giới mới"
