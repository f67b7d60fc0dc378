"""API: metadata — org units (validity, parent, lineage), indicators, forms with their rows, periods and deadlines.

Org units are scoped: a key lists and reads only the units it reaches (`Principal.units()`); any other code answers
404. Indicators, forms and periods are the catalogue, which any key may read; a form lists only the reporting units
the key reaches. Lineage events name their units' codes as recorded (a merged commune's predecessors may have
ended). Form codes hold slashes ("01/BC-VT"): `/forms/01/BC-VT` is the form, `/forms/01/BC-VT/deadline` its deadline.

Periods, windows and deadlines are read from the domain (dieuhanh.lib.periods, reporting.completeness.deadline_of),
so the API and the pages never disagree."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from dieuhanh.api.errors import ApiError, ErrorOut
from dieuhanh.indicators.models import Indicator
from dieuhanh.lib.periods import Period, PeriodError, PeriodType
from dieuhanh.lib.vnformat import fold
from dieuhanh.orgunits.models import LineageEvent, OrgUnit
from dieuhanh.reporting.completeness import deadline_of
from dieuhanh.reporting.models import FormRow, FormSection, ReportForm

router = Router(tags=["metadata"])
# Offsets beyond this are refused (422): the database takes offsets up to 2^63 only (SQLite errs beyond it).
MAX_OFFSET = 1_000_000_000
ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class Label(Schema):
    code: str
    label: str = Field(description="in the interface's language (Vietnamese by default)")


def _text(value: str | None, field: str) -> str | None:
    """Text from the query or the path as the database takes it: PostgreSQL refuses the NUL character."""
    if value is not None and "\x00" in value:
        raise ApiError(400, "E_INVALID", _("%(field)s holds a NUL character") % {"field": field}, field=field)
    return value


def _label(choices, code: str) -> Label:
    return Label(code=code, label=str(choices(code).label) if code in choices.values else code)


# --- org units ---------------------------------------------------------------------------------------------------
class LineageEventOut(Schema):
    kind: Label = Field(description="merge | split | rename | move")
    date: datetime.date = Field(description="the day the change took effect")
    predecessors: list[str] = Field(description="codes of the units before")
    successors: list[str] = Field(description="codes of the units after")
    old_name: str
    new_name: str
    legal_basis: str


class OrgUnitOut(Schema):
    code: str
    name: str
    kind: Label = Field(description="province | commune | district | agency | enterprise")
    division_type: str = Field(description="the official division type: 'xã', 'phường', 'đặc khu', 'tỉnh'…")
    parent: str | None = Field(description="the parent unit's code")
    path: str = Field(description="the codes from the top of the tree down to this unit, e.g. '/TN/XA-A/'")
    level: int = Field(description="1 for the top of the tree")
    valid_from: datetime.date | None
    valid_to: datetime.date | None = Field(description="the last day the unit existed; null while it exists")
    lineage: list[LineageEventOut] = Field(description="merges, splits, renames and moves the unit took part in")


class OrgUnitListOut(Schema):
    count: int = Field(description="units matching the filters (before limit and offset)")
    items: list[OrgUnitOut]


class OrgUnitQuery(Schema):
    parent: str | None = Field(None, description="only the units directly under this unit (its code)")
    kind: OrgUnit.Kind | None = Field(None, description="only units of this kind")
    activeOn: datetime.date | None = Field(None, description="only units that exist on this day (YYYY-MM-DD)")  # noqa: N815
    q: str | None = Field(None, max_length=100, description="words of the name (accents optional) or a code")
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _units_with_lineage(units):
    events = LineageEvent.objects.prefetch_related("predecessors", "successors").order_by("effective_date", "id")
    return units.select_related("parent").prefetch_related(
        Prefetch("lineage_as_predecessor", queryset=events, to_attr="events_before"),
        Prefetch("lineage_as_successor", queryset=events, to_attr="events_after"))


def orgunit_out(unit: OrgUnit) -> OrgUnitOut:
    events = sorted({e.pk: e for e in [*unit.events_before, *unit.events_after]}.values(),
                    key=lambda e: (e.effective_date, e.pk))
    return OrgUnitOut(
        code=unit.code, name=unit.name, kind=_label(OrgUnit.Kind, unit.kind), division_type=unit.division_type,
        parent=unit.parent.code if unit.parent_id else None, path=unit.path, level=unit.depth,
        valid_from=unit.valid_from, valid_to=unit.valid_to,
        lineage=[LineageEventOut(
            kind=_label(LineageEvent.Kind, e.kind), date=e.effective_date,
            predecessors=sorted(u.code for u in e.predecessors.all()),
            successors=sorted(u.code for u in e.successors.all()),
            old_name=e.old_name, new_name=e.new_name, legal_basis=e.legal_basis) for e in events])


@router.get("/orgUnits", response={200: OrgUnitListOut, **ERRORS}, summary="Org units the key reaches, filtered")
def orgunit_list(request, query: Query[OrgUnitQuery]):
    """The units within the key's reach, in tree order, with their validity dates, parent and lineage events.
    Filter by parent (direct children), kind, the day they exist on, or words of the name; page with limit and
    offset."""
    _text(query.parent, "parent")
    _text(query.q, "q")
    units = request.auth.units()
    if query.parent:
        units = units.filter(parent=request.auth.unit_or_404(query.parent))
    if query.kind:
        units = units.filter(kind=query.kind)
    if query.activeOn:
        day = query.activeOn
        units = units.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day),
                             Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    if query.q and query.q.strip():
        text = query.q.strip()
        units = units.filter(Q(search_name__contains=fold(text)) | Q(code__iexact=text))
    units = units.order_by("path")
    page = _units_with_lineage(units)[query.offset:query.offset + query.limit]
    return OrgUnitListOut(count=units.count(), items=[orgunit_out(u) for u in page])


@router.get("/orgUnits/{code}", response={200: OrgUnitOut, **ERRORS}, summary="One org unit")
def orgunit_detail(request, code: str):
    """A unit within the key's reach, with its validity dates, parent and lineage events; any other code answers
    404."""
    unit = request.auth.unit_or_404(_text(code, "code"))
    return orgunit_out(_units_with_lineage(OrgUnit.objects.filter(pk=unit.pk)).get())


# --- indicators --------------------------------------------------------------------------------------------------
class IndicatorOut(Schema):
    code: str
    name: str
    short_name: str
    unit: str = Field(description="unit of measure, e.g. 'tỷ đồng', '%'")
    value_type: Label = Field(description="number | integer | percent | …")
    decimals: int
    unit_aggregation: Label = Field(description="how units' values combine into their parent's")
    period_aggregation: Label = Field(description="how months combine into quarters and years")
    weight_indicator: str | None = Field(description="the code of the indicator a weighted average is weighted by")
    direction: Label = Field(description="higher or lower is better")
    sector: Label = Field(description="the sector's code and name")
    min_value: Decimal | None
    max_value: Decimal | None
    description: str
    active: bool


class IndicatorListOut(Schema):
    count: int
    items: list[IndicatorOut]


class IndicatorQuery(Schema):
    sector: str | None = Field(None, description="only this sector's indicators (its code)")
    active: bool | None = Field(None, description="only active (true) or retired (false) indicators")
    limit: int = Field(500, ge=1, le=5000)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def indicator_out(indicator: Indicator) -> IndicatorOut:
    return IndicatorOut(
        code=indicator.code, name=indicator.name, short_name=indicator.short_name, unit=indicator.unit,
        value_type=_label(Indicator.ValueType, indicator.value_type), decimals=indicator.decimals,
        unit_aggregation=_label(Indicator.UnitAggregation, indicator.unit_aggregation),
        period_aggregation=_label(Indicator.PeriodAggregation, indicator.period_aggregation),
        weight_indicator=indicator.weight_indicator.code if indicator.weight_indicator_id else None,
        direction=_label(Indicator.Direction, indicator.direction),
        sector=Label(code=indicator.sector.code, label=indicator.sector.name),
        min_value=indicator.min_value, max_value=indicator.max_value, description=indicator.description,
        active=indicator.active)


@router.get("/indicators", response={200: IndicatorListOut, **ERRORS}, summary="The indicator catalogue")
def indicator_list(request, query: Query[IndicatorQuery]):
    """Every indicator (the catalogue is the province's, readable with any key), by sector and code."""
    indicators = Indicator.objects.select_related("sector", "weight_indicator").order_by("sector__order", "code")
    if _text(query.sector, "sector"):
        indicators = indicators.filter(sector__code=query.sector)
    if query.active is not None:
        indicators = indicators.filter(active=query.active)
    page = indicators[query.offset:query.offset + query.limit]
    return IndicatorListOut(count=indicators.count(), items=[indicator_out(i) for i in page])


@router.get("/indicators/{code}", response={200: IndicatorOut, **ERRORS}, summary="One indicator")
def indicator_detail(request, code: str):
    indicator = Indicator.objects.select_related("sector", "weight_indicator").filter(code=_text(code, "code")).first()
    if indicator is None:
        raise Http404
    return indicator_out(indicator)


# --- forms -------------------------------------------------------------------------------------------------------
class FormRowOut(Schema):
    indicator: str = Field(description="the indicator's code")
    label: str = Field(description="the row's label on the form (the indicator's name when it has none)")
    kinds: list[str] = Field(description="the value kinds the row asks for: target, estimate, actual")
    total_row: str | None = Field(description="the indicator code of the row this one is a part of (sum rule: the "
                                              "parts together may not exceed it)")


class FormSectionOut(Schema):
    title: str
    rows: list[FormRowOut]


class FormItem(Schema):
    code: str
    name: str
    period_type: Label = Field(description="month | quarter | six_months | nine_months | year")
    deadline_rule: str = Field(description="when a report is due, as officials say it")
    receiver: str | None = Field(description="the code of the unit that receives the reports")
    description: str
    active: bool


class FormOut(FormItem):
    sections: list[FormSectionOut]
    units: list[str] = Field(description="codes of the reporting units (those the key reaches)")


class FormListOut(Schema):
    count: int
    items: list[FormItem]


class FormQuery(Schema):
    active: bool | None = Field(None, description="only active (true) or retired (false) forms")
    periodType: PeriodType | None = Field(None, description="only forms reported by this period type")  # noqa: N815
    limit: int = Field(500, ge=1, le=5000)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _form_item(form: ReportForm) -> dict:
    return {"code": form.code, "name": form.name, "period_type": _period_type(form.period_type),
            "deadline_rule": form.deadline_rule.describe(),
            "receiver": form.receiver.code if form.receiver_id else None,
            "description": form.description, "active": form.active}


def _period_type(code: str) -> Label:
    return Label(code=code, label=PeriodType(code).label)


def _form_or_404(code: str) -> ReportForm:
    form = ReportForm.objects.select_related("receiver").filter(code=_text(code, "code")).first()
    if form is None:
        raise Http404
    return form


@router.get("/forms", response={200: FormListOut, **ERRORS}, summary="Report forms (biểu mẫu)")
def form_list(request, query: Query[FormQuery]):
    """Every report form of the catalogue, by code; a form's sections, rows and units are in its detail."""
    forms = ReportForm.objects.select_related("receiver").order_by("code")
    if query.active is not None:
        forms = forms.filter(active=query.active)
    if query.periodType:
        forms = forms.filter(period_type=query.periodType)
    page = forms[query.offset:query.offset + query.limit]
    return FormListOut(count=forms.count(), items=[FormItem(**_form_item(f)) for f in page])


class DeadlineQuery(Schema):
    period: str = Field(description="a period id of the form's type: 202603, 2026Q1, 2026S1, 2026N9, 2026")


class WindowOut(Schema):
    start: datetime.date
    end: datetime.date = Field(description="the cut-off: data up to this day count for the period")


class DeadlineOut(Schema):
    form: str
    period: str
    period_label: str
    deadline: datetime.date = Field(description="the day the report is due (weekends and holidays counted as the "
                                                "form's rule says)")
    deadline_rule: str
    window: WindowOut = Field(description="the Decree 09/2019 data window of the period")


def _period(period_id: str, field: str) -> Period:
    try:
        return Period.parse(period_id)
    except PeriodError as exc:
        raise ApiError(400, "E_PERIOD", str(exc), field=field) from exc


@router.get("/forms/{path:code}/deadline", response={200: DeadlineOut, **ERRORS},
            summary="A form's deadline for a period")
def form_deadline(request, code: str, query: Query[DeadlineQuery]):
    """When the form's report for the period is due, by the form's rule and the province's holidays."""
    form = _form_or_404(code)
    period = _period(query.period, "period")
    if period.type != form.period_type:
        raise ApiError(400, "E_PERIOD", _("Form %(form)s is reported by %(type)s, not by %(asked)s") % {
            "form": form.code, "type": PeriodType(form.period_type).label.lower(),
            "asked": period.type.label.lower()}, field="period")
    start, end = period.window()
    return DeadlineOut(form=form.code, period=period.id, period_label=period.label,
                       deadline=deadline_of(form, period), deadline_rule=form.deadline_rule.describe(),
                       window=WindowOut(start=start, end=end))


@router.get("/forms/{path:code}", response={200: FormOut, **ERRORS}, summary="A form with its sections, rows, units")
def form_detail(request, code: str):
    """The form's sections and rows in order (indicator, the kinds asked, the total a row is a part of) and the
    reporting units the key reaches."""
    form = _form_or_404(code)
    rows = FormRow.objects.select_related("indicator", "total_row__indicator").order_by("order", "id")
    sections = FormSection.objects.filter(form=form).order_by("order", "id").prefetch_related(
        Prefetch("rows", queryset=rows))
    units = form.units.filter(pk__in=request.auth.units().values("pk")).order_by("path").values_list("code", flat=True)
    return FormOut(**_form_item(form), units=list(units), sections=[FormSectionOut(title=s.title, rows=[
        FormRowOut(indicator=r.indicator.code, label=r.label or r.indicator.name, kinds=r.kind_list,
                   total_row=r.total_row.indicator.code if r.total_row_id else None) for r in s.rows.all()])
        for s in sections])


# --- periods -----------------------------------------------------------------------------------------------------
class PeriodOut(Schema):
    id: str
    type: Label
    label: str = Field(description="as officials write it: 'Tháng 3/2026', 'Quý I/2026', '6 tháng đầu năm 2026'")
    start: datetime.date
    end: datetime.date
    previous: str = Field(description="the period just before, of the same type")
    next: str = Field(description="the period just after, of the same type")
    same_period_last_year: str
    window: WindowOut = Field(description="the Decree 09/2019 data window: 15th of the month before the period to "
                                          "the 14th of its last month")


@router.get("/periods/{period_id}", response={200: PeriodOut, **ERRORS}, summary="Parse a period id")
def period_detail(request, period_id: str):
    """A period id (DHIS2's: 202603, 2026Q1, 2026S1, 2026; ours for nine months: 2026N9) read: its type, label in
    Vietnamese, dates, neighbours and Decree 09 window. Anything else answers 400 with the ids it accepts."""
    period = _period(period_id, "period_id")
    start, end = period.window()
    return PeriodOut(id=period.id, type=Label(code=period.type.value, label=period.type.label), label=period.label,
                     start=period.start, end=period.end, previous=period.previous().id, next=period.next().id,
                     same_period_last_year=period.same_period_last_year().id, window=WindowOut(start=start, end=end))
