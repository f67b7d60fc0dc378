"""Metadata: org units within the key's reach (validity, parent, lineage, filters, paging), the indicator and form
catalogue, periods and a form's deadline, read from the domain's own rules."""

import datetime

import pytest

from dieuhanh.lib.periods import Period
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.orgunits.services import orgunit_create, orgunit_merge
from dieuhanh.reporting.completeness import deadline_of

D = datetime.date


@pytest.fixture
def merged(province, commune_a):
    """Two old communes merged on 1/7/2025 into XA-A; a third, XA-OLD3, still in the province, unmerged."""
    olds = [orgunit_create(code=f"XA-OLD{i}", name=f"Xã Cũ {i}", kind=OrgUnit.Kind.COMMUNE, parent=province,
                           division_type="xã", valid_from=D(2000, 1, 1)) for i in (1, 2, 3)]
    orgunit_merge(predecessors=olds[:2], successor=commune_a, effective_date=D(2025, 7, 1),
                  legal_basis="Nghị quyết 1656/NQ-UBTVQH15")
    return olds


def test_org_units_are_those_the_key_reaches(key_for, api_client, province, commune_a, commune_b, agency):
    body = api_client(key_for(commune_a, access="read")).get("/api/v1/orgUnits").json()
    assert body["count"] == 1 and [u["code"] for u in body["items"]] == ["XA-A"]
    unit = body["items"][0]
    assert unit["parent"] == "TN" and unit["kind"] == {"code": "commune", "label": "Xã/phường"}
    assert unit["path"] == commune_a.path and unit["level"] == 2 and unit["lineage"] == []
    client = api_client(key_for(province, access="read"))
    assert client.get("/api/v1/orgUnits").json()["count"] == 4
    # Another commune, and a code that does not exist, answer the same 404.
    narrow = api_client(key_for(commune_a, access="read"))
    for code in ("XA-B", "NOPE"):
        answer = narrow.get(f"/api/v1/orgUnits/{code}")
        assert answer.status_code == 404 and answer.json()["code"] == "E_NOT_FOUND"
    assert narrow.get("/api/v1/orgUnits", {"parent": "TN"}).status_code == 404


def test_org_units_filter_and_page(key_for, api_client, province, commune_a, commune_b, agency, merged):
    client = api_client(key_for(province, access="read"))
    codes = lambda **q: [u["code"] for u in client.get("/api/v1/orgUnits", q).json()["items"]]  # noqa: E731
    assert codes(kind="agency") == ["SKHCN"]
    assert set(codes(parent="TN")) == {"XA-A", "XA-B", "SKHCN", "XA-OLD1", "XA-OLD2", "XA-OLD3"}
    assert "XA-OLD1" not in codes(activeOn="2025-07-01") and "XA-OLD1" in codes(activeOn="2025-06-30")
    assert codes(q="cu 3") == ["XA-OLD3"] and codes(q="xa-b") == ["XA-B"]
    first, second = (client.get("/api/v1/orgUnits", {"limit": 3, "offset": o}).json() for o in (0, 3))
    assert first["count"] == second["count"] == 7
    assert len(first["items"]) == 3 and not {u["code"] for u in first["items"]} & {u["code"] for u in second["items"]}
    answer = client.get("/api/v1/orgUnits", {"activeOn": "01/07/2025"})
    assert answer.status_code == 422 and answer.json()["field"] == "activeOn"
    assert client.get("/api/v1/orgUnits", {"kind": "galaxy"}).status_code == 422


def test_an_org_unit_shows_its_validity_and_lineage(key_for, api_client, province, commune_a, merged):
    client = api_client(key_for(province, access="read"))
    old = client.get("/api/v1/orgUnits/XA-OLD1").json()
    assert old["valid_from"] == "2000-01-01" and old["valid_to"] == "2025-06-30"
    assert old["lineage"] == [{"kind": {"code": "merge", "label": "Sáp nhập"}, "date": "2025-07-01",
                               "predecessors": ["XA-OLD1", "XA-OLD2"], "successors": ["XA-A"], "old_name": "",
                               "new_name": "", "legal_basis": "Nghị quyết 1656/NQ-UBTVQH15"}]
    assert client.get("/api/v1/orgUnits/XA-A").json()["lineage"] == old["lineage"]
    assert client.get("/api/v1/orgUnits/XA-OLD3").json()["lineage"] == []


