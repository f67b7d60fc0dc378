"""Settings come from the environment; production settings pass Django's deployment checks."""

import base64
import os
import socketserver
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_extra, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DIEUHANH_ALLOW_DEMO_KEY", "SECURE_SSL_REDIRECT",
                                                   "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"DJANGO_SETTINGS_MODULE": "dieuhanh.settings", "DIEUHANH_VAR_DIR": str(tmp_path)}, **env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_it_passes_the_deployment_check_with_production_settings(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "DEBUG", tmp_path=tmp_path,
        env_extra={"SECRET_KEY": "k" * 20 + "-production-secret-with-enough-entropy-9f8e7d6c5b4a", "ALLOWED_HOSTS":
                   "ioc.tayninh.gov.vn"},
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_without_a_secret_key_in_production(tmp_path):
    result = run_manage("check", tmp_path=tmp_path, env_extra={"SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_it_opens_sqlite_in_wal_mode_with_a_busy_timeout():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
    assert "journal_mode=WAL" in settings.DATABASES["default"]["OPTIONS"]["init_command"]


def test_it_speaks_vietnamese_by_default():
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _name in settings.LANGUAGES] == ["vi", "en"]


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough of an SMTP server (RFC 5321, with AUTH PLAIN) to receive one message and who sent it."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        received = self.server.received
        self.reply("220 test ESMTP")
        while line := self.rfile.readline().decode().rstrip("\r\n"):
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-test")
                self.reply("250 AUTH PLAIN")
            elif verb == "AUTH":
                _empty, user, password = base64.b64decode(line.split()[2]).decode().split("\0")
                received["login"] = (user, password)
                self.reply("235 ok")
            elif verb == "DATA":
                self.reply("354 go on")
                lines = []
                while (part := self.rfile.readline().decode()) != ".\r\n":
                    lines.append(part)
                received["message"] = "".join(lines)
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # MAIL, RCPT, RSET, NOOP
                received.setdefault("commands", []).append(line)
                self.reply("250 ok")


def test_it_sends_e_mail_through_the_smtp_server_the_environment_names(tmp_path):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpHandler)
    server.received = {}
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = run_manage(
            "shell", "-c", "from django.core.mail import send_mail; send_mail('Đặt lại mật khẩu', 'Nội dung', None, "
                           "['can.bo@tayninh.gov.vn'])", tmp_path=tmp_path,
            env_extra={"SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "ioc.tayninh.gov.vn",
                       "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1",
                       "EMAIL_PORT": str(server.server_address[1]), "EMAIL_HOST_USER": "ioc@tayninh.gov.vn",
                       "EMAIL_HOST_PASSWORD": "smtp-Secret-42", "DEFAULT_FROM_EMAIL": "ioc@tayninh.gov.vn"})
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr
    assert server.received["login"] == ("ioc@tayninh.gov.vn", "smtp-Secret-42")
    assert server.received["commands"][0].upper().startswith("MAIL FROM:<IOC@TAYNINH.GOV.VN>")
    assert server.received["commands"][1].upper().startswith("RCPT TO:<CAN.BO@TAYNINH.GOV.VN>")
    assert "Subject: =?utf-8?" in server.received["message"]
