"""2025–2026 in the new province: enterprises' monthly reports (from July 2025, the first month of the new
province), the department's quarterly and yearly reports, communes' and agencies' quarterly reports, each as a
Submission with its workflow events.

The demo's "today" is fixed (22/11/2026) so the build is the same whenever it runs: the November enterprise
report (due 15/11) is the latest one due, with some units late, returned or missing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction

from dieuhanh.indicators.models import ValueKind, ValueState
from dieuhanh.lib.periods import Period, PeriodType, add_working_days, periods_of_year
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.reporting.completeness import RESUBMIT_WORKING_DAYS
from dieuhanh.reporting.models import Holiday, ReportForm, Submission, SubmissionEvent
from dieuhanh.reporting.services import VALUE_STATE

from .catalogue import SECTOR_FORM, SECTOR_YEAR_FORM
from .province import MERGED_COMMUNES, SPLIT_COMMUNE, DemoUnits
from .values import MONTH_WEIGHTS, REFORM_MONTH, TZ, ValueSink, at

DEMO_TODAY = datetime.date(2026, 11, 22)
DEMO_NOW = at(2026, 11, 22, 8, 0)
S = Submission.Status
A, E, T = ValueKind.ACTUAL, ValueKind.ESTIMATE, ValueKind.TARGET

RETURN_REASONS = [
    "Doanh thu tháng chênh lệch lớn so với báo cáo của Tập đoàn, đề nghị rà soát lại.",
    "Số thuê bao di động giảm bất thường so với kỳ trước, đề nghị bổ sung giải trình.",
    "Thiếu số liệu nộp ngân sách nhà nước.",
    "Tỷ lệ hồ sơ trực tuyến không khớp với Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh.",
    "Báo cáo chưa có chữ ký số của lãnh đạo đơn vị.",
]

# Shares of the province's figures by enterprise.
SHARES = {
    "DT_VT": {"VIETTEL-TN": .47, "VNPT-TN": .31, "MOBIFONE-TN": .14, "FPT-TN": .08},
    "DT_BC": {"VNPOST-TN": .52, "VTPOST-TN": .48},
    "TB_DD": {"VIETTEL-TN": .55, "VNPT-TN": .25, "MOBIFONE-TN": .20},
    "TB_BRCD": {"VNPT-TN": .40, "VIETTEL-TN": .38, "FPT-TN": .22},
    "TRAM_BTS": {"VIETTEL-TN": .45, "VNPT-TN": .33, "MOBIFONE-TN": .22},
}
MOBILE_SHARE = {"VIETTEL-TN": .82, "VNPT-TN": .45, "MOBIFONE-TN": .95}  # of each one's telecom revenue
# Dossiers a quarter at the agencies that handle administrative procedures (others report documents only).
AGENCY_DOSSIERS = {
    "CAT": 45_000, "TTPVHCC": 30_000, "STP": 8_000, "SNNMT": 6_000, "STC": 5_000, "SXD": 4_000, "SYT": 3_500,
    "SCT": 3_000, "BQL-KCN": 2_500, "SGDDT": 1_500, "SNV": 1_200, "SVHTTDL": 900, "SKHCN": 700, "SDTTG": 200,
}


@dataclass
class Actors:
    reporters: dict[int, object] = field(default_factory=dict)  # unit pk → user
    approvers: dict[int, object] = field(default_factory=dict)


@dataclass
class Outcome:
    status: str
    created: datetime.datetime
    events: list[tuple[str, str, datetime.datetime, str, bool]]  # from, to, at, reason, by approver


def _clock(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, rng.randint(8, 16), rng.randint(0, 59), tzinfo=TZ)


MISSING = "missing"
# The latest reports of the units the demo users work with, and of the enterprises, are scripted so that each
# user finds something to do: (fate, late).
SCRIPTED = {
    ("202611", "VIETTEL-TN"): (S.APPROVED, False),
    ("202611", "VNPT-TN"): (S.RETURNED, False),
    ("202611", "MOBIFONE-TN"): (S.SUBMITTED, True),
    ("202611", "FPT-TN"): (MISSING, False),
    ("202611", "VNPOST-TN"): (S.SUBMITTED, False),
    ("202611", "VTPOST-TN"): (S.DRAFT, False),
    ("2026Q3", "SKHCN"): (S.RETURNED, True),
}


def plan_submission(rng: random.Random, *, deadline: datetime.date, latest: bool, due: bool,
                    script: tuple[str, bool] | None = None) -> Outcome | None:
    """What happened to one unit's report: nothing yet, a draft, or a trail of workflow events."""
    r = rng.random()
    late = rng.random() < (0.25 if latest else 0.12)
    if script:
        late = script[1]
    offset = rng.randint(1, 6 if latest else 12) if late else -rng.randint(0, 5)
    submitted = min(_clock(deadline + datetime.timedelta(days=offset), rng), DEMO_NOW - datetime.timedelta(hours=2))
    created = _clock(submitted.date() - datetime.timedelta(days=rng.randint(1, 4)), rng)
    if not due:
        if r < 0.3:
            return Outcome(S.DRAFT, _clock(DEMO_TODAY - datetime.timedelta(days=rng.randint(1, 12)), rng), [])
        return None
    if latest:
        fate = (None if r < 0.08 else S.DRAFT if r < 0.14 else S.RETURNED if r < 0.22
                else S.SUBMITTED if r < 0.45 else S.APPROVED)
    else:
        fate = None if r < 0.02 else "bounced" if r < 0.07 else S.APPROVED
    if script:
        fate = None if script[0] == MISSING else script[0]
    if fate is None:
        return None
    if fate == S.DRAFT:
        return Outcome(S.DRAFT, created, [])
    events = [(S.DRAFT, S.SUBMITTED, submitted, "", False)]
    reviewed = submitted + datetime.timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 4))
    if reviewed >= DEMO_NOW:
        return Outcome(S.SUBMITTED, created, events)
    if fate == S.RETURNED:
        events.append((S.SUBMITTED, S.RETURNED, reviewed, rng.choice(RETURN_REASONS), True))
    elif fate == "bounced":
        events.append((S.SUBMITTED, S.RETURNED, reviewed, rng.choice(RETURN_REASONS), True))
        again = reviewed + datetime.timedelta(days=rng.randint(1, 3))
        events.append((S.RETURNED, S.SUBMITTED, again, "", False))
        events.append((S.SUBMITTED, S.APPROVED, again + datetime.timedelta(days=1), "", True))
    elif fate == S.APPROVED:
        events.append((S.SUBMITTED, S.APPROVED, reviewed, "", True))
    return Outcome(events[-1][1], created, events)


