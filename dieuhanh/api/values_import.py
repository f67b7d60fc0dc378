"""The writing half of dataValueSets (POST /api/v1/dataValueSets): the body (JSON or CSV) → the checks only the API
can make → reporting.imports.values_import_rows, the one bulk entry point → DHIS2's import summary.

What only the API checks, before the writer: units beyond the key (a client's service account may hold roles from
its other keys, so the writer's own scope check is not enough), numbers written the machine way (DHIS2 writes
"1.234" for one point two three four, which the writer, reading numbers as people type them, would find
ambiguous), the attribute combination, NUL characters. Values refused here are held back from the writer; its
problems' positions are mapped back to the client's (`_Intake.input_index`), and if it wrote anything while the
API refused a value, the write is rolled back: all or nothing either way.
"""

from __future__ import annotations

import bisect
import csv
import datetime
import io
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Literal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError as PydanticValidationError
from pydantic import field_validator

from dieuhanh.accounts.models import Role
from dieuhanh.api.errors import ApiError
from dieuhanh.indicators.models import Channel, DataValue, ValueKind
from dieuhanh.lib.vnformat import format_number
from dieuhanh.lib.xlsx import csv_error_text
from dieuhanh.reporting.imports import ImportErrors, ImportProblem, ImportRow, values_import_rows

MAX_JSON_BYTES = getattr(settings, "API_VALUES_MAX_JSON_BYTES", 10 * 1024 * 1024)  # ≈ 70,000 values
MAX_CSV_BYTES = getattr(settings, "API_VALUES_MAX_CSV_BYTES", 200 * 1024 * 1024)  # ≈ 3,000,000 values
MAX_CONFLICTS = 200  # problems listed; the description counts the others
CSV_COLUMNS = ("dataelement", "period", "orgunit", "categoryoptioncombo", "attributeoptioncombo", "value", "storedby",
               "lastupdated", "comment", "followup")
# A CSV header's names (DHIS2 writes both the long and the short ones) → the JSON names.
CSV_NAMES = {"dataelement": "dataElement", "period": "period", "orgunit": "orgUnit",
             "categoryoptioncombo": "categoryOptionCombo", "catoptcombo": "categoryOptionCombo",
             "attributeoptioncombo": "attributeOptionCombo", "attroptcombo": "attributeOptionCombo",
             "value": "value", "comment": "comment", "deleted": "deleted",
             "storedby": None, "lastupdated": None, "created": None, "followup": None}  # None: read and ignored
DEFAULT_COMBO = ("", "default")
# ImportProblem.field → DHIS2's property
PROPERTY = {"unit": "orgUnit", "indicator": "dataElement", "kind": "categoryOptionCombo", "form": "dataSet",
            "report": "dataSet", "period": "period", "value": "value", "comment": "comment"}
_MACHINE_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
COMMENT_MAX = DataValue._meta.get_field("comment").max_length


class DataValueIn(Schema):
    dataElement: str = Field(description="indicator code")
    period: str | None = Field(None, description="period id; missing: the set's period")
    orgUnit: str | None = Field(None, description="unit code; missing: the set's orgUnit")
    categoryOptionCombo: str | None = Field(None, description="actual (default) | estimate | target")
    attributeOptionCombo: str | None = Field(None, description="not used: empty or 'default'")
    value: str | int | Decimal | None = Field(
        None, description="a JSON number or a string such as \"1234.5\"; empty or null clears the value")
    comment: str | None = Field(None, description="empty or missing: the stored comment stays")
    deleted: bool | None = Field(None, description="true clears the value")

    @field_validator("value", mode="before")
    @classmethod
    def _no_booleans(cls, value):
        if isinstance(value, bool | float | list | dict):  # float: the body is read with decimals as Decimal
            raise ValueError("a number or a string")
        return value


class DataValueSetIn(Schema):
    dataSet: str | None = Field(None, description="form code for every value (optional: found from the values)")
    period: str | None = Field(None, description="period of the values that name none")
    orgUnit: str | None = Field(None, description="unit of the values that name none")
    completeDate: str | None = Field(None, description="ignored: submitting a report is POST /reports/…/submit")
    dataValues: list[DataValueIn] = []



