"""Dashboard configuration: only administrators edit (everyone else 404); who is given which dashboard."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dieuhanh.accounts.models import Role
from dieuhanh.conftest import make_user
from dieuhanh.dashboard.models import Card, Dashboard
from dieuhanh.dashboard.selectors import dashboard_or_404, dashboards_for
from dieuhanh.dashboard.services import card_add, card_move, card_remove, dashboard_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(province):
    return dashboard_create(name="Điều hành tỉnh", orgunit=province)


def orders(dashboard):
    return [(c.title, c.order) for c in dashboard.cards.order_by("order")]


# --- who is given which dashboard --------------------------------------------------------------------------------
def test_it_gives_the_default_when_nothing_is_assigned(leader, province):
    default = dashboard_create(name="Mặc định", is_default=True)
    dashboard_create(name="Khác")
    assert list(dashboards_for(leader)) == [default]


def test_it_gives_nothing_when_no_dashboard_is_configured(leader):
    assert list(dashboards_for(leader)) == []


def test_it_gives_dashboards_assigned_to_the_user(leader, reporter_a):
    dashboard_create(name="Mặc định", is_default=True)
    mine = dashboard_create(name="Của lãnh đạo", users=[leader])
    assert list(dashboards_for(leader)) == [mine]
    assert [d.name for d in dashboards_for(reporter_a)] == ["Mặc định"]


def test_a_unit_assignment_reaches_roles_at_or_below_the_unit(province, commune_a, commune_b, leader, reporter_a,
                                                              reporter_b):
    dashboard_create(name="Mặc định", is_default=True)
    for_province = dashboard_create(name="Toàn tỉnh", orgunits=[province])
    for_commune = dashboard_create(name="Xã A", orgunits=[commune_a])
    assert set(dashboards_for(reporter_a)) == {for_province, for_commune}
    assert set(dashboards_for(reporter_b)) == {for_province}
    # A leader of the province holds no role on commune A: the commune's dashboard is not theirs.
    assert set(dashboards_for(leader)) == {for_province}


def test_inactive_dashboards_are_not_given(leader):
    dashboard_create(name="Cũ", users=[leader], active=False)
    default = dashboard_create(name="Mặc định", is_default=True)
    assert list(dashboards_for(leader)) == [default]


def test_a_dashboard_not_given_answers_404(leader, outsider):
    other = dashboard_create(name="Người khác", users=[outsider])
    dashboard_create(name="Của tôi", users=[leader])
    from django.http import Http404
    with pytest.raises(Http404):
        dashboard_or_404(leader, other.pk)
    assert dashboard_or_404(outsider, other.pk) == other


# --- services ------------------------------------------------------------------------------------------------------
def test_cards_are_added_at_the_end_moved_and_removed(board, revenue, subscribers):
    first = card_add(dashboard=board, kind=Card.Kind.KPI, indicator=revenue, title="a")
    second = card_add(dashboard=board, kind=Card.Kind.CHART, indicator=subscribers, title="b")
    third = card_add(dashboard=board, kind=Card.Kind.TASKS, title="c")
    assert orders(board) == [("a", 1), ("b", 2), ("c", 3)]
    card_move(card=third, direction="up")
    assert orders(board) == [("a", 1), ("c", 2), ("b", 3)]
    card_move(card=first, direction="up")  # already first: nothing changes
    assert orders(board) == [("a", 1), ("c", 2), ("b", 3)]
    card_remove(card=first)
    assert orders(board) == [("c", 1), ("b", 2)]
    second.refresh_from_db()
    assert second.order == 2


def test_an_indicator_card_needs_its_indicator_and_a_panel_has_none(board, revenue):
    with pytest.raises(ValidationError) as exc:
        card_add(dashboard=board, kind=Card.Kind.KPI)
    assert "indicator" in exc.value.message_dict
    with pytest.raises(ValidationError):
        card_add(dashboard=board, kind=Card.Kind.TASKS, indicator=revenue)
    assert board.cards.count() == 0


# --- pages ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["leader", "reporter_a", "outsider"])
def test_only_administrators_reach_the_configuration(client, board, who, request):
    user = request.getfixturevalue(who)
    client.force_login(user)
    card = card_add(dashboard=board, kind=Card.Kind.TASKS)
    for url, method in [
        (reverse("dashboard:config_list"), "get"),
        (reverse("dashboard:config_create"), "get"),
        (reverse("dashboard:config_create"), "post"),
        (reverse("dashboard:config_edit", args=[board.pk]), "get"),
        (reverse("dashboard:config_edit", args=[board.pk]), "post"),
        (reverse("dashboard:card_add", args=[board.pk]), "post"),
        (reverse("dashboard:card_move", args=[board.pk, card.pk]), "post"),
        (reverse("dashboard:card_remove", args=[board.pk, card.pk]), "post"),
    ]:
        response = getattr(client, method)(url, {"direction": "up", "kind": "tasks", "name": "x"})
        assert response.status_code == 404, (url, method)
    assert board.cards.count() == 1
    board.refresh_from_db()
    assert board.name == "Điều hành tỉnh"


def test_an_administrator_of_a_commune_does_not_see_the_province_dashboard(client, board, commune_a):
    client.force_login(make_user("admin_a", Role.ADMIN, commune_a))
    assert client.get(reverse("dashboard:config_edit", args=[board.pk])).status_code == 404
    assert "Điều hành tỉnh" not in client.get(reverse("dashboard:config_list")).content.decode()


def test_an_administrator_creates_a_dashboard_and_assigns_it(client, admin_user, province, ict_sector, leader):
    client.force_login(admin_user)
    response = client.post(reverse("dashboard:config_create"), {
        "name": "Kinh tế số", "sector": ict_sector.pk, "orgunit": province.pk, "order": 1, "wall_seconds": 15,
        "active": "on", "users": [leader.pk], "orgunits": [province.pk],
    })
    dashboard = Dashboard.objects.get(name="Kinh tế số")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:config_edit", args=[dashboard.pk])
    assert (dashboard.sector, dashboard.orgunit, dashboard.wall_seconds) == (ict_sector, province, 15)
    assert list(dashboard.users.all()) == [leader]
    assert list(dashboards_for(leader)) == [dashboard]


def test_bad_input_is_refused_in_vietnamese_and_nothing_is_saved(client, admin_user, board):
    client.force_login(admin_user)
    response = client.post(reverse("dashboard:config_edit", args=[board.pk]),
                           {"name": "", "order": 0, "wall_seconds": 1})  # Vietnamese: the default
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"name", "wall_seconds"}
    assert "Trường này là bắt buộc" in form.errors["name"][0]
    board.refresh_from_db()
    assert (board.name, board.wall_seconds) == ("Điều hành tỉnh", 20)


def test_an_administrator_adds_moves_and_removes_cards_with_htmx(client, admin_user, board, revenue, subscribers):
    client.force_login(admin_user)
    add = reverse("dashboard:card_add", args=[board.pk])
    htmx = {"HTTP_HX_REQUEST": "true"}
    client.post(add, {"kind": "kpi", "indicator": revenue.pk, "span": "ytd", "title": ""}, **htmx)
    response = client.post(add, {"kind": "chart", "indicator": subscribers.pk, "span": "year", "title": ""},
                           **htmx)
    assert response.status_code == 200
    assert 'id="card-list"' in response.content.decode()
    cards = list(board.cards.order_by("order"))
    assert [c.indicator for c in cards] == [revenue, subscribers]
    response = client.post(reverse("dashboard:card_move", args=[board.pk, cards[1].pk]), {"direction": "up"},
                           **htmx)
    assert [c.indicator for c in board.cards.order_by("order")] == [subscribers, revenue]
    html = response.content.decode()
    assert html.index("Thuê bao di động") < html.index("Doanh thu viễn thông")
    # Without HTMX the same buttons redirect back to the page.
    response = client.post(reverse("dashboard:card_remove", args=[board.pk, cards[0].pk]))
    assert response.status_code == 302
    assert [c.indicator for c in board.cards.all()] == [subscribers]


def test_a_kpi_card_without_indicator_is_refused_naming_the_field(client, admin_user, board):
    client.force_login(admin_user)
    response = client.post(reverse("dashboard:card_add", args=[board.pk]),
                           {"kind": "kpi", "indicator": "", "span": "ytd"}, HTTP_HX_REQUEST="true")
    assert response.context["card_form"].errors["indicator"]
    assert board.cards.count() == 0


def test_the_indicator_picker_carries_names_without_diacritics(client, admin_user, board, revenue):
    client.force_login(admin_user)
    html = client.get(reverse("dashboard:config_edit", args=[board.pk])).content.decode()
    assert 'data-search="dt_vt · doanh thu vien thong (ty dong)"' in html
