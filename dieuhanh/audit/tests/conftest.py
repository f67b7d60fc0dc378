"""Audit fixtures: `auditor` (a person whose group holds audit.view_auditevent), `superuser`, and `events(action)`,
the recorded rows of one action, oldest first."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from dieuhanh.audit.models import AuditEvent

PASSWORD = "secret-pass-123"


@pytest.fixture
def auditor(db, province):
    group = Group.objects.create(name="Kiểm tra")
    group.permissions.add(Permission.objects.get(codename="view_auditevent", content_type__app_label="audit"))
    user = get_user_model().objects.create_user(username="kiemtra", password=PASSWORD, first_name="Lê Kiểm Tra")
    user.groups.add(group)
    return user


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(username="root", password=PASSWORD)


@pytest.fixture
def events():
    def of(action):
        return list(AuditEvent.objects.filter(action=action).order_by("at", "pk"))
    return of
