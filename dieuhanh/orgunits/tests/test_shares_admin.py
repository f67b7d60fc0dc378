"""A split's allocation shares in the admin: shown on the event, refused with the service's message when they do not
add up, saved when they do."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from dieuhanh.orgunits.models import LineageShare, OrgUnit
from dieuhanh.orgunits.services import orgunit_create, orgunit_split

pytestmark = pytest.mark.django_db


@pytest.fixture
def split_event(db):
    x = orgunit_create(code="X", name="Xã Bình Thạnh", kind=OrgUnit.Kind.COMMUNE)
    return orgunit_split(predecessor=x, successors=[{"code": "Y", "name": "Phường Long An", "kind": "commune"},
                                                     {"code": "Z", "name": "Xã Thủ Thừa", "kind": "commune"}],
                         effective_date=datetime.date(2025, 7, 1))


def form_data(shares):
    data = {"legal_basis": "", "note": "", "shares-TOTAL_FORMS": str(len(shares)), "shares-INITIAL_FORMS": "0",
            "shares-MIN_NUM_FORMS": "0", "shares-MAX_NUM_FORMS": "1000"}
    for i, (unit, share) in enumerate(shares):
        data.update({f"shares-{i}-orgunit": str(unit.pk), f"shares-{i}-share": share, f"shares-{i}-basis": "Dân số"})
    return data


def test_the_admin_sets_shares_that_add_up_and_refuses_others(client, split_event):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "secret-pass-123")
    client.force_login(admin)
    url = reverse("admin:orgunits_lineageevent_change", args=[split_event.pk])
    assert "Tỷ lệ phân bổ" in client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    y, z = OrgUnit.objects.get(code="Y"), OrgUnit.objects.get(code="Z")
    refused = client.post(url, form_data([(y, "0.35"), (z, "0.6")]))
    assert refused.status_code == 200
    assert "Tổng các tỷ lệ phải bằng 100% (hiện là 95%)." in refused.content.decode()
    assert not LineageShare.objects.exists()
    saved = client.post(url, form_data([(y, "0.35"), (z, "0.65")]))
    assert saved.status_code == 302
    assert dict(LineageShare.objects.values_list("orgunit__code", "share")) == {"Y": Decimal("0.35"),
                                                                                 "Z": Decimal("0.65")}
