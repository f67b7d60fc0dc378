"""Leaders' figures count only what units reported: a draft or a returned report is in no total; a submitted one is,
at once, and says it awaits approval; with REPORTED_DATA = "approved" only approved reports count."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.test import override_settings

from dieuhanh.analytics.queries import Reader, figure
from dieuhanh.indicators.models import DataValue, ValueState
from dieuhanh.indicators.rollups import rollups_rebuild
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.reporting.services import (
    submission_approve,
    submission_reopen,
    submission_return,
    submission_save_values,
    submission_submit,
)

D = Decimal
MONTH = "202603"


def enter(form, unit, user, value, kind="actual", period=MONTH, indicator=None):
    indicator = indicator or form.sections.first().rows.first().indicator
    return submission_save_values(form=form, orgunit=unit, period=period, user=user, channel="web",
                                  values=[ValueInput(indicator, kind, D(value))])


def test_a_draft_is_in_no_total_and_a_submitted_report_is_at_once(monthly_form, province, commune_a, commune_b,
                                                                    revenue, reporter_a, reporter_b, approver_a):
    draft = enter(monthly_form, commune_a, reporter_a, "99.9")
    assert DataValue.objects.get().state == ValueState.DRAFT
    found = figure(revenue, province, MONTH)
    assert (found.value, found.units_reported) == (None, 0)
    assert figure(revenue, commune_a, MONTH).value is None  # not even the commune's own page shows it to leaders

    submission_submit(submission=draft, user=reporter_a)
    found = figure(revenue, province, MONTH)
    assert (found.value, found.units_reported, found.pending) == (D("99.9"), 1, 1)
    assert figure(revenue, commune_a, MONTH).pending == 1

    other = enter(monthly_form, commune_b, reporter_b, "10")  # B's draft does not change the province total
    assert figure(revenue, province, MONTH).value == D("99.9")
    submission_submit(submission=other, user=reporter_b)
    assert figure(revenue, province, MONTH).value == D("109.9")

    submission_approve(submission=draft, user=approver_a)
    found = figure(revenue, province, MONTH)
    assert (found.value, found.units_reported, found.pending) == (D("109.9"), 2, 1)  # B still awaits approval

    submission_return(submission=draft, user=approver_a, reason="Số liệu chưa khớp")
    found = figure(revenue, province, MONTH)
    assert (found.value, found.units_reported, found.pending) == (D("10"), 1, 1)  # A is out until resubmitted
    enter(monthly_form, commune_a, reporter_a, "95")
    assert figure(revenue, province, MONTH).value == D("10")
    submission_submit(submission=draft, user=reporter_a)
    assert figure(revenue, province, MONTH).value == D("105")

    submission_approve(submission=draft, user=approver_a)
    submission_reopen(submission=draft, user=approver_a, reason="Mở lại để sửa")
    assert figure(revenue, province, MONTH).value == D("10")


def test_the_year_target_counts_once_its_report_is_submitted(monthly_form, province, commune_a, revenue,
                                                             reporter_a, admin_user):
    report = enter(monthly_form, commune_a, admin_user, "2000", kind="target", period="202601")  # the province's
    assert figure(revenue, province, "2026", kind="target").value is None
    submission_submit(submission=report, user=reporter_a)
    assert figure(revenue, province, "2026", kind="target").value == D("2000")


def test_a_province_s_own_draft_estimate_does_not_replace_its_communes_figures(province, commune_a, revenue):
    datavalues_save(orgunit=commune_a, period=MONTH, user=None, channel="web", state=ValueState.APPROVED,
                    values=[ValueInput(revenue, "actual", D("40"))])
    datavalues_save(orgunit=province, period=MONTH, user=None, channel="web", state=ValueState.DRAFT,
                    values=[ValueInput(revenue, "estimate", D("999"))])
    assert figure(revenue, province, MONTH).value == D("40")
    rollups_rebuild()
    assert figure(revenue, province, MONTH).value == D("40")


@override_settings(REPORTED_DATA="approved")
def test_with_approved_only_a_submitted_report_waits_for_its_approval(monthly_form, province, commune_a, revenue,
                                                                      reporter_a, approver_a):
    report = enter(monthly_form, commune_a, reporter_a, "12")
    submission_submit(submission=report, user=reporter_a)
    assert figure(revenue, province, MONTH).value is None
    submission_approve(submission=report, user=approver_a)
    found = figure(revenue, province, MONTH)
    assert (found.value, found.pending) == (D("12"), 0)
    rollups_rebuild()  # the rebuild follows the same setting
    assert Reader([revenue], [province]).figures([MONTH])[(revenue.pk, province.pk, MONTH)].value == D("12")


@pytest.mark.django_db(transaction=True)
def test_a_committed_submission_is_in_the_province_total_at_once(monthly_form, province, commune_a, revenue,
                                                                         reporter_a):
    report = enter(monthly_form, commune_a, reporter_a, "3")
    with transaction.atomic():
        submission_submit(submission=report, user=reporter_a)
    # Committed and read back with no rebuild in between (make bench times submit → province total).
    assert figure(revenue, province, MONTH).value == D("3")


def test_the_entry_page_says_when_leaders_do_not_count_the_figures_yet(client, monthly_form, commune_a, reporter_a,
                                                                      approver_a, settings):
    from django.urls import reverse

    report = enter(monthly_form, commune_a, reporter_a, "5")
    url = reverse("reporting:entry", args=[monthly_form.pk, commune_a.code, MONTH])
    client.force_login(reporter_a)
    assert "bản nháp" in client.get(url).content.decode().split('id="draft-note"')[1][:400]
    submission_submit(submission=report, user=reporter_a)
    assert 'id="draft-note"' not in client.get(url).content.decode()  # submitted: counted (the default setting)
    settings.REPORTED_DATA = "approved"
    note = client.get(url).content.decode().split('id="draft-note"')[1][:400]
    assert "khi báo cáo được phê duyệt" in note
    submission_approve(submission=report, user=approver_a)
    assert 'id="draft-note"' not in client.get(url).content.decode()
