"""Indicator catalogue, data values (target / estimate / actual) and their append-only history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Sector(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    class ValueType(models.TextChoices):
        NUMBER = "number", _("Number")
        INTEGER = "integer", _("Integer")
        PERCENT = "percent", _("Percent")

    class UnitAggregation(models.TextChoices):
        SUM = "sum", _("Sum")
        AVERAGE = "average", _("Average")
        WEIGHTED_AVERAGE = "weighted_average", _("Weighted average")
        # Context: Django's own catalogue translates a bare "None" as "Không", and it would win over ours.
        NONE = "none", pgettext_lazy("aggregation", "None")

    class PeriodAggregation(models.TextChoices):
        SUM = "sum", _("Sum")
        LAST = "last", _("Last value")
        AVERAGE = "average", _("Average")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    # What a wall card or a narrow tile shows instead of a long name ("Doanh thu viễn thông"); empty: the name.
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    unit = models.CharField(_("unit of measure"), max_length=64)
    value_type = models.CharField(_("value type"), max_length=16, choices=ValueType.choices, default=ValueType.NUMBER)
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=2)
    unit_aggregation = models.CharField(
        _("aggregation across units"), max_length=20, choices=UnitAggregation.choices, default=UnitAggregation.SUM
    )
    weight_indicator = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("weighted by")
    )
    period_aggregation = models.CharField(
        _("aggregation across periods"), max_length=16, choices=PeriodAggregation.choices, default=PeriodAggregation.SUM
    )
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("sector"))
    min_value = models.DecimalField(_("minimum"), max_digits=24, decimal_places=6, null=True, blank=True)
    max_value = models.DecimalField(_("maximum"), max_digits=24, decimal_places=6, null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["sector__order", "code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class ValueState(models.IntegerChoices):
    """How far the report holding a value has gone: leaders' figures count only values that left the reporting
    unit (settings.REPORTED_DATA: submitted and approved, or approved only). Ordered, so "counts" is one >=."""

    DRAFT = 0, _("Draft")  # also a returned report, until it is submitted again
    SUBMITTED = 1, _("Submitted")
    APPROVED = 2, pgettext_lazy("report", "Approved")

    @classmethod
    def counted(cls) -> int:
        """The lowest state that leaders' figures count (settings.REPORTED_DATA)."""
        return cls.APPROVED if settings.REPORTED_DATA == "approved" else cls.SUBMITTED


class ValueKind(models.TextChoices):
    TARGET = "target", _("Target")
    ESTIMATE = "estimate", _("Estimate")
    ACTUAL = "actual", _("Actual")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    XLSX = "xlsx", _("XLSX upload")
    CSV = "csv", _("CSV import")
    API = "api", _("API")
    SYSTEM = "system", _("System")


class DataValue(models.Model):
    """The current value of one cell: indicator × unit × period × kind.

    An actual does not overwrite the estimate of the same cell: they are separate rows, and readers prefer the
    actual. Every change is also written to ValueHistory.
    """

    # No single-column indexes: unique_data_value leads with the indicator, the (orgunit, period) index with the
    # unit; each extra index slows every bulk import.
    # No database foreign keys either: values are written only by indicators.writer, which refuses unknown units
    # and indicators (set-based, before anything is written), and what they point at is never deleted (units
    # end, indicators go inactive, users are deactivated; PROTECT still refuses a delete in Django). The keys'
    # deferred checks were a third of a million-value import on PostgreSQL (6.5 of 21.5 s at commit).
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values", db_index=False,
        db_constraint=False
    )
    orgunit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="values", db_index=False,
        db_constraint=False
    )
    period = models.CharField(_("period"), max_length=12)
    kind = models.CharField(_("kind"), max_length=8, choices=ValueKind.choices)
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=6)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    # The state of the report the value is on (ValueState); set by its writer and by each step of the report's
    # workflow. A database default, so that a bulk writer in SQL writes drafts unless it says otherwise.
    state = models.PositiveSmallIntegerField(_("report state"), choices=ValueState.choices, default=ValueState.DRAFT,
                                             db_default=ValueState.DRAFT)
    updated_at = models.DateTimeField(_("updated at"))
    # Nothing reads values or history by user, so neither user column has an index: the only query it would serve
    # is PROTECT's check when a user is deleted (users are deactivated, not deleted), while every imported row
    # paid for it (a million-row import spent over a second per index on PostgreSQL).
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True, on_delete=models.PROTECT,
        db_index=False, db_constraint=False
    )

    class Meta:
        verbose_name = _("data value")
        verbose_name_plural = _("data values")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "orgunit", "period", "kind"], name="unique_data_value")
        ]
        indexes = [models.Index(fields=["orgunit", "period"])]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.orgunit_id}/{self.period}/{self.kind}={self.value}"


