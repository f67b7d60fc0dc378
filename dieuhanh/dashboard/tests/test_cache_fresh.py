"""No figure served from the leaders' pages' cache is older than the last committed write (dieuhanh.dashboard.
datacache), and readers of different scopes never share cached figures.

The writes here commit for real (transactional tests): the version changes just before the commit, as in
production, where no test transaction wraps the request."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dieuhanh.accounts.models import Role
from dieuhanh.conftest import make_user
from dieuhanh.dashboard import datacache
from dieuhanh.indicators.models import Channel, DataValue, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.lib.periods import Period, PeriodType
from dieuhanh.monitoring.models import System
from dieuhanh.reporting.completeness import local_today

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def month() -> Period:
    return Period.containing(PeriodType.MONTH, local_today())


def revenue_card(page: str) -> str:
    """The figure on the revenue card (indicator DT_VT) of the overview."""
    start = page.rindex("<a ", 0, page.index('data-indicator="DT_VT"'))
    return re.search(r'class="kpi-number">([^<]*)<', page[start:]).group(1)


def overview(client, user) -> tuple[str, int]:
    """The overview's HTML as `user` reads it, and the number of queries it took."""
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("home")).content.decode()
    return page, len(queries.captured_queries)


@pytest.fixture
def reported(leader, commune_b, revenue, monthly_form):
    """Commune B's revenue this month (100), approved: the card shows it before anything else is written."""
    datavalues_save(state=ValueState.APPROVED, orgunit=commune_b, period=month().id, user=leader,
                    channel=Channel.WEB, values=[ValueInput(revenue, "actual", Decimal("100"))])


def test_it_reads_the_overview_from_the_cache_until_a_write(client, leader, reported):
    page, first = overview(client, leader)
    again, cached = overview(client, leader)
    assert revenue_card(page) == revenue_card(again) == "100,00"
    assert cached < first - 10  # the figures came from the cache: the page ran only its own few queries


def test_a_report_submitted_on_its_page_shows_on_the_overview_at_once(client, leader, reporter_a, commune_a,
                                                                       revenue, reported, monthly_form):
    overview(client, leader)
    assert revenue_card(overview(client, leader)[0]) == "100,00"  # cached now
    client.force_login(reporter_a)
    entry = reverse("reporting:entry", args=[monthly_form.pk, commune_a.code, month().id])
    answer = client.post(entry, {"action": "submit", "version": "0", f"v-{revenue.pk}-actual": "1762,38"})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    page, _queries = overview(client, leader)
    assert revenue_card(page) == "1.862,38"


def test_a_queryset_update_that_bypasses_the_models_changes_the_version(client, leader, revenue, reported):
    overview(client, leader)
    cached = overview(client, leader)[1]
    before = datacache.data_version()
    DataValue.objects.filter(indicator=revenue).update(comment="sửa")  # no signal, no service: SQL only
    assert datacache.data_version() != before
    assert overview(client, leader)[1] > cached + 10  # computed again


def test_the_version_changes_once_when_the_transaction_commits(leader, revenue, commune_b):
    before = datacache.data_version()
    with transaction.atomic():
        for value in ("1", "2", "3"):
            datavalues_save(state=ValueState.APPROVED, orgunit=commune_b, period=month().id, user=leader,
                            channel=Channel.WEB, values=[ValueInput(revenue, "actual", Decimal(value))])
        assert datacache.data_version() == before  # not before the commit: others must not see it yet
    assert datacache.data_version() != before


def test_a_rolled_back_write_leaves_the_version(leader, revenue, commune_b, reported):
    before = datacache.data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        datavalues_save(state=ValueState.APPROVED, orgunit=commune_b, period=month().id, user=leader,
                        channel=Channel.WEB, values=[ValueInput(revenue, "actual", Decimal("5"))])
        raise RuntimeError
    assert datacache.data_version() == before


def test_a_reader_inside_a_writing_transaction_caches_nothing(client, leader, revenue, commune_b, reported):
    with pytest.raises(RuntimeError), transaction.atomic():
        datavalues_save(state=ValueState.APPROVED, orgunit=commune_b, period=month().id, user=leader,
                        channel=Channel.WEB, values=[ValueInput(revenue, "actual", Decimal("999"))])
        assert revenue_card(overview(client, leader)[0]) == "999,00"  # its own write, not committed
        raise RuntimeError
    assert revenue_card(overview(client, leader)[0]) == "100,00"  # the rolled-back figure was never cached


