"""`make bench` (analytics part): how fast the IOC pages answer on a province-sized data set, against a plain
GROUP BY over the raw values — and whether both give the same figures.

The data set: one province, BENCH_UNITS communes (100), BENCH_INDICATORS indicators (300), BENCH_YEARS years of
months (10) ending with the current month → 3.6 million values by default. The current month holds estimates
only, the month before holds both an estimate and an actual for every other unit (the "best" value must pick the
actual); the province holds a year target per indicator. Indicators cycle through sum/sum, sum/last-value and
average/average, so the period and unit rules are all exercised. The values are loaded through the one writer
(indicators.writer, as the CSV import and the API are) into a separate database — var/bench/analytics.sqlite3 and
the PostgreSQL database `dieuhanh_bench` (DATABASE_URL picks another server), created and dropped here — and the
rollups are then built by the indicators app's rebuild.

Measured, each as p50/p95 of server time (Django's test client, in process, no network):
- the overview `/` of a leader whose dashboard has 30 KPI cards, and the same figures through the analytics API;
- the indicator page `/ioc/indicators/<code>/`;
- a pivot of 10 indicators × all units × 12 months (the pivot page when it exists, else `analytics.figures`);
- from saving one value through `datavalues_save` to seeing it in the province's total.
The baseline computes the same figures by GROUP BY over DataValue joined to the units by path prefix; the
rollup answers are compared with it (a disagreement is printed and fails the test).

Each database is measured in a child process, because Django binds one default database per process.
Sizes: BENCH_UNITS, BENCH_INDICATORS, BENCH_YEARS; BENCH_REQUESTS (60) requests per page; BENCH_DATABASES
("sqlite,postgresql") picks the databases; BENCH_KEEP=1 keeps them afterwards.
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal

from dieuhanh.bench import BASE_DIR, BENCH_DIR, drop_database, fresh_database

PROVINCE_CODE = "BENCH-TINH"
FORM_CODE = "BENCH/IOC"
CARDS = 30
PIVOT_INDICATORS = 10
# (unit aggregation, period aggregation) by indicator number modulo 4.
RULES = [("sum", "sum"), ("sum", "sum"), ("sum", "last"), ("average", "average")]


@dataclass
class Sizes:
    units: int = 100
    indicators: int = 300
    years: int = 10

    @classmethod
    def from_env(cls) -> Sizes:
        return cls(int(os.environ.get("BENCH_UNITS", 100)), int(os.environ.get("BENCH_INDICATORS", 300)),
                   int(os.environ.get("BENCH_YEARS", 10)))

    @property
    def months(self) -> int:
        return self.years * 12

    @property
    def values(self) -> int:
        return self.units * self.indicators * self.months


def month_ids(last: datetime.date, count: int) -> list[str]:
    """`count` month ids ending with the month of `last`, oldest first."""
    n = last.year * 12 + last.month - 1
    return [f"{m // 12}{m % 12 + 1:02d}" for m in range(n - count + 1, n + 1)]


def months_in(period_id: str) -> list[str]:
    from dieuhanh.lib.periods import Period

    return [p.id for p in Period.parse(period_id).months()]


def percentile(samples: list[float], p: float) -> float:
    s = sorted(samples)
    k = (len(s) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def timed(fn, repeats: int, warmup: int = 2) -> dict:
    """p50/p95 in milliseconds of `fn()` over `repeats` calls after `warmup` untimed ones."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return {"p50": percentile(samples, 0.5), "p95": percentile(samples, 0.95), "n": repeats}


# --- the data set -----------------------------------------------------------------------------------------------
@dataclass
class Dataset:
    sizes: Sizes
    province: object
    units: list
    indicators: list
    months: list[str]
    leader: object
    rows: int = 0
    timings: dict = field(default_factory=dict)

    @property
    def current_month(self) -> str:
        return self.months[-1]

    @property
    def pivot_months(self) -> list[str]:
        """The 12 months of the current year, as the pivot page shows them."""
        return [f"{self.current_month[:4]}{m:02d}" for m in range(1, 13)]

    @property
    def cards(self) -> list:
        return self.indicators[:CARDS]


