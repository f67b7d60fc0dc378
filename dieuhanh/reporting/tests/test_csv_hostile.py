# ruff: noqa: F811 (the shared fixtures are imported, then asked for by name)
"""CSV input the csv module cannot read, and a missing file, answer with a message in words; nothing is written."""

import pytest
from django.core.management import CommandError, call_command

from dieuhanh.reporting.tests.test_csv_import import HEADER, counts, english, refused  # noqa: F401 (fixture)

LONG = "x" * 131_073


def test_a_cell_over_the_csv_limit_names_its_line(monthly_form):
    errors = refused(HEADER + "01/BC-VT,XA-A,202603,DT_VT,actual,12\n"
                     + f'01/BC-VT,XA-A,202603,DT_VT,actual,"{LONG}"\n')
    assert errors.errors == ["Line 3: a cell is longer than 131.072 characters; a figure or a code is far shorter"]


def test_the_command_names_a_missing_file_in_words(monthly_form, tmp_path, capsys):
    before = counts()
    with pytest.raises(CommandError):
        call_command("import_values", str(tmp_path / "missing.csv"), "--language", "vi")
    err = capsys.readouterr().err
    assert f"Không có tệp {tmp_path / 'missing.csv'}" in err, err
    assert "No such file" not in err
    assert counts() == before
