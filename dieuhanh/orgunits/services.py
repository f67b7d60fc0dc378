"""Writes to the organisation registry. Units are never deleted: they end (`valid_to`) and lineage links them."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dieuhanh.lib.vnformat import fold
from dieuhanh.orgunits.models import OrgUnit

_CODE = re.compile(r"^[A-Za-z0-9_.\-]+$")


def _path_for(code: str, parent: OrgUnit | None) -> str:
    return f"{parent.path if parent else '/'}{code}/"


@transaction.atomic
def orgunit_create(
    *,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None = None,
    division_type: str = "",
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> OrgUnit:
    if not _CODE.match(code or ""):
        raise ValidationError({"code": _("A unit code may hold only letters, digits, '.', '_' and '-'.")})
    unit = OrgUnit(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        division_type=division_type,
        valid_from=valid_from,
        valid_to=valid_to,
        path=_path_for(code, parent),
        search_name=fold(name),
    )
    unit.full_clean()
    unit.save()
    return unit


# Re-exported: bulk loading of the official province/commune list lives in its own module.
from dieuhanh.orgunits.admin_units import admin_units_load, admin_units_sync  # noqa: E402,F401