class SubmissionBook:
    """Collects submissions with their events and writes the missing ones in bulk."""

    def __init__(self, actors: Actors, holidays: list[datetime.date]):
        self.actors = actors
        self.holidays = holidays
        self.items: dict[tuple[int, int, str], tuple[ReportForm, OrgUnit, str, Outcome]] = {}

    def deadline(self, form: ReportForm, period: Period) -> datetime.date:
        return form.deadline_rule.deadline_for(period, self.holidays)

    def add(self, form: ReportForm, unit: OrgUnit, period: str, outcome: Outcome) -> None:
        self.items[(form.pk, unit.pk, period)] = (form, unit, period, outcome)

    def value_states(self) -> list[tuple[int, int, str, int]]:
        """(form id, unit id, period, ValueState) of every report: what its values count as."""
        return [(form.pk, unit.pk, period, VALUE_STATE.get(outcome.status, ValueState.DRAFT))
                for form, unit, period, outcome in self.items.values()]

    @transaction.atomic
    def flush(self) -> int:
        existing = set(Submission.objects.values_list("form_id", "orgunit_id", "period"))
        fresh = [item for key, item in self.items.items() if key not in existing]
        submissions = []
        for form, unit, period, outcome in fresh:
            reporter = self.actors.reporters.get(unit.pk)
            approver = self.actors.approvers.get(unit.pk)
            sub = Submission(form=form, orgunit=unit, period=period, status=outcome.status,
                             version=2 + len(outcome.events), updated_by=reporter)
            last_at = outcome.created
            for _, to_status, when, reason, by_approver in outcome.events:
                last_at = when
                sub.updated_by = approver if by_approver else reporter
                if to_status == S.SUBMITTED:
                    sub.submitted_at, sub.returned_reason = when, ""
                elif to_status == S.APPROVED:
                    sub.approved_at = when
                elif to_status == S.RETURNED:
                    # As submission_return does: a new deadline some working days on, and whether the report was
                    # already late when it came back.
                    sub.returned_reason = reason
                    sub.missed_deadline = sub.missed_deadline or (
                        sub.submitted_at is not None
                        and sub.submitted_at.astimezone(TZ).date() > self.deadline(form, Period.parse(period)))
                    sub.resubmit_by = add_working_days(when.astimezone(TZ).date(), RESUBMIT_WORKING_DAYS,
                                                       self.holidays)
            sub.created_at, sub.updated_at = outcome.created, last_at
            submissions.append(sub)
        Submission.objects.bulk_create(submissions, batch_size=500)
        # auto_now(_add) fields take "now" on insert; the demo's timeline needs its own dates.
        Submission.objects.bulk_update(submissions, ["created_at", "updated_at"], batch_size=500)
        events = []
        for sub, (_, unit, _, outcome) in zip(submissions, fresh, strict=True):
            reporter = self.actors.reporters.get(unit.pk)
            approver = self.actors.approvers.get(unit.pk)
            events.append(SubmissionEvent(submission=sub, from_status="", to_status=S.DRAFT, actor=reporter,
                                          at=outcome.created))
            for from_status, to_status, when, reason, by_approver in outcome.events:
                events.append(SubmissionEvent(submission=sub, from_status=from_status, to_status=to_status,
                                              actor=approver if by_approver else reporter, at=when, reason=reason))
        SubmissionEvent.objects.bulk_create(events, batch_size=1000)
        return len(submissions)


