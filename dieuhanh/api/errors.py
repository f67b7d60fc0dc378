"""One error shape for every API answer that is not a success: `{code, message, field, index, errors}`.

`message` is Vietnamese (the interface's language); `field` names the input field at fault and `index` the position
of the item in a list (a value in a dataValueSet), when there is one; `errors` lists every problem when there are
several (the first is repeated at the top). Services raise Django's ValidationError (a message, a list, or a dict
keyed by field), endpoints raise ApiError; the handlers below turn both, and ninja's own errors, into this shape."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from dieuhanh.lib.vnformat import format_number


class ErrorItem(Schema):
    code: str
    message: str
    field: str | None = None
    index: int | None = None


class ErrorOut(ErrorItem):
    errors: list[ErrorItem] = []


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, *, field: str | None = None, index: int | None = None,
                 errors: list[dict] | None = None):
        self.status, self.code, self.message, self.field, self.index = status, code, message, field, index
        self.errors = errors or []
        super().__init__(message)


def error_body(code: str, message: str, *, field=None, index=None, errors=None) -> dict:
    first = {"code": code, "message": message, "field": field, "index": index}
    return {**first, "errors": errors or [first]}


def _validation_items(exc: ValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [{"code": "E_INVALID", "message": m, "field": field, "index": None}
                for field, errors in exc.message_dict.items() for m in errors]
    return [{"code": "E_INVALID", "message": m, "field": None, "index": None} for m in exc.messages]


def _ninja_items(exc: NinjaValidationError) -> list[dict]:
    items = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        # ninja's location starts with where the input came from (body, query, path) and, for a body, the
        # parameter's name; what the client needs is the field path in what it sent.
        path = [p for p in loc[1:] if p != "payload"] if loc and loc[0] in ("body", "query", "path", "header") else loc
        index = next((int(p) for p in path if p.isdigit()), None)
        field = ".".join(p for p in path if not p.isdigit()) or None
        items.append({"code": "E_SCHEMA", "message": _("%(field)s: %(problem)s") % {
            "field": field or _("input"), "problem": _schema_problem(error)}, "field": field, "index": index})
    return items


def _schema_problem(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return _("is required")
    if kind.endswith("_parsing") or kind.endswith("_type"):
        return _("has the wrong type")
    return str(error.get("msg", _("is not valid")))


def install(api) -> None:
    """Register the handlers on a NinjaAPI."""

    def answer(request, status: int, items: list[dict], code: str | None = None, message: str | None = None):
        first = items[0] if items else {"code": code, "message": message, "field": None, "index": None}
        return api.create_response(request, {**first, "errors": items or [first]}, status=status)

    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        item = {"code": exc.code, "message": exc.message, "field": exc.field, "index": exc.index}
        return answer(request, exc.status, exc.errors or [item])

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        return answer(request, 400, _validation_items(exc))

    @api.exception_handler(NinjaValidationError)
    def schema_error(request, exc: NinjaValidationError):
        return answer(request, 422, _ninja_items(exc))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return answer(request, 404, [], "E_NOT_FOUND", _("Not found, or outside what this key may reach"))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return answer(request, 403, [], "E_FORBIDDEN", str(exc) or _("This key may not do that"))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return answer(request, 401, [], "E_UNAUTHENTICATED",
                      _("Send a valid API key: 'Authorization: Bearer <key>' (unknown, expired or revoked keys are "
                        "refused)"))

    @api.exception_handler(Throttled)
    def throttled(request, exc: Throttled):
        response = answer(request, 429, [], "E_RATE_LIMIT",
                          _("Too many requests with this key; try again in %(s)d seconds") % {
                              "s": int(exc.wait or 1)})
        return response

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        # A body read whole (JSON, or any POST sent with an Idempotency-Key, whose body is fingerprinted) is held to
        # DATA_UPLOAD_MAX_MEMORY_SIZE; a large CSV is streamed and has its own limit.
        return answer(request, 413, [], "E_TOO_LARGE", _(
            "The request body is larger than %(mb)s MB; send a CSV file without Idempotency-Key, or split the data")
            % {"mb": format_number(Decimal(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) / 1_000_000, 1, trim=True)})

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return answer(request, exc.status_code, [], "E_HTTP", str(exc))
