"""A configured dashboard shows what its operator chose, in the chosen order: KPI cards, charts over time (the
database's figures, estimates marked, targets), rankings of the sub-units (those of queries.breakdown) and the
built-in panels where their cards are; the default dashboard keeps its layout (cards, then the three panels)."""

import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dieuhanh.accounts.models import Role
from dieuhanh.analytics import queries
from dieuhanh.conftest import make_user
from dieuhanh.dashboard.models import Card, Dashboard
from dieuhanh.indicators.models import Channel, Indicator, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.lib.periods import Period, PeriodType
from dieuhanh.lib.vnformat import format_number
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.orgunits.services import orgunit_create
from dieuhanh.reporting.completeness import local_today

pytestmark = pytest.mark.django_db

PANEL_IDS = ("task-panel", "reporting-panel", "alerts-panel")


@pytest.fixture
def figures(province, commune_a, commune_b, revenue, subscribers, monthly_form, leader):
    """Revenue over the last fourteen months (commune B's latest month an estimate), subscribers this month,
    a target for this month's revenue and one for the year."""
    month = Period.containing(PeriodType.MONTH, local_today())
    period = month
    for i in range(14):
        for unit, base in ((commune_a, Decimal("162.38")), (commune_b, Decimal("40.5"))):
            kind = "estimate" if unit == commune_b and i == 0 else "actual"
            datavalues_save(state=ValueState.APPROVED,
                            orgunit=unit, period=period.id, user=leader, channel=Channel.WEB, values=[
                ValueInput(revenue, kind, base + 3 * i), ValueInput(subscribers, "actual", Decimal(125000 - 700 * i))])
        period = period.previous()
    datavalues_save(state=ValueState.APPROVED, orgunit=province, period=month.id, user=leader, channel=Channel.WEB,
                    values=[ValueInput(revenue, "target", Decimal("260"))])
    datavalues_save(state=ValueState.APPROVED,
                    orgunit=province, period=str(month.year), user=leader, channel=Channel.WEB,
                    values=[ValueInput(revenue, "target", Decimal("3000"))])
    return month


def dashboard_of(*cards) -> Dashboard:
    dashboard = Dashboard.objects.create(name="Bảng điều hành thử", is_default=True)
    for order, (kind, indicator) in enumerate(cards):
        Card.objects.create(dashboard=dashboard, order=order, kind=kind, indicator=indicator)
    return dashboard


def kinds(page: str) -> list[str]:
    return re.findall(r'card-block" data-kind="([a-z]+)"', page)


def block(page: str, kind: str, n: int = 0) -> str:
    """The HTML of the `n`th block of `kind`, up to the next block."""
    starts = [m.start() for m in re.finditer(f'data-kind="{kind}"', page)]
    start = starts[n]
    following = page.find('card-block" data-kind=', start + 1)
    return page[start:following if following > 0 else page.index('id="modules"')]


def test_the_cards_come_in_the_operators_order_with_the_databases_figures(client, leader, figures, revenue,
                                                                            subscribers, province):
    dashboard_of((Card.Kind.KPI, subscribers), (Card.Kind.CHART, revenue), (Card.Kind.RANKING, revenue),
                 (Card.Kind.TASKS, None))
    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    assert kinds(page) == ["kpi", "chart", "ranking", "tasks"]
    assert page.index('data-kind="tasks"') < page.index('id="task-panel"') < page.index('id="modules"')
    # The dashboard has a panel card: the other two panels are not added.
    assert 'id="reporting-panel"' not in page and 'id="alerts-panel"' not in page

    kpi_value = queries.comparison(subscribers, province, figures.id, ytd=True).value.value
    assert re.search(r'kpi-number">([^<]*)<', block(page, "kpi")).group(1) == format_number(kpi_value, 0)

    # The chart: the headline as on a KPI card, and the last twelve months' figures and targets.
    chart_html = block(page, "chart")
    headline = queries.comparison(revenue, province, figures.id, ytd=True)
    assert re.search(r'kpi-number">([^<]*)<', chart_html).group(1) == format_number(headline.value.value, 2)
    assert reverse("dashboard:indicator", args=["DT_VT"]) in chart_html
    data = json.loads(re.search(r'data-chart="([^"]*)"', chart_html).group(1).replace("&quot;", '"'))
    months = [figures]
    while len(months) < 12:
        months.insert(0, months[0].previous())
    assert data["labels"] == [p.label for p in months]
    assert data["values"] == [float(queries.figure(revenue, province, p.id).value) for p in months]
    assert data["estimates"] == [False] * 11 + [True]
    # This month's own target; a flow's year target (3.000 for twelve months) is not drawn against a month.
    assert data["targets"] == [None] * 11 + [260.0]

    # The ranking: the communes as queries.breakdown ranks them, with its figures.
    ranking_html = block(page, "ranking")
    expected = [(u, f) for u, f in queries.breakdown(revenue, province, figures.id, ytd=True) if f.value is not None]
    assert [u.code for u, _f in expected] == ["XA-A", "XA-B"]  # the agency without a figure is left out
    assert re.findall(r'data-unit="([^"]+)"', ranking_html) == ["XA-A", "XA-B"]
    shown = [v.strip() for v in re.findall(r'ranking-value">([^<]*)', ranking_html)]
    assert shown == [f"{format_number(f.value, 2)} tỷ đồng" for _u, f in expected]
    assert f"unit=XA-A&amp;period={figures.id}" in ranking_html


