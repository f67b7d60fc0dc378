"""Wall mode: the page for the operations room, its panels, and who may open which dashboard on it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dieuhanh.dashboard.models import Card
from dieuhanh.dashboard.services import card_add, dashboard_create
from dieuhanh.indicators.models import Channel, Indicator
from dieuhanh.indicators.services import ValueInput, datavalues_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(province, leader, revenue, subscribers):
    dashboard = dashboard_create(name="Phòng điều hành", orgunit=province, users=[leader], wall_seconds=7)
    card_add(dashboard=dashboard, kind=Card.Kind.KPI, indicator=revenue, span=Card.Span.LATEST)
    card_add(dashboard=dashboard, kind=Card.Kind.KPI, indicator=subscribers, title="Thuê bao")
    card_add(dashboard=dashboard, kind=Card.Kind.TASKS)
    return dashboard


def test_the_wall_shows_the_dashboard_without_navbar(client, leader, board, admin_user, commune_a, revenue,
                                                     monthly_form):
    datavalues_save(orgunit=commune_a, period="202610", values=[ValueInput(revenue, "actual", Decimal("1762.38"))],
                    user=admin_user, channel=Channel.WEB)
    client.force_login(leader)
    response = client.get(reverse("dashboard:wall"), {"dashboard": board.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "navbar" not in html
    assert 'data-seconds="7"' in html
    assert 'id="wall-exit"' in html and f'href="/?dashboard={board.pk}"' in html
    kinds = [p.kind for p in response.context["panels"]]
    assert kinds == ["kpi", "tasks", "completeness"]
    codes = [c.indicator.code for c in response.context["panels"][0].items]
    assert codes == ["DT_VT", "TB_DD"]
    assert "1.762,38" in html  # the commune's October revenue is the province's, in Vietnamese format
    assert "01/BC-VT" in html  # the form being collected, in the completeness panel
    # The panels come again, alone, for the refresh.
    fragment = client.get(reverse("dashboard:wall_panels"), {"dashboard": board.pk}).content.decode()
    assert "<html" not in fragment and fragment.count('class="wall-panel ') == 3


def test_many_cards_are_spread_over_several_panels(client, leader, board, ict_sector):
    for n in range(7):
        indicator = Indicator.objects.create(code=f"X{n}", name=f"Chỉ tiêu {n}", unit="đơn vị", sector=ict_sector)
        card_add(dashboard=board, kind=Card.Kind.KPI, indicator=indicator)
    client.force_login(leader)
    panels = client.get(reverse("dashboard:wall"), {"dashboard": board.pk}).context["panels"]
    kpi_panels = [p for p in panels if p.kind == "kpi"]
    assert [len(p.items) for p in kpi_panels] == [5, 4]  # nine cards, balanced
    assert kpi_panels[1].title.endswith("(2/2)")


def test_without_a_dashboard_the_wall_shows_the_default_cards(client, leader, revenue):
    client.force_login(leader)
    response = client.get(reverse("dashboard:wall"))
    assert response.status_code == 200
    assert response.context["dashboard"] is None and response.context["seconds"] == 20
    assert response.context["panels"][0].kind == "kpi"


def test_a_dashboard_not_given_and_a_user_without_units_answer_404(client, board, reporter_a, outsider):
    client.force_login(reporter_a)
    assert client.get(reverse("dashboard:wall"), {"dashboard": board.pk}).status_code == 404
    assert client.get(reverse("dashboard:wall_panels"), {"dashboard": board.pk}).status_code == 404
    assert client.get(reverse("dashboard:wall"), {"dashboard": "x"}).status_code == 404
    client.force_login(outsider)
    assert client.get(reverse("dashboard:wall")).status_code == 404


def test_a_commune_reporter_sees_their_commune_on_the_wall(client, board, reporter_a, commune_a):
    client.force_login(reporter_a)
    response = client.get(reverse("dashboard:wall"))
    assert response.status_code == 200 and response.context["unit"] == commune_a
