"""Rollups are written with the values: a save through any channel shows in the province's figure on commit."""

from decimal import Decimal

import pytest

from dieuhanh.analytics.queries import figure
from dieuhanh.indicators.models import Indicator, ValueRollup
from dieuhanh.indicators.rollups import rollups_rebuild
from dieuhanh.indicators.services import ValueInput, datavalues_save

D = Decimal
UA = Indicator.UnitAggregation


@pytest.fixture
def revenue(ict_sector):
    return Indicator.objects.create(code="DT", name="Doanh thu", unit="tỷ đồng", sector=ict_sector)


def save(unit, period, indicator, value, kind="actual", user=None):
    datavalues_save(orgunit=unit, period=period, values=[ValueInput(indicator, kind, value)], user=user,
                    channel="web")


def test_it_sums_communes_into_the_province(province, commune_a, commune_b, revenue):
    save(commune_a, "202601", revenue, D("10.5"))
    assert figure(revenue, province, "202601").value == D("10.5")
    save(commune_b, "202601", revenue, D("4.25"))
    assert figure(revenue, province, "202601").value == D("14.75")
    assert figure(revenue, province, "202601").units_reported == 2
    save(commune_a, "202601", revenue, None)
    assert figure(revenue, province, "202601").value == D("4.25")
    rows = ValueRollup.objects.count()
    assert rollups_rebuild() == rows
    assert figure(revenue, province, "202601").value == D("4.25")