def _interp(start: float, end: float, fraction: float) -> float:
    return start + (end - start) * fraction


def new_province_totals(series) -> dict[str, dict[int, float]]:
    """The new province's yearly figures: both old provinces' continued series added (levels: averaged)."""
    totals: dict[str, dict[int, float]] = {}
    for code in series["TN"]:
        tn, la = series["TN"][code], series["LA"][code]
        years = [y for y in (2024, 2025, 2026) if y in tn and y in la]
        if code in {"GRDP_BQ"}:
            totals[code] = {y: (tn[y] * 1.2 + la[y] * 1.7) / 2.9 for y in years}  # weighted by population
        else:
            totals[code] = {y: tn[y] + la[y] for y in years}
    return totals


def enterprises_add(sink: ValueSink, book: SubmissionBook, *, units: DemoUnits, form: ReportForm,
                    totals, actors: Actors, years: list[int], rng: random.Random) -> None:
    ns_ratio = {y: totals["NS_BCVT"][y] / (totals["DT_VT"][y] + totals["DT_BC"][y]) for y in years}
    weight_sum = sum(MONTH_WEIGHTS)
    for year in years:
        for period in periods_of_year(PeriodType.MONTH, year):
            deadline = book.deadline(form, period)
            due = deadline < DEMO_TODAY
            latest = due and period.id == "202611"
            if period.start > DEMO_TODAY or period.id < REFORM_MONTH:
                continue  # before July 2025 the old provinces reported (values.months_before_reform_add)
            fraction = period.index / 12
            flow_kind = E if latest else A
            for code, unit in units.enterprises.items():
                outcome = plan_submission(rng, deadline=deadline, latest=latest, due=due,
                                          script=SCRIPTED.get((period.id, code)))
                if outcome is None:
                    continue
                book.add(form, unit, period.id, outcome)
                when, user = outcome.created, actors.reporters.get(unit.pk)
                w = MONTH_WEIGHTS[period.index - 1] / weight_sum
                revenue = 0.0
                for flow in ("DT_VT", "DT_BC"):
                    share = SHARES[flow].get(code)
                    if share:
                        revenue = totals[flow][year] * share * w * rng.uniform(0.97, 1.03)
                        sink.add(flow, unit, period.id, flow_kind, revenue, when, user)
                        if flow == "DT_VT" and code in MOBILE_SHARE:
                            sink.add("DT_VT_DD", unit, period.id, flow_kind,
                                     revenue * MOBILE_SHARE[code] * rng.uniform(0.98, 1.0), when, user)
                sink.add("NS_BCVT", unit, period.id, flow_kind, revenue * ns_ratio[year] * rng.uniform(0.9, 1.1),
                         when, user)
                for stock in ("TB_DD", "TB_BRCD", "TRAM_BTS"):
                    share = SHARES[stock].get(code)
                    if share:
                        level = _interp(totals[stock][year - 1], totals[stock][year], fraction)
                        sink.add(stock, unit, period.id, A, level * share * rng.uniform(0.997, 1.003), when, user)


