import pytest

from dieuhanh.indicators import rollups


@pytest.fixture(autouse=True, params=["lookup", "scan"])
def rollup_plan(request, monkeypatch):
    """Every figure test runs twice: with the rollups recomputed the way a web save does it (the children's cells
    looked up) and the way a large import does it (the values scanned)."""
    monkeypatch.setattr(rollups, "SCAN_FROM_KEYS", 10**9 if request.param == "lookup" else 0)
    return request.param
