"""The delivery log page: state, attempts, last HTTP status and error, filters; who sees which subscriptions."""

from decimal import Decimal

import pytest

from dieuhanh.accounts.keys import apikey_create
from dieuhanh.indicators.services import ValueInput
from dieuhanh.reporting.services import submission_save_values, submission_submit
from dieuhanh.webhooks.models import WebhookDelivery

URL = "/webhooks/"


@pytest.fixture
def log(receiver, client_key, subscribe, sent, monthly_form, commune_a, reporter_a, revenue, leader):
    """Two subscriptions of the province's system (one answers 500, one 200) and one of the leader's own token."""
    failing, _ = subscribe(client_key(commune_a), ["report.submitted"], url=receiver.url + "/failing")
    working, _ = subscribe(client_key(commune_a), ["report.submitted"])
    token, _ = apikey_create(user=leader, created_by=leader, root=commune_a, access="read")
    personal, _ = subscribe(token, ["report.submitted"], url=receiver.url + "/leader")
    receiver.by_path["/hooks/dieuhanh/failing"] = [500]
    report = submission_save_values(form=monthly_form, orgunit=commune_a, period="202603", user=reporter_a,
                                    channel="web", values=[ValueInput(indicator=revenue, kind="actual",
                                                                      value=Decimal("4"))])
    with sent():
        submission_submit(submission=report, user=reporter_a)
    return failing, working, personal


def rows(response):
    html = response.content.decode()
    return html, html.count("data-delivery=")


def test_it_shows_state_attempts_status_and_error(client, admin_user, log, receiver):
    failing, working, personal = log
    states = {d.subscription_id: d.last_status for d in WebhookDelivery.objects.all()}
    assert states == {failing.pk: 500, working.pk: 200, personal.pk: 200}
    client.force_login(admin_user)
    response = client.get(URL)
    assert response.status_code == 200
    html, count = rows(response)
    assert count == 3
    assert "Nhật ký gửi webhook" in html and "Đã nộp báo cáo" in html
    assert "Đang chờ gửi" in html and "Đã gửi được" in html
    assert "Máy nhận trả lời HTTP 500" in html
    assert "Hệ thống một cửa điện tử tỉnh" in html and receiver.url in html

    failed = next(d for d in WebhookDelivery.objects.all() if d.last_status == 500)
    html, count = rows(client.get(URL, {"state": "pending"}))
    assert count == 1 and f'data-delivery="{failed.pk}"' in html
    html, count = rows(client.get(URL, {"subscription": personal.pk}))
    assert count == 1 and 'data-state="delivered"' in html
    html, count = rows(client.get(URL, {"state": "gave_up"}))
    assert count == 0 and 'id="no-deliveries"' in html


def test_a_person_sees_only_their_own_tokens_subscriptions(client, log, leader, outsider):
    _, _, personal = log
    client.force_login(leader)
    html, count = rows(client.get(URL))
    assert count == 1 and f'data-subscription="{personal.pk}"' in html
    assert "Hệ thống một cửa điện tử tỉnh" not in html
    client.force_login(outsider)
    html, count = rows(client.get(URL))
    assert count == 0 and 'id="no-subscriptions"' in html
    client.logout()
    assert client.get(URL).status_code == 302


def test_the_admin_lists_them_read_only_and_links_the_log(client, admin_user, log):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    for name in ("webhooksubscription", "webhookdelivery"):
        assert client.get(f"/admin/webhooks/{name}/").status_code == 200
        assert client.get(f"/admin/webhooks/{name}/add/").status_code == 403
    assert f'href="/webhooks/?subscription={log[0].pk}"' in client.get("/admin/webhooks/webhooksubscription/")\
        .content.decode()


def test_the_api_pages_link_the_log(client, admin_user, leader):
    for user, page in ((admin_user, "/api/clients/"), (leader, "/api/tokens/")):
        client.force_login(user)
        html = client.get(page).content.decode()
        assert 'id="webhook-log" href="/webhooks/"' in html or 'href="/webhooks/" id="webhook-log"' in html
        assert "Nhật ký gửi webhook" in html
