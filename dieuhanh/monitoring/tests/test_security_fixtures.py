"""Fixtures of the security incident tests (imported by each test_security_* file), on top of dieuhanh/conftest.py.

- `operator` (system operator of the agency SKHCN), `province_operator` (system operator of the province),
  `operator_b` (system operator of commune B: another unit), `leader` (province), `reporter_a` (commune A)
- systems: `lgsp` (owned by the province, level 3), `portal` (owned by the agency, level 2)
- `make_incident(**overrides)`: recorded through the service by `operator` for the agency, the portal affected,
  detected 01/12/2026 10:00 local time
- `english`: messages in English while the test runs
"""

import datetime

import pytest
from django.utils import timezone, translation

from dieuhanh.accounts.models import Role
from dieuhanh.conftest import make_user
from dieuhanh.monitoring.models import System
from dieuhanh.monitoring.services_security import security_incident_create

DETECTED = timezone.make_aware(datetime.datetime(2026, 12, 1, 10, 0))


@pytest.fixture
def operator(agency):
    user = make_user("operator", Role.OPERATOR, agency)
    user.first_name, user.last_name = "Lan", "Trần Thị"
    user.save()
    return user


@pytest.fixture
def province_operator(province):
    return make_user("province_operator", Role.OPERATOR, province)


@pytest.fixture
def operator_b(commune_b):
    return make_user("operator_b", Role.OPERATOR, commune_b)


@pytest.fixture
def lgsp(province):
    return System.objects.create(code="lgsp", name="Nền tảng tích hợp, chia sẻ dữ liệu tỉnh", owner=province,
                                 category=System.Category.LGSP, security_level=3)


@pytest.fixture
def portal(agency):
    return System.objects.create(code="portal", name="Cổng thông tin điện tử Sở", owner=agency,
                                 category=System.Category.PORTAL, security_level=2)


@pytest.fixture
def make_incident(operator, agency, portal):
    def make(**overrides):
        values = {
            "user": operator, "orgunit": agency, "title": "Tấn công thay đổi giao diện cổng thông tin",
            "incident_type": "Tấn công thay đổi giao diện", "description": "Trang chủ bị thay nội dung.",
            "detected_at": DETECTED, "detection_method": "Hệ thống giám sát", "contact_name": "Trần Thị Lan",
            "contact_phone": "0276 3822 123", "operating_unit": "Trung tâm Chuyển đổi số", "systems": [portal],
        }
        values.update(overrides)
        return security_incident_create(**values)

    return make


@pytest.fixture
def english():
    with translation.override("en"):
        yield
