"""About 200 tasks assigned by the demo province in 2025–2026, registered and worked through the task services.

The office ("vanphong") registers the documents, instructions and tasks of `task_sources`; each lead unit's
staff report progress, ask for extensions and report completion; the chairman ("chutich"), the vice chairman
("lanhdao") or, for tasks of the People's Committee as a whole, the office confirm, return and decide. What
happens to each task is drawn from a seeded generator against the demo's fixed "today" (22/11/2026, as the
reporting demo), so every build is the same and every official status is present on that day. Event times are
then set to the simulated days, so the history reads as it happened. The last days' reminder digests are
written as the daily job would have written them.
"""

from __future__ import annotations

import bisect
import datetime
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.mail import get_connection
from django.db.models import Max

from dieuhanh.accounts.models import Role, RoleAssignment
from dieuhanh.assignments.models import Assigner, Document, Extension, Occurrence, Task, TaskEvent
from dieuhanh.assignments.reminders import reminders_send
from dieuhanh.assignments.services import (
    comment_add,
    completion_confirm,
    completion_report,
    completion_return,
    document_create,
    extension_decide,
    extension_request,
    instruction_create,
    progress_add,
    task_cancel,
    task_create,
    task_pause,
    task_resume,
)
from dieuhanh.indicators.models import Sector
from dieuhanh.orgunits.models import OrgUnit

from . import task_sources as src
from .periodic import DEMO_TODAY
from .province import PASSWORD, DemoUnits, Login
from .values import at

if TYPE_CHECKING:
    from .build import DemoResult

DAY = datetime.timedelta(days=1)
REMINDER_DAYS_BACK = 2  # the digests of the last days before the demo's today (a Sunday)


@dataclass
class TaskResult:
    tasks_created: int = 0
    occurrences: int = 0
    reminders: int = 0
    logins: list[Login] = field(default_factory=list)


def _user(username: str, first: str, last: str, roles: list[tuple[str, OrgUnit]], password: str):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name=first, last_name=last, email=f"{username}@demo.dieuhanh.local",
                    password=password)
        user.full_clean()
        user.save()
    for role, unit in roles:
        RoleAssignment.objects.get_or_create(user=user, role=role, orgunit=unit)
    return user


