"""Roles scoped to a subtree of the organisation registry."""

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    LEADER = "leader", _("Leader")
    REPORTER = "reporter", _("Reporter")
    APPROVER = "approver", _("Approver")
    # The People's Committee office: registers tasks and follows them up for the assigners.
    OFFICE = "office", _("Task office")


# A target (kế hoạch) is set by the province for the units that report against it; the units' reporters may not
# change it. Administrators keep the province's plan. One set, so that the entry page, the XLSX workbook, the
# services and the CSV import all ask the same question.
TARGET_SETTING_ROLES = frozenset({Role.ADMIN})


def roles_may_set_targets(roles: Iterable[str]) -> bool:
    """Whether a person holding `roles` on a unit may set or change that unit's targets."""
    return not TARGET_SETTING_ROLES.isdisjoint(roles)


class RoleAssignment(models.Model):
    """`user` holds `role` on `orgunit` and every unit below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    orgunit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "role", "orgunit"], name="unique_role_assignment")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.orgunit}"
