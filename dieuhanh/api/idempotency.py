"""Idempotent POSTs: a client that sends `Idempotency-Key: <its own unique text>` may repeat the request (after a
timeout, a dropped connection) without doing the work twice.

Apply it to a POST endpoint directly under the route decorator:

    from dieuhanh.api.idempotency import idempotent

    @router.post("/dataValueSets", response={200: ImportSummaryOut, 400: ErrorOut, 409: ErrorOut})
    @idempotent
    def data_value_sets_post(request, payload: DataValueSetIn):
        ...

What it does, for a request that carries the header (without it, the endpoint runs as always):
- The key is claimed in the database (a row of `IdempotentRequest`, unique per API key) *before* the endpoint runs,
  so of two concurrent duplicates, in one process or in two, only one runs; the other answers 409
  `E_IDEMPOTENCY_PENDING` (with Retry-After) until the first has finished.
- When the endpoint has answered, its status and body are stored; a repeat with the same method, path, query and
  body gets them back byte for byte, with the header `Idempotent-Replayed: true`.
- The same key with another request (another body, path or query) is refused: 409 `E_IDEMPOTENCY`.
- Keys are per API key (two systems may use the same text) and kept `KEPT` (24 h); after that the key is new again.
- Answers that were never reached (401, 429, or 422 when the input does not fit the schema: the endpoint did not
  run) are not stored, and neither are server errors (5xx): the request may be repeated with the same key. Every
  other answer, 4xx included, is stored: the endpoint ran and decided.

The endpoint's OpenAPI gets the `Idempotency-Key` header and the 409 answer (ErrorOut; when the endpoint declares its
own 409 schema, either of the two). Declare `409: ErrorOut` yourself when the endpoint's only success status is not
200 (e.g. `response={201: Out}`): adding it for you would make ninja's default status 200."""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, RawPostDataException
from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task
from ninja.decorators import decorate_view
from ninja.utils import contribute_operation_callback

from dieuhanh.api.auth import Principal
from dieuhanh.api.errors import ApiError, ErrorOut, error_body
from dieuhanh.api.models import IdempotentRequest

HEADER = "Idempotency-Key"
KEPT = datetime.timedelta(hours=24)
MAX_KEY_LENGTH = 255
REPLAYED_HEADER = "Idempotent-Replayed"


