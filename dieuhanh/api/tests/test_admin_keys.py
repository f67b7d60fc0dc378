"""The admin shows clients and keys, read-only (no hash), and offers no way to add, change or delete them."""

from django.test import Client

from dieuhanh.accounts.models import ApiKey


def test_the_admin_shows_clients_and_keys_read_only(admin_user, key_for, province, system):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    key_for(province)
    browser = Client()
    browser.force_login(admin_user)
    key = ApiKey.objects.get()
    assert browser.get("/admin/accounts/apikey/").status_code == 200
    detail = browser.get(f"/admin/accounts/apikey/{key.pk}/change/")
    assert detail.status_code == 200 and key.hashed not in detail.content.decode()
    assert browser.get("/admin/accounts/apiclient/add/").status_code == 403
    assert browser.post(f"/admin/accounts/apikey/{key.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ApiKey.objects.count() == 1
