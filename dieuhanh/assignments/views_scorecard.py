"""The scorecard page: tasks that fell due in a period, completed on time or late, overdue — per unit and assigner.

The period is a period id of lib.periods (`202603`, `2026Q1`, `2026`) or a custom range (`from`, `to`); the
statuses are judged on the period's last day, or today while the period runs. Only tasks led by units in the
user's scope are counted, so a commune sees its own line; `unit` narrows to one subtree (outside the scope:
404). Every count links to the task list filtered to the same tasks, where the list's filters allow it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dieuhanh.accounts.selectors import units_in_scope
from dieuhanh.assignments.models import Occurrence, Status
from dieuhanh.assignments.scorecards import Scorecard, scorecard, scorecards_by_assigner, scorecards_by_unit
from dieuhanh.assignments.templatetags.task_ui import STATUS_COLOURS, due_bar
from dieuhanh.assignments.xlsx import XLSX_TYPE, scorecard_workbook
from dieuhanh.lib.dates import parse_date
from dieuhanh.lib.periods import Period, PeriodError, PeriodType
from dieuhanh.lib.vnformat import fold, format_number, format_percent
from dieuhanh.orgunits.models import OrgUnit

MAX_RANGE_DAYS = 366 * 10


@dataclass(frozen=True)
class Window:
    start: datetime.date
    end: datetime.date
    label: str
    period: Period | None = None  # None for a custom range


@dataclass(frozen=True)
class Cell:
    key: str
    heading: str
    text: str
    url: str | None = None


def headings(within_deadline: bool = False) -> list[tuple[str, str]]:
    """The columns: the tasks fallen due and their parts, which add up to them (paused included; those due on the
    cut day itself, still within deadline, only when there are some), then the rates."""
    within = [("within_deadline", Status.IN_PROGRESS.label)] if within_deadline else []
    return [("assigned", _("Tasks assigned")), ("due", _("Fell due")), ("done_on_time", _("Completed on time")),
            ("done_late", _("Completed late")), *within, ("overdue", _("Overdue")), ("paused_due", _("Paused")),
            ("completion_rate", _("Completion rate")), ("on_time_rate", _("On-time completion rate"))]


def window_from(params, today: datetime.date) -> tuple[Window, list[str]]:
    """The window asked for in `params`, or this year's with the problems that made us fall back to it."""
    errors: list[str] = []
    raw_from, raw_to = params.get("from", "").strip(), params.get("to", "").strip()
    if raw_from or raw_to:
        start, end = parse_date(raw_from), parse_date(raw_to)
        if start is None or end is None:
            errors.append(_("Enter both ends of the range as dates (dd/mm/yyyy)."))
        elif start > end:
            errors.append(_("The range ends before it starts."))
        elif (end - start).days > MAX_RANGE_DAYS:
            errors.append(_("Choose a range of at most ten years."))
        else:
            return Window(start, end, f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"), []
    raw_period = params.get("period", "").strip()
    if raw_period:
        try:
            period = Period.parse(raw_period)
        except PeriodError as exc:
            errors.append(str(exc))
        else:
            return Window(period.start, period.end, period.label, period), errors
    period = Period.containing(PeriodType.YEAR, today)
    return Window(period.start, period.end, period.label, period), errors


def period_choices(today: datetime.date) -> list[tuple[str, list[Period]]]:
    """The periods offered in the picker: the last years, quarters and months up to the current one."""
    year = Period.containing(PeriodType.YEAR, today)
    quarter = Period.containing(PeriodType.QUARTER, today)
    month = Period.containing(PeriodType.MONTH, today)

    def back(period: Period, count: int) -> list[Period]:
        out = [period]
        while len(out) < count:
            out.append(out[-1].previous())
        return out

    return [(str(PeriodType.YEAR.label), back(year, 3)), (str(PeriodType.QUARTER.label), back(quarter, 8)),
            (str(PeriodType.MONTH.label), back(month, 12))]


def _count(value: int) -> str:
    return format_number(value, 0)


class _Links:
    """Task-list URLs showing the tasks behind a count (the list takes unit, status, key_only, deadline range, on)."""

    def __init__(self, window: Window, cut: datetime.date, key_only: bool):
        self.base = reverse("assignments:task_list")
        self.common = {"on": cut.isoformat()}
        if key_only:
            self.common["key_only"] = "on"
        self.due_range = {"deadline_from": window.start.isoformat(), "deadline_to": cut.isoformat()}

    def __call__(self, unit=None, status: str | None = None) -> str:
        params = {**self.common, **self.due_range}
        if unit is not None:
            params["unit"] = unit.pk
        if status:
            params["status"] = status
        return f"{self.base}?{urlencode(params)}"


def _cells(card: Scorecard, links: _Links | None, unit=None, within_deadline: bool = False) -> list[Cell]:
    def link(status=None):
        return links(unit, status) if links else None

    values = {
        "assigned": (_count(card.assigned), None),
        "due": (_count(card.due), link() if card.due else None),
        "completion_rate": (format_percent(card.completion_rate), None),
        "on_time_rate": (format_percent(card.on_time_rate), None),
    }
    # The parts of `due`, each linking to the same tasks in the list (status judged on the cut day, deadline in range).
    for (status, n), key in zip(card.due_parts, DUE_PART_KEYS, strict=True):
        values[key] = (_count(n), link(status) if n else None)
    return [Cell(key, heading, *values[key]) for key, heading in headings(within_deadline)]


def scope_root(scope) -> OrgUnit | None:
    """The top unit of the user's scope when it is one subtree (the province, a commune), else None."""
    units = sorted(scope.only("pk", "path", "name", "code"), key=lambda u: u.path)
    roots = [u for u in units if not any(u.path != o.path and u.path.startswith(o.path) for o in units)]
    return roots[0] if len(roots) == 1 else None


# Provincial reports list the province's own line, then departments and agencies, then communes.
KIND_ORDER = {OrgUnit.Kind.PROVINCE: 0, OrgUnit.Kind.AGENCY: 1, OrgUnit.Kind.DISTRICT: 2, OrgUnit.Kind.COMMUNE: 3}


def report_order(unit: OrgUnit) -> tuple:
    return KIND_ORDER.get(unit.kind, 4), fold(unit.name), unit.pk


# Scorecard.due_parts, by the names of the Scorecard's fields (the cells' keys).
DUE_PART_KEYS = ("done_on_time", "done_late", "within_deadline", "overdue", "paused_due")


def legend(card: Scorecard) -> list[tuple[str, str]]:
    """(css class, label) of the bar's colours: the parts it can have (within deadline only when there is some)."""
    return [(f"bg-{STATUS_COLOURS[status]}", Status(status).label) for status, n in card.due_parts
            if n or status != Status.IN_PROGRESS]


@login_required
@require_GET
def scorecard_page(request):
    today = timezone.localdate()
    window, errors = window_from(request.GET, today)
    cut = min(window.end, today)
    key_only = request.GET.get("key_only") in ("on", "1", "true")
    scope = units_in_scope(request.user)
    chosen = None
    code = request.GET.get("unit", "").strip()
    if code:
        chosen = scope.filter(code=code).first()
        if chosen is None:
            raise Http404
    occurrences = Occurrence.objects.filter(task__lead_unit__in=scope)
    if chosen is not None:
        occurrences = occurrences.filter(task__lead_unit__path__startswith=chosen.path)
    counting = {"start": window.start, "end": window.end, "as_of": today, "key_only": key_only}
    total = scorecard(occurrences, **counting)
    links = _Links(window, cut, key_only)
    within = bool(total.within_deadline)
    unit_rows = [
        {"unit": unit, "key": unit.code, "label": unit.name, "cells": _cells(card, links, unit, within),
         "bar": due_bar(card), "card": card}
        for unit, card in sorted(scorecards_by_unit(occurrences, **counting), key=lambda row: report_order(row[0]))
    ]
    # The task list has no assigner filter, so the assigner's counts are not links.
    assigner_rows = [
        {"assigner": assigner, "key": assigner.pk, "label": str(assigner),
         "cells": _cells(card, None, within_deadline=within), "bar": due_bar(card), "card": card}
        for assigner, card in scorecards_by_assigner(occurrences, **counting)
    ]
    # The total is the chosen unit's or the whole scope's; its counts link to the list narrowed the same way,
    # since the list also shows tasks a unit only coordinates.
    top = chosen or scope_root(scope)
    name = top.name if top else ""
    if request.GET.get("format") == "xlsx":
        with translation.override(settings.LANGUAGE_CODE):  # the official layout is Vietnamese in any language
            label = window.period.label if window.period else window.label
            data = scorecard_workbook(
                scope_name=name, window_label=label, cut=cut, key_only=key_only, total=total,
                by_unit=[(row["label"], row["card"]) for row in unit_rows],
                by_assigner=[(row["label"], row["card"]) for row in assigner_rows],
            )
        response = HttpResponse(data, content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="ket-qua-nhiem-vu-{cut:%Y%m%d}.xlsx"'
        return response
    download = request.GET.copy()
    download["format"] = "xlsx"
    query = request.GET.copy()
    query.pop("format", None)
    neighbours = {}
    if window.period is not None:
        for which, period in (("previous", window.period.previous()), ("next", _next(window.period))):
            if which == "next" and period.start > today:
                continue
            query["period"] = period.id
            query.pop("from", None)
            query.pop("to", None)
            neighbours[which] = (period, f"?{query.urlencode()}")
    return render(request, "assignments/scorecard.html", {
        "window": window,
        "cut": cut,
        "today": today,
        "running": window.end > today,
        "errors": errors,
        "key_only": key_only,
        "units": scope.filter(valid_to__isnull=True).order_by("path"),
        "chosen": chosen,
        "scope_name": name,
        "download_url": f"?{download.urlencode()}",
        "total": total,
        "total_cells": _cells(total, links, top, within),
        "total_bar": due_bar(total),
        "completion_text": format_percent(total.completion_rate),
        "on_time_text": format_percent(total.on_time_rate),
        "unit_rows": unit_rows,
        "assigner_rows": assigner_rows,
        "period_choices": period_choices(today),
        "neighbours": neighbours,
        "headings": [heading for _key, heading in headings(within)],
        "legend": legend(total),
    })


def _next(period: Period) -> Period:
    """The period after `period`, of the same type (nine months: the next year's)."""
    if period.type == PeriodType.NINE_MONTHS:
        return Period(period.year + 1, period.type, period.index)
    return Period.containing(period.type, period.end + datetime.timedelta(days=1))