def build_catalogue(sizes: Sizes):
    """Province, communes, indicators, a monthly form of all indicators, a leader with a 30-card dashboard."""
    from django.contrib.auth import get_user_model

    from dieuhanh.accounts.models import Role, RoleAssignment
    from dieuhanh.dashboard.models import Card, Dashboard
    from dieuhanh.indicators.models import Indicator, Sector
    from dieuhanh.orgunits.models import OrgUnit
    from dieuhanh.orgunits.services import orgunit_create
    from dieuhanh.reporting.models import FormRow, FormSection, ReportForm

    province = orgunit_create(code=PROVINCE_CODE, name="Tỉnh thử", kind=OrgUnit.Kind.PROVINCE, division_type="tỉnh")
    units = [orgunit_create(code=f"XA-{u:03d}", name=f"Xã thử {u}", kind=OrgUnit.Kind.COMMUNE, parent=province,
                            division_type="xã") for u in range(sizes.units)]
    sector = Sector.objects.create(code="BENCH", name="Kinh tế thử")
    indicators = []
    for i in range(sizes.indicators):
        unit_rule, period_rule = RULES[i % len(RULES)]
        percent = unit_rule == "average"
        indicators.append(Indicator(
            code=f"CT_{i:03d}", name=f"Chỉ tiêu thử {i}", unit="%" if percent else "tỷ đồng", sector=sector,
            value_type=Indicator.ValueType.PERCENT if percent else Indicator.ValueType.NUMBER, decimals=2,
            unit_aggregation=unit_rule, period_aggregation=period_rule, min_value=0))
    indicators = Indicator.objects.bulk_create(indicators)
    indicators = list(Indicator.objects.filter(sector=sector).order_by("code"))

    form = ReportForm.objects.create(code=FORM_CODE, name="Biểu thử tháng", period_type="month")
    form.units.set(units)
    section = FormSection.objects.create(form=form, order=1, title="Chỉ tiêu")
    FormRow.objects.bulk_create([FormRow(section=section, order=n, indicator=ind, kinds="estimate,actual")
                                 for n, ind in enumerate(indicators)])

    leader = get_user_model().objects.create_user(username="bench_leader", password="bench-pass-123")
    RoleAssignment.objects.create(user=leader, role=Role.LEADER, orgunit=province)
    dashboard = Dashboard.objects.create(name="Bảng điều hành thử", orgunit=province, is_default=True)
    dashboard.users.add(leader)
    Card.objects.bulk_create([Card(dashboard=dashboard, order=n, kind=Card.Kind.KPI, indicator=ind)
                              for n, ind in enumerate(indicators[:CARDS])])
    return province, units, indicators, leader


def generate_rows(sizes: Sizes, indicators, units, province, months: list[str], seed: int = 4):
    """Batches (one per month) of (indicator_id, orgunit_id, period, kind, value text) rows."""
    rng = random.Random(seed)
    base = [rng.uniform(50, 5_000) for _ in indicators]
    unit_factor = [rng.uniform(0.2, 3.0) for _ in units]
    ind_ids = [ind.pk for ind in indicators]
    percent = [ind.unit_aggregation == "average" for ind in indicators]
    unit_ids = [u.pk for u in units]
    last = len(months) - 1
    for m, period in enumerate(months):
        growth = 1 + 0.004 * m
        batch = []
        for u, unit_id in enumerate(unit_ids):
            kinds = ["estimate"] if m == last else (["estimate", "actual"] if m == last - 1 and u % 2 == 0
                                                    else ["actual"])
            for i, ind_id in enumerate(ind_ids):
                for kind in kinds:
                    if percent[i]:
                        value = 40 + 55 * rng.random()
                    else:
                        value = base[i] * unit_factor[u] * growth * (0.85 + 0.3 * rng.random())
                    batch.append((ind_id, unit_id, period, kind, f"{value:.2f}"))
        yield batch
    # Year targets at the province for every year in the data set.
    years = sorted({p[:4] for p in months})
    yield [(ind.pk, province.pk, year, "target",
            f"{(70.0 if percent[i] else base[i] * 12 * 1.6 * len(units)):.2f}")
           for year in years for i, ind in enumerate(indicators)]


def bulk_load(batches) -> int:
    """Write the rows through the one writer of values (indicators.writer), as every channel does: approved values
    (the benchmark measures the figures leaders read, which count reported values only), their history, no rollups
    (rebuilt once afterwards)."""
    from dieuhanh.indicators.models import Channel, ValueState
    from dieuhanh.indicators.writer import datavalues_write

    approved = int(ValueState.APPROVED)

    def cells():
        index = 0
        for batch in batches:
            for indicator, unit, period, kind, value in batch:
                yield (index, unit, period, indicator, kind, value, None, approved)
                index += 1

    result = datavalues_write(cells(), user=None, channel=Channel.SYSTEM, strategy="CREATE", refresh_rollups=False)
    progress(f"{result.cells:,} rows written in {result.seconds:.1f} s (staging {result.staging:.1f} s, checks "
             f"{result.checking:.1f} s, history and values {result.merging:.1f} s)")
    return result.cells