class ImportCountOut(Schema):
    imported: int = Field(description="new values")
    updated: int = Field(description="values changed")
    ignored: int = Field(description="values unchanged, skipped by the strategy, or not written (conflicts)")
    deleted: int = Field(description="values cleared")


class ConflictOut(Schema):
    object: str = Field(description="the value at fault, as sent")
    value: str = Field(description="what is wrong (Vietnamese)")
    errorCode: str = Field(description="stable code, e.g. E_UNKNOWN_UNIT")
    property: str | None = Field(None, description="the field at fault: dataElement, orgUnit, period, value, …")
    indexes: list[int] = Field(description="0-based positions of the values with this conflict")


class OverwriteOut(Schema):
    index: int = Field(description="0-based position of the value in the request")
    dataElement: str
    orgUnit: str
    period: str
    kind: str
    oldValue: str = Field(description="the stored figure replaced")
    value: str | None = Field(description="the figure written (null: cleared)")
    storedBy: str = Field(description="who had saved the replaced figure")
    storedAt: datetime.datetime = Field(description="when it was saved")


class ImportSummaryOut(Schema):
    responseType: str = "ImportSummary"
    status: Literal["SUCCESS", "WARNING", "ERROR"] = Field(
        description="SUCCESS: written (or, dryRun, would be); ERROR: conflicts, nothing written. Never WARNING: "
                    "there is no partial import")
    description: str
    importCount: ImportCountOut
    conflicts: list[ConflictOut]
    dataSetComplete: str = Field("false", description="always \"false\": importing values submits no report")
    overwritten: int = Field(0, description="stored figures replaced or cleared: the request names no report version, "
                                            "so each is recorded in the history as an explicit overwrite")
    overwrites: list[OverwriteOut] = Field([], description="the first 200 of them, old → new and who saved the old")



def no_nul(*texts: str) -> None:
    # PostgreSQL refuses text with NUL in a query, with a server error; nothing we store contains one.
    for text in texts:
        if "\x00" in text:
            raise ApiError(400, "E_INVALID", _("The request contains a NUL character"))


def check_id_scheme(scheme: str) -> None:
    if scheme.strip().lower() != "code":
        raise ApiError(400, "E_ID_SCHEME", _("Only idScheme=code is supported, not '%(v)s'") % {"v": scheme[:50]},
                       field="idScheme")


# --- writing ------------------------------------------------------------------------------------------------------
class _TooLarge(Exception):
    pass


class _HeldBack(Exception):
    """The writer accepted the rows it saw, but the API refused others: roll the write back."""


