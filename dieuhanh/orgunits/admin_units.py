"""Loading the official 2025 list of provinces and communes from the `vietnam-provinces` package.

Kept apart from `services.py` because it is a bulk import with its own lookup rules; `services.py`
re-exports `admin_units_load` so that callers use one module for writes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from vietnam_provinces import Province, Ward

from dieuhanh.lib.vnformat import fold
from dieuhanh.orgunits.models import OrgUnit

# The 2025 reform (Resolution 202/2025/QH15) took effect on 1/7/2025; the package lists the units from then.
REFORM_DATE = datetime.date(2025, 7, 1)

# The package has only the new units. Officials still type the old province codes and names
# ("72", "Long An"), so map each pre-reform province that is not itself a new code to the province
# it was merged into. (Old codes that are also new codes — e.g. 80 Long An → 80 Tây Ninh — resolve as new codes.)
_PRE_REFORM = {
    "02": ("Hà Giang", 8), "06": ("Bắc Kạn", 19), "10": ("Lào Cai", 15), "15": ("Yên Bái", 15),
    "17": ("Hòa Bình", 25), "24": ("Bắc Giang", 24), "26": ("Vĩnh Phúc", 25), "27": ("Bắc Ninh", 24),
    "30": ("Hải Dương", 31), "34": ("Thái Bình", 33), "35": ("Hà Nam", 37), "36": ("Nam Định", 37),
    "44": ("Quảng Bình", 44), "45": ("Quảng Trị", 44), "49": ("Quảng Nam", 48), "52": ("Bình Định", 52),
    "54": ("Phú Yên", 66), "58": ("Ninh Thuận", 56), "60": ("Bình Thuận", 68), "62": ("Kon Tum", 51),
    "64": ("Gia Lai", 52), "67": ("Đắk Nông", 68), "70": ("Bình Phước", 75), "72": ("Tây Ninh", 80),
    "74": ("Bình Dương", 79), "77": ("Bà Rịa - Vũng Tàu", 79), "80": ("Long An", 80), "82": ("Tiền Giang", 82),
    "83": ("Bến Tre", 86), "84": ("Trà Vinh", 86), "87": ("Đồng Tháp", 82), "89": ("An Giang", 91),
    "91": ("Kiên Giang", 91), "93": ("Hậu Giang", 92), "94": ("Sóc Trăng", 92), "95": ("Bạc Liêu", 96),
}

_CITY_PREFIX = "thanh pho "


@dataclass
class AdminUnitsLoadResult:
    province: OrgUnit
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _code(value, width: int) -> str:
    """Official codes as written in documents: provinces two digits ("08"), communes five ("00004")."""
    return f"{int(value):0{width}d}"


def _short(name: str) -> str:
    folded = fold(name)
    return folded[len(_CITY_PREFIX):] if folded.startswith(_CITY_PREFIX) else folded


def find_province(text: str) -> Province:
    """The 2025 province named or coded by `text` ("Tây Ninh", "tay ninh", "TP Hồ Chí Minh", "80", "72")."""
    query = (text or "").strip()
    provinces = list(Province.iter_all())
    if query.isdigit():
        by_code = {int(p.code): p for p in provinces}
        number = int(query)
        if number in by_code:
            return by_code[number]
        old = _PRE_REFORM.get(f"{number:02d}")
        if old:
            return by_code[old[1]]
    else:
        wanted = fold(query).replace("_", " ").replace("-", " ")
        for prefix in ("tp. ", "tp ", "tinh ", "thanh pho "):
            if wanted.startswith(prefix):
                wanted = wanted[len(prefix):]
        wanted = " ".join(wanted.split())
        for p in provinces:
            if wanted in {_short(p.name), p.codename.replace("_", " ")}:
                return p
        by_code = {int(p.code): p for p in provinces}
        for old_name, new_code in _PRE_REFORM.values():
            if wanted == fold(old_name).replace("-", " ").replace("  ", " "):
                return by_code[new_code]
    names = ", ".join(p.name for p in provinces)
    raise ValidationError(
        _("No province or centrally-run city matches '%(q)s'. The 34 provinces are: %(names)s.")
        % {"q": query, "names": names}
    )


def _province_fields(p: Province) -> dict:
    return {"name": p.name, "division_type": p.division_type.value}


def _sync(existing: OrgUnit, fields: dict) -> bool:
    changed = False
    for name, value in fields.items():
        if getattr(existing, name) != value:
            setattr(existing, name, value)
            changed = True
    if changed:
        existing.search_name = fold(existing.name)
    return changed


@transaction.atomic
def admin_units_sync(*, province: str) -> AdminUnitsLoadResult:
    """Create or refresh one province and all its communes; never deletes, never moves, never duplicates."""
    p = find_province(province)
    code = _code(p.code, 2)
    result = AdminUnitsLoadResult(province=None)  # type: ignore[arg-type]
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        unit = OrgUnit(
            code=code, kind=OrgUnit.Kind.PROVINCE, path=f"/{code}/", valid_from=REFORM_DATE,
            search_name=fold(p.name), **_province_fields(p),
        )
        unit.full_clean()
        unit.save()
        result.created += 1
    elif _sync(unit, _province_fields(p)):
        unit.full_clean()
        unit.save(update_fields=["name", "division_type", "search_name"])
        result.updated += 1
    else:
        result.unchanged += 1
    result.province = unit

    wards = list(Ward.iter_by_province(p.code))
    existing = {u.code: u for u in OrgUnit.objects.filter(code__in=[_code(w.code, 5) for w in wards])}
    to_create: list[OrgUnit] = []
    to_update: list[OrgUnit] = []
    for w in wards:
        wcode = _code(w.code, 5)
        fields = {"name": w.name, "division_type": w.division_type.value}
        current = existing.get(wcode)
        if current is None:
            new = OrgUnit(
                code=wcode, kind=OrgUnit.Kind.COMMUNE, parent=unit, path=f"{unit.path}{wcode}/",
                valid_from=REFORM_DATE, search_name=fold(w.name), **fields,
            )
            # Field checks only: uniqueness is already known from `existing`, and a query per commune
            # would make the whole country (3,321 communes) slow.
            new.clean_fields()
            to_create.append(new)
        elif _sync(current, fields):
            current.clean_fields()
            to_update.append(current)
        else:
            result.unchanged += 1
    OrgUnit.objects.bulk_create(to_create, batch_size=500)
    OrgUnit.objects.bulk_update(to_update, ["name", "division_type", "search_name"], batch_size=500)
    result.created += len(to_create)
    result.updated += len(to_update)
    return result


def admin_units_load(*, province: str) -> OrgUnit:
    """Load one of the 34 provinces and its communes (idempotent); returns the province unit."""
    return admin_units_sync(province=province).province


def all_province_codes() -> list[str]:
    return [_code(p.code, 2) for p in Province.iter_all()]
