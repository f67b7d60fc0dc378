"""The auditors' page: who may open it, the filters, paging, before → after, and the XLSX of the filtered rows."""

import datetime
import io
import re

import pytest
from django.test import Client
from django.utils import timezone, translation
from openpyxl import load_workbook

from dieuhanh.audit.models import Action, AuditEvent


def make(action, *, user=None, unit=None, days_ago=0, text="", before=None, after=None, ip="10.0.0.1"):
    event = AuditEvent(action=action, user=user, username=user.username if user else "", unit=unit, ip=ip,
                       object_text=text, before=before, after=after,
                       at=timezone.now() - datetime.timedelta(days=days_ago))
    event.save()
    return event


@pytest.fixture
def trail(reporter_a, reporter_b, leader, commune_a, commune_b, province):
    return [
        make(Action.LOGIN, user=reporter_a, unit=commune_a, days_ago=3, text="reporter_a"),
        make(Action.ROLE_CHANGE, user=leader, unit=commune_b, days_ago=2, text="reporter_b · Báo cáo",
             before={"role": "Báo cáo", "unit": "Xã A"}, after={"role": "Phê duyệt", "unit": "Xã A"}),
        make(Action.EXPORT, user=reporter_b, unit=commune_b, days_ago=1, text="=HYPERLINK(\"http://x\")"),
        make(Action.LOGIN_FAILED, days_ago=0, text="ke-gian", ip="203.0.113.7"),
    ]


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def shown(response, among=None) -> list[int]:
    """The rows on the page, in order; only those of `among` (the trail) when given: the fixtures record their own
    (the roles given, the people made), and no test may delete them."""
    ids = [int(pk) for pk in re.findall(r'data-event="(\d+)"', response.content.decode())]
    return ids if among is None else [i for i in ids if i in {e.pk for e in among}]


def test_only_auditors_and_superusers_open_it(auditor, superuser, reporter_a, leader, admin_user):
    assert client_for(auditor).get("/audit/").status_code == 200
    assert client_for(superuser).get("/audit/").status_code == 200
    for user in (reporter_a, leader, admin_user):  # a province's administrator is not its auditor by default
        assert client_for(user).get("/audit/").status_code == 403
        assert client_for(user).get("/audit/export.xlsx").status_code == 403
    assert Client().get("/audit/").status_code == 302  # to the login page


def test_the_menu_shows_it_only_to_auditors(auditor, reporter_a):
    assert 'id="nav-audit"' in client_for(auditor).get("/audit/").content.decode()
    assert 'id="nav-audit"' not in client_for(reporter_a).get("/work/").content.decode()


def test_newest_first_with_who_when_where_and_the_change(auditor, trail):
    response = client_for(auditor).get("/audit/")
    page = response.content.decode()
    assert shown(response, trail) == [e.pk for e in reversed(trail)]
    role = trail[1]
    assert timezone.localtime(role.at).strftime("%d/%m/%Y %H:%M:%S") in page
    assert "Phê duyệt" in page and "Báo cáo" in page and "Thay đổi vai trò" in page
    assert "203.0.113.7" in page


@pytest.mark.parametrize(("query", "expected"), [
    ("action=login_failed", [3]),
    ("person=reporter_b", [2]),
    ("unit=XA-B", [2, 1]),
    ("unit=TN", [2, 1, 0]),
    ("q=ke-gian", [3]),
    ("q=203.0.113", [3]),
])
def test_the_filters(auditor, trail, query, expected):
    ids = shown(client_for(auditor).get(f"/audit/?{query}"), trail)
    assert ids == [trail[i].pk for i in expected]


def test_the_days_filter_takes_whole_local_days(auditor, trail):
    today = timezone.localdate()
    since = (today - datetime.timedelta(days=2)).strftime("%d/%m/%Y")
    until = (today - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    ids = shown(client_for(auditor).get(f"/audit/?since={since}&until={until}"), trail)
    assert ids == [trail[2].pk, trail[1].pk]


def test_a_bad_date_says_so_in_vietnamese_and_the_other_filters_still_hold(auditor, trail):
    response = client_for(auditor).get("/audit/?since=31/02/2026&action=login_failed")
    assert "31/12/2026" in response.content.decode()  # "Nhập ngày dạng 31/12/2026."
    assert shown(response, trail) == [trail[3].pk]


def test_it_pages_by_fifty(auditor, trail):
    for _ in range(55):
        make(Action.LOGOUT, text="x")
    client = client_for(auditor)
    assert len(shown(client.get("/audit/?action=logout"))) == 50
    assert len(shown(client.get("/audit/?action=logout&page=2"))) == 5


def test_the_xlsx_holds_the_filtered_rows_as_text(auditor, trail):
    response = client_for(auditor).get("/audit/export.xlsx?unit=XA-B")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    with translation.override("vi"):
        assert rows[0][:3] == (translation.gettext("When"), translation.gettext("Person"), "Đơn vị")
    assert rows[0][0] != "When"
    mine = [(n, r) for n, r in enumerate(rows[1:], 2) if r[6] in ('=HYPERLINK("http://x")', "reporter_b · Báo cáo")]
    assert [r[6] for _n, r in mine] == ['=HYPERLINK("http://x")', "reporter_b · Báo cáo"]
    assert ws.cell(mine[0][0], 7).data_type == "s"  # text, never a live formula
    role = mine[1][1]
    assert role[7] == "vai trò: Báo cáo" and role[8] == "vai trò: Phê duyệt"
    assert role[0] == timezone.localtime(trail[1].at).strftime("%d/%m/%Y %H:%M:%S")
    # The export is itself in the trail.
    assert AuditEvent.objects.filter(action=Action.EXPORT, user=auditor).count() == 1


@pytest.mark.parametrize("query", ["page=999", "page=abc", "unit=%00", "unit=KHONG-CO", "since=99/99/9999",
                                   "until=2026-02-30", "action=xoa", "person=" + "x" * 400, "q=%25_%5C"])
def test_odd_queries_answer_a_page_never_an_error(auditor, trail, query):
    client = client_for(auditor)
    assert client.get(f"/audit/?{query}").status_code == 200
    assert client.get(f"/audit/export.xlsx?{query}").status_code == 200
