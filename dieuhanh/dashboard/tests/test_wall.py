"""Wall mode: the page for the operations room, its panels, and who may open which dashboard on it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dieuhanh.accounts.models import Role
from dieuhanh.conftest import make_user
from dieuhanh.dashboard.models import Card
from dieuhanh.dashboard.services import card_add, dashboard_create
from dieuhanh.dashboard.tests.test_alerts import office  # noqa: F401  (fixtures of the hand-counted tasks)
from dieuhanh.dashboard.tests.test_task_counts import hand_counted, registrar  # noqa: F401
from dieuhanh.indicators.models import Channel, Indicator, ValueState
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
    datavalues_save(state=ValueState.APPROVED,
                    orgunit=commune_a, period="202610", values=[ValueInput(revenue, "actual", Decimal("1762.38"))],
                    user=admin_user, channel=Channel.WEB)
    client.force_login(leader)
    response = client.get(reverse("dashboard:wall"), {"dashboard": board.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "navbar" not in html
    assert 'data-seconds="7"' in html
    assert 'id="wall-exit"' in html and f'href="/?dashboard={board.pk}"' in html
    kinds = [p.kind for p in response.context["panels"]]
    assert kinds == ["kpi", "alerts", "tasks", "completeness"]
    codes = [c.indicator.code for c in response.context["panels"][0].items]
    assert codes == ["DT_VT", "TB_DD"]
    assert "1.762,38" in html  # the commune's October revenue is the province's, in Vietnamese format
    assert "01/BC-VT" in html  # the form being collected, in the completeness panel
    # The panels come again, alone, for the refresh.
    fragment = client.get(reverse("dashboard:wall_panels"), {"dashboard": board.pk}).content.decode()
    assert "<html" not in fragment and fragment.count('class="wall-panel ') == 4


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


def test_a_department_leader_without_a_dashboard_sees_the_departments_figures(client, agency, commune_a, revenue,
                                                                              mobile_revenue, monthly_form):
    """As on the overview: the default cards the department has a figure for, else its own indicators — never a
    panel of empty cards for the communes' revenue."""
    datavalues_save(state=ValueState.APPROVED,
                    orgunit=commune_a, period="202610", values=[ValueInput(revenue, "actual", Decimal("1762.38"))],
                    user=None, channel=Channel.WEB)
    datavalues_save(state=ValueState.APPROVED,
                    orgunit=agency, period="202610", values=[ValueInput(mobile_revenue, "actual", Decimal("12.5"))],
                    user=None, channel=Channel.WEB)
    director = make_user("giam_doc_so", Role.LEADER, agency)
    client.force_login(director)
    response = client.get(reverse("dashboard:wall"))
    assert response.status_code == 200 and response.context["unit"] == agency
    kpi_panels = [p for p in response.context["panels"] if p.kind == "kpi"]
    cards = [c for p in kpi_panels for c in p.items]
    assert [c.indicator.code for c in cards] == ["DT_DD"]
    assert all(c.raw_value is not None for c in cards)
    html = response.content.decode()
    assert 'data-indicator="DT_VT"' not in html and "12,50" in html
    # The overview shows the same cards: both pages choose them with one function.
    overview = client.get(reverse("home"))
    assert [c.indicator.code for c in overview.context["cards"]] == ["DT_DD"]


def test_a_leader_whose_unit_has_no_figure_gets_one_panel_saying_so(client, leader, revenue):
    client.force_login(leader)
    panels = client.get(reverse("dashboard:wall")).context["panels"]
    assert panels[0].kind == "kpi" and panels[0].items == []
    assert "Chưa có số liệu" in client.get(reverse("dashboard:wall_panels")).content.decode()


def test_a_wall_card_says_how_much_awaits_approval(client, leader, board, commune_a, revenue, reporter_a,
                                                   monthly_form):
    from dieuhanh.reporting.services import submission_save_values, submission_submit

    report = submission_save_values(form=monthly_form, orgunit=commune_a, period="202610", user=reporter_a,
                                    channel=Channel.WEB, values=[ValueInput(revenue, "actual", Decimal("12.5"))])
    client.force_login(leader)
    url = reverse("dashboard:wall")
    assert "chờ duyệt" not in client.get(url, {"dashboard": board.pk}).content.decode()  # a draft: not there
    submission_submit(submission=report, user=reporter_a)
    html = client.get(url, {"dashboard": board.pk}).content.decode()
    card = html[html.index(f'data-indicator="{revenue.code}"'):]
    card = card[:card.index("</article>")]
    assert "12,50" in card and "1/2 đơn vị chờ duyệt" in card


def test_the_wall_s_task_counts_add_up_to_the_tasks_fallen_due(client, leader, board, hand_counted):  # noqa: F811
    client.force_login(leader)
    response = client.get(reverse("dashboard:wall"), {"dashboard": board.pk})
    [panel] = [p for p in response.context["panels"] if p.kind == "tasks"]
    html = response.content.decode()
    for t in panel.items:
        assert sum(n for _status, _label, n in t.parts) == t.card.due
    every = panel.items[0]
    assert every.card.due > 0 and every.card.paused_due == 1  # the task paused in May counts, with its label
    assert 'data-status="paused"' in html and "Tạm dừng" in html and "Chưa đến hạn" in html
