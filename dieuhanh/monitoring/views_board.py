"""The systems board `/systems/` for the operations room: every system the user may see with its state, its 90
daily uptime bars and its 24-hour and 30-day uptime, the open incidents on top; `?wall=1` is the same board dark
and in large type for the room's 1920×1080 and 3840×2160 screens, refreshed every minute. The public status page
`/status/` shows the systems opted in, without login and without any internal detail.

A thousand systems are read in a fixed number of queries (views_figures) and their bars drawn by the page's
script from one short attribute per system."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dieuhanh.monitoring.models import Incident, State
from dieuhanh.monitoring.selectors_security import security_units_visible, security_year_figures
from dieuhanh.monitoring.uptime import Scope
from dieuhanh.monitoring.views_common import (
    STATE_COLOURS,
    STATE_ORDER,
    manageable_systems,
    public_systems,
    uptime_text,
    visible_systems,
)
from dieuhanh.monitoring.views_figures import board_figures

WALL_TILES = 48  # what reads from across the room on one screen; the rest are counted
WALL_INCIDENTS = 6
REFRESH_SECONDS = 60
OPEN = (Incident.Status.OPEN, Incident.Status.ACKNOWLEDGED)


@dataclass(frozen=True, slots=True)
class BoardSystem:
    """What a row shows of its system (read as plain values: a thousand model instances cost more than the
    page's figures)."""

    pk: int
    code: str
    name: str
    state: str


@dataclass(slots=True)
class Row:
    system: BoardSystem
    state_label: str
    colour: str
    bars: str
    bars_mean: str
    day: str
    month: str
    owner: str


def board_rows(systems, *, now=None) -> list[Row]:
    """The board's rows, systems in trouble first, then by name."""
    found = list(systems.order_by().values_list("pk", "code", "name", "state", "owner__name"))
    figures = board_figures(Scope([s[0] for s in found], systems.values("pk")), now=now)
    labels = {value: str(label) for value, label in State.choices}  # translated once, not a thousand times
    rows = []
    for pk, code, name, state, owner in found:
        f = figures[pk]
        rows.append(Row(BoardSystem(pk, code, name, state), labels.get(state, state),
                        STATE_COLOURS.get(state, "secondary"), f.bars_text, uptime_text(f.bars_total.ratio),
                        uptime_text(f.day), uptime_text(f.month), owner))
    rows.sort(key=lambda r: (STATE_ORDER.get(r.system.state, 9), r.system.name, r.system.pk))
    return rows


def rows_html(rows: list[Row]) -> str:
    """The board's rows as HTML, written here rather than by the template: a thousand rows through the template
    engine took longer than everything else the page does (issue #12 asks for p95 < 100 ms). Text that people
    type (names) is escaped; codes are slugs, and states, bars and figures are made of digits and signs."""
    url = reverse("monitoring:system_detail", args=["-code-"])
    t_bars, t_day, t_month = escape(_("Uptime over 90 days:")), escape(_("24 hours")), escape(_("30 days"))
    out = []
    for r in rows:
        code, state = r.system.code, r.system.state
        out.append(
            f'<div class="board-row" data-code="{code}" data-state="{state}">\n<div class="board-name">\n'
            f'<span class="badge text-bg-{r.colour} state-badge" data-state="{state}">{escape(r.state_label)}</span>\n'
            f'<a href="{url.replace("-code-", code)}" class="fw-semibold text-decoration-none">'
            f'{escape(r.system.name)}</a>\n<div class="mon-meta">{escape(r.owner)}</div>\n</div>\n'
            f'<div class="board-bars"><div class="uptime-bars" data-bars="{r.bars}" role="img" '
            f'aria-label="{t_bars} {r.bars_mean}"><noscript>{r.bars_mean}</noscript></div></div>\n'
            f'<div class="board-num" data-label="{t_day}">{r.day}</div>\n'
            f'<div class="board-num" data-label="{t_month}">{r.month}</div>\n</div>\n')
    return mark_safe("".join(out))  # noqa: S308  (what could hold markup is escaped)


def state_counts(rows: list[Row]) -> list[tuple[str, str, str, int]]:
    """(state, label, colour, count) for the states present, worst first."""
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.system.state] = counts.get(r.system.state, 0) + 1
    return [(s, State(s).label, STATE_COLOURS[s], counts[s]) for s in sorted(counts, key=STATE_ORDER.get)]


@login_required
@require_GET
def board(request):
    systems = visible_systems(request.user).filter(active=True)
    rows = board_rows(systems)
    incidents = (Incident.objects.filter(system__in=systems.values("pk"), status__in=OPEN)
                 .select_related("system").order_by("-started_at"))
    wall = request.GET.get("wall") == "1"
    context = {
        "rows": rows, "counts": state_counts(rows), "incidents": list(incidents[:WALL_INCIDENTS if wall else 50]),
        "incident_count": incidents.count(), "refreshed_at": timezone.localtime(),
        "manages": manageable_systems(request.user).exists(),
        "refresh_seconds": REFRESH_SECONDS,
    }
    if wall:
        context["tiles"] = rows[:WALL_TILES]
        context["more"] = max(len(rows) - WALL_TILES, 0)
        # The wall fetches its panels again every minute (HTMX): only the panels then.
        partial = request.headers.get("HX-Request")
        return render(request, f"monitoring/board_wall{'_panels' if partial else ''}.html", context)
    context["rows_html"] = rows_html(rows)
    return render(request, "monitoring/board.html", context)


@require_GET
def status_page(request):
    """The citizens' page: systems opted in, their state and bars, the current incidents' titles and start."""
    systems = public_systems()
    rows = board_rows(systems)
    incidents = (Incident.objects.filter(system__in=systems.values("pk"), status__in=OPEN)
                 .select_related("system").order_by("-started_at").only("title", "started_at", "system__name"))
    all_up = all(r.system.state == State.UP for r in rows)
    return render(request, "monitoring/status.html", {
        "rows": rows, "incidents": incidents, "all_up": all_up, "refreshed_at": timezone.localtime()})


PANEL_INCIDENTS = 5


def systems_panel(user, *, now=None) -> dict | None:
    """The overview's systems panel (templates/monitoring/_panel_systems.html, context name `systems_panel`):
    the count of systems in each state, the 30-day uptime of the whole scope, the latest open incidents, and the
    year's information-security incidents in the reader's scope (how many, how many serious, how many still being
    handled: `security_year_figures`, the year-end report's figures too). None for someone who sees no system (the
    panel is then left out)."""
    systems = visible_systems(user).filter(active=True)
    counts: dict[str, int] = {}
    for state in systems.values_list("state", flat=True):
        counts[state] = counts.get(state, 0) + 1
    if not counts:
        return None
    now = now or timezone.now()
    figures = board_figures(systems, now=now, days=1)
    months = [f.month for f in figures.values() if f.month is not None]
    incidents = (Incident.objects.filter(system__in=systems.values("pk"), status__in=OPEN)
                 .select_related("system").order_by("-started_at"))
    return {
        "counts": [(s, State(s).label, STATE_COLOURS[s], counts[s]) for s in sorted(counts, key=STATE_ORDER.get)],
        "total": sum(counts.values()),
        "month": uptime_text(sum(months) / len(months) if months else None),
        "incidents": list(incidents[:PANEL_INCIDENTS]),
        "incident_count": incidents.count(),
        "security": security_year_figures(timezone.localdate(now).year, units=security_units_visible(user)),
    }
