"""Who may change a target (kế hoạch): the province sets it, the reporting unit reports against it.

The right is held by the roles in `accounts.models.TARGET_SETTING_ROLES`. What is refused is a change: a target
sent back unchanged (an XLSX workbook downloaded with its targets and returned, a page that shows it) passes,
so a reporter's file need not be edited to leave the targets out.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from dieuhanh.accounts.models import roles_may_set_targets
from dieuhanh.accounts.selectors import roles_on
from dieuhanh.indicators.models import ValueKind
from dieuhanh.indicators.services import ValueInput


def may_set_targets(user, orgunit) -> bool:
    """`user` None is the system (a command run without --user), which may."""
    return user is None or roles_may_set_targets(roles_on(user, orgunit))


def target_refusal(row_label: str) -> str:
    return _("%(row)s (%(kind)s): targets are set by the province; your account may not change them") % {
        "row": row_label, "kind": ValueKind.TARGET.label}


def target_problems(*, values: list[ValueInput], stored: dict[tuple[int, str], Decimal | None], row_labels:
                    dict[int, str], user, orgunit) -> list[str]:
    """A message per target in `values` that differs from the `stored` one, if `user` may not set targets."""
    changed = [v for v in values if v.kind == ValueKind.TARGET and stored.get((v.indicator.pk, v.kind)) != v.value]
    if not changed or may_set_targets(user, orgunit):
        return []
    return [target_refusal(row_labels.get(v.indicator.pk, v.indicator.name)) for v in changed]
