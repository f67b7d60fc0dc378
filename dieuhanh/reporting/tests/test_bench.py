"""A small run of the benchmark's own code (`make bench`), so it cannot rot."""

import pytest
from django.db import connection

from dieuhanh import bench
from dieuhanh.indicators.models import DataValue, ValueHistory
from dieuhanh.reporting.models import Submission


@pytest.mark.bench
def test_it_imports_the_synthetic_set(db, tmp_path):
    n = 2000
    csv_path = bench.write_csv(tmp_path / "values.csv", n)
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == bench.HEADER.strip() and len(lines) == n + 1
    assert any('"' in line for line in lines[1:])  # both number styles are exercised
    bench.build_catalogue(n)
    result = bench.measure_import(csv_path)
    assert (result["values"], result["changed"]) == (n, n) and result["rate"] > 0
    assert result["validating"] > 0 and result["writing"] > 0 and result["committing"] >= 0
    assert DataValue.objects.count() == n and ValueHistory.objects.filter(channel="csv").count() == n
    units, _indicators, months = bench.dimensions(n)
    assert Submission.objects.count() == units * months
    if connection.vendor == "postgresql":
        ceiling = bench.measure_copy(csv_path)
        assert ceiling["values"] == n
