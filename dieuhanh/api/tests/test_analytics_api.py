"""Analytics through the API: the figures of the indicator page and the KPI cards (the same Reader), with target,
growth, previous period, pace, completeness and estimate flags, only for units the key may read."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dieuhanh.indicators.models import Channel, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.lib.periods import Period, PeriodType
from dieuhanh.reporting.completeness import local_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def months(province, commune_a, commune_b, revenue, monthly_form, leader, admin_user):
    """Revenue of both communes over the last three months and the same months last year (approved), commune B's
    latest month an estimate; the province's target for this year and last year's."""
    month = Period.containing(PeriodType.MONTH, local_today())
    periods = [month.previous().previous(), month.previous(), month]

    def save(unit, period, kind, value, state=ValueState.APPROVED):
        datavalues_save(state=state, orgunit=unit, period=period, user=leader, channel=Channel.WEB,
                        values=[ValueInput(revenue, kind, Decimal(value))])

    for i, period in enumerate(periods):
        save(commune_a, period.id, "actual", Decimal("100.25") * (i + 1))
        save(commune_b, period.id, "estimate" if period == month else "actual", Decimal("80.5") + i)
        save(commune_a, period.same_period_last_year().id, "actual", Decimal("90") + i)
        save(commune_b, period.same_period_last_year().id, "actual", Decimal("70") + i)
    save(province, str(month.year), "target", "4000")
    return periods


def get(client, **params):
    return client.get("/api/v1/analytics", params)


def cell(body, org_unit="TN", period=None):
    return next(i for i in body["items"] if i["org_unit"] == org_unit and (period is None or i["period"] == period))


def test_a_figure_equals_what_the_indicator_page_shows(client, leader, key_for, api_client, months, province):
    """The same cell read by the API and by the indicator page (its table and headline) for a leader of the
    province: the same value, target, last year's value, growth basis and pace."""
    latest = months[-1]
    client.force_login(leader)
    page = client.get(reverse("dashboard:indicator", args=["DT_VT"]) + f"?unit=TN&period={latest.id}")
    assert page.status_code == 200
    rows = {r.period.id: r for r in page.context["rows"]}
    headline = page.context["headline"]

    api = api_client(key_for(province, access="read"))
    own = get(api, indicator="DT_VT", orgUnit="TN", period=[p.id for p in months]).json()
    for period in months:
        item = cell(own, period=period.id)
        assert Decimal(item["value"]["value"]) == rows[period.id].value
        assert item["value"]["is_estimate"] is rows[period.id].is_estimate
        assert Decimal(item["last_year"]["value"]) == rows[period.id].last_year
    assert cell(own, period=latest.id)["value"]["is_estimate"] is True

    ytd = cell(get(api, indicator="DT_VT", orgUnit="TN", period=latest.id, ytd="true").json())
    assert Decimal(ytd["value"]["value"]) == headline.raw_value
    assert Decimal(ytd["pace"]["ratio"]) == headline.pace_ratio
    assert ytd["pace"]["label"] == headline.pace_label
    assert Decimal(ytd["target"]["value"]) == Decimal("4000")


def test_it_gives_growth_change_pace_and_completeness_as_computed_by_hand(key_for, api_client, months, province):
    before = months[-2]
    api = api_client(key_for(province, access="read"))
    item = cell(get(api, indicator="DT_VT", orgUnit="TN", period=before.id).json())
    value = Decimal("100.25") * 2 + Decimal("81.5")
    assert Decimal(item["value"]["value"]) == value
    last_year = Decimal("91") + Decimal("71")
    assert Decimal(item["last_year"]["value"]) == last_year
    assert Decimal(item["growth"]["pct"]).quantize(Decimal("0.0001")) == (
        (value * 100 / last_year) - 100).quantize(Decimal("0.0001"))
    assert item["growth"]["compared"] is None  # both units reported both times: whole
    previous = Decimal("100.25") + Decimal("80.5")
    assert Decimal(item["previous"]["value"]) == previous
    assert Decimal(item["change"]["pct"]).quantize(Decimal("0.0001")) == (
        (value * 100 / previous) - 100).quantize(Decimal("0.0001"))
    assert item["value"]["units_reported"] == 2 and item["value"]["units_expected"] == 2
    assert item["value"]["pending"] == 0 and item["value"]["as_of"]
    # A month's own figure against the twelfth of the year's target it should bring.
    ratio = value / (Decimal("4000") / 12)
    assert Decimal(item["pace"]["ratio"]).quantize(Decimal("0.0001")) == ratio.quantize(Decimal("0.0001"))
    assert item["pace"]["code"] == ("on_track" if ratio >= Decimal("0.95") else
                                    "at_risk" if ratio >= Decimal("0.85") else "behind")
    assert Decimal(item["pct_of_target"]).quantize(Decimal("0.01")) == (value * 100 / 4000).quantize(Decimal("0.01"))
    assert item["period_label"] == before.label and item["indicator_name"] == "Doanh thu viễn thông"


