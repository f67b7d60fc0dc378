"""API: values as DHIS2's dataValueSets, read and written as JSON or CSV, identified by codes (idScheme=code).

DHIS2's names, and what they are here:
- dataSet: a report form's code; dataElement: an indicator's code; orgUnit: a unit's code;
- period: a period id (202603, 2026Q1, 2026S1, 2026N9, 2026);
- categoryOptionCombo: the value's kind: "actual" (thực hiện), "estimate" (ước thực hiện) or "target" (kế hoạch).
  Missing, empty or "default" (DHIS2's default combination) means "actual";
- attributeOptionCombo: not used; only empty or "default" is accepted.
Numbers travel as machines write them: a dot before the decimals and no thousands separator ("1234.5"), or a JSON
number. (The pages read "1.234" as ambiguous; here it is one point two three four.)

Reading (GET) sees what the pages show: a draft (a report not yet sent, or returned) only where the key may enter
or approve figures (a read-write key whose system holds the reporter or approver role there); everywhere else the
reported values only (DataValue.state >= ValueState.counted(), settings.REPORTED_DATA). Both answers stream from a
database cursor, so their size has no limit and memory stays flat.

Writing (POST; the body's reading and checks are in values_import.py) goes through
reporting.imports.values_import_rows, the one bulk entry point (history with channel "api" and the client's service
account). All or nothing: one conflict and nothing is written. Bodies are limited (MAX_JSON_BYTES: JSON is parsed
whole; MAX_CSV_BYTES: CSV streams into the writer); larger ones answer 413.
"""


import csv
import datetime
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from dieuhanh.accounts.models import Role
from dieuhanh.api.errors import ApiError, ErrorOut
from dieuhanh.api.idempotency import idempotent
from dieuhanh.api.values_import import (
    CSV_COLUMNS,
    REQUEST_BODY,
    ImportSummaryOut,
    check_id_scheme,
    datavaluesets_import,
    no_nul,
)
from dieuhanh.indicators.models import DataValue, ValueState
from dieuhanh.lib.periods import Period, PeriodError, PeriodType, periods_of_year
from dieuhanh.lib.xlsx import csv_text
from dieuhanh.reporting.imports import STRATEGIES
from dieuhanh.reporting.models import ReportForm, Submission
from dieuhanh.reporting.services import form_rows

router = Router(tags=["values"])

MAX_YEARS = 100  # startDate → endDate
STREAM_ROWS = 1000  # values per chunk of a streamed answer
# The shape of each type's period ids, as DataValue.period stores them (lib.periods), for a form's filter in SQL.
PERIOD_ID_REGEX = {PeriodType.MONTH: r"^[0-9]{6}$", PeriodType.QUARTER: r"^[0-9]{4}Q[1-4]$",
                   PeriodType.SIX_MONTHS: r"^[0-9]{4}S[12]$", PeriodType.NINE_MONTHS: r"^[0-9]{4}N9$",
                   PeriodType.YEAR: r"^[0-9]{4}$"}


# --- schemas ------------------------------------------------------------------------------------------------------
class DataValueOut(Schema):
    dataElement: str = Field(description="indicator code")
    period: str
    orgUnit: str = Field(description="unit code")
    categoryOptionCombo: str = Field(description="actual | estimate | target")
    value: str = Field(description="the number, with a dot before the decimals and no thousands separator")
    comment: str
    storedBy: str = Field(description="who changed it last: the person's or the system's name")
    lastUpdated: datetime.datetime
    followup: bool = False


class DataValueSetOut(Schema):
    dataSet: str | None = Field(None, description="the form, when the answer is of one form")
    period: str | None = Field(None, description="the period, when the answer is of one period")
    orgUnit: str | None = Field(None, description="the unit, when the answer is of one unit (without children)")
    completeDate: datetime.date | None = Field(
        None, description="when the answer is one report (one form, period and unit): the day it was submitted")
    dataValues: list[DataValueOut]


