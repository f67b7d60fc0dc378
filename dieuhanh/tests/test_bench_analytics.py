"""The analytics benchmark on a tiny data set: it prints figures, and the rollups agree with a plain GROUP BY."""

import datetime
import re

import pytest
from django.db import connection

from dieuhanh.bench_analytics import Sizes, build_dataset, check_agreement, measure, month_ids, report

TINY = Sizes(units=3, indicators=4, years=1)
TODAY = datetime.date(2026, 11, 27)


@pytest.fixture
def tiny(db, monkeypatch):
    monkeypatch.setenv("BENCH_QUIET", "1")
    return build_dataset(TINY, today=TODAY)


def test_it_loads_every_value_of_the_tiny_set(tiny):
    # 3 units × 4 indicators × 12 months, plus an estimate beside the actual in the month before the current one
    # for every other unit (2 of 3), plus one year target per indicator and year (2025 and 2026).
    assert tiny.months == month_ids(TODAY, 12) and tiny.months[-1] == "202611"
    assert tiny.rows == 3 * 4 * 12 + 2 * 4 + 2 * 4


def test_it_prints_figures_and_the_rollups_agree_with_group_by(tiny):
    measures = measure(tiny, repeats=3)

    agreement = measures["agreement"]
    assert "error" not in agreement, agreement
    assert agreement["compared"] > 100
    assert agreement["mismatches"] == []
    for key in ("overview", "indicator", "pivot", "freshness", "submit_freshness"):
        assert "error" not in measures[key], (key, measures[key])
        assert 0 < measures[key]["p50"] <= measures[key]["p95"]
    assert measures["overview"]["shows_cards"]

    text = report({"sqlite": {"rows": tiny.rows, "build": tiny.timings, "measures": measures}}, TINY)
    assert "3 units × 4 indicators × 12 months = 144 values" in text
    for label in ("overview / (30 cards), page", "indicator page", "pivot 10 ind.", "save one value"):
        assert re.search(re.escape(label) + r".*\|\s+[\d.]+ /\s*[\d.]+\s+[\d.]+ /\s*[\d.]+\s+[\d.]+×", text), label
    assert "figures compared, 0 disagree" in text
    assert re.search(r"aim overview p95 < 100 ms: [\d.]+ ms → (aim met|NOT met)", text)


def test_the_comparison_catches_a_total_the_rollups_missed(tiny):
    # A value changed behind the services' back: the rollups do not know, the GROUP BY does.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE indicators_datavalue SET value = value + 1000 WHERE indicator_id = %s "
                       "AND orgunit_id = %s AND period = %s AND kind = 'actual'",
                       [tiny.indicators[0].pk, tiny.units[0].pk, tiny.months[-3]])

    mismatches = check_agreement(tiny)["mismatches"]

    assert any(m.startswith(f"{tiny.indicators[0].code} {tiny.province.code} 2026:") for m in mismatches), mismatches
