"""The sections written from the issuer's work rather than the indicators: its tasks (the scorecard), its systems and
information security, and the commendations to its people and collectives.

Each reads the owning app's one definition — the scorecard of `dieuhanh.assignments.scorecards` (completion rate,
on-time rate), `security_year_figures` of the monitoring app, the award register — and only words it.

`figures` keys: `tasks.assigned`, `tasks.due`, `tasks.completed`, `tasks.completion_rate`, `tasks.on_time`,
`tasks.late`, `tasks.overdue` (and `tasks.key.*` for key tasks); `security.incidents`, `security.serious`,
`security.closed`, `security.open`, `uptime.<system code>`;
`commendations.<authority code>.<form's name>.collectives` / `.individuals`.
"""

from __future__ import annotations

import datetime
import re

from django.utils.translation import pgettext

from dieuhanh.assignments.models import Occurrence, Task
from dieuhanh.assignments.scorecards import Scorecard, occurrences_in, scorecard, scorecards_by_unit
from dieuhanh.commendations.models import AwardKind
from dieuhanh.commendations.selectors import YearSummaryLine, year_summary
from dieuhanh.lib.officialdoc import Paragraph, Table
from dieuhanh.lib.periods import Period
from dieuhanh.lib.vnformat import format_number, format_percent
from dieuhanh.monitoring.models import SystemMonth
from dieuhanh.monitoring.models_security import SecurityIncident
from dieuhanh.monitoring.selectors_security import security_year_figures
from dieuhanh.monitoring.views_common import uptime_text
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.reports.narrative import lower_first
from dieuhanh.reports.sections import ReportScope, SectionContent


def _count(value: int) -> str:
    return format_number(value, 0)


def within(period: Period) -> str:
    """"Trong năm 2026", "Trong quý III/2026", "Trong 9 tháng năm 2026"."""
    return pgettext("report", "In %(period)s") % {"period": lower_first(period.label)}


# --- tasks ---------------------------------------------------------------------------------------------------------
def _card_figures(card: Scorecard, prefix: str) -> dict[str, str]:
    figures = {f"{prefix}.assigned": _count(card.assigned), f"{prefix}.due": _count(card.due),
               f"{prefix}.completed": _count(card.completed), f"{prefix}.on_time": _count(card.done_on_time),
               f"{prefix}.late": _count(card.done_late), f"{prefix}.overdue": _count(card.overdue)}
    if card.completion_rate is not None:
        figures[f"{prefix}.completion_rate"] = format_percent(card.completion_rate)
    return figures


def _results(card: Scorecard) -> str:
    """"đã hoàn thành 167/167 nhiệm vụ đến hạn, đạt 100,0% (đúng hạn 160, trễ hạn 7); 0 nhiệm vụ quá hạn" — the
    scorecard's categories of the tasks that fell due, which add up to them."""
    if not card.due:
        return pgettext("report", "no task has fallen due yet")
    text = pgettext("report", "completed %(done)s/%(due)s tasks that fell due, %(rate)s (on time %(on_time)s, "
                              "late %(late)s); %(overdue)s overdue") % {
        "done": _count(card.completed), "due": _count(card.due), "rate": format_percent(card.completion_rate),
        "on_time": _count(card.done_on_time), "late": _count(card.done_late), "overdue": _count(card.overdue)}
    if card.within_deadline:
        text += pgettext("report", ", %(n)s due today still within the deadline") % {
            "n": _count(card.within_deadline)}
    if card.paused_due:
        text += pgettext("report", ", %(n)s paused") % {"n": _count(card.paused_due)}
    return text


