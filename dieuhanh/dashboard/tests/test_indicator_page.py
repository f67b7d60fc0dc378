"""The indicator page: the table by period and the ranking of units are the analytics figures, the downloads hold
what the page shows, and a unit outside the user's scope answers 404."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dieuhanh.analytics import queries
from dieuhanh.indicators.models import Channel, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.lib.periods import Period, PeriodType
from dieuhanh.lib.vnformat import format_number
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.orgunits.services import orgunit_create
from dieuhanh.reporting.completeness import local_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def months(province, commune_a, commune_b, revenue, monthly_form, leader):
    """Revenue of both communes over the last three months; commune B's latest month is an estimate."""
    month = Period.containing(PeriodType.MONTH, local_today())
    periods = [month.previous().previous(), month.previous(), month]
    for i, period in enumerate(periods):
        datavalues_save(state=ValueState.APPROVED,
                        orgunit=commune_a, period=period.id, user=leader, channel=Channel.WEB,
                        values=[ValueInput(revenue, "actual", Decimal("100.25") * (i + 1))])
        kind = "estimate" if period == month else "actual"
        datavalues_save(state=ValueState.APPROVED,
                        orgunit=commune_b, period=period.id, user=leader, channel=Channel.WEB,
                        values=[ValueInput(revenue, kind, Decimal("80.5") + i)])
    return periods


