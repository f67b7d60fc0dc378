"""The scorecard page: the figures of `scorecard()` for the user's scope, in Vietnamese formats, with links to the
tasks behind them; a unit outside the scope answers 404. The set is the hand-counted one of test_scorecards.py
(first quarter of 2026: 12 fell due = 5 on time + 2 late + 4 overdue + 1 paused)."""

import datetime
import io
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from dieuhanh.assignments.models import Occurrence
from dieuhanh.assignments.scorecards import scorecard, scorecards_by_unit
from dieuhanh.assignments.tests.test_scorecards import hand_counted  # noqa: F401  (the shared hand-counted set)

D = datetime.date
URL = reverse("assignments:scorecard")


@pytest.fixture(autouse=True)
def english(client):
    # Messages are asserted on their English msgids; the figures' formats are Vietnamese in every language.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # as the language switcher sets it
    with translation.override("en"):
        yield


def figures(response) -> dict[str, str]:
    """The province (or chosen unit) figures as shown: {"due": "12", "completion_rate": "58,3%", …}."""
    html = response.content.decode()
    found = re.findall(r'data-figure="(\w+)">(?:<a href="[^"]*">)?([^<]+)<', html)
    return dict(found)


def row_cells(response, table: str, key: str) -> list[str]:
    html = response.content.decode()
    body = html.split(f'id="{table}"')[1].split("</table>")[0]
    row = body.split(f'data-key="{key}"')[1].split("</tr>")[0]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r'<td class="num">(.*?)</td>', row)]


def test_it_shows_the_hand_counted_quarter_in_vietnamese_formats(client, leader, hand_counted):  # noqa: F811
    client.force_login(leader)
    response = client.get(URL, {"period": "2026Q1"})
    assert response.status_code == 200
    shown = figures(response)
    # Hand-counted in test_scorecards.py: 15 assigned, 12 fell due, 5 on time, 2 late, 4 overdue.
    assert shown == {"assigned": "15", "due": "12", "done_on_time": "5", "done_late": "2", "overdue": "4",
                     "paused_due": "1", "completion_rate": "58,3%", "on_time_rate": "41,7%"}
    # The paused task is part of what fell due, under its own label, so the parts add up to the 12.
    assert response.context["headings"][5] == "Paused"
    assert [(label, n) for _css, _w, n, label in response.context["total_bar"]] == [
        ("Completed on time", 5), ("Completed late", 2), ("Not completed, overdue", 4), ("Paused", 1)]
    card = response.context["total"]
    assert card == scorecard(Occurrence.objects.all(), start=D(2026, 1, 1), end=D(2026, 3, 31))
    assert card.completion_rate == Decimal("58.3")


def test_each_unit_line_equals_the_units_scorecard(client, leader, hand_counted, lead_unit, finance):  # noqa: F811
    client.force_login(leader)
    response = client.get(URL, {"period": "2026Q1"})
    expected = dict(scorecards_by_unit(Occurrence.objects.all(), start=D(2026, 1, 1), end=D(2026, 3, 31)))
    assert row_cells(response, "by-unit", "SKHCN") == ["13", "9", "4", "1", "3", "1", "55,6%", "44,4%"]
    assert row_cells(response, "by-unit", "STC") == ["2", "3", "1", "1", "1", "0", "66,7%", "33,3%"]
    assert [r["card"] for r in response.context["unit_rows"]] == [expected[lead_unit], expected[finance]]
    assert row_cells(response, "by-assigner", str(response.context["assigner_rows"][0]["assigner"].pk))[1] == "12"


def test_key_tasks_only(client, leader, hand_counted):  # noqa: F811
    client.force_login(leader)
    shown = figures(client.get(URL, {"period": "2026Q1", "key_only": "on"}))
    assert (shown["due"], shown["done_on_time"], shown["overdue"], shown["completion_rate"]) == ("5", "3", "2", "60,0%")


def test_a_custom_range_and_a_month(client, leader, hand_counted):  # noqa: F811
    client.force_login(leader)
    march = figures(client.get(URL, {"period": "202603"}))
    same = figures(client.get(URL, {"from": "2026-03-01", "to": "31/03/2026"}))
    assert march == same
    card = scorecard(Occurrence.objects.all(), start=D(2026, 3, 1), end=D(2026, 3, 31))
    assert march["due"] == str(card.due) and march["overdue"] == str(card.overdue)
    response = client.get(URL, {"from": "2026-03-31", "to": "2026-03-01"})
    assert response.status_code == 200 and response.context["errors"] == ["The range ends before it starts."]
    assert client.get(URL, {"period": "2026Q7"}).context["errors"]


def test_each_count_links_to_the_same_tasks_in_the_list(client, leader, hand_counted):  # noqa: F811
    client.force_login(leader)
    response = client.get(URL, {"period": "2026Q1"})
    followed = 0
    for row in response.context["unit_rows"]:
        for cell in row["cells"]:
            if cell.key not in ("done_on_time", "done_late", "overdue", "paused_due") or not cell.url:
                continue
            query = parse_qs(urlsplit(cell.url).query)
            assert query["unit"] == [str(row["unit"].pk)] and query["on"] == ["2026-03-31"]
            listed = client.get(cell.url)
            assert listed.status_code == 200
            assert listed.context["total"] == getattr(row["card"], cell.key), (row["unit"], cell.key)
            followed += 1
    assert followed == 7  # on time, late and overdue of both units, paused of SKHCN