def test_a_ranking_puts_the_best_first_by_the_indicators_direction(client, leader, figures, revenue, province):
    revenue.direction = Indicator.Direction.LOWER
    revenue.save()
    dashboard_of((Card.Kind.RANKING, revenue))
    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    ranking_html = block(page, "ranking")
    assert re.findall(r'data-unit="([^"]+)"', ranking_html) == ["XA-B", "XA-A"]
    assert [u.code for u, _f in queries.breakdown(revenue, province, figures.id, ytd=True)][:2] == ["XA-B", "XA-A"]


def test_a_ranking_shows_the_top_eight(client, leader, figures, revenue, province):
    for n in range(10):
        unit = orgunit_create(code=f"P{n}", name=f"Phường {n}", kind=OrgUnit.Kind.COMMUNE, parent=province)
        datavalues_save(state=ValueState.APPROVED, orgunit=unit, period=figures.id, user=leader, channel=Channel.WEB,
                        values=[ValueInput(revenue, "actual", Decimal(100 + n))])
    dashboard_of((Card.Kind.RANKING, revenue))
    client.force_login(leader)
    ranking_html = block(client.get(reverse("home")).content.decode(), "ranking")
    ranked = [u.code for u, f in queries.breakdown(revenue, province, figures.id, ytd=True) if f.value is not None]
    assert len(ranked) == 12 and ranked[:4] == ["XA-A", "XA-B", "P9", "P8"]
    assert re.findall(r'data-unit="([^"]+)"', ranking_html) == ranked[:8]
    assert "và 4 đơn vị khác" in ranking_html


def test_a_levels_chart_holds_the_year_target_for_each_period(client, leader, figures, subscribers, province):
    subscribers.period_aggregation = Indicator.PeriodAggregation.LAST
    subscribers.save()
    datavalues_save(state=ValueState.APPROVED,
                    orgunit=province, period=str(figures.year), user=leader, channel=Channel.WEB,
                    values=[ValueInput(subscribers, "target", Decimal("260000"))])
    dashboard_of((Card.Kind.CHART, subscribers))
    client.force_login(leader)
    chart_html = block(client.get(reverse("home")).content.decode(), "chart")
    data = json.loads(re.search(r'data-chart="([^"]*)"', chart_html).group(1).replace("&quot;", '"'))
    this_year = [p.startswith("Tháng") and p.endswith(f"/{figures.year}") for p in data["labels"]]
    assert data["targets"] == [260000.0 if mine else None for mine in this_year]


def test_panels_follow_the_cards_when_the_dashboard_has_no_panel_card(client, leader, figures, revenue):
    dashboard_of((Card.Kind.CHART, revenue), (Card.Kind.KPI, revenue))
    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    assert kinds(page) == ["chart", "kpi"]
    positions = [page.index(f'id="{i}"') for i in PANEL_IDS]
    assert page.index('data-kind="kpi"') < min(positions) and max(positions) < page.index('id="modules"')