def url(code="DT_VT", **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("dashboard:indicator", args=[code]) + (f"?{query}" if query else "")


def row_of(page: str, period_id: str) -> str:
    start = page.index(f'data-period="{period_id}"')
    return page[start:page.index("</tr>", start)]


def test_the_table_shows_the_analytics_figures(client, leader, months, revenue, province):
    client.force_login(leader)
    page = client.get(url(unit="TN")).content.decode()
    for period in months:
        figure = queries.figure(revenue, province, period.id)
        assert figure.value is not None
        row = row_of(page, period.id)
        assert format_number(figure.value, 2) in row
        assert period.label in row
    assert "badge-estimate" in row_of(page, months[-1].id)
    assert "badge-estimate" not in row_of(page, months[0].id)
    # The chart's data are the same figures, the estimate flagged.
    chart = json.loads(re.search(r'data-chart="([^"]*)"', page).group(1).replace("&quot;", '"'))
    assert chart["values"][-1] == float(queries.figure(revenue, province, months[-1].id).value)
    assert chart["estimates"][-1] is True and chart["estimates"][-2] is False


def test_the_ranking_lists_the_children_best_first(client, leader, months, revenue, commune_a, commune_b):
    client.force_login(leader)
    latest = months[-1]
    page = client.get(url(unit="TN", period=latest.id)).content.decode()
    ranking = page[page.index('id="ranking"'):page.index("</table>", page.index('id="ranking"'))]
    a = queries.figure(revenue, commune_a, latest.id).value
    b = queries.figure(revenue, commune_b, latest.id).value
    assert a > b
    assert ranking.index('data-unit="XA-A"') < ranking.index('data-unit="XA-B"')
    assert f"{format_number(a * 100 / (a + b), 1)}%" in ranking


def test_a_unit_outside_the_scope_is_404(client, reporter_a, leader, months):
    other = orgunit_create(code="QT", name="Quảng Trị", kind=OrgUnit.Kind.PROVINCE)
    client.force_login(leader)
    assert client.get(url(unit=other.code)).status_code == 404
    assert client.get(url(code="NOPE")).status_code == 404
    client.force_login(reporter_a)
    assert client.get(url(unit="XA-A")).status_code == 200
    assert client.get(url(unit="XA-B")).status_code == 404
    assert client.get(url(unit="TN")).status_code == 404
    # Without a unit, a reporter sees their own commune.
    assert "Xã Hưng Điền" in client.get(url()).content.decode()


def test_a_bad_period_is_named(client, leader, months):
    client.force_login(leader)
    response = client.get(url(unit="TN", period="2026X"), follow=True)
    assert response.status_code == 200
    assert "2026X" in response.content.decode()


def test_the_downloads_hold_what_the_page_shows(client, leader, months, revenue, province):
    client.force_login(leader)
    latest = months[-1]
    value = queries.figure(revenue, province, latest.id).value
    response = client.get(url(unit="TN", period=latest.id, format="csv"))
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_label = {line[0]: line for line in lines if line}
    assert by_label[latest.label][1] == format_number(value, 2)
    assert by_label[latest.label][2] == "có"
    response = client.get(url(unit="TN", period=latest.id, format="xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert Decimal(str(rows[latest.label][1])) == value
    names = [r[1] for r in sheet.iter_rows(values_only=True) if r and isinstance(r[0], int)]
    assert names[:2] == ["Xã Hưng Điền", "Phường Long An"]


def test_a_levels_year_target_is_drawn_for_each_period(client, leader, province, subscribers, monthly_form):
    subscribers.period_aggregation = subscribers.PeriodAggregation.LAST  # a stock: the year's target is a level
    subscribers.save()
    month = Period.containing(PeriodType.MONTH, local_today())
    datavalues_save(state=ValueState.APPROVED,
                    orgunit=province, period=str(month.year), user=leader, channel=Channel.WEB,
                    values=[ValueInput(subscribers, "target", Decimal("200000"))])
    datavalues_save(state=ValueState.APPROVED, orgunit=province, period=month.id, user=leader, channel=Channel.WEB,
                    values=[ValueInput(subscribers, "actual", Decimal("150000"))])
    client.force_login(leader)
    page = client.get(url(code="TB_DD", unit="TN")).content.decode()
    assert "200.000" in row_of(page, month.id)
    chart = json.loads(re.search(r'data-chart="([^"]*)"', page).group(1).replace("&quot;", '"'))
    assert chart["targets"][-1] == 200000.0


def test_units_without_a_figure_are_listed_when_they_owe_one(client, leader, province, commune_a, commune_b, agency,
                                                           revenue, monthly_form):
    month = Period.containing(PeriodType.MONTH, local_today())
    datavalues_save(state=ValueState.APPROVED, orgunit=commune_a, period=month.id, user=leader, channel=Channel.WEB,
                    values=[ValueInput(revenue, "actual", Decimal("10"))])
    client.force_login(leader)
    page = client.get(url(unit="TN", period=month.id)).content.decode()
    unranked = page[page.index('id="unranked"'):page.index("</details>")]
    assert "Phường Long An" in unranked  # commune B reports the form and has not
    assert agency.name not in unranked  # the department reports nothing of it


def test_the_headline_gives_the_month_against_the_previous_one(client, leader, months, revenue, province):
    client.force_login(leader)
    page = client.get(url(unit="TN", period=months[-1].id)).content.decode()
    headline = page[page.index('id="headline-own"'):]
    headline = headline[:headline.index("</div>")]
    # Both communes: A's 100,25 × 3 and B's 82,5 this month; 100,25 × 2 and 81,5 the month before.
    now, before = Decimal("100.25") * 3 + Decimal("82.5"), Decimal("100.25") * 2 + Decimal("81.5")
    assert f"{months[-1].label}: {format_number(now, 2)} tỷ đồng" in headline
    assert f"tăng {format_number((now - before) * 100 / before, 1)}% so với kỳ trước" in headline


def test_a_flow_shows_its_year_to_date_against_the_year_target(client, leader, months, revenue, province):
    year = months[-1].year
    datavalues_save(state=ValueState.APPROVED, orgunit=province, period=str(year), user=leader, channel=Channel.WEB,
                    values=[ValueInput(revenue, "target", Decimal("2000"))])
    client.force_login(leader)
    page = client.get(url(unit="TN")).content.decode()
    # The fixture's province totals by hand: commune A 100,25 × n, commune B 80,5 + n − 1 (n = 1, 2, 3).
    totals = {p.id: Decimal("100.25") * (n + 1) + Decimal("80.5") + n for n, p in enumerate(months)}
    ytd = sum(v for pid, v in totals.items() if pid[:4] == str(year))  # the months of the latest month's year
    row = row_of(page, months[-1].id)
    assert format_number(ytd, 2) in row
    assert f"{format_number(ytd * 100 / 2000, 1)}%" in row
    assert 'id="chart-mode"' in page
    chart = json.loads(re.search(r'data-chart="([^"]*)"', page).group(1).replace("&quot;", '"'))
    assert chart["cumulative"]["values"][-1] == float(ytd)
    assert chart["cumulative"]["estimates"][-1] is True  # commune B's latest month is an estimate
    assert chart["cumulative"]["targets"][-1] == 2000.0
    # The download has the same column.
    lines = list(csv.reader(io.StringIO(client.get(url(unit="TN", format="csv")).content.decode("utf-8-sig"))))
    header = next(line for line in lines if line and line[0] == "Kỳ")
    latest = next(line for line in lines if line and line[0] == months[-1].label)
    assert latest[header.index("Lũy kế")] == format_number(ytd, 2)


def test_a_level_has_no_year_to_date_view(client, leader, province, subscribers, monthly_form):
    subscribers.period_aggregation = subscribers.PeriodAggregation.LAST
    subscribers.save()
    month = Period.containing(PeriodType.MONTH, local_today())
    datavalues_save(state=ValueState.APPROVED, orgunit=province, period=month.id, user=leader, channel=Channel.WEB,
                    values=[ValueInput(subscribers, "actual", Decimal("150000"))])
    client.force_login(leader)
    page = client.get(url(code="TB_DD", unit="TN")).content.decode()
    assert 'id="chart-mode"' not in page
    chart = json.loads(re.search(r'data-chart="([^"]*)"', page).group(1).replace("&quot;", '"'))
    assert "cumulative" not in chart


def test_a_flow_ranks_its_units_by_year_to_date_on_request(client, leader, months, revenue, commune_a, commune_b):
    client.force_login(leader)
    page = client.get(url(unit="TN", ranking="ytd")).content.decode()
    assert 'id="ranking-switch"' in page
    assert f"Các đơn vị, Lũy kế đến {months[-1].label}" in page
    for unit in (commune_a, commune_b):
        ytd = queries.year_to_date(revenue, unit, months[-1].id).value
        row = page[page.index(f'<tr data-unit="{unit.code}"'):]
        assert format_number(ytd, 2) in row[:row.index("</tr>")]
        assert "ranking=ytd" in row[:row.index("</tr>")]  # a unit's own page keeps the lũy kế ranking
