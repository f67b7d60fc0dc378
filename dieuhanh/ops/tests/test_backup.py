"""manage.py backup and restore: the demo backed up, restored into a fresh database (another SQLite file, or a new
PostgreSQL database) by a separate `manage.py restore` process, and every table compared — row counts and a hash of
all rows in order — with the uploaded files. Runs on the backend the tests run on."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend

from dieuhanh.demo.build import demo_build

ROOT = Path(__file__).resolve().parents[3]


def table_fingerprints(wrapper: BaseDatabaseWrapper) -> dict[str, tuple[int, str]]:
    """{table: (rows, sha256 of every row in primary-key order — all columns' order where there is no key)}."""
    fingerprints = {}
    with wrapper.cursor() as cursor:
        for table in sorted(wrapper.introspection.table_names(cursor)):
            quoted = wrapper.ops.quote_name(table)
            key = wrapper.introspection.get_primary_key_column(cursor, table)
            cursor.execute(f"SELECT * FROM {quoted} LIMIT 0")
            width = len(cursor.description)
            order = wrapper.ops.quote_name(key) if key else ", ".join(str(i) for i in range(1, width + 1))
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY {order}")
            digest, count = hashlib.sha256(), 0
            for row in cursor.fetchall():
                digest.update(repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)).encode())
                count += 1
            fingerprints[table] = (count, digest.hexdigest())
    return fingerprints


def other_database(name: str) -> BaseDatabaseWrapper:
    """A connection to another database on the same server, configured as the tests' own."""
    settings_dict = {**connection.settings_dict, "NAME": name}
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias=f"restored-{uuid.uuid4().hex}")


def database_url(name: str) -> str:
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def manage(*args: str, var_dir: Path, database: str = "", url: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dieuhanh.settings_test",
           "DATABASE_URL": url or database_url(database), "DIEUHANH_VAR_DIR": str(var_dir)}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(autouse=True)
def own_folders(tmp_path, settings):
    """Uploaded files and backups of the test's own, never the checkout's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_DIR = tmp_path / "backups"


@pytest.fixture
def fresh_database(tmp_path):
    """The name of an empty database: a new SQLite file, or a PostgreSQL database created here and dropped after."""
    if connection.vendor == "sqlite":
        yield str(tmp_path / "restored.sqlite3")
        return
    name = f"restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)  # pg_dump reads from its own connection: the demo must be committed
def test_a_backup_restored_into_a_fresh_database_has_every_table_and_file(tmp_path, fresh_database):
    demo_build(small=True)
    media = tmp_path / "media"
    (media / "tasks" / "2026" / "12").mkdir(parents=True)
    (media / "tasks" / "2026" / "12" / "công văn.pdf").write_bytes(b"%PDF-1.7 " + os.urandom(2048))
    call_command("backup")
    [archive] = (tmp_path / "backups").glob("dieuhanh-*.tar.gz")
    assert archive.stat().st_mode & 0o077 == 0  # readable by its owner only: it holds password hashes

    restored_var = tmp_path / "restored-var"
    done = manage("restore", str(archive), "--yes", var_dir=restored_var, database=fresh_database)
    assert done.returncode == 0, done.stderr
    assert "1" in done.stdout  # one uploaded file

    restored = other_database(fresh_database)
    try:
        before, after = table_fingerprints(connection), table_fingerprints(restored)
    finally:
        restored.close()
    model_tables = {m._meta.db_table for m in apps.get_models(include_auto_created=True)}
    assert model_tables <= set(before)  # every model of every app, Django's and the libraries' included
    assert {"django_migrations", "django_session"} <= set(before)
    assert sum(rows for rows, _ in before.values()) > 1000  # the demo is there to compare
    assert after == before
    restored_file = restored_var / "media" / "tasks" / "2026" / "12" / "công văn.pdf"
    assert restored_file.read_bytes() == (media / "tasks" / "2026" / "12" / "công văn.pdf").read_bytes()


@pytest.mark.django_db(transaction=True)  # a backup is made outside any transaction, as by manage.py
def test_restore_without_yes_changes_nothing(tmp_path, province):
    call_command("backup", output=str(tmp_path))
    [archive] = tmp_path.glob("dieuhanh-*.tar.gz")
    with pytest.raises(CommandError, match="Hãy dừng máy chủ web và tiến trình nền, rồi chạy lại với --yes"):
        call_command("restore", str(archive))  # Vietnamese unless told otherwise
    assert province.__class__.objects.filter(code="TN").exists()


@pytest.mark.django_db
def test_a_backup_never_overwrites_a_file(tmp_path):
    target = tmp_path / "kept.tar.gz"
    target.write_bytes(b"an older backup")
    with pytest.raises(CommandError, match="không bao giờ ghi đè"):
        call_command("backup", output=str(target))
    assert target.read_bytes() == b"an older backup"


@pytest.mark.django_db
def test_a_file_that_is_not_a_backup_is_refused_with_a_message(tmp_path):
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="không phải là bản sao lưu đọc được"):
        call_command("restore", str(bogus), "--yes")
    with pytest.raises(CommandError, match=str(tmp_path / "missing.tar.gz")):
        call_command("restore", str(tmp_path / "missing.tar.gz"), "--yes")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("os.environ.get('DATABASE_URL', '').startswith('postgres')", reason="SQLite only")
def test_a_sqlite_backup_is_not_restored_into_postgresql(tmp_path):
    call_command("backup", output=str(tmp_path))
    [archive] = tmp_path.glob("dieuhanh-*.tar.gz")
    done = manage("restore", str(archive), "--yes", "--language", "en", var_dir=tmp_path / "v",
                  url="postgres://postgres@127.0.0.1:5432/postgres")
    assert done.returncode != 0
    assert "This backup is of a sqlite database; the database configured is postgresql" in done.stderr


@pytest.mark.django_db
@pytest.mark.skipif("not os.environ.get('DATABASE_URL', '').startswith('postgres')", reason="PostgreSQL only")
def test_without_pg_dump_the_message_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without the PostgreSQL client
    with pytest.raises(CommandError, match=r"pg_dump.*postgresql-client-\d+"):
        call_command("backup", output=str(tmp_path), language="en")
    assert not list(tmp_path.glob("*.tar.gz*"))
