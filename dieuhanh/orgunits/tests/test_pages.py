import datetime
import re

import pytest
from django.urls import reverse

from dieuhanh.orgunits.services import orgunit_create, orgunit_end, orgunit_merge, orgunit_rename

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def test_it_shows_the_province_tree_grouped_by_kind(client, admin_user, commune_a, commune_b, agency):
    html = _login(client, admin_user).get(reverse("orgunits:tree")).content.decode()
    for name in ("Tây Ninh", "Xã Hưng Điền", "Phường Long An", "Sở Khoa học và Công nghệ"):
        assert name in html
    assert 'class="badge rounded-pill unit-kind unit-kind-province"' in html
    assert html.index("Xã Hưng Điền") < html.index("Sở Khoa học")  # communes group before agencies


def test_it_shows_a_commune_reporter_only_their_commune(client, reporter_a, commune_a, commune_b, agency):
    html = _login(client, reporter_a).get(reverse("orgunits:tree")).content.decode()
    assert "Xã Hưng Điền" in html
    assert "Phường Long An" not in html
    assert "Sở Khoa học" not in html
    assert 'href="/units/TN/"' not in html


def test_it_answers_404_for_a_unit_outside_the_scope(client, reporter_a, commune_a, commune_b, province):
    _login(client, reporter_a)
    assert client.get(reverse("orgunits:detail", args=[commune_a.code])).status_code == 200
    assert client.get(reverse("orgunits:detail", args=[commune_b.code])).status_code == 404
    assert client.get(reverse("orgunits:detail", args=[province.code])).status_code == 404
    assert client.get(reverse("orgunits:detail", args=["NO-SUCH"])).status_code == 404


def test_it_sends_anonymous_users_to_log_in(client, province):
    response = client.get(reverse("orgunits:tree"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_searches_without_diacritics(client, admin_user, commune_a, commune_b):
    _login(client, admin_user)
    response = client.get(reverse("orgunits:tree"), {"q": "hung dien", "partial": "search"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Xã Hưng Điền" in html and "Phường Long An" not in html
    assert "<html" not in html  # the HTMX answer is the fragment only
    html = client.get(reverse("orgunits:tree"), {"q": "tay ninh"}).content.decode()
    assert 'id="unit-search-card"' in html and 'href="/units/TN/"' in html


def test_it_does_not_search_outside_the_scope(client, reporter_a, commune_a, commune_b):
    _login(client, reporter_a)
    html = client.get(reverse("orgunits:tree"), {"q": "long an", "partial": "search"}, HTTP_HX_REQUEST="true")
    assert "Phường Long An" not in html.content.decode()


def test_it_greys_ended_units_with_the_end_date(client, admin_user, province):
    old = orgunit_create(code="STTTT", name="Sở Thông tin và Truyền thông", kind="agency", parent=province,
                         valid_from=datetime.date(2008, 1, 1))
    orgunit_end(unit=old, effective_date=datetime.date(2025, 3, 1))
    html = _login(client, admin_user).get(reverse("orgunits:tree")).content.decode()
    assert "01/03/2025" in html
    assert 'class="is-ended"' in html


def test_it_shows_parent_children_and_lineage_on_the_detail_page(client, admin_user, province, commune_a, commune_b):
    orgunit_rename(unit=commune_a, new_name="Phường Hưng Điền", effective_date=datetime.date(2025, 7, 1))
    orgunit_merge(predecessors=[commune_b], successor=commune_a, effective_date=datetime.date(2025, 8, 1),
                  legal_basis="NQ 1/2025")
    _login(client, admin_user)
    html = client.get(reverse("orgunits:detail", args=["XA-A"])).content.decode()
    assert 'href="/units/TN/"' in html  # parent
    assert "Xã Hưng Điền → Phường Hưng Điền" in html
    assert "NQ 1/2025" in html and 'href="/units/XA-B/"' in html
    html = client.get(reverse("orgunits:detail", args=["TN"])).content.decode()
    assert 'href="/units/XA-A/"' in html and 'href="/units/XA-B/"' in html


def test_it_collapses_a_large_group(client, admin_user, province):
    for i in range(30):
        orgunit_create(code=f"X{i}", name=f"Xã {i}", kind="commune", parent=province, division_type="xã")
    html = _login(client, admin_user).get(reverse("orgunits:tree")).content.decode()
    groups = re.findall(r'<details class="unit-group mb-2"\s*(open)?\s*>', html)
    assert groups == [""]  # one group (communes), closed
