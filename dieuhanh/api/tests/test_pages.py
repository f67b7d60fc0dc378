"""The pages that register systems and make keys: administrators only for clients, anyone for their own tokens; the
key's text shown once; revoking asks first; bad input says what is wrong and saves nothing."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from dieuhanh.accounts.keys import apikey_authenticate
from dieuhanh.accounts.models import ApiClient, ApiKey

pytestmark = pytest.mark.django_db
SYSTEM = "Hệ thống một cửa điện tử tỉnh"


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def in_a_week() -> str:
    return (timezone.localdate() + datetime.timedelta(days=7)).strftime("%d/%m/%Y")


def test_only_administrators_reach_the_clients_pages(admin_user, reporter_a, leader):
    assert Client().get("/api/clients/").status_code == 302
    for person in (reporter_a, leader):
        assert logged_in(person).get("/api/clients/").status_code == 403
        assert logged_in(person).post("/api/clients/new/", {"name": "X"}).status_code == 403
    assert not ApiClient.objects.exists()
    page = logged_in(admin_user).get("/api/clients/")
    assert page.status_code == 200 and "Kết nối API" in page.content.decode()
    assert 'id="nav-api"' in page.content.decode()
    assert 'id="nav-api"' not in logged_in(reporter_a).get("/api/tokens/").content.decode()
    assert 'id="nav-my-keys"' in logged_in(reporter_a).get("/api/tokens/").content.decode()


def test_an_administrator_registers_a_system(admin_user):
    browser = logged_in(admin_user)
    refused = browser.post("/api/clients/new/", {"name": "", "contact": "vnpt@tayninh.gov.vn"})
    assert refused.status_code == 200 and "Chưa đăng ký được hệ thống" in refused.content.decode()
    assert not ApiClient.objects.exists()
    answer = browser.post("/api/clients/new/", {"name": SYSTEM, "contact": "vnpt@tayninh.gov.vn"})
    client = ApiClient.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/api/clients/{client.pk}/"
    assert client.created_by == admin_user and client.contact == "vnpt@tayninh.gov.vn"
    again = browser.post("/api/clients/new/", {"name": SYSTEM})
    assert again.status_code == 200 and ApiClient.objects.count() == 1
    assert "đã có" in again.content.decode() or "already exists" not in again.content.decode()
    listing = browser.get("/api/clients/").content.decode()
    assert SYSTEM in listing and "vnpt@tayninh.gov.vn" in listing


def test_a_key_is_shown_once_and_stored_hashed(admin_user, system, province):
    browser = logged_in(admin_user)
    answer = browser.post(f"/api/clients/{system.pk}/", {"root": province.pk, "access": "read_write",
                                                         "name": "máy chủ đồng bộ", "expires_on": in_a_week()})
    key = ApiKey.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/api/keys/{key.pk}/made/"
    page = browser.get(answer["Location"])
    html = page.content.decode()
    assert "chỉ hiển thị một lần" in html and 'id="copy-key"' in html
    raw = html.split('id="key-text" value="')[1].split('"')[0]
    assert raw.startswith(f"dh_{key.prefix}_") and raw not in (key.hashed, key.prefix)
    assert apikey_authenticate(raw) == key and key.can_write and key.root == province
    assert key.expires_at.astimezone(timezone.get_current_timezone()).date() == (
        timezone.localdate() + datetime.timedelta(days=8))
    assert "no-store" in page["Cache-Control"]
    # A reload, or anyone else, sees it no more.
    again = browser.get(answer["Location"]).content.decode()
    assert raw not in again and 'id="no-longer-shown"' in again
    detail = browser.get(f"/api/clients/{system.pk}/").content.decode()
    assert f"dh_{key.prefix}_…" in detail and raw not in detail and "Đang dùng" in detail


def test_bad_key_input_saves_nothing(admin_user, system, province):
    browser = logged_in(admin_user)
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    for data, field_text in (({"root": province.pk, "access": "read", "expires_on": yesterday}, "tương lai"),
                             ({"root": province.pk, "access": "read", "expires_on": "31/02/2027"}, "31/12/2026"),
                             ({"root": 999999, "access": "read"}, "hợp lệ"),
                             ({"root": province.pk, "access": "admin"}, "hợp lệ")):
        answer = browser.post(f"/api/clients/{system.pk}/", data)
        assert answer.status_code == 200 and field_text in answer.content.decode(), data
        assert "Chưa tạo được khóa" in answer.content.decode()
    assert not ApiKey.objects.exists()


def test_revoking_asks_first_and_then_the_key_is_refused(admin_user, system, key_for, province, api_client):
    raw = key_for(province)
    key = ApiKey.objects.get()
    browser = logged_in(admin_user)
    confirm = browser.get(f"/api/keys/{key.pk}/revoke/")
    assert confirm.status_code == 200 and 'id="confirm-revoke"' in confirm.content.decode()
    key.refresh_from_db()
    assert key.revoked_at is None and api_client(raw).get("/api/v1/me").status_code == 200
    answer = browser.post(f"/api/keys/{key.pk}/revoke/")
    assert answer.status_code == 302 and answer["Location"] == f"/api/clients/{system.pk}/"
    key.refresh_from_db()
    assert key.revoked_at is not None and api_client(raw).get("/api/v1/me").status_code == 401
    assert "Đã thu hồi" in browser.get(answer["Location"]).content.decode()


def test_a_person_makes_tokens_with_at_most_their_rights(reporter_a, commune_a, commune_b, leader, province):
    browser = logged_in(reporter_a)
    page = browser.get("/api/tokens/").content.decode()
    assert f'value="{commune_a.pk}"' in page and f'value="{commune_b.pk}"' not in page
    refused = browser.post("/api/tokens/", {"root": commune_b.pk, "access": "read"})
    assert refused.status_code == 200 and "hợp lệ" in refused.content.decode()
    answer = browser.post("/api/tokens/", {"root": commune_a.pk, "access": "read_write", "name": "bảng tính"})
    token = ApiKey.objects.get()
    assert answer.status_code == 302 and token.user == reporter_a and token.client is None and token.can_write
    assert "dh_" in browser.get(answer["Location"]).content.decode()
    # A leader reads only: read-write is not offered, and refused when sent.
    reader = logged_in(leader)
    assert 'value="read_write"' not in reader.get("/api/tokens/").content.decode()
    assert reader.post("/api/tokens/", {"root": province.pk, "access": "read_write"}).status_code == 200
    assert ApiKey.objects.count() == 1
    # Only its owner revokes a token.
    assert reader.post(f"/api/keys/{token.pk}/revoke/").status_code == 403
    assert browser.post(f"/api/keys/{token.pk}/revoke/")["Location"] == "/api/tokens/"
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_someone_without_units_gets_no_form(outsider):
    page = logged_in(outsider).get("/api/tokens/").content.decode()
    assert 'id="no-units"' in page and 'id="key-form"' not in page