class _Intake:
    """Turns the values as sent into the writer's ImportRows. It refuses here what only the API knows (units beyond
    the key, numbers not written the machine way, the attribute combination, NUL characters) and holds those values
    back; `input_index` maps the writer's positions back to the client's."""

    def __init__(self, principal, top: dict):
        self.readable = set(principal.units().values_list("code", flat=True))
        self.writable = set(principal.units(Role.REPORTER).values_list("code", flat=True))
        self.form, self.period, self.unit = top.get("dataSet") or None, top.get("period"), top.get("orgUnit")
        self.problems: list[ImportProblem] = []
        self.more = 0
        self.held: list[int] = []  # input positions not passed on, ascending
        self.count = 0  # values read

    def refuse(self, index: int, field: str, value: object, code: str, message: str) -> None:
        if len(self.problems) < MAX_CONFLICTS:
            self.problems.append(ImportProblem(index=index, field=field, value=str(value)[:200], code=code,
                                               message=message))
        else:
            self.more += 1

    @property
    def full(self) -> bool:
        return self.more > 0

    def rows(self, values: Iterable[dict]) -> Iterator[ImportRow]:
        for index, value in enumerate(values):
            self.count = index + 1
            row = self._row(index, value)
            if self.full:
                continue  # enough problems: the writer's positions past here would not map back; just count
            if row is None:
                self.held.append(index)
            else:
                yield row

    def _row(self, index: int, v: dict) -> ImportRow | None:
        if "columns" in v:
            self.refuse(index, "row", v["columns"], "E_CSV_COLUMNS",
                        _("The line has %(n)d columns, unlike the header") % {"n": v["columns"]})
            return None
        element, unit = v.get("dataElement") or "", v.get("orgUnit") or self.unit or ""
        period, combo = v.get("period") or self.period or "", (v.get("categoryOptionCombo") or "").strip()
        attribute, comment = (v.get("attributeOptionCombo") or "").strip(), v.get("comment") or ""
        before = len(self.problems) + self.more
        for name, text in (("indicator", element), ("unit", unit), ("period", period), ("kind", combo),
                           ("comment", comment)):
            if "\x00" in text:
                self.refuse(index, name, text.replace("\x00", "\\0"), "E_TEXT",
                            _("%(field)s contains a NUL character") % {"field": PROPERTY[name]})
                return None
        if unit not in self.readable:
            # Unknown and beyond the key look alike, so a key learns nothing about units it may not see.
            self.refuse(index, "unit", unit, "E_UNKNOWN_UNIT",
                        _("Unit '%(v)s' does not exist or is beyond what this key reaches") % {"v": unit})
        elif unit not in self.writable:
            self.refuse(index, "unit", unit, "E_OUT_OF_SCOPE",
                        _("This key may not enter figures for unit %(v)s") % {"v": unit})
        if attribute.lower() not in DEFAULT_COMBO:
            self.refuse(index, "attributeOptionCombo", attribute, "E_ATTRIBUTE_COMBO",
                        _("attributeOptionCombo is not used: leave it empty or 'default'"))
        if len(comment) > COMMENT_MAX:
            self.refuse(index, "comment", comment[:50] + "…", "E_COMMENT",
                        _("The comment is longer than %(n)d characters") % {"n": COMMENT_MAX})
        deleted = str(v.get("deleted") or "").strip().lower() == "true"
        value = None if deleted else self._number(index, v.get("value"))
        if len(self.problems) + self.more > before:
            return None
        kind = ValueKind.ACTUAL if combo.lower() in DEFAULT_COMBO else combo
        return ImportRow(form=self.form, unit=unit, period=period, indicator=element, kind=kind, value=value,
                         comment=comment)

    def _number(self, index: int, raw: object) -> str | None:
        """The value as text the writer reads exactly; None clears. Refuses what is not a machine-written number."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        text = raw.strip() if isinstance(raw, str) else str(raw)
        if not _MACHINE_NUMBER.fullmatch(text):
            self.refuse(index, "value", text, "E_VALUE_TYPE",
                        _("'%(v)s' is not a number written the machine way: a dot before the decimals, no thousands "
                          "separator (1234.5)") % {"v": text[:50]})
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or number.adjusted() > 30:
            self.refuse(index, "value", text, "E_RANGE", _("'%(v)s' is out of range") % {"v": text[:50]})
            return None
        if number.as_tuple().exponent < -30:  # before writing it out: "1e-999999999" would be a gigabyte of zeros
            self.refuse(index, "value", text, "E_VALUE_TYPE", _("'%(v)s' has too many decimal places") % {
                "v": text[:50]})
            return None
        text = format(number, "f")
        # The writer reads numbers as people type them, where "1.234" is ambiguous (a thousands group?). A fourth
        # decimal makes it a plain decimal and does not change the value.
        if len(text.partition(".")[2]) == 3:
            text += "0"
        return text

    def input_index(self, index: int) -> int:
        """The client's position of the writer's `index`-th row (the writer does not see the values held back)."""
        position = index
        while True:
            shifted = index + bisect.bisect_right(self.held, position)
            if shifted == position:
                return position
            position = shifted


class _LimitedBody(io.RawIOBase):
    """The request body as a stream that refuses to go past `limit` bytes (a body without Content-Length too)."""

    def __init__(self, request, limit: int):
        self.request, self.left = request, limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.request.read(min(len(buffer), self.left + 1))
        if len(data) > self.left:
            raise _TooLarge
        self.left -= len(data)
        buffer[:len(data)] = data
        return len(data)


def _too_large(limit: int) -> ApiError:
    return ApiError(413, "E_TOO_LARGE", _("The body is larger than %(mb)s MB: send the values in several parts") % {
        "mb": format_number(Decimal(limit) / (1024 * 1024), 0, trim=True)})


def _body_kind(request) -> str:
    content_type = (request.content_type or "").lower()
    if content_type == "application/json" or content_type.endswith("+json"):
        kind, limit = "json", MAX_JSON_BYTES
    elif content_type in ("text/csv", "application/csv"):
        kind, limit = "csv", MAX_CSV_BYTES
    else:
        raise ApiError(415, "E_MEDIA_TYPE", _("Send Content-Type: application/json or text/csv"),
                       field="Content-Type")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise _too_large(limit)
    return kind


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number")


def _json_body(request) -> DataValueSetIn:
    raw = request.read(MAX_JSON_BYTES + 1)
    if len(raw) > MAX_JSON_BYTES:
        raise _too_large(MAX_JSON_BYTES)
    try:
        data = json.loads(raw, parse_float=Decimal, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise ApiError(400, "E_JSON", _("The body is not valid JSON (UTF-8)")) from exc
    if not isinstance(data, dict):
        raise ApiError(400, "E_JSON", _("The body must be a JSON object with dataValues"))
    try:
        return DataValueSetIn.model_validate(data)
    except PydanticValidationError as exc:
        raise NinjaValidationError([{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]) \
            from exc


def _csv_values(request) -> Iterator[dict]:
    """The CSV's lines as dicts of the JSON names, streamed from the body."""
    text = io.TextIOWrapper(io.BufferedReader(_LimitedBody(request, MAX_CSV_BYTES)), encoding="utf-8-sig",
                            newline="")
    reader = csv.reader(text)
    header = [name.strip().lower() for name in next(reader, [])]
    if not header:
        return
    unknown = [name for name in header if name not in CSV_NAMES]
    missing = [name for name in ("dataelement", "period", "orgunit", "value") if name not in header]
    if unknown or missing:
        raise ApiError(400, "E_CSV_HEADER", _("The first line must name the columns (%(expected)s); not understood: "
                                              "%(wrong)s") % {"expected": ",".join(CSV_COLUMNS),
                                                              "wrong": ", ".join(unknown + missing)[:200]},
                       field="header")
    keys = [CSV_NAMES[name] for name in header]
    try:
        for line in reader:
            if not line or line == [""]:
                continue
            if len(line) != len(keys):
                yield {"columns": len(line)}
                continue
            yield {key: cell for key, cell in zip(keys, line, strict=True) if key}
    except csv.Error as exc:
        raise ApiError(400, "E_CSV", csv_error_text(exc, reader.line_num)) from exc


