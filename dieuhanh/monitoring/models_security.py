"""Information-security incidents (sự cố an toàn thông tin mạng): the register and its reporting rules.

The fields are those of the national reports: the initial report (Mẫu 03 "Báo cáo ban đầu sự cố mạng") and the
closing report (Mẫu 04 "Báo cáo kết thúc ứng phó sự cố") of Thông tư 20/2017/TT-BTTTT, and the content of an initial
report under Quyết định 05/2017/QĐ-TTg Điều 11.4. The law changed in 2025–2026 (Luật An ninh mạng 2025), so the
deadlines are not constants: they are `ReportingRule` rows naming their source and the days they apply to, and an
incident is held to the rules in force on the day it was detected.

Whether an incident is serious (nghiêm trọng, QĐ 05/2017 Điều 9) is a person's judgement, recorded with its reason:
it needs facts the product does not hold (the owner cannot handle it alone), so it is never decided here.
Every step is a `SecurityIncidentEvent` row; nothing is deleted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["ReportingRule", "SecurityIncident", "SecurityIncidentEvent"]


class SecurityIncident(models.Model):
    """One information-security incident, from its detection to the closing report."""

    class Status(models.TextChoices):
        # The response steps of TT 20/2017 Điều 11: (1) receive, verify, first response and notify; (2) contain;
        # (3) eradicate and recover; (4) review — the incident is over.
        # A context of their own: "Closed" is "Đã đóng" in other apps, "Đã kết thúc" (ứng phó) here.
        RECEIVED = "received", pgettext_lazy("security incident status", "Received")
        CONTAINING = "containing", pgettext_lazy("security incident status", "Responding and containing")
        RECOVERING = "recovering", pgettext_lazy("security incident status", "Eradicating and recovering")
        CLOSED = "closed", pgettext_lazy("security incident status", "Closed")

    # Which step may follow which. Recovery loops back to containment when the system is still unstable
    # (TT 20/2017 Phụ lục II, step 3); an incident found harmless at reception may be closed at once.
    TRANSITIONS = {
        Status.RECEIVED: (Status.CONTAINING, Status.RECOVERING, Status.CLOSED),
        Status.CONTAINING: (Status.RECOVERING, Status.CLOSED),
        Status.RECOVERING: (Status.CONTAINING, Status.CLOSED),
        Status.CLOSED: (),
    }

    # --- who reports (the unit whose subtree sees and manages the incident, and the reporting organisation) ---
    orgunit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("reporting unit"), on_delete=models.PROTECT,
        related_name="security_incidents",
    )
    reporter_name = models.CharField(_("reporting organisation"), max_length=255)
    reporter_address = models.CharField(_("reporting organisation's address"), max_length=255, blank=True)
    reporter_phone = models.CharField(_("reporting organisation's phone"), max_length=50, blank=True)
    reporter_email = models.EmailField(_("reporting organisation's e-mail"), blank=True)
    # --- contact person (QĐ 05/2017 Điều 11.4b) ---
    contact_name = models.CharField(_("contact person"), max_length=255)
    contact_position = models.CharField(_("contact's position"), max_length=255, blank=True)
    contact_phone = models.CharField(_("contact's phone"), max_length=50)
    contact_email = models.EmailField(_("contact's e-mail"), blank=True)
    # --- the affected systems ---
    systems = models.ManyToManyField(
        "monitoring.System", verbose_name=_("affected systems"), related_name="security_incidents", blank=True
    )
    operating_unit = models.CharField(_("operating unit"), max_length=255)
    owner_agency = models.CharField(_("owner agency"), max_length=255, blank=True)
    # Names, domains or public IP addresses of what was hit, as the notification asks for them (TT 20 Điều 9.3).
    affected_addresses = models.TextField(_("domains and IP addresses"), blank=True)
    providers = models.TextField(_("IT, telecom and security service providers"), blank=True)
    # --- the incident ---
    title = models.CharField(_("incident"), max_length=300)
    incident_type = models.CharField(_("incident type"), max_length=200)
    description = models.TextField(_("description"))
    symptoms = models.TextField(_("symptoms"), blank=True)
    impact = models.TextField(_("preliminary harm, spread and impact"), blank=True)
    detected_at = models.DateTimeField(_("detected at"))
    detection_method = models.CharField(_("how it was detected"), max_length=300)
    notified_to = models.TextField(_("already notified to"), blank=True)
    # --- severity: a person's judgement with its reason (QĐ 05/2017 Điều 9) ---
    serious = models.BooleanField(_("serious"), default=False)
    serious_reason = models.TextField(_("why it is serious"), blank=True)
    confidential = models.BooleanField(_("keep confidential"), default=False)
    # --- the response ---
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    measures = models.TextField(_("measures taken or planned"), blank=True)
    supporters = models.TextField(_("organisations helping and their results"), blank=True)
    initial_result = models.TextField(_("result of the initial response"), blank=True)
    result = models.TextField(_("handling result"), blank=True)
    proposals = models.TextField(_("proposals and support requested"), blank=True)
    response_ended_at = models.DateTimeField(_("response ended at"), null=True, blank=True)
    # --- the reports sent ---
    initial_report_number = models.CharField(_("initial report number"), max_length=64, blank=True)
    initial_report_date = models.DateField(_("initial report date"), null=True, blank=True)
    closing_report_number = models.CharField(_("closing report number"), max_length=64, blank=True)
    closing_report_date = models.DateField(_("closing report date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("information-security incident")
        verbose_name_plural = _("information-security incidents")
        ordering = ["-detected_at", "-id"]
        indexes = [models.Index(fields=["orgunit", "detected_at"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.serious and not (self.serious_reason or "").strip():
            errors["serious_reason"] = _("Say why the incident is serious (Decision 05/2017/QĐ-TTg, Article 9).")
        now = timezone.now()
        if self.detected_at and self.detected_at > now + datetime.timedelta(minutes=5):
            errors["detected_at"] = _("The detection time is in the future.")
        if self.response_ended_at and self.detected_at and self.response_ended_at < self.detected_at:
            errors["response_ended_at"] = _("The response cannot end before the incident was detected.")
        if self.initial_report_date and self.detected_at and self.initial_report_date < self.detected_on:
            errors["initial_report_date"] = _("The initial report cannot be dated before the detection.")
        if self.closing_report_date and self.initial_report_date and (
                self.closing_report_date < self.initial_report_date):
            errors["closing_report_date"] = _("The closing report cannot be dated before the initial report.")
        if errors:
            raise ValidationError(errors)

    @property
    def detected_on(self) -> datetime.date:
        """The local day of detection (Asia/Ho_Chi_Minh): deadlines count in days from it."""
        return timezone.localdate(self.detected_at)

    @property
    def response_ended_on(self) -> datetime.date | None:
        return timezone.localdate(self.response_ended_at) if self.response_ended_at else None

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    def next_statuses(self) -> tuple[str, ...]:
        return tuple(self.TRANSITIONS[self.Status(self.status)])


class SecurityIncidentEvent(models.Model):
    """Everything that happens to an incident, in order: its timeline. Append-only."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Recorded")
        EDITED = "edited", _("Edited")
        STATUS = "status", _("Status changed")
        REPORT = "report", _("Report recorded")

    incident = models.ForeignKey(
        SecurityIncident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    old_status = models.CharField(_("old status"), max_length=12, choices=SecurityIncident.Status.choices, blank=True)
    new_status = models.CharField(_("new status"), max_length=12, choices=SecurityIncident.Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("security incident event")
        verbose_name_plural = _("security incident events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.incident} · {self.get_kind_display()} · {self.at:%d/%m/%Y %H:%M}"


@dataclass(frozen=True)
class Deadline:
    """One reporting rule applied to one incident on one day."""

    rule: ReportingRule
    due: datetime.date | None  # None: its clock has not started (the response has not ended yet)
    sent_on: datetime.date | None  # the report's date once recorded
    days_left: int | None  # due − today; negative when overdue; None when done or not started

    @property
    def done(self) -> bool:
        return self.sent_on is not None

    @property
    def overdue(self) -> bool:
        return not self.done and self.days_left is not None and self.days_left < 0

    @property
    def sent_late(self) -> bool:
        return self.done and self.due is not None and self.sent_on > self.due


class ReportingRule(models.Model):
    """A reporting deadline as data: N days counted from detection or from the end of the response, with the legal
    source named, valid for incidents detected between `valid_from` and `valid_to` (the law changes; an incident
    keeps the rules of the day it was detected)."""

    class CountedFrom(models.TextChoices):
        DETECTION = "detection", _("Detection")
        RESPONSE_END = "response_end", _("End of the response")

    class SatisfiedBy(models.TextChoices):
        INITIAL_REPORT = "initial_report", _("The initial report (form 03)")
        CLOSING_REPORT = "closing_report", _("The closing report (form 04)")

    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=255)
    days = models.PositiveSmallIntegerField(_("days"))
    counted_from = models.CharField(_("counted from"), max_length=16, choices=CountedFrom.choices)
    # Which recorded report meets the rule: its date on the incident stops the countdown.
    satisfied_by = models.CharField(_("met by"), max_length=16, choices=SatisfiedBy.choices)
    source = models.TextField(_("legal source"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("reporting rule")
        verbose_name_plural = _("reporting rules")
        ordering = ["order", "code", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="unique_reporting_rule_version")]

    def __str__(self) -> str:
        return self.name

    def applies_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def deadline(self, incident: SecurityIncident, today: datetime.date) -> Deadline:
        if self.counted_from == self.CountedFrom.DETECTION:
            start = incident.detected_on
        else:
            start = incident.response_ended_on
        due = start + datetime.timedelta(days=self.days) if start else None
        if self.satisfied_by == self.SatisfiedBy.INITIAL_REPORT:
            sent_on = incident.initial_report_date
        else:
            sent_on = incident.closing_report_date
        days_left = (due - today).days if due and not sent_on else None
        return Deadline(rule=self, due=due, sent_on=sent_on, days_left=days_left)
