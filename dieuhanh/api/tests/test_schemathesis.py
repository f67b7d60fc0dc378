"""schemathesis against our own OpenAPI: every operation, with a fixed seed and a bounded number of examples, called
through the WSGI application with a read-write key over a small province (a form, values, a task, a webhook). No
answer may be a server error, and every answer must match what the OpenAPI declares (status, content type, headers,
body schema).

`SCHEMATHESIS_EXAMPLES` changes the number of examples per operation (default 15; the whole run stays under about
two minutes). A failure names the operation and prints the call that failed (curl) so it can be replayed."""
# The fixtures of the assignments tests are imported: tests naming them as arguments "redefine" them.
# ruff: noqa: F811

import os
from decimal import Decimal

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, seed, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dieuhanh.assignments.tests.conftest import (  # noqa: F401 (fixtures)
    assigner,
    assigner_user,
    coordinating_unit,
    document,
    finance,
    lead_reporter,
    lead_unit,
    make_task,
    office,
    task,
)
from dieuhanh.indicators.models import Channel, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "15"))
CHECKS = [schemathesis.checks.not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
schema.config.generation.update(max_examples=EXAMPLES, deterministic=True, modes=["positive"])


@pytest.fixture
def province_with_data(province, commune_a, commune_b, agency, monthly_form, revenue, mobile_revenue, subscribers,
                       reporter_a, task):
    datavalues_save(orgunit=commune_a, period="202603", user=reporter_a, channel=Channel.WEB,
                    state=ValueState.DRAFT, values=[ValueInput(revenue, "actual", Decimal("120.5")),
                                                    ValueInput(mobile_revenue, "actual", Decimal("80")),
                                                    ValueInput(subscribers, "actual", Decimal("1500"))])
    return province


@pytest.fixture
def auth_header(province_with_data, key_for):
    return {"Authorization": f"Bearer {key_for(province_with_data, access='read_write')}"}


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE_PER_MINUTE = 1_000_000


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The calls go through the real WSGI handler, which closes the database connection after each request when it
    is not in autocommit; inside the test's transaction that would close it under the test (PostgreSQL). Django's
    test client detaches the same signal handler."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@seed(20261203)
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, print_blob=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
@pytest.mark.django_db
def test_every_operation_answers_within_its_schema(case, auth_header):
    case.call_and_validate(headers=auth_header, checks=CHECKS)

