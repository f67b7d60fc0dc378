"""gunicorn's settings for Điều hành, all from the environment (`gunicorn -c gunicorn.conf.py`).

HOST, PORT                 where to listen (default 127.0.0.1:8000: behind nginx on the same machine)
WEB_CONCURRENCY            worker processes (default 2 × cores + 1, gunicorn's advice)
GUNICORN_THREADS           threads per worker (default 2: a slow request does not stall its whole process)
GUNICORN_TIMEOUT           seconds a request may take before its worker is killed and restarted (default 60)
GUNICORN_GRACEFUL_TIMEOUT  seconds a stopping worker gets to finish its requests (default 30)
GUNICORN_MAX_REQUESTS      requests after which a worker is replaced, against slow leaks (default 5000; 0 = never)
FORWARDED_ALLOW_IPS        proxies whose X-Forwarded-* gunicorn believes (default 127.0.0.1,::1)
LOG_FORMAT, LOG_LEVEL      as in settings.py: gunicorn's own lines come out like the application's

Requests are logged once, by the application (dieuhanh.ops.middleware: method, path, status, duration, request
id), so gunicorn's access log stays off.
"""

import multiprocessing
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dieuhanh.ops.logs import formatter_config, log_format_from_env  # noqa: E402

wsgi_app = "dieuhanh.wsgi:application"
bind = [f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"]
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Load Django once in the master, then fork: the workers share its memory, and wsgi.py's gc.freeze() (after
# loading) keeps the collector from walking — and copying — those shared pages in every worker.
preload_app = True
# gunicorn's control socket (for `gunicornc`) is not used; off, it needs no writable home and two servers on one
# machine (the load test beside `make serve`) do not fight over its path.
control_socket_disable = True

accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": formatter_config(log_format_from_env()),
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "default", "stream": "ext://sys.stderr"},
        "null": {"class": "logging.NullHandler"},
    },
    "root": {"level": os.environ.get("LOG_LEVEL", "INFO").upper(), "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["console"], "propagate": False},
        # gunicorn writes access lines whenever a logging config is given: send them nowhere (see above).
        "gunicorn.access": {"level": "INFO", "handlers": ["null"], "propagate": False},
    },
}