def test_indicators_are_the_catalogue(key_for, api_client, commune_a, revenue, mobile_revenue, subscribers):
    client = api_client(key_for(commune_a, access="read"))
    body = client.get("/api/v1/indicators").json()
    assert body["count"] == 3
    one = client.get(f"/api/v1/indicators/{mobile_revenue.code}").json()
    assert one["code"] == "DT_DD" and one["unit"] == "tỷ đồng" and one["decimals"] == 2
    assert one["sector"]["code"] == mobile_revenue.sector.code and float(one["min_value"]) == 0
    assert one["max_value"] is None and one["value_type"]["code"] == mobile_revenue.value_type
    assert one["unit_aggregation"]["code"] == mobile_revenue.unit_aggregation and one["direction"]["label"]
    assert client.get("/api/v1/indicators", {"sector": "NOPE"}).json() == {"count": 0, "items": []}
    assert client.get("/api/v1/indicators/NOPE").status_code == 404


def test_a_form_shows_its_rows_and_the_units_the_key_reaches(key_for, api_client, commune_a, province, monthly_form):
    narrow = api_client(key_for(commune_a, access="read"))
    assert [f["code"] for f in narrow.get("/api/v1/forms").json()["items"]] == ["01/BC-VT"]
    form = narrow.get("/api/v1/forms/01/BC-VT").json()
    assert form["period_type"]["code"] == "month" and form["receiver"] == "SKHCN" and form["units"] == ["XA-A"]
    assert [s["title"] for s in form["sections"]] == ["Doanh thu", "Thuê bao"]
    revenue_row, mobile_row = form["sections"][0]["rows"]
    assert revenue_row["kinds"] == ["target", "estimate", "actual"] and revenue_row["total_row"] is None
    assert mobile_row["total_row"] == revenue_row["indicator"] and mobile_row["kinds"] == ["estimate", "actual"]
    assert form["deadline_rule"] == monthly_form.deadline_rule.describe()
    wide = api_client(key_for(province, access="read"))
    assert wide.get("/api/v1/forms/01/BC-VT").json()["units"] == ["XA-A", "XA-B"]
    assert narrow.get("/api/v1/forms/NOPE").status_code == 404


def test_a_forms_deadline_for_a_period(key_for, api_client, commune_a, monthly_form):
    client = api_client(key_for(commune_a, access="read"))
    body = client.get("/api/v1/forms/01/BC-VT/deadline", {"period": "202603"}).json()
    assert body["deadline"] == deadline_of(monthly_form, Period.parse("202603")).isoformat() == "2026-03-15"
    assert body["period_label"] == "Tháng 3/2026"
    assert body["window"] == {"start": "2026-02-15", "end": "2026-03-14"}
    refused = client.get("/api/v1/forms/01/BC-VT/deadline", {"period": "2026Q1"})
    assert refused.status_code == 400 and refused.json()["field"] == "period"
    assert "theo tháng" in refused.json()["message"]
    bad = client.get("/api/v1/forms/01/BC-VT/deadline", {"period": "2026-03"}).json()
    assert bad["code"] == "E_PERIOD" and "2026Q1" in bad["message"]


@pytest.mark.parametrize("period_id, expected", [
    ("202603", {"type": "month", "label": "Tháng 3/2026", "start": "2026-03-01", "end": "2026-03-31",
                "previous": "202602", "next": "202604", "window": ["2026-02-15", "2026-03-14"]}),
    ("202612", {"next": "202701", "same_period_last_year": "202512"}),
    ("2026Q1", {"label": "Quý I/2026", "previous": "2025Q4", "next": "2026Q2", "end": "2026-03-31",
                "window": ["2025-12-15", "2026-03-14"]}),
    ("2026S2", {"label": "6 tháng cuối năm 2026", "next": "2027S1", "window": ["2026-06-15", "2026-12-14"]}),
    ("2026N9", {"type": "nine_months", "previous": "2025N9", "next": "2027N9", "end": "2026-09-30"}),
    ("2026", {"label": "Năm 2026", "next": "2027", "window": ["2025-12-15", "2026-12-14"]}),
])
def test_a_period_id_is_read(key_for, api_client, commune_a, period_id, expected):
    body = api_client(key_for(commune_a, access="read")).get(f"/api/v1/periods/{period_id}").json()
    flat = {**body, "type": body["type"]["code"], "window": [body["window"]["start"], body["window"]["end"]]}
    assert {k: flat[k] for k in expected} == expected


def test_a_bad_period_id_says_what_it_accepts(key_for, api_client, commune_a):
    answer = api_client(key_for(commune_a, access="read")).get("/api/v1/periods/2026-03")
    assert answer.status_code == 400
    assert answer.json()["code"] == "E_PERIOD" and "2026Q1" in answer.json()["message"]


def test_a_nul_character_is_refused_not_a_server_error(key_for, api_client, province):
    client = api_client(key_for(province, access="read"))
    for address, params in (("/api/v1/orgUnits", {"q": "a\x00b"}), ("/api/v1/orgUnits/T%00N", {}),
                            ("/api/v1/indicators", {"sector": "\x00"}), ("/api/v1/forms/0%001", {})):
        answer = client.get(address, params)
        assert answer.status_code == 400 and "NUL" in answer.json()["message"], address