def rebuild_rollups() -> str:
    """The indicators app's rollup rebuild; returns how it was reached."""
    from django.core.management import call_command, get_commands
    from django.db import transaction

    try:
        from dieuhanh.indicators import rollups
    except ImportError:
        rollups = None
    for name in ("rollups_rebuild", "rebuild"):
        fn = getattr(rollups, name, None) if rollups else None
        if callable(fn):
            with transaction.atomic():  # its temporary tables live until the commit on PostgreSQL
                fn()
            return f"dieuhanh.indicators.rollups.{name}()"
    if "rollups_rebuild" in get_commands():
        call_command("rollups_rebuild", verbosity=0)
        return "manage.py rollups_rebuild"
    return "none (no rollup rebuild found)"


def progress(message: str) -> None:
    if os.environ.get("BENCH_QUIET") != "1":
        print(f"  [{datetime.datetime.now(datetime.UTC):%H:%M:%S} UTC] {message}", file=sys.stderr, flush=True)


def build_dataset(sizes: Sizes, today: datetime.date | None = None) -> Dataset:
    from django.db import connection
    from django.utils import timezone

    today = today or timezone.localdate()
    timings = {}
    started = time.perf_counter()
    province, units, indicators, leader = build_catalogue(sizes)
    months = month_ids(today, sizes.months)
    timings["catalogue"] = time.perf_counter() - started
    started = time.perf_counter()
    rows = bulk_load(generate_rows(sizes, indicators, units, province, months))
    timings["load"] = time.perf_counter() - started
    progress(f"{connection.vendor}: {rows:,} values loaded in {timings['load']:.1f} s; building the rollups")
    started = time.perf_counter()
    how = rebuild_rollups()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings["rollups"] = time.perf_counter() - started
    progress(f"{connection.vendor}: rollups built in {timings['rollups']:.1f} s; measuring")
    ds = Dataset(sizes, province, units, indicators, months, leader, rows, timings)
    ds.timings["rollups_by"] = how
    return ds


# --- the baseline: GROUP BY over the raw values -----------------------------------------------------------------
def _in(values) -> tuple[str, list]:
    values = list(values)
    return ", ".join(["%s"] * len(values)), values


def _cells_sql(indicator_ids, months, path: str) -> tuple[str, list]:
    """The best value (the actual, else the estimate) of every cell under the unit with `path`."""
    ind_sql, ind_params = _in(indicator_ids)
    per_sql, per_params = _in(months)
    sql = (
        "SELECT dv.indicator_id AS indicator_id, dv.orgunit_id AS orgunit_id, dv.period AS period, "
        "COALESCE(MAX(CASE WHEN dv.kind = 'actual' THEN dv.value END), "
        "MAX(CASE WHEN dv.kind = 'estimate' THEN dv.value END)) AS v "
        "FROM indicators_datavalue dv JOIN orgunits_orgunit u ON u.id = dv.orgunit_id "
        f"WHERE u.path LIKE %s AND dv.indicator_id IN ({ind_sql}) AND dv.period IN ({per_sql}) "
        "AND dv.kind IN ('actual', 'estimate') AND dv.state >= 1 GROUP BY dv.indicator_id, dv.orgunit_id, dv.period"
    )
    return sql, [path + "%", *ind_params, *per_params]


def _pick(rule: tuple[str, str], total, mean, last_total, last_mean):
    unit_rule, period_rule = rule
    if period_rule == "last":
        value = last_mean if unit_rule == "average" else last_total
    elif unit_rule == "average":
        value = mean
    else:
        value = total
    return None if value is None else Decimal(str(value))


