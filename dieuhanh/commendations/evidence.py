"""The evidence of a nomination, computed from the product's own records: each criterion met, not met, not
checkable (no record to judge it by), or a figure for the council without a rule to judge it (the unit's task and
reporting rates, which no law turns into a threshold).

Criteria read from the rule data (member shares, share caps) and from the register (consecutive years,
registrations); task rates from the assignments' scorecards and the on-time reporting rate from the reporting
completeness — one definition each, so the figures here are the ones of the scorecard and completeness pages.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from dieuhanh.assignments.models import Occurrence
from dieuhanh.assignments.scorecards import scorecard
from dieuhanh.commendations.models import (
    Award,
    AwardKind,
    EmulationRegistration,
    MemberCriterion,
    Nomination,
    ShareCap,
)
from dieuhanh.commendations.models_rules import in_force_on
from dieuhanh.commendations.selectors import consecutive_years, share_caps_on, title_share
from dieuhanh.lib.vnformat import format_percent
from dieuhanh.reporting.completeness import local_today, on_time_in_year

MET, NOT_MET, UNCHECKABLE, FIGURE = "met", "not_met", "unknown", "figure"
STATUS_COLOURS = {MET: "success", NOT_MET: "danger", UNCHECKABLE: "secondary", FIGURE: "info"}

# Consecutive years of a title a kind asks for (Luật 2022 Điều 21, 22; Điều 74 for the Chairman's Bằng khen,
# where it is one ground among several). (kinds counted, years, the rule is the only ground)
CONSECUTIVE = {
    "CSTD_TINH": (("CSTD_CS",), 3, True, "Luật Thi đua, khen thưởng 2022, Điều 22"),
    "CSTD_TQ": (("CSTD_TINH",), 2, True, "Luật Thi đua, khen thưởng 2022, Điều 21"),
    "BK_TINH_CN": (("CSTD_CS",), 2, False, "Luật Thi đua, khen thưởng 2022, Điều 74"),
}


@dataclass(frozen=True)
class EvidenceItem:
    code: str
    label: str
    status: str
    figure: str
    requirement: str = ""
    note: str = ""

    @property
    def colour(self) -> str:
        return STATUS_COLOURS.get(self.status, "secondary")

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS().get(self.status, self.status))


def STATUS_LABELS() -> dict[str, str]:  # noqa: N802  (a table, translated when read)
    return {MET: _("met"), NOT_MET: _("not met"), UNCHECKABLE: _("not checkable"), FIGURE: _("for the council")}


def _years(first: int, last: int) -> str:
    return str(last) if first == last else f"{first}–{last}"


def _registration(nomination: Nomination) -> EvidenceItem:
    found = EmulationRegistration.objects.filter(
        Q(person=nomination.person) if nomination.person_id else Q(unit=nomination.unit), year=nomination.year,
    ).prefetch_related("titles").order_by("registered_on").first()
    is_title = nomination.kind.category == AwardKind.Category.TITLE
    label = _("Emulation registration for %(year)s") % {"year": nomination.year}
    if found is None:
        return EvidenceItem("registration", label, NOT_MET if is_title else FIGURE, _("not registered"),
                            _("registered for the title") if is_title else "")
    titles = [t.name for t in found.titles.all()]
    figure = _("registered on %(day)s for: %(titles)s") % {"day": found.registered_on.strftime("%d/%m/%Y"),
                                                           "titles": ", ".join(titles)}
    if not is_title:
        return EvidenceItem("registration", label, FIGURE, figure)
    ok = any(t.pk == nomination.kind_id for t in found.titles.all())
    return EvidenceItem("registration", label, MET if ok else NOT_MET, figure, _("registered for the title"))


def _recipient(nomination: Nomination) -> dict:
    return {"person": nomination.person} if nomination.person_id else {"unit": nomination.unit}


def _consecutive(nomination: Nomination) -> list[EvidenceItem]:
    items = []
    kind, year = nomination.kind, nomination.year
    if kind.category == AwardKind.Category.TITLE:
        run = consecutive_years(kinds=[kind], up_to=year - 1, **_recipient(nomination))
        figure = (_("%(n)s years in a row (%(years)s)") % {"n": run, "years": _years(year - run, year - 1)}
                  if run else _("not held in %(year)s") % {"year": year - 1})
        items.append(EvidenceItem("consecutive_same", _("%(kind)s in the years before") % {"kind": kind.name},
                                  FIGURE, figure))
    rule = CONSECUTIVE.get(kind.code)
    if rule:
        codes, needed, only_ground, source = rule
        names = ", ".join(AwardKind.objects.filter(code__in=codes).values_list("name", flat=True))
        run = consecutive_years(kinds=codes, up_to=year, **_recipient(nomination))
        figure = (_("%(n)s years in a row (%(years)s)") % {"n": run, "years": _years(year - run + 1, year)}
                  if run else _("not held in %(year)s") % {"year": year})
        status = MET if run >= needed else (NOT_MET if only_ground else FIGURE)
        note = source if only_ground else _("%(source)s: one ground among others, which the council judges") % {
            "source": source}
        items.append(EvidenceItem("consecutive", _("Consecutive years of %(kinds)s") % {"kinds": names}, status,
                                  figure, _("at least %(n)s years in a row") % {"n": needed}, note))
    return items


def _members(nomination: Nomination, day: datetime.date) -> list[EvidenceItem]:
    if nomination.unit_id is None:
        return []
    items = []
    criteria = MemberCriterion.objects.filter(in_force_on(day), kind=nomination.kind).select_related("member_kind")
    for criterion in criteria.order_by("min_count", "id"):
        holders, members = title_share(unit=nomination.unit, year=nomination.year, kinds=[criterion.member_kind])
        note = "" if criterion.confirmed else _("Rule awaiting confirmation: %(note)s") % {
            "note": criterion.unconfirmed_note or criterion.legal_source}
        if criterion.min_percent is not None:
            label = _("Members holding %(kind)s in %(year)s") % {"kind": criterion.member_kind.name,
                                                                   "year": nomination.year}
            requirement = _("at least %(p)s") % {"p": format_percent(criterion.min_percent, 0)}
            if not members:
                items.append(EvidenceItem("member_share", label, UNCHECKABLE, _("no member recorded"), requirement,
                                          note))
                continue
            share = Decimal(100) * holders / members
            figure = f"{holders}/{members} ({format_percent(share)})"
            ok = Decimal(holders) * 100 >= criterion.min_percent * members
            items.append(EvidenceItem("member_share", label, MET if ok else NOT_MET, figure, requirement, note))
        else:
            label = _("Members holding %(kind)s in %(year)s") % {"kind": criterion.member_kind.name,
                                                                   "year": nomination.year}
            requirement = _("at least %(n)s") % {"n": criterion.min_count}
            status = MET if holders >= criterion.min_count else (NOT_MET if members else UNCHECKABLE)
            items.append(EvidenceItem("member_count", label, status, f"{holders}/{members}", requirement, note))
    return items


def _unit_of(nomination: Nomination):
    return nomination.unit if nomination.unit_id else nomination.person.unit


def _tasks(nomination: Nomination, today: datetime.date) -> list[EvidenceItem]:
    unit, year = _unit_of(nomination), nomination.year
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    card = scorecard(Occurrence.objects.filter(task__lead_unit__path__startswith=unit.path), start=start, end=end,
                     as_of=today)
    values = {"unit": unit.name, "year": year}
    completion = _("Tasks completed by %(unit)s in %(year)s") % values
    on_time = _("Tasks completed on time by %(unit)s in %(year)s") % values
    if not card.due:
        none = _("no task fell due")
        return [EvidenceItem("tasks_completed", completion, UNCHECKABLE, none),
                EvidenceItem("tasks_on_time", on_time, UNCHECKABLE, none)]
    return [
        EvidenceItem("tasks_completed", completion, FIGURE,
                     f"{card.completed}/{card.due} ({format_percent(card.completion_rate)})"),
        EvidenceItem("tasks_on_time", on_time, FIGURE,
                     f"{card.done_on_time}/{card.due} ({format_percent(card.on_time_rate)})"),
    ]


def _reports(nomination: Nomination, today: datetime.date) -> EvidenceItem:
    unit, year = _unit_of(nomination), nomination.year
    on_time, owed = on_time_in_year(unit, year, today)
    label = _("Reports sent on time by %(unit)s in %(year)s") % {"unit": unit.name, "year": year}
    if not owed:
        return EvidenceItem("reports_on_time", label, UNCHECKABLE, _("no report fell due"))
    rate = Decimal(100) * on_time / owed
    return EvidenceItem("reports_on_time", label, FIGURE, f"{on_time}/{owed} ({format_percent(rate)})")


def _caps(nomination: Nomination, day: datetime.date) -> list[EvidenceItem]:
    kind = nomination.kind
    if not ShareCap.objects.filter(kind=kind).exists():
        return []
    caps = share_caps_on(kind, nomination.proposer, day)
    label = _("The province's cap on %(kind)s") % {"kind": kind.name}
    if not caps:
        return [EvidenceItem("share_cap", label, FIGURE, _("no cap in use (caps are off unless turned on)"))]
    items = []
    for cap in caps:
        base = cap.orgunit or nomination.proposer
        in_subtree = Q(unit__path__startswith=base.path) | Q(person__unit__path__startswith=base.path)
        awarded = Award.objects.filter(in_subtree, kind=kind, year=nomination.year).count()
        pending = Nomination.objects.filter(in_subtree, kind=kind, year=nomination.year, state__in=[
            Nomination.State.PROPOSED, Nomination.State.PASSED]).exclude(pk=nomination.pk).count()
        count = awarded + pending + 1
        of_count = Award.objects.filter(in_subtree, kind=cap.of_kind, year=nomination.year).count()
        figure = _("%(count)s with this nomination, of %(of)s %(of_kind)s in %(unit)s") % {
            "count": count, "of": of_count, "of_kind": cap.of_kind.name, "unit": base.name}
        requirement = _("at most %(p)s of %(of_kind)s") % {"p": format_percent(cap.percent, 0),
                                                           "of_kind": cap.of_kind.name}
        note = "" if cap.confirmed else _("Rule awaiting confirmation: %(note)s") % {
            "note": cap.unconfirmed_note or cap.legal_source}
        items.append(EvidenceItem("share_cap", label, MET if cap.allows(count=count, of_count=of_count) else NOT_MET,
                                  figure, requirement, note))
    return items


def evidence_of(nomination: Nomination, *, today: datetime.date | None = None) -> list[EvidenceItem]:
    """The evidence of `nomination` as on `today`: frozen once the council has voted, recomputed before."""
    if nomination.evidence is not None:
        return [EvidenceItem(**item) for item in nomination.evidence]
    return evidence_compute(nomination, today=today)


def evidence_compute(nomination: Nomination, *, today: datetime.date | None = None) -> list[EvidenceItem]:
    today = today or local_today()
    return [_registration(nomination), *_consecutive(nomination), *_members(nomination, today),
            *_tasks(nomination, today), _reports(nomination, today), *_caps(nomination, today)]


def evidence_as_data(items: list[EvidenceItem]) -> list[dict]:
    return [asdict(item) for item in items]


def evidence_counts(items: list[EvidenceItem]) -> dict[str, int]:
    counts = {MET: 0, NOT_MET: 0, UNCHECKABLE: 0, FIGURE: 0}
    for item in items:
        counts[item.status] = counts.get(item.status, 0) + 1
    return counts