def province_add(sink: ValueSink, *, units: DemoUnits, totals, rng: random.Random) -> None:
    """The new province's plans (2025, 2026), its socio-economic figures and the press units' revenue."""
    p = units.province
    for year in (2025, 2026):
        for code in ("DT_BC", "DT_VT", "NS_BCVT", "TB_DD", "TB_BRCD", "TRAM_BTS", "THU_NS", "XK", "FDI"):
            target = totals[code][year] * rng.uniform(1.0, 1.03)
            sink.add(code, p, str(year), T, round(target, -1) if target > 1000 else round(target), at(year - 1, 12, 18))
    sink.add("GRDP_TT", p, "2025", T, 8.5, at(2025, 7, 10))
    sink.add("GRDP_TT", p, "2026", T, 10.0, at(2025, 12, 18))
    sink.add("GRDP_BQ", p, "2026", T, 125.0, at(2025, 12, 18))
    sink.add("GRDP_TT", p, "2025", A, 8.15, at(2026, 1, 25))
    sink.add("GRDP_TT", p, "2026N9", A, 8.74, at(2026, 10, 5))
    sink.add("GRDP_TT", p, "2026", E, 9.12, at(2026, 11, 18))
    sink.add("GRDP_BQ", p, "2025", A, totals["GRDP_BQ"][2025], at(2026, 1, 25))
    sink.add("GRDP_BQ", p, "2026", E, totals["GRDP_BQ"][2026], at(2026, 11, 18))
    for code in ("THU_NS", "XK", "FDI"):
        sink.add(code, p, "2025", A, totals[code][2025], at(2026, 1, 25))
        sink.add(code, p, "2026", E, totals[code][2026], at(2026, 11, 18))
        sink.add(code, p, "2026N9", A, totals[code][2026] * rng.uniform(0.70, 0.76), at(2026, 10, 5))
    for code, share in (("DPTTH", 0.72), ("BAOTN", 0.28)):
        unit = units.agencies[code]
        for flow in ("DT_BCPT", "NS_BCPT"):
            sink.add(flow, unit, "2025", A, totals[flow][2025] * share * rng.uniform(0.97, 1.03), at(2026, 1, 15))
            sink.add(flow, unit, "2026", T, round(totals[flow][2026] * share, 1), at(2025, 12, 18))
            sink.add(flow, unit, "2026", E, totals[flow][2026] * share * rng.uniform(0.97, 1.03), at(2026, 11, 18))


