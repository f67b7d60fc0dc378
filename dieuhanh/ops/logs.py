"""Log lines for machines: one JSON object per line (LOG_FORMAT=json, the default when DEBUG is off), or plain text
for a person at a terminal (LOG_FORMAT=text, the default in DEBUG).

No Django import here: gunicorn.conf.py uses this module before Django is set up, so that gunicorn's own lines
(start, worker boot, timeouts) come out in the same format as the application's."""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import os

# The request being served in this thread or task, set by RequestLogMiddleware: every line logged while serving it
# carries its id, so one request's lines can be found together (and in nginx's log, which sends the same id).
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# What a LogRecord carries by itself; anything else on it was passed as `extra=` and goes into the JSON object.
_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def log_format_from_env(environ=os.environ) -> str:
    """"json" or "text": LOG_FORMAT if set, else text in DEBUG and json otherwise."""
    chosen = environ.get("LOG_FORMAT", "").strip().lower()
    if chosen in {"json", "text"}:
        return chosen
    debug = environ.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
    return "text" if debug else "json"


class JsonFormatter(logging.Formatter):
    """time (UTC, ISO 8601), level, logger, message, the request id, the `extra=` fields, and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # default=str: a value json cannot write (a date, a Decimal, a model) is written as its text, never lost.
        return json.dumps(entry, ensure_ascii=False, default=str)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def formatter_config(log_format: str) -> dict:
    """The `formatters` entry of a logging dictConfig for the chosen format, under the name "default"."""
    if log_format == "json":
        return {"default": {"()": JsonFormatter}}
    return {"default": {"format": TEXT_FORMAT}}
