"""The demo's tasks: about 200 from a dozen documents and a few meetings, every official status on the demo's
today, extensions both ways, reminders written, and a second build adds nothing. (Two builds in all: each
takes a few seconds.)"""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import F

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import has_role
from dieuhanh.assignments.models import Document, Extension, Instruction, Occurrence, Reminder, Status, Task, TaskEvent
from dieuhanh.demo.build import demo_build
from dieuhanh.demo.periodic import DEMO_TODAY

pytestmark = pytest.mark.django_db


def counts():
    return (Document.objects.count(), Task.objects.count(), Occurrence.objects.count(), TaskEvent.objects.count(),
            Extension.objects.count(), Reminder.objects.count(), get_user_model().objects.count())


def test_it_builds_about_200_tasks_with_every_status_on_the_demos_today():
    demo = demo_build(small=True)
    assert 180 <= Task.objects.count() <= 230
    assert Document.objects.count() >= 12 and Instruction.objects.count() >= 3
    by_status = {s: 0 for s in Status.values}
    for occurrence in Occurrence.objects.select_related("task"):
        by_status[occurrence.status_on(DEMO_TODAY)] += 1
    assert all(by_status.values()), by_status
    # Mostly done on time, as in the seeds' reports, with real overdue work to follow up.
    assert by_status[Status.DONE_ON_TIME] > by_status[Status.DONE_LATE]
    assert by_status[Status.OVERDUE] >= 10 and by_status[Status.IN_PROGRESS] >= 20

    kinds = set(Task.objects.values_list("deadline_kind", flat=True))
    assert kinds == {"monthly", "quarterly", "yearly", "date", "none"}
    assert Task.objects.filter(is_key=True).count() >= 20
    assert set(Extension.objects.values_list("decision", flat=True)) == {"approved", "rejected", "pending"}
    assert Occurrence.objects.exclude(deadline=F("original_deadline")).exists()
    assert set(TaskEvent.Kind.values) - set(TaskEvent.objects.values_list("kind", flat=True)) <= {"edited",
                                                                                                "deadline_changed"}
    # Events carry the simulated days, not the day the demo was built.
    assert not TaskEvent.objects.filter(created_at__date__gt=DEMO_TODAY).exists()
    assert TaskEvent.objects.filter(created_at__year=2025).exists()

    users = {u.username: u for u in get_user_model().objects.all()}
    assert has_role(users["vanphong"], Role.OFFICE, demo.units.province)
    assert Task.objects.filter(assigner__user=users["chutich"]).count() > 50
    assert {"vanphong", "chutich"} <= {x.username for x in demo.logins}
    assert Reminder.objects.filter(day=DEMO_TODAY, channel="in_app").exists()
    assert Reminder.objects.filter(channel="email", sent_at__isnull=False).exists()


def test_a_second_build_adds_no_task():
    demo_build(small=True)
    before = counts()
    again = demo_build(small=True)
    assert counts() == before
    assert [x.username for x in again.logins].count("vanphong") == 1