def idempotent(view: Callable) -> Callable:
    """Make a POST endpoint honour `Idempotency-Key` (see the module's docstring)."""

    @functools.wraps(view)
    def claimed(request: HttpRequest, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view(request, *args, **kwargs)
        replay = _claim(request, key)
        if replay is not None:
            return replay
        return view(request, *args, **kwargs)

    # The claim needs the caller (known once ninja has authenticated), the answer is known only once ninja has
    # turned the result or the exception into a response: the claim wraps the view, the recording wraps the run.
    return decorate_view(_recording)(_documented(claimed))


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.method}\0{request.get_full_path()}\0".encode())
    try:
        digest.update(request.body)
    except RawPostDataException:
        # A multipart upload already read as files: fingerprint its fields and the files' contents instead.
        for name, values in sorted(request.POST.lists()):
            digest.update(f"{name}={values!r}\0".encode())
        for name, files in sorted(request.FILES.lists()):
            for upload in files:
                digest.update(f"{name}:{upload.name}\0".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    return digest.hexdigest()


def _claim(request: HttpRequest, key: str) -> HttpResponse | None:
    """Claim `key` for this request, or answer a repeat: the stored response, or raise 409."""
    if not key.strip() or len(key) > MAX_KEY_LENGTH:
        raise ApiError(400, "E_IDEMPOTENCY", _("The Idempotency-Key header must be 1 to %(n)d characters long") % {
            "n": MAX_KEY_LENGTH}, field=HEADER)
    api_key = request.auth.key
    fingerprint = _fingerprint(request)
    now = timezone.now()
    # Expired keys are forgotten (this caller's here; everyone's in purge_expired_idempotency_keys).
    IdempotentRequest.objects.filter(api_key=api_key, created_at__lt=now - KEPT).delete()
    try:
        with transaction.atomic():
            request._idempotent_claim = IdempotentRequest.objects.create(
                api_key=api_key, key=key, fingerprint=fingerprint, created_at=now)
        return None
    except IntegrityError:
        pass
    request._idempotent_answered = True
    return _answer_repeat(IdempotentRequest.objects.filter(api_key=api_key, key=key).first(), fingerprint)


def _answer_repeat(earlier: IdempotentRequest | None, fingerprint: str) -> HttpResponse:
    if earlier is not None and earlier.fingerprint != fingerprint:
        raise ApiError(409, "E_IDEMPOTENCY", _(
            "This Idempotency-Key was already used with a different request; use a new key for a new request"),
            field=HEADER)
    if earlier is None or earlier.status is None:
        # Still running (or released a moment ago after a server error): the client should ask again shortly.
        response = HttpResponse(status=409, content_type="application/json")
        response.content = _json(error_body("E_IDEMPOTENCY_PENDING", _(
            "A request with this Idempotency-Key is still being processed; try again in a moment"), field=HEADER))
        response["Retry-After"] = "1"
        return response
    response = HttpResponse(bytes(earlier.body), status=earlier.status, content_type=earlier.content_type or None)
    response[REPLAYED_HEADER] = "true"
    return response


def _json(body: dict) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


def _recording(run: Callable) -> Callable:
    @functools.wraps(run)
    def recorded(request: HttpRequest, *args, **kwargs):
        try:
            response = run(request, *args, **kwargs)
        except BaseException:
            _release(request)
            raise
        claim: IdempotentRequest | None = getattr(request, "_idempotent_claim", None)
        if claim is None:
            return _unclaimed(request, response)
        if response.status_code >= 500 or getattr(response, "streaming", False):
            _release(request)
            return response
        IdempotentRequest.objects.filter(pk=claim.pk).update(
            status=response.status_code, content_type=response.get("Content-Type", ""), body=response.content)
        return response

    return recorded


def _unclaimed(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The endpoint did not run: the key was refused or replayed, or ninja stopped the request before (401, 429, 422).
    A repeat stopped before still learns that its key was used for another request, or gets the first answer."""
    key = request.headers.get(HEADER)
    principal = getattr(request, "auth", None)
    if getattr(request, "_idempotent_answered", False) or not key or not isinstance(principal, Principal):
        return response
    earlier = IdempotentRequest.objects.filter(api_key=principal.key, key=key, status__isnull=False).first()
    if earlier is None:
        return response
    try:
        return _answer_repeat(earlier, _fingerprint(request))
    except ApiError as refused:
        return HttpResponse(_json(error_body(refused.code, refused.message, field=refused.field)), status=409,
                            content_type="application/json")


def _release(request: HttpRequest) -> None:
    claim = getattr(request, "_idempotent_claim", None)
    if claim is not None:
        IdempotentRequest.objects.filter(pk=claim.pk, status__isnull=True).delete()


def _documented(view: Callable) -> Callable:
    """Add the header and the 409 answer to the operation (its OpenAPI, and the answers ninja accepts)."""

    def contribute(operation) -> None:
        header = {"in": "header", "name": HEADER, "required": False, "schema": {"type": "string", "maxLength": 255},
                  "description": "Repeat a POST safely: the same key with the same request replays the first answer "
                                 "(24 h); with another request it is refused (409)."}
        extra = operation.openapi_extra or {}
        operation.openapi_extra = {**extra, "parameters": [*extra.get("parameters", []), header]}
        declared = operation.response_models.get(409)
        if declared is None:
            if len(operation.response_models) == 1 and 200 not in operation.response_models:
                raise ImproperlyConfigured(
                    f"{operation.view_func.__qualname__}: declare 409: ErrorOut in response= (see idempotency.py)")
            operation.response_models[409] = operation._create_response_model(ErrorOut)
        else:
            # The endpoint answers 409 in its own shape (e.g. an import summary); ours is ErrorOut: either may come.
            theirs = declared.model_fields["response"].annotation
            if theirs is not ErrorOut and ErrorOut not in getattr(theirs, "__args__", ()):
                operation.response_models[409] = operation._create_response_model(theirs | ErrorOut)

    contribute_operation_callback(view, contribute)
    return view


def purge_expired() -> int:
    """Forget every key older than KEPT; returns how many."""
    return IdempotentRequest.objects.filter(created_at__lt=timezone.now() - KEPT).delete()[0]


# Every night; the worker registers it when it imports the API's modules (djhuey imports each app's `tasks`, and
# dieuhanh/api/tasks.py applies @idempotent).
@db_periodic_task(crontab(hour="2", minute="17"))
def idempotency_purge() -> int:
    return purge_expired()
