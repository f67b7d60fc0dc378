"""The indicator page across a merger: by default the years before it are converted from the merged units and marked
"quy đổi theo địa giới mới"; the switch shows the units as they were when they reported. Figures worked out by hand."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from dieuhanh.indicators.models import Channel, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.orgunits.services import orgunit_create, orgunit_merge

pytestmark = pytest.mark.django_db
REFORM = datetime.date(2025, 7, 1)


def save(unit, period, indicator, value):
    datavalues_save(state=ValueState.APPROVED, orgunit=unit, period=period, user=None, channel=Channel.WEB,
                    values=[ValueInput(indicator, "actual", Decimal(value))])


@pytest.fixture
def merged(province, revenue, monthly_form):
    """Communes "Xã Cũ A" and "Xã Cũ B" merged into "Xã Mới" on 1/7/2025 (revenue is on a monthly form): yearly
    figures before 2025, months from January 2025 (the old communes until June, the new one from July)."""
    old = datetime.date(2008, 1, 1)
    a = orgunit_create(code="OLD-A", name="Xã Cũ A", kind=OrgUnit.Kind.COMMUNE, parent=province, valid_from=old)
    b = orgunit_create(code="OLD-B", name="Xã Cũ B", kind=OrgUnit.Kind.COMMUNE, parent=province, valid_from=old)
    orgunit_merge(predecessors=[a, b], new_unit={"code": "NEW", "name": "Xã Mới", "kind": OrgUnit.Kind.COMMUNE},
                  effective_date=REFORM)
    for period, value_a, value_b in (("2023", "100", "50"), ("2024", "110", "60")):
        save(a, period, revenue, value_a)
        save(b, period, revenue, value_b)
    new = OrgUnit.objects.get(code="NEW")
    for month in range(1, 7):
        save(a, f"2025{month:02d}", revenue, "8")
        save(b, f"2025{month:02d}", revenue, "4")
    for month in range(7, 13):
        save(new, f"2025{month:02d}", revenue, "15")
    return new


def row_of(page: str, period_id: str) -> str:
    start = page.rindex("<tr", 0, page.index(f'data-period="{period_id}"'))
    return page[start:page.index("</tr>", start)]


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_years_before_a_merger_come_from_the_merged_units_and_say_so(client, leader, merged):
    client.force_login(leader)
    page = client.get(reverse("dashboard:indicator", args=["DT_VT"]) + "?unit=NEW&series=year").content.decode()
    assert text(row_of(page, "2023")).startswith("Năm 2023 150,00 quy đổi")
    row_2024 = row_of(page, "2024")
    assert "170,00" in row_2024 and 'title="Quy đổi theo địa giới mới từ Xã Cũ A, Xã Cũ B"' in row_2024
    assert "tăng 13,3% so với cùng kỳ" in text(row_2024)  # 170 / 150
    row_2025 = text(row_of(page, "2025"))
    # 6 × (8 + 4) from the old communes, then 6 × 15 from the new one: 162, against 170.
    assert row_2025.startswith("Năm 2025 162,00 quy đổi") and "giảm 4,7% so với cùng kỳ" in row_2025
    assert "Quy đổi theo địa giới mới từ Xã Cũ A, Xã Cũ B" in text(page[page.index('id="headline"'):])
    assert 'aria-current="true">Theo địa giới hiện nay' in page and 'aria-current="true">Theo năm' in page


def test_the_switch_shows_the_units_as_they_reported(client, leader, merged):
    client.force_login(leader)
    page = client.get(reverse("dashboard:indicator", args=["DT_VT"])
                      + "?unit=NEW&series=year&boundaries=as_reported").content.decode()
    assert 'data-period="2024"' not in page  # the new commune did not exist: no row before its first figure
    row_2025 = text(row_of(page, "2025"))
    assert row_2025.startswith("Năm 2025 (6 tháng) 90,00") and "quy đổi" not in row_2025
    assert 'id="converted-note"' not in page and 'id="headline-converted"' not in page
    assert 'aria-current="true">Theo địa giới tại thời điểm báo cáo' in page


def test_the_months_say_which_came_from_the_merged_units(client, leader, merged):
    client.force_login(leader)
    page = client.get(reverse("dashboard:indicator", args=["DT_VT"]) + "?unit=NEW&period=202512").content.decode()
    assert text(row_of(page, "202506")).startswith("Tháng 6/2025 12,00 quy đổi")
    assert text(row_of(page, "202507")).startswith("Tháng 7/2025 15,00")
    assert "quy đổi" not in row_of(page, "202507")
    note = text(page[page.index('id="converted-note"'):page.index("</p>", page.index('id="converted-note"'))])
    assert "Quy đổi theo địa giới mới từ Xã Cũ A, Xã Cũ B" in note


def test_the_download_names_the_units_a_figure_was_converted_from(client, leader, merged):
    client.force_login(leader)
    response = client.get(reverse("dashboard:indicator", args=["DT_VT"]) + "?unit=NEW&series=year&format=csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_label = {line[0]: line for line in lines if line}
    assert by_label["Địa giới"][1] == "Theo địa giới hiện nay"
    assert by_label["Kỳ"][-1] == "Quy đổi theo địa giới mới từ"
    assert (by_label["Năm 2024"][1], by_label["Năm 2024"][-1]) == ("170,00", "Xã Cũ A, Xã Cũ B")
    response = client.get(reverse("dashboard:indicator", args=["DT_VT"])
                          + "?unit=NEW&series=year&boundaries=as_reported&format=csv")
    by_label = {line[0]: line for line in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) if line}
    assert by_label["Địa giới"][1] == "Theo địa giới tại thời điểm báo cáo" and "Năm 2024" not in by_label