def test_a_system_outage_shows_at_once(client, leader, province, reported):
    system = System.objects.create(name="Cổng dịch vụ công", owner=province, state="up")
    overview(client, leader)
    assert 'data-state="up"' in overview(client, leader)[0]  # cached now
    System.objects.filter(pk=system.pk).update(state="down")  # as the checks' worker marks it
    page = overview(client, leader)[0]
    assert 'data-state="down"' in page
    assert 'data-state="up"' not in page


def test_leaders_of_different_scopes_never_share_cached_figures(client, leader, commune_a, commune_b, revenue,
                                                                 reported):
    datavalues_save(state=ValueState.APPROVED, orgunit=commune_a, period=month().id, user=leader,
                    channel=Channel.WEB, values=[ValueInput(revenue, "actual", Decimal("50"))])
    leader_b = make_user("leader_b", Role.LEADER, commune_b)
    assert revenue_card(overview(client, leader)[0]) == "150,00"  # the province: both communes, now cached
    assert revenue_card(overview(client, leader_b)[0]) == "100,00"  # commune B's own
    assert revenue_card(overview(client, leader)[0]) == "150,00"
    # The same roles on the same units share them: a second provincial leader reads the cached figures.
    other = make_user("leader_2", Role.LEADER, province_of(commune_b))
    page, queries = overview(client, other)
    assert revenue_card(page) == "150,00"


def province_of(unit):
    return unit.parent


def test_the_workers_bookkeeping_leaves_the_version_and_a_state_change_moves_it(client, leader, province, reported):
    """The checks' worker writes a result and the next run at every check, several a second in a province: those
    writes change no figure and must not empty the cache; the run that takes a system down must."""
    from django.utils import timezone

    from dieuhanh.alerts.engine import alerts_evaluate
    from dieuhanh.alerts.services import rules_default_create
    from dieuhanh.monitoring.models import Check, CheckResult
    from dieuhanh.monitoring.runner import result_record
    from dieuhanh.monitoring.services import check_create, system_create

    system = system_create(user=None, code="dvc", name="Cổng dịch vụ công", owner=province)
    check = check_create(system=system, user=None, name="Web", kind=Check.Kind.HTTP, url="https://dichvucong.vn/",
                         failures_to_down=1)
    rules_default_create(unit=province)
    alerts_evaluate()

    def run(ok: bool) -> None:
        with transaction.atomic():
            locked = Check.objects.select_for_update().get(pk=check.pk)
            result_record(check=locked, at=timezone.now(), ok=ok, response_ms=40 if ok else None,
                          error="" if ok else "Hết thời gian chờ")

    run(True)
    cached_at = datacache.data_version()
    assert 'data-state="up"' in overview(client, leader)[0]
    run(True)  # nothing moves: a result and the next run, twice
    run(True)
    alerts_evaluate()  # the rules run again and find what they found: their last run only
    assert CheckResult.objects.count() == 3
    assert datacache.data_version() == cached_at
    assert overview(client, leader)[1] < 20  # read from the cache
    run(False)  # a failure: down
    assert datacache.data_version() != cached_at
    page = overview(client, leader)[0]
    assert 'data-state="down"' in page and 'data-state="up"' not in page


def test_processes_missing_the_same_page_at_once_compute_it_once():
    """After a write every web process misses the page together: one computes, the others wait for its result;
    if it fails, a waiter computes the page itself rather than wait in vain."""
    import threading
    import time

    calls = []

    def slow_page():
        calls.append(1)
        time.sleep(0.3)
        return {"figures_html": "<p>42</p>"}

    results = []
    threads = [threading.Thread(target=lambda: results.append(datacache._computed_once("k-once", slow_page, 60)))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and results == [{"figures_html": "<p>42</p>"}] * 4

    def failing_page():
        time.sleep(0.2)
        raise RuntimeError("the database went away")

    first = threading.Thread(target=lambda: pytest.raises(RuntimeError, datacache._computed_once, "k-fail",
                                                          failing_page, 60))
    first.start()
    time.sleep(0.05)
    started = time.monotonic()
    assert datacache._computed_once("k-fail", slow_page, 60) == {"figures_html": "<p>42</p>"}
    first.join()
    assert time.monotonic() - started < 2  # not the ten seconds' wait
