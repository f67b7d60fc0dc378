"""POST /api/v1/dataValueSets: DHIS2's import summary, all or nothing, every conflict kind, strategies, dry run,
CSV, the key's units and access, history with channel API and the client's name, body limits, idempotency."""

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from dieuhanh.accounts.keys import apikey_create
from dieuhanh.accounts.models import Role, RoleAssignment
from dieuhanh.api import values_import
from dieuhanh.indicators.models import DataValue, ValueHistory
from dieuhanh.reporting.imports import ImportRow, values_import_rows
from dieuhanh.reporting.models import Submission

URL = "/api/v1/dataValueSets"


def post(client, body, *, params="", content_type="application/json", **headers):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL + params, data=data, content_type=content_type, **headers)


def stored():
    return {(v.orgunit.code, v.period, v.indicator.code, v.kind): v.value
            for v in DataValue.objects.select_related("orgunit", "indicator")}


def march(*values, **top):
    return {"dataSet": "01/BC-VT", "period": "202603", "orgUnit": "XA-A", **top, "dataValues": list(values)}


@pytest.fixture
def writer_a(monthly_form, key_for, api_client, commune_a):
    """The one-stop shop system's read-write key for commune A."""
    return api_client(key_for(commune_a))


def test_it_imports_a_set_and_the_history_names_the_system(writer_a, system, reporter_a, monthly_form):
    response = post(writer_a, march({"dataElement": "DT_VT", "value": "1234.5", "comment": "từ hệ thống một cửa"},
                                    {"dataElement": "DT_DD", "categoryOptionCombo": "estimate", "value": 12},
                                    {"dataElement": "TB_DD", "categoryOptionCombo": "default", "value": "25"}))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "SUCCESS" and body["conflicts"] == [] and body["dataSetComplete"] == "false"
    assert body["importCount"] == {"imported": 3, "updated": 0, "ignored": 0, "deleted": 0}
    assert body["responseType"] == "ImportSummary" and "3" in body["description"]
    assert stored() == {("XA-A", "202603", "DT_VT", "actual"): Decimal("1234.5"),
                        ("XA-A", "202603", "DT_DD", "estimate"): Decimal("12"),
                        ("XA-A", "202603", "TB_DD", "actual"): Decimal("25")}
    assert DataValue.objects.get(indicator__code="DT_VT").comment == "từ hệ thống một cửa"
    history = list(ValueHistory.objects.all())
    assert len(history) == 3 and {(h.channel, h.changed_by_id) for h in history} == {("api", system.user_id)}
    # The cell's history, as the page shows it to the commune's reporter: the system's name and the channel.
    client = Client()
    client.force_login(reporter_a)
    page = client.get(reverse("reporting:cell_history", args=[monthly_form.pk, "XA-A", "202603",
                                                              DataValue.objects.get(indicator__code="DT_VT").indicator_id,
                                                              "actual"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Hệ thống một cửa điện tử tỉnh" in text and "API" in text and system.user.username not in text


def test_a_dry_run_counts_and_writes_nothing(writer_a):
    assert post(writer_a, march({"dataElement": "DT_VT", "value": "100"})).status_code == 200
    before = (stored(), ValueHistory.objects.count(), Submission.objects.values_list("version", flat=True).get())
    response = post(writer_a, march({"dataElement": "DT_VT", "value": "150"}, {"dataElement": "TB_DD", "value": "3"},
                                    {"dataElement": "DT_DD", "value": "80"}), params="?dryRun=true")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "SUCCESS"
    assert body["importCount"] == {"imported": 2, "updated": 1, "ignored": 0, "deleted": 0}
    assert "thử" in body["description"]
    assert (stored(), ValueHistory.objects.count(),
            Submission.objects.values_list("version", flat=True).get()) == before


def test_each_strategy(writer_a):
    def run(strategy, *values):
        response = post(writer_a, march(*values), params=f"?importStrategy={strategy}")
        assert response.status_code == 200, response.content
        return response.json()["importCount"]

    revenue, subscribers = {"dataElement": "DT_VT", "value": "100"}, {"dataElement": "TB_DD", "value": "5"}
    assert run("CREATE_AND_UPDATE", revenue) == {"imported": 1, "updated": 0, "ignored": 0, "deleted": 0}
    # CREATE leaves existing values as they are.
    assert run("CREATE", {**revenue, "value": "200"}, subscribers) == {
        "imported": 1, "updated": 0, "ignored": 1, "deleted": 0}
    assert stored()[("XA-A", "202603", "DT_VT", "actual")] == 100
    # UPDATE skips new values.
    assert run("UPDATE", {**revenue, "value": "300"}, {"dataElement": "DT_DD", "value": "1"}) == {
        "imported": 0, "updated": 1, "ignored": 1, "deleted": 0}
    assert stored() == {("XA-A", "202603", "DT_VT", "actual"): 300, ("XA-A", "202603", "TB_DD", "actual"): 5}
    # Lower case is DHIS2's too; an unchanged value is ignored.
    assert run("create_and_update", {**revenue, "value": "300"}) == {
        "imported": 0, "updated": 0, "ignored": 1, "deleted": 0}
    # DELETE clears the values named, with a history row old → nothing.
    assert run("DELETE", subscribers) == {"imported": 0, "updated": 0, "ignored": 0, "deleted": 1}
    assert stored() == {("XA-A", "202603", "DT_VT", "actual"): 300}
    last = ValueHistory.objects.filter(indicator__code="TB_DD").first()
    assert (last.old_value, last.new_value, last.channel) == (5, None, "api")
    # So does an empty value, or "deleted": true, under CREATE_AND_UPDATE.
    assert run("CREATE_AND_UPDATE", {**revenue, "value": "", "deleted": True}) == {
        "imported": 0, "updated": 0, "ignored": 0, "deleted": 1}
    assert stored() == {}


@pytest.fixture
def conflicts_setup(monthly_form, admin_user, reporter_a, leader, commune_a, commune_b):
    """Commune A's February report is submitted (locked); a personal token reads the province and writes A only."""
    values_import_rows([ImportRow(form="01/BC-VT", unit="XA-A", period="202602", indicator="DT_VT", kind="actual",
                                  value="100")], user=reporter_a, channel="web")
    Submission.objects.filter(period="202602").update(status=Submission.Status.SUBMITTED)
    RoleAssignment.objects.create(user=leader, role=Role.REPORTER, orgunit=commune_a)
    return apikey_create(user=leader, created_by=leader, root=None, access="read_write")[1]


# (values, top-level, expected errorCode, property, object)
CONFLICTS = {
    "unknown unit": ([{"dataElement": "DT_VT", "orgUnit": "XA-Z", "value": "1"}], {}, "E_UNKNOWN_UNIT", "orgUnit",
                     "XA-Z"),
    "unknown indicator": ([{"dataElement": "KHONG", "value": "1"}], {}, "E_UNKNOWN_INDICATOR", "dataElement",
                          "KHONG"),
    "unknown period": ([{"dataElement": "DT_VT", "period": "2026Q1", "value": "1"}], {}, "E_PERIOD", "period",
                       "2026Q1"),
    "unknown kind": ([{"dataElement": "DT_VT", "categoryOptionCombo": "forecast", "value": "1"}], {}, "E_KIND",
                     "categoryOptionCombo", "forecast"),
    "value type (not a number)": ([{"dataElement": "DT_VT", "value": "12a"}], {}, "E_VALUE_TYPE", "value", "12a"),
    "value type (written the Vietnamese way)": ([{"dataElement": "DT_VT", "value": "1.234,5"}], {}, "E_VALUE_TYPE",
                                                "value", "1.234,5"),
    "value type (not whole)": ([{"dataElement": "TB_DD", "value": "2.5"}], {}, "E_VALUE_TYPE", "value", "2.5"),
    "range": ([{"dataElement": "DT_VT", "value": "-5"}], {}, "E_RANGE", "value", "-5"),
    "range (huge)": ([{"dataElement": "DT_VT", "value": "1e400"}], {}, "E_RANGE", "value", "1e400"),
    "value type (tiny)": ([{"dataElement": "DT_VT", "value": "1e-999999999"}], {}, "E_VALUE_TYPE", "value",
                          "1e-999999999"),
    "out of scope": ([{"dataElement": "DT_VT", "orgUnit": "XA-B", "value": "1"}], {"orgUnit": None},
                     "E_OUT_OF_SCOPE", "orgUnit", "XA-B"),
    "locked report": ([{"dataElement": "DT_VT", "period": "202602", "value": "1"}], {}, "E_LOCKED", None, None),
    "sum rule": ([{"dataElement": "DT_VT", "value": "10"}, {"dataElement": "DT_DD", "value": "20"}], {},
                 "E_SUM_RULE", None, None),
    "duplicate": ([{"dataElement": "DT_VT", "value": "10"}, {"dataElement": "DT_VT", "value": "11"}], {},
                  "E_DUPLICATE", None, None),
    "not on form (kind)": ([{"dataElement": "DT_DD", "categoryOptionCombo": "target", "value": "1"}], {},
                           "E_NOT_ON_FORM", None, None),
    "not on form (unit)": ([{"dataElement": "DT_VT", "orgUnit": "SKHCN", "value": "1"}], {}, "E_NOT_ON_FORM",
                           "orgUnit", "SKHCN"),
    "target rights": ([{"dataElement": "DT_VT", "categoryOptionCombo": "target", "value": "1"}], {},
                      "E_TARGET_RIGHTS", None, None),
    "attribute combination": ([{"dataElement": "DT_VT", "attributeOptionCombo": "NGUON-VON", "value": "1"}], {},
                              "E_ATTRIBUTE_COMBO", "attributeOptionCombo", "NGUON-VON"),
}


@pytest.mark.parametrize("case", CONFLICTS)
def test_every_conflict_kind_is_in_the_summary_and_nothing_is_written(case, conflicts_setup, agency, leader):
    values, top, code, prop, obj = CONFLICTS[case]
    RoleAssignment.objects.create(user=leader, role=Role.REPORTER, orgunit=agency)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {conflicts_setup}")
    good = {"dataElement": "TB_DD", "value": "7"}
    before = (stored(), ValueHistory.objects.count(), Submission.objects.count())
    body = {**march(good, *values), **top}
    response = post(client, {k: v for k, v in body.items() if v is not None})
    assert response.status_code == 409, response.content
    summary = response.json()
    assert summary["status"] == "ERROR"
    assert summary["importCount"] == {"imported": 0, "updated": 0, "ignored": 1 + len(values), "deleted": 0}
    assert "tất cả hoặc không" in summary["description"]
    conflict = next(c for c in summary["conflicts"] if c["errorCode"] == code)
    assert conflict["value"]  # the Vietnamese message
    # The value at fault; a sum rule is the report's, and names the report's first value (the good one, 0).
    assert conflict["indexes"] == ([0] if code == "E_SUM_RULE" else [len(values)])
    if prop:
        assert (conflict["property"], conflict["object"]) == (prop, obj)
    assert (stored(), ValueHistory.objects.count(), Submission.objects.count()) == before


def test_conflicts_are_grouped_with_the_indexes_of_their_values(writer_a):
    response = post(writer_a, march({"dataElement": "DT_VT", "orgUnit": "XA-Z", "value": "1"},  # 0: ours
                                    {"dataElement": "KHONG", "value": "1"},  # 1: the writer's
                                    {"dataElement": "TB_DD", "value": "x"},  # 2: ours
                                    {"dataElement": "KHONG", "value": "2"},  # 3: the writer's
                                    {"dataElement": "TB_DD", "orgUnit": "XA-Z", "value": "3"}))  # 4: ours
    assert response.status_code == 409
    found = {(c["errorCode"], c["object"]): c["indexes"] for c in response.json()["conflicts"]}
    assert found == {("E_UNKNOWN_UNIT", "XA-Z"): [0, 4], ("E_UNKNOWN_INDICATOR", "KHONG"): [1, 3],
                     ("E_VALUE_TYPE", "x"): [2]}
    assert "5" in response.json()["description"] and stored() == {}


def test_numbers_are_read_the_machine_way(writer_a):
    response = post(writer_a, march({"dataElement": "DT_VT", "value": "1.234"}, {"dataElement": "DT_DD", "value": 0.5},
                                    {"dataElement": "TB_DD", "value": "1000"}))
    assert response.status_code == 200, response.content
    assert stored() == {("XA-A", "202603", "DT_VT", "actual"): Decimal("1.234"),
                        ("XA-A", "202603", "DT_DD", "actual"): Decimal("0.5"),
                        ("XA-A", "202603", "TB_DD", "actual"): Decimal("1000")}


def test_a_key_for_commune_a_cannot_write_commune_b(writer_a, commune_b):
    refused = post(writer_a, march({"dataElement": "DT_VT", "value": "1"}, orgUnit="XA-B"))
    assert refused.status_code == 404 and refused.json()["code"] == "E_NOT_FOUND"
    assert refused.json()["field"] == "orgUnit"
    # A value naming B is a conflict that reads like an unknown unit's: the key learns nothing about B.
    conflict = post(writer_a, march({"dataElement": "DT_VT", "orgUnit": "XA-B", "value": "1"})).json()["conflicts"]
    unknown = post(writer_a, march({"dataElement": "DT_VT", "orgUnit": "XA-Q", "value": "1"})).json()["conflicts"]
    assert conflict[0]["errorCode"] == unknown[0]["errorCode"] == "E_UNKNOWN_UNIT"
    assert conflict[0]["value"].replace("XA-B", "?") == unknown[0]["value"].replace("XA-Q", "?")
    assert stored() == {}


def test_a_read_only_key_may_not_write(monthly_form, key_for, api_client, commune_a):
    response = post(api_client(key_for(commune_a, access="read")), march({"dataElement": "DT_VT", "value": "1"}))
    assert response.status_code == 403 and response.json()["code"] == "E_FORBIDDEN"
    assert "chỉ được đọc" in response.json()["message"]
    assert stored() == {} and not Submission.objects.exists()


CSV_HEADER = "dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated," \
             "comment,followup\n"


def test_it_imports_dhis2_csv(writer_a):
    text = CSV_HEADER + ("DT_VT,202603,XA-A,,,1234.5,someone,2026-03-01,\"ghi chú, có dấu phẩy\",false\n"
                         "\n"
                         "TB_DD,202603,XA-A,default,default,25,,,,false\n")
    response = post(writer_a, text.encode(), content_type="text/csv")
    assert response.status_code == 200, response.content
    assert response.json()["importCount"]["imported"] == 2
    assert DataValue.objects.get(indicator__code="DT_VT").comment == "ghi chú, có dấu phẩy"
    # DHIS2's short names, any order, a BOM; the indexes count values (the header is not one).
    short = "\ufeffvalue,dataelement,orgunit,period,catoptcombo,attroptcombo\n0,DT_VT,XA-A,202603,,\n" \
            "1,DT_VT,XA-A,2026Q1,,\n1,2,3\n"
    response = post(writer_a, short.encode(), content_type="text/csv; charset=utf-8")
    assert response.status_code == 409
    found = {c["errorCode"]: c["indexes"] for c in response.json()["conflicts"]}
    assert found == {"E_PERIOD": [1], "E_CSV_COLUMNS": [2]}
    assert stored()[("XA-A", "202603", "DT_VT", "actual")] == Decimal("1234.5")


def test_bad_bodies_answer_in_the_error_shape(writer_a, monkeypatch):
    def refused(response, status, code, field=None, index=None):
        assert response.status_code == status, response.content
        body = response.json()
        assert (body["code"], body["field"], body["index"]) == (code, field, index)
        assert body["message"]

    refused(post(writer_a, "dataelement;period\n", content_type="text/csv"), 400, "E_CSV_HEADER", "header")
    refused(post(writer_a, "value\n1\n".encode("utf-16"), content_type="text/csv"), 400, "E_ENCODING")
    refused(post(writer_a, "{not json"), 400, "E_JSON")
    refused(post(writer_a, "[1, 2]"), 400, "E_JSON")
    refused(post(writer_a, '{"dataValues": [{"value": NaN}]}'), 400, "E_JSON")
    refused(post(writer_a, march({"dataElement": "DT_VT", "value": "1"}, {"value": "2"})), 422, "E_SCHEMA",
            "dataValues.dataElement", 1)
    refused(post(writer_a, march({"dataElement": "DT_VT", "value": True})), 422, "E_SCHEMA", "dataValues.value", 0)
    refused(post(writer_a, "a=1", content_type="application/x-www-form-urlencoded"), 415, "E_MEDIA_TYPE",
            "Content-Type")
    refused(post(writer_a, march(), params="?importStrategy=MERGE"), 400, "E_STRATEGY", "importStrategy")
    refused(post(writer_a, march(), params="?idScheme=uid"), 400, "E_ID_SCHEME", "idScheme")
    refused(post(writer_a, march(period="2026\x00")), 400, "E_INVALID")
    monkeypatch.setattr(values_import, "MAX_JSON_BYTES", 100)
    refused(post(writer_a, march({"dataElement": "DT_VT", "value": "1", "comment": "x" * 100})), 413, "E_TOO_LARGE")
    monkeypatch.setattr(values_import, "MAX_CSV_BYTES", 300)
    big = CSV_HEADER + "DT_VT,202603,XA-A,,,1,,,,false\n" * 20
    refused(post(writer_a, big, content_type="text/csv"), 413, "E_TOO_LARGE")
    assert stored() == {}


def test_an_empty_set_imports_nothing(writer_a):
    for body, content_type in ((json.dumps(march()), "application/json"), (CSV_HEADER, "text/csv")):
        response = post(writer_a, body, content_type=content_type)
        assert response.status_code == 200 and response.json()["importCount"] == {
            "imported": 0, "updated": 0, "ignored": 0, "deleted": 0}


def test_an_idempotency_key_replays_the_first_answer(writer_a):
    body = march({"dataElement": "DT_VT", "value": "100"})
    first = post(writer_a, body, HTTP_IDEMPOTENCY_KEY="lan-1")
    again = post(writer_a, body, HTTP_IDEMPOTENCY_KEY="lan-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert ValueHistory.objects.count() == 1
    other = post(writer_a, march({"dataElement": "DT_VT", "value": "200"}), HTTP_IDEMPOTENCY_KEY="lan-1")
    assert other.status_code == 409 and other.json()["code"] == "E_IDEMPOTENCY"
    assert stored()[("XA-A", "202603", "DT_VT", "actual")] == 100