class ValueFilters(Schema):
    dataSet: list[str] = Field([], description="form codes (repeat the parameter for several)")
    period: list[str] = Field([], description="period ids (repeatable): 202603, 2026Q1, 2026S1, 2026N9, 2026")
    startDate: datetime.date | None = Field(None, description="with endDate: the periods lying within the dates")
    endDate: datetime.date | None = None
    orgUnit: list[str] = Field([], description="unit codes (repeatable); none: every unit the key may read")
    children: bool = Field(False, description="true: the orgUnits' whole subtrees")
    lastUpdated: datetime.datetime | None = Field(None, description="only values changed since (date or date-time)")
    idScheme: str = Field("code", description="code (the only scheme)")


# --- reading ------------------------------------------------------------------------------------------------------
@dataclass
class _Selection:
    forms: list[ReportForm]
    periods: list[str] | None  # None: any
    units: list  # OrgUnit; empty: every unit the key may read
    filters: ValueFilters


def _selection(principal, f: ValueFilters) -> _Selection:
    no_nul(*f.dataSet, *f.period, *f.orgUnit, f.idScheme)
    check_id_scheme(f.idScheme)
    forms = []
    for code in dict.fromkeys(f.dataSet):
        form = ReportForm.objects.filter(code=code, active=True).first()
        if form is None:
            raise ApiError(404, "E_NOT_FOUND", _("Unknown form '%(v)s'") % {"v": code[:50]}, field="dataSet")
        forms.append(form)
    periods = None
    if f.period:
        periods = []
        for text in dict.fromkeys(f.period):
            try:
                periods.append(Period.parse(text).id)
            except PeriodError as exc:
                raise ApiError(400, "E_PERIOD", str(exc), field="period") from exc
    if f.startDate or f.endDate:
        in_range = _periods_between(f.startDate, f.endDate)
        periods = in_range if periods is None else [p for p in periods if p in set(in_range)]
    units = [principal.unit_or_404(code) for code in dict.fromkeys(f.orgUnit)]
    return _Selection(forms=forms, periods=periods, units=units, filters=f)


def _periods_between(start: datetime.date | None, end: datetime.date | None) -> list[str]:
    """The ids of every period (of every type) that starts on or after `start` and ends on or before `end`."""
    if start is None or end is None:
        raise ApiError(400, "E_DATES", _("startDate and endDate go together"),
                       field="endDate" if start else "startDate")
    if start > end or end.year - start.year > MAX_YEARS:
        raise ApiError(400, "E_DATES", _("startDate must come before endDate, at most %(n)d years apart") % {
            "n": MAX_YEARS}, field="endDate")
    return [p.id for year in range(start.year, end.year + 1) for ptype in PeriodType
            for p in periods_of_year(ptype, year) if start <= p.start and p.end <= end]


def _form_condition(form: ReportForm) -> Q:
    """The values on `form`: its rows' (indicator, kind) cells, of its reporting units, in periods of its type."""
    by_kinds: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for row in form_rows(form):
        by_kinds[tuple(row.kind_list)].append(row.indicator_id)
    cells = Q(pk__in=[])
    for kinds, indicators in by_kinds.items():
        cells |= Q(indicator_id__in=indicators, kind__in=kinds)
    return cells & Q(orgunit__in=form.units.values("pk"), period__regex=PERIOD_ID_REGEX[PeriodType(form.period_type)])


def _values(principal, sel: _Selection) -> QuerySet:
    """The selected values the key may see, ordered, as tuples (see _value_out)."""
    values = DataValue.objects.filter(orgunit__in=principal.units())
    # Drafts only where the key may enter or approve them (the pages' rule); reported values elsewhere.
    values = values.filter(Q(state__gte=ValueState.counted()) | Q(orgunit__in=principal.units(Role.REPORTER,
                                                                                               Role.APPROVER)))
    if sel.forms:
        condition = Q(pk__in=[])
        for form in sel.forms:
            condition |= _form_condition(form)
        values = values.filter(condition)
    if sel.periods is not None:
        values = values.filter(period__in=sel.periods)
    if sel.units:
        if sel.filters.children:
            under = Q(pk__in=[])
            for unit in sel.units:
                under |= Q(orgunit__path__startswith=unit.path)
            values = values.filter(under)
        else:
            values = values.filter(orgunit__in=sel.units)
    if sel.filters.lastUpdated:
        values = values.filter(updated_at__gte=_utc(sel.filters.lastUpdated))
    return values.order_by("orgunit__code", "period", "indicator__code", "kind").values_list(
        "indicator__code", "period", "orgunit__code", "kind", "value", "comment", "updated_by_id", "updated_at")


