"""Commendation fixtures over the shared province (dieuhanh/conftest.py): the seeded rules, a department with two
officials, and a decision of the department's Director and of the province's Chairman.

- `kind(code)` → the seeded AwardKind; `authority(code)` → the seeded Authority
- `dept` (the agency: Sở Khoa học và Công nghệ), `an` and `binh` (people of the department)
- `director_decision` (01/QĐ-SKHCN of 15/12/2025), `chairman_decision` (05/QĐ-UBND of 20/12/2025)
"""

from __future__ import annotations

import datetime

import pytest

from dieuhanh.commendations.models import Authority, AwardKind
from dieuhanh.commendations.services import decision_create, person_create


@pytest.fixture
def kind(db):
    return lambda code: AwardKind.objects.get(code=code)


@pytest.fixture
def authority(db):
    return lambda code: Authority.objects.get(code=code)


@pytest.fixture
def dept(agency):
    return agency


@pytest.fixture
def an(dept):
    return person_create(full_name="Nguyễn Văn An", unit=dept, position="Chuyên viên", gender="male")


@pytest.fixture
def binh(dept):
    return person_create(full_name="Trần Thị Bình", unit=dept, position="Trưởng phòng", gender="female")


@pytest.fixture
def director_decision(dept, authority):
    return decision_create(number="01/QĐ-SKHCN", date=datetime.date(2025, 12, 15), authority=authority("GD_SO"),
                           issuer=dept, signer_name="Lê Văn Giám", signer_position="Giám đốc")


@pytest.fixture
def chairman_decision(province, authority):
    return decision_create(number="05/QĐ-UBND", date=datetime.date(2025, 12, 20), authority=authority("CT_TINH"),
                           issuer=province, signer_name="Phạm Văn Chủ", signer_position="Chủ tịch")
