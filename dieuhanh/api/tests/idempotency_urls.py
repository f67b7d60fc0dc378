"""A small API, wired like /api/v1/ (same auth, rate limit and error shape), whose POSTs are @idempotent: it registers
API clients through the real service, so a POST that ran twice would show (a second client, or 'name taken')."""

import threading

from django.test import Client
from django.urls import path
from ninja import NinjaAPI, Schema, Status

from dieuhanh.accounts.keys import apiclient_create
from dieuhanh.api import errors
from dieuhanh.api.auth import AUTH, KeyRateThrottle
from dieuhanh.api.errors import ApiError, ErrorOut
from dieuhanh.api.idempotency import HEADER, idempotent

api = NinjaAPI(title="idempotency test", urls_namespace="api-idempotency-test", auth=AUTH,
               throttle=[KeyRateThrottle()], docs_url=None)
errors.install(api)

# Set by a test to make /clients wait (for a concurrent duplicate) until the test lets it go on.
running = threading.Event()
go_on = threading.Event()
go_on.set()


class ClientIn(Schema):
    name: str
    fail: bool = False


class ClientOut(Schema):
    id: int
    name: str


@api.post("/clients", response={201: ClientOut, 400: ErrorOut, 409: ErrorOut})
@idempotent
def client_register(request, payload: ClientIn):
    request.auth.require_write()
    running.set()
    go_on.wait(10)
    if payload.fail:
        raise RuntimeError("a server error: the key must be released")
    client = apiclient_create(name=payload.name, created_by=request.auth.user)
    return Status(201, ClientOut(id=client.pk, name=client.name))


class NestedOut(Schema):
    inner_status: int
    inner_code: str


@api.post("/nested", response=NestedOut)
@idempotent
def nested(request, payload: ClientIn):
    """While this runs, the same request is sent again: the key is already claimed."""
    inner = Client(HTTP_AUTHORIZATION=request.headers["Authorization"]).post(
        "/nested", request.body, content_type="application/json", headers={HEADER: request.headers[HEADER]})
    return NestedOut(inner_status=inner.status_code, inner_code=inner.json()["code"])


@api.post("/refuse", response={200: ClientOut, 400: ErrorOut})
@idempotent
def refuse(request, payload: ClientIn):
    raise ApiError(400, "E_TEST", f"Bị từ chối: {payload.name}", field="name")



class SummaryOut(Schema):
    status: str


@api.post("/own409", response={200: SummaryOut, 409: SummaryOut})
@idempotent
def own_conflict(request, payload: ClientIn):
    """An endpoint that answers 409 in its own shape: the idempotency refusal (ErrorOut) is declared beside it."""
    return Status(409, SummaryOut(status="ERROR"))


urlpatterns = [path("", api.urls)]