def _conflicts(problems: list[ImportProblem]) -> list[ConflictOut]:
    """One conflict per (errorCode, value at fault, message), with the positions of every value that has it."""
    groups: dict[tuple, list[int]] = {}
    for p in sorted(problems, key=lambda p: p.index):
        groups.setdefault((p.code, p.field, p.value, p.message), []).append(p.index)
    return [ConflictOut(object=value, value=message, errorCode=code, property=PROPERTY.get(field, field),
                        indexes=[i for i in indexes if i >= 0])
            for (code, field, value, message), indexes in groups.items()]


def _import(intake: _Intake, values: Iterable[dict], *, user, strategy: str, dry_run: bool
            ) -> tuple[int, ImportSummaryOut]:
    problems, more, result = [], 0, None
    rows = intake.rows(values)
    try:
        first = next(rows, None)
        if first is not None:
            try:
                with transaction.atomic():
                    result = values_import_rows(itertools.chain([first], rows), user=user, channel=Channel.API,
                                                strategy=strategy, dry_run=dry_run, max_errors=MAX_CONFLICTS)
                    if intake.problems:
                        raise _HeldBack
            except ImportErrors as exc:
                problems = [_moved(p, intake.input_index(p.index)) for p in exc.problems]
                more = exc.more
            except _HeldBack:
                result = None
            for _row in rows:  # count the values the writer did not read (it may stop at a problem)
                pass
    except _TooLarge as exc:
        raise _too_large(MAX_CSV_BYTES) from exc
    except UnicodeDecodeError as exc:
        raise ApiError(400, "E_ENCODING", _("The body is not UTF-8 text")) from exc
    except csv.Error as exc:
        raise ApiError(400, "E_CSV", csv_error_text(exc)) from exc
    problems += intake.problems
    more += intake.more
    if problems or more:
        return 409, _summary("ERROR", _refused(len(problems) + more, more), (0, 0, intake.count, 0), problems)
    counts = (result.imported, result.updated, result.ignored, result.deleted) if result else (0, 0, 0, 0)
    done = _("Imported %(imported)s, updated %(updated)s, deleted %(deleted)s, unchanged or skipped %(ignored)s") % {
        "imported": format_number(counts[0], 0), "updated": format_number(counts[1], 0),
        "ignored": format_number(counts[2], 0), "deleted": format_number(counts[3], 0)}
    if dry_run:
        done = _("Dry run, nothing written. %(counts)s") % {"counts": done}
    summary = _summary("SUCCESS", done, counts, [])
    if result is not None and result.overwritten:
        summary.overwritten = result.overwritten
        summary.overwrites = [OverwriteOut(
            index=intake.input_index(o.index), dataElement=o.indicator, orgUnit=o.unit, period=o.period,
            kind=o.kind, oldValue=str(o.old), value=None if o.new is None else str(o.new), storedBy=o.saved_by,
            storedAt=o.saved_at) for o in result.overwrites]
        summary.description += ". " + _("%(n)s stored figures were overwritten (the request names no report "
                                       "version).") % {"n": format_number(result.overwritten, 0)}
    return 200, summary


