"""Organisation registry: provinces, communes, agencies, enterprises, with validity dates and lineage.

Nothing here is ever deleted: a unit that stops existing gets `valid_to`, and a lineage event links it to
its successors so that data from before the 2025 reform can still be compared with data after it.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgUnit(models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province")
        COMMUNE = "commune", _("Commune")
        DISTRICT = "district", _("District (before 1/7/2025)")
        AGENCY = "agency", _("Agency")
        ENTERPRISE = "enterprise", _("Enterprise")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # The official division type for communes ("xã", "phường", "đặc khu") and provinces.
    division_type = models.CharField(_("division type"), max_length=32, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    # Materialised path of codes ("/80/27727/"): scoping a user to a subtree is one indexed prefix match.
    path = models.CharField(_("path in the tree"), max_length=512, db_index=True, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # Lower-case name without diacritics, so that "tay ninh" finds "Tây Ninh".
    search_name = models.CharField(_("name for searching"), max_length=255, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def is_active_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def descendants(self, include_self: bool = True) -> models.QuerySet["OrgUnit"]:
        qs = OrgUnit.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)


class LineageEvent(models.Model):
    class Kind(models.TextChoices):
        MERGE = "merge", _("Merge")
        SPLIT = "split", _("Split")
        RENAME = "rename", _("Rename")
        MOVE = "move", _("Move")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    effective_date = models.DateField(_("effective date"))
    predecessors = models.ManyToManyField(
        OrgUnit, verbose_name=_("units before"), related_name="lineage_as_predecessor"
    )
    successors = models.ManyToManyField(OrgUnit, verbose_name=_("units after"), related_name="lineage_as_successor")
    old_name = models.CharField(_("old name"), max_length=255, blank=True)
    new_name = models.CharField(_("new name"), max_length=255, blank=True)
    old_parent = models.ForeignKey(
        OrgUnit, verbose_name=_("old parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new_parent = models.ForeignKey(
        OrgUnit, verbose_name=_("new parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("change of units")
        verbose_name_plural = _("changes of units")
        ordering = ["effective_date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_date:%d/%m/%Y}"


class LineageShare(models.Model):
    """The part of a split unit that one resulting unit takes, set by an operator (e.g. by population): a successor's
    figures for the periods before the split are the predecessor's times this share, and are marked estimated. When
    the predecessor continues (a part split away), it keeps 1 − the successors' shares of its earlier figures."""

    event = models.ForeignKey(LineageEvent, on_delete=models.CASCADE, related_name="shares",
                              verbose_name=_("lineage event"))
    orgunit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("resulting unit"))
    share = models.DecimalField(_("share"), max_digits=7, decimal_places=6,
                                help_text=_("A fraction of the unit before the split: 0.4 for 40%."))
    basis = models.CharField(_("basis"), max_length=255, blank=True,
                             help_text=_("What the share is taken from, e.g. population on 31/12/2024."))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("updated by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "orgunit"], name="unique_lineage_share")]
        verbose_name = _("allocation share")
        verbose_name_plural = _("allocation shares")

    def __str__(self) -> str:
        return f"{self.orgunit_id}: {self.share}"
