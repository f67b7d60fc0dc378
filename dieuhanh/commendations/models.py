"""People and collectives, emulation movements and registrations, decisions and the award register.

A collective is an org unit; a person being commended is usually not a user of the system, so people are rows of
their own, optionally linked to a user. The register keeps every award across the years: it is where the
consecutive years of a title and the "one achievement earns one form only" rule are read from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from dieuhanh.commendations.models_rules import *  # noqa: F401,F403  (the rules: a module of their own)
from dieuhanh.commendations.models_rules import AwardKind

ONE_RECIPIENT = Q(person__isnull=False, unit__isnull=True) | Q(person__isnull=True, unit__isnull=False)


def _either(field: str):
    # NULLs are distinct in unique indexes on both databases: compare 0 for "no person" / "no unit / movement".
    return Coalesce(field, Value(0), output_field=models.BigIntegerField())


class Person(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")

    full_name = models.CharField(_("full name"), max_length=200)
    unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="commendation_people")
    position = models.CharField(_("position"), max_length=200, blank=True)
    # Among equal candidates women are preferred (NĐ 152 Điều 4), and a collective's share of women counts.
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user account"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="commendation_person")
    left_on = models.DateField(_("left the unit on"), null=True, blank=True)
    search_name = models.CharField(_("name for searching"), max_length=200, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["unit__path", "full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name


class EmulationMovement(models.Model):
    """A phong trào thi đua launched by a unit: the yearly one or a campaign on a theme or for a period."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular (yearly)")
        CAMPAIGN = "campaign", _("Campaign or theme")

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    organiser = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("launched by"), on_delete=models.PROTECT,
                                  related_name="emulation_movements")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    launch_document = models.CharField(_("launching document"), max_length=64, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("emulation movement")
        verbose_name_plural = _("emulation movements")
        constraints = [models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F(
            "start_date")), name="movement_ends_after_start")]

    def __str__(self) -> str:
        return self.name


class EmulationRegistration(models.Model):
    """A unit's or a person's yearly registration (đăng ký thi đua): the titles aimed for in `year`."""

    year = models.PositiveSmallIntegerField(_("year"))
    person = models.ForeignKey(Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="registrations")
    unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("collective"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="emulation_registrations")
    movement = models.ForeignKey(EmulationMovement, verbose_name=_("emulation movement"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="registrations")
    titles = models.ManyToManyField(AwardKind, verbose_name=_("titles registered for"), related_name="+")
    registered_on = models.DateField(_("registered on"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("emulation registration")
        verbose_name_plural = _("emulation registrations")
        constraints = [
            models.CheckConstraint(condition=ONE_RECIPIENT, name="registration_one_recipient"),
            models.UniqueConstraint(_either("person"), _either("unit"), "year", _either("movement"),
                                    name="unique_registration_a_year",
                                    violation_error_message=_("This person or collective has already registered "
                                                              "for this year and movement.")),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.unit} · {self.year}"


class Decision(models.Model):
    """A decision (quyết định) of an authority granting awards: number by Decree 30, date, signer."""

    number = models.CharField(_("number"), max_length=64)
    date = models.DateField(_("date"))
    authority = models.ForeignKey("commendations.Authority", verbose_name=_("granting authority"),
                                  on_delete=models.PROTECT, related_name="decisions")
    issuer = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("issuing unit"), on_delete=models.PROTECT,
                               related_name="commendation_decisions")
    signer_name = models.CharField(_("signed by"), max_length=200)
    signer_position = models.CharField(_("signer's position"), max_length=200, blank=True)
    excerpt = models.CharField(_("excerpt"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "number"]
        verbose_name = _("commendation decision")
        verbose_name_plural = _("commendation decisions")

    def __str__(self) -> str:
        return f"{self.number} ({self.date:%d/%m/%Y})"


class Award(models.Model):
    """One award in the register: a title or form given to a person or a collective for `year`'s achievement.

    `achievement` says what is rewarded (Luật 2022 Điều 8); a title is the year's emulation result. One achievement
    earns one form only: a recipient gets one form per year, achievement kind, movement and ad hoc event
    (`achievement_note`), and each title once a year. The reward is frozen on the decision date."""

    class Achievement(models.TextChoices):
        TITLE = "title", _("Emulation title of the year")
        MERIT = "merit", _("Merit")
        AD_HOC = "ad_hoc", _("Ad hoc achievement")
        CAMPAIGN = "campaign", _("Campaign or theme")
        LIFETIME = "lifetime", _("Lifetime service")
        SERVICE_YEARS = "service_years", _("Length of service")
        FOREIGN = "foreign", _("Foreign relations")

    decision = models.ForeignKey(Decision, verbose_name=_("decision"), on_delete=models.PROTECT,
                                 related_name="awards")
    kind = models.ForeignKey(AwardKind, verbose_name=_("title or form"), on_delete=models.PROTECT,
                             related_name="awards")
    person = models.ForeignKey(Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="awards")
    unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("collective"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="awards")
    year = models.PositiveSmallIntegerField(_("year of the achievement"))
    achievement = models.CharField(_("achievement"), max_length=16, choices=Achievement.choices)
    movement = models.ForeignKey(EmulationMovement, verbose_name=_("emulation movement"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="awards")
    achievement_note = models.CharField(_("which achievement"), max_length=300, blank=True)
    multiple = models.DecimalField(_("multiple of the base salary"), max_digits=6, decimal_places=2, null=True,
                                   blank=True)
    base_salary = models.PositiveIntegerField(_("base salary (đồng)"), null=True, blank=True)
    amount = models.PositiveBigIntegerField(_("reward (đồng)"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "decision__date", "id"]
        verbose_name = _("award")
        verbose_name_plural = _("award register")
        indexes = [models.Index(fields=["kind", "year"], name="award_kind_year")]
        constraints = [
            models.CheckConstraint(condition=ONE_RECIPIENT, name="award_one_recipient"),
            models.UniqueConstraint(
                _either("person"), _either("unit"), "year", "kind", condition=Q(achievement="title"),
                name="unique_award_title_a_year",
                violation_error_message=_("This person or collective already has this title for this year."),
            ),
            models.UniqueConstraint(
                _either("person"), _either("unit"), "year", "achievement", _either("movement"), "achievement_note",
                condition=~Q(achievement="title"), name="unique_award_one_form_an_achievement",
                violation_error_message=_("One achievement earns one form only: this person or collective already "
                                          "has a form for this achievement."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.person or self.unit} · {self.year}"


from dieuhanh.commendations.models_nominations import *  # noqa: E402,F401,F403  (rounds and nominations)
