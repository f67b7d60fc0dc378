"""Shared test fixtures: a small province with named users, as in healthchecks' base test case.

- `province` (TN) with communes `commune_a`, `commune_b` and agency `agency`
- users: `admin_user` (administrator of the province), `leader` (province), `reporter_a` / `approver_a`
  (commune A only), `reporter_b` (commune B), `outsider` (no role)
"""

import pytest
from django.contrib.auth import get_user_model

from dieuhanh.accounts.models import Role, RoleAssignment
from dieuhanh.indicators.models import Indicator, Sector
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.orgunits.services import orgunit_create


@pytest.fixture
def province(db):
    return orgunit_create(code="TN", name="Tây Ninh", kind=OrgUnit.Kind.PROVINCE, division_type="tỉnh")


@pytest.fixture
def commune_a(province):
    return orgunit_create(code="XA-A", name="Xã Hưng Điền", kind=OrgUnit.Kind.COMMUNE, parent=province,
                          division_type="xã")


@pytest.fixture
def commune_b(province):
    return orgunit_create(code="XA-B", name="Phường Long An", kind=OrgUnit.Kind.COMMUNE, parent=province,
                          division_type="phường")


@pytest.fixture
def agency(province):
    return orgunit_create(code="SKHCN", name="Sở Khoa học và Công nghệ", kind=OrgUnit.Kind.AGENCY, parent=province)


def make_user(username, role=None, unit=None):
    user = get_user_model().objects.create_user(username=username, password="secret-pass-123")
    if role:
        RoleAssignment.objects.create(user=user, role=role, orgunit=unit)
    return user


@pytest.fixture
def admin_user(province):
    return make_user("admin", Role.ADMIN, province)


@pytest.fixture
def leader(province):
    return make_user("leader", Role.LEADER, province)


@pytest.fixture
def reporter_a(commune_a):
    return make_user("reporter_a", Role.REPORTER, commune_a)


@pytest.fixture
def approver_a(commune_a):
    return make_user("approver_a", Role.APPROVER, commune_a)


@pytest.fixture
def reporter_b(commune_b):
    return make_user("reporter_b", Role.REPORTER, commune_b)


@pytest.fixture
def outsider(db):
    return make_user("outsider")


@pytest.fixture
def ict_sector(db):
    return Sector.objects.create(code="VT", name="Viễn thông", order=1)


@pytest.fixture
def revenue(ict_sector):
    return Indicator.objects.create(
        code="DT_VT", name="Doanh thu viễn thông", unit="tỷ đồng", sector=ict_sector, decimals=2, min_value=0
    )


@pytest.fixture
def subscribers(ict_sector):
    return Indicator.objects.create(
        code="TB_DD", name="Thuê bao di động", unit="thuê bao", sector=ict_sector,
        value_type=Indicator.ValueType.INTEGER, decimals=0, min_value=0,
    )
