# ruff: noqa: F811 (the shared fixtures are imported, then asked for by name)
"""Names and labels that start like a formula leave the indicator page's CSV/XLSX and the pivot's XLSX as text."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from dieuhanh.dashboard.tests.test_indicator_page import months, url  # noqa: F401 (fixture)
from dieuhanh.dashboard.tests.test_pivot import ask, values  # noqa: F401 (fixture)
from dieuhanh.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://attacker.example","Xã Hưng Điền")'


def no_formulas(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return not any(b"<f>" in zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/"))


def test_the_indicator_downloads_write_a_formula_like_name_as_text(client, leader, months, commune_a):
    OrgUnit.objects.filter(pk=commune_a.pk).update(name=EVIL)
    client.force_login(leader)
    lines = list(csv.reader(io.StringIO(client.get(url(unit="TN", format="csv")).content.decode("utf-8-sig"))))
    names = [line[1] for line in lines if line and line[0].isdigit()]
    assert "'" + EVIL in names and EVIL not in names
    data = client.get(url(unit="TN", format="xlsx")).content
    cells = [c for row in load_workbook(io.BytesIO(data)).active.iter_rows() for c in row if c.value == EVIL]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert no_formulas(data)


def test_the_pivot_workbook_writes_a_formula_like_name_as_text(client, leader, values, commune_a):
    OrgUnit.objects.filter(pk=commune_a.pk).update(name=EVIL)
    client.force_login(leader)
    data = ask(client, format="xlsx").content
    cells = [c for row in load_workbook(io.BytesIO(data)).active.iter_rows() for c in row if c.value == EVIL]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert no_formulas(data)
