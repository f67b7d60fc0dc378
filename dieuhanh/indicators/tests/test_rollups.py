"""Rollups are written with the values, in the same transaction: a value saved through any channel shows in the
province's figure as soon as it is committed."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction

from dieuhanh.analytics.queries import figure
from dieuhanh.indicators.models import DataValue, Indicator, ValueRollup, ValueState
from dieuhanh.indicators.rollups import rollups_rebuild
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.reporting.csv_import import values_import
from dieuhanh.reporting.models import Submission
from dieuhanh.reporting.services import submission_return, submission_submit

D = Decimal
HEADER = "form,unit,period,indicator,kind,value\n"


def save(unit, period, indicator, value, kind="actual", channel="web"):
    datavalues_save(state=ValueState.APPROVED,
                    orgunit=unit, period=period, values=[ValueInput(indicator, kind, value)], user=None,
                    channel=channel)


def rollups():
    return set(ValueRollup.objects.values_list("indicator_id", "orgunit_id", "period", "kind", "total", "weight",
                                               "units_reported", "estimates"))


def test_a_web_or_xlsx_save_a_clear_and_a_superseding_actual_show_in_the_province(province, commune_a, commune_b,
                                                                                  revenue):
    save(commune_a, "202601", revenue, D("10.5"))
    assert figure(revenue, province, "202601").value == D("10.5")
    save(commune_b, "202601", revenue, D("4.25"), kind="estimate", channel="xlsx")
    found = figure(revenue, province, "202601")
    assert (found.value, found.is_estimate, found.units_reported) == (D("14.75"), True, 2)
    save(commune_b, "202601", revenue, D("5"))  # the actual supersedes the estimate, which stays stored
    found = figure(revenue, province, "202601")
    assert (found.value, found.is_estimate) == (D("15.5"), False)
    before = figure(revenue, province, "202601").as_of
    save(commune_a, "202601", revenue, None)  # cleared
    found = figure(revenue, province, "202601")
    assert found.value == D("5")
    assert found.as_of > before  # the clear is the last change that fed the figure
    save(commune_b, "202601", revenue, None)
    found = figure(revenue, province, "202601")
    assert (found.value, found.is_estimate) == (D("4.25"), True)  # the estimate is back in charge


def _import_and_submit(text: str) -> None:
    """A CSV import writes drafts; its reports count once submitted (returned first where already submitted)."""
    values_import(text)
    for submission in Submission.objects.exclude(status=Submission.Status.SUBMITTED):
        submission_submit(submission=submission, user=None)


def test_a_csv_import_shows_in_the_province_once_submitted_and_clears_too(monthly_form, province, commune_a,
                                                                          commune_b, revenue, approver_a):
    save(commune_a, "202603", revenue, D("100"))
    values_import(HEADER + "01/BC-VT,XA-B,202603,DT_VT,actual,\"1.762,38\"\n01/BC-VT,XA-A,202603,DT_VT,target,2000\n")
    assert figure(revenue, province, "202603").value == D("100")  # the imported reports are drafts
    for submission in Submission.objects.all():
        submission_submit(submission=submission, user=None)
    assert figure(revenue, province, "202603").value == D("1862.38")
    assert figure(revenue, province, "2026", kind="target").value == D("2000")
    for submission in Submission.objects.all():
        submission_return(submission=submission, user=approver_a, reason="Sửa lại")
    _import_and_submit(HEADER + "01/BC-VT,XA-A,202603,DT_VT,actual,\n01/BC-VT,XA-B,202603,DT_VT,estimate,7\n")
    found = figure(revenue, province, "202603")
    assert (found.value, found.is_estimate, found.units_reported) == (D("1762.38"), False, 1)
    submission_return(submission=Submission.objects.get(orgunit=commune_b), user=approver_a, reason="Sửa lại")
    _import_and_submit(HEADER + "01/BC-VT,XA-B,202603,DT_VT,actual,\n")
    found = figure(revenue, province, "202603")
    assert (found.value, found.is_estimate) == (D("7"), True)


@pytest.mark.django_db(transaction=True)
def test_a_committed_save_is_in_the_figure_within_a_second(province, commune_a, revenue):
    with transaction.atomic():
        save(commune_a, "202604", revenue, D("3"))
        saved_at = datetime.datetime.now(datetime.UTC)
    found = figure(revenue, province, "202604")
    assert found.value == D("3")
    assert (datetime.datetime.now(datetime.UTC) - saved_at).total_seconds() < 1
    assert found.as_of == DataValue.objects.get().updated_at


def test_a_rebuild_gives_the_rows_the_writes_kept(province, commune_a, commune_b, agency, revenue, ict_sector):
    rate = Indicator.objects.create(code="TL", name="Tỷ lệ", unit="%", sector=ict_sector,
                                    unit_aggregation=Indicator.UnitAggregation.WEIGHTED_AVERAGE,
                                    weight_indicator=revenue)
    save(commune_a, "202601", revenue, D("10"))
    save(commune_b, "202601", revenue, D("30"), kind="estimate")
    save(commune_a, "202601", rate, D("50"))
    save(commune_b, "202601", rate, D("90"))
    save(agency, "2026", revenue, D("5"), kind="target")
    save(commune_a, "202601", revenue, D("20"))  # a change of the weight refreshes the weighted average
    kept = rollups()
    assert figure(rate, province, "202601").value == D("74")  # (50 × 20 + 90 × 30) / (20 + 30)
    rollups_rebuild()
    assert rollups() == kept


def test_the_demo_ends_with_rollups_that_match_the_values(db):
    from dieuhanh.demo.build import demo_build

    units = demo_build(small=True).units
    revenue = Indicator.objects.get(code="DT_VT")
    month = DataValue.objects.filter(indicator=revenue, kind="actual", orgunit__in=units.enterprises.values()) \
        .order_by("-period").values_list("period", flat=True).first()
    by_hand = sum(DataValue.objects.filter(indicator=revenue, kind="actual", period=month,
                                           orgunit__in=units.enterprises.values()).values_list("value", flat=True))
    assert by_hand > 0
    assert not DataValue.objects.filter(indicator=revenue, orgunit=units.province, period=month).exists()
    assert figure(revenue, units.province, month).value == by_hand


def while_uncommitted(first, second, *, hold: float = 0.5) -> list[Exception]:
    """Run `first` in a transaction that stays open `hold` seconds after it, and `second` (in another thread and
    connection) as soon as `first` has run; returns the exceptions raised. PostgreSQL only: SQLite has one writer."""
    import threading
    import time

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    done, errors = threading.Event(), []

    def run_first():
        try:
            with transaction.atomic():
                first()
                done.set()
                time.sleep(hold)  # still uncommitted while the second writes
        except Exception as exc:  # noqa: BLE001 - reported to the caller
            errors.append(exc)
            done.set()
        finally:
            connections.close_all()

    def run_second():
        try:
            done.wait(5)
            second()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(15)
    return errors


@pytest.mark.django_db(transaction=True)
def test_two_units_saving_at_the_same_moment_both_count(province, commune_a, commune_b, revenue):
    """Each recomputes the province's row; the second waits for the first and counts its value."""
    errors = while_uncommitted(lambda: save(commune_a, "202605", revenue, D("1")),
                               lambda: save(commune_b, "202605", revenue, D("2")))
    assert errors == []
    assert figure(revenue, province, "202605").value == D("3")
