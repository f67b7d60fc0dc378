"""`make bench`: values per second for the CSV import into SQLite and PostgreSQL, against PostgreSQL's own COPY.

One province, 100 communes, 100 indicators on one monthly form (one of them a part of another, so the sum rule
is checked), 100 months → 1,000,000 values; `BENCH_VALUES=N` runs a smaller set. The CSV is written to
var/bench/, each database is fresh (SQLite file re-created, PostgreSQL database `dieuhanh_bench` created and
dropped; DATABASE_URL picks another server), migrated, loaded with the catalogue, then the import — the
same streamed import as `manage.py import_values`, through the one writer, validation, history and rollups
included — is timed, then the same file again (every value unchanged). In the same run,
COPY of the same file into a plain table with the CSV's columns gives the ceiling.

Each database is measured in a child process, because Django binds one default database per process.
"""

from __future__ import annotations

import json
import math
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/dieuhanh_bench"
FORM_CODE = "BENCH/BC"
HEADER = "form,unit,period,indicator,kind,value\n"


def dimensions(n: int) -> tuple[int, int, int]:
    """(units, indicators, months) covering n values: 100 × 100 from 100,000 values up, 10 × 10 below."""
    side = 100 if n >= 100_000 else 10
    return side, side, math.ceil(n / (side * side))


def unit_code(i: int) -> str:
    return f"XA-{i:03d}"


def indicator_code(i: int) -> str:
    return f"CT_{i:03d}"


def months(count: int, first_year: int = 2017) -> list[str]:
    return [f"{first_year + m // 12}{m % 12 + 1:02d}" for m in range(count)]


def write_csv(path: Path, n: int, seed: int = 9) -> Path:
    """n lines of values; half written the Vietnamese way ("1.234,56"), half the plain way ("1234.56")."""
    units, indicators, month_count = dimensions(n)
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER)
        lines = []
        for period in months(month_count):
            for u in range(units):
                for i in range(indicators):
                    if written == n:
                        break
                    # Indicator 0 is the total of indicator 1: keep the part well below the total.
                    value = rng.uniform(500_000, 900_000) if i == 0 else rng.uniform(0, 100_000)
                    if written % 2:
                        text = '"' + f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".") + '"'
                    else:
                        text = f"{value:.2f}"
                    lines.append(f"{FORM_CODE},{unit_code(u)},{period},{indicator_code(i)},actual,{text}\n")
                    written += 1
                if len(lines) >= 10_000:
                    fh.write("".join(lines))
                    lines.clear()
        fh.write("".join(lines))
    return path


def build_catalogue(n: int):
    """Province, communes, sector, indicators and the monthly form (needs a configured Django)."""
    from dieuhanh.indicators.models import Indicator, Sector
    from dieuhanh.orgunits.models import OrgUnit
    from dieuhanh.orgunits.services import orgunit_create
    from dieuhanh.reporting.models import FormRow, FormSection, ReportForm

    units, indicators, _months = dimensions(n)
    province = orgunit_create(code="BENCH-TINH", name="Tỉnh thử", kind=OrgUnit.Kind.PROVINCE)
    communes = [orgunit_create(code=unit_code(u), name=f"Xã thử {u}", kind=OrgUnit.Kind.COMMUNE, parent=province)
                for u in range(units)]
    sector = Sector.objects.create(code="BENCH", name="Thử")
    inds = Indicator.objects.bulk_create(
        [Indicator(code=indicator_code(i), name=f"Chỉ tiêu {i}", unit="tỷ đồng", sector=sector, decimals=2,
                   min_value=0) for i in range(indicators)])
    form = ReportForm.objects.create(code=FORM_CODE, name="Biểu thử", period_type="month")
    form.units.set(communes)
    section = FormSection.objects.create(form=form, order=1, title="Chỉ tiêu")
    total = FormRow.objects.create(section=section, order=0, indicator=inds[0], kinds="actual")
    FormRow.objects.create(section=section, order=1, indicator=inds[1], kinds="actual", total_row=total)
    FormRow.objects.bulk_create([FormRow(section=section, order=i, indicator=ind, kinds="actual")
                                 for i, ind in enumerate(inds[2:], start=2)])
    return form


