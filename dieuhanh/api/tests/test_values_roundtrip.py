"""The round trip: a dataValueSet exported from one state of the database imports into a fresh set-up (the form made
again the same way, no values, no history, no reports) with identical values — as JSON and as CSV."""

import json

import pytest
from django.test import Client

from dieuhanh.accounts.keys import apikey_create
from dieuhanh.indicators.models import DataValue, ValueHistory, ValueRollup
from dieuhanh.reporting.imports import ImportRow, values_import_rows
from dieuhanh.reporting.models import FormRow, FormSection, ReportForm, Submission
from dieuhanh.reporting.services import submission_submit

URL = "/api/v1/dataValueSets"
# (unit, period, indicator, kind, value, comment); values chosen to catch number formatting: three decimals (which
# people's notation finds ambiguous), six decimals, large, whole.
VALUES = [
    ("XA-A", "202601", "DT_VT", "target", "15000", ""),
    ("XA-A", "202601", "DT_VT", "actual", "1234567.891", "số của Sở"),
    ("XA-A", "202601", "DT_DD", "actual", "0.000001", ""),
    ("XA-A", "202601", "TB_DD", "actual", "250000", "thuê bao trả trước, trả sau"),
    ("XA-A", "202602", "DT_VT", "estimate", "99999999999.5", ""),
    ("XA-A", "202602", "DT_DD", "estimate", "12.25", ""),
    ("XA-B", "202601", "DT_VT", "actual", "1.5", "dòng có \"ngoặc kép\"\nvà xuống dòng"),
    ("XA-B", "202601", "TB_DD", "actual", "0", ""),
    ("XA-B", "202602", "DT_VT", "target", "2000.125", ""),
]


def make_form(commune_a, commune_b, agency, revenue, mobile_revenue, subscribers) -> ReportForm:
    """The form of dieuhanh/conftest.py's monthly_form, made again (new ids)."""
    form = ReportForm.objects.create(code="01/BC-VT", name="Báo cáo tình hình viễn thông", period_type="month",
                                     deadline_day=15, receiver=agency)
    form.units.set([commune_a, commune_b])
    section = FormSection.objects.create(form=form, order=1, title="Doanh thu")
    total = FormRow.objects.create(section=section, order=1, indicator=revenue, kinds="target,estimate,actual")
    FormRow.objects.create(section=section, order=2, indicator=mobile_revenue, kinds="estimate,actual",
                           total_row=total)
    other = FormSection.objects.create(form=form, order=2, title="Thuê bao")
    FormRow.objects.create(section=other, order=1, indicator=subscribers, kinds="actual")
    return form


def fresh_start(**fixtures) -> None:
    """Another instance, set up the same way: no values, history, rollups or reports, the form made again."""
    for model in (ValueRollup, ValueHistory, DataValue, Submission):
        model.objects.all().delete()
    FormRow.objects.filter(total_row__isnull=False).delete()  # parts first: a total is protected by its parts
    ReportForm.objects.all().delete()
    make_form(**fixtures)


def stored() -> dict:
    return {(v.orgunit.code, v.period, v.indicator.code, v.kind): (v.value, v.comment)
            for v in DataValue.objects.select_related("orgunit", "indicator")}


def read(client, suffix="") -> bytes:
    response = client.get(URL + suffix, {"dataSet": "01/BC-VT", "orgUnit": "TN", "children": "true"})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def comparable(export: bytes) -> list[dict]:
    return [{k: v for k, v in value.items() if k not in ("storedBy", "lastUpdated")}
            for value in json.loads(export)["dataValues"]]


@pytest.mark.parametrize("as_csv", [False, True], ids=["json", "csv"])
def test_an_export_imports_into_a_fresh_set_up_with_identical_values(as_csv, monthly_form, admin_user, reporter_a,
                                                                      commune_a, commune_b, agency, revenue,
                                                                      mobile_revenue, subscribers, province):
    values_import_rows([ImportRow("01/BC-VT", u, p, i, k, v, c) for u, p, i, k, v, c in VALUES], user=admin_user,
                       channel="web")
    submission_submit(submission=Submission.objects.get(orgunit=commune_a, period="202601"), user=reporter_a)
    original = stored()
    assert len(original) == len(VALUES)
    # An administrator's token reads every value (drafts too) and may set targets.
    client = Client(HTTP_AUTHORIZATION="Bearer " + apikey_create(user=admin_user, created_by=admin_user,
                                                                 root=province, access="read_write")[1])
    export, export_csv = read(client), read(client, ".csv")
    assert len(json.loads(export)["dataValues"]) == len(VALUES)

    fresh_start(commune_a=commune_a, commune_b=commune_b, agency=agency, revenue=revenue,
                mobile_revenue=mobile_revenue, subscribers=subscribers)
    assert stored() == {}
    if as_csv:
        response = client.post(URL, data=export_csv, content_type="text/csv")
    else:
        response = client.post(URL, data=export, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["importCount"] == {"imported": len(VALUES), "updated": 0, "ignored": 0, "deleted": 0}
    assert stored() == original
    assert comparable(read(client)) == comparable(export)
    # The same file again changes nothing.
    again = client.post(URL, data=export_csv if as_csv else export,
                        content_type="text/csv" if as_csv else "application/json")
    assert again.json()["importCount"] == {"imported": 0, "updated": 0, "ignored": len(VALUES), "deleted": 0}
    assert ValueHistory.objects.count() == len(VALUES)
