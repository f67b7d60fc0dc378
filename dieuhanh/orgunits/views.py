"""The organisation registry pages: the tree of units in the user's scope, search, and a unit's record."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import get_unit_or_404, has_role, units_in_scope
from dieuhanh.lib.vnformat import format_number
from dieuhanh.orgunits.forms import MergeForm, MoveForm, RenameForm, SplitForm
from dieuhanh.orgunits.models import LineageEvent, OrgUnit
from dieuhanh.orgunits.selectors import lineage_of, roots_in_scope, units_search
from dieuhanh.orgunits.services import orgunit_merge, orgunit_move, orgunit_rename, orgunit_split

# Groups with more units than this start collapsed, so a province's ~100 communes do not flood the page.
OPEN_GROUP_MAX = 24
KIND_ORDER = [k.value for k in (OrgUnit.Kind.PROVINCE, OrgUnit.Kind.DISTRICT, OrgUnit.Kind.COMMUNE,
                                OrgUnit.Kind.AGENCY, OrgUnit.Kind.ENTERPRISE)]


def _annotate(units: list[OrgUnit], today: datetime.date) -> None:
    for u in units:
        u.ended = u.valid_to is not None and u.valid_to < today
        # "hết hiệu lực từ" names the first day the unit no longer exists.
        u.ended_from = u.valid_to + datetime.timedelta(days=1) if u.valid_to else None


def _kind_groups(units: list[OrgUnit]) -> list[dict]:
    """Units grouped by kind in a fixed order, with counts by division type ("82 xã, 14 phường")."""
    by_kind: dict[str, list[OrgUnit]] = defaultdict(list)
    for u in units:
        by_kind[u.kind].append(u)
    groups = []
    for kind in KIND_ORDER:
        members = sorted(by_kind.get(kind, []), key=lambda u: (u.ended, u.search_name))
        if not members:
            continue
        types = Counter(u.division_type for u in members if u.division_type)
        groups.append({
            "kind": kind,
            "label": OrgUnit.Kind(kind).label,
            "units": members,
            "count": len(members),
            "ended": sum(1 for u in members if u.ended),
            "types": sorted(types.items(), key=lambda item: -item[1]),
            "open": len(members) <= OPEN_GROUP_MAX,
        })
    return groups


@login_required
def unit_tree(request):
    query = request.GET.get("q", "").strip()
    results = None
    if query:
        results = list(units_search(request.user, query))
        _annotate(results, timezone.localdate())
    if request.headers.get("HX-Request") and request.GET.get("partial") == "search":
        return render(request, "orgunits/_search_results.html", {"query": query, "results": results})

    today = timezone.localdate()
    units = list(units_in_scope(request.user).select_related("parent"))
    _annotate(units, today)
    children: dict[int, list[OrgUnit]] = defaultdict(list)
    for u in units:
        children[u.parent_id].append(u)
    roots = roots_in_scope(units)
    trees = []
    for root in roots:
        below = [u for u in units if u.path.startswith(root.path) and u.pk != root.pk]
        trees.append({"root": root, "groups": _kind_groups(below), "count": len(below)})
    kind_counts = [(g["label"], format_number(g["count"], 0)) for g in _kind_groups(units)]
    context = {
        "trees": trees,
        "total": len(units),
        "total_display": format_number(len(units), 0),
        "kind_counts": kind_counts,
        "ended_total": sum(1 for u in units if u.ended),
        "query": query,
        "results": results,
        # Many roots (a national administrator): collapse each root, or the page carries thousands of links.
        "collapse_roots": len(roots) > 3,
    }
    return render(request, "orgunits/tree.html", context)


@login_required
def unit_detail(request, code: str):
    unit = get_unit_or_404(request.user, code)
    today = timezone.localdate()
    visible = units_in_scope(request.user)
    visible_ids = set(visible.values_list("pk", flat=True))
    ancestor_codes = [c for c in unit.path.strip("/").split("/")[:-1] if c]
    ancestors = sorted(OrgUnit.objects.filter(code__in=ancestor_codes), key=lambda u: u.depth)
    below = list(visible.filter(path__startswith=unit.path).exclude(pk=unit.pk).select_related("parent"))
    lineage = lineage_of(unit)
    everything = [unit, *ancestors, *below, *lineage.predecessors, *lineage.successors]
    for event in lineage.events:
        everything += [*event.predecessors.all(), *event.successors.all()]
    _annotate(everything, today)
    for u in everything:
        u.visible = u.pk in visible_ids
    context = {
        "unit": unit,
        "ancestors": ancestors,
        "groups": _kind_groups(below),
        "below_count": len(below),
        "lineage": lineage,
        "can_change": has_role(request.user, Role.ADMIN, unit),
    }
    return render(request, "orgunits/detail.html", context)


CHANGE_FORMS = {"rename": RenameForm, "move": MoveForm, "merge": MergeForm, "split": SplitForm}


def _change_apply(action: str, form, unit: OrgUnit, user) -> LineageEvent:
    data, common = form.cleaned_data, form.common()
    like_unit = {"kind": unit.kind, "division_type": unit.division_type}  # new units are of the same kind
    if action == "rename":
        return orgunit_rename(unit=unit, new_name=data["new_name"], user=user, **common)
    if action == "move":
        return orgunit_move(unit=unit, new_parent=data["parent_unit"], user=user, **common)
    if action == "merge":
        target = {"successor": data["into_unit"]} if data.get("into_unit") else {
            "new_unit": {"code": data["new_code"].strip(), "name": data["new_name"].strip(), **like_unit}}
        return orgunit_merge(predecessors=[unit, *data["other_units"]], move_children=data["move_children"],
                             user=user, **target, **common)
    specs = [s if isinstance(s, OrgUnit) else {**s, **like_unit} for s in data["specs"]]
    return orgunit_split(predecessor=unit, successors=specs, end_predecessor=not data["keep"], user=user, **common)


@login_required
def unit_change(request, code: str):
    """Record a rename, move, merge or split of a unit (administrators of its subtree only)."""
    unit = get_unit_or_404(request.user, code, Role.ADMIN)
    scope = units_in_scope(request.user, Role.ADMIN)
    action = request.POST.get("action") if request.method == "POST" else request.GET.get("action", "rename")
    if action not in CHANGE_FORMS:
        action = "rename"
    forms = {name: cls(scope=scope, prefix=name) for name, cls in CHANGE_FORMS.items()}
    if request.method == "POST":
        form = forms[action] = CHANGE_FORMS[action](request.POST, scope=scope, prefix=action)
        if form.is_valid():
            try:
                with transaction.atomic():
                    event = _change_apply(action, form, unit, request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Recorded: %(change)s from %(date)s.") % {
                    "change": event.get_kind_display().lower(), "date": f"{event.effective_date:%d/%m/%Y}"})
                unit.refresh_from_db()
                return redirect("orgunits:detail", code=unit.code)
    return render(request, "orgunits/change.html", {"unit": unit, "forms": forms, "action": action})
