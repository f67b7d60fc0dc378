"""GET /api/v1/dataValueSets (JSON) and /dataValueSets.csv: DHIS2's shape, the filters, the key's units, drafts."""

import csv
import datetime
import io
import json

import pytest
from django.utils import timezone

from dieuhanh.accounts.keys import apikey_create
from dieuhanh.indicators.models import DataValue
from dieuhanh.reporting.imports import ImportRow, values_import_rows
from dieuhanh.reporting.models import Submission
from dieuhanh.reporting.services import submission_submit

URL = "/api/v1/dataValueSets"


def enter(user, unit, period, cells, *, submit=False, form="01/BC-VT"):
    """`cells`: (indicator, kind, value text, comment) — entered by `user` through the one bulk entry point."""
    values_import_rows([ImportRow(form=form, unit=unit, period=period, indicator=i, kind=k, value=v, comment=c)
                        for i, k, v, c in cells], user=user, channel="web")
    if submit:
        submission_submit(submission=Submission.objects.get(form__code=form, orgunit__code=unit, period=period),
                          user=user)


@pytest.fixture
def reported(monthly_form, reporter_a, reporter_b, admin_user):
    """March 2026: commune A submitted (revenue 1234.5 actual with a comment, 1200 target set by the administrator,
    0.125 estimate of mobile revenue, 25 subscribers); commune B a draft (revenue 99)."""
    enter(admin_user, "XA-A", "202603", [("DT_VT", "target", "1200", "")])
    enter(reporter_a, "XA-A", "202603", [("DT_VT", "actual", "1234.5", "theo sở"), ("DT_DD", "estimate", "0.125", ""),
                                         ("TB_DD", "actual", "25", "")], submit=True)
    enter(reporter_b, "XA-B", "202603", [("DT_VT", "actual", "99", "")])
    return monthly_form


def streamed(response) -> str:
    assert response.status_code == 200, response.content
    assert response.streaming  # answers of any size, built row by row
    return b"".join(response.streaming_content).decode()


def dvs(response):
    body = json.loads(streamed(response))
    return body, {(v["orgUnit"], v["dataElement"], v["categoryOptionCombo"]): v["value"] for v in body["dataValues"]}


def test_it_reads_one_report_as_a_dhis2_set(reported, key_for, api_client, province):
    client = api_client(key_for(province, access="read"))
    response = client.get(URL, {"dataSet": "01/BC-VT", "period": "202603", "orgUnit": "XA-A"})
    assert response["Content-Type"] == "application/json"
    body, values = dvs(response)
    today = timezone.localdate().isoformat()
    assert {k: body[k] for k in ("dataSet", "period", "orgUnit", "completeDate")} == {
        "dataSet": "01/BC-VT", "period": "202603", "orgUnit": "XA-A", "completeDate": today}
    assert values == {("XA-A", "DT_VT", "actual"): "1234.5", ("XA-A", "DT_VT", "target"): "1200",
                      ("XA-A", "DT_DD", "estimate"): "0.125", ("XA-A", "TB_DD", "actual"): "25"}
    first = next(v for v in body["dataValues"] if v["categoryOptionCombo"] == "actual" and v["dataElement"] == "DT_VT")
    assert first["comment"] == "theo sở" and first["storedBy"] == "reporter_a" and first["period"] == "202603"
    assert first["followup"] is False
    assert datetime.datetime.fromisoformat(first["lastUpdated"]) <= timezone.now()


def test_a_draft_is_seen_only_where_the_key_may_enter_figures(reported, key_for, api_client, province, commune_b):
    # A read-only key of the province sees the reported values only: commune B's draft is not there.
    _body, values = dvs(api_client(key_for(province, access="read")).get(URL, {"period": "202603"}))
    assert {unit for unit, _i, _k in values} == {"XA-A"}
    # A read-write key of commune B (its system enters B's figures) sees B's draft, and nothing of A.
    _body, values = dvs(api_client(key_for(commune_b)).get(URL, {"period": "202603"}))
    assert values == {("XA-B", "DT_VT", "actual"): "99"}


def test_a_key_reads_only_its_units_and_another_answers_404(reported, key_for, api_client, commune_a):
    client = api_client(key_for(commune_a, access="read"))
    for url in (URL, URL + ".csv"):
        refused = client.get(url, {"orgUnit": "XA-B"})
        assert refused.status_code == 404
        assert refused.json()["code"] == "E_NOT_FOUND" and refused.json()["errors"][0]["code"] == "E_NOT_FOUND"
        # A unit that does not exist answers the same.
        assert client.get(url, {"orgUnit": "XA-NOWHERE"}).json() == refused.json()
    _body, values = dvs(client.get(URL))
    assert {unit for unit, _i, _k in values} == {"XA-A"}


def test_children_widen_a_unit_to_its_subtree(reported, key_for, api_client, province, approver_a):
    Submission.objects.filter(orgunit__code="XA-B").update(status=Submission.Status.SUBMITTED)
    DataValue.objects.filter(orgunit__code="XA-B").update(state=1)
    client = api_client(key_for(province, access="read"))
    body, values = dvs(client.get(URL, {"orgUnit": "TN"}))
    assert values == {} and body["orgUnit"] == "TN"
    body, values = dvs(client.get(URL, {"orgUnit": "TN", "children": "true"}))
    assert {unit for unit, _i, _k in values} == {"XA-A", "XA-B"} and "orgUnit" not in body
    _body, values = dvs(client.get(URL, {"orgUnit": ["XA-A", "XA-B"]}))
    assert {unit for unit, _i, _k in values} == {"XA-A", "XA-B"}


