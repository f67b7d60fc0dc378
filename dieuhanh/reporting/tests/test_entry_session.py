"""An expired session on an HTMX request sends the whole window to the login page (HtmxLoginRedirectMiddleware)."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def history_url(monthly_form, commune_a, revenue):
    return reverse("reporting:cell_history", args=[monthly_form.pk, commune_a.code, "202603", revenue.pk, "actual"])


def test_an_htmx_request_without_a_session_gets_hx_redirect(client, monthly_form, commune_a, history_url):
    page = reverse("reporting:entry", args=[monthly_form.pk, commune_a.code, "202603"])
    response = client.get(history_url, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=f"http://testserver{page}")
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/login/?next={page.replace('/', '%2F')}"
    assert response.content == b""


def test_without_a_current_url_next_is_the_requested_path(client, history_url):
    response = client.get(history_url, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith("/login/?next=%2Freporting%2Fforms%2F")
    assert response["HX-Redirect"].endswith("%2Factual%2F")


def test_a_foreign_current_url_is_not_used_as_next(client, history_url):
    response = client.get(history_url, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="https://evil.example/x")
    assert "evil" not in response["HX-Redirect"]


def test_an_expired_session_is_treated_like_no_session(client, reporter_a, history_url):
    client.force_login(reporter_a)
    assert client.get(history_url, HTTP_HX_REQUEST="true").status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(history_url, HTTP_HX_REQUEST="true")
    assert "HX-Redirect" in response and "/login/" in response["HX-Redirect"]


def test_plain_requests_still_redirect_to_log_in(client, history_url):
    response = client.get(history_url)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={history_url}"
    assert "HX-Redirect" not in response


def test_other_htmx_redirects_are_left_alone(client, reporter_a, monthly_form, commune_a, revenue, mobile_revenue,
                                             subscribers):
    client.force_login(reporter_a)
    url = reverse("reporting:entry", args=[monthly_form.pk, commune_a.code, "202603"])
    response = client.post(url, {"action": "save", "version": "0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 302 and response["Location"] == url
    assert "HX-Redirect" not in response
