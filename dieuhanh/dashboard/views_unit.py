"""One department's or commune's page: its indicators (latest figures and comparisons), its reporting (forms and
states for the current period, links to entry and completeness) and its tasks (scorecard, overdue list).

A province has hundreds of indicators: they are grouped by sector (chips with counts at the top, a section each),
filtered by a search box (name or code, with or without diacritics), and only the first sectors' figures are
computed with the page. The other sections stay folded until their chip or button asks for their rows (HTMX, from
`unit_indicators`), a long sector a page of rows at a time: the page answers fast and stays short, so the reporting
and tasks below are a short scroll away even on a phone.

Any reading role on the unit (or above it) opens the page and its fragments; a unit outside the user's scope
answers 404.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import get_unit_or_404, roles_on, units_in_scope
from dieuhanh.assignments.models import Status
from dieuhanh.assignments.selectors import task_rows
from dieuhanh.dashboard import cards as kpi
from dieuhanh.dashboard import datacache
from dieuhanh.dashboard.views_overview import completeness_rows, task_panels
from dieuhanh.indicators.models import DataValue, Indicator, Sector, ValueRollup, ValueState
from dieuhanh.lib.periods import Period
from dieuhanh.lib.vnformat import fold
from dieuhanh.reporting.completeness import local_today

OVERDUE_SHOWN = 15
LOOKBACK = 3
EAGER = 20  # indicators whose figures come with the page: whole sectors, in order, while they fit (at least one)
PAGE = 20  # rows of one sector per request; a "show more" row asks for the next ones


@dataclass
class SectorRows:
    """One sector of the unit's indicators (those matching the search) and the rows computed so far: those of
    `indicators[start:start + len(cards)]`. A sector not loaded shows its heading and loads its rows on demand."""

    sector: Sector
    indicators: list[Indicator]
    start: int = 0
    cards: list[kpi.Kpi] = field(default_factory=list)
    loaded: bool = False
    query: str = ""  # the fragment's query string for the rows after these
    page_query: str = ""  # the page's, with this sector in full (without JavaScript)

    @property
    def remaining(self) -> int:
        return max(len(self.indicators) - self.start - len(self.cards), 0)  # a start past the end: none left


def _matches(indicator: Indicator, words: list[str]) -> bool:
    """Every word starts a word of the name ("doanh thu vien" finds "Doanh thu viễn thông"; "y te" does not find
    "Tỷ lệ … Internet"), the code or a part of it ("dt_vt" and "vt" find DT_VT)."""
    code = fold(indicator.code)
    starts = [code, *re.split(r"[_.\-]+", code), *re.split(r"[^a-z0-9]+", fold(indicator.name))]
    return all(any(start.startswith(word) for start in starts) for word in words)


def _sectors(indicators: list[Indicator], q: str) -> list[SectorRows]:
    """The indicators matching `q` (with or without diacritics), grouped by sector in catalogue order."""
    words = [w for w in re.split(r"[^a-z0-9_.\-]+", fold(q)) if w]
    groups: dict[int, SectorRows] = {}
    for indicator in indicators:
        if words and not _matches(indicator, words):
            continue
        groups.setdefault(indicator.sector_id, SectorRows(indicator.sector, [])).indicators.append(indicator)
    return sorted(groups.values(), key=lambda g: (g.sector.order, g.sector.name))


def _fill(groups: list[SectorRows], unit, today, q: str, *, start: int = 0, limit: int | None = PAGE) -> None:
    """Compute the rows of `groups` from `start` (at most `limit` per sector), with one analytics pass for all."""
    chunks = {g.sector.pk: g.indicators[start:start + limit if limit else None] for g in groups}
    specs = [kpi.CardSpec("kpi", indicator=i) for chunk in chunks.values() for i in chunk]
    cards = {c.indicator.pk: c for c in kpi.kpis(specs, unit, today, lookback=LOOKBACK)}
    for group in groups:
        group.start, group.loaded = start, True
        group.cards = [cards[i.pk] for i in chunks[group.sector.pk] if i.pk in cards]
    _link(groups, q)


def _link(groups: list[SectorRows], q: str) -> None:
    search = {"q": q} if q else {}
    for group in groups:
        group.query = urlencode({"sector": group.sector.code, "start": group.start + len(group.cards), **search})
        group.page_query = urlencode({"sector": group.sector.code, **search})


def _latest_change(unit, indicators: list[Indicator], today) -> str:
    """"Số liệu đến …" of the whole page without computing every row: the latest change behind the unit's figures
    of this year and the last (its rollup rows and its own values)."""
    ids = [i.pk for i in indicators]
    since = str(today.year - 1)  # period ids start with their year: "2025", "2025Q1", "202501"
    moments = [
        rows.filter(orgunit=unit, indicator_id__in=ids, period__gte=since).aggregate(m=Max("updated_at"))["m"]
        for rows in (ValueRollup.objects.all(), DataValue.objects.filter(state__gte=ValueState.counted()))
    ]
    return kpi.moment_text(max((m for m in moments if m), default=None))


def _sections(unit, indicators: list[Indicator], today, q: str, expand: str = "") -> dict:
    """The indicator sections: whole sectors computed while they fit in EAGER rows (the first one always, and the
    `expand` one in full: the page without JavaScript), the others left to load."""
    groups = _sectors(indicators, q)
    budget, eager = EAGER, []
    for group in groups:
        if not eager or len(group.indicators) <= budget:
            eager.append(group)
            budget -= len(group.indicators)
        else:
            budget = 0
    expanded = [g for g in groups if g.sector.code == expand]
    _fill([g for g in eager if g not in expanded], unit, today, q)
    _fill(expanded, unit, today, q, limit=None)
    _link([g for g in groups if not g.loaded], q)
    return {"sectors": groups, "q": q, "matches": sum(len(g.indicators) for g in groups),
            "rows_url": reverse("dashboard:unit_indicators", args=[unit.code])}


DRAFTS_SHOWN = 30


@dataclass
class DraftRow:
    indicator: Indicator
    period: str
    kind: str
    value: str


def own_drafts(user, unit) -> list[DraftRow]:
    """The unit's figures still in a draft or returned report, for the people who enter and approve them: shown
    apart, marked "bản nháp", never in the figures above (which count reported values only)."""
    if not roles_on(user, unit) & {Role.REPORTER, Role.APPROVER}:
        return []
    values = (DataValue.objects.filter(orgunit=unit, state=ValueState.DRAFT).select_related("indicator")
              .order_by("-period", "indicator__code", "kind")[:DRAFTS_SHOWN])
    return [DraftRow(v.indicator, Period.parse(v.period).label, v.get_kind_display(),
                     kpi.with_unit(v.indicator, v.value)) for v in values]


@login_required
@require_GET
def unit_page(request, code):
    unit = get_unit_or_404(request.user, code)
    q, sector = request.GET.get("q", "").strip(), request.GET.get("sector", "")
    # The same page for everyone with the same roles on the same units, until the next write.
    key = ("unit", datacache.scope_key(request.user), unit.pk, q, sector, local_today(), timezone.localdate())
    context = datacache.cached(key, lambda: unit_context(request, unit, q, sector))
    return render(request, "dashboard/unit.html", context)


def unit_context(request, unit, q: str, sector: str) -> dict:
    scope = units_in_scope(request.user)
    today = local_today()
    indicators = kpi.unit_indicators(unit)
    # No sparklines here: a province lists hundreds of indicators, each read at the latest of its last 3 periods.
    sections = _sections(unit, indicators, today, q, sector)
    reporting = completeness_rows(unit, scope, today)
    for row in reporting:
        own = [r for r in row.result.rows if r.unit.pk == unit.pk]
        row.own = own[0] if own else None
        row.entry_url = (reverse("reporting:entry", args=[row.form.pk, unit.code, row.result.period.id])
                         if row.own else "")
    children = list(scope.filter(parent=unit).order_by("kind", "search_name")[:200])
    overdue = task_rows(request.user, on=timezone.localdate(), unit=unit, status=Status.OVERDUE)
    return {
        "unit": unit,
        **sections,
        "indicator_count": len(indicators),
        "as_of": _latest_change(unit, indicators, today),
        "reporting": reporting,
        "tasks": task_panels(unit, scope, timezone.localdate()),
        "overdue": overdue[:OVERDUE_SHOWN],
        "overdue_count": len(overdue),
        "task_list_url": reverse("assignments:task_list") + f"?unit={unit.pk}",
        "overdue_url": reverse("assignments:task_list") + f"?unit={unit.pk}&status={Status.OVERDUE}",
        "children": children,
        "parent": unit.parent if unit.parent_id and scope.filter(pk=unit.parent_id).exists() else None,
        "drafts": own_drafts(request.user, unit),
    }


@login_required
@require_GET
def unit_indicators(request, code):
    """Fragments of the indicator sections: with `sector`, a page of that sector's rows from `start` (and a "show
    more" row); without, every section for the search `q` (the search box swaps them in)."""
    unit = get_unit_or_404(request.user, code)
    today = local_today()
    q = request.GET.get("q", "").strip()
    indicators = kpi.unit_indicators(unit)
    sector = request.GET.get("sector")
    if sector is None:
        response = render(request, "dashboard/_unit_sectors.html",
                          {"unit": unit, **_sections(unit, indicators, today, q)})
        # The address bar follows the search: a reload or a shared link shows the same list.
        page = reverse("dashboard:unit", args=[unit.code])
        response["HX-Replace-Url"] = f"{page}?{urlencode({'q': q})}" if q else page
        return response
    group = next((g for g in _sectors(indicators, q) if g.sector.code == sector), None)
    if group is None:
        raise Http404
    try:
        start = max(int(request.GET.get("start", 0)), 0)
    except ValueError:
        start = 0
    _fill([group], unit, today, q, start=start)
    return render(request, "dashboard/_unit_rows.html", {"unit": unit, "group": group,
                                                          "rows_url": reverse("dashboard:unit_indicators",
                                                                              args=[unit.code])})