def test_the_filters(reported, key_for, api_client, province, reporter_a):
    enter(reporter_a, "XA-A", "202604", [("DT_VT", "actual", "1300", "")], submit=True)
    client = api_client(key_for(province, access="read"))
    _body, values = dvs(client.get(URL, {"period": ["202604"]}))
    assert values == {("XA-A", "DT_VT", "actual"): "1300"}
    both = dvs(client.get(URL, {"period": ["202603", "202604"]}))[0]["dataValues"]
    assert len(both) == 5
    # startDate–endDate: the periods lying within the dates.
    assert len(dvs(client.get(URL, {"startDate": "2026-03-01", "endDate": "2026-04-30"}))[0]["dataValues"]) == 5
    assert len(dvs(client.get(URL, {"startDate": "2026-04-01", "endDate": "2026-04-30"}))[0]["dataValues"]) == 1
    assert dvs(client.get(URL, {"startDate": "2026-03-02", "endDate": "2026-04-29"}))[1] == {}
    # lastUpdated: the values changed since.
    DataValue.objects.filter(period="202603").update(updated_at=timezone.now() - datetime.timedelta(days=3))
    since = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert dvs(client.get(URL, {"lastUpdated": since}))[1] == {("XA-A", "DT_VT", "actual"): "1300"}
    # Moments PostgreSQL cannot take as they are (an offset beyond ±15:59, the edges of the calendar) still answer.
    assert len(dvs(client.get(URL, {"lastUpdated": "2000-01-01T00:00:00-16:07"}))[0]["dataValues"]) == 5
    assert len(dvs(client.get(URL, {"lastUpdated": "0001-01-01T00:00:00"}))[0]["dataValues"]) == 5
    assert dvs(client.get(URL, {"lastUpdated": "9999-12-31T23:00:00-05:00"}))[1] == {}


def test_bad_filters_answer_in_the_error_shape(reported, key_for, api_client, province):
    client = api_client(key_for(province, access="read"))
    cases = [({"idScheme": "uid"}, 400, "E_ID_SCHEME", "idScheme"),
             ({"period": "2026-03"}, 400, "E_PERIOD", "period"),
             ({"startDate": "2026-03-01"}, 400, "E_DATES", "endDate"),
             ({"startDate": "2026-04-01", "endDate": "2026-03-01"}, 400, "E_DATES", "endDate"),
             ({"dataSet": "KHONG-CO"}, 404, "E_NOT_FOUND", "dataSet"),
             ({"orgUnit": "XA\x00"}, 400, "E_INVALID", None),
             ({"lastUpdated": "hôm qua"}, 422, "E_SCHEMA", "lastUpdated")]
    for params, status, code, field in cases:
        response = client.get(URL, params)
        assert response.status_code == status, (params, response.content)
        body = response.json()
        assert (body["code"], body["field"]) == (code, field), params
        assert body["message"] and body["errors"]
    assert "idScheme=code" in client.get(URL, {"idScheme": "uid"}).json()["message"]


def test_a_form_filter_takes_only_that_forms_cells(reported, key_for, api_client, province, ict_sector, commune_a,
                                                    reporter_a):
    from dieuhanh.indicators.models import Indicator
    from dieuhanh.reporting.models import FormRow, FormSection, ReportForm

    quarterly = ReportForm.objects.create(code="02/BC-Q", name="Quý", period_type="quarter", deadline_day=15)
    quarterly.units.set([commune_a])
    FormRow.objects.create(section=FormSection.objects.create(form=quarterly, title="A"),
                           indicator=Indicator.objects.get(code="DT_VT"), kinds="actual")
    enter(reporter_a, "XA-A", "2026Q1", [("DT_VT", "actual", "3000", "")], form="02/BC-Q", submit=True)
    client = api_client(key_for(province, access="read"))
    _body, values = dvs(client.get(URL, {"dataSet": "02/BC-Q"}))
    assert values == {("XA-A", "DT_VT", "actual"): "3000"}
    body = dvs(client.get(URL, {"dataSet": "01/BC-VT"}))[0]
    assert {v["period"] for v in body["dataValues"]} == {"202603"} and body["dataSet"] == "01/BC-VT"
    assert len(dvs(client.get(URL, {"dataSet": ["01/BC-VT", "02/BC-Q"]}))[0]["dataValues"]) == 5


def test_the_csv_has_dhis2s_columns(reported, key_for, api_client, province):
    response = api_client(key_for(province, access="read")).get(URL + ".csv", {"period": "202603"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(streamed(response))))
    assert rows[0] == ["dataelement", "period", "orgunit", "categoryoptioncombo", "attributeoptioncombo", "value",
                       "storedby", "lastupdated", "comment", "followup"]
    revenue = next(r for r in rows if r[0] == "DT_VT" and r[3] == "actual")
    assert revenue[:6] == ["DT_VT", "202603", "XA-A", "actual", "", "1234.5"]
    assert revenue[6] == "reporter_a" and revenue[8] == "theo sở" and revenue[9] == "false"
    assert len(rows) == 5


def test_a_personal_token_reads_with_its_owners_rights(reported, leader, province):
    _key, raw = apikey_create(user=leader, created_by=leader, root=province, access="read")
    from django.test import Client

    _body, values = dvs(Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(URL))
    assert {unit for unit, _i, _k in values} == {"XA-A"}  # B's draft is not the leader's to see
