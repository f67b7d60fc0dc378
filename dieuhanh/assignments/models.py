"""Tasks assigned by the People's Committee: where they come from, who leads them, when they are due.

A task is tracked through its occurrences. A task with one deadline (or none) has exactly one occurrence;
a recurring task (monthly, quarterly, yearly) has one occurrence per period, each with its own deadline.
Status, extensions and completion belong to the occurrence, so a scorecard counts occurrences the way
government reports count tasks that fell due. Nothing is deleted: tasks are paused or cancelled, deadline
changes and every other step are `TaskEvent` rows.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dieuhanh.lib.vnformat import fold


class Assigner(models.Model):
    """Who assigns tasks: the People's Committee or one of its leaders ("Chủ tịch UBND tỉnh")."""

    name = models.CharField(_("name"), max_length=255)
    position = models.CharField(_("position"), max_length=255, blank=True)
    orgunit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    # The account that confirms completion and decides extensions on the assigner's behalf, if any.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+"
    )

    class Meta:
        ordering = ["orgunit__path", "name"]
        verbose_name = _("assigner")
        verbose_name_plural = _("assigners")

    def __str__(self) -> str:
        return f"{self.position} {self.name}".strip() if self.position else self.name


class Document(models.Model):
    """A directive document (decision, directive, plan, conclusion, official letter) that assigns tasks."""

    number = models.CharField(_("number and symbol"), max_length=64)  # normalised: "123/QĐ-UBND"
    type_code = models.CharField(_("type"), max_length=8, blank=True)  # "QĐ", "" for a công văn
    issued_on = models.DateField(_("date issued"))
    issuer = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("issuer")
    )
    signer = models.CharField(_("signer"), max_length=255, blank=True)
    summary = models.TextField(_("summary"))
    attachment = models.FileField(_("attachment (PDF)"), upload_to="documents/%Y/", blank=True)
    search_text = models.TextField(_("text for searching"), editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["number"])]

    def __str__(self) -> str:
        return f"{self.number} ({self.issued_on:%d/%m/%Y})"


class Instruction(models.Model):
    """A leader's instruction at a meeting (ý kiến chỉ đạo), when a task comes from no document."""

    meeting = models.CharField(_("meeting"), max_length=255)
    held_on = models.DateField(_("date"))
    instructed_by = models.CharField(_("instructed by"), max_length=255)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("meeting instruction")
        verbose_name_plural = _("meeting instructions")

    def __str__(self) -> str:
        return f"{self.meeting} ({self.held_on:%d/%m/%Y})"


class Task(models.Model):
    class DeadlineKind(models.TextChoices):
        DATE = "date", _("By a date")
        NONE = "none", _("No deadline")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly")

    class Product(models.TextChoices):
        REPORT = "report", _("Report")
        PLAN = "plan", _("Plan")
        DRAFT_DECISION = "draft_decision", _("Draft decision")
        PROPOSAL = "proposal", _("Proposal (tờ trình)")
        DOCUMENT = "document", _("Guidance or directive document")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.TextField(_("task"))
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("document")
    )
    instruction = models.ForeignKey(
        Instruction,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("meeting instruction"),
    )
    assigner = models.ForeignKey(
        Assigner, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("assigned by")
    )
    assigned_on = models.DateField(_("date assigned"))
    lead_unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="led_tasks", verbose_name=_("lead unit")
    )
    coordinating_units = models.ManyToManyField(
        "orgunits.OrgUnit", blank=True, related_name="coordinated_tasks", verbose_name=_("coordinating units")
    )
    deadline_kind = models.CharField(_("deadline"), max_length=16, choices=DeadlineKind.choices)
    # For a recurring task: each occurrence is due on day `recurring_day` of the month `recurring_month_offset`
    # months after its period's last month (the same rule as report deadlines, lib.periods.DeadlineRule).
    recurring_day = models.PositiveSmallIntegerField(_("day of the recurring deadline"), null=True, blank=True)
    recurring_month_offset = models.SmallIntegerField(_("months after the period"), default=0)
    recurring_until = models.DateField(_("recurring until"), null=True, blank=True)
    is_key = models.BooleanField(_("key task"), default=False)
    product = models.CharField(_("expected product"), max_length=32, choices=Product.choices, default=Product.REPORT)
    product_note = models.CharField(_("product details"), max_length=255, blank=True)
    sector = models.ForeignKey(
        "indicators.Sector", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("sector")
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.ACTIVE)
    # The day the current pause or the cancellation took effect; status_on() reads it.
    state_since = models.DateField(_("state since"), null=True, blank=True)
    search_text = models.TextField(_("text for searching"), editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-assigned_on", "-id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(document__isnull=False, instruction__isnull=True)
                | models.Q(document__isnull=True, instruction__isnull=False),
                name="task_has_one_source",
            ),
        ]

    def __str__(self) -> str:
        return self.title[:80]

    @property
    def is_recurring(self) -> bool:
        return self.deadline_kind in (self.DeadlineKind.MONTHLY, self.DeadlineKind.QUARTERLY, self.DeadlineKind.YEARLY)

    def refresh_search_text(self) -> None:
        source = self.document.number if self.document_id else (self.instruction.meeting if self.instruction_id else "")
        self.search_text = fold(f"{self.title} {source} {self.product_note}")


