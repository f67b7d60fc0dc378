"""The data-entry page: numbers in both styles, per-cell errors, sum rules, conflicts, access and history."""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dieuhanh.indicators.models import Channel, DataValue, ValueHistory, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.reporting.models import Submission

pytestmark = pytest.mark.django_db
PERIOD = "202603"


def english(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # as the language switcher sets it
    client.force_login(user)
    return client


def entry_url(form, unit, period=PERIOD) -> str:
    return reverse("reporting:entry", args=[form.pk, unit.code, period])


def name(indicator, kind) -> str:
    return f"v-{indicator.pk}-{kind}"


def page_version(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def cells(revenue, mobile_revenue, subscribers, **typed) -> dict:
    """Every cell of the monthly form, blank unless given as <code>_<kind>=text (e.g. revenue_actual)."""
    data = {}
    for ind, prefix in ((revenue, "revenue"), (mobile_revenue, "mobile"), (subscribers, "subscribers")):
        for kind in ("target", "estimate", "actual"):
            data[name(ind, kind)] = typed.get(f"{prefix}_{kind}", "")
    return data


def post(client, form, unit, action="save", version=None, **data):
    if version is None:
        version = page_version(client.get(entry_url(form, unit)).content.decode())
    return client.post(entry_url(form, unit), {"action": action, "version": version, **data})


def disabled_inputs(html: str) -> int:
    return len(re.findall(r'<input type="text"[^>]*\sdisabled>', html))


def values(unit, period=PERIOD) -> dict:
    return {(v.indicator.code, v.kind): v.value for v in DataValue.objects.filter(orgunit=unit, period=period)
            .select_related("indicator")}


@pytest.fixture
def ind(revenue, mobile_revenue, subscribers):
    return revenue, mobile_revenue, subscribers


def test_it_shows_the_form_in_the_official_layout(monthly_form, commune_a, reporter_a, ind):
    html = english(reporter_a).get(entry_url(monthly_form, commune_a)).content.decode()
    assert "01/BC-VT" in html and "Báo cáo tình hình viễn thông" in html and "Xã Hưng Điền" in html
    assert "Month 3/2026" in html  # Period.label
    assert "15/03/2026" in html  # deadline: the 15th of the period's month
    for heading in ("No.", "Indicator", "Unit of measure", "Target", "Estimate", "Actual",
                    "Previous period", "Same period last year", "Doanh thu", "Thuê bao", "tỷ đồng"):
        assert heading in html
    revenue, mobile_revenue, subscribers = ind
    # A cell only where the row asks for that kind.
    assert f'name="{name(revenue, "target")}"' in html
    assert f'name="{name(mobile_revenue, "target")}"' not in html
    assert f'name="{name(subscribers, "estimate")}"' not in html
    assert 'inputmode="decimal"' in html
    assert page_version(html) == "0"


def test_it_accepts_vietnamese_and_plain_numbers(client, monthly_form, commune_a, admin_user, ind):
    client = english(admin_user)  # the province's administrator, who may also set the target
    response = post(client, monthly_form, commune_a,
                    **cells(*ind, revenue_actual="1.762,38", revenue_target="2000.5", mobile_actual="800",
                            subscribers_actual="1.234.567"))
    assert response.status_code == 302
    assert values(commune_a) == {
        ("DT_VT", "actual"): Decimal("1762.38"), ("DT_VT", "target"): Decimal("2000.5"),
        ("DT_DD", "actual"): Decimal("800"), ("TB_DD", "actual"): Decimal("1234567"),
    }
    html = client.get(response["Location"]).content.decode()
    assert "Draft saved" in html
    assert 'value="1.762,38"' in html and 'value="2.000,50"' in html and 'value="1.234.567"' in html
    assert Submission.objects.get(orgunit=commune_a).version == 2


def test_saved_values_read_back_unchanged_when_the_page_is_saved_again(monthly_form, commune_a, admin_user, ind):
    client = english(admin_user)
    post(client, monthly_form, commune_a, **cells(*ind, revenue_target="2000", revenue_actual="0,123456",
                                                   subscribers_actual="1762"))
    html = client.get(entry_url(monthly_form, commune_a)).content.decode()
    shown = dict(re.findall(r'name="(v-\d+-\w+)" id="[^"]*" value="([^"]*)"', html))
    revenue, mobile_revenue, subscribers = ind
    assert shown[name(revenue, "target")] == "2.000,00"  # "2.000" would be ambiguous
    assert shown[name(revenue, "actual")] == "0,123456"  # more decimals than the indicator's 2 are kept
    assert shown[name(subscribers, "actual")] == "1.762"
    before = ValueHistory.objects.count()
    response = client.post(entry_url(monthly_form, commune_a),
                           {"action": "save", "version": page_version(html), **shown})
    assert response.status_code == 302
    assert ValueHistory.objects.count() == before


def test_it_names_every_bad_cell_and_saves_nothing(monthly_form, commune_a, admin_user, ind):
    revenue, mobile_revenue, subscribers = ind
    client = english(admin_user)
    response = post(client, monthly_form, commune_a,
                    **cells(*ind, revenue_actual="1.234.5", revenue_target="abc", mobile_actual="12",
                            subscribers_actual="1,5"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Doanh thu viễn thông (Actual): &#x27;1.234.5&#x27; is not a number" in html
    assert "Doanh thu viễn thông (Target): &#x27;abc&#x27; is not a number" in html
    assert "Thuê bao di động (Actual): &#x27;1,5&#x27; is not a whole number" in html
    # The user's input is kept, and each bad cell is marked with its own message.
    assert 'value="1.234.5"' in html and 'value="abc"' in html and 'value="12"' in html
    assert html.count("is-invalid") == 3
    assert f'id="{name(revenue, "target")}-error">&#x27;abc&#x27; is not a number' in html
    assert values(commune_a) == {}
    assert not Submission.objects.exists()


def test_it_explains_an_ambiguous_number(monthly_form, commune_a, reporter_a, ind):
    html = post(english(reporter_a), monthly_form, commune_a, **cells(*ind, revenue_actual="1.762")).content.decode()
    assert "ambiguous" in html and "1762" in html and "1,762" in html
    assert values(commune_a) == {}


def test_it_rejects_a_value_below_the_minimum(monthly_form, commune_a, reporter_a, ind):
    html = post(english(reporter_a), monthly_form, commune_a, **cells(*ind, revenue_actual="-5")).content.decode()
    assert "Doanh thu viễn thông (Actual): -5 is below the minimum 0" in html
    assert values(commune_a) == {}


def test_it_rejects_a_part_larger_than_its_total(monthly_form, commune_a, reporter_a, ind):
    response = post(english(reporter_a), monthly_form, commune_a,
                    **cells(*ind, revenue_actual="100", mobile_actual="150,5"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "add up to 150,5, more than the total 100" in html
    assert 'value="150,5"' in html
    assert values(commune_a) == {}


def test_it_reports_the_sum_rule_together_with_bad_cells(monthly_form, commune_a, reporter_a, ind):
    html = post(english(reporter_a), monthly_form, commune_a,
                **cells(*ind, revenue_actual="100", mobile_actual="150", subscribers_actual="x")).content.decode()
    assert "more than the total 100" in html and "&#x27;x&#x27; is not a number" in html


def test_it_clears_an_emptied_cell(monthly_form, commune_a, reporter_a, ind):
    client = english(reporter_a)
    post(client, monthly_form, commune_a, **cells(*ind, revenue_actual="10", subscribers_actual="5"))
    post(client, monthly_form, commune_a, **cells(*ind, revenue_actual="10"))
    assert values(commune_a) == {("DT_VT", "actual"): Decimal("10")}


def test_a_save_based_on_an_old_version_is_a_conflict(monthly_form, commune_a, reporter_a, admin_user, ind):
    a, b = english(reporter_a), english(admin_user)
    post(a, monthly_form, commune_a, **cells(*ind, revenue_actual="10"))
    version_a = page_version(a.get(entry_url(monthly_form, commune_a)).content.decode())
    version_b = page_version(b.get(entry_url(monthly_form, commune_a)).content.decode())
    assert post(a, monthly_form, commune_a, version=version_a, **cells(*ind, revenue_actual="20")).status_code == 302
    response = post(b, monthly_form, commune_a, version=version_b, **cells(*ind, revenue_actual="30"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="conflict"' in html and "reporter_a saved this report" in html
    assert 'value="30"' in html  # B's typing is kept for them to compare
    assert values(commune_a) == {("DT_VT", "actual"): Decimal("20")}


def test_a_report_created_by_someone_else_meanwhile_is_a_conflict(monthly_form, commune_a, reporter_a, admin_user,
                                                                   ind):
    a, b = english(reporter_a), english(admin_user)
    assert page_version(b.get(entry_url(monthly_form, commune_a)).content.decode()) == "0"
    post(a, monthly_form, commune_a, **cells(*ind, revenue_actual="10"))
    html = post(b, monthly_form, commune_a, version="0", **cells(*ind, revenue_actual="30")).content.decode()
    assert 'id="conflict"' in html
    assert values(commune_a) == {("DT_VT", "actual"): Decimal("10")}


def test_submitting_saves_and_locks(monthly_form, commune_a, reporter_a, ind):
    client = english(reporter_a)
    response = post(client, monthly_form, commune_a, action="submit", **cells(*ind, revenue_actual="10"))
    assert response.status_code == 302
    submission = Submission.objects.get(orgunit=commune_a)
    assert submission.status == "submitted"
    html = client.get(entry_url(monthly_form, commune_a)).content.decode()
    assert "Report submitted" in html and disabled_inputs(html) == 6 and 'value="save"' not in html
    response = post(client, monthly_form, commune_a, **cells(*ind, revenue_actual="99"))
    assert "locked" in response.content.decode()
    assert values(commune_a) == {("DT_VT", "actual"): Decimal("10")}


def test_a_failed_save_submits_nothing(monthly_form, commune_a, reporter_a, ind):
    post(english(reporter_a), monthly_form, commune_a, action="submit", **cells(*ind, revenue_actual="abc"))
    assert not Submission.objects.exists()
    assert values(commune_a) == {}


def test_an_approver_approves_returns_with_a_reason_and_reopens(monthly_form, commune_a, reporter_a, approver_a,
                                                               ind):
    reporter, approver = english(reporter_a), english(approver_a)
    post(reporter, monthly_form, commune_a, action="submit", **cells(*ind, revenue_actual="10"))
    url = entry_url(monthly_form, commune_a)

    response = approver.post(url, {"action": "return", "reason": "  "})
    assert response.status_code == 200 and "Say why the report is returned" in response.content.decode()
    assert Submission.objects.get().status == "submitted"

    assert approver.post(url, {"action": "approve"}).status_code == 302
    assert Submission.objects.get().status == "approved"
    html = reporter.get(url).content.decode()
    assert "Approved figures are locked" in html

    response = approver.post(url, {"action": "reopen", "reason": ""})
    assert "Say why the report is reopened" in response.content.decode()
    assert approver.post(url, {"action": "reopen", "reason": "Sai số liệu tháng 3"}).status_code == 302
    assert Submission.objects.get().status == "draft"

    post(reporter, monthly_form, commune_a, action="submit", **cells(*ind, revenue_actual="11"))
    assert approver.post(url, {"action": "return", "reason": "Thiếu số thuê bao"}).status_code == 302
    html = reporter.get(url).content.decode()
    assert 'id="returned-reason"' in html and "Thiếu số thuê bao" in html
    assert disabled_inputs(html) == 1  # returned reports can be corrected; the province's target stays as set
    events = re.findall(r'<td class="text-nowrap pe-4">(\w+ → \w+)</td>', html)
    assert events == ["Created → Draft", "Draft → Submitted", "Submitted → Approved", "Approved → Draft",
                      "Draft → Submitted", "Submitted → Returned"]
    assert "approver_a" in html and "Sai số liệu tháng 3" in html


def test_a_reporter_cannot_approve(monthly_form, commune_a, reporter_a, ind):
    client = english(reporter_a)
    post(client, monthly_form, commune_a, action="submit", **cells(*ind, revenue_actual="10"))
    assert client.post(entry_url(monthly_form, commune_a), {"action": "approve"}).status_code == 404
    assert 'id="approval"' not in client.get(entry_url(monthly_form, commune_a)).content.decode()
    assert Submission.objects.get().status == "submitted"


def test_other_units_and_outsiders_get_404(monthly_form, commune_a, reporter_b, outsider, ind):
    for user in (reporter_b, outsider):
        client = english(user)
        assert client.get(entry_url(monthly_form, commune_a)).status_code == 404
        assert post(client, monthly_form, commune_a, version="0", **cells(*ind, revenue_actual="1")).status_code == 404
    assert values(commune_a) == {}


def test_a_leader_reads_but_cannot_write(monthly_form, commune_a, leader, ind):
    client = english(leader)
    html = client.get(entry_url(monthly_form, commune_a)).content.decode()
    assert disabled_inputs(html) == 6 and 'value="save"' not in html
    assert post(client, monthly_form, commune_a, version="0", **cells(*ind, revenue_actual="1")).status_code == 404
    assert values(commune_a) == {}


def test_wrong_period_type_or_unknown_action(monthly_form, commune_a, reporter_a, ind):
    client = english(reporter_a)
    assert client.get(entry_url(monthly_form, commune_a, "2026Q1")).status_code == 404
    assert client.post(entry_url(monthly_form, commune_a), {"action": "delete"}).status_code == 400


def test_it_shows_the_previous_period_and_the_same_period_last_year(monthly_form, commune_a, reporter_a, ind):
    revenue, mobile_revenue, subscribers = ind
    datavalues_save(state=ValueState.APPROVED,
                    orgunit=commune_a, period="202602", user=reporter_a, channel=Channel.API, values=[
        ValueInput(revenue, "estimate", Decimal("1500.5")), ValueInput(revenue, "actual", Decimal("1600.25")),
        ValueInput(subscribers, "estimate", Decimal("123456")),
    ])
    datavalues_save(state=ValueState.APPROVED,
                    orgunit=commune_a, period="202503", user=reporter_a, channel=Channel.API, values=[
        ValueInput(revenue, "estimate", Decimal("1234.5")),
    ])
    html = english(reporter_a).get(entry_url(monthly_form, commune_a)).content.decode()
    assert "Month 2/2026" in html and "Month 3/2025" in html
    assert "1.600,25" in html and "1.500,50" not in html  # the actual wins over the estimate
    assert "123.456" in html  # no actual: the estimate
    assert "1.234,50" in html


def test_the_history_of_a_cell_shows_old_and_new_values(monthly_form, commune_a, reporter_a, leader, ind):
    revenue = ind[0]
    client = english(reporter_a)
    post(client, monthly_form, commune_a, **cells(*ind, revenue_actual="1.762,38"))
    post(client, monthly_form, commune_a, **cells(*ind, revenue_actual="1800"))
    url = reverse("reporting:cell_history", args=[monthly_form.pk, commune_a.code, PERIOD, revenue.pk, "actual"])
    assert url in client.get(entry_url(monthly_form, commune_a)).content.decode()
    html = english(leader).get(url).content.decode()
    rows = re.findall(r"<tr>\s*(<td.*?)</tr>", html, re.S)
    assert len(rows) == 2
    assert "1.762,38" in rows[0] and "1.800" in rows[0] and "Web form" in rows[0]  # newest first
    assert "—" in rows[1] and "1.762,38" in rows[1]
    local = timezone.localtime(ValueHistory.objects.first().changed_at)
    assert local.strftime("%d/%m/%Y %H:%M") in html
    assert "reporter_a" in html
    fragment = english(leader).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "1.762,38" in fragment


def test_the_history_page_keeps_the_access_rule(monthly_form, commune_a, reporter_b, reporter_a, ind, agency):
    revenue, mobile_revenue, subscribers = ind
    args = [monthly_form.pk, commune_a.code, PERIOD]
    url = reverse("reporting:cell_history", args=[*args, revenue.pk, "actual"])
    assert english(reporter_b).get(url).status_code == 404
    client = english(reporter_a)
    assert client.get(url).status_code == 200
    # Not on the form for that kind, not a kind, or not on the form at all.
    assert client.get(reverse("reporting:cell_history", args=[*args, subscribers.pk, "target"])).status_code == 404
    assert client.get(reverse("reporting:cell_history", args=[*args, revenue.pk, "guess"])).status_code == 404
    assert client.get(reverse("reporting:cell_history", args=[*args, 999999, "actual"])).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, monthly_form, commune_a):
    url = entry_url(monthly_form, commune_a)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == f"/login/?next={url}"
    assert "HX-Redirect" not in response


def test_the_deadline_skips_weekends_and_holidays(monthly_form, commune_a, reporter_a):
    monthly_form.deadline_kind = "working_days_after_cutoff"
    monthly_form.deadline_working_days = 1
    monthly_form.save()
    from dieuhanh.reporting.models import Holiday

    Holiday.objects.create(date=datetime.date(2026, 3, 16), name="Test holiday")
    # Cut-off 14/03/2026 (Saturday); Monday 16 is a holiday, so the first working day after is 17/03.
    html = english(reporter_a).get(entry_url(monthly_form, commune_a)).content.decode()
    assert "17/03/2026" in html


def test_a_web_save_keeps_comments_from_other_channels(monthly_form, commune_a, reporter_a, ind):
    revenue = ind[0]
    datavalues_save(state=ValueState.APPROVED,
                    orgunit=commune_a, period=PERIOD, user=reporter_a, channel=Channel.API, values=[
        ValueInput(revenue, "actual", Decimal("10"), comment="Số liệu sơ bộ"),
    ])
    client = english(reporter_a)
    assert 'title="Số liệu sơ bộ"' in client.get(entry_url(monthly_form, commune_a)).content.decode()
    post(client, monthly_form, commune_a, **cells(*ind, revenue_actual="10", revenue_target="12"))
    assert DataValue.objects.get(indicator=revenue, kind="actual").comment == "Số liệu sơ bộ"
    assert ValueHistory.objects.filter(kind="actual").count() == 1