def measure_import(csv_path: Path) -> dict:
    """Time the import of the file (streamed, as `manage.py import_values` does) into the default database."""
    from dieuhanh.reporting.csv_import import values_import_file

    started = time.perf_counter()
    result = values_import_file(csv_path, user=None, channel="csv")
    seconds = time.perf_counter() - started
    return {"values": result.values, "changed": result.changed, "seconds": seconds, "rate": result.values / seconds,
            "validating": result.validating, "writing": result.writing, "committing": result.committing,
            "imported": result.imported, "updated": result.updated, "ignored": result.ignored,
            "steps": {"reading, resolving and staging": result.write.staging, "checks": result.write.checking,
                      "history and values": result.write.merging, "rollups": result.write.rollups,
                      "commit": result.committing}}


def measure_copy(csv_path: Path) -> dict:
    """PostgreSQL's own COPY of the same file into a plain table with the CSV's columns: the ceiling."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy_ceiling")
        cursor.execute("CREATE TABLE bench_copy_ceiling (form varchar(32), unit varchar(32), period varchar(12), "
                       "indicator varchar(32), kind varchar(16), value text)")
        lines = sum(1 for _ in open(csv_path, encoding="utf-8")) - 1
        started = time.perf_counter()
        with open(csv_path, "rb") as fh, cursor.cursor.copy(
            "COPY bench_copy_ceiling FROM STDIN WITH (FORMAT csv, HEADER true)"
        ) as copy:
            while chunk := fh.read(1 << 20):
                copy.write(chunk)
        seconds = time.perf_counter() - started
        cursor.execute("SELECT count(*) FROM bench_copy_ceiling")
        assert cursor.fetchone()[0] == lines
    return {"values": lines, "seconds": seconds, "rate": lines / seconds}


def measure_floors(csv_path: Path) -> dict:
    """What any import of the file through the writer's design must spend, each part alone: reading the CSV with
    Python's csv module; staging the cells (the writer's own staging, fed cells already made in memory, so without
    any parsing or resolving: COPY on PostgreSQL, executemany on SQLite); and writing the values table and the
    history table (with their indexes) from rows already in the database — the same rows the import wrote,
    inserted again by one INSERT … SELECT each into the emptied table. All rolled back. Their sum bounds the rate
    of a writer that stages, checks set-based, keeps history and parses in Python."""
    import csv

    from django.db import connection, transaction

    from dieuhanh.indicators.models import DataValue, ValueHistory
    from dieuhanh.indicators.writer import Staged, _stage

    started = time.perf_counter()
    with open(csv_path, encoding="utf-8", newline="") as fh:
        for _row in csv.reader(fh):
            pass
    floors = {"reading the CSV": time.perf_counter() - started}
    cells = [(index, unit, period, indicator, kind, str(value), None, 0, 1) for index, (unit, period, indicator, kind,
             value) in enumerate(DataValue.objects.values_list("orgunit_id", "period", "indicator_id", "kind", "value")
                                 .iterator(chunk_size=20_000))]
    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        _stage(cursor, cells, Staged(cursor, None, 200))
        floors["staging"] = time.perf_counter() - started
        transaction.set_rollback(True)
    del cells
    for label, model in (("the values table", DataValue), ("the history table", ValueHistory)):
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in model._meta.concrete_fields
                            if not f.primary_key)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE bench_floor AS SELECT {columns} FROM {table}")
            # Emptied as a new table would be: PostgreSQL's TRUNCATE is transactional, while a DELETE would leave
            # a million dead index entries for the INSERT to step over. SQLite truncates a DELETE without WHERE.
            cursor.execute(f"TRUNCATE {table}" if connection.vendor == "postgresql" else f"DELETE FROM {table}")
            started = time.perf_counter()
            cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM bench_floor")
            floors[label] = time.perf_counter() - started
            transaction.set_rollback(True)
    return floors


def _pg_admin(url: str, statement: str) -> None:
    import psycopg

    parts = urlparse(url)
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(statement)


def run_child(target: str, csv_path: Path, n: int) -> dict:
    """In a child process: a fresh database, migrate, catalogue, then the timings."""
    os.environ.setdefault("DIEUHANH_ALLOW_DEMO_KEY", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "dieuhanh.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    build_catalogue(n)
    import resource

    result = {"import": measure_import(csv_path)}
    # The same file again: every value unchanged, so it measures reading, checking and comparing alone.
    result["again"] = measure_import(csv_path)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the floors' cells
    result["floors"] = measure_floors(csv_path)
    if target == "postgresql":
        result["copy"] = measure_copy(csv_path)
    return result


def drop_database(url: str) -> None:
    """Remove a benchmark database: the SQLite file with its WAL, or the PostgreSQL database."""
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    else:
        _pg_admin(url, f'DROP DATABASE IF EXISTS "{urlparse(url).path.lstrip("/")}"')


def fresh_database(target: str, sqlite_file: Path) -> str:
    """The URL of an empty database for one benchmark run: `sqlite_file`, or DATABASE_URL's PostgreSQL database."""
    if target == "sqlite":
        url = f"sqlite:///{sqlite_file}"
        drop_database(url)
        return url
    url = os.environ.get("DATABASE_URL") or DEFAULT_PG
    if not url.startswith("postgres"):
        raise SystemExit("DATABASE_URL must point at PostgreSQL for the PostgreSQL run")
    drop_database(url)
    _pg_admin(url, f'CREATE DATABASE "{urlparse(url).path.lstrip("/")}"')
    return url


