"""POST /api/v1/dataValueSets names no report version: the summary lists each stored figure it replaced, which the
history marks as an overwrite."""

from decimal import Decimal

from dieuhanh.indicators.models import ValueHistory
from dieuhanh.indicators.services import ValueInput
from dieuhanh.reporting.services import submission_save_values


def test_the_summary_lists_the_overwritten_figures(monthly_form, commune_a, reporter_a, revenue, key_for,
                                                   api_client):
    submission_save_values(form=monthly_form, orgunit=commune_a, period="202603", user=reporter_a, channel="web",
                           values=[ValueInput(revenue, "actual", Decimal("100"))])
    writer = api_client(key_for(commune_a))
    response = writer.post("/api/v1/dataValueSets", content_type="application/json", data={
        "dataSet": "01/BC-VT", "period": "202603", "orgUnit": "XA-A",
        "dataValues": [{"dataElement": "TB_DD", "value": "25"}, {"dataElement": "DT_VT", "value": "90"}]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["overwritten"] == 1
    [overwrite] = body["overwrites"]
    assert {k: overwrite[k] for k in ("index", "dataElement", "orgUnit", "period", "kind", "storedBy")} == {
        "index": 1, "dataElement": "DT_VT", "orgUnit": "XA-A", "period": "202603", "kind": "actual",
        "storedBy": "reporter_a"}
    assert Decimal(overwrite["oldValue"]) == 100 and Decimal(overwrite["value"]) == 90
    assert "1 số liệu đã lưu bị ghi đè (yêu cầu không ghi phiên bản báo cáo)" in body["description"]
    assert ValueHistory.objects.get(overwrite=True).new_value == Decimal("90")
    again = writer.post("/api/v1/dataValueSets", content_type="application/json", data={
        "dataSet": "01/BC-VT", "period": "202603", "orgUnit": "XA-A",
        "dataValues": [{"dataElement": "DT_VT", "value": "90"}]}).json()
    assert again["overwritten"] == 0 and again["overwrites"] == []
