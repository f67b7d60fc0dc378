"""Test settings: production settings with a throw-away key, no HTTPS redirect and fast hashing."""

import os

os.environ.setdefault("DIEUHANH_ALLOW_DEMO_KEY", "1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from dieuhanh.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
HUEY = {**HUEY, "immediate": True}  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # serve from the finders; tests do not run collectstatic
DATABASES["default"]["CONN_MAX_AGE"] = 0  # live-server threads must not hold connections past a test  # noqa: F405
# The tests walk the demo as its users, with its shared password; test_password_change.py turns this off.
DEMO_PASSWORD_ALLOWED = True
# Two-factor login is not required in the tests that walk the pages; test_twofactor*.py turns it on.
TWO_FACTOR_ENFORCED = False
