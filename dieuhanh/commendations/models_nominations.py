"""Rounds (đợt xét khen thưởng), nominations with their evidence and the council's vote, and the criteria on a
collective's members kept as data.

A nomination's evidence is recomputed from the product's records whenever it is viewed, until the council votes:
then it is frozen in `evidence` (what the council saw), with the time it was frozen.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dieuhanh.commendations.models import ONE_RECIPIENT, Award, EmulationMovement, Person
from dieuhanh.commendations.models_rules import AwardKind, DatedRule


class MemberCriterion(DatedRule):
    """A criterion of a collective title on its members in the year: at least `min_percent` of them hold
    `member_kind` (Tập thể lao động xuất sắc: ≥ 70% Lao động tiên tiến, Điều 27), or at least `min_count` of them
    do (and at least one Chiến sĩ thi đua cơ sở)."""

    kind = models.ForeignKey(AwardKind, verbose_name=_("collective title"), on_delete=models.CASCADE,
                             related_name="member_criteria")
    member_kind = models.ForeignKey(AwardKind, verbose_name=_("members' title"), on_delete=models.CASCADE,
                                    related_name="+")
    min_percent = models.DecimalField(_("at least (percent of members)"), max_digits=5, decimal_places=2, null=True,
                                      blank=True)
    min_count = models.PositiveSmallIntegerField(_("at least (members)"), null=True, blank=True)

    class Meta(DatedRule.Meta):
        verbose_name = _("criterion on a collective's members")
        verbose_name_plural = _("criteria on a collective's members")
        constraints = [models.CheckConstraint(condition=Q(min_percent__isnull=False) | Q(min_count__isnull=False),
                                              name="member_criterion_has_a_minimum")]

    def __str__(self) -> str:
        if self.min_percent is not None:
            return f"{self.kind}: ≥ {self.min_percent.normalize():f}% {self.member_kind}"
        return f"{self.kind}: ≥ {self.min_count} {self.member_kind}"


class Round(models.Model):
    """A round of consideration (đợt xét) of a granting authority: "Xét khen thưởng năm 2026". The organiser's
    emulation council votes on the nominations; the authority decides."""

    name = models.CharField(_("name"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year of the achievements"))
    authority = models.ForeignKey("commendations.Authority", verbose_name=_("granting authority"),
                                  on_delete=models.PROTECT, related_name="rounds")
    organiser = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("council of"), on_delete=models.PROTECT,
                                  related_name="commendation_rounds")
    nominations_due = models.DateField(_("nominations due"), null=True, blank=True)
    closed = models.BooleanField(_("closed"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("round of consideration")
        verbose_name_plural = _("rounds of consideration")

    def __str__(self) -> str:
        return self.name


class Nomination(models.Model):
    """A unit's proposal (đề nghị) of a person or a collective of its subtree for a title or form."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        PASSED = "passed", _("Passed by the council")
        REJECTED = "rejected", _("Not passed by the council")
        GRANTED = "granted", _("Granted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="nominations")
    proposer = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("proposing unit"), on_delete=models.PROTECT,
                                 related_name="commendation_nominations")
    kind = models.ForeignKey(AwardKind, verbose_name=_("title or form"), on_delete=models.PROTECT,
                             related_name="nominations")
    person = models.ForeignKey(Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="nominations")
    unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("collective"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="nominated")
    year = models.PositiveSmallIntegerField(_("year of the achievement"))
    achievement = models.CharField(_("achievement"), max_length=16, choices=Award.Achievement.choices)
    movement = models.ForeignKey(EmulationMovement, verbose_name=_("emulation movement"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="nominations")
    achievement_note = models.CharField(_("which achievement"), max_length=300, blank=True)
    summary = models.TextField(_("summary of achievements"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PROPOSED)
    # The council's vote (absent members vote in writing, so votes are out of all members).
    members_total = models.PositiveSmallIntegerField(_("council members"), null=True, blank=True)
    members_present = models.PositiveSmallIntegerField(_("members present"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    threshold_percent = models.DecimalField(_("threshold (percent of members)"), max_digits=5, decimal_places=2,
                                            null=True, blank=True)
    chair_approves = models.BooleanField(_("the chair's decision"), null=True, blank=True)
    vote_note = models.CharField(_("minutes"), max_length=300, blank=True)
    voted_on = models.DateField(_("voted on"), null=True, blank=True)
    voted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("vote recorded by"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="+")
    evidence = models.JSONField(_("evidence the council saw"), null=True, blank=True)
    evidence_frozen_at = models.DateTimeField(_("evidence frozen at"), null=True, blank=True)
    award = models.OneToOneField(Award, verbose_name=_("award"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="nomination")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["round", "kind__category", "-kind__rank", "id"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [models.CheckConstraint(condition=ONE_RECIPIENT, name="nomination_one_recipient")]

    def __str__(self) -> str:
        return f"{self.kind} · {self.person or self.unit} · {self.year}"

    @property
    def recipient(self):
        return self.person or self.unit

    @property
    def is_voted(self) -> bool:
        return self.voted_on is not None