# The department's own figures after the merger: quarter-end levels, and yearly plans.
DEPARTMENT_LEVELS = {  # 2025Q3, 2025Q4, 2026Q1, 2026Q2, 2026Q3, 2026Q4
    "TL_XA_VT": [100, 100, 100, 100, 100, 100],
    "TL_XA_CQ": [98.2, 98.9, 99.0, 99.5, 100, 100],
    "CQ_WAN": [54, 58, 58, 60, 61, 61],
    "TL_CBCC_MT": [100, 100, 100, 100, 100, 100],
    "TL_DVC_TT": [60.1, 62.4, 64.8, 67.0, 69.3, 70.5],
}
DEPARTMENT_TARGETS = {2025: {"TL_XA_VT": 100, "TL_XA_CQ": 100, "CQ_WAN": 60, "TL_CBCC_MT": 100, "TL_DVC_TT": 65},
                      2026: {"TL_XA_VT": 100, "TL_XA_CQ": 100, "CQ_WAN": 65, "TL_CBCC_MT": 100, "TL_DVC_TT": 75}}
QUARTERS = ["2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3", "2026Q4"]


def department_add(sink: ValueSink, book: SubmissionBook, *, units: DemoUnits, forms: dict[str, ReportForm],
                   actors: Actors, rng: random.Random) -> None:
    skhcn = units.agencies["SKHCN"]
    user = actors.reporters.get(skhcn.pk)
    quarterly = forms[SECTOR_FORM]
    for i, pid in enumerate(QUARTERS):
        period = Period.parse(pid)
        deadline = book.deadline(quarterly, period)
        due = deadline < DEMO_TODAY
        outcome = plan_submission(rng, deadline=deadline, latest=pid == "2026Q3", due=due) or Outcome(
            S.DRAFT, DEMO_NOW - datetime.timedelta(days=3), [])
        book.add(quarterly, skhcn, pid, outcome)
        for code, levels in DEPARTMENT_LEVELS.items():
            sink.add(code, skhcn, pid, T, DEPARTMENT_TARGETS[period.year][code], outcome.created, user)
            if due:
                sink.add(code, skhcn, pid, A, levels[i], outcome.created, user)
    yearly = forms[SECTOR_YEAR_FORM]
    approved = plan_submission(random.Random(2025), deadline=datetime.date(2025, 11, 25), latest=False, due=True)
    book.add(yearly, skhcn, "2025", approved or Outcome(S.DRAFT, at(2025, 11, 20), []))
    book.add(yearly, skhcn, "2026", Outcome(S.DRAFT, at(2026, 11, 19, 15), []))
    for code in ("TL_XA_CQ", "CQ_WAN", "TL_CBCC_MT", "TL_DVC_TT"):
        sink.add(code, skhcn, "2025", T, DEPARTMENT_TARGETS[2025][code], at(2025, 11, 20), user)
        sink.add(code, skhcn, "2025", A, DEPARTMENT_LEVELS[code][1], at(2025, 11, 20), user)
        sink.add(code, skhcn, "2026", T, DEPARTMENT_TARGETS[2026][code], at(2026, 11, 19, 15), user)
        sink.add(code, skhcn, "2026", E, DEPARTMENT_LEVELS[code][5], at(2026, 11, 19, 15), user)