class ValueHistory(models.Model):
    """Append-only: one row per change of a cell (old → new), who, when and through which channel."""

    # History is append-only and what it points at is never deleted (units end, indicators go inactive, users are
    # deactivated; PROTECT still refuses a delete in Django). A database foreign key would add nothing but a
    # check per row at commit, which was half the commit time of a large import. The cell index below leads
    # with the indicator, so that column needs no index of its own; nothing reads history by unit alone.
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+", db_constraint=False,
        db_index=False
    )
    orgunit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+", db_constraint=False,
        db_index=False
    )
    period = models.CharField(_("period"), max_length=12)
    kind = models.CharField(_("kind"), max_length=8, choices=ValueKind.choices)
    old_value = models.DecimalField(_("old value"), max_digits=24, decimal_places=6, null=True)
    new_value = models.DecimalField(_("new value"), max_digits=24, decimal_places=6, null=True)
    # no index: see DataValue.updated_by
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, on_delete=models.PROTECT, related_name="+",
        db_constraint=False, db_index=False
    )
    changed_at = models.DateTimeField(_("changed at"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    # A bulk import (CSV, API) that named no report version replaced a figure someone had saved: an explicit
    # overwrite, shown as such, since the importer could not have seen the newer figure. A database default, so
    # that the writer's and the tools' own INSERTs need not name it.
    overwrite = models.BooleanField(_("overwritten without a version"), default=False, db_default=False)

    class Meta:
        verbose_name = _("value change")
        verbose_name_plural = _("value history")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["indicator", "orgunit", "period", "kind"])]

    def __str__(self) -> str:
        return f"{self.changed_at:%Y-%m-%d %H:%M} {self.old_value} → {self.new_value} ({self.get_channel_display()})"


class RollupKind(models.TextChoices):
    TARGET = "target", _("Target")
    BEST = "best", _("Actual, else estimate")


class ValueRollup(models.Model):
    """A unit's figure for one indicator, native period and kind, kept up to date on every write.

    Rows exist for units that have sub-units (a leaf unit's figure is its own DataValue). A unit's own value wins
    (the province's own estimate is the province's figure); without one, the row combines its children's figures:
    `total` is Σ value (sum, average) or Σ value × weight (weighted average, weight = the weight indicator's value of
    the same unit and period), `weight` is the number of units (sum, average) or Σ weight. "best" takes each unit's
    actual, else its estimate; `estimates` counts the units whose figure is an estimate, `pending` those submitted but
    not yet approved. Only reported values count (DataValue.state, settings.REPORTED_DATA). Maintained by
    dieuhanh.indicators.rollups inside the transaction of the write or workflow step (datavalues_save,
    datavalues_set_state, the CSV import).
    """

    # Derived data: no database foreign keys (nothing to check per row of a large import), no extra indexes.
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.DO_NOTHING, related_name="+", db_constraint=False,
        db_index=False
    )
    orgunit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("unit"), on_delete=models.DO_NOTHING, related_name="+", db_constraint=False,
        db_index=False
    )
    period = models.CharField(_("period"), max_length=12)
    kind = models.CharField(_("kind"), max_length=8, choices=RollupKind.choices)
    total = models.DecimalField(_("total"), max_digits=40, decimal_places=6, null=True)
    weight = models.DecimalField(_("weight"), max_digits=40, decimal_places=6, null=True)
    units_reported = models.PositiveIntegerField(_("units reported"), default=0)
    estimates = models.PositiveIntegerField(_("estimated figures"), default=0)
    # Of units_reported, how many are submitted but not yet approved ("2/6 đơn vị chờ duyệt").
    pending = models.PositiveIntegerField(_("figures awaiting approval"), default=0, db_default=0)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("rolled-up value")
        verbose_name_plural = _("rolled-up values")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "orgunit", "period", "kind"], name="unique_value_rollup")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.orgunit_id}/{self.period}/{self.kind}={self.total}"