def tasks_section(scope: ReportScope, options: dict) -> SectionContent:
    """"Trong năm 2026, Sở … được giao 167 nhiệm vụ; đã hoàn thành 167/167 nhiệm vụ đến hạn, đạt 100,0% (đúng hạn
    160, trễ hạn 7); 0 nhiệm vụ quá hạn." over the tasks led by the issuer and the units below it, statuses judged
    on the period's last day (today while it runs, or `options["as_of"]`)."""
    period = Period.parse(scope.period_id)
    as_of = options.get("as_of")
    if isinstance(as_of, str):  # a template's options are JSON
        as_of = datetime.date.fromisoformat(as_of)
    read = occurrences_in(Occurrence.objects.filter(task__lead_unit__path__startswith=scope.issuer.path),
                          start=period.start, end=period.end, as_of=as_of)
    card = scorecard(read, start=period.start, end=period.end, as_of=as_of)
    content = SectionContent(figures=_card_figures(card, "tasks"))
    if card == Scorecard() and not Task.objects.filter(assigned_on__lte=period.end).exists():
        # Before the register's first task the product knows nothing of the period's tasks: saying "no tasks"
        # would state what nobody recorded.
        content.figures = {}
        content.blocks.append(Paragraph(pgettext(
            "report", "The product holds no record of the tasks assigned in %(period)s.") % {
            "period": lower_first(period.label)}))
        return content
    if card == Scorecard():
        content.figures = {}
        content.blocks.append(Paragraph(pgettext("report", "%(within)s, %(unit)s had no tasks assigned.") % {
            "within": within(period), "unit": scope.issuer.name}))
        return content
    sentence = pgettext("report", "%(within)s, %(unit)s was assigned %(assigned)s tasks; %(results)s.") % {
        "within": within(period), "unit": scope.issuer.name, "assigned": _count(card.assigned),
        "results": _results(card)}
    if card.in_progress:
        sentence += " " + pgettext("report", "%(n)s tasks not yet due are in progress.") % {
            "n": _count(card.in_progress)}
    content.blocks.append(Paragraph(sentence))
    key = scorecard(read, start=period.start, end=period.end, as_of=as_of, key_only=True)
    if key != Scorecard():
        content.figures.update(_card_figures(key, "tasks.key"))
        content.blocks.append(Paragraph(pgettext("report", "Of these, key tasks: %(assigned)s assigned; "
                                                           "%(results)s.") % {
            "assigned": _count(key.assigned), "results": _results(key)}))
    if options.get("table"):
        content.blocks.append(_tasks_table(read, period, as_of))
    return content


def _tasks_table(read: list[Occurrence], period: Period, as_of: datetime.date | None) -> Table:
    columns = (pgettext("report table", "No."), pgettext("report table", "Lead unit"),
               pgettext("report table", "Assigned"), pgettext("report table", "Fell due"),
               pgettext("report table", "On time"), pgettext("report table", "Late"),
               pgettext("report table", "Overdue"), pgettext("report table", "Completion rate"))
    rows = []
    for number, (unit, card) in enumerate(scorecards_by_unit(read, start=period.start, end=period.end, as_of=as_of),
                                          start=1):
        rows.append((str(number), unit.name, _count(card.assigned), _count(card.due), _count(card.done_on_time),
                     _count(card.done_late), _count(card.overdue),
                     format_percent(card.completion_rate) if card.completion_rate is not None else "-"))
    return Table(columns=columns, rows=tuple(rows), numeric=frozenset(range(2, 8)),
                 widths_mm=(12.0, 52.0, 16.0, 16.0, 16.0, 16.0, 16.0, 16.0))


# --- systems and information security ------------------------------------------------------------------------------
def _has_monitoring(year: int) -> bool:
    """Whether the product holds any monitoring data for `year` (anyone's system months or incidents): before it
    did, a section of zeros would state what nobody measured."""
    return (SystemMonth.objects.filter(month__year=year).exists()
            or SecurityIncident.objects.filter(detected_at__year=year).exists())


def systems_section(scope: ReportScope, options: dict) -> SectionContent:
    """The year's information-security incidents reported in the report's unit (the province a sector review speaks
    for, as the overview counts them) and the uptime of the systems its units own (`security_year_figures` of the
    period's year — the register's year, also for a shorter period; `options["systems_of"] == "issuer"`: the
    issuer's own only). For a year without any monitoring data in the product (2020) one sentence says so and no
    figure is given."""
    period = Period.parse(scope.period_id)
    year = period.year
    content = SectionContent()
    if not _has_monitoring(year):
        content.blocks.append(Paragraph(pgettext(
            "report", "The product holds no monitoring data of information systems and information security "
                      "incidents for %(year)d.") % {"year": year}))
        return content
    root = scope.issuer if options.get("systems_of") == "issuer" else scope.unit
    found = security_year_figures(year, units=OrgUnit.objects.filter(path__startswith=root.path))
    content.figures.update({"security.incidents": _count(found.incidents), "security.serious": _count(found.serious),
                            "security.closed": _count(found.closed), "security.open": _count(found.open)})
    opening = pgettext("report", "In %(year)d") % {"year": year}
    if not found.incidents:
        text = pgettext("report", "%(within)s there were no information security incidents.") % {"within": opening}
    elif not found.serious:
        text = pgettext("report", "%(within)s there was no serious information security incident (%(n)s incidents, "
                                  "%(closed)s of them dealt with).") % {
            "within": opening, "n": _count(found.incidents), "closed": _count(found.closed)}
    else:
        text = pgettext("report", "%(within)s there were %(n)s information security incidents, %(serious)s of them "
                                  "serious; %(closed)s dealt with, %(open)s still being handled.") % {
            "within": opening, "n": _count(found.incidents), "serious": _count(found.serious),
            "closed": _count(found.closed), "open": _count(found.open)}
    measured = [(system, figure) for system, figure in found.downtime if figure.ratio is not None]
    for system, figure in measured:
        content.figures[f"uptime.{system.code}"] = uptime_text(figure.ratio)
    limit = int(options.get("max_systems", 5))
    with_table = bool(options.get("table")) or len(measured) > limit
    named = sorted(measured, key=lambda row: (row[1].ratio, row[0].name))[:limit] if with_table else measured
    if named:
        clauses = [pgettext("report", "%(system)s %(uptime)s of the time") % {
            "system": system.name, "uptime": uptime_text(figure.ratio)} for system, figure in named]
        if with_table and len(measured) > len(named):
            text += " " + pgettext("report", "Of the %(n)s systems monitored, the lowest availability: "
                                             "%(systems)s.") % {"n": _count(len(measured)),
                                                                "systems": "; ".join(clauses)}
        else:
            text += " " + pgettext("report", "Availability of the systems monitored: %(systems)s.") % {
                "systems": "; ".join(clauses)}
    content.blocks.append(Paragraph(text))
    if with_table and measured:
        rows = tuple((str(n), system.name, uptime_text(figure.ratio), format_number(figure.down_seconds / 60, 0))
                     for n, (system, figure) in enumerate(measured, start=1))
        content.blocks.append(Table(
            columns=(pgettext("report table", "No."), pgettext("report table", "System"),
                     pgettext("report table", "Availability"), pgettext("report table", "Down time (minutes)")),
            rows=rows, numeric=frozenset({2, 3}), widths_mm=(12.0, 88.0, 30.0, 30.0)))
    return content