def _utc(moment: datetime.datetime) -> datetime.datetime:
    """`moment` in UTC (local time when it names no offset). PostgreSQL refuses offsets beyond ±15:59, which ISO 8601
    allows; a moment UTC cannot hold (year 0 or 10000) is clamped, which changes no answer."""
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=timezone.get_current_timezone())
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:
        edge = datetime.datetime.min if moment.year < 2 else datetime.datetime.max
        return edge.replace(tzinfo=datetime.UTC)


def _head(sel: _Selection) -> dict:
    """The set's own dataSet, period and orgUnit when it has one of each, and completeDate when it is one report."""
    head = {}
    if len(sel.forms) == 1:
        head["dataSet"] = sel.forms[0].code
    if sel.periods is not None and len(sel.periods) == 1:
        head["period"] = sel.periods[0]
    if len(sel.units) == 1 and not sel.filters.children:
        head["orgUnit"] = sel.units[0].code
    if len(head) == 3:
        submitted = Submission.objects.filter(
            form=sel.forms[0], orgunit=sel.units[0], period=head["period"],
            status__in=[Submission.Status.SUBMITTED, Submission.Status.APPROVED]).values_list("submitted_at", flat=True)
        when = submitted.first()
        if when:
            head["completeDate"] = timezone.localtime(when).date().isoformat()
    return head


