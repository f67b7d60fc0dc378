"""Recurring tasks: one occurrence per period, each with its own deadline, across year boundaries."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from dieuhanh.assignments.models import Occurrence, Status, Task
from dieuhanh.assignments.services import document_create

D = datetime.date
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def old_document(office, province):
    return document_create(user=office, number="45/CT-UBND", issued_on=D(2025, 3, 1), issuer=province,
                           summary="Chỉ thị về báo cáo định kỳ")


def schedule(task):
    return [(o.period_id, o.original_deadline, o.deadline) for o in task.occurrences.order_by("deadline")]


def recurring(make_task, old_document, kind, **kw):
    values = {"deadline_kind": kind, "deadline": None, "document": old_document, "assigned_on": D(2025, 3, 10)}
    return make_task(**{**values, **kw})


def test_monthly_across_the_new_year(make_task, old_document):
    task = recurring(make_task, old_document, "monthly", assigned_on=D(2025, 11, 1), recurring_day=15,
                     recurring_until=D(2026, 2, 28))
    assert schedule(task) == [
        ("202511", D(2025, 11, 15), D(2025, 11, 15)),
        ("202512", D(2025, 12, 15), D(2025, 12, 15)),
        ("202601", D(2026, 1, 15), D(2026, 1, 15)),
        ("202602", D(2026, 2, 15), D(2026, 2, 15)),
    ]


def test_monthly_due_in_the_month_after_the_period(make_task, old_document):
    # The December report is due on 5 January of the next year.
    task = recurring(make_task, old_document, "monthly", assigned_on=D(2025, 11, 20), recurring_day=5,
                     recurring_month_offset=1, recurring_until=D(2026, 2, 5))
    assert [(p, d) for p, d, _ in schedule(task)] == [
        ("202511", D(2025, 12, 5)), ("202512", D(2026, 1, 5)), ("202601", D(2026, 2, 5)),
    ]


def test_a_period_already_due_when_assigned_is_left_out(make_task, old_document):
    task = recurring(make_task, old_document, "monthly", assigned_on=D(2025, 11, 20), recurring_day=15,
                     recurring_until=D(2026, 1, 31))
    assert [p for p, _, _ in schedule(task)] == ["202512", "202601"]


def test_day_31_is_the_last_day_of_short_months(make_task, old_document):
    task = recurring(make_task, old_document, "monthly", assigned_on=D(2026, 1, 1), recurring_day=31,
                     recurring_until=D(2026, 4, 30))
    assert [d for _, d, _ in schedule(task)] == [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30)]


def test_quarterly_across_the_new_year(make_task, old_document):
    task = recurring(make_task, old_document, "quarterly", assigned_on=D(2025, 8, 1), recurring_day=6,
                     recurring_until=D(2026, 6, 30))
    assert [(p, d) for p, d, _ in schedule(task)] == [
        ("2025Q3", D(2025, 9, 6)), ("2025Q4", D(2025, 12, 6)), ("2026Q1", D(2026, 3, 6)), ("2026Q2", D(2026, 6, 6)),
    ]


def test_yearly_by_31_december(make_task, old_document):
    task = recurring(make_task, old_document, "yearly", recurring_day=31, recurring_until=D(2027, 12, 31))
    assert [(p, d) for p, d, _ in schedule(task)] == [
        ("2025", D(2025, 12, 31)), ("2026", D(2026, 12, 31)), ("2027", D(2027, 12, 31)),
    ]


def test_yearly_by_25_november(make_task, old_document):
    task = recurring(make_task, old_document, "yearly", recurring_day=25, recurring_month_offset=-1,
                     recurring_until=D(2026, 12, 31))
    assert [(p, d) for p, d, _ in schedule(task)] == [("2025", D(2025, 11, 25)), ("2026", D(2026, 11, 25))]


def test_each_period_has_its_own_status(make_task, old_document, finish):
    task = recurring(make_task, old_document, "monthly", assigned_on=D(2025, 11, 1), recurring_day=15,
                     recurring_until=D(2026, 2, 28))
    by_period = {o.period_id: o for o in task.occurrences.all()}
    finish(by_period["202512"], D(2025, 12, 15))
    statuses = {o.period_id: o.status_on(D(2026, 1, 20)) for o in task.occurrences.all()}
    assert statuses == {"202511": Status.OVERDUE, "202512": Status.DONE_ON_TIME, "202601": Status.OVERDUE,
                        "202602": Status.IN_PROGRESS}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"recurring_day": None}, "recurring_day"),
        ({"recurring_day": 32}, "recurring_day"),
        ({"recurring_until": None}, "recurring_until"),
        ({"recurring_until": D(2025, 3, 1)}, "recurring_until"),
        ({"recurring_until": D(2025, 3, 12)}, "recurring_until"),  # nothing falls due before 15/03
        ({"deadline": D(2025, 12, 31)}, "deadline"),
        ({"recurring_until": D(2050, 12, 31)}, "recurring_until"),  # hundreds of months
    ],
)
def test_bad_schedules_name_the_field(make_task, old_document, overrides, field):
    values = {"recurring_day": 15, "recurring_until": D(2025, 12, 31), **overrides}
    with pytest.raises(ValidationError) as caught:
        recurring(make_task, old_document, "monthly", **values)
    assert field in caught.value.message_dict
    assert not Task.objects.exists() and not Occurrence.objects.exists()