def test_a_submitted_figure_is_pending_and_a_missing_unit_is_counted(key_for, api_client, months, province,
                                                                     commune_a, revenue, leader, reporter_a,
                                                                     monthly_form):
    """Commune A submits its report (not yet approved), commune B has not reported."""
    from dieuhanh.reporting.services import submission_save_values, submission_submit

    earlier = months[0].previous()  # nothing stored yet
    draft = submission_save_values(form=monthly_form, orgunit=commune_a, period=earlier.id, user=reporter_a,
                                   channel=Channel.WEB, values=[ValueInput(revenue, "actual", Decimal("10"))])
    submission_submit(submission=draft, user=reporter_a)
    datavalues_save(state=ValueState.APPROVED, orgunit=province, period=str(earlier.year), user=leader,
                    channel=Channel.WEB, values=[ValueInput(revenue, "target", Decimal("4000"))])
    api = api_client(key_for(province, access="read"))
    body = get(api, indicator="DT_VT", orgUnit="TN", period=earlier.id, notReported="true").json()
    item = cell(body)
    assert item["value"]["units_reported"] == 1 and item["value"]["units_expected"] == 2
    assert item["value"]["pending"] == 1
    assert item["pace"] is None  # one unit of two against the province's target is no pace
    assert item["not_reported"] == ["XA-B"]


def test_a_key_for_commune_a_gets_404_on_commune_bs_figures(key_for, api_client, months, commune_a):
    api = api_client(key_for(commune_a, access="read"))
    month = months[-1].id
    for unit in ("XA-B", "TN", "NOWHERE"):
        response = get(api, indicator="DT_VT", orgUnit=unit, period=month)
        assert response.status_code == 404
        assert response.json()["code"] == "E_NOT_FOUND"
    response = get(api, indicator="DT_VT", orgUnit=["XA-A", "XA-B"], period=month)
    assert response.status_code == 404
    # Without orgUnit: the key's root. Its own figure only, whatever the province holds.
    body = get(api, indicator="DT_VT", period=month).json()
    assert [i["org_unit"] for i in body["items"]] == ["XA-A"]
    assert Decimal(body["items"][0]["value"]["value"]) == Decimal("100.25") * 3


def test_children_and_period_types(key_for, api_client, months, province):
    api = api_client(key_for(province, access="read"))
    latest = months[-1]
    body = get(api, indicator="DT_VT", orgUnit="TN", children="true", period=latest.id).json()
    # The children by name: Phường Long An, Sở Khoa học và Công nghệ (no figure), Xã Hưng Điền.
    assert [i["org_unit"] for i in body["items"]] == ["TN", "XA-B", "SKHCN", "XA-A"]
    assert body["items"][2]["value"]["value"] is None
    total = sum(Decimal(i["value"]["value"]) for i in body["items"] if i["org_unit"].startswith("XA-"))
    assert Decimal(body["items"][0]["value"]["value"]) == total

    months_of_year = get(api, indicator="DT_VT", orgUnit="TN", period=str(latest.year), periodType="month").json()
    assert [i["period"] for i in months_of_year["items"]] == [f"{latest.year}{m:02d}" for m in range(1, 13)]
    year = cell(get(api, indicator="DT_VT", orgUnit="TN", period=str(latest.year)).json())
    assert year["period"] == str(latest.year) and year["value"]["months"] == len(
        [p for p in months if p.year == latest.year])


def test_bad_questions_answer_in_the_error_shape(key_for, api_client, months, province):
    api = api_client(key_for(province, access="read"))
    month = months[-1].id
    unknown = get(api, indicator=["DT_VT", "NOPE"], orgUnit="TN", period=month)
    assert unknown.status_code == 400
    assert unknown.json() | {"errors": []} == {"code": "E_UNKNOWN", "message": "Không có chỉ tiêu NOPE",
                                               "field": "indicator", "index": 1, "errors": []}
    bad = get(api, indicator="DT_VT", orgUnit="TN", period=[month, "2026M13"])
    assert bad.status_code == 400 and bad.json()["field"] == "period" and bad.json()["index"] == 1
    assert get(api, indicator="DT_VT", orgUnit="TN").json()["code"] == "E_REQUIRED"
    assert get(api, orgUnit="TN", period=month).json()["field"] == "indicator"
    wrong = get(api, indicator="DT_VT", orgUnit="TN", period=month, boundaries="yesterday")
    assert wrong.status_code == 400 and wrong.json()["field"] == "boundaries"
    broad = get(api, indicator="DT_VT", orgUnit="TN", children="true", period="2026", periodType="month",
                notReported="true")
    assert broad.status_code == 200  # 3 units × 12 months
    too_broad = get(api, indicator="DT_VT", orgUnit="TN", children="true",
                    period=[str(y) for y in range(2000, 2030)], periodType="month", notReported="true")
    assert too_broad.status_code == 400 and too_broad.json()["code"] == "E_TOO_BROAD"
