"""Each kind of event, made by real requests, lands in the trail with who, from where and before → after."""

import json
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from dieuhanh.accounts.keys import apiclient_create, apikey_create
from dieuhanh.accounts.models import Role, RoleAssignment
from dieuhanh.audit.models import Action, AuditEvent

from .conftest import PASSWORD

UA = "Mozilla/5.0 (X11; Linux x86_64) Chromium/120 kiem-tra"


def browser(ip="10.1.2.3"):
    return Client(REMOTE_ADDR=ip, HTTP_USER_AGENT=UA)


def test_it_records_a_login_and_a_logout_with_the_address_and_browser(reporter_a, commune_a, events):
    client = browser()
    assert client.post("/login/", {"username": "reporter_a", "password": PASSWORD}).status_code == 302
    client.post("/logout/")
    [login], [logout] = events(Action.LOGIN), events(Action.LOGOUT)
    assert (login.user_id, login.username, login.ip, login.unit_id) == (reporter_a.pk, "reporter_a", "10.1.2.3",
                                                                         commune_a.pk)
    assert login.user_agent == UA and login.path == "/login/"
    assert (logout.user_id, logout.ip) == (reporter_a.pk, "10.1.2.3")


def test_a_failed_login_keeps_the_name_typed_but_never_the_password(reporter_a, events):
    response = browser("10.9.9.9").post("/login/", {"username": "reporter_a", "password": "sai-mat-khau"})
    assert response.status_code == 200
    [failed] = events(Action.LOGIN_FAILED)
    assert (failed.user_id, failed.username, failed.ip) == (None, "reporter_a", "10.9.9.9")
    assert "sai-mat-khau" not in json.dumps([failed.before, failed.after, failed.object_text, failed.path])
    assert events(Action.LOGIN) == []


def test_a_lockout_is_recorded(reporter_a, settings, events):
    settings.AXES_FAILURE_LIMIT = 3
    client = browser("10.7.7.7")
    for _ in range(3):
        client.post("/login/", {"username": "reporter_a", "password": "sai"})
    assert client.post("/login/", {"username": "reporter_a", "password": PASSWORD}).status_code == 429
    lockouts = events(Action.LOCKOUT)
    assert lockouts and {(e.username, e.ip) for e in lockouts} == {("reporter_a", "10.7.7.7")}
    assert events(Action.LOGIN) == []


