"""Bulk CSV import of values: success, every refused case by line number, all or nothing, command and page."""

import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from dieuhanh.indicators.models import DataValue, ValueHistory
from dieuhanh.indicators.services import ValueInput
from dieuhanh.reporting.csv_import import ImportErrors, values_import
from dieuhanh.reporting.models import Submission, SubmissionEvent
from dieuhanh.reporting.services import submission_save_values, submission_submit

HEADER = "form,unit,period,indicator,kind,value\n"


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # as the language switcher sets it
    with translation.override("en"):
        yield


def counts():
    return DataValue.objects.count(), ValueHistory.objects.count(), Submission.objects.count()


def stored():
    return {(v.indicator.code, v.orgunit.code, v.period, v.kind): v.value
            for v in DataValue.objects.select_related("indicator", "orgunit")}


def refused(text, *expected, user=None):
    before = counts()
    with pytest.raises(ImportErrors) as info:
        values_import(text, user=user)
    for line in expected:
        assert any(line in e for e in info.value.errors), (line, info.value.errors)
    assert counts() == before
    return info.value


def test_it_imports_values_with_history_and_draft_submissions(monthly_form, reporter_a, reporter_b):
    text = (
        "\ufeff" + HEADER
        + '01/BC-VT,XA-A,202603,DT_VT,actual,"1.762,38"\n'
        + "01/BC-VT,XA-A,202603,DT_VT,Kế hoạch,2000\n"
        + "01/BC-VT,XA-A,202603,TB_DD,thực hiện,125.000\n"  # whole numbers: '.' groups thousands
        + "01/BC-VT,XA-B,202604,DT_DD,ước thực hiện,10.5\n"
    )
    result = values_import(text.encode("utf-8"), user=None)
    assert (result.values, result.changed) == (4, 4)
    assert stored() == {
        ("DT_VT", "XA-A", "202603", "actual"): Decimal("1762.38"),
        ("DT_VT", "XA-A", "202603", "target"): Decimal("2000"),
        ("TB_DD", "XA-A", "202603", "actual"): Decimal("125000"),
        ("DT_DD", "XA-B", "202604", "estimate"): Decimal("10.5"),
    }
    history = list(ValueHistory.objects.values_list("old_value", "channel", "changed_by"))
    assert len(history) == 4 and all(h == (None, "csv", None) for h in history)
    assert set(Submission.objects.values_list("orgunit__code", "period", "status", "version")) == {
        ("XA-A", "202603", "draft", 2), ("XA-B", "202604", "draft", 2)}
    assert SubmissionEvent.objects.filter(to_status="draft").count() == 2

    # A second import with ';' and the plain number style: one value changes, one is the same, one is cleared.
    again = HEADER.replace(",", ";") + ("01/BC-VT;XA-A;202603;DT_VT;actual;1800.5\n"
                                        "01/BC-VT;XA-A;202603;DT_VT;target;2000,00\n"
                                        "01/BC-VT;XA-A;202603;TB_DD;actual;\n")
    result = values_import(again, user=reporter_a)
    assert (result.values, result.changed) == (3, 2)
    assert ("TB_DD", "XA-A", "202603", "actual") not in stored()
    assert stored()[("DT_VT", "XA-A", "202603", "actual")] == Decimal("1800.5")
    changes = ValueHistory.objects.filter(changed_by=reporter_a).order_by("indicator__code")
    assert [(h.old_value, h.new_value, h.channel) for h in changes] == [
        (Decimal("1762.38"), Decimal("1800.5"), "csv"), (Decimal("125000"), None, "csv")]
    assert Submission.objects.get(orgunit__code="XA-A").version == 3


