"""A SQLite backup is consistent while the application writes: `manage.py backup` (its own process) copies a file
database that a writer keeps changing, transaction after transaction; every copy is intact and shows whole
transactions only."""

from __future__ import annotations

import sqlite3
import tarfile
import threading

from dieuhanh.ops.tests.test_backup import manage


def make_database(path) -> None:
    db = sqlite3.connect(path)
    db.executescript("""
        PRAGMA journal_mode=WAL;
        CREATE TABLE account (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL);
        CREATE TABLE transfer (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL, padding BLOB);
        INSERT INTO account VALUES (1, 1000000), (2, 0);
    """)
    # Enough pages that a copy takes a while and writes land during it.
    db.executemany("INSERT INTO transfer (amount, padding) VALUES (0, randomblob(2000))", [()] * 10000)
    db.commit()
    db.close()


def keep_writing(path, stop: threading.Event, done: list[int]) -> None:
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    while not stop.is_set():
        # One transfer: both balances and its row change together, or not at all.
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE account SET balance = balance - 7 WHERE id = 1")
        db.execute("UPDATE account SET balance = balance + 7 WHERE id = 2")
        db.execute("INSERT INTO transfer (amount, padding) VALUES (7, randomblob(500))")
        db.execute("COMMIT")
        done[0] += 1
    db.close()


def test_a_backup_made_while_a_writer_commits_is_whole(tmp_path):
    database = tmp_path / "live.sqlite3"
    make_database(database)
    stop, done = threading.Event(), [0]
    writer = threading.Thread(target=keep_writing, args=(database, stop, done))
    writer.start()
    try:
        for attempt in range(2):
            result = manage("backup", "--output", str(tmp_path / f"copy-{attempt}.tar.gz"), var_dir=tmp_path / "var",
                            url=f"sqlite:///{database}")
            assert result.returncode == 0, result.stderr
    finally:
        stop.set()
        writer.join()
    assert done[0] > 0  # the writer did commit while the copies were made
    for attempt in range(2):
        with tarfile.open(tmp_path / f"copy-{attempt}.tar.gz") as archive:
            archive.extract("database.sqlite3", tmp_path / f"extracted-{attempt}", filter="data")
        copy = sqlite3.connect(tmp_path / f"extracted-{attempt}" / "database.sqlite3")
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        total = copy.execute("SELECT SUM(balance) FROM account").fetchone()[0]
        moved = copy.execute("SELECT balance FROM account WHERE id = 2").fetchone()[0]
        transfers = copy.execute("SELECT COUNT(*) FROM transfer WHERE amount = 7").fetchone()[0]
        assert total == 1000000
        assert moved == 7 * transfers  # whole transactions only
        copy.close()
