"""Backups of the database and the uploaded files, and their restore.

A backup is one archive `dieuhanh-YYYYMMDD-HHMMSS.tar.gz` in BACKUP_DIR holding
- `manifest.json`: the format, the database engine, when it was made;
- `database.pgdump` (PostgreSQL: `pg_dump -Fc`, consistent by itself) or `database.sqlite3` (SQLite: the online
  backup API, a consistent copy while the application writes);
- `media/`: the uploaded files under MEDIA_ROOT (task attachments are files on disk; documents are in the database).
It is written under a temporary name and renamed when complete, so a half-written archive is never taken for a
backup, and readable by its owner only (it holds password hashes).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.backends.postgresql.client import DatabaseClient as PostgresClient
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do, in the reader's language."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    engine: str
    media_files: int


def backup_dir() -> Path:
    return Path(getattr(settings, "BACKUP_DIR", Path(settings.VAR_DIR) / "backups"))


def engine_of(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(_("Backups support PostgreSQL and SQLite, not %(vendor)s.") % {"vendor": vendor})
    return vendor


def backup_create(*, output: Path | None = None, alias: str = "default") -> BackupResult:
    engine = engine_of(alias)
    target = _target_path(output)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".backup-") as work:
        dump = Path(work) / DUMP_NAMES[engine]
        if engine == "postgresql":
            _pg_dump(alias, dump)
        else:
            _sqlite_copy(alias, dump)
        manifest = {"format": FORMAT, "engine": engine, "created_at": timezone.now().isoformat()}
        (Path(work) / MANIFEST).write_text(json.dumps(manifest, indent=2))
        partial = target.with_name(target.name + ".partial")
        # The archive is born private: it holds the password hashes and every figure.
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        media_files = 0
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            archive.add(Path(work) / MANIFEST, arcname=MANIFEST)
            archive.add(dump, arcname=dump.name)
            media_root = Path(settings.MEDIA_ROOT)
            if media_root.is_dir():
                archive.add(media_root, arcname="media")
                media_files = sum(1 for path in media_root.rglob("*") if path.is_file())
        partial.rename(target)
    return BackupResult(path=target, engine=engine, media_files=media_files)


def backup_restore(*, path: Path, alias: str = "default") -> BackupResult:
    """Replace the database `alias` and MEDIA_ROOT with the backup's. PostgreSQL: in one transaction (a failure
    leaves the database as it was). The web server and the worker should be stopped meanwhile."""
    engine = engine_of(alias)
    if not Path(path).is_file():
        raise BackupError(_("No backup file at %(path)s.") % {"path": path})
    with tempfile.TemporaryDirectory(prefix="dieuhanh-restore-") as work:
        try:
            with tarfile.open(path, mode="r:gz") as archive:
                # The "data" filter refuses absolute paths, links out of the folder and device files.
                archive.extractall(work, filter="data")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(_("%(path)s is not a readable backup: %(error)s") % {"path": path, "error": exc}) from exc
        try:
            manifest = json.loads((Path(work) / MANIFEST).read_text())
        except (OSError, ValueError) as exc:
            raise BackupError(_("%(path)s is not a backup of Điều hành (no manifest).") % {"path": path}) from exc
        if manifest.get("engine") != engine:
            raise BackupError(_("This backup is of a %(backup)s database; the database configured is %(engine)s.")
                              % {"backup": manifest.get("engine"), "engine": engine})
        dump = Path(work) / DUMP_NAMES[engine]
        if engine == "postgresql":
            _pg_restore(alias, dump)
        else:
            _sqlite_restore(alias, dump)
        media_files = _media_replace(Path(work) / "media")
    return BackupResult(path=Path(path), engine=engine, media_files=media_files)


def _target_path(output: Path | None) -> Path:
    name = f"dieuhanh-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
    if output is None:
        target = backup_dir() / name
    elif Path(output).is_dir():
        target = Path(output) / name
    else:
        target = Path(output)
    if target.exists():
        raise BackupError(_("%(path)s exists already; a backup never overwrites a file.") % {"path": target})
    return target


# --- PostgreSQL -------------------------------------------------------------------------------------------------

def _pg_command(alias: str, program: str, parameters: list[str]) -> tuple[list[str], dict]:
    """The program's command line and environment for the database `alias`, as Django builds them for psql
    (host, port, user, password, sslmode, service, passfile)."""
    args, env = PostgresClient.settings_to_cmd_args_env(connections[alias].settings_dict, parameters)
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(_("%(program)s was not found: install the PostgreSQL client of the server's version "
                            "(Debian: apt-get install postgresql-client-%(major)d).")
                          % {"program": program, "major": _server_major(alias)})
    return [executable, *args[1:]], {**os.environ, **(env or {})}


def _server_major(alias: str) -> int:
    connection = connections[alias]
    connection.ensure_connection()
    return connection.pg_version // 10000


def _client_major(executable: str) -> int:
    output = subprocess.run([executable, "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    return int(match.group(1)) if match else 0


def _check_client_version(alias: str, executable: str) -> None:
    server, client = _server_major(alias), _client_major(executable)
    if client < server:
        raise BackupError(_("%(program)s is version %(client)d but the database server is version %(server)d: "
                            "install postgresql-client-%(server)d (an older client cannot read a newer server).")
                          % {"program": Path(executable).name, "client": client, "server": server})


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(_("%(program)s failed: %(error)s")
                          % {"program": Path(command[0]).name, "error": done.stderr.strip()[-2000:]})


def _pg_dump(alias: str, dump: Path) -> None:
    command, env = _pg_command(alias, "pg_dump", ["--format=custom", f"--file={dump}"])
    _check_client_version(alias, command[0])
    _run(command, env)


def _pg_restore(alias: str, dump: Path) -> None:
    # --clean --if-exists: the backup's tables replace those there (a fresh database works as well);
    # --no-owner: the objects belong to the role that restores (the owner role); the GRANTs in the backup are kept,
    # so the application's role gets back exactly its rights (the audit trail's refused UPDATE/DELETE included).
    # One transaction: an error leaves the database as it was.
    command, env = _pg_command(alias, "pg_restore", [
        "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", "--dbname"])
    _check_client_version(alias, command[0])
    connections[alias].close()
    _run([*command, str(dump)], env)


# --- SQLite -----------------------------------------------------------------------------------------------------

def _sqlite_raw(alias: str) -> sqlite3.Connection:
    connection = connections[alias]
    connection.ensure_connection()
    return connection.connection


def _sqlite_copy(alias: str, dump: Path) -> None:
    if connections[alias].in_atomic_block:
        # Its own write transaction would keep the copy waiting for ever (the backup API retries a locked source).
        raise BackupError("A SQLite backup cannot be made inside a transaction.")
    target = sqlite3.connect(dump)
    try:
        # One step (pages=-1): the copy is one read transaction, a consistent state while others write.
        _sqlite_raw(alias).backup(target)
    finally:
        target.close()


def _sqlite_restore(alias: str, dump: Path) -> None:
    source = sqlite3.connect(dump)
    try:
        source.backup(_sqlite_raw(alias))
    finally:
        source.close()
    connections[alias].close()


# --- Uploaded files ---------------------------------------------------------------------------------------------

def _media_replace(restored: Path) -> int:
    """MEDIA_ROOT becomes the backup's media folder: moved in beside the old one, then the old one removed."""
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(dir=media_root.parent, prefix=".media-restored-"))
    incoming.chmod(0o750)
    if restored.is_dir():  # an archive without a media folder had no uploaded files
        shutil.copytree(restored, incoming, dirs_exist_ok=True)
    previous = media_root.with_name(media_root.name + ".before-restore")
    if media_root.exists():
        shutil.rmtree(previous, ignore_errors=True)
        media_root.rename(previous)
    incoming.rename(media_root)
    shutil.rmtree(previous, ignore_errors=True)
    return sum(1 for path in media_root.rglob("*") if path.is_file())
