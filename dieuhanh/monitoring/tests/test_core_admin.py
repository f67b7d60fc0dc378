"""The monitoring models in the admin: every list, add and change page opens for a superuser, in Vietnamese, and
the runner's rows cannot be edited there."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from dieuhanh.monitoring.models import (
    Check,
    CheckResult,
    Incident,
    MaintenanceWindow,
    State,
    StateChange,
    System,
    SystemMonth,
)
from dieuhanh.monitoring.services import check_create, incident_open, maintenance_create, system_create


@pytest.fixture
def rows(province):
    system = system_create(user=None, code="vb", name="Quản lý văn bản và hồ sơ công việc", owner=province)
    check = check_create(system=system, user=None, name="Web", kind=Check.Kind.HTTP, url="https://vb.gov.vn/")
    now = timezone.now()
    CheckResult.objects.create(check=check, at=now, ok=True, response_ms=120)
    StateChange.objects.create(check=check, system=system, at=now, old=State.UNKNOWN, new=State.UP)
    SystemMonth.objects.create(system=system, month=now.date().replace(day=1), counted_seconds=100)
    maintenance_create(user=None, name="Bảo trì", systems=[system], starts_at=now, ends_at=now + dt.timedelta(hours=1))
    incident_open(system=system, title="Không truy cập được", user=None)


def test_the_admin_pages_open_in_vietnamese(client, rows):
    admin = get_user_model().objects.create_superuser("root", password="secret-pass-123")
    client.force_login(admin)
    for model in (System, Check, CheckResult, StateChange, SystemMonth, MaintenanceWindow, Incident):
        name = model._meta.model_name
        page = client.get(reverse(f"admin:monitoring_{name}_changelist"))
        assert page.status_code == 200, name
        obj = model.objects.first()
        assert client.get(reverse(f"admin:monitoring_{name}_change", args=[obj.pk])).status_code == 200, name
        add = client.get(reverse(f"admin:monitoring_{name}_add"))
        assert add.status_code == (403 if model in (CheckResult, StateChange, SystemMonth) else 200), name
    page = client.get(reverse("admin:monitoring_system_changelist")).content.decode()
    assert "Hệ thống thông tin" in page and "Quản lý văn bản và hồ sơ công việc" in page
