"""KPI cards state only the changes the analytics allow: no growth of a year to date against a year that holds
fewer months."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from dieuhanh.dashboard import cards as kpi
from dieuhanh.indicators.models import Channel, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)


def save(unit, period, indicator, value, user):
    datavalues_save(state=ValueState.APPROVED, orgunit=unit, period=period, user=user, channel=Channel.WEB,
                    values=[ValueInput(indicator, "actual", Decimal(value))])


def card_of(indicator, unit):
    with translation.override("vi"):
        return kpi.kpis([kpi.CardSpec("kpi", indicator=indicator)], unit, TODAY)[0]


def test_no_growth_against_a_year_with_fewer_months(province, commune_a, revenue, monthly_form, leader):
    for month in ("202609", "202610", "202611"):
        save(commune_a, month, revenue, "100", leader)
    save(commune_a, "202511", revenue, "50", leader)  # last year's series starts in November
    card = card_of(revenue, province)
    assert card.value == "300,00"
    assert card.growth == ""  # 3 months against 1: not a growth
    for month in ("202509", "202510"):
        save(commune_a, month, revenue, "50", leader)
    card = card_of(revenue, province)
    assert card.growth == "tăng 100,0% so với cùng kỳ"
    assert card.growth_class == "text-success"


def test_a_share_changes_in_points_whatever_the_months(province, commune_a, subscribers, monthly_form, leader):
    subscribers.value_type = subscribers.ValueType.PERCENT
    subscribers.unit = "%"
    subscribers.period_aggregation = subscribers.PeriodAggregation.LAST
    subscribers.save()
    save(commune_a, "202611", subscribers, "62.5", leader)
    save(commune_a, "202511", subscribers, "60", leader)
    card = card_of(subscribers, province)
    assert card.growth == "tăng 2,5 điểm phần trăm so với cùng kỳ"
