"""Every response carries the Content-Security-Policy (scripts from our own files only: no 'unsafe-inline', no
'unsafe-eval') and the Permissions-Policy; no template or Python view writes an inline script or handler that the
policy would refuse; the admin's address comes from ADMIN_PATH."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "dieuhanh"
pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


@pytest.mark.parametrize("url", ["/login/", "/status/", "/api/v1/openapi.json", "/admin/login/", "/no-such-page/"])
def test_it_sends_the_policies_on_every_response(client, url):
    response = client.get(url)
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert not any("unsafe" in source for source in policy["default-src"] + policy["script-src"])
    assert response["Permissions-Policy"] == (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), fullscreen=(self)")


def test_it_sends_them_on_a_signed_in_page_and_the_admin(client):
    user = get_user_model().objects.create_superuser("root", password="secret-pass-123")
    client.force_login(user)
    for url in (reverse("home"), reverse("admin:index")):
        response = client.get(url)
        assert response.status_code == 200
        assert directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]
        assert "camera=()" in response["Permissions-Policy"]


# A <script> with a body (json_script's type="application/json" is data, not code, and allowed), an on…= handler,
# an htmx hx-on attribute (htmx runs it with eval), a javascript: link.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']|\shx-on[:-]|javascript:""", re.I)


def product_files(pattern: str) -> list[Path]:
    return [path for path in PACKAGE.rglob(pattern)
            if "tests" not in path.parts and "vendor" not in path.parts and "static" not in path.parts]


def test_no_template_holds_an_inline_script_or_handler():
    found = []
    for path in product_files("*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE_SCRIPT.search(line) or INLINE_HANDLER.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert found == []


def test_no_python_module_writes_an_inline_script():
    found = [str(path.relative_to(ROOT)) for path in product_files("*.py")
             if INLINE_SCRIPT.search(path.read_text(encoding="utf-8"))]
    assert found == []


def test_the_patterns_catch_what_they_are_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/js/inputs.js"></script>')
    assert not INLINE_SCRIPT.search('<script id="d" type="application/json">{}</script>')
    assert INLINE_HANDLER.search('<select onchange="this.form.submit()">')
    assert INLINE_HANDLER.search('<button hx-on:click="go()">')
    assert not INLINE_HANDLER.search('<select data-autosubmit name="unit">')


def test_the_admin_lives_at_admin_path(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"DEBUG": "1", "DJANGO_SETTINGS_MODULE": "dieuhanh.settings", "DIEUHANH_VAR_DIR": str(tmp_path),
                "ADMIN_PATH": "/quan-tri-7f3a/"})
    script = ("from django.urls import Resolver404, resolve, reverse\n"
              "print(reverse('admin:index'))\n"
              "try:\n    resolve('/admin/')\n    print('still at /admin/')\n"
              "except Resolver404:\n    print('not at /admin/')\n")
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-2:] == ["/quan-tri-7f3a/", "not at /admin/"]
