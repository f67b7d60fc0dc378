"""The rules of emulation and commendation, kept as data (Luật Thi đua, khen thưởng 2022; NĐ 152/2025/NĐ-CP).

Titles, forms, authorities, reward multiples, the base salary, council vote thresholds and share caps change with
decrees and with each province's own regulation, and several could not be confirmed from the legal texts: every
row carries its legal source and a `confirmed` flag with a note saying what is unconfirmed, so that an
administrator can correct it without a release. Dated rows (multiples, base salary, thresholds, caps) apply to a
decision by the date of the decision.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dieuhanh.lib.vnformat import format_number


class Authority(models.Model):
    """Who grants: the Director of a Sở, the Chairman of a commune or of the province, a minister, the Prime
    Minister, the President. `rank` orders them from the commune up."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    rank = models.PositiveSmallIntegerField(_("rank"), default=0, help_text=_("Higher ranks grant higher awards."))

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = _("granting authority")
        verbose_name_plural = _("granting authorities")

    def __str__(self) -> str:
        return self.name


class SourcedRule(models.Model):
    """Where a rule comes from and whether it could be confirmed from the legal text."""

    legal_source = models.CharField(_("legal source"), max_length=255, blank=True)
    confirmed = models.BooleanField(
        _("confirmed"), default=False,
        help_text=_("Unticked: the rule could not be confirmed from the legal text (chờ xác nhận); check it."),
    )
    unconfirmed_note = models.CharField(_("what is not confirmed"), max_length=500, blank=True)

    class Meta:
        abstract = True

    @property
    def status_label(self) -> str:
        return str(_("confirmed") if self.confirmed else _("awaiting confirmation"))


class AwardKind(SourcedRule):
    """An emulation title (danh hiệu thi đua, given for a year's emulation) or a form of commendation (hình thức
    khen thưởng: orders, medals, honours, Bằng khen, Giấy khen), for individuals or for collectives. A form given to
    both has one row each, since their rewards differ."""

    class Category(models.TextChoices):
        TITLE = "title", _("Emulation title")
        FORM = "form", _("Form of commendation")

    class Recipient(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        COLLECTIVE = "collective", _("Collective")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    category = models.CharField(_("award category"), max_length=8, choices=Category.choices)
    recipient = models.CharField(_("given to"), max_length=12, choices=Recipient.choices)
    authorities = models.ManyToManyField(Authority, verbose_name=_("granted by"), related_name="award_kinds",
                                         blank=True)
    # Among titles of one recipient for the same period only the highest is paid (NĐ 152 Điều 49).
    rank = models.PositiveSmallIntegerField(_("rank"), default=0, help_text=_("Higher ranks are higher awards."))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["category", "recipient", "-rank", "code"]
        verbose_name = _("title or form of commendation")
        verbose_name_plural = _("titles and forms of commendation")

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


def in_force_on(day: datetime.date) -> Q:
    """Rows with `valid_from` ≤ day ≤ `valid_to` (open ends allowed)."""
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class DatedRule(SourcedRule):
    """A rule about one title or form, in force from `valid_from` to `valid_to` (open: until replaced)."""

    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["kind", "-valid_from"]


class RewardMultiple(DatedRule):
    """The reward of a title or form as a multiple of the base salary, from a date."""

    kind = models.ForeignKey(AwardKind, verbose_name=_("title or form"), on_delete=models.CASCADE,
                             related_name="multiples")
    multiple = models.DecimalField(_("multiple of the base salary"), max_digits=6, decimal_places=2)

    class Meta(DatedRule.Meta):
        verbose_name = _("reward multiple")
        verbose_name_plural = _("reward multiples")
        constraints = [models.UniqueConstraint(fields=["kind", "valid_from"], name="unique_reward_multiple_start")]

    def __str__(self) -> str:
        return f"{self.kind} × {self.multiple.normalize():f}"


class BaseSalary(models.Model):
    """The base salary (mức lương cơ sở) from a date: 2,340,000 đ from 01/07/2024 (NĐ 73/2024/NĐ-CP)."""

    amount = models.PositiveIntegerField(_("amount (đồng a month)"))
    valid_from = models.DateField(_("valid from"), unique=True)
    legal_source = models.CharField(_("legal source"), max_length=255, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("base salary")
        verbose_name_plural = _("base salaries")

    def __str__(self) -> str:
        return f"{format_number(self.amount, 0)} đ ({self.valid_from:%d/%m/%Y})"


class VoteThreshold(DatedRule):
    """The council's share of votes a title needs (e.g. ≥ 90% of all members for Chiến sĩ thi đua tỉnh)."""

    kind = models.ForeignKey(AwardKind, verbose_name=_("title or form"), on_delete=models.CASCADE,
                             related_name="vote_thresholds")
    percent = models.DecimalField(_("at least (percent of all council members)"), max_digits=5, decimal_places=2)

    class Meta(DatedRule.Meta):
        verbose_name = _("council vote threshold")
        verbose_name_plural = _("council vote thresholds")
        constraints = [models.UniqueConstraint(fields=["kind", "valid_from"], name="unique_vote_threshold_start")]

    def __str__(self) -> str:
        return f"{self.kind} ≥ {self.percent.normalize():f}%"

    def passes(self, *, votes_for: int, members: int) -> bool:
        """Whether `votes_for` of a council of `members` (absent members voting in writing) reach the threshold."""
        return members > 0 and Decimal(votes_for) * 100 >= self.percent * members


class ShareCap(DatedRule):
    """A province's or sector's own cap on a title as a share of another (e.g. Chiến sĩ thi đua cơ sở ≤ 15% of
    Lao động tiên tiến). No national law sets one since 01/01/2024, so caps are off until an administrator turns
    them on. `orgunit` limits the cap to a subtree; empty applies everywhere."""

    kind = models.ForeignKey(AwardKind, verbose_name=_("capped title"), on_delete=models.CASCADE,
                             related_name="share_caps")
    of_kind = models.ForeignKey(AwardKind, verbose_name=_("as a share of"), on_delete=models.CASCADE,
                                related_name="+")
    percent = models.DecimalField(_("at most (percent)"), max_digits=5, decimal_places=2)
    orgunit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("units (subtree)"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    enabled = models.BooleanField(_("in use"), default=False)

    class Meta(DatedRule.Meta):
        verbose_name = _("share cap")
        verbose_name_plural = _("share caps")

    def __str__(self) -> str:
        return f"{self.kind} ≤ {self.percent.normalize():f}% {self.of_kind}"

    def allows(self, *, count: int, of_count: int) -> bool:
        """Whether `count` awards of the capped title stay within the cap of `of_count` awards of the base title."""
        return Decimal(count) * 100 <= self.percent * of_count
