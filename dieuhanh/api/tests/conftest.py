"""API fixtures on top of the project's small province (dieuhanh/conftest.py): an external system with keys, and a
client that sends a key.

- `system` — "Hệ thống một cửa điện tử tỉnh", an ApiClient
- `key_for(root, access="read_write", **kw)` — makes a key of `system` and returns its text
- `api_client(key)` — a django.test.Client that sends `Authorization: Bearer <key>` on every request
"""

import pytest
from django.test import Client

from dieuhanh.accounts.keys import apiclient_create, apikey_create


@pytest.fixture
def system(db, admin_user):
    return apiclient_create(name="Hệ thống một cửa điện tử tỉnh", contact="vnpt@tayninh.gov.vn", created_by=admin_user)


@pytest.fixture
def key_for(system, admin_user):
    def make(root, access="read_write", **kwargs):
        return apikey_create(client=system, created_by=admin_user, root=root, access=access, **kwargs)[1]
    return make


@pytest.fixture
def api_client():
    def make(key):
        return Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    return make
