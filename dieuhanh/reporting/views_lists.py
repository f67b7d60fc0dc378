"""The form list (what the user has to report or follow) and a form's completeness page for one period."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.lib.periods import Period, PeriodType
from dieuhanh.lib.vnformat import format_percent
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.reporting.completeness import (
    Completeness,
    State,
    completeness,
    local_today,
    period_to_report,
    recent_periods,
)
from dieuhanh.reporting.models import ReportForm
from dieuhanh.reporting.services import period_check

# A reporter usually enters data for one or two units; an administrator of a province could enter for a hundred,
# and a hundred links would bury the list, so beyond this they go through the completeness page.
ENTRY_LINKS_MAX = 5
OVERDUE = "overdue"


def url_or_none(name: str, *args) -> str | None:
    """The URL, or None if the page is not (yet) wired: a list must not break because another page is missing."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@dataclass
class FormItem:
    form: ReportForm
    period: Period
    summary: Completeness
    completeness_url: str
    recent: list[tuple[Period, str]]  # (period, completeness url) for the period selector
    entry_links: list[tuple[OrgUnit, str]]

    @property
    def period_type_label(self) -> str:
        return PeriodType(self.form.period_type).label

    @property
    def on_time_text(self) -> str:
        return format_percent(self.summary.on_time_rate)


@login_required
def form_list(request):
    scope = units_in_scope(request.user)
    reporter_scope = units_in_scope(request.user, Role.REPORTER)
    today = local_today()
    forms = ReportForm.objects.filter(active=True, units__in=scope).distinct().order_by("code")
    items = []
    for form in forms:
        period = period_to_report(form, today)
        summary = completeness(form, period, units=scope, today=today)
        reporter_pks = _pks(reporter_scope, summary)
        mine = [row.unit for row in summary.rows if row.unit.pk in reporter_pks]
        entry_links = []
        if len(mine) <= ENTRY_LINKS_MAX:
            links = [(u, url_or_none("reporting:entry", form.pk, u.code, period.id)) for u in mine]
            entry_links = [(u, url) for u, url in links if url]
        items.append(FormItem(
            form=form,
            period=period,
            summary=summary,
            completeness_url=reverse("reporting:completeness", args=[form.pk, period.id]),
            recent=[(p, reverse("reporting:completeness", args=[form.pk, p.id])) for p in recent_periods(period)[1:]],
            entry_links=entry_links,
        ))
    # The CSV import accepts values only for units where the user reports: no point offering it to anyone else.
    can_import = reporter_scope.exists()
    return render(request, "reporting/form_list.html", {"items": items, "today": today, "can_import": can_import})


def _pks(units, summary: Completeness) -> set[int]:
    """Which of the summary's units are also in `units` (one query)."""
    return set(units.filter(pk__in=[row.unit.pk for row in summary.rows]).values_list("pk", flat=True))


@login_required
def completeness_page(request, form_id: int, period: str):
    form = get_object_or_404(ReportForm, pk=form_id, active=True)
    scope = units_in_scope(request.user)
    # The same 404 for a form the user has nothing to do with as for one that does not exist.
    if not form.units.filter(pk__in=scope.values("pk")).exists():
        raise Http404
    try:
        parsed = period_check(form, period)
    except ValidationError as exc:
        raise Http404 from exc
    today = local_today()
    result = completeness(form, parsed, units=scope, today=today)
    # ?state=… shows only the units in that state (or "overdue"); the totals stay those of all units.
    shown = request.GET.get("state", "")
    if shown not in {*State, OVERDUE}:
        shown = ""
    rows = [
        {"row": row, "entry_url": url_or_none("reporting:entry", form.pk, row.unit.code, parsed.id)}
        for row in result.rows
        if not shown or row.state == shown or (shown == OVERDUE and row.overdue)
    ]
    previous = parsed.previous()
    following = parsed.next()
    # Offer the next period only up to the one being prepared now: further ones have nothing to show.
    show_next = following <= period_to_report(form, today).next()
    return render(request, "reporting/completeness.html", {
        "form": form,
        "period": parsed,
        "result": result,
        "rows": rows,
        "shown": shown,
        "on_time_text": format_percent(result.on_time_rate),
        "reported_text": format_percent(result.reported_rate),
        "late": result.reported - result.on_time,
        "on_time_width": _width(result.on_time, result.expected),
        "late_width": _width(result.reported - result.on_time, result.expected),
        "deadline_rule": form.deadline_rule.describe(),
        "period_type_label": PeriodType(form.period_type).label,
        "previous": previous,
        "previous_url": reverse("reporting:completeness", args=[form.pk, previous.id]),
        "next": following if show_next else None,
        "next_url": reverse("reporting:completeness", args=[form.pk, following.id]) if show_next else None,
        "recent": [(p, reverse("reporting:completeness", args=[form.pk, p.id]))
                   for p in recent_periods(period_to_report(form, today), 12)],
    })


def _width(part: int, whole: int) -> str:
    """A CSS width in percent with a dot as decimal separator, whatever the language."""
    return "0" if not whole else f"{100 * part / whole:.2f}"