def test_it_lists_every_bad_line_and_saves_nothing(monthly_form, revenue, ict_sector):
    from dieuhanh.indicators.models import Indicator

    Indicator.objects.create(code="OTHER", name="Khác", unit="x", sector=ict_sector)
    text = HEADER + "\n".join([
        "01/BC-VT,XA-A,202603,DT_VT,actual,100",  # 2: fine
        "NOFORM,XA-A,202603,DT_VT,actual,1",  # 3
        "01/BC-VT,NOUNIT,202603,DT_VT,actual,1",  # 4
        "01/BC-VT,TN,202603,DT_VT,actual,1",  # 5: the province does not report the form
        "01/BC-VT,XA-A,2026Q1,DT_VT,actual,1",  # 6: not a month
        "01/BC-VT,XA-A,202603,NOPE,actual,1",  # 7
        "01/BC-VT,XA-A,202603,OTHER,actual,1",  # 8: known indicator, not on the form
        "01/BC-VT,XA-A,202603,DT_VT,guess,1",  # 9
        "01/BC-VT,XA-A,202603,TB_DD,target,1",  # 10: the row asks only for the actual
        "01/BC-VT,XA-A,202603,DT_VT,estimate,abc",  # 11
        "01/BC-VT,XA-A,202603,DT_VT,target,-1",  # 12
        "01/BC-VT,XA-A,202603,TB_DD,actual,1.5",  # 13
        "01/BC-VT,XA-A,202603,DT_VT,actual,100",  # 14: repeats line 2
        "01/BC-VT,XA-A,202603",  # 15
    ]) + "\n"
    errors = refused(text, "Line 3: unknown form 'NOFORM'", "Line 4: unknown unit 'NOUNIT'",
                     "Line 5: unit TN does not report form 01/BC-VT", "Line 6: Form 01/BC-VT is reported by month",
                     "Line 7: unknown indicator 'NOPE'", "Line 8: indicator OTHER is not on form 01/BC-VT",
                     "Line 9: unknown value kind 'guess'", "Line 10: TB_DD (Target) is not on form 01/BC-VT",
                     "Line 11: 'abc' is not a number", "Line 12: -1 is below the minimum 0",
                     "Line 13: '1.5' is not a whole number", "Line 14: repeats line 2",
                     "Line 15: 3 columns, expected 6").errors
    assert len(errors) == 13


def test_it_checks_sum_rules_against_stored_values(monthly_form, commune_a, revenue, reporter_a):
    submission_save_values(form=monthly_form, orgunit=commune_a, period="202603", user=reporter_a, channel="web",
                           values=[ValueInput(revenue, "actual", Decimal("100"))])
    refused(HEADER + "01/BC-VT,XA-A,202603,DT_DD,actual,150\n", "Line 2: Actual: the parts")
    values_import(HEADER + "01/BC-VT,XA-A,202603,DT_DD,actual,50\n")


def test_it_refuses_locked_reports_and_units_outside_the_users_scope(monthly_form, commune_a, revenue, reporter_a,
                                                                      reporter_b):
    submission = submission_save_values(form=monthly_form, orgunit=commune_a, period="202603", user=reporter_a,
                                        channel="web", values=[ValueInput(revenue, "actual", Decimal("100"))])
    submission_submit(submission=submission, user=reporter_a)
    refused(HEADER + "01/BC-VT,XA-B,202603,DT_VT,actual,1\n01/BC-VT,XA-A,202603,DT_VT,actual,150\n",
            "Line 3: the report 01/BC-VT of XA-A for 202603 is submitted and locked")
    refused(HEADER + "01/BC-VT,XA-A,202604,DT_VT,actual,1\n", "Line 2: you may not enter figures for unit XA-A",
            user=reporter_b)


def test_it_refuses_a_wrong_header_and_caps_the_error_list(monthly_form):
    refused("form;unit;value\n", "Line 1: the header must be form,unit,period,indicator,kind,value")
    refused(b"\xff\xfe" + "x".encode("utf-16-le"), "not UTF-8")
    many = HEADER + "".join(f"01/BC-VT,XA-A,202603,DT_VT,actual,x{i}\n" for i in range(250))
    error = refused(many, "Line 201: 'x199' is not a number")
    assert len(error.errors) == 200 and error.more == 50


def test_the_command_prints_the_count_or_the_errors(monthly_form, reporter_a, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "01/BC-VT,XA-A,202603,DT_VT,actual,12\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_values", str(good), "--user", "reporter_a", "--language", "en", stdout=out)
    assert out.getvalue().startswith("Imported 1 values (1 changed) in ")
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "01/BC-VT,XA-A,202603,DT_VT,actual,abc\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_values", str(bad), "--language", "en", stderr=err)
    assert "Line 2: 'abc' is not a number" in err.getvalue()
    with pytest.raises(CommandError):
        call_command("import_values", str(good), "--user", "nobody", "--language", "en")


def test_the_command_exits_non_zero_on_errors(monthly_form, tmp_path):
    import subprocess
    import sys

    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the subprocess reaches the test database only through a file")
    bad = tmp_path / "bad.csv"
    bad.write_text("nonsense\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "manage.py", "import_values", str(bad), "--language", "en"],
                          capture_output=True, text=True, env={"DIEUHANH_ALLOW_DEMO_KEY": "1",
                                                               "DIEUHANH_VAR_DIR": str(tmp_path),
                                                               "PATH": "/usr/bin:/bin"})
    assert done.returncode != 0
    assert "header must be" in done.stderr