class Story:
    """Registers the sources' tasks and plays out what happened to each, day by day up to `today`."""

    def __init__(self, units: DemoUnits, users: dict, today: datetime.date):
        self.units, self.today = units, today
        self.rng = random.Random("tasks")
        self.password = make_password(PASSWORD)  # hashed once: hashing is slow by design
        self.office = _user("vanphong", "Hoàng Thị", "Thu", [(Role.OFFICE, units.province)], self.password)
        self.chairman = _user("chutich", "Trần Quốc", "Hưng", [(Role.LEADER, units.province)], self.password)
        communes = [units.demo_commune, *[c for c in units.communes if c.pk != units.demo_commune.pk]]
        self.communes = communes
        self.lookup = {"XA": units.demo_commune, **units.agencies, **units.enterprises}
        self.staff = {units.agencies["SKHCN"].pk: users["agency_reporter"],
                      units.demo_commune.pk: users["commune_reporter"],
                      units.enterprises["VNPT-TN"].pk: users["enterprise_reporter"]}
        self.assigners = {
            "chairman": self._assigner(*src.CHAIRMAN, self.chairman),
            "vice": self._assigner(*src.VICE, users["leader"]),
            "committee": self._assigner(*src.COMMITTEE, None),
        }
        self.sectors = {s.code: s for s in Sector.objects.all()}
        self.numbers: dict[tuple[int, str], int] = {}
        self.first_event = self.last_event = TaskEvent.objects.aggregate(m=Max("pk"))["m"] or 0
        self.marks: list[tuple[int, datetime.datetime]] = []
        self.extensions: dict[int, Extension] = {}
        self.confirmations: dict[int, datetime.datetime] = {}
        self.occurrence_count = 0

    def _assigner(self, name: str, position: str, user) -> Assigner:
        assigner, _ = Assigner.objects.get_or_create(
            name=name, position=position, orgunit=self.units.province, defaults={"user": user})
        return assigner

    def staff_of(self, unit: OrgUnit):
        """A reporter of `unit`: the demo's named users where there are some, otherwise one made for the demo."""
        if unit.pk not in self.staff:
            username = f"cv.{unit.code.lower().replace('-', '')}"
            self.staff[unit.pk] = _user(username, "Chuyên viên", unit.name[:150], [(Role.REPORTER, unit)],
                                        self.password)
        return self.staff[unit.pk]

    # --- time -------------------------------------------------------------------------------------------------
    def between(self, lo: datetime.date, hi: datetime.date) -> datetime.date:
        hi = min(hi, self.today)
        if hi <= lo:
            return min(lo, self.today)
        return lo + datetime.timedelta(days=self.rng.randint(0, (hi - lo).days))

    def stamp(self, day: datetime.date, event: TaskEvent | None = None, **extra) -> None:
        """Date the events written since the last stamp on `day` (and the given extension or confirmation).

        Only the boundaries are noted here; `stamps_write` writes all the times at the end, in a few queries."""
        when = at(day.year, day.month, day.day, self.rng.randint(7, 16), self.rng.randint(0, 59))
        mark = event.pk if event is not None else TaskEvent.objects.aggregate(m=Max("pk"))["m"]
        if mark is not None and mark > self.last_event:
            self.marks.append((mark, when))
            self.last_event = mark
        if "extension" in extra:
            field_name = "decided_at" if extra.get("decided") else "requested_at"
            setattr(extra["extension"], field_name, when)
            self.extensions[extra["extension"].pk] = extra["extension"]
        if "confirmed" in extra:
            self.confirmations[extra["confirmed"].pk] = when

    def stamps_write(self) -> None:
        bounds = [mark for mark, _ in self.marks]
        events = list(TaskEvent.objects.filter(pk__gt=self.first_event).only("pk", "created_at"))
        for event in events:
            n = bisect.bisect_left(bounds, event.pk)
            if n < len(self.marks):
                event.created_at = self.marks[n][1]
        TaskEvent.objects.bulk_update(events, ["created_at"], batch_size=500)
        Extension.objects.bulk_update(self.extensions.values(), ["requested_at", "decided_at"], batch_size=500)
        confirmed = list(Occurrence.objects.filter(pk__in=list(self.confirmations)).only("pk", "confirmed_at"))
        for occurrence in confirmed:
            occurrence.confirmed_at = self.confirmations[occurrence.pk]
        Occurrence.objects.bulk_update(confirmed, ["confirmed_at"], batch_size=500)

    # --- registering ------------------------------------------------------------------------------------------
    def leads(self, spec: src.Spec) -> list[OrgUnit]:
        if not spec.each:
            return [self.lookup[spec.lead]]
        if isinstance(spec.each, str):
            count = int(spec.each.split(":")[1])
            return self.communes[:count]
        return [self.units.agencies[code] for code in spec.each]

    def source_create(self, source: src.Source):
        if source.number:
            issuer = self.units.old_tay_ninh if source.issuer == "old_tn" else self.units.province
            document = document_create(user=self.office, number=source.number, issued_on=source.date,
                                       issuer=issuer, summary=source.summary, signer=source.signer)
            Document.objects.filter(pk=document.pk).update(created_at=at(*source.date.timetuple()[:3], 15))
            return {"document": document}
        instructed_by = {"chairman": src.CHAIRMAN[1], "vice": src.VICE[1]}.get(source.assigner, "UBND tỉnh")
        instruction = instruction_create(user=self.office, meeting=source.summary, held_on=source.date,
                                         instructed_by=instructed_by)
        return {"instruction": instruction}

    def task_add(self, source: src.Source, origin: dict, spec: src.Spec, lead: OrgUnit) -> Task:
        assigned_on = source.date + datetime.timedelta(days=self.rng.randint(0, 4))
        if isinstance(spec.deadline, datetime.date):
            assigned_on = min(assigned_on, spec.deadline)
        schedule: dict = {"deadline_kind": Task.DeadlineKind.NONE}
        if isinstance(spec.deadline, datetime.date):
            schedule = {"deadline_kind": Task.DeadlineKind.DATE, "deadline": spec.deadline}
        elif isinstance(spec.deadline, tuple):
            kind, day, offset = spec.deadline
            schedule = {"deadline_kind": kind, "recurring_day": day, "recurring_month_offset": offset,
                        "recurring_until": src.UNTIL}
        coords = [self.lookup[c] for c in spec.coords if c in self.lookup and self.lookup[c].pk != lead.pk]
        task = task_create(
            user=self.office, title=spec.title, assigner=self.assigners[source.assigner], assigned_on=assigned_on,
            lead_unit=lead, coordinating_units=coords, is_key=spec.key, product=spec.product,
            sector=self.sectors.get(spec.sector), **origin, **schedule,
        )
        Task.objects.filter(pk=task.pk).update(created_at=at(assigned_on.year, assigned_on.month, assigned_on.day))
        self.stamp(assigned_on)
        return task

    # --- what happened ----------------------------------------------------------------------------------------
    def decider(self, task: Task):
        return task.assigner.user or self.office

    def progress(self, occurrence: Occurrence, lo: datetime.date, hi: datetime.date, count: int, upto: int):
        staff = self.staff_of(occurrence.task.lead_unit)
        days = sorted(self.between(lo, hi) for _ in range(count))
        percent = 0
        for day in days:
            percent = min(upto, percent + self.rng.randint(10, 35))
            text = self.rng.choice(src.PROGRESS_TEXTS).format(p=percent)
            self.stamp(day, progress_add(user=staff, occurrence=occurrence, text=text, percent=percent))
        return days[-1] if days else lo

    def result_number(self, task: Task, day: datetime.date) -> str:
        kind = src.RESULT_TYPES.get(task.product)
        if not kind:
            return ""
        unit = task.lead_unit
        abbr = "UBND" if unit.kind == OrgUnit.Kind.COMMUNE else unit.code.replace("-", "")
        key = (unit.pk, f"{day.year}{kind}")
        self.numbers[key] = self.numbers.get(key, self.rng.randint(8, 40)) + self.rng.randint(1, 9)
        return f"{self.numbers[key]:02d}/{kind}-{abbr}"

    def report(self, occurrence: Occurrence, day: datetime.date) -> None:
        task = occurrence.task
        event = completion_report(
            user=self.staff_of(task.lead_unit), occurrence=occurrence, completed_on=day,
            result_note=src.RESULT_NOTES[task.product], result_number=self.result_number(task, day))
        self.stamp(day, event)

    def confirm(self, occurrence: Occurrence, completed_on: datetime.date) -> None:
        day = self.between(completed_on + DAY, completed_on + 5 * DAY)
        self.stamp(day, completion_confirm(user=self.decider(occurrence.task), occurrence=occurrence),
                   confirmed=occurrence)

    def complete(self, occurrence: Occurrence, day: datetime.date, *, confirm: bool = True) -> None:
        day = max(day, occurrence.task.assigned_on)
        self.report(occurrence, day)
        if confirm:
            self.confirm(occurrence, day)

    def extension(self, occurrence: Occurrence, *, approve: bool | None) -> datetime.date:
        """Ask for more time a little before the deadline; the decision follows a few days later. Returns
        the occurrence's deadline afterwards."""
        task, deadline = occurrence.task, occurrence.deadline
        asked = self.between(max(task.assigned_on, deadline - 12 * DAY), deadline - 2 * DAY)
        requested = deadline + self.rng.choice([15, 30, 45]) * DAY
        extension = extension_request(user=self.staff_of(task.lead_unit), occurrence=occurrence,
                                      requested_deadline=requested, reason=self.rng.choice(src.EXTENSION_REASONS))
        self.stamp(asked, extension=extension)
        if approve is None:
            return deadline
        notes = src.APPROVAL_NOTES if approve else src.REJECTION_NOTES
        extension_decide(user=self.decider(task), extension=extension, approve=approve, note=self.rng.choice(notes))
        self.stamp(self.between(asked + DAY, asked + 4 * DAY), extension=extension, decided=True)
        occurrence.refresh_from_db()
        return occurrence.deadline

    def comment(self, task: Task) -> None:
        for unit in task.coordinating_units.all():
            if unit.kind == OrgUnit.Kind.ENTERPRISE and unit.pk not in self.staff:
                continue
            event = comment_add(user=self.staff_of(unit), task=task, text=self.rng.choice(src.COMMENTS))
            self.stamp(self.between(task.assigned_on + 3 * DAY, task.assigned_on + 30 * DAY), event)
            return

    def play_dated(self, occurrence: Occurrence) -> None:
        """What happened to a task due by a date, against the demo's today."""
        rng, today, task = self.rng, self.today, occurrence.task
        start, deadline = task.assigned_on, occurrence.deadline
        r = rng.random()
        if deadline < today:
            # Work overdue for months has mostly been finished late by now; a few tasks stay stuck.
            settled = (today - deadline).days > 120 and rng.random() < 0.9
            if r < 0.10 and (deadline - start).days > 14:  # extension approved, then done within it
                new = self.extension(occurrence, approve=True)
                if new < today and rng.random() < 0.8:
                    self.complete(occurrence, self.between(deadline + DAY, new))
                else:
                    self.progress(occurrence, deadline, today, 1, 80)
            elif r < 0.16 and (deadline - start).days > 14:  # extension refused: late, or still overdue
                self.extension(occurrence, approve=False)
                if settled or rng.random() < 0.6:
                    self.complete(occurrence, self.between(deadline + 3 * DAY, deadline + 30 * DAY))
                else:
                    self.progress(occurrence, deadline, today, 1, 70)
            elif r < 0.66:
                last = self.progress(occurrence, start, deadline - 5 * DAY, rng.randint(0, 2), 80)
                self.complete(occurrence, self.between(max(last, deadline - 20 * DAY), deadline))
            elif r < 0.80 or settled:
                last = self.progress(occurrence, start, deadline, rng.randint(1, 2), 70)
                self.complete(occurrence, self.between(max(last, deadline + DAY), deadline + 40 * DAY))
            elif r < 0.86:  # reported; the assigner has not decided yet, unless it was long ago
                self.complete(occurrence, self.between(deadline - 3 * DAY, deadline + 10 * DAY),
                              confirm=(today - deadline).days > 30)
            elif r < 0.90:  # reported, returned for more work
                day = max(start, self.between(deadline - 5 * DAY, deadline + 5 * DAY))
                self.report(occurrence, day)
                event = completion_return(user=self.decider(task), occurrence=occurrence,
                                          reason=rng.choice(src.RETURN_REASONS))
                self.stamp(self.between(day + DAY, day + 4 * DAY), event)
            else:
                self.progress(occurrence, start, today, rng.randint(1, 3), 80)
            return
        if r < 0.20 and (today - start).days > 20:  # done early
            self.complete(occurrence, self.between(start + 15 * DAY, today))
        elif r < 0.27 and (today - start).days > 10:
            self.complete(occurrence, self.between(start + 10 * DAY, today), confirm=False)
        elif r < 0.36 and (deadline - today).days < 75 and (deadline - start).days > 14:
            self.progress(occurrence, start, today, 1, 60)
            self.extension(occurrence, approve=None)
        elif (today - start).days > 7:
            elapsed = (today - start).days / max((deadline - start).days, 1)
            self.progress(occurrence, start, today, rng.randint(1, 3), max(10, min(90, int(elapsed * 100))))

    def play_recurring(self, occurrences: list[Occurrence]) -> None:
        rng, today = self.rng, self.today
        past = [o for o in occurrences if o.deadline < today]
        for n, occurrence in enumerate(past):
            recent = n >= len(past) - 2
            r = rng.random()
            if recent and r < 0.25:
                continue  # the latest report is still missing: overdue
            if r < 0.82:
                self.complete(occurrence, self.between(occurrence.deadline - 6 * DAY, occurrence.deadline))
            else:
                self.complete(occurrence, self.between(occurrence.deadline + DAY, occurrence.deadline + 12 * DAY))
        soon = [o for o in occurrences if today <= o.deadline <= today + 40 * DAY]
        for occurrence in soon[:1]:
            if rng.random() < 0.3:
                self.complete(occurrence, self.between(occurrence.deadline - 8 * DAY, today), confirm=False)

    def play(self, task: Task, spec: src.Spec) -> None:
        occurrences = list(task.occurrences.order_by("deadline", "pk"))
        self.occurrence_count += len(occurrences)
        if task.coordinating_units.exists() and self.rng.random() < 0.3:
            self.comment(task)
        stop = spec.pause or spec.cancel
        if stop:
            day, reason = stop
            self.progress(occurrences[0], task.assigned_on, day - DAY, self.rng.randint(1, 2), 50)
            if spec.pause:
                event = task_pause(user=self.office, task=task, reason=reason, on=day)
            else:
                event = task_cancel(user=self.decider(task), task=task, reason=reason, on=day)
            self.stamp(day, event)
            if spec.resume:
                self.stamp(self.between(day + 20 * DAY, day + 40 * DAY), task_resume(user=self.office, task=task))
                self.play_dated(Occurrence.objects.select_related("task").get(pk=occurrences[0].pk))
            return
        if task.is_recurring:
            self.play_recurring(occurrences)
        elif occurrences[0].deadline is None:
            if self.rng.random() < 0.3:
                self.complete(occurrences[0], self.between(task.assigned_on + 20 * DAY, self.today))
            else:
                self.progress(occurrences[0], task.assigned_on, self.today, self.rng.randint(1, 2), 70)
        else:
            self.play_dated(occurrences[0])


