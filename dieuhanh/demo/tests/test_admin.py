"""The indicator admin over the demo catalogue: lists load, values are read-only, bad settings are refused."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from dieuhanh.demo.build import demo_build
from dieuhanh.indicators.models import DataValue, Indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_demo(client):
    demo_build(small=True)
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def test_it_lists_indicators_values_and_history(admin_client_demo):
    for name in ("indicator", "sector", "datavalue", "valuehistory"):
        response = admin_client_demo.get(reverse(f"admin:indicators_{name}_changelist"))
        assert response.status_code == 200, name
    response = admin_client_demo.get(reverse("admin:indicators_indicator_changelist"), {"q": "DT_VT"})
    assert "Doanh thu viễn thông" in response.content.decode()


def test_it_keeps_values_read_only(admin_client_demo):
    value = DataValue.objects.filter(indicator__code="DT_VT").first()
    assert admin_client_demo.get(reverse("admin:indicators_datavalue_add")).status_code == 403
    response = admin_client_demo.post(reverse("admin:indicators_datavalue_change", args=[value.pk]), {"value": "1"})
    assert response.status_code == 403
    value.refresh_from_db()
    assert value.value != 1


def test_it_refuses_a_weighted_average_without_weights(admin_client_demo):
    indicator = Indicator.objects.get(code="TL_HS_TT")
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    data = {
        "code": indicator.code, "name": indicator.name, "sector": indicator.sector_id, "unit": "%",
        "description": "", "active": "on", "value_type": "percent", "decimals": 1, "min_value": "0",
        "max_value": "100", "direction": "higher", "unit_aggregation": "weighted_average", "weight_indicator": "",
        "period_aggregation": "average",
    }
    response = admin_client_demo.post(url, data)
    assert response.status_code == 200
    assert "quyền số" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.weight_indicator.code == "HS_TN"