def socio_add(sink: ValueSink, book: SubmissionBook, *, reporters: list[OrgUnit], form: ReportForm,
              actors: Actors, rng: random.Random) -> None:
    """Quarterly reform and budget figures of communes and agencies since the reform."""
    for unit in reporters:
        size = rng.uniform(0.5, 2.0) * (1.6 if unit.division_type == "phường" else 1.0)
        online = rng.uniform(55, 85)
        dossiers = AGENCY_DOSSIERS.get(unit.code) if unit.kind == OrgUnit.Kind.AGENCY else 2_200 * size
        documents = (1_500 * size) if unit.kind == OrgUnit.Kind.COMMUNE else rng.uniform(2_000, 15_000)
        user = actors.reporters.get(unit.pk)
        for i, pid in enumerate(QUARTERS):
            period = Period.parse(pid)
            deadline = book.deadline(form, period)
            due = deadline < DEMO_TODAY
            script = SCRIPTED.get((pid, unit.code))
            if unit.kind == OrgUnit.Kind.COMMUNE and unit.pk in actors.approvers and pid == "2026Q3":
                script = (S.SUBMITTED, False)  # the demo commune's approver has a report waiting
            outcome = plan_submission(rng, deadline=deadline, latest=pid == "2026Q3", due=due, script=script)
            if outcome is None:
                continue
            book.add(form, unit, pid, outcome)
            when = outcome.created
            if unit.kind == OrgUnit.Kind.COMMUNE:
                plan = 9 * size * (1.3 if period.index == 4 else 1.0)
                sink.add("THU_NS_XA", unit, pid, T, round(plan, 1), when, user)
                if not due:
                    sink.add("THU_NS_XA", unit, pid, E, plan * rng.uniform(0.9, 1.1), when, user)
                    continue
                sink.add("THU_NS_XA", unit, pid, A, plan * rng.uniform(0.8, 1.15), when, user)
            if not due:
                continue
            if dossiers:
                sink.add("HS_TN", unit, pid, A, dossiers * rng.uniform(0.85, 1.15), when, user)
                sink.add("TL_HS_TT", unit, pid, A, online + 1.8 * i + rng.uniform(-2, 2), when, user)
                sink.add("TL_HS_DH", unit, pid, A, rng.uniform(95, 100), when, user)
            sink.add("VB_DT", unit, pid, A, documents * rng.uniform(0.85, 1.15), when, user)


BEFORE_REFORM_QUARTERS = ["2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2"]
OLD_SHARE = {"TN": 0.42, "LA": 0.58}  # of the communes' budget revenue, before the merger


def communes_before_reform_add(sink: ValueSink, *, units: DemoUnits, rng: random.Random) -> None:
    """Commune budget revenue before the reform, quarter by quarter (2024Q1–2025Q2, published figures): the old
    provinces' totals, and the old communes behind two new wards, sized from the new communes' first plans (call
    after socio_add). The old provinces' own totals win over their few communes listed here."""
    plans = {c.code: sink.value("THU_NS_XA", c, "2025Q3", T) for c in units.communes}
    total = float(sum(v for v in plans.values() if v is not None)) or 900.0
    by_code = {u.code: u for u in units.old_communes}
    new_by_name = {c.name: c for c in units.communes}
    sized: list[tuple[OrgUnit, float]] = []
    for new_name, codes in MERGED_COMMUNES.items():
        new = new_by_name.get(new_name)
        plan = float(plans.get(new.code) or 9.0) if new else 9.0
        weights = [rng.uniform(0.6, 1.4) for _c in codes]
        sized += [(by_code[c], plan * w / sum(weights)) for c, w in zip(codes, weights, strict=True) if c in by_code]
    if SPLIT_COMMUNE[0] in by_code:
        sized.append((by_code[SPLIT_COMMUNE[0]], 4.0))
    for key, unit in (("TN", units.old_tay_ninh), ("LA", units.old_long_an)):
        sized.append((unit, total * OLD_SHARE[key]))
    for unit, size in sized:
        for pid in BEFORE_REFORM_QUARTERS:
            period = Period.parse(pid)
            plan = size * (0.92 if period.year == 2024 else 0.97) * (1.3 if period.index == 4 else 1.0)
            sink.add("THU_NS_XA", unit, pid, T, round(plan, 1), at(period.year, period.first_month, 5))
            sink.add("THU_NS_XA", unit, pid, A, plan * rng.uniform(0.85, 1.12),
                     at(period.year, period.last_month, 28) + datetime.timedelta(days=10))


def holiday_dates() -> list[datetime.date]:
    return list(Holiday.objects.values_list("date", flat=True))
