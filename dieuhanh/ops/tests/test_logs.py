"""Structured logs: one JSON object per line, and one line per request from the request-log middleware."""

from __future__ import annotations

import json
import logging

import pytest

from dieuhanh.ops.logs import JsonFormatter, log_format_from_env, request_id_var


def test_the_format_follows_log_format_then_debug():
    assert log_format_from_env({}) == "json"
    assert log_format_from_env({"DEBUG": "1"}) == "text"
    assert log_format_from_env({"DEBUG": "1", "LOG_FORMAT": "json"}) == "json"
    assert log_format_from_env({"LOG_FORMAT": "TEXT"}) == "text"
    assert log_format_from_env({"LOG_FORMAT": "xml"}) == "json"


def test_a_record_is_one_line_of_json_with_its_extra_fields_and_traceback():
    record = logging.LogRecord("dieuhanh.test", logging.ERROR, __file__, 1, "failed for %s", ("Tây Ninh",), None)
    record.unit = "TN"
    try:
        raise ValueError("bad\nvalue")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    token = request_id_var.set("req-12345678")
    try:
        line = JsonFormatter().format(record)
    finally:
        request_id_var.reset(token)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR" and entry["logger"] == "dieuhanh.test"
    assert entry["message"] == "failed for Tây Ninh"
    assert entry["unit"] == "TN" and entry["request_id"] == "req-12345678"
    assert "ValueError: bad" in entry["exception"]
    assert entry["time"].endswith("+00:00")


@pytest.mark.django_db
def test_each_request_is_logged_once_with_its_fields(client, leader, caplog):
    client.force_login(leader)  # the login page sends a logged-in person on: 302
    with caplog.at_level(logging.INFO, logger="dieuhanh.request"):
        response = client.get("/login/?secret=1", HTTP_X_REQUEST_ID="0123456789abcdef0123456789abcdef")
    records = [r for r in caplog.records if r.name == "dieuhanh.request"]
    assert len(records) == 1
    record = records[0]
    assert (record.method, record.path, record.status) == ("GET", "/login/", response.status_code)
    assert record.request_id == "0123456789abcdef0123456789abcdef" == response["X-Request-ID"]
    assert record.user_id == leader.pk and record.client == "127.0.0.1"
    assert record.duration_ms >= 0
    assert "secret" not in JsonFormatter().format(record)  # the query string is not logged


@pytest.mark.django_db
def test_a_request_id_that_is_not_plain_is_replaced(client, caplog):
    with caplog.at_level(logging.INFO, logger="dieuhanh.request"):
        response = client.get("/login/", HTTP_X_REQUEST_ID='x"}\n{"level": "forged')
    record = next(r for r in caplog.records if r.name == "dieuhanh.request")
    assert record.request_id == response["X-Request-ID"]
    assert len(record.request_id) == 32 and record.request_id.isalnum()
    assert record.user_id is None