def test_a_unit_sees_only_its_own_line(client, lead_reporter, hand_counted, finance):  # noqa: F811
    client.force_login(lead_reporter)
    response = client.get(URL, {"period": "2026Q1"})
    assert [r["unit"].code for r in response.context["unit_rows"]] == ["SKHCN"]
    assert figures(response)["due"] == "9"
    assert client.get(URL, {"period": "2026Q1", "unit": "STC"}).status_code == 404
    assert client.get(URL, {"period": "2026Q1", "unit": "SKHCN"}).status_code == 200


def test_a_province_leader_narrows_to_one_unit(client, leader, hand_counted):  # noqa: F811
    client.force_login(leader)
    response = client.get(URL, {"period": "2026Q1", "unit": "STC"})
    assert figures(response)["due"] == "3"
    assert [r["unit"].code for r in response.context["unit_rows"]] == ["STC"]
    assert client.get(URL, {"unit": "NOPE"}).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "outsider_reporter"])
def test_someone_without_the_tasks_sees_nothing_and_404_for_a_unit(client, request, who, hand_counted):  # noqa: F811
    client.force_login(request.getfixturevalue(who))
    response = client.get(URL, {"period": "2026Q1"})
    assert response.status_code == 200
    assert response.context["unit_rows"] == [] and figures(response)["due"] == "0"
    assert client.get(URL, {"unit": "SKHCN"}).status_code == 404


def test_anonymous_users_go_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_default_is_this_year(client, leader):
    client.force_login(leader)
    response = client.get(URL)
    assert response.context["window"].period.id == str(timezone.localdate().year)


def test_it_downloads_the_scorecard_as_the_summary_table_of_reports(client, leader, hand_counted):  # noqa: F811
    client.force_login(leader)
    page = client.get(URL, {"period": "2026Q1"})
    assert "format=xlsx" in page.context["download_url"]
    response = client.get(URL + page.context["download_url"])
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "KẾT QUẢ THỰC HIỆN NHIỆM VỤ UBND TỈNH GIAO"
    assert "Quý I/2026" in ws["A2"].value and "Tây Ninh" in ws["A2"].value
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    assert rows[0][:4] == ["STT", "Đơn vị chủ trì", "Số nhiệm vụ được giao", "Số nhiệm vụ đến hạn"]
    assert rows[0][4:9] == ["Hoàn thành đúng hạn", "Hoàn thành quá hạn", "Chưa hoàn thành, trong hạn",
                            "Chưa hoàn thành, quá hạn", "Tạm dừng"]
    # Fell due = its parts: on time, late, within deadline, overdue, paused.
    assert rows[1] == [1, "Sở Khoa học và Công nghệ", 13, 9, 4, 1, 0, 3, 1, 55.6, 44.4]
    assert rows[2] == [2, "Sở Tài chính", 2, 3, 1, 1, 0, 1, 0, 66.7, 33.3]
    assert rows[3] == [None, "Tổng cộng", 15, 12, 5, 2, 0, 4, 1, 58.3, 41.7]
    assert all(row[3] == sum(row[4:9]) for row in rows[1:4])
    assert rows[5][1] == "Người giao" and rows[6][3] == 12


def test_the_total_is_named_after_the_scope_and_links_to_its_tasks(client, leader, hand_counted, province):  # noqa: F811
    client.force_login(leader)
    response = client.get(URL, {"period": "2026Q1", "key_only": "on"})
    assert '<h2 class="h5" id="total-heading">Tây Ninh</h2>' in response.content.decode()
    previous, following = response.context["neighbours"]["previous"], response.context["neighbours"]["next"]
    assert previous[0].id == "2025Q4" and "period=2025Q4" in previous[1] and "key_only=on" in previous[1]
    assert following[0].id == "2026Q2"
    overdue = next(c for c in response.context["total_cells"] if c.key == "overdue")
    assert parse_qs(urlsplit(overdue.url).query)["unit"] == [str(province.pk)]
    assert client.get(overdue.url).context["total"] == 2  # key tasks #4 and #6


def test_a_coordinating_unit_counts_none_of_the_tasks_it_only_coordinates(client, coord_reporter,
                                                                          hand_counted):  # noqa: F811
    client.force_login(coord_reporter)
    response = client.get(URL, {"period": "2026Q1"})
    assert response.context["unit_rows"] == [] and response.context["total"].assigned == 0


def test_departments_come_before_communes(client, leader, make_task, commune_a, commune_b, lead_unit):
    make_task(lead_unit=commune_b, coordinating_units=[])  # created first, so first in the unit tree
    make_task(lead_unit=lead_unit, coordinating_units=[])
    make_task(lead_unit=commune_a, coordinating_units=[])
    client.force_login(leader)
    response = client.get(URL, {"period": "2026Q1"})
    assert [r["unit"].code for r in response.context["unit_rows"]] == ["SKHCN", "XA-B", "XA-A"]  # Long An, Hưng Điền


def test_tasks_due_on_the_day_shown_are_a_part_of_those_fallen_due(client, leader, hand_counted):  # noqa: F811
    # On 15/03 two open tasks are due that very day (4 and March of 12): fallen due, still within deadline.
    client.force_login(leader)
    response = client.get(URL, {"from": "2026-01-01", "to": "2026-03-15"})
    shown = figures(response)
    assert (shown["due"], shown["done_on_time"], shown["done_late"], shown["within_deadline"], shown["overdue"],
            shown["paused_due"]) == ("8", "3", "2", "2", "1", "0")
    assert shown["completion_rate"] == "62,5%"
    within = next(c for c in response.context["total_cells"] if c.key == "within_deadline")
    assert within.heading == "Not completed, within deadline"
    assert client.get(within.url).context["total"] == 2
