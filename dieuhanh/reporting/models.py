"""Reporting forms (biểu mẫu), the units that must report them, submissions and their workflow."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from dieuhanh.lib.periods import PERIOD_TYPE_LABELS, DeadlineRule, PeriodType


class Holiday(models.Model):
    """A public holiday: not a working day when deadlines count working days."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class ReportForm(models.Model):
    class DeadlineKind(models.TextChoices):
        DAY_OF_MONTH = "day_of_month", _("A day of a month relative to the period's last month")
        WORKING_DAYS = "working_days_after_cutoff", _("Working days after the cut-off")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    # Lazy labels: the migration state must not depend on the language active when models load.
    period_type = models.CharField(
        _("period type"), max_length=16, choices=[(t.value, PERIOD_TYPE_LABELS[t]) for t in PeriodType]
    )
    deadline_kind = models.CharField(
        _("deadline rule"), max_length=32, choices=DeadlineKind.choices, default=DeadlineKind.DAY_OF_MONTH
    )
    deadline_day = models.PositiveSmallIntegerField(_("deadline day"), default=15)
    # 0 = the period's last month, -1 = the month before it (annual reports due 25/11), 1 = the month after.
    deadline_month_offset = models.SmallIntegerField(_("deadline month offset"), default=0)
    deadline_working_days = models.PositiveSmallIntegerField(_("working days after cut-off"), default=1)
    units = models.ManyToManyField("orgunits.OrgUnit", related_name="report_forms", verbose_name=_("reporting units"))
    receiver = models.ForeignKey(
        "orgunits.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("receiving unit"),
    )
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("report form")
        verbose_name_plural = _("report forms")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def deadline_rule(self) -> DeadlineRule:
        return DeadlineRule(
            kind=self.deadline_kind,
            day=self.deadline_day,
            month_offset=self.deadline_month_offset,
            working_days=self.deadline_working_days,
        )


class FormSection(models.Model):
    form = models.ForeignKey(ReportForm, verbose_name=_("form"), on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=255)

    class Meta:
        verbose_name = _("form section")
        verbose_name_plural = _("form sections")
        ordering = ["form", "order", "id"]

    def __str__(self) -> str:
        return self.title


class FormRow(models.Model):
    section = models.ForeignKey(FormSection, verbose_name=_("section"), on_delete=models.CASCADE, related_name="rows")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    indicator = models.ForeignKey(
        "indicators.Indicator", verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="form_rows"
    )
    # Comma-separated ValueKind values the row asks for, e.g. "target,estimate,actual".
    kinds = models.CharField(_("value kinds"), max_length=64, default="target,estimate,actual")
    label = models.CharField(_("label"), max_length=255, blank=True)
    # Sum rule: this row is a part of `total_row`; parts together may not exceed the total.
    total_row = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="parts", verbose_name=_("part of")
    )

    class Meta:
        verbose_name = _("form row")
        verbose_name_plural = _("form rows")
        ordering = ["section__order", "order", "id"]

    def __str__(self) -> str:
        return self.label or self.indicator.name

    @property
    def kind_list(self) -> list[str]:
        return [k for k in self.kinds.split(",") if k]


class Submission(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        # Context: assignments has its own "Approved" (an extension agreed), translated differently.
        APPROVED = "approved", pgettext_lazy("report", "Approved")
        RETURNED = "returned", _("Returned")

    form = models.ForeignKey(ReportForm, verbose_name=_("form"), on_delete=models.PROTECT, related_name="submissions")
    orgunit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="submissions"
    )
    period = models.CharField(_("period"), max_length=12)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Incremented on every save: a save based on an older version is a conflict, never a silent overwrite.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    returned_reason = models.TextField(_("reason for returning"), blank=True)
    # Set by the approver when returning the report: the unit must send it again by this day. A report that was on
    # time when returned stays on time if it comes back by then, even after the form's deadline (on_time).
    resubmit_by = models.DateField(_("send again by"), null=True, blank=True)
    # A submission before the latest return was already late: the report stays late whenever it comes back.
    missed_deadline = models.BooleanField(_("missed a deadline"), default=False)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [models.UniqueConstraint(fields=["form", "orgunit", "period"], name="unique_submission")]

    def __str__(self) -> str:
        return f"{self.form.code} {self.orgunit} {self.period}"

    def deadline_in_force(self, deadline: datetime.date) -> datetime.date:
        """The day this unit's report is due: the form's `deadline`, or the later day the approver gave it when
        returning the report."""
        return max(deadline, self.resubmit_by) if self.resubmit_by else deadline

    def is_on_time(self, deadline: datetime.date, submitted_on: datetime.date) -> bool:
        """Whether the report, sent (last) on `submitted_on` (the local date), counts as on time against the form's
        `deadline`.

        Returning a report must not make a unit late for the approver's delay: a report that was on time when it was
        returned stays on time if it comes back by the new deadline (`resubmit_by`), even after the form's deadline.
        A report that was already late when returned (`missed_deadline`) stays late, whenever it comes back."""
        return not self.missed_deadline and submitted_on <= self.deadline_in_force(deadline)


class SubmissionEvent(models.Model):
    """One workflow transition: who moved the submission from which state to which, when, and why."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(_("from status"), max_length=16, blank=True)
    to_status = models.CharField(_("to status"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("submission event")
        verbose_name_plural = _("submission events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"

    @property
    def actor_label(self) -> str:
        """Who made the change, as pages show it. The demo, `import_values` without --user and the system's own
        steps write events without a person; those are the system's, not an unknown person's."""
        if self.actor is None:
            return gettext("System")
        return self.actor.get_full_name() or self.actor.get_username()