def number_text(value: Decimal) -> str:
    """A stored value as DHIS2 writes numbers: no exponent, no trailing zeros ("1234.5", "-3", "0.000001")."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class _Names:
    """storedBy: the name of who changed a value last, as the history page shows it; each user fetched once."""

    def __init__(self):
        self.known: dict[int | None, str] = {None: ""}

    def __call__(self, user_id: int | None) -> str:
        if user_id not in self.known:
            user = get_user_model().objects.filter(pk=user_id).first()
            self.known[user_id] = (user.get_full_name() or user.get_username()) if user else ""
        return self.known[user_id]


def _value_out(row: tuple, names: _Names) -> dict:
    indicator, period, unit, kind, value, comment, user_id, updated_at = row
    return {"dataElement": indicator, "period": period, "orgUnit": unit, "categoryOptionCombo": kind,
            "value": number_text(value), "comment": comment, "storedBy": names(user_id),
            "lastUpdated": timezone.localtime(updated_at).isoformat(), "followup": False}


def _json_stream(head: dict, rows: Iterable[tuple]) -> Iterator[str]:
    names = _Names()
    yield json.dumps(head, ensure_ascii=False)[:-1] + (", " if head else "") + '"dataValues": ['
    chunk, separator = [], ""
    for row in rows:
        chunk.append(separator + json.dumps(_value_out(row, names), ensure_ascii=False))
        separator = ","
        if len(chunk) >= STREAM_ROWS:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk) + "]}"


class _Lines:
    """A file-like sink for csv.writer, emptied after every chunk of a streamed answer."""

    def __init__(self):
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def take(self) -> str:
        text, self.parts = "".join(self.parts), []
        return text


def _csv_stream(rows: Iterable[tuple]) -> Iterator[str]:
    names, lines = _Names(), _Lines()
    writer = csv.writer(lines, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for n, row in enumerate(rows, 1):
        v = _value_out(row, names)
        writer.writerow([csv_text(v["dataElement"]), v["period"], csv_text(v["orgUnit"]), v["categoryOptionCombo"], "",
                         v["value"], csv_text(v["storedBy"]), v["lastUpdated"], csv_text(v["comment"]), "false"])
        if n % STREAM_ROWS == 0:
            yield lines.take()
    yield lines.take()


_READ_ERRORS = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get("/dataValueSets", response={200: DataValueSetOut, **_READ_ERRORS}, by_alias=True,
            summary="Values as a DHIS2 dataValueSet (JSON)")
def datavaluesets_read(request, filters: Query[ValueFilters]):
    """Values by form (dataSet), period (or startDate–endDate), unit (orgUnit, with children=true its subtree) and
    lastUpdated, identified by codes. Only units the key may read; a unit outside answers 404. A draft is seen only
    where the key may enter or approve figures; elsewhere only reported values (submitted, or approved when the
    province counts approved reports only). Streamed: any size."""
    sel = _selection(request.auth, filters)
    return StreamingHttpResponse(_json_stream(_head(sel), _values(request.auth, sel).iterator(chunk_size=2000)),
                                 content_type="application/json")


@router.get("/dataValueSets.csv", response=_READ_ERRORS, summary="Values as DHIS2's CSV",
            openapi_extra={"responses": {200: {"description": "CSV with a header row: " + ",".join(CSV_COLUMNS),
                                               "content": {"text/csv": {"schema": {"type": "string"}}}}}})
def datavaluesets_read_csv(request, filters: Query[ValueFilters]):
    """The same values as GET /dataValueSets, as CSV in DHIS2's columns (UTF-8, comma, header row); streamed."""
    sel = _selection(request.auth, filters)
    response = StreamingHttpResponse(_csv_stream(_values(request.auth, sel).iterator(chunk_size=2000)),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="dataValueSets.csv"'
    return response


class ImportParams(Schema):
    dryRun: bool = Field(False, description="true: check and count, write nothing")
    importStrategy: str = Field("CREATE_AND_UPDATE", description="CREATE_AND_UPDATE | CREATE | UPDATE | DELETE")
    idScheme: str = Field("code", description="code (the only scheme)")


@router.post("/dataValueSets", response={200: ImportSummaryOut, 409: ImportSummaryOut, 400: ErrorOut,
                                         403: ErrorOut, 404: ErrorOut, 413: ErrorOut, 415: ErrorOut, 422: ErrorOut},
             summary="Import values (a DHIS2 dataValueSet, JSON or CSV)", openapi_extra=REQUEST_BODY)
@idempotent
def datavaluesets_write(request, params: Query[ImportParams]):
    """Write values sent as a DHIS2 dataValueSet (`Content-Type: application/json`) or DHIS2's CSV (`text/csv`,
    with a header row), identified by codes. A top-level dataSet, period or orgUnit applies to the values that name
    none; categoryOptionCombo missing means "actual". A read-write key is needed (403 otherwise); a top-level orgUnit
    beyond the key answers 404, a value's orgUnit beyond it is a conflict (E_UNKNOWN_UNIT, as for a unit that does not
    exist).

    **All or nothing.** DHIS2 imports partially by default (it writes the good values and lists the others);
    Điều hành does not: with any conflict nothing is written, and the answer is HTTP 409 with status ERROR and
    every conflict (errorCode, the value at fault, the message in Vietnamese, the 0-based indexes of the values that
    have it). importStrategy: CREATE_AND_UPDATE (default), CREATE (existing values are left as they are), UPDATE
    (new values are skipped), DELETE (the values named are cleared). dryRun=true checks everything and answers the
    counts a real import would have, writing nothing. Every change is in the value history with channel "API" and
    the client's name. Bodies up to 10 MB of JSON or 200 MB of CSV (413 beyond). `Idempotency-Key` makes a repeat
    safe."""
    request.auth.require_write()
    check_id_scheme(params.idScheme)
    strategy = params.importStrategy.strip().upper()
    if strategy not in STRATEGIES:
        raise ApiError(400, "E_STRATEGY", _("importStrategy must be one of %(v)s") % {"v": ", ".join(STRATEGIES)},
                       field="importStrategy")
    return Status(*datavaluesets_import(request, strategy=strategy, dry_run=params.dryRun))
