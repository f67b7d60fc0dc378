"""Reads of the organisation registry, scoped to what the user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.lib.vnformat import fold
from dieuhanh.orgunits.models import LineageEvent, OrgUnit


def units_search(user, query: str, *, limit: int = 50) -> QuerySet[OrgUnit]:
    """Units in scope whose name or code matches `query`, with or without diacritics ("hung dien")."""
    words = fold(query).split()
    qs = units_in_scope(user)
    for word in words:
        qs = qs.filter(Q(search_name__contains=word) | Q(code__iexact=word))
    return qs.select_related("parent").order_by("search_name")[:limit] if words else qs.none()


def roots_in_scope(units: list[OrgUnit]) -> list[OrgUnit]:
    """The top units of the visible forest: those whose parent is not visible."""
    visible = {u.pk for u in units}
    return [u for u in units if u.parent_id not in visible]


@dataclass
class Lineage:
    """Where a unit comes from and what it became, following merges and splits transitively."""

    unit: OrgUnit
    events: list[LineageEvent] = field(default_factory=list)  # events touching this unit, oldest first
    predecessors: list[OrgUnit] = field(default_factory=list)  # all ancestors in lineage, nearest first
    successors: list[OrgUnit] = field(default_factory=list)  # all descendants in lineage, nearest first


def _walk(start: OrgUnit, step) -> list[OrgUnit]:
    seen = {start.pk}
    found: list[OrgUnit] = []
    frontier = [start]
    while frontier:
        nxt = []
        for unit in step(frontier).order_by("path"):
            if unit.pk not in seen:
                seen.add(unit.pk)
                found.append(unit)
                nxt.append(unit)
        frontier = nxt
    return found


def lineage_of(unit: OrgUnit) -> Lineage:
    events = list(
        LineageEvent.objects.filter(Q(predecessors=unit) | Q(successors=unit))
        .distinct()
        .select_related("old_parent", "new_parent", "created_by")
        .prefetch_related("predecessors", "successors")
        .order_by("effective_date", "id")
    )
    # Renames and moves keep the unit itself on both sides; only merges and splits lead to other units.
    chain_kinds = [LineageEvent.Kind.MERGE, LineageEvent.Kind.SPLIT]
    predecessors = _walk(
        unit,
        lambda units: OrgUnit.objects.filter(
            lineage_as_predecessor__successors__in=units, lineage_as_predecessor__kind__in=chain_kinds
        ).distinct(),
    )
    successors = _walk(
        unit,
        lambda units: OrgUnit.objects.filter(
            lineage_as_successor__predecessors__in=units, lineage_as_successor__kind__in=chain_kinds
        ).distinct(),
    )
    return Lineage(unit=unit, events=events, predecessors=predecessors, successors=successors)


def active_on(qs: QuerySet[OrgUnit], day: datetime.date) -> QuerySet[OrgUnit]:
    return qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