def tasks_ensure(result: DemoResult, *, users: dict, today: datetime.date = DEMO_TODAY) -> TaskResult:
    """Add the demo's tasks unless they are there; the task users' logins and a summary go into `result`."""
    units = result.units
    story = Story(units, users, today)
    made = TaskResult(logins=[
        Login("vanphong", PASSWORD, src.OFFICE_ROLE_LABEL, units.province.name),
        Login("chutich", PASSWORD, src.ASSIGNER_ROLE_LABEL, units.province.name),
    ])
    result.logins.extend(made.logins)
    if Document.objects.filter(created_by=story.office).exists():
        return made
    for source in src.SOURCES:
        origin = story.source_create(source)
        story.stamp(source.date)
        for spec in source.tasks:
            for lead in story.leads(spec):
                task = story.task_add(source, origin, spec, lead)
                story.play(task, spec)
                made.tasks_created += 1
    made.occurrences = story.occurrence_count
    story.stamps_write()
    # The digests of the last days, as the daily job wrote them (e-mails not actually sent in a demo build).
    quiet = get_connection("django.core.mail.backends.dummy.EmailBackend")
    for back in range(REMINDER_DAYS_BACK, -1, -1):
        made.reminders += len(reminders_send(day=today - back * DAY, connection=quiet))
    result.notes.append(f"{made.tasks_created} tasks ({made.occurrences} occurrences), {made.reminders} reminders")
    return made
