"""values_import_rows, the one bulk entry point (CSV, command, API): strategies, dry run, every problem code with
its index and field, scope, history, rollups, all or nothing."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.utils import translation

from dieuhanh.indicators.models import DataValue, ValueHistory, ValueRollup, ValueState
from dieuhanh.indicators.services import ValueInput
from dieuhanh.indicators.writer import Staged, WriteErrors, datavalues_write
from dieuhanh.reporting.imports import ImportErrors, ImportRow, values_import_rows
from dieuhanh.reporting.models import Submission
from dieuhanh.reporting.services import submission_approve, submission_save_values, submission_submit

F = "01/BC-VT"


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def row(unit="XA-A", period="202603", indicator="DT_VT", kind="actual", value="100", form=F, comment=""):
    return ImportRow(form, unit, period, indicator, kind, value, comment)


def stored():
    return {(v.indicator.code, v.orgunit.code, v.period, v.kind): v.value
            for v in DataValue.objects.select_related("indicator", "orgunit")}


def everything():
    return (stored(), list(ValueHistory.objects.values_list("pk", flat=True)),
            list(Submission.objects.values_list("pk", "version", "status")), ValueRollup.objects.count())


def refused(rows, user=None, **kwargs):
    before = everything()
    with pytest.raises(ImportErrors) as info:
        values_import_rows(rows, user=user, channel="api", **kwargs)
    assert everything() == before
    return info.value


def counts(result):
    return result.imported, result.updated, result.ignored, result.deleted


def test_it_creates_and_updates_by_default_with_one_history_row_per_change(monthly_form, reporter_a):
    result = values_import_rows([row(value="1.762,38"), row(kind="ước thực hiện", value="2000"),
                                 row(indicator="TB_DD", value="125.000")], user=reporter_a, channel="api")
    assert counts(result) == (3, 0, 0, 0) and result.changed == 3
    result = values_import_rows([row(value="1800.5"), row(kind="estimate", value="2000"),
                                 row(indicator="TB_DD", value="125.000", comment="ước")], user=reporter_a,
                                channel="api")
    assert counts(result) == (0, 2, 1, 0) and result.changed == 1  # a new comment updates without history
    assert stored()[("DT_VT", "XA-A", "202603", "actual")] == D("1800.5")
    assert DataValue.objects.get(indicator__code="TB_DD").comment == "ước"
    last = ValueHistory.objects.order_by("-id").first()
    assert (last.old_value, last.new_value, last.channel, last.changed_by) == (D("1762.38"), D("1800.5"), "api",
                                                                               reporter_a)
    assert Submission.objects.get().version == 3  # created at 1, bumped by each import


def test_create_ignores_existing_cells_and_update_ignores_new_ones(monthly_form):
    values_import_rows([row(value="10")], user=None, channel="api")
    result = values_import_rows([row(value="11"), row(kind="estimate", value="9")], user=None, channel="api",
                                strategy="CREATE")
    assert counts(result) == (1, 0, 1, 0)
    assert stored()[("DT_VT", "XA-A", "202603", "actual")] == D("10")
    result = values_import_rows([row(value="12"), row(period="202604", value="5")], user=None, channel="api",
                                strategy="UPDATE")
    assert counts(result) == (0, 1, 1, 0)
    assert stored()[("DT_VT", "XA-A", "202603", "actual")] == D("12")
    assert ("DT_VT", "XA-A", "202604", "actual") not in stored()


def test_delete_clears_existing_cells_and_keeps_them_in_the_history(monthly_form, reporter_a):
    values_import_rows([row(value="10"), row(kind="estimate", value="9")], user=reporter_a, channel="api")
    result = values_import_rows([row(value="10"), row(period="202604", value="3")], user=reporter_a,
                                channel="api", strategy="DELETE")
    assert counts(result) == (0, 0, 1, 1)
    assert stored() == {("DT_VT", "XA-A", "202603", "estimate"): D("9")}
    last = ValueHistory.objects.order_by("-id").first()
    assert (last.old_value, last.new_value, last.kind, last.channel) == (D("10"), None, "actual", "api")
    # A blank value clears under CREATE_AND_UPDATE too.
    result = values_import_rows([row(kind="estimate", value="")], user=reporter_a, channel="api")
    assert counts(result) == (0, 0, 0, 1) and not stored()


def test_a_dry_run_counts_what_a_real_run_would_and_writes_nothing(monthly_form, reporter_a):
    values_import_rows([row(value="10")], user=reporter_a, channel="api")
    before = everything()
    rows = [row(value="11"), row(kind="estimate", value="9"), row(indicator="TB_DD", value="")]
    dry = values_import_rows(rows, user=reporter_a, channel="api", dry_run=True)
    assert everything() == before
    real = values_import_rows(rows, user=reporter_a, channel="api")
    assert counts(dry) == counts(real) == (1, 1, 1, 0)


def test_every_problem_has_its_code_index_and_field(monthly_form, revenue, ict_sector, reporter_a, commune_a):
    from dieuhanh.indicators.models import Indicator

    Indicator.objects.create(code="OTHER", name="Khác", unit="x", sector=ict_sector)
    revenue.max_value = D("5000")
    revenue.save()
    rows = [
        row(value="100"),  # 0: fine
        row(form="NOFORM"),  # 1
        row(unit="NOUNIT"),  # 2
        row(unit="TN"),  # 3: the province does not report the form
        row(period="2026Q1"),  # 4
        row(indicator="NOPE"),  # 5
        row(indicator="OTHER"),  # 6
        row(kind="guess"),  # 7
        row(indicator="TB_DD", kind="target"),  # 8: the row asks only for the actual
        row(kind="estimate", value="abc"),  # 9
        row(kind="target", value="-1"),  # 10
        row(kind="estimate", value="5001"),  # 11
        row(indicator="TB_DD", value="1.5"),  # 12
        row(value="100"),  # 13: repeats 0
        row(form=None, unit="XA-A", indicator="DT_VT", kind="estimate", period="202605", value="1"),  # 14: fine
        row(period="202606", value="100000000000000000"),  # 15
        row(period="202606", kind="estimate", value="1.0000001"),  # 16
    ]
    problems = refused(rows).problems
    assert [(p.index, p.field, p.code) for p in problems] == [
        (1, "form", "E_UNKNOWN_FORM"), (2, "unit", "E_UNKNOWN_UNIT"), (3, "unit", "E_NOT_ON_FORM"),
        (4, "period", "E_PERIOD"), (5, "indicator", "E_UNKNOWN_INDICATOR"), (6, "indicator", "E_NOT_ON_FORM"),
        (7, "kind", "E_KIND"), (8, "kind", "E_NOT_ON_FORM"), (9, "value", "E_VALUE_TYPE"),
        (10, "value", "E_RANGE"), (11, "value", "E_RANGE"), (12, "value", "E_VALUE_TYPE"),
        (13, "indicator", "E_DUPLICATE"), (15, "value", "E_RANGE"), (16, "value", "E_VALUE_TYPE")]
    messages = {p.index: p.message for p in problems}
    assert messages[2] == "không có đơn vị 'NOUNIT'" or "NOUNIT" in messages[2]
    assert "5.001" in messages[11] and "5.000" in messages[11]
    assert "dòng 2" in messages[13].lower()
    assert {p.value for p in problems if p.index in (1, 2, 5)} == {"NOFORM", "NOUNIT", "NOPE"}


def test_report_rules_locked_sum_rule_and_target_rights(monthly_form, commune_a, revenue, reporter_a, approver_a):
    submission = submission_save_values(form=monthly_form, orgunit=commune_a, period="202603", user=reporter_a,
                                        channel="web", values=[ValueInput(revenue, "actual", D("100"))])
    submission_submit(submission=submission, user=reporter_a)
    problems = refused([row(period="202605", value="1"), row(value="150"),  # 1: submitted, locked
                        row(period="202604", value="100"), row(period="202604", indicator="DT_DD", value="150"),
                        row(period="202605", kind="target", value="3000")], user=reporter_a).problems
    assert [(p.index, p.field, p.code) for p in problems] == [
        (1, "report", "E_LOCKED"), (2, "value", "E_SUM_RULE"),
        (4, "value", "E_TARGET_RIGHTS")]


def test_out_of_scope_units_are_refused(monthly_form, reporter_b):
    problems = refused([row(unit="XA-B", value="1"), row(unit="XA-A", value="2")], user=reporter_b).problems
    assert [(p.index, p.field, p.code, p.value) for p in problems] == [(1, "unit", "E_OUT_OF_SCOPE", "XA-A")]


def test_a_form_may_be_left_out_when_one_form_carries_the_cell(monthly_form, commune_a, revenue, reporter_a):
    from dieuhanh.reporting.models import FormRow, FormSection, ReportForm

    result = values_import_rows([row(form=None, value="7")], user=reporter_a, channel="api")
    assert result.imported == 1
    other = ReportForm.objects.create(code="02/BC", name="Khác", period_type="month")
    other.units.set([commune_a])
    FormRow.objects.create(section=FormSection.objects.create(form=other, title="x"), indicator=revenue,
                           kinds="actual")
    problems = refused([row(form=None, value="8")], user=reporter_a).problems
    assert [(p.index, p.field, p.code) for p in problems] == [(0, "form", "E_FORM_AMBIGUOUS")]


def test_values_on_a_submitted_report_take_its_state_and_feed_the_rollups(monthly_form, commune_a, province,
                                                                          revenue, reporter_a, approver_a):
    from dieuhanh.reporting.models import FormRow, FormSection, ReportForm

    # The same cell on a second form whose report was approved: the value counts at once.
    yearly = ReportForm.objects.create(code="03/BC", name="Khác", period_type="month")
    yearly.units.set([commune_a])
    FormRow.objects.create(section=FormSection.objects.create(form=yearly, title="x"), indicator=revenue,
                           kinds="estimate")
    done = submission_save_values(form=yearly, orgunit=commune_a, period="202603", user=reporter_a, channel="web",
                                  values=[ValueInput(revenue, "estimate", D("40"))])
    submission_approve(submission=submission_submit(submission=done, user=reporter_a), user=approver_a)
    reopened = Submission.objects.get(pk=done.pk)
    reopened.status = Submission.Status.RETURNED  # editable again, so the import may change its figure
    reopened.save()
    Submission.objects.create(form=yearly, orgunit=commune_a, period="202604", status="approved")
    values_import_rows([row(kind="estimate", value="55"), row(kind="estimate", period="202604", value="66")],
                       user=reporter_a, channel="api")
    states = dict(DataValue.objects.values_list("period", "state"))
    assert states == {"202603": ValueState.DRAFT, "202604": ValueState.APPROVED}
    rollup = ValueRollup.objects.get(orgunit=province, period="202604", kind="best")
    assert rollup.total == D("66")


def test_a_failure_in_the_middle_leaves_nothing(monthly_form, reporter_a):
    values_import_rows([row(value="1")], user=reporter_a, channel="api")
    before = everything()

    def fails_after_staging(staged: Staged) -> None:
        staged.cursor.execute(staged.sql("SELECT COUNT(*) FROM {t}"))
        assert staged.cursor.fetchone()[0] == 2
        staged.refuse(1, "value", "x", "E_TEST", "hỏng")

    from dieuhanh.orgunits.models import OrgUnit

    unit = OrgUnit.objects.get(code="XA-A").pk
    indicator = DataValue.objects.get().indicator_id
    with pytest.raises(WriteErrors) as info:
        datavalues_write([(0, unit, "202603", indicator, "actual", "2"), (1, unit, "202604", indicator, "actual", "3")],
                         user=reporter_a, channel="api", checks=[fails_after_staging])
    assert [(p.index, p.code) for p in info.value.problems] == [(1, "E_TEST")]
    assert everything() == before


def test_a_conflict_in_the_merge_rolls_everything_back(monthly_form, reporter_a):
    from dieuhanh.orgunits.models import OrgUnit

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's single writer rules out the concurrent insert this stands for")
    unit = OrgUnit.objects.get(code="XA-A").pk
    from dieuhanh.indicators.models import Indicator

    indicator = Indicator.objects.get(code="DT_VT").pk
    before = everything()
    # The same new cell twice stands for a cell another writer inserted meanwhile: the insert fails.
    with pytest.raises(WriteErrors) as info:
        datavalues_write([(0, unit, "202603", indicator, "actual", "2"), (1, unit, "202603", indicator, "actual", "3")],
                         user=reporter_a, channel="api")
    assert info.value.problems[0].code == "E_CONFLICT"
    assert everything() == before


def test_the_writer_refuses_units_and_indicators_that_do_not_exist(monthly_form, reporter_a):
    """The values table has no database foreign keys: the writer's own check is what keeps them true."""
    from dieuhanh.indicators.models import Indicator
    from dieuhanh.orgunits.models import OrgUnit

    unit = OrgUnit.objects.get(code="XA-A").pk
    indicator = Indicator.objects.get(code="DT_VT").pk
    missing_unit = OrgUnit.objects.order_by("-pk").first().pk + 1000
    missing_indicator = Indicator.objects.order_by("-pk").first().pk + 1000
    before = everything()
    with pytest.raises(WriteErrors) as info:
        datavalues_write([(0, unit, "202603", indicator, "actual", "2"),
                          (1, missing_unit, "202603", indicator, "actual", "3"),
                          (2, unit, "202603", missing_indicator, "actual", "4")], user=reporter_a, channel="api")
    assert [(p.index, p.field, p.code) for p in info.value.problems] == [
        (1, "unit", "E_UNKNOWN_UNIT"), (2, "indicator", "E_UNKNOWN_INDICATOR")]
    assert f"'{missing_unit}'" in info.value.problems[0].message
    assert everything() == before