def test_panel_cards_take_their_place_once(client, leader, figures, revenue):
    dashboard_of((Card.Kind.ALERTS, None), (Card.Kind.KPI, revenue), (Card.Kind.COMPLETENESS, None),
                 (Card.Kind.ALERTS, None))
    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    assert kinds(page) == ["alerts", "kpi", "completeness"]
    assert page.count('id="alerts-panel"') == 1 and 'id="task-panel"' not in page
    assert page.index('id="alerts-panel"') < page.index('data-indicator="DT_VT"') < page.index('id="reporting-panel"')


def test_the_default_dashboard_keeps_its_layout(client, leader, figures):
    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    assert kinds(page) == [] and "chart-card" not in page and "ranking-card" not in page
    cards = page[page.index('id="kpi-cards"'):page.index("</section>")]
    assert cards.count('<div class="col-12 col-sm-6 col-lg-4 col-xxl-3"><a class="card card-link h-100 kpi-card') == 2
    positions = [page.index(f'id="{i}"') for i in PANEL_IDS]
    assert page.index("</section>") < positions[0] < positions[1] < positions[2] < page.index('id="modules"')
    assert '<div class="col-12 col-lg-4 order-first order-lg-last">' in page[positions[1]:positions[2]]


@pytest.mark.parametrize("kind", [Card.Kind.CHART, Card.Kind.RANKING])
def test_cards_of_a_kind_share_one_read(client, leader, figures, revenue, subscribers, kind):
    """A second chart (or ranking) card adds no query: they are read together."""
    dashboard = dashboard_of((Card.Kind.KPI, revenue), (kind, revenue))
    client.force_login(leader)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("home"))
    Card.objects.create(dashboard=dashboard, order=5, kind=kind, indicator=subscribers)
    with CaptureQueriesContext(connection) as two:
        page = client.get(reverse("home")).content.decode()
    assert kinds(page) == ["kpi", kind, kind]
    assert len(two.captured_queries) == len(one.captured_queries)


def test_a_communes_ranking_says_it_has_no_units_below(client, figures, revenue, commune_a):
    dashboard_of((Card.Kind.RANKING, revenue), (Card.Kind.KPI, revenue))
    client.force_login(make_user("chu_tich_xa", Role.LEADER, commune_a))
    ranking_html = block(client.get(reverse("home")).content.decode(), "ranking")
    assert "ranking-row" not in ranking_html
    assert "Chưa có đơn vị trực thuộc nào có số liệu kỳ này." in ranking_html


def test_the_wall_shows_chart_and_ranking_cards_as_kpis(client, leader, figures, revenue, subscribers):
    dashboard = dashboard_of((Card.Kind.CHART, revenue), (Card.Kind.RANKING, subscribers), (Card.Kind.TASKS, None))
    client.force_login(leader)
    response = client.get(reverse("dashboard:wall"), {"dashboard": dashboard.pk})
    assert response.status_code == 200
    cards = [c for panel in response.context["panels"] if panel.kind == "kpi" for c in panel.items]
    assert [c.indicator.code for c in cards] == ["DT_VT", "TB_DD"]


def test_a_ranking_card_opens_the_same_ranking_on_the_indicator_page(client, leader, figures, revenue, province,
                                                                    commune_b):
    """The card ranks the year to date; its link opens the indicator page ranking the year to date, in the same
    order (this month alone would put commune B first)."""
    datavalues_save(state=ValueState.APPROVED, orgunit=commune_b, period=figures.id, user=leader, channel=Channel.WEB,
                    values=[ValueInput(revenue, "actual", Decimal("900"))])
    dashboard_of((Card.Kind.RANKING, revenue))
    client.force_login(leader)
    card = block(client.get(reverse("home")).content.decode(), "ranking")
    card_order = re.findall(r'class="ranking-row" data-unit="([^"]+)"', card)
    link = re.search(r'<a href="([^"]+)">Xem toàn bộ xếp hạng', card).group(1).replace("&amp;", "&")
    assert "ranking=ytd" in link
    page = client.get(link.split("#")[0]).content.decode()
    ranking = page[page.index('id="ranking"'):page.index("</table>", page.index('id="ranking"'))]
    assert re.findall(r'<tr data-unit="([^"]+)"', ranking) == card_order == ["XA-A", "XA-B"]
    this_month = client.get(link.split("#")[0].replace("&ranking=ytd", "")).content.decode()
    ranking = this_month[this_month.index('id="ranking"'):]
    assert re.findall(r'<tr data-unit="([^"]+)"', ranking[:ranking.index("</table>")]) == ["XA-B", "XA-A"]