def run(target: str, csv_path: Path, n: int) -> dict:
    env = {**os.environ, "DIEUHANH_ALLOW_DEMO_KEY": "1", "DEBUG": "0", "DIEUHANH_VAR_DIR": str(BENCH_DIR)}
    env["DATABASE_URL"] = url = fresh_database(target, BENCH_DIR / "bench.sqlite3")
    try:
        done = subprocess.run([sys.executable, "-m", "dieuhanh.bench", "--child", target, str(csv_path), str(n)],
                              env=env, cwd=BASE_DIR, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"{target} run failed:\n{done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        if target == "postgresql":
            drop_database(url)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        target, csv_path, n = sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
        print(json.dumps(run_child(target, csv_path, n)))
        return
    n = int(os.environ.get("BENCH_VALUES", "1000000"))
    csv_path = BENCH_DIR / f"values_{n}.csv"
    started = time.perf_counter()
    write_csv(csv_path, n)
    units, indicators, month_count = dimensions(n)
    print(f"CSV: {n:,} values ({units} units × {indicators} indicators × {month_count} months) → {csv_path} "
          f"({csv_path.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - started:.1f} s)")
    sqlite = run("sqlite", csv_path, n)
    pg = run("postgresql", csv_path, n)
    copy_rate = pg["copy"]["rate"]
    for label, r in [("SQLite import", sqlite["import"]), ("SQLite re-import (unchanged)", sqlite["again"]),
                     ("PostgreSQL import", pg["import"]), ("PostgreSQL re-import", pg["again"]),
                     ("PostgreSQL COPY (ceiling)", pg["copy"])]:
        print(f"{label:28s} {r['values']:>10,} values in {r['seconds']:7.2f} s = {r['rate']:>10,.0f} values/s "
              f"({r['rate'] / copy_rate:.2f} × COPY)")
        if "validating" in r:
            print(f"{'':28s} reading and checking {r['validating']:.2f} s, writing {r['writing']:.2f} s, "
                  f"commit {r['committing']:.2f} s; imported {r['imported']:,}, ignored {r['ignored']:,}")
            print(f"{'':28s} " + ", ".join(f"{step} {sec:.2f} s" for step, sec in r["steps"].items()))
    print(f"Peak memory (largest child process): SQLite {sqlite['peak_mb']:.0f} MB, "
          f"PostgreSQL {pg['peak_mb']:.0f} MB")
    # What no import can beat: the parts that any writer keeping history must do, each measured alone.
    aims = {"SQLite": (sqlite, 250_000), "PostgreSQL": (pg, 0.25 * copy_rate)}
    for label, (r, aim) in aims.items():
        floors = r["floors"]
        least = sum(floors.values())
        print(f"{label} floors: " + ", ".join(f"{part} {sec:.2f} s" for part, sec in floors.items())
              + f"; together {least:.2f} s = {n / least:,.0f} values/s at most "
              f"({n / least / copy_rate:.2f} × COPY) against the aim of {aim:,.0f} values/s ({n / aim:.2f} s)")
    ratio = pg["import"]["rate"] / copy_rate
    print(f"PostgreSQL import / COPY = {ratio:.2f} (aim ≥ 0.25): {'met' if ratio >= 0.25 else 'NOT met'}")


if __name__ == "__main__":
    main()
