"""One count of overdue tasks everywhere: the overview's alert, its task panel, the scorecard page and the task list
agree on the same day, the alert says how many of its tasks fell due in earlier years, and the panel's breakdown
(paused included, with its label) adds up to the tasks fallen due.

The hand-counted set, judged on 15/06/2026 (units: SKHCN unless said; "key" = trọng tâm):

| #  | assigned   | deadline   | what happened                          | on 15/06/2026                         |
|----|------------|------------|----------------------------------------|---------------------------------------|
| 1  | 05/01/2025 | 30/06/2025 | nothing                                | overdue, from an earlier year         |
| 2  | 05/01/2025 | 30/11/2025 | nothing (key)                          | overdue, from an earlier year, key    |
| 3  | 05/01/2025 | 30/09/2025 | completed 01/09/2025, confirmed        | done (last year: not counted)         |
| 4  | 05/01/2025 | 31/12/2025 | paused 01/12/2025                      | paused, last year's: not counted      |
| 5  | 10/01/2026 | 31/03/2026 | completed 20/03, confirmed             | fell due: on time                     |
| 6  | 10/01/2026 | 31/03/2026 | completed 10/04, confirmed             | fell due: late                        |
| 7  | 10/01/2026 | 30/04/2026 | nothing (key)                          | fell due: overdue                     |
| 8  | 10/01/2026 | 31/05/2026 | nothing (Xã Hưng Điền leads)           | fell due: overdue                     |
| 9  | 10/01/2026 | 15/06/2026 | nothing                                | fell due today: still within deadline |
| 10 | 10/01/2026 | 30/05/2026 | paused 01/05                           | fell due: paused                      |
| 11 | 10/01/2026 | 30/09/2026 | nothing                                | not yet due                           |
| 12 | 10/01/2026 | 28/02/2026 | cancelled 01/02                        | cancelled: not counted                |
| 13 | 10/01/2026 | 31/05/2026 | completion reported 30/05, unconfirmed | fell due: overdue                     |

Overdue: 1, 2, 7, 8, 13 = 5, of which 2 from earlier years and 2 key (2, 7). This year's scorecard: fell due 7 =
on time 1 + late 1 + due today 1 + overdue 3 + paused 1; not yet due 1; completed 2/7 = 28,6%.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.assignments import services
from dieuhanh.assignments.models import Assigner, Occurrence, Status
from dieuhanh.assignments.selectors import task_rows
from dieuhanh.conftest import make_user
from dieuhanh.dashboard import alerts as alerting
from dieuhanh.dashboard.tests.test_alerts import evaluate, office, rules, vietnamese  # noqa: F401  (the alerts' fixtures)
from dieuhanh.dashboard.views_overview import task_panels
from dieuhanh.demo.build import demo_build
from dieuhanh.reporting.completeness import local_today

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = D(2026, 6, 15)


@pytest.fixture
def registrar(office, province, agency):  # noqa: F811
    """`register(deadline, assigned_on, unit=agency, key=False)` → the task's occurrence; `done(occurrence, day,
    confirm=True)`: the lead unit reports completion on `day`, the office confirms it."""
    assigner = Assigner.objects.create(name="Nguyễn Văn Mạnh", position="Chủ tịch UBND tỉnh", orgunit=province)
    documents = {}
    counter = iter(range(1, 100))

    def register(deadline, assigned_on, unit=agency, key=False):
        year = assigned_on.year
        if year not in documents:
            documents[year] = services.document_create(
                user=office, number=f"{10 + year % 100}/KH-UBND", issued_on=D(year, 1, 2), issuer=province,
                summary=f"Kế hoạch chuyển đổi số năm {year}")
        task = services.task_create(
            user=office, title=f"Nhiệm vụ số {next(counter)}", assigner=assigner, assigned_on=assigned_on,
            lead_unit=unit, deadline_kind="date", deadline=deadline, document=documents[year], is_key=key)
        return task.occurrences.get()

    staff = {}

    def done(occurrence, day, confirm=True):
        unit = occurrence.task.lead_unit
        if unit.pk not in staff:
            staff[unit.pk] = make_user(f"chuyen_vien_{unit.code.lower()}", Role.REPORTER, unit)
        services.completion_report(user=staff[unit.pk], occurrence=occurrence, completed_on=day,
                                   result_note="Đã ban hành văn bản")
        if confirm:
            services.completion_confirm(user=office, occurrence=Occurrence.objects.get(pk=occurrence.pk))

    register.done = done
    return register


@pytest.fixture
def hand_counted(registrar, office, commune_a):  # noqa: F811
    old, new = D(2025, 1, 5), D(2026, 1, 10)
    registrar(D(2025, 6, 30), old)
    registrar(D(2025, 11, 30), old, key=True)
    registrar.done(registrar(D(2025, 9, 30), old), D(2025, 9, 1))
    services.task_pause(user=office, task=registrar(D(2025, 12, 31), old).task, reason="Chờ chủ trương",
                        on=D(2025, 12, 1))
    registrar.done(registrar(D(2026, 3, 31), new), D(2026, 3, 20))
    registrar.done(registrar(D(2026, 3, 31), new), D(2026, 4, 10))
    registrar(D(2026, 4, 30), new, key=True)
    registrar(D(2026, 5, 31), new, unit=commune_a)
    registrar(D(2026, 6, 15), new)
    services.task_pause(user=office, task=registrar(D(2026, 5, 30), new).task, reason="Chờ hướng dẫn của Bộ",
                        on=D(2026, 5, 1))
    registrar(D(2026, 9, 30), new)
    services.task_cancel(user=office, task=registrar(D(2026, 2, 28), new).task, reason="Không còn phù hợp",
                         on=D(2026, 2, 1))
    registrar.done(registrar(D(2026, 5, 31), new), D(2026, 5, 30), confirm=False)


def test_the_alert_counts_every_overdue_task_and_says_how_many_are_from_earlier_years(hand_counted, leader, province,
                                                                                     rules):  # noqa: F811
    evaluate(DAY)
    scope = units_in_scope(leader)
    [alert] = alerting.overdue_tasks(alerting.Situation(province, scope, DAY))
    assert alert.title == "5 nhiệm vụ quá hạn (2 từ các năm trước)"
    assert alert.detail == "trong đó 2 nhiệm vụ trọng tâm"
    assert [line.text.rsplit("· ", 1)[1] for line in alert.lines] == [
        "quá hạn 350 ngày", "quá hạn 197 ngày", "quá hạn 46 ngày"]  # 1 (30/06/2025), 2 (30/11/2025), 7 (30/04)


def test_the_panels_breakdown_adds_up_and_names_the_paused_task(hand_counted, leader, province):
    scope = units_in_scope(leader)
    every, key = task_panels(province, scope, DAY)
    card = every.card
    assert (card.due, card.done_on_time, card.done_late, card.within_deadline, card.overdue, card.paused_due) == (
        7, 1, 1, 1, 3, 1)
    assert card.in_progress == 1 and card.cancelled == 1
    assert [(label, n) for _status, label, n in every.parts] == [
        ("đúng hạn", 1), ("trễ hạn", 1), ("đến hạn hôm nay", 1), ("quá hạn", 3), ("tạm dừng", 1)]
    assert sum(n for _s, _l, n in every.parts) == card.due
    assert sum(n for _css, _w, n in every.bar) == card.due
    assert every.completion_rate == "28,6%" and every.on_time_rate == "14,3%"
    assert every.earlier_overdue == 2
    # Key tasks: 7 fell due, overdue; task 2 is the key task overdue from last year.
    assert (key.card.due, key.card.overdue, key.completion_rate, key.earlier_overdue) == (1, 1, "0,0%", 1)
    # Nothing within deadline or paused among the key tasks: those parts are left out, the others stay at 0.
    assert [(label, n) for _s, label, n in key.parts] == [("đúng hạn", 0), ("trễ hạn", 0), ("quá hạn", 1)]


def test_alert_panel_scorecard_and_task_list_give_the_same_overdue_count(client, hand_counted, leader, province,
                                                                         rules):  # noqa: F811
    evaluate(DAY)
    scope = units_in_scope(leader)
    [alert] = alerting.overdue_tasks(alerting.Situation(province, scope, DAY))
    every, _key = task_panels(province, scope, DAY)
    # The scorecard page of the year so far, judged on the same day (a range ending that day).
    client.force_login(leader)
    page = client.get(reverse("assignments:scorecard"), {"from": "01/01/2026", "to": "15/06/2026"})
    total = page.context["total"]
    # The same tasks fell due with the same parts (the range ends that day, so nothing "not yet due" is in it).
    assert (total.due, total.due_parts) == (every.card.due, every.card.due_parts)
    this_year = 3
    assert every.card.overdue == total.overdue == this_year
    assert every.earlier_overdue + this_year == 5
    assert alert.title.startswith("5 ")
    listed = client.get(reverse("assignments:task_list"), {"status": Status.OVERDUE, "unit": province.pk,
                                                           "on": DAY.isoformat()})
    assert listed.context["total"] == 5
    assert len(task_rows(leader, on=DAY, unit=province, status=Status.OVERDUE)) == 5
    earlier = client.get(every.earlier_url + f"&on={DAY.isoformat()}")
    assert earlier.context["total"] == 2


def test_on_the_overview_the_alert_and_the_panel_agree(client, registrar, office, leader, rules):  # noqa: F811
    """The page, today: one task overdue since 31/12 of last year, one since 1 January, one paused since then."""
    today = local_today()
    if (today.month, today.day) == (1, 1):
        pytest.skip("on 1 January nothing of this year can be overdue yet")
    year = today.year
    registrar(D(year - 1, 12, 31), D(year - 1, 12, 1))
    registrar(D(year, 1, 1), D(year - 1, 12, 1), key=True)
    services.task_pause(user=office, task=registrar(D(year, 1, 1), D(year - 1, 12, 1)).task,
                        reason="Chờ chủ trương", on=D(year, 1, 1))
    evaluate()
    client.force_login(leader)
    response = client.get(reverse("home"))
    html = response.content.decode()
    [alert] = [a for a in response.context["alerts"].shown if a.source == "tasks"]
    assert alert.title == "2 nhiệm vụ quá hạn (1 từ các năm trước)"
    panel = html[html.index('id="task-panel"'):]
    panel = panel[:panel.index('data-key-only="1"')]
    assert 'data-status="overdue">quá hạn <b>1</b>' in panel
    assert 'data-status="paused">tạm dừng <b>1</b>' in panel
    assert "và 1 nhiệm vụ từ các năm trước vẫn quá hạn" in panel
    assert "0/2 hoàn thành" in panel and "0,0%" in panel

    # The unit page says the same: this year's scorecard with the earlier year's task beside it, and the list of
    # overdue tasks (every year) under it.
    page = client.get(reverse("dashboard:unit", args=["TN"]))
    assert page.status_code == 200 and page.context["overdue_count"] == 2
    tasks = page.content.decode()
    tasks = tasks[tasks.index('id="unit-tasks"'):tasks.index('id="overdue-tasks"')]
    assert "1 quá hạn" in tasks and "và 1 nhiệm vụ từ các năm trước vẫn quá hạn" in tasks


def test_in_the_demo_the_alert_the_panel_the_scorecard_and_the_list_agree(client):
    """The demo's leader, today: the alert's count is this year's overdue on the panel and on the scorecard page plus
    those from earlier years, which the alert names; the task list behind the alert lists that many; and the database
    gives every occurrence of the demo the model rule's status."""
    demo_build(small=True)
    today = local_today()
    for occurrence_id, status in Occurrence.objects.status_on(today).values_list("pk", "status"):
        assert Occurrence.objects.select_related("task").get(pk=occurrence_id).status_on(today) == status
    leader = get_user_model().objects.get(username="lanhdao")
    client.force_login(leader)
    home = client.get(reverse("home"))
    [alert] = [a for a in home.context["alerts"].shown if a.source == "tasks"]
    every = home.context["tasks"][0]
    scorecard_page = client.get(reverse("assignments:scorecard"), {"period": str(today.year)})
    this_year = scorecard_page.context["total"].overdue
    assert every.card.overdue == this_year > 0
    total = this_year + every.earlier_overdue
    expected = f"{total} nhiệm vụ quá hạn"
    if every.earlier_overdue:
        expected += f" ({every.earlier_overdue} từ các năm trước)"
    assert alert.title == expected
    assert client.get(alert.url).context["total"] == total
    assert sum(n for _s, _l, n in every.parts) == every.card.due == scorecard_page.context["total"].due
    figure = scorecard_page.content.decode().split('data-figure="completion_rate">')[1].split("<")[0]
    assert every.completion_rate == figure  # "84,8%" on both