def test_a_password_change_is_recorded_without_the_password(reporter_a, events):
    client = browser()
    client.force_login(reporter_a)
    new = "Kiem-Tra#2026-xyzQ"
    response = client.post("/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302, response.content.decode()[:2000]
    [change] = events(Action.PASSWORD_CHANGE)
    assert (change.user_id, change.object_id, change.ip) == (reporter_a.pk, str(reporter_a.pk), "10.1.2.3")
    assert new not in json.dumps([change.before, change.after]) and change.before is None


def test_a_login_that_rehashes_the_password_is_not_a_password_change(reporter_a, events):
    reporter_a.save(update_fields=["password"])  # what check_password does when the hasher's work factor grows
    assert events(Action.PASSWORD_CHANGE) == []


def test_admin_changes_to_people_groups_and_roles_are_recorded(superuser, reporter_a, commune_a, province, events):
    client = browser("10.0.0.5")
    client.force_login(superuser)
    # A group made in the admin: the admin's log entry is a configuration change.
    response = client.post("/admin/auth/group/add/", {"name": "Kiểm toán"})
    assert response.status_code == 302 and LogEntry.objects.count() == 1
    [config] = [e for e in events(Action.CONFIG_CHANGE) if e.object_type == "auth.group"]
    assert (config.user_id, config.object_type, config.object_text, config.ip) == (
        superuser.pk, "auth.group", "Kiểm toán", "10.0.0.5")
    assert config.after["admin"] == "added"
    # A role given in the admin: the role change says who gave it, to whom, and where.
    response = client.post("/admin/accounts/roleassignment/add/", {
        "user": reporter_a.pk, "role": Role.APPROVER, "orgunit": province.pk})
    assert response.status_code == 302, response.content.decode()[:3000]
    role = RoleAssignment.objects.get(user=reporter_a, role=Role.APPROVER)
    [given] = [e for e in events(Action.ROLE_CHANGE) if e.object_id == str(role.pk)]
    assert given.user_id == superuser.pk and given.unit_id == province.pk and given.before is None
    assert given.after == {"user": "reporter_a", "role": str(Role.APPROVER.label), "unit": str(province)}
    # Then moved to the commune and taken away, each with before → after.
    response = client.post(f"/admin/accounts/roleassignment/{role.pk}/change/", {
        "user": reporter_a.pk, "role": Role.APPROVER, "orgunit": commune_a.pk})
    assert response.status_code == 302
    client.post(f"/admin/accounts/roleassignment/{role.pk}/delete/", {"post": "yes"})
    moved, removed = [e for e in events(Action.ROLE_CHANGE) if e.object_id == str(role.pk)][1:]
    assert (moved.before["unit"], moved.after["unit"]) == (str(province), str(commune_a))
    assert removed.before["unit"] == str(commune_a) and removed.after is None
    assert not RoleAssignment.objects.filter(pk=role.pk).exists()


def test_flags_groups_and_permissions_of_a_person_are_recorded(superuser, reporter_a, events):
    group = Group.objects.create(name="Lãnh đạo")
    client = browser()
    client.force_login(superuser)
    reporter_a.is_staff = True
    reporter_a.save()
    reporter_a.groups.add(group)
    reporter_a.groups.remove(group)
    changes = [(e.before, e.after) for e in events(Action.PERMISSION_CHANGE) if e.object_id == str(reporter_a.pk)]
    assert ({"is_staff": False}, {"is_staff": True}) in changes
    assert ({"groups": []}, {"groups": ["Lãnh đạo"]}) in changes
    assert ({"groups": ["Lãnh đạo"]}, {"groups": []}) in changes


def test_a_deleted_person_keeps_their_name_in_the_trail(reporter_a, events):
    browser().post("/login/", {"username": "reporter_a", "password": PASSWORD})
    reporter_a.delete()
    [login] = events(Action.LOGIN)
    assert login.username == "reporter_a"


@pytest.fixture
def system_key(admin_user, commune_a):
    system = apiclient_create(name="Hệ thống một cửa", created_by=admin_user)
    key, text = apikey_create(client=system, created_by=admin_user, root=commune_a, access="read_write",
                              name="một cửa")
    return key, text


def test_each_api_call_with_a_key_is_recorded_with_its_status(system_key, commune_a, events):
    key, text = system_key
    client = Client(HTTP_AUTHORIZATION=f"Bearer {text}", REMOTE_ADDR="172.16.0.9")
    assert client.get("/api/v1/orgUnits/XA-A").status_code == 200
    assert client.get("/api/v1/orgUnits/KHONG-CO").status_code == 404
    calls = events(Action.API_KEY_USE)
    assert [(c.after["status"], c.path, c.ip) for c in calls] == [
        (200, "/api/v1/orgUnits/XA-A", "172.16.0.9"), (404, "/api/v1/orgUnits/KHONG-CO", "172.16.0.9")]
    assert {(c.user_id, c.after["key"], c.after["method"], c.unit_id) for c in calls} == {
        (key.user_id, key.prefix, "GET", commune_a.pk)}
    Client(HTTP_AUTHORIZATION="Bearer dh_wrong_key").get("/api/v1/orgUnits/XA-A")
    assert len(events(Action.API_KEY_USE)) == 2  # an unknown key is no key's use


def test_a_figure_change_through_the_api_is_recorded_before_and_after(system_key, monthly_form, commune_a, events):
    _key, text = system_key
    client = Client(HTTP_AUTHORIZATION=f"Bearer {text}")

    def send(value):
        body = {"dataSet": "01/BC-VT", "period": "202603", "orgUnit": "XA-A",
                "dataValues": [{"dataElement": "DT_VT", "value": value}]}
        response = client.post("/api/v1/dataValueSets", json.dumps(body), content_type="application/json")
        assert response.status_code == 200, response.content

    send("100")
    send("125.5")
    first, second = events(Action.VALUE_CHANGE)
    assert first.unit_id == commune_a.pk and first.object_id == "api" and first.object_text == str(commune_a)
    assert (first.before, first.after) == ({"DT_VT · 202603 · actual": None}, {"DT_VT · 202603 · actual": "100"})
    assert (second.before, second.after) == ({"DT_VT · 202603 · actual": "100"},
                                             {"DT_VT · 202603 · actual": "125.5"})
    assert second.username.startswith("api") or second.user_id == _key.user_id
    assert second.path == "/api/v1/dataValueSets"


def test_a_refused_figure_write_leaves_no_audit_row(system_key, monthly_form, events):
    _key, text = system_key
    body = {"dataSet": "01/BC-VT", "period": "202603", "orgUnit": "XA-A",
            "dataValues": [{"dataElement": "DT_VT", "value": "-5"}, {"dataElement": "KHONG", "value": "1"}]}
    Client(HTTP_AUTHORIZATION=f"Bearer {text}").post("/api/v1/dataValueSets", json.dumps(body),
                                                     content_type="application/json")
    assert events(Action.VALUE_CHANGE) == []


def test_a_file_served_as_an_attachment_is_recorded(auditor, events):
    client = browser()
    client.force_login(auditor)
    response = client.get("/audit/export.xlsx?action=login")
    assert response.status_code == 200
    [export] = events(Action.EXPORT)
    assert export.user_id == auditor.pk and export.after["file"].endswith(".xlsx")
    assert export.path == "/audit/export.xlsx?action=login" and export.object_text == export.after["file"]


def test_recording_never_breaks_what_it_records(reporter_a, monkeypatch, events):
    def broken(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(AuditEvent, "save", broken)
    response = browser().post("/login/", {"username": "reporter_a", "password": PASSWORD})
    assert response.status_code == 302
    monkeypatch.undo()
    assert AuditEvent.objects.filter(action=Action.LOGIN).count() == 0


def test_configuration_saved_outside_the_admin_lists_only_what_changed(province, revenue, events):
    revenue.name = "Doanh thu viễn thông (mới)"
    revenue.save()
    [change] = [e for e in events(Action.CONFIG_CHANGE) if e.object_type == "indicators.indicator" and e.before]
    assert change.before == {"name": "Doanh thu viễn thông"} and change.after == {"name": "Doanh thu viễn thông (mới)"}
    [made] = [e for e in events(Action.CONFIG_CHANGE) if e.object_type == "orgunits.orgunit"]
    # Made: the fields a person sets, choices by their label; the tree's own bookkeeping (path) left out.
    assert made.before is None and made.after["code"] == "TN" and "path" not in made.after
    assert made.after["kind"] == str(province.get_kind_display())


def test_a_figure_saved_on_the_web_form_names_the_reporter_and_the_channel(monthly_form, commune_a, reporter_a,
                                                                           revenue, events):
    client = browser("10.3.3.3")
    client.force_login(reporter_a)
    url = reverse("reporting:entry", args=[monthly_form.pk, "XA-A", "202603"])
    version = re.search(r'name="version" value="(\d+)"', client.get(url).content.decode()).group(1)
    response = client.post(url, {"action": "save", "version": version, f"v-{revenue.pk}-actual": "1.762,38"})
    assert response.status_code == 302
    [change] = events(Action.VALUE_CHANGE)
    assert (change.user_id, change.unit_id, change.object_id, change.ip, change.path) == (
        reporter_a.pk, commune_a.pk, "web", "10.3.3.3", url)
    assert change.after == {"DT_VT · 202603 · actual": "1762.38"}