def baseline_totals(indicators, orgunit, months: list[str]) -> dict[int, Decimal | None]:
    """indicator id → the figure for `orgunit` over `months` by the indicator's rules, in one GROUP BY."""
    from django.db import connection

    cells, params = _cells_sql([i.pk for i in indicators], months, orgunit.path)
    sql = (
        f"WITH cells AS ({cells}), "
        "lastp AS (SELECT indicator_id, MAX(period) AS p FROM cells GROUP BY indicator_id) "
        "SELECT c.indicator_id, SUM(c.v), AVG(c.v), SUM(CASE WHEN c.period = l.p THEN c.v END), "
        "AVG(CASE WHEN c.period = l.p THEN c.v END) "
        "FROM cells c JOIN lastp l ON l.indicator_id = c.indicator_id GROUP BY c.indicator_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {row[0]: row[1:] for row in cursor.fetchall()}
    rules = {i.pk: (i.unit_aggregation, i.period_aggregation) for i in indicators}
    return {pk: (_pick(rules[pk], *found[pk]) if pk in found else None) for pk in rules}


def baseline_targets(indicators, orgunit, year: str) -> dict[int, Decimal | None]:
    from django.db import connection

    ind_sql, ind_params = _in(i.pk for i in indicators)
    sql = ("SELECT dv.indicator_id, SUM(dv.value), AVG(dv.value) FROM indicators_datavalue dv "
           "JOIN orgunits_orgunit u ON u.id = dv.orgunit_id "
           f"WHERE u.path LIKE %s AND dv.indicator_id IN ({ind_sql}) AND dv.period = %s AND dv.kind = 'target' "
           "AND dv.state >= 1 GROUP BY dv.indicator_id")
    with connection.cursor() as cursor:
        cursor.execute(sql, [orgunit.path + "%", *ind_params, year])
        found = {row[0]: row[1:] for row in cursor.fetchall()}
    out = {}
    for ind in indicators:
        total, mean = found.get(ind.pk, (None, None))
        value = mean if ind.unit_aggregation == "average" else total
        out[ind.pk] = None if value is None else Decimal(str(value))
    return out


def baseline_series(indicators, orgunit, months: list[str]) -> dict[tuple[int, str], Decimal | None]:
    """(indicator id, month) → the month's figure for `orgunit`, one GROUP BY for all."""
    from django.db import connection

    cells, params = _cells_sql([i.pk for i in indicators], months, orgunit.path)
    sql = f"SELECT indicator_id, period, SUM(v), AVG(v) FROM ({cells}) c GROUP BY indicator_id, period"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    average = {i.pk for i in indicators if i.unit_aggregation == "average"}
    return {(ind, p): Decimal(str(mean if ind in average else total)) for ind, p, total, mean in rows}


def baseline_breakdown(indicator, parent, months: list[str]) -> dict[int, Decimal | None]:
    """unit id → the figure over `months` of each unit below `parent`, one GROUP BY."""
    from django.db import connection

    cells, params = _cells_sql([indicator.pk], months, parent.path)
    sql = (f"WITH cells AS ({cells}), lastp AS (SELECT orgunit_id, MAX(period) AS p FROM cells GROUP BY orgunit_id) "
           "SELECT c.orgunit_id, SUM(c.v), AVG(c.v), SUM(CASE WHEN c.period = l.p THEN c.v END), "
           "AVG(CASE WHEN c.period = l.p THEN c.v END) FROM cells c JOIN lastp l ON l.orgunit_id = c.orgunit_id "
           "GROUP BY c.orgunit_id")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rule = (indicator.unit_aggregation, indicator.period_aggregation)
        return {row[0]: _pick(rule, *row[1:]) for row in cursor.fetchall()}


def baseline_pivot(indicators, province, months: list[str]) -> dict[tuple[int, int, str], Decimal | None]:
    """(indicator id, unit id, month) → value for every unit and the province total, by GROUP BY."""
    from django.db import connection

    cells, params = _cells_sql([i.pk for i in indicators], months, province.path)
    with connection.cursor() as cursor:
        cursor.execute(cells, params)
        out = {(i, o, p): Decimal(str(v)) for i, o, p, v in cursor.fetchall()}
    for (ind, period), value in baseline_series(indicators, province, months).items():
        out[(ind, province.pk, period)] = value
    return out


def ytd_months(month: str) -> list[str]:
    return [f"{month[:4]}{m:02d}" for m in range(1, int(month[4:]) + 1)]


def last_year(month: str) -> str:
    return f"{int(month[:4]) - 1}{month[4:]}"


def baseline_overview(ds: Dataset) -> None:
    """The overview's figures for the 30 cards: this year to date, same time last year, the year's target and
    the last 12 months (sparklines), at the province."""
    month = ds.current_month
    baseline_totals(ds.cards, ds.province, ytd_months(month))
    baseline_totals(ds.cards, ds.province, ytd_months(last_year(month)))
    baseline_targets(ds.cards, ds.province, month[:4])
    baseline_series(ds.cards, ds.province, ds.months[-12:])


def baseline_indicator_page(ds: Dataset, indicator) -> None:
    """One indicator: year to date, last year, target, 24 months at the province, ranking of the units."""
    month = ds.current_month
    baseline_totals([indicator], ds.province, ytd_months(month))
    baseline_totals([indicator], ds.province, ytd_months(last_year(month)))
    baseline_targets([indicator], ds.province, month[:4])
    baseline_series([indicator], ds.province, ds.months[-24:])
    baseline_breakdown(indicator, ds.province, ytd_months(month))


# --- the rollup side --------------------------------------------------------------------------------------------
def analytics():
    try:
        from dieuhanh.analytics import queries
    except ImportError:
        return None
    return queries


def close(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(Decimal(a) - Decimal(b)) <= Decimal("0.0001") + abs(Decimal(b)) * Decimal("1e-9")


def check_agreement(ds: Dataset) -> dict:
    """Compare the analytics API with the GROUP BY baseline on a sample of figures: the cards over the current
    month, the previous month, the current quarter, the year so far, last year and its same month, at the province
    and two communes; the year targets; the pivot."""
    queries = analytics()
    if queries is None:
        return {"compared": 0, "mismatches": [], "error": "dieuhanh.analytics.queries is missing"}
    from dieuhanh.lib.periods import Period

    month = ds.current_month
    current = Period.parse(month)
    spans = {month: [month], ds.months[-2]: [ds.months[-2]], str(current.year): ds.months[-int(month[4:]):],
             f"{current.year}Q{(current.index - 1) // 3 + 1}": [m for m in months_in(f"{current.year}Q"
                                                                               f"{(current.index - 1) // 3 + 1}")
                                                                 if m <= month],
             str(current.year - 1): months_in(str(current.year - 1)), last_year(month): [last_year(month)]}
    sample = ds.indicators[: max(CARDS, 8)]
    units = [ds.province, *ds.units[:2]]
    got = queries.figures(sample, units, list(spans))
    mismatches, compared = [], 0
    for unit in units:
        for period_id, months in spans.items():
            expected = baseline_totals(sample, unit, months)
            for ind in sample:
                fig = got.get((ind.pk, unit.pk, period_id))
                value = fig.value if fig is not None else None
                compared += 1
                if not close(value, expected[ind.pk]):
                    mismatches.append(f"{ind.code} {unit.code} {period_id}: rollup {value} ≠ GROUP BY "
                                      f"{expected[ind.pk]}")
    targets = queries.figures(sample, [ds.province], [month[:4]], kind="target")
    expected = baseline_targets(sample, ds.province, month[:4])
    for ind in sample:
        fig = targets.get((ind.pk, ds.province.pk, month[:4]))
        compared += 1
        if not close(fig.value if fig else None, expected[ind.pk]):
            mismatches.append(f"{ind.code} target {month[:4]}: rollup {fig and fig.value} ≠ GROUP BY "
                              f"{expected[ind.pk]}")
    pivot_inds, pivot_months = ds.indicators[:PIVOT_INDICATORS], ds.pivot_months
    got = queries.figures(pivot_inds, [ds.province, *ds.units], pivot_months)
    expected = baseline_pivot(pivot_inds, ds.province, pivot_months)
    for key in itertools.product([i.pk for i in pivot_inds], [ds.province.pk, *(u.pk for u in ds.units)],
                                 pivot_months):
        value = expected.get(key)  # no stored value (months to come): the rollups must have none either
        compared += 1
        fig = got.get(key)
        if not close(fig.value if fig else None, value):
            mismatches.append(f"pivot {key}: rollup {fig and fig.value} ≠ GROUP BY {value}")
    return {"compared": compared, "mismatches": mismatches}


def _client(ds: Dataset):
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(ds.leader)
    return client


def _get(client, url: str):
    def fetch():
        response = client.get(url, secure=True)  # production settings: plain HTTP is redirected
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        return response
    return fetch


def _queries_of(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def _attempt(results: dict, name: str, fn) -> None:
    try:
        results[name] = fn()
    except Exception as exc:  # a page not there yet must not hide the other figures
        results[name] = {"error": f"{type(exc).__name__}: {exc}"[:300]}


def pivot_url(ds: Dataset) -> str | None:
    """The pivot page for the pivot indicators × the province and its communes × the months of this year."""
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse("dashboard:pivot")
    except NoReverseMatch:
        return None
    inds = "&".join(f"indicators={i.code}" for i in ds.indicators[:PIVOT_INDICATORS])
    return f"{url}?{inds}&unit={PROVINCE_CODE}&rows=children&period_type=month&year={ds.current_month[:4]}"


def measure(ds: Dataset, repeats: int) -> dict:
    from dieuhanh.indicators.models import ValueState
    from dieuhanh.indicators.services import ValueInput, datavalues_save

    queries = analytics()
    client = _client(ds)
    card = ds.cards[0]
    results: dict = {}
    # The overview gets the full count; the slower measures a third of it (at least 3), so that `make bench`
    # stays within minutes — their p95 is then interpolated between the two slowest runs.
    fewer = max(3, repeats // 3)

    def overview():
        fetch = _get(client, "/")
        out = timed(fetch, repeats)
        body = fetch().content.decode()
        out["queries"] = _queries_of(fetch)
        # The page must show the cards' figures, not an empty shell: the first card's name is on it.
        out["shows_cards"] = card.name in body
        return out

    def overview_figures():
        if queries is None or not hasattr(queries, "comparisons"):
            raise RuntimeError("analytics.queries.comparisons is missing")
        month = ds.current_month

        def call():  # as the overview reads them: one Reader for the sparklines and the comparisons
            reader = queries.Reader(ds.cards, [ds.province])
            reader.figures(ds.months[-12:])
            reader.comparisons(ds.province, month)
        return timed(call, repeats) | {"queries": _queries_of(call)}

    def indicator_page():
        fetch = _get(client, f"/ioc/indicators/{card.code}/")
        return timed(fetch, fewer) | {"queries": _queries_of(fetch)}

    def pivot():
        url = pivot_url(ds)
        if url:
            fetch = _get(client, url)
            return timed(fetch, fewer) | {"queries": _queries_of(fetch), "by": "/ioc/pivot/ page"}
        if queries is None:
            raise RuntimeError("neither the pivot page nor analytics.queries.figures exists")
        units = [ds.province, *ds.units]

        def call():
            return queries.figures(ds.indicators[:PIVOT_INDICATORS], units, ds.pivot_months)
        return timed(call, fewer) | {"queries": _queries_of(call), "by": "analytics.figures"}

    def freshness():
        if queries is None:
            raise RuntimeError("analytics.queries.figure is missing")
        unit, month = ds.units[0], ds.months[-3]
        samples = []
        for n in range(fewer):
            before = queries.figure(card, ds.province, month).value
            delta = Decimal(n + 1)
            current = baseline_totals([card], unit, [month])[card.pk]
            started = time.perf_counter()
            datavalues_save(state=ValueState.APPROVED,
                            orgunit=unit, period=month, values=[ValueInput(card, "actual", current + delta)],
                            user=ds.leader, channel="web")
            while not close(queries.figure(card, ds.province, month).value, before + delta):
                if time.perf_counter() - started > 30:
                    raise RuntimeError("the province total did not change within 30 s")
            samples.append((time.perf_counter() - started) * 1000)
        return {"p50": percentile(samples, 0.5), "p95": percentile(samples, 0.95), "n": len(samples)}

    def submit_freshness():
        """A unit's report submitted → its value in the province total (the figures count reported values only):
        each sample returns the report, saves a new draft value (not timed), then times the submission until the
        province total shows it."""
        from dieuhanh.indicators.models import DataValue
        from dieuhanh.reporting.models import FormRow, FormSection, ReportForm
        from dieuhanh.reporting.services import submission_return, submission_save_values, submission_submit

        unit, month = ds.units[2], ds.months[-2]
        form = ReportForm.objects.create(code="BENCH-SUBMIT", name="Bench", period_type="month")
        form.units.set([unit])
        FormRow.objects.create(section=FormSection.objects.create(form=form, title="Bench"), indicator=card,
                               kinds="actual")
        samples = []
        stored = DataValue.objects.filter(indicator=card, orgunit=unit, period=month, kind="actual")
        for _n in range(fewer):
            value = (stored.values_list("value", flat=True).first() or Decimal(0)) + 1  # plausible: no check stops it
            submission = submission_save_values(form=form, orgunit=unit, period=month, user=ds.leader, channel="web",
                                                values=[ValueInput(card, "actual", value)])
            # The draft is in neither figure (the unit's approved estimate, where it has one, is); once submitted,
            # the actual replaces the unit's figure in the province total.
            before = queries.figure(card, ds.province, month).value or Decimal(0)
            expected = before - (queries.figure(card, unit, month).value or Decimal(0)) + value
            started = time.perf_counter()
            submission_submit(submission=submission, user=ds.leader)
            while not close(queries.figure(card, ds.province, month).value, expected):
                if time.perf_counter() - started > 30:
                    raise RuntimeError("the province total did not change within 30 s of the submission")
            samples.append((time.perf_counter() - started) * 1000)
            submission_return(submission=submission, user=ds.leader, reason="bench")
        return {"p50": percentile(samples, 0.5), "p95": percentile(samples, 0.95), "n": len(samples)}

    def freshness_baseline():
        unit, month = ds.units[1], ds.months[-3]
        samples = []
        for _n in range(fewer):
            current = baseline_totals([card], unit, [month])[card.pk]
            started = time.perf_counter()
            datavalues_save(state=ValueState.APPROVED,
                            orgunit=unit, period=month, values=[ValueInput(card, "actual", current + 1)],
                            user=ds.leader, channel="web")
            baseline_totals([card], ds.province, [month])
            samples.append((time.perf_counter() - started) * 1000)
        return {"p50": percentile(samples, 0.5), "p95": percentile(samples, 0.95), "n": len(samples)}

    _attempt(results, "overview", overview)
    _attempt(results, "overview_figures", overview_figures)
    _attempt(results, "indicator", indicator_page)
    _attempt(results, "pivot", pivot)
    results["baseline"] = {
        "overview": timed(lambda: baseline_overview(ds), repeats),
        "indicator": timed(lambda: baseline_indicator_page(ds, card), fewer),
        "pivot": timed(lambda: baseline_pivot(ds.indicators[:PIVOT_INDICATORS], ds.province, ds.pivot_months),
                       fewer),
    }
    results["baseline"]["overview_figures"] = results["baseline"]["overview"]
    # Agreement before the writes below, on the loaded data; then the freshness runs change a few values.
    _attempt(results, "agreement", lambda: check_agreement(ds))
    _attempt(results, "freshness", freshness)
    results["baseline"]["freshness"] = freshness_baseline()
    _attempt(results, "submit_freshness", submit_freshness)
    results["baseline"]["submit_freshness"] = results["baseline"]["freshness"]
    return results


# --- report -----------------------------------------------------------------------------------------------------
ROWS = [
    ("overview", "overview / (30 cards), page"),
    ("overview_figures", "overview figures (analytics API)"),
    ("indicator", "indicator page /ioc/indicators/…"),
    ("pivot", "pivot 10 ind. × units × 12 months"),
    ("freshness", "save one value → province total"),
    ("submit_freshness", "submit a report → province total"),
]
OVERVIEW_P95_AIM_MS = 100
RATIO_AIM = 10


def _ms(r: dict | None) -> str:
    if not r or "error" in r:
        return "n/a"
    return f"{r['p50']:7.1f} /{r['p95']:7.1f}"


def _ratio(r: dict | None, b: dict | None) -> float | None:
    if not r or "error" in r or not b or "error" in b or r["p50"] <= 0:
        return None
    return b["p50"] / r["p50"]


def report(results: dict[str, dict], sizes: Sizes) -> str:
    """The table: per measure and database, rollup p50/p95, GROUP BY p50/p95 (ms) and GROUP BY ÷ rollup."""
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    lines = [f"Analytics: {sizes.units} units × {sizes.indicators} indicators × {sizes.months} months = "
             f"{sizes.values:,} values"]
    for db, r in results.items():
        t = r["build"]
        lines.append(f"  {names.get(db, db)}: {r['rows']:,} rows loaded in {t['load']:.1f} s, rollups built in "
                     f"{t['rollups']:.1f} s by {t['rollups_by']}, catalogue {t['catalogue']:.1f} s, "
                     f"migrate {t.get('migrate', 0):.1f} s")
    head = f"{'ms, p50 / p95':36s}"
    for db in results:
        head += f" | {names.get(db, db) + ' rollups':>17s} {'GROUP BY':>17s} {'×':>6s}"
    lines += [head, "-" * len(head)]
    for key, label in ROWS:
        line = f"{label:36s}"
        for r in results.values():
            m, b = r["measures"].get(key), r["measures"]["baseline"].get(key)
            ratio = _ratio(m, b)
            line += f" | {_ms(m):>17s} {_ms(b):>17s} {(f'{ratio:5.1f}×' if ratio else 'n/a'):>6s}"
        lines.append(line)
    for db, r in results.items():
        m = r["measures"]
        for key, _label in ROWS:
            entry = m.get(key) or {}
            if "error" in entry:
                lines.append(f"  {names.get(db, db)} {key}: {entry['error']}")
        extra = []
        if "shows_cards" in (m.get("overview") or {}):
            extra.append("overview shows the first card's indicator: " + ("yes" if m["overview"]["shows_cards"]
                                                                           else "NO"))
        for key in ("overview", "overview_figures", "indicator", "pivot"):
            if "queries" in (m.get(key) or {}):
                extra.append(f"{key} {m[key]['queries']} queries")
        if "by" in (m.get("pivot") or {}):
            extra.append(f"pivot measured through {m['pivot']['by']}")
        if extra:
            lines.append(f"  {names.get(db, db)}: " + ", ".join(extra))
        agreement = m.get("agreement") or {}
        if "error" in agreement:
            lines.append(f"  {names.get(db, db)} agreement: NOT checked ({agreement['error']})")
        else:
            bad = agreement["mismatches"]
            lines.append(f"  {names.get(db, db)} rollups vs GROUP BY: {agreement['compared']:,} figures compared, "
                         f"{len(bad)} disagree" + (f" (first: {bad[0]})" if bad else ""))
        page = m.get("overview") or {}
        if "error" not in page and page:
            ok = page["p95"] < OVERVIEW_P95_AIM_MS
            lines.append(f"  {names.get(db, db)} aim overview p95 < {OVERVIEW_P95_AIM_MS} ms: "
                         f"{page['p95']:.1f} ms → {'aim met' if ok else 'NOT met'}")
        for key in ("overview", "overview_figures"):
            ratio = _ratio(m.get(key), m["baseline"].get(key))
            if ratio is not None:
                lines.append(f"  {names.get(db, db)} aim {key.replace('_', ' ')} ≥ {RATIO_AIM}× faster than GROUP BY: "
                             f"{ratio:.1f}× → {'aim met' if ratio >= RATIO_AIM else 'NOT met'}")
    return "\n".join(lines)


# --- processes --------------------------------------------------------------------------------------------------
def run_child(sizes: Sizes, repeats: int) -> dict:
    os.environ.setdefault("DIEUHANH_ALLOW_DEMO_KEY", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "dieuhanh.settings"
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate = time.perf_counter() - started
    ds = build_dataset(sizes)
    ds.timings["migrate"] = migrate
    # Production settings otherwise (DEBUG off, so no query log), but static URLs without the collectstatic
    # manifest: building it is not what is measured here.
    from django.conf import settings
    from django.test.utils import override_settings

    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=plain):
        measures = measure(ds, repeats)
    return {"rows": ds.rows, "build": ds.timings, "measures": measures}


def run(target: str, sizes: Sizes, repeats: int) -> dict:
    env = {**os.environ, "DIEUHANH_ALLOW_DEMO_KEY": "1", "DEBUG": "0", "DIEUHANH_VAR_DIR": str(BENCH_DIR),
           "BENCH_UNITS": str(sizes.units), "BENCH_INDICATORS": str(sizes.indicators),
           "BENCH_YEARS": str(sizes.years), "CONN_MAX_AGE": "600"}
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    env["DATABASE_URL"] = url = fresh_database(target, BENCH_DIR / "analytics.sqlite3")
    try:
        # The child's progress and errors go straight to our stderr; its last stdout line is the result.
        done = subprocess.run([sys.executable, "-m", "dieuhanh.bench_analytics", "--child", str(repeats)],
                              env=env, cwd=BASE_DIR, stdout=subprocess.PIPE, text=True)
        if done.returncode:
            raise SystemExit(f"{target} run failed (see above)")
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        # The data set is large (≈400 MB on SQLite): keep it only when asked (BENCH_KEEP=1), to look into it.
        if os.environ.get("BENCH_KEEP") != "1":
            drop_database(url)


def main() -> None:
    sizes = Sizes.from_env()
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(run_child(sizes, int(sys.argv[2])), default=str))
        return
    repeats = int(os.environ.get("BENCH_REQUESTS", 60))
    targets = [t.strip() for t in os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",") if t.strip()]
    started = time.perf_counter()
    results = {}
    for target in targets:
        t0 = time.perf_counter()
        results[target] = run(target, sizes, repeats)
        results[target]["build"]["total"] = time.perf_counter() - t0
    print(report(results, sizes))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Load average at the end (1, 5, 15 min): {load} on {os.cpu_count()} CPUs — timings stretch with it.")
    print(f"Analytics bench took {time.perf_counter() - started:.0f} s "
          + ", ".join(f"({t}: {r['build']['total']:.0f} s)" for t, r in results.items()))


if __name__ == "__main__":
    main()
