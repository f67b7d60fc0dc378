"""The pivot page: its figures are the analytics API's, the XLSX holds the same numbers with Vietnamese headers,
and it stays inside the user's units."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dieuhanh.analytics.queries import figures
from dieuhanh.indicators.models import Channel, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save

pytestmark = pytest.mark.django_db

MONTHS = [f"2026{m:02d}" for m in range(1, 13)]


@pytest.fixture
def values(admin_user, commune_a, commune_b, revenue, subscribers):
    """Revenue of both communes for January–March (commune B's March only estimated), subscribers of A."""
    for unit, month, kind, value in [
        (commune_a, "202601", "actual", "1762.38"), (commune_a, "202602", "actual", "10.5"),
        (commune_a, "202603", "actual", "7"), (commune_b, "202601", "actual", "100"),
        (commune_b, "202602", "actual", "200.25"), (commune_b, "202603", "estimate", "300"),
    ]:
        datavalues_save(state=ValueState.APPROVED,
                        orgunit=unit, period=month, values=[ValueInput(revenue, kind, Decimal(value))],
                        user=admin_user, channel=Channel.WEB)
    datavalues_save(state=ValueState.APPROVED,
                    orgunit=commune_a, period="202602", values=[ValueInput(subscribers, "actual", Decimal(1200))],
                    user=admin_user, channel=Channel.WEB)


def ask(client, **params):
    query = {"indicators": ["DT_VT", "TB_DD"], "unit": "TN", "rows": "children", "period_type": "month",
             "year": "2026", "layout": "indicator", "kind": "best", **params}
    return client.get(reverse("dashboard:pivot"), query)


def test_the_table_shows_the_analytics_figures(client, leader, values, province, commune_a, commune_b, revenue,
                                               subscribers):
    client.force_login(leader)
    response = ask(client)
    assert response.status_code == 200
    pivot = response.context["pivot"]
    units = [province, commune_b, commune_a]  # the unit, then the units below it by name
    expected = figures([revenue, subscribers], units, MONTHS)
    assert [g.indicator for g in pivot.groups] == [revenue, subscribers]
    assert [r.unit for r in pivot.groups[0].rows] == units
    for group in pivot.groups:
        for row in group.rows:
            for month, figure in zip(MONTHS, row.figures, strict=True):
                wanted = expected.get((row.indicator.pk, row.unit.pk, month))
                assert (figure.value if figure else None) == (wanted.value if wanted else None)
    # The province's March is the two communes' sum, one of them estimated.
    march = pivot.groups[0].rows[0].figures[2]
    assert march.value == Decimal("307") and march.is_estimate
    html = response.content.decode()
    assert "1.762,38" in html  # Vietnamese number format
    assert "1.862,38" in html  # province, January


def test_the_other_layout_has_a_block_per_unit(client, leader, values, province, commune_a, revenue, subscribers):
    client.force_login(leader)
    pivot = ask(client, layout="unit", rows="self", period_type="quarter").context["pivot"]
    assert [g.unit for g in pivot.groups] == [province]
    assert [r.indicator for r in pivot.groups[0].rows] == [revenue, subscribers]
    assert [p.id for p in pivot.periods] == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
    expected = figures([revenue], [province], ["2026Q1"])[(revenue.pk, province.pk, "2026Q1")]
    assert pivot.groups[0].rows[0].figures[0].value == expected.value


def test_the_workbook_holds_the_same_figures_with_vietnamese_headers(client, leader, values, province, commune_b,
                                                                     revenue):
    client.force_login(leader)
    response = ask(client, format="xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in ws[4]]
    assert header[:4] == ["STT", "Chỉ tiêu", "Đơn vị tính", "Đơn vị"]
    assert header[4] == "Tháng 1/2026" and header[15] == "Tháng 12/2026"
    rows = {(r[1].value, r[3].value): r for r in ws.iter_rows(min_row=5)}
    province_revenue = rows[("Doanh thu viễn thông", "Tây Ninh")]
    expected = figures([revenue], [province], MONTHS)
    for offset, month in enumerate(MONTHS):
        cell = province_revenue[4 + offset]
        wanted = expected.get((revenue.pk, province.pk, month))
        assert (Decimal(str(cell.value)) if cell.value is not None else None) == (wanted.value if wanted else None)
    assert province_revenue[4].number_format == "#,##0.00"
    b_march = rows[("Doanh thu viễn thông", "Phường Long An")][6]
    assert Decimal(str(b_march.value)) == Decimal("300") and b_march.font.i  # estimate in italics
    assert rows[("Thuê bao di động", "Xã Hưng Điền")][5].number_format == "#,##0"


def test_a_user_sees_only_their_units(client, reporter_a, values, commune_a, outsider):
    client.force_login(reporter_a)
    assert ask(client).status_code == 404  # the province is not theirs
    response = ask(client, unit="XA-A")
    assert response.status_code == 200
    assert [r.unit for r in response.context["pivot"].groups[0].rows] == [commune_a]
    # Without a unit, the page starts from the top of their scope.
    assert client.get(reverse("dashboard:pivot")).context["unit"] == commune_a
    assert [u.code for u in client.get(reverse("dashboard:pivot")).context["unit_choices"]] == ["XA-A"]
    client.force_login(outsider)
    assert client.get(reverse("dashboard:pivot")).status_code == 404


def test_an_oversized_table_is_refused_with_a_message(client, leader, values, monkeypatch):
    from dieuhanh.dashboard import views_pivot

    monkeypatch.setattr(views_pivot, "MAX_PAGE_CELLS", 10)
    client.force_login(leader)
    response = ask(client)
    assert response.context["pivot"] is None
    assert response.context["form"].non_field_errors()


def test_choosing_no_indicator_names_the_field(client, leader):
    client.force_login(leader)
    response = client.get(reverse("dashboard:pivot"), {"indicators": [], "unit": "TN", "year": "2026"})
    assert response.status_code == 200 and response.context["pivot"] is None
    assert "Trường này là bắt buộc" in response.context["form"].errors["indicators"][0]


def test_the_queries_do_not_grow_with_the_table(client, leader, admin_user, province, ict_sector,
                                               django_assert_max_num_queries):
    """Ten indicators × forty communes × twelve months: the same handful of queries as a small table."""
    from dieuhanh.indicators.models import Indicator
    from dieuhanh.orgunits.models import OrgUnit
    from dieuhanh.orgunits.services import orgunit_create

    indicators = [Indicator.objects.create(code=f"CT{n:02d}", name=f"Chỉ tiêu {n}", unit="tỷ đồng", sector=ict_sector)
                  for n in range(10)]
    communes = [orgunit_create(code=f"X{n:03d}", name=f"Xã {n:03d}", kind=OrgUnit.Kind.COMMUNE, parent=province)
                for n in range(40)]
    for unit in communes[:5]:
        for month in (1, 6, 12):
            datavalues_save(state=ValueState.APPROVED,
                            orgunit=unit, period=f"2026{month:02d}", user=admin_user, channel=Channel.WEB,
                            values=[ValueInput(i, "actual", Decimal(month)) for i in indicators])
    client.force_login(leader)
    params = {"indicators": [i.code for i in indicators], "unit": "TN", "rows": "children", "period_type": "month",
              "year": "2026", "empty": "show"}
    # 19: the page's own queries, and per request of any page the session, the person, the second factor's device
    # (twofactor.SecondFactorMiddleware) and the menu's auditor permission (user and group permissions).
    with django_assert_max_num_queries(19):
        response = client.get(reverse("dashboard:pivot"), params)
    assert response.context["pivot"].size == 10 * 41 * 12
    assert "4.920 số liệu" in response.content.decode()  # the count with a thousands separator
    assert response.context["pivot"].groups[0].rows[0].figures[5].value == 5 * 6  # June: five communes × 6
    with django_assert_max_num_queries(19):
        xlsx = client.get(reverse("dashboard:pivot"), {**params, "format": "xlsx"})
    assert load_workbook(io.BytesIO(xlsx.content)).active.max_row == 4 + 10 * 41


def test_rows_without_figures_are_hidden_unless_asked_for(client, leader, values, province, commune_a, commune_b,
                                                         subscribers):
    client.force_login(leader)
    hidden = ask(client).context["pivot"]
    assert [r.unit for r in hidden.groups[1].rows] == [province, commune_a]  # commune B reports no subscribers
    shown = ask(client, empty="show").context["pivot"]
    assert [r.unit for r in shown.groups[1].rows] == [province, commune_b, commune_a]
    xlsx = load_workbook(io.BytesIO(ask(client, format="xlsx").content)).active
    assert ("Thuê bao di động", "Phường Long An") not in {(r[1].value, r[3].value) for r in xlsx.iter_rows(min_row=5)}


def test_a_mistyped_year_names_the_field_in_plain_words(client, leader, revenue):
    client.force_login(leader)
    for year in ("20x6", "26", "20260"):  # not a number; two digits; five
        page = client.get(reverse("dashboard:pivot") + f"?indicators=DT_VT&year={year}").content.decode()
        assert "Nhập năm bằng bốn chữ số, ví dụ 2026." in page, year


def test_a_cell_with_a_submitted_figure_says_it_awaits_approval(client, leader, monthly_form, province, commune_a,
                                                                revenue, reporter_a):
    from dieuhanh.reporting.services import submission_save_values, submission_submit

    report = submission_save_values(form=monthly_form, orgunit=commune_a, period="202601", user=reporter_a,
                                    channel="web", values=[ValueInput(revenue, "actual", Decimal("12"))])
    client.force_login(leader)
    url = reverse("dashboard:pivot") + f"?indicators={revenue.code}&unit={province.code}&period_type=month&year=2026"
    assert 'class="pending-mark"' not in client.get(url).content.decode()  # a draft: no figure at all
    submission_submit(submission=report, user=reporter_a)
    page = client.get(url).content.decode()
    assert page.count('class="pending-mark"') == 2  # the province's cell and the commune's
    assert "có số liệu đang chờ duyệt" in page
