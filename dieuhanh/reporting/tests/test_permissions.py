"""Who may open which reporting page: users × pages, asserting 200, 302 (to log in) or 404 (never 403, so that
another unit's data does not even show that it exists)."""

import pytest
from django.urls import NoReverseMatch, reverse

from dieuhanh.indicators.models import DataValue
from dieuhanh.reporting.models import Submission
from dieuhanh.reporting.services import submission_save_values, submission_submit

pytestmark = pytest.mark.django_db

USERS = ["admin_user", "leader", "reporter_a", "approver_a", "reporter_b", "outsider", "anonymous"]
PERIOD = "202603"


def entry_url(form, unit_code):
    try:
        return reverse("reporting:entry", args=[form.pk, unit_code, PERIOD])
    except NoReverseMatch:
        pytest.skip("the entry page is not wired yet")


def status_of(client, request, user_name, url, method="get", data=None):
    if user_name != "anonymous":
        client.force_login(request.getfixturevalue(user_name))
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    if response.status_code == 302:
        # Anonymous users go to log in; a successful save goes back to the page itself.
        assert ("/login/" in response["Location"]) == (user_name == "anonymous"), response["Location"]
    return response.status_code


@pytest.fixture
def everyone(request, admin_user, leader, reporter_a, approver_a, reporter_b, outsider, monthly_form):
    return monthly_form


FORM_LIST = {"admin_user": 200, "leader": 200, "reporter_a": 200, "approver_a": 200, "reporter_b": 200,
             "outsider": 200, "anonymous": 302}
COMPLETENESS = {"admin_user": 200, "leader": 200, "reporter_a": 200, "approver_a": 200, "reporter_b": 200,
                "outsider": 404, "anonymous": 302}
ENTRY_A = {"admin_user": 200, "leader": 200, "reporter_a": 200, "approver_a": 200, "reporter_b": 404,
           "outsider": 404, "anonymous": 302}
ENTRY_B = {"admin_user": 200, "leader": 200, "reporter_a": 404, "approver_a": 404, "reporter_b": 200,
           "outsider": 404, "anonymous": 302}
# Saving commune A's draft needs the reporter role on commune A: leaders and approvers read but do not write.
SAVE_A = {"admin_user": 302, "leader": 404, "reporter_a": 302, "approver_a": 404, "reporter_b": 404,
          "outsider": 404, "anonymous": 302}


@pytest.mark.parametrize("user_name", USERS)
def test_the_form_list(client, request, everyone, user_name):
    assert status_of(client, request, user_name, reverse("reporting:form_list")) == FORM_LIST[user_name]


@pytest.mark.parametrize("user_name", USERS)
def test_the_completeness_page(client, request, everyone, user_name):
    url = reverse("reporting:completeness", args=[everyone.pk, PERIOD])
    assert status_of(client, request, user_name, url) == COMPLETENESS[user_name]


@pytest.mark.parametrize("user_name", USERS)
def test_the_entry_page_of_commune_a(client, request, everyone, user_name):
    assert status_of(client, request, user_name, entry_url(everyone, "XA-A")) == ENTRY_A[user_name]


@pytest.mark.parametrize("user_name", USERS)
def test_the_entry_page_of_commune_b(client, request, everyone, user_name):
    assert status_of(client, request, user_name, entry_url(everyone, "XA-B")) == ENTRY_B[user_name]


@pytest.mark.parametrize("user_name", USERS)
def test_saving_commune_as_draft(client, request, everyone, revenue, user_name):
    url = entry_url(everyone, "XA-A")
    data = {"action": "save", "version": "0", f"v-{revenue.pk}-actual": "12,5"}
    code = status_of(client, request, user_name, url, method="post", data=data)
    assert code == SAVE_A[user_name]
    saved = DataValue.objects.filter(orgunit__code="XA-A", period=PERIOD, indicator=revenue).exists()
    assert saved == (code == 302 and user_name != "anonymous")


def test_a_commune_reporter_cannot_read_another_communes_draft(client, monthly_form, reporter_a, reporter_b,
                                                               commune_a, revenue):
    from decimal import Decimal

    from dieuhanh.indicators.services import ValueInput

    submission_save_values(form=monthly_form, orgunit=commune_a, period=PERIOD, user=reporter_a, channel="web",
                           values=[ValueInput(indicator=revenue, kind="actual", value=Decimal("777.25"))])
    client.force_login(reporter_b)
    response = client.get(entry_url(monthly_form, "XA-A"))
    assert response.status_code == 404
    assert "777" not in response.content.decode()
    client.force_login(reporter_a)
    assert "777,25" in client.get(entry_url(monthly_form, "XA-A")).content.decode()


def test_reporter_b_sees_only_commune_b_on_the_completeness_page(client, monthly_form, reporter_a, reporter_b,
                                                                 commune_a):
    sub = submission_save_values(form=monthly_form, orgunit=commune_a, period=PERIOD, values=[], user=reporter_a,
                                 channel="web")
    submission_submit(submission=sub, user=reporter_a)
    client.force_login(reporter_b)
    html = client.get(reverse("reporting:completeness", args=[monthly_form.pk, PERIOD])).content.decode()
    assert 'data-unit="XA-B"' in html
    assert 'data-unit="XA-A"' not in html and "Xã Hưng Điền" not in html
    assert "0/1" in html  # totals count commune B only
    client.force_login(reporter_a)
    html = client.get(reverse("reporting:completeness", args=[monthly_form.pk, PERIOD])).content.decode()
    assert 'data-unit="XA-A" data-state="submitted_late"' in html  # submitted now, long after 15/03/2026
    assert "Phường Long An" not in html
    assert Submission.objects.count() == 1