# --- commendations -------------------------------------------------------------------------------------------------
_PARENTHESIS = re.compile(r"\s*\(.*\)\s*$")


def award_form_name(line: YearSummaryLine) -> str:
    """The form as a sentence names it after its grantor: "Bằng khen của Chủ tịch UBND tỉnh" → "Bằng khen" (the
    grantor opens the clause), a title → "danh hiệu Tập thể lao động xuất sắc"."""
    name = line.kind_name.split(" của ", 1)[0].strip() or line.kind_name
    if line.category == AwardKind.Category.TITLE:
        return pgettext("report", "the title %(name)s") % {"name": name}
    return name


def authority_name(name: str) -> str:
    """"Giám đốc Sở (thủ trưởng cơ quan chuyên môn …)" → "Giám đốc Sở"."""
    return _PARENTHESIS.sub("", name).strip() or name


def _recipients(collectives: int, individuals: int) -> str:
    if collectives and individuals:
        return pgettext("report", "%(c)s collectives and %(i)s individuals") % {
            "c": _count(collectives), "i": _count(individuals)}
    if collectives:
        return pgettext("report", "%(c)s collectives") % {"c": _count(collectives)}
    return pgettext("report", "%(i)s individuals") % {"i": _count(individuals)}


def commendations_section(scope: ReportScope, options: dict) -> SectionContent:
    """"Chủ tịch UBND tỉnh tặng Bằng khen cho 2 tập thể và 4 cá nhân; Giám đốc Sở tặng Giấy khen cho 9 tập thể và
    12 cá nhân." — the register's `year_summary` of the period's year (the achievements' year), highest grantor
    first, to the issuer's collectives and people (`options["recipients"] == "unit"`: the scope unit's) and by the
    issuer's own decisions, whoever received them (a department's Giấy khen to the sector's enterprises)."""
    year = Period.parse(scope.period_id).year
    root = scope.unit if options.get("recipients") == "unit" else scope.issuer
    lines = year_summary(year, units=OrgUnit.objects.filter(path__startswith=root.path),
                         issuers=OrgUnit.objects.filter(path__startswith=scope.issuer.path))
    content = SectionContent()
    if not lines:
        content.blocks.append(Paragraph(pgettext("report", "No commendations for %(year)d are recorded in the award "
                                                           "register.") % {"year": year}))
        return content
    by_authority: dict[str, list[YearSummaryLine]] = {}
    for line in lines:  # already highest grantor first, then highest form
        by_authority.setdefault(line.authority_code, []).append(line)
        key = f"commendations.{line.authority_code}.{line.kind_name}"
        if line.collectives:
            content.figures[f"{key}.collectives"] = _count(line.collectives)
        if line.individuals:
            content.figures[f"{key}.individuals"] = _count(line.individuals)
    clauses = []
    for same in by_authority.values():
        given = ", ".join(pgettext("report", "%(form)s to %(recipients)s") % {
            "form": award_form_name(line), "recipients": _recipients(line.collectives, line.individuals)}
            for line in same)
        clauses.append(pgettext("report", "%(authority)s awarded %(given)s") % {
            "authority": authority_name(same[0].authority), "given": given})
    content.blocks.append(Paragraph(f"{'; '.join(clauses)}."))
    return content
