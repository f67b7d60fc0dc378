"""Writes to the organisation registry. Units are never deleted: they end (`valid_to`) and lineage links them.

Lineage services take `effective_date` = the first day of the new situation; a unit that stops existing
because of the event gets `valid_to = effective_date - 1 day`, a unit created by it `valid_from = effective_date`.
"""

from __future__ import annotations

import datetime
import decimal
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from dieuhanh.lib.vnformat import fold
from dieuhanh.orgunits.models import LineageEvent, LineageShare, OrgUnit

_CODE = re.compile(r"^[A-Za-z0-9_.\-]+$")
ONE_DAY = datetime.timedelta(days=1)


def _path_for(code: str, parent: OrgUnit | None) -> str:
    return f"{parent.path if parent else '/'}{code}/"


def _fmt(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


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
    if parent is not None and valid_from and parent.valid_to and valid_from > parent.valid_to:
        raise ValidationError(
            {"parent": _("The parent unit %(p)s ended on %(d)s.") % {"p": parent.name, "d": _fmt(parent.valid_to)}}
        )
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


@transaction.atomic
def orgunit_update(
    *,
    unit: OrgUnit,
    name: str | None = None,
    division_type: str | None = None,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> OrgUnit:
    """Correct a unit's record (a typo, a missing date). A real change of name is `orgunit_rename`."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if name is not None:
        unit.name = name.strip()
        unit.search_name = fold(unit.name)
    if division_type is not None:
        unit.division_type = division_type
    if valid_from is not None:
        unit.valid_from = valid_from
    if valid_to is not None:
        unit.valid_to = valid_to
    if unit.valid_from and unit.valid_to and unit.valid_to < unit.valid_from:
        raise ValidationError({"valid_to": _("The end date cannot be before the start date.")})
    unit.full_clean()
    unit.save()
    return unit


# --- lineage ------------------------------------------------------------------------------------------------
def _check_active(unit: OrgUnit, effective_date: datetime.date, field: str) -> None:
    """`unit` must exist the day before the event and not yet have ended."""
    if unit.valid_from and effective_date <= unit.valid_from:
        raise ValidationError(
            {
                field: _("%(u)s only exists from %(d)s; the effective date must be after that.")
                % {"u": unit.name, "d": _fmt(unit.valid_from)}
            }
        )
    if unit.valid_to and unit.valid_to < effective_date:
        raise ValidationError(
            {field: _("%(u)s already ended on %(d)s.") % {"u": unit.name, "d": _fmt(unit.valid_to)}}
        )


def _end(unit: OrgUnit, effective_date: datetime.date) -> None:
    unit.valid_to = effective_date - ONE_DAY
    unit.save(update_fields=["valid_to"])


def _active_children(units: Iterable[OrgUnit], effective_date: datetime.date) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(parent__in=list(units))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=effective_date))
        .order_by("path")
    )


def _event(
    *,
    kind: str,
    effective_date: datetime.date,
    predecessors: Iterable[OrgUnit],
    successors: Iterable[OrgUnit],
    user=None,
    legal_basis: str = "",
    note: str = "",
    **fields: Any,
) -> LineageEvent:
    event = LineageEvent(
        kind=kind, effective_date=effective_date, created_by=user, legal_basis=legal_basis, note=note, **fields
    )
    event.full_clean()
    event.save()
    event.predecessors.set(list(predecessors))
    event.successors.set(list(successors))
    return event


def _new_or_existing(
    spec: OrgUnit | Mapping[str, Any], *, effective_date: datetime.date, default_parent: OrgUnit | None, field: str
) -> OrgUnit:
    if isinstance(spec, OrgUnit):
        _check_successor_active(spec, effective_date, field)
        return spec
    fields = dict(spec)
    fields.setdefault("parent", default_parent)
    fields.setdefault("valid_from", effective_date)
    missing = [k for k in ("code", "name", "kind") if not fields.get(k)]
    if missing:
        raise ValidationError({field: _("A new unit needs a code, a name and a kind.")})
    if OrgUnit.objects.filter(code=fields["code"]).exists():
        raise ValidationError({field: _("A unit with code %(c)s already exists.") % {"c": fields["code"]}})
    return orgunit_create(**fields)


def _check_successor_active(unit: OrgUnit, effective_date: datetime.date, field: str) -> None:
    if not unit.is_active_on(effective_date):
        raise ValidationError(
            {field: _("%(u)s does not exist on %(d)s.") % {"u": unit.name, "d": _fmt(effective_date)}}
        )


def _move_subtrees(units: Iterable[OrgUnit], new_parent: OrgUnit | None) -> None:
    """Put the units (and their subtrees) under `new_parent`, and bring the figures of their old and new ancestors
    up to date in the same transaction."""
    # Rollups live in the indicators app, which builds on this one: imported here, not at the top, so that loading
    # this module does not load theirs.
    from dieuhanh.indicators.rollups import rollups_lock_tree, rollups_refresh_moved

    rollups_lock_tree()  # writes of values wait, so that none reads the paths half moved
    moves = []
    for unit in units:
        old_prefix = unit.path
        new_prefix = _path_for(unit.code, new_parent)
        # One UPDATE for the whole subtree: the path is the only thing that changes below the moved unit.
        OrgUnit.objects.filter(path__startswith=old_prefix).update(
            path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1))
        )
        moves.append((unit.pk, unit.parent_id))
        OrgUnit.objects.filter(pk=unit.pk).update(parent=new_parent)
        unit.refresh_from_db(fields=["path", "parent"])
    rollups_refresh_moved(moves, new_parent.pk if new_parent else None)


@transaction.atomic
def orgunit_merge(
    *,
    predecessors: Iterable[OrgUnit],
    effective_date: datetime.date,
    successor: OrgUnit | None = None,
    new_unit: Mapping[str, Any] | None = None,
    move_children: bool = False,
    user=None,
    legal_basis: str = "",
    note: str = "",
) -> LineageEvent:
    """Several units become one: either an existing unit that absorbs them (`successor`) or a new one
    (`new_unit`: code, name, kind, parent, division_type). Predecessors end the day before; with
    `move_children`, their units still active move under the successor."""
    preds = list(predecessors)
    if not preds:
        raise ValidationError({"predecessors": _("Choose at least one unit to merge.")})
    if len({u.pk for u in preds}) != len(preds):
        raise ValidationError({"predecessors": _("A unit is listed twice among the merged units.")})
    if (successor is None) == (new_unit is None):
        raise ValidationError({"successor": _("Give either the receiving unit or the new unit, not both.")})
    if successor is not None and successor.pk in {u.pk for u in preds}:
        raise ValidationError({"successor": _("A unit cannot merge into itself.")})
    for u in preds:
        _check_active(u, effective_date, "predecessors")
    default_parent = preds[0].parent
    target = _new_or_existing(
        successor if successor is not None else new_unit,  # type: ignore[arg-type]
        effective_date=effective_date,
        default_parent=default_parent,
        field="successor",
    )
    if any(target.path.startswith(u.path) for u in preds):
        raise ValidationError({"successor": _("The receiving unit cannot lie inside a merged unit.")})
    if move_children:
        _move_subtrees(_active_children(preds, effective_date), target)
    for u in preds:
        _end(u, effective_date)
    return _event(
        kind=LineageEvent.Kind.MERGE, effective_date=effective_date, predecessors=preds, successors=[target],
        user=user, legal_basis=legal_basis, note=note,
    )


@transaction.atomic
def orgunit_split(
    *,
    predecessor: OrgUnit,
    successors: Iterable[OrgUnit | Mapping[str, Any]],
    effective_date: datetime.date,
    end_predecessor: bool = True,
    user=None,
    legal_basis: str = "",
    note: str = "",
) -> LineageEvent:
    """One unit becomes several. Each successor is an existing unit or the fields of a new one (parent
    defaults to the predecessor's parent). With `end_predecessor=False` a part splits away and the
    predecessor continues."""
    specs = list(successors)
    if not specs:
        raise ValidationError({"successors": _("Give at least one resulting unit.")})
    if end_predecessor and len(specs) < 2:
        raise ValidationError({"successors": _("A unit that ends by splitting needs at least two resulting units.")})
    _check_active(predecessor, effective_date, "predecessor")
    targets: list[OrgUnit] = []
    for spec in specs:
        if isinstance(spec, OrgUnit) and spec.pk == predecessor.pk:
            raise ValidationError({"successors": _("A unit cannot split into itself.")})
        targets.append(
            _new_or_existing(spec, effective_date=effective_date, default_parent=predecessor.parent, field="successors")
        )
    if len({t.pk for t in targets}) != len(targets):
        raise ValidationError({"successors": _("A unit is listed twice among the resulting units.")})
    if end_predecessor:
        if _active_children([predecessor], effective_date):
            raise ValidationError(
                {"predecessor": _("%(u)s still has units under it; move or end them first.") % {"u": predecessor.name}}
            )
        _end(predecessor, effective_date)
    return _event(
        kind=LineageEvent.Kind.SPLIT, effective_date=effective_date, predecessors=[predecessor], successors=targets,
        user=user, legal_basis=legal_basis, note=note,
    )


def lineage_shares_check(event: LineageEvent, shares: Mapping[OrgUnit | int, Any]) -> dict[int, decimal.Decimal]:
    """The shares as {resulting unit id: fraction}, or a ValidationError (key "shares") saying what is wrong.
    Every resulting unit gets a share above 0 and at most 1; they add up to 1 when the predecessor ended, to no more
    than 1 when it continues (it keeps the rest)."""
    if event.kind != LineageEvent.Kind.SPLIT:
        raise ValidationError({"shares": _("Only a split has allocation shares.")})
    successors = {u.pk: u for u in event.successors.all()}
    given: dict[int, decimal.Decimal] = {}
    for unit, raw in shares.items():
        unit_id = unit if isinstance(unit, int) else unit.pk
        if unit_id not in successors:
            name = unit.name if isinstance(unit, OrgUnit) else str(unit)
            raise ValidationError({"shares": _("%(u)s is not a unit resulting from this split.") % {"u": name}})
        try:
            share = decimal.Decimal(str(raw).strip().replace(",", "."))
        except decimal.InvalidOperation:
            share = None
        if share is None or not share.is_finite() or not 0 < share <= 1:
            raise ValidationError({"shares": _("The share of %(u)s must be a number above 0 and at most 1 "
                                               "(0.4 for 40%%).") % {"u": successors[unit_id].name}})
        given[unit_id] = share.quantize(decimal.Decimal("0.000001"))
    missing = [u.name for pk, u in successors.items() if pk not in given]
    if missing:
        raise ValidationError({"shares": _("Give a share for every resulting unit; missing: %(u)s.")
                               % {"u": ", ".join(sorted(missing))}})
    total = sum(given.values(), decimal.Decimal(0))
    predecessor = event.predecessors.first()
    ended = predecessor is not None and predecessor.valid_to is not None and predecessor.valid_to < event.effective_date
    if ended and abs(total - 1) > decimal.Decimal("0.000001") * len(given):
        raise ValidationError({"shares": _("The shares must add up to 100%% (they add up to %(t)s%%).")
                               % {"t": f"{total * 100:.4f}".rstrip("0").rstrip(".").replace(".", ",")}})
    if not ended and total > 1:
        raise ValidationError({"shares": _("The shares cannot add up to more than 100%.")})
    return given


@transaction.atomic
def lineage_shares_set(
    *,
    event: LineageEvent,
    shares: Mapping[OrgUnit | int, Any],
    basis: str = "",
    user=None,
) -> list[LineageShare]:
    """Set how a split unit's figures before the split are allocated: {resulting unit: fraction (0.4 for 40%)}
    (see lineage_shares_check). Setting them again replaces the previous shares. The analytics mark figures so
    allocated as estimates."""
    event = LineageEvent.objects.select_for_update().get(pk=event.pk)
    given = lineage_shares_check(event, shares)
    out = []
    for unit_id, share in given.items():
        row = LineageShare.objects.filter(event=event, orgunit_id=unit_id).first() or LineageShare(
            event=event, orgunit_id=unit_id)
        row.share, row.basis, row.updated_by = share, basis.strip(), user
        row.full_clean()
        row.save()
        out.append(row)
    return out


@transaction.atomic
def orgunit_rename(
    *,
    unit: OrgUnit,
    new_name: str,
    effective_date: datetime.date,
    user=None,
    legal_basis: str = "",
    note: str = "",
) -> LineageEvent:
    """The same unit under a new name from `effective_date`; the event keeps the old name."""
    new_name = (new_name or "").strip()
    if not new_name:
        raise ValidationError({"new_name": _("Enter the new name.")})
    if new_name == unit.name:
        raise ValidationError({"new_name": _("The new name is the same as the current one.")})
    _check_active(unit, effective_date, "effective_date")
    old_name = unit.name
    unit.name = new_name
    unit.search_name = fold(new_name)
    unit.full_clean()
    unit.save(update_fields=["name", "search_name"])
    return _event(
        kind=LineageEvent.Kind.RENAME, effective_date=effective_date, predecessors=[unit], successors=[unit],
        user=user, legal_basis=legal_basis, note=note, old_name=old_name, new_name=new_name,
    )


@transaction.atomic
def orgunit_move(
    *,
    unit: OrgUnit,
    new_parent: OrgUnit | None,
    effective_date: datetime.date,
    user=None,
    legal_basis: str = "",
    note: str = "",
) -> LineageEvent:
    """Put `unit` (and its whole subtree) under `new_parent`; every descendant's path follows."""
    unit.refresh_from_db()
    old_parent = unit.parent
    if (old_parent.pk if old_parent else None) == (new_parent.pk if new_parent else None):
        raise ValidationError({"new_parent": _("The unit is already under that parent.")})
    if new_parent is not None:
        new_parent.refresh_from_db()
        if new_parent.path.startswith(unit.path):
            raise ValidationError({"new_parent": _("A unit cannot be moved under itself or one of its own units.")})
        _check_successor_active(new_parent, effective_date, "new_parent")
    _check_active(unit, effective_date, "effective_date")
    _move_subtrees([unit], new_parent)
    return _event(
        kind=LineageEvent.Kind.MOVE, effective_date=effective_date, predecessors=[unit], successors=[unit],
        user=user, legal_basis=legal_basis, note=note, old_parent=old_parent, new_parent=new_parent,
    )


@transaction.atomic
def orgunit_end(
    *,
    unit: OrgUnit,
    effective_date: datetime.date,
    with_descendants: bool = False,
) -> OrgUnit:
    """The unit stops existing from `effective_date` (valid to the day before). Its data stays.
    Units still active under it must be ended too (`with_descendants`) or moved first."""
    _check_active(unit, effective_date, "effective_date")
    below = [
        u for u in unit.descendants(include_self=False) if u.valid_to is None or u.valid_to >= effective_date
    ]
    if below and not with_descendants:
        raise ValidationError(
            {"unit": _("%(u)s still has %(n)d active unit(s) under it.") % {"u": unit.name, "n": len(below)}}
        )
    for u in below:
        u.valid_to = effective_date - ONE_DAY
    OrgUnit.objects.bulk_update(below, ["valid_to"])
    _end(unit, effective_date)
    return unit


# Re-exported: bulk loading of the official province/commune list lives in its own module.
from dieuhanh.orgunits.admin_units import admin_units_load, admin_units_sync  # noqa: E402,F401
