"""Recording registry changes through the page: only administrators of the subtree, errors named, nothing half-done."""

import pytest
from django.urls import reverse

from dieuhanh.orgunits.models import LineageEvent, OrgUnit

pytestmark = pytest.mark.django_db


def _post(client, unit, action, **fields):
    data = {"action": action, f"{action}-effective_date": "2025-07-01"}
    data.update({f"{action}-{k}": v for k, v in fields.items()})
    return client.post(reverse("orgunits:change", args=[unit.code]), data)


def test_only_an_administrator_of_the_subtree_may_record_changes(client, commune_a, leader, reporter_a, admin_user):
    url = reverse("orgunits:change", args=[commune_a.code])
    for user in (leader, reporter_a):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert _post(client, commune_a, "rename", new_name="Xã Mới").status_code == 404
    client.force_login(admin_user)
    assert client.get(url).status_code == 200
    assert OrgUnit.objects.get(pk=commune_a.pk).name == "Xã Hưng Điền"


def test_it_renames_and_keeps_the_old_name_on_record(client, admin_user, commune_a):
    client.force_login(admin_user)
    response = _post(client, commune_a, "rename", new_name="Xã Hưng Điền Mới", legal_basis="NQ 1682/NQ-UBTVQH15")
    assert response.status_code == 302
    event = LineageEvent.objects.get()
    assert (event.kind, event.old_name, event.new_name) == ("rename", "Xã Hưng Điền", "Xã Hưng Điền Mới")
    assert event.legal_basis == "NQ 1682/NQ-UBTVQH15" and event.created_by == admin_user


def test_it_merges_two_communes_into_a_new_one(client, admin_user, commune_a, commune_b):
    client.force_login(admin_user)
    response = _post(client, commune_a, "merge", others=commune_b.code, new_code="XA-C", new_name="Xã Hưng Long")
    assert response.status_code == 302
    new = OrgUnit.objects.get(code="XA-C")
    assert (new.kind, new.parent_id, str(new.valid_from)) == ("commune", commune_a.parent_id, "2025-07-01")
    commune_a.refresh_from_db()
    commune_b.refresh_from_db()
    assert str(commune_a.valid_to) == str(commune_b.valid_to) == "2025-06-30"
    event = LineageEvent.objects.get()
    assert set(event.predecessors.values_list("code", flat=True)) == {"XA-A", "XA-B"}


def test_it_names_unknown_codes_and_changes_nothing(client, admin_user, commune_a):
    client.force_login(admin_user)
    response = _post(client, commune_a, "merge", others="NO-SUCH", into="TN")
    assert response.status_code == 200
    assert "NO-SUCH" in response.content.decode()
    assert not LineageEvent.objects.exists()
    commune_a.refresh_from_db()
    assert commune_a.valid_to is None


def test_a_service_refusal_is_shown_on_the_form(client, admin_user, commune_a, province):
    client.force_login(admin_user)
    response = _post(client, commune_a, "move", new_parent=province.code)  # already there
    assert response.status_code == 200
    assert not LineageEvent.objects.exists()
    assert 'alert alert-danger' in response.content.decode()


def test_it_splits_into_an_existing_and_a_new_unit(client, admin_user, commune_a, commune_b):
    client.force_login(admin_user)
    response = _post(client, commune_a, "split", successors=f"{commune_b.code}\nXA-D; Xã Hưng Thuận")
    assert response.status_code == 302
    event = LineageEvent.objects.get()
    assert set(event.successors.values_list("code", flat=True)) == {"XA-B", "XA-D"}
    commune_a.refresh_from_db()
    assert str(commune_a.valid_to) == "2025-06-30"
