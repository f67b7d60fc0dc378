"""Fixtures for tasks, on top of the province of dieuhanh/conftest.py (`province`, `agency` SKHCN,
`commune_a`, `commune_b`, `leader` on the province, `outsider` without roles).

- units: `lead_unit` (= `agency`, Sở Khoa học và Công nghệ), `finance` (Sở Tài chính, another lead unit),
  `coordinating_unit` (= `commune_a`); `commune_b` is involved in no task
- users: `office` (task office of the province), `leader` (reads everything), `lead_reporter` (reporter of
  the lead unit), `coord_reporter` (reporter of the coordinating unit), `outsider_reporter` (reporter of
  commune B, which has nothing to do with the tasks), `assigner_user` (the chairman's account)
- `assigner` (Chủ tịch UBND tỉnh, with `assigner_user`), `document` (125/QĐ-UBND of 05/01/2026),
  `instruction` (a meeting of 12/01/2026)
- `make_task(**overrides)`: registers a task through `task_create` as the office: by default led by the lead
  unit, coordinated by commune A, from `document`, assigned 10/01/2026, due 31/03/2026
- `task`: one such task
- `finish(occurrence, completed_on, confirm=True)`: completion reported by the lead unit, confirmed by the assigner
- `english`: messages in English while the test runs (for `pytest.raises(..., match=...)`)
"""

import datetime

import pytest

from dieuhanh.accounts.models import Role
from dieuhanh.assignments.models import Assigner
from dieuhanh.assignments.services import document_create, instruction_create, task_create
from dieuhanh.conftest import make_user
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.orgunits.services import orgunit_create

D = datetime.date


@pytest.fixture
def lead_unit(agency):
    return agency


@pytest.fixture
def finance(province):
    return orgunit_create(code="STC", name="Sở Tài chính", kind=OrgUnit.Kind.AGENCY, parent=province)


@pytest.fixture
def coordinating_unit(commune_a):
    return commune_a


@pytest.fixture
def office(province):
    return make_user("office", Role.OFFICE, province)


@pytest.fixture
def lead_reporter(lead_unit):
    return make_user("lead_reporter", Role.REPORTER, lead_unit)


@pytest.fixture
def coord_reporter(coordinating_unit):
    return make_user("coord_reporter", Role.REPORTER, coordinating_unit)


@pytest.fixture
def outsider_reporter(commune_b):
    return make_user("outsider_reporter", Role.REPORTER, commune_b)


@pytest.fixture
def assigner_user(province):
    return make_user("chairman", Role.LEADER, province)


@pytest.fixture
def assigner(province, assigner_user):
    return Assigner.objects.create(
        name="Nguyễn Văn Mạnh", position="Chủ tịch UBND tỉnh", orgunit=province, user=assigner_user
    )


@pytest.fixture
def document(office, province):
    return document_create(
        user=office, number="125/QĐ-UBND", issued_on=D(2026, 1, 5), issuer=province, signer="Nguyễn Văn Mạnh",
        summary="Ban hành Kế hoạch chuyển đổi số tỉnh Tây Ninh năm 2026",
    )


@pytest.fixture
def instruction(office):
    return instruction_create(
        user=office, meeting="Phiên họp thường kỳ UBND tỉnh tháng 01/2026", held_on=D(2026, 1, 12),
        instructed_by="Chủ tịch UBND tỉnh",
    )


@pytest.fixture
def make_task(office, assigner, document, lead_unit, coordinating_unit):
    counter = iter(range(1, 10_000))

    def make(**overrides):
        values = {
            "user": office,
            "title": f"Xây dựng Kế hoạch chuyển đổi số năm 2026 (phần {next(counter)})",
            "assigner": assigner,
            "assigned_on": D(2026, 1, 10),
            "lead_unit": lead_unit,
            "deadline_kind": "date",
            "deadline": D(2026, 3, 31),
            "document": document,
            "coordinating_units": [coordinating_unit],
        }
        if overrides.get("instruction") is not None:
            values["document"] = None
        values.update(overrides)
        return task_create(**values)

    return make


@pytest.fixture
def task(make_task):
    return make_task(title="Triển khai nền tảng tích hợp, chia sẻ dữ liệu của tỉnh")


@pytest.fixture
def finish(lead_reporter, assigner_user):
    """`finish(occurrence, completed_on, confirm=True, by=None)`: the lead unit (`by`, default `lead_reporter`)
    reports completion and the assigner confirms it (unless `confirm` is False)."""
    from dieuhanh.assignments.services import completion_confirm, completion_report

    def run(occurrence, completed_on, *, confirm=True, by=None):
        completion_report(user=by or lead_reporter, occurrence=occurrence, completed_on=completed_on,
                          result_note="Đã ban hành kế hoạch")
        if confirm:
            completion_confirm(user=assigner_user, occurrence=occurrence)
        occurrence.refresh_from_db()
        return occurrence

    return run


@pytest.fixture
def english():
    """Messages in English (the msgids), for tests that match on them whatever the Vietnamese says."""
    from django.utils import translation

    with translation.override("en"):
        yield