def _moved(problem: ImportProblem, index: int) -> ImportProblem:
    return ImportProblem(index=index, field=problem.field, value=problem.value, code=problem.code,
                         message=problem.message)


def _refused(total: int, more: int) -> str:
    text = _("Nothing was written: %(n)s problems. Điều hành imports all or nothing.") % {
        "n": format_number(total, 0)}
    if more:
        text += " " + _("Only the first %(shown)s are listed.") % {"shown": format_number(total - more, 0)}
    return text


def _summary(status: str, description: str, counts: tuple[int, int, int, int],
             problems: list[ImportProblem]) -> ImportSummaryOut:
    imported, updated, ignored, deleted = counts
    return ImportSummaryOut(status=status, description=description, conflicts=_conflicts(problems),
                            importCount=ImportCountOut(imported=imported, updated=updated, ignored=ignored,
                                                       deleted=deleted))


def _inline(schema: dict) -> dict:
    """A pydantic JSON schema without "$defs": OpenAPI resolves "#/…" against its own document."""
    defs = schema.pop("$defs", {})

    def resolve(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return resolve(defs[node["$ref"].rsplit("/", 1)[1]])
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    return resolve(schema)


REQUEST_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": _inline(DataValueSetIn.model_json_schema())},
    "text/csv": {"schema": {"type": "string", "description": "UTF-8, comma, a header row naming the columns: "
                            + ",".join(CSV_COLUMNS) + " (dataelement, period, orgunit and value required)"}}}}}


def datavaluesets_import(request, *, strategy: str, dry_run: bool) -> tuple[int, ImportSummaryOut]:
    """POST /dataValueSets once the key and the parameters are checked: read the body, check, write, summarise."""
    principal = request.auth
    if _body_kind(request) == "json":
        payload = _json_body(request)
        top = {"dataSet": payload.dataSet, "period": payload.period, "orgUnit": payload.orgUnit}
        values: Iterable[dict] = (value.__dict__ for value in payload.dataValues)
    else:
        top, values = {}, _csv_values(request)
    no_nul(*(v for v in top.values() if v))
    if top.get("orgUnit") and not principal.units().filter(code=top["orgUnit"]).exists():
        raise ApiError(404, "E_NOT_FOUND", _("Not found, or outside what this key may reach"), field="orgUnit")
    return _import(_Intake(principal, top), values, user=principal.user, strategy=strategy, dry_run=dry_run)
