"""Dashboards that operators put together without code: which cards, in which order, for whom.

A leader sees the dashboards assigned to them (directly or through a role on a unit above them); when none
is assigned, the default dashboard. Each card shows one indicator (a KPI with sparkline, or a chart) or one
of the built-in panels (task scorecard, reporting completeness, alerts).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Dashboard(models.Model):
    name = models.CharField(_("name"), max_length=255)
    sector = models.ForeignKey(
        "indicators.Sector", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("sector")
    )
    # The unit whose figures the cards show; empty = the top of the viewer's scope.
    orgunit = models.ForeignKey(
        "orgunits.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    is_default = models.BooleanField(_("default dashboard"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="dashboards", verbose_name=_("assigned to users")
    )
    # Assigned to everyone holding a role on one of these units or on a unit below it.
    orgunits = models.ManyToManyField(
        "orgunits.OrgUnit", blank=True, related_name="dashboards", verbose_name=_("assigned to units")
    )
    wall_seconds = models.PositiveSmallIntegerField(
        _("seconds per panel in wall mode"), default=20, validators=[MinValueValidator(2), MaxValueValidator(3600)]
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("dashboard")
        verbose_name_plural = _("dashboards")

    def __str__(self) -> str:
        return self.name


class Card(models.Model):
    class Kind(models.TextChoices):
        KPI = "kpi", _("KPI card")
        CHART = "chart", _("Chart over time")
        RANKING = "ranking", _("Ranking of units")
        TASKS = "tasks", _("Task scorecard")
        COMPLETENESS = "completeness", _("Reporting completeness")
        ALERTS = "alerts", _("Alerts")

    class Span(models.TextChoices):
        YEAR_TO_DATE = "ytd", _("Year to date (lũy kế)")
        LATEST = "latest", _("Latest period")
        YEAR = "year", _("Whole year")

    dashboard = models.ForeignKey(
        Dashboard, verbose_name=_("dashboard"), on_delete=models.CASCADE, related_name="cards"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.KPI)
    indicator = models.ForeignKey(
        "indicators.Indicator",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("indicator"),
    )
    span = models.CharField(_("period shown"), max_length=8, choices=Span.choices, default=Span.YEAR_TO_DATE)
    title = models.CharField(_("title (optional)"), max_length=255, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("card")
        verbose_name_plural = _("cards")

    # Kinds that show one indicator; the others are built-in panels.
    INDICATOR_KINDS = frozenset({Kind.KPI, Kind.CHART, Kind.RANKING})

    def __str__(self) -> str:
        return self.title or (str(self.indicator) if self.indicator_id else self.get_kind_display())

    def clean(self) -> None:
        if self.kind in self.INDICATOR_KINDS and not self.indicator_id:
            raise ValidationError({"indicator": _("Choose the indicator this card shows.")})
        if self.kind not in self.INDICATOR_KINDS and self.indicator_id:
            raise ValidationError({"indicator": _("This kind of card shows a built-in panel, not an indicator.")})


class DataVersion(models.Model):
    """One counter that every committed write of data leaders see advances (dieuhanh.dashboard.datacache): the
    leaders' pages cache their figures under it, so a write makes every earlier cached figure unreachable."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")

    def __str__(self) -> str:
        return str(self.value)