def test_the_page_imports_or_lists_errors(client, monthly_form, reporter_a, outsider):
    page = reverse("reporting:csv_import")
    assert client.get(page).status_code == 302  # login first
    client.force_login(reporter_a)
    assert client.get(page).status_code == 200
    bad = io.BytesIO((HEADER + "01/BC-VT,XA-A,202603,DT_VT,actual,abc\n").encode())
    bad.name = "bad.csv"
    response = client.post(page, {"file": bad})
    assert response.status_code == 400
    assert "Line 2: &#x27;abc&#x27; is not a number" in response.content.decode()
    assert DataValue.objects.count() == 0
    good = io.BytesIO((HEADER + "01/BC-VT,XA-A,202603,DT_VT,actual,\"1.762,38\"\n").encode())
    good.name = "good.csv"
    response = client.post(page, {"file": good}, follow=True)
    assert "Imported 1 values (1 changed) from file good.csv" in response.content.decode()
    assert DataValue.objects.get().value == Decimal("1762.38")
    client.force_login(outsider)
    good.seek(0)
    response = client.post(page, {"file": good})
    assert "you may not enter figures for unit XA-A" in response.content.decode()


def test_it_checks_every_bound_the_web_path_checks(monthly_form, revenue):
    revenue.max_value = Decimal("5000")
    revenue.save()
    refused(HEADER + "\n".join([
        "01/BC-VT,XA-A,202603,DT_VT,actual,5000.0000001",  # 2: above the maximum and more than 6 decimals
        "01/BC-VT,XA-A,202603,DT_VT,target,5001",  # 3
        "01/BC-VT,XA-A,202603,DT_VT,estimate,12.0000001",  # 4: 7 decimals
        "01/BC-VT,XA-A,202604,DT_VT,actual,100000000000000000",  # 5: more than the column holds
    ]) + "\n", "Line 2: ", "Line 3: 5.001 is above the maximum 5.000", "Line 4: at most 6 decimal places",
        "Line 5: 100000000000000000 is too large")
    result = values_import(HEADER + "01/BC-VT,XA-A,202603,DT_VT,actual,0\n01/BC-VT,XA-A,202603,DT_VT,target,5000\n"
                           "01/BC-VT,XA-A,202603,DT_VT,estimate,0.000001\n")
    assert result.changed == 3
    assert stored()[("DT_VT", "XA-A", "202603", "estimate")] == Decimal("0.000001")


def test_it_says_where_the_time_went_and_leaves_the_connection_as_it_found_it(monthly_form, commune_a, revenue,
                                                                              reporter_a):
    from django.db import connection

    def cache_size():
        if connection.vendor != "sqlite":
            return None
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return cursor.fetchone()[0]

    before = cache_size()
    result = values_import(HEADER + "01/BC-VT,XA-A,202603,DT_VT,actual,100\n")
    assert result.validating > 0 and result.writing > 0 and result.committing >= 0
    assert result.validating + result.writing + result.committing == pytest.approx(result.seconds, abs=0.01)
    assert cache_size() == before
    refused(HEADER + "01/BC-VT,XA-A,202603,DT_DD,actual,150\n", "Line 2: Actual: the parts")  # refused in the writes
    assert cache_size() == before


def test_a_reimport_keeps_comments_and_writes_history_only_for_changes(monthly_form, commune_a, revenue, reporter_a):
    submission_save_values(form=monthly_form, orgunit=commune_a, period="202603", user=reporter_a, channel="web",
                           values=[ValueInput(revenue, "actual", Decimal("100"), comment="ước tính của xã")])
    result = values_import(HEADER + "01/BC-VT,XA-A,202603,DT_VT,actual,120\n"
                           "01/BC-VT,XA-A,202603,DT_VT,target,\n"  # never set: clearing it changes nothing
                           "01/BC-VT,XA-A,202604,DT_VT,actual,7\n", user=reporter_a)
    assert (result.values, result.changed) == (3, 2)
    cell = DataValue.objects.get(period="202603", kind="actual")
    assert (cell.value, cell.comment, cell.updated_by) == (Decimal("120"), "ước tính của xã", reporter_a)
    assert list(ValueHistory.objects.filter(channel="csv").order_by("period").values_list(
        "period", "old_value", "new_value")) == [("202603", Decimal("100"), Decimal("120")),
                                                 ("202604", None, Decimal("7"))]
