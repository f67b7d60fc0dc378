"""Shared test fixtures: a small province with named users, as in healthchecks' base test case.

- `province` (TN) with communes `commune_a`, `commune_b` and agency `agency`
- users: `admin_user` (administrator of the province), `leader` (province), `reporter_a` / `approver_a`
  (commune A only), `reporter_b` (commune B), `outsider` (no role)
"""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from dieuhanh.accounts.models import Role, RoleAssignment
from dieuhanh.indicators.models import Indicator, Sector
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.orgunits.services import orgunit_create

# The rows the migrations seed (rules and templates as data): (app, migration with a `seed(apps, schema_editor)`,
# a model that is empty only when the seed is missing).
SEEDED = [
    ("commendations", "0002_seed_rules", "Authority"),
    ("commendations", "0005_seed_member_criteria", "MemberCriterion"),
    ("monitoring", "0003_security_reporting_rules", "ReportingRule"),
    ("reports", "0002_seed_templates", "ReportTemplate"),
]


def seeds_ensure() -> None:
    for app, migration, model in SEEDED:
        if not apps.get_model(app, model).objects.exists():
            importlib.import_module(f"dieuhanh.{app}.migrations.{migration}").seed(apps, None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (live server, browser) ends by emptying every table, the migrations' seeded rules
    with them; once its fixtures are torn down, put them back for the tests after it, which expect the database
    as migrated."""
    yield
    marker = item.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())) or (
        marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    # After the session's last test the test database is already gone: nothing is left to put back.
    if transactional and nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            seeds_ensure()


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


@pytest.fixture
def mobile_revenue(ict_sector):
    """A part of `revenue` on the form (sum rule: it may not exceed the total)."""
    return Indicator.objects.create(
        code="DT_DD", name="Doanh thu dịch vụ di động", unit="tỷ đồng", sector=ict_sector, decimals=2, min_value=0
    )


@pytest.fixture
def monthly_form(commune_a, commune_b, revenue, mobile_revenue, subscribers, agency):
    """Form "01/BC-VT", monthly, due on the 15th of the period's month, reported by both communes.

    Rows: revenue (target, estimate, actual), mobile revenue as a part of revenue (estimate, actual),
    subscribers (actual)."""
    from dieuhanh.reporting.models import FormRow, FormSection, ReportForm

    form = ReportForm.objects.create(
        code="01/BC-VT", name="Báo cáo tình hình viễn thông", period_type="month", deadline_day=15, receiver=agency
    )
    form.units.set([commune_a, commune_b])
    section = FormSection.objects.create(form=form, order=1, title="Doanh thu")
    total = FormRow.objects.create(section=section, order=1, indicator=revenue, kinds="target,estimate,actual")
    FormRow.objects.create(section=section, order=2, indicator=mobile_revenue, kinds="estimate,actual",
                           total_row=total)
    other = FormSection.objects.create(form=form, order=2, title="Thuê bao")
    FormRow.objects.create(section=other, order=1, indicator=subscribers, kinds="actual")
    return form


@pytest.fixture(scope="session", autouse=True)
def _close_stray_postgres_sessions(django_db_setup, django_db_blocker):
    """Browser tests run ORM code inside Playwright's event loop, where Django keeps a separate connection that
    nothing closes; PostgreSQL then refuses to drop the test database. End such sessions before the drop."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connection.close()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (Vietnamese): a request in English leaves its thread in English,
    and a later test's labels and messages would then depend on the order the tests ran in."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
