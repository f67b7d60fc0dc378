"""Alert rules on indicators and reports, from analytics' figures and reporting's workflow: no data by the form's
deadline, above a threshold, a returned report — each resolving when what it watches changes."""

import datetime
from decimal import Decimal

import pytest

from dieuhanh.alerts.engine import alerts_evaluate
from dieuhanh.alerts.models import LOCAL_TZ, Alert, AlertRule, AlertState
from dieuhanh.indicators.services import ValueInput
from dieuhanh.reporting.completeness import period_to_report
from dieuhanh.reporting.services import submission_return, submission_save_values, submission_submit

State = AlertState
# Reports and figures are judged on a fixed day: on 03/12/2026 the monthly form collects November, due 15/11.
DAY = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=LOCAL_TZ)


@pytest.fixture
def report(monthly_form, revenue, subscribers):
    """`report(unit, user, revenue)`: the unit's report for the period the form collects now, saved and
    submitted."""
    def run(unit, user, amount):
        period = period_to_report(monthly_form, DAY.date()).id
        saved = submission_save_values(
            form=monthly_form, orgunit=unit, period=period, user=user, channel="web",
            values=[ValueInput(indicator=revenue, kind="actual", value=Decimal(amount)),
                    ValueInput(indicator=subscribers, kind="actual", value=Decimal("1200"))])
        return submission_submit(submission=saved, user=user)
    return run


def state_of(rule):
    return list(Alert.objects.filter(rule=rule).values_list("state", flat=True))


def test_no_data_then_a_threshold_crossed(report, monthly_form, revenue, commune_a, reporter_a):
    common = {"unit": commune_a, "indicator": revenue, "form": monthly_form, "level": "warning"}
    no_data = AlertRule.objects.create(name="Chưa có số liệu", kind="indicator_no_data", **common)
    above = AlertRule.objects.create(name="Doanh thu vượt 10 tỷ", kind="indicator_threshold", comparison="above",
                                     threshold=Decimal("10"), **common)
    alerts_evaluate(now=DAY)
    assert state_of(no_data) == [State.FIRING] and state_of(above) == []
    [alert] = Alert.objects.filter(rule=no_data)
    assert "Doanh thu viễn thông chưa có số liệu Tháng 11/2026" in alert.summary and "15/11/2026" in alert.summary

    report(commune_a, reporter_a, "12.5")
    alerts_evaluate(now=DAY + datetime.timedelta(minutes=1))
    assert state_of(no_data) == [State.RESOLVED] and state_of(above) == [State.FIRING]
    [alert] = Alert.objects.filter(rule=above)
    assert "Doanh thu viễn thông trên 10: 12,5 tỷ đồng" in alert.summary


def test_a_returned_report_fires_until_it_is_sent_again(report, monthly_form, commune_a, reporter_a, approver_a):
    rule = AlertRule.objects.create(name="Báo cáo bị trả lại", kind="report_returned", unit=commune_a)
    submission = report(commune_a, reporter_a, "12.5")
    alerts_evaluate()
    assert state_of(rule) == []
    submission_return(submission=submission, user=approver_a, reason="Thiếu số thuê bao")
    alerts_evaluate()
    assert state_of(rule) == [State.FIRING]
    assert Alert.objects.get(rule=rule).summary.startswith("Báo cáo bị trả lại: 01/BC-VT Tháng 11/2026 — Xã Hưng Điền")
    submission.refresh_from_db()
    submission_submit(submission=submission, user=reporter_a)
    alerts_evaluate()
    assert state_of(rule) == [State.RESOLVED]
