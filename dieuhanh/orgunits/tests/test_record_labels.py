""""Record" is both the unit card's header and the change form's button; each reads right in Vietnamese."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_card_header_and_the_button_have_their_own_words(client, admin_user, commune_a):
    client.force_login(admin_user)
    detail = client.get(reverse("orgunits:detail", args=[commune_a.code])).content.decode()
    assert '<div class="card-header">Thông tin chung</div>' in detail
    change = client.get(reverse("orgunits:change", args=[commune_a.code])).content.decode()
    assert '<button class="btn btn-primary">Ghi nhận</button>' in change