class Status(models.TextChoices):
    """The official report categories, plus paused and cancelled."""

    DONE_ON_TIME = "done_on_time", _("Completed on time")
    DONE_LATE = "done_late", _("Completed late")
    IN_PROGRESS = "in_progress", _("Not completed, within deadline")
    OVERDUE = "overdue", _("Not completed, overdue")
    NO_DEADLINE = "no_deadline", _("No deadline")
    PAUSED = "paused", _("Paused")
    CANCELLED = "cancelled", _("Cancelled")


def _stopped(state: str, day: datetime.date) -> models.Q:
    """The task is paused (or cancelled) and that had taken effect by `day`."""
    since = models.Q(task__state_since__isnull=True) | models.Q(task__state_since__lte=day)
    return models.Q(task__state=state) & since


def status_expression(day: datetime.date) -> models.Case:
    """`Occurrence.status_on(day)` in SQL: the same tests in the same order, so a page that counts in the database
    and one that judges occurrence by occurrence give the same answer (the tests compare both on every state)."""
    done = models.Q(progress=Occurrence.Progress.CONFIRMED, completed_on__isnull=False, completed_on__lte=day)
    return models.Case(
        models.When(_stopped(Task.State.CANCELLED, day), then=models.Value(Status.CANCELLED)),
        models.When(done & (models.Q(deadline__isnull=True) | models.Q(completed_on__lte=models.F("deadline"))),
                    then=models.Value(Status.DONE_ON_TIME)),
        models.When(done, then=models.Value(Status.DONE_LATE)),
        models.When(_stopped(Task.State.PAUSED, day), then=models.Value(Status.PAUSED)),
        models.When(deadline__isnull=True, then=models.Value(Status.NO_DEADLINE)),
        models.When(deadline__gte=day, then=models.Value(Status.IN_PROGRESS)),
        default=models.Value(Status.OVERDUE),
        output_field=models.CharField(),
    )


class OccurrenceQuerySet(models.QuerySet):
    """The statuses of `Occurrence.status_on` for many occurrences at once, counted by the database.

    Every page, alert, reminder and export that counts or filters by status goes through these, so that
    "overdue" is one definition wherever a leader reads it."""

    def status_on(self, day: datetime.date) -> OccurrenceQuerySet:
        """Each occurrence with `status`, its Status on `day`."""
        return self.annotate(status=status_expression(day))

    def with_status(self, day: datetime.date, *statuses: str) -> OccurrenceQuerySet:
        """The occurrences whose status on `day` is one of `statuses`."""
        narrowed = self.alias(status_then=status_expression(day)).filter(status_then__in=statuses)
        # Implied by the statuses, but lets the database use the deadline index before it evaluates the CASE.
        if set(statuses) <= {Status.OVERDUE}:
            narrowed = narrowed.filter(deadline__lt=day)
        elif set(statuses) <= {Status.IN_PROGRESS, Status.OVERDUE}:
            narrowed = narrowed.filter(deadline__isnull=False)
        return narrowed

    def overdue_on(self, day: datetime.date) -> OccurrenceQuerySet:
        """Not completed, overdue on `day`: past the approved deadline, completion not confirmed by then, neither
        paused nor cancelled."""
        return self.with_status(day, Status.OVERDUE)


class Occurrence(models.Model):
    """One time a task must be done: the task itself, or one period of a recurring task."""

    class Progress(models.TextChoices):
        OPEN = "open", _("In progress")
        REPORTED = "reported", _("Completion reported")
        CONFIRMED = "confirmed", _("Completion confirmed")

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.PROTECT, related_name="occurrences")
    period_id = models.CharField(_("period"), max_length=8, blank=True)  # "2026Q1" for a recurring task
    original_deadline = models.DateField(_("original deadline"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)  # the approved deadline
    progress = models.CharField(_("progress"), max_length=16, choices=Progress.choices, default=Progress.OPEN)
    percent = models.PositiveSmallIntegerField(_("percent done"), default=0)
    completed_on = models.DateField(_("completion date"), null=True, blank=True)  # as the lead unit reports it
    result_number = models.CharField(_("product document number"), max_length=64, blank=True)
    result_note = models.TextField(_("result"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+"
    )
    # Bumped on every write, so that two people acting on the same occurrence cannot overwrite each other.
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        constraints = [models.UniqueConstraint(fields=["task", "period_id"], name="unique_task_occurrence")]
        indexes = [models.Index(fields=["deadline"])]

    def __str__(self) -> str:
        return f"{self.task} {self.period_id}".strip()

    def status_on(self, day: datetime.date) -> str:
        """The official category of this occurrence on `day` (in SQL for many at once: OccurrenceQuerySet).

        The deadline day itself still counts as on time. Completion counts from the date the lead unit
        reported, once the assigner has confirmed it. On-time is judged against the approved deadline.
        """
        task = self.task
        if task.state == Task.State.CANCELLED and (task.state_since is None or task.state_since <= day):
            return Status.CANCELLED
        done = self.progress == self.Progress.CONFIRMED and self.completed_on is not None and self.completed_on <= day
        if done:
            if self.deadline is None or self.completed_on <= self.deadline:
                return Status.DONE_ON_TIME
            return Status.DONE_LATE
        if task.state == Task.State.PAUSED and (task.state_since is None or task.state_since <= day):
            return Status.PAUSED
        if self.deadline is None:
            return Status.NO_DEADLINE
        return Status.IN_PROGRESS if day <= self.deadline else Status.OVERDUE


class TaskEvent(models.Model):
    """Everything that happens to a task, in order: the task's history. Append-only."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Assigned")
        EDITED = "edited", _("Edited")
        PROGRESS = "progress", _("Progress update")
        COMMENT = "comment", _("Comment")
        COMPLETION_REPORTED = "completion_reported", _("Completion reported")
        CONFIRMED = "confirmed", _("Completion confirmed")
        RETURNED = "returned", _("Returned")
        EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
        EXTENSION_APPROVED = "extension_approved", _("Extension approved")
        EXTENSION_REJECTED = "extension_rejected", _("Extension rejected")
        DEADLINE_CHANGED = "deadline_changed", _("Deadline changed")
        PAUSED = "paused", _("Paused")
        RESUMED = "resumed", _("Resumed")
        CANCELLED = "cancelled", _("Cancelled")

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.PROTECT, related_name="events")
    occurrence = models.ForeignKey(
        Occurrence, verbose_name=_("occurrence"), null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+"
    )
    unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # the unit the actor spoke for
    text = models.TextField(_("text"), blank=True)
    percent = models.PositiveSmallIntegerField(_("percent done"), null=True, blank=True)
    old_deadline = models.DateField(_("old deadline"), null=True, blank=True)
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("task event")
        verbose_name_plural = _("task events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.task}"


class Attachment(models.Model):
    """A file attached to a progress update or a completion report."""

    event = models.ForeignKey(
        TaskEvent, verbose_name=_("task event"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="tasks/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Extension(models.Model):
    """A lead unit's request for a new deadline, and the assigner's decision on it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    occurrence = models.ForeignKey(
        Occurrence, verbose_name=_("occurrence"), on_delete=models.PROTECT, related_name="extensions"
    )
    current_deadline = models.DateField(_("deadline when requested"))
    requested_deadline = models.DateField(_("requested deadline"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["requested_at", "id"]
        constraints = [
            # One open request per occurrence at a time.
            models.UniqueConstraint(
                fields=["occurrence"], condition=models.Q(decision="pending"), name="one_pending_extension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurrence} → {self.requested_deadline:%d/%m/%Y}"


class Reminder(models.Model):
    """One daily digest sent to a lead unit through one channel: the log that keeps reminders from repeating."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("In the app")
        EMAIL = "email", _("E-mail")

    unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    occurrences = models.ManyToManyField(Occurrence, verbose_name=_("occurrences"), related_name="reminders")
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-day", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["unit", "day", "channel"], name="one_digest_per_unit_day")]

    def __str__(self) -> str:
        return f"{self.unit} {self.day:%d/%m/%Y} {self.channel}"
