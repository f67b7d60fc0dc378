"""The form list and the completeness page, through Django's test client."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from dieuhanh.lib.periods import Period
from dieuhanh.reporting.completeness import deadline_of, local_today, period_to_report
from dieuhanh.reporting.models import ReportForm, Submission
from dieuhanh.reporting.services import submission_approve, submission_save_values, submission_submit

pytestmark = pytest.mark.django_db


def english_get(client, url, user):
    client.force_login(user)
    with override("en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # as the language switcher sets it
        return client.get(url)


def page(client, url, user) -> str:
    response = english_get(client, url, user)
    assert response.status_code == 200
    return response.content.decode()


def current(form) -> str:
    return period_to_report(form, local_today()).id


def submit(form, unit, period, reporter, approver=None):
    sub = submission_save_values(form=form, orgunit=unit, period=period, values=[], user=reporter, channel="web")
    sub = submission_submit(submission=sub, user=reporter)
    if approver:
        sub = submission_approve(submission=sub, user=approver)
    return sub


@pytest.fixture
def other_form(province, agency):
    """A form only the agency reports: commune users have nothing to do with it."""
    form = ReportForm.objects.create(code="02/BC-SO", name="Báo cáo của sở", period_type="quarter", deadline_day=6)
    form.units.set([agency])
    return form


def test_the_list_shows_the_forms_of_the_users_units(client, monthly_form, other_form, leader, reporter_a):
    html = page(client, reverse("reporting:form_list"), leader)
    assert "01/BC-VT" in html and "02/BC-SO" in html
    assert "by day 15 of the period&#x27;s last month" in html
    html = page(client, reverse("reporting:form_list"), reporter_a)
    assert "01/BC-VT" in html and "02/BC-SO" not in html


def test_the_list_counts_submissions_of_the_current_period(client, monthly_form, leader, reporter_a, approver_a,
                                                         commune_a):
    period = current(monthly_form)
    submit(monthly_form, commune_a, period, reporter_a, approver_a)
    html = page(client, reverse("reporting:form_list"), leader)
    assert "1/2 submitted" in html
    assert reverse("reporting:completeness", args=[monthly_form.pk, period]) in html
    # A leader does not enter data: no entry links.
    assert "entry-link" not in html


def test_the_list_gives_a_reporter_a_link_to_enter_their_own_units_data(client, monthly_form, reporter_a):
    html = page(client, reverse("reporting:form_list"), reporter_a)
    period = current(monthly_form)
    # Checks only if the entry page is wired (another module builds it).
    if "entry-link" in html:
        assert f"/reporting/forms/{monthly_form.pk}/XA-A/{period}/" in html
        assert "/XA-B/" not in html
    assert "0/1 submitted" in html  # a reporter's list counts their own units only


def test_the_list_says_so_when_no_form_concerns_the_user(client, monthly_form, outsider):
    assert "No reporting form concerns your units." in page(client, reverse("reporting:form_list"), outsider)


def test_the_completeness_page_shows_states_and_the_on_time_rate(client, monthly_form, leader, reporter_a,
                                                                approver_a, commune_a):
    period = current(monthly_form)
    submit(monthly_form, commune_a, period, reporter_a, approver_a)
    html = page(client, reverse("reporting:completeness", args=[monthly_form.pk, period]), leader)
    assert re.search(r'data-unit="XA-A" data-state="approved"', html)
    assert re.search(r'data-unit="XA-B" data-state="not_started"', html)
    # Submitted today: on time unless today is after the deadline (the current period may be overdue already).
    on_time = local_today() <= deadline_of(monthly_form, Period.parse(period))
    assert ('id="on-time-rate">50,0%' if on_time else 'id="on-time-rate">0,0%') in html
    assert "approver_a" in html  # the last change, by whom


def test_the_completeness_page_counts_a_late_submission(client, monthly_form, leader, reporter_b, commune_b):
    sub = submit(monthly_form, commune_b, "202603", reporter_b)
    Submission.objects.filter(pk=sub.pk).update(
        submitted_at=timezone.make_aware(datetime.datetime(2026, 3, 16, 8, 0)))
    html = page(client, reverse("reporting:completeness", args=[monthly_form.pk, "202603"]), leader)
    assert 'data-unit="XA-B" data-state="submitted_late"' in html
    assert "15/03/2026" in html and "08:00 16/03/2026" in html
    assert 'id="on-time-rate">0,0%' in html
    assert "1/2" in html


def test_the_completeness_page_navigates_between_periods(client, monthly_form, leader):
    html = page(client, reverse("reporting:completeness", args=[monthly_form.pk, "202603"]), leader)
    assert reverse("reporting:completeness", args=[monthly_form.pk, "202602"]) in html
    assert reverse("reporting:completeness", args=[monthly_form.pk, "202604"]) in html
    far = period_to_report(monthly_form, local_today())
    for _ in range(2):
        far = far.next()
    html = page(client, reverse("reporting:completeness", args=[monthly_form.pk, far.id]), leader)
    assert 'rel="next"' not in html  # nothing to navigate to beyond the period being prepared


def test_the_completeness_page_answers_404_for_bad_periods_and_forms(client, monthly_form, other_form, leader,
                                                                   reporter_a):
    for period in ("2026Q1", "2026", "abc", "202613"):
        assert english_get(client, f"/reporting/forms/{monthly_form.pk}/completeness/{period}/",
                           leader).status_code == 404
    assert english_get(client, "/reporting/forms/999999/completeness/202603/", leader).status_code == 404
    assert english_get(client, reverse("reporting:completeness", args=[other_form.pk, "2026Q1"]),
                       reporter_a).status_code == 404
    monthly_form.active = False
    monthly_form.save()
    assert english_get(client, reverse("reporting:completeness", args=[monthly_form.pk, "202603"]),
                       leader).status_code == 404


# --- admin ------------------------------------------------------------------------------------------------------
@pytest.fixture
def superuser(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root", "root@example.org", "secret-pass-123")


def test_the_admin_lists_forms_sections_holidays_and_submissions(client, superuser, monthly_form, reporter_a,
                                                                commune_a):
    submit(monthly_form, commune_a, "202603", reporter_a)
    client.force_login(superuser)
    for name in ("reportform", "formsection", "holiday", "submission"):
        assert client.get(reverse(f"admin:reporting_{name}_changelist")).status_code == 200, name
    html = client.get(reverse("admin:reporting_reportform_change", args=[monthly_form.pk])).content.decode()
    assert "Doanh thu" in html and "Thuê bao" in html  # the sections inline
    section = monthly_form.sections.get(order=1)
    html = client.get(reverse("admin:reporting_formsection_change", args=[section.pk])).content.decode()
    assert "DT_DD" in html or "Doanh thu dịch vụ di động" in html  # the rows inline
    response = client.get(reverse("admin:reporting_submission_changelist"), {"status__exact": "submitted"})
    assert "Xã Hưng Điền" in response.content.decode()


def test_the_admin_keeps_submissions_read_only(client, superuser, monthly_form, reporter_a, commune_a):
    sub = submit(monthly_form, commune_a, "202603", reporter_a)
    client.force_login(superuser)
    url = reverse("admin:reporting_submission_change", args=[sub.pk])
    html = client.get(url).content.decode()
    assert "reporter_a" in html and "submitted" in html  # the events, read-only
    client.post(url, {"status": "approved"})
    sub.refresh_from_db()
    assert sub.status == "submitted"
    assert client.get(reverse("admin:reporting_submission_add")).status_code == 403


def test_the_completeness_page_shows_a_submission_nobody_is_named_on(client, monthly_form, leader, commune_a):
    # Imported data may carry no user.
    Submission.objects.create(form=monthly_form, orgunit=commune_a, period="202603", status="draft")
    html = page(client, reverse("reporting:completeness", args=[monthly_form.pk, "202603"]), leader)
    assert 'data-unit="XA-A" data-state="draft"' in html


def test_the_completeness_page_filters_units_by_state(client, monthly_form, leader, reporter_a, commune_a):
    submit(monthly_form, commune_a, "202603", reporter_a)  # late: long after 15/03/2026
    url = reverse("reporting:completeness", args=[monthly_form.pk, "202603"])
    html = page(client, url + "?state=not_started", leader)
    assert 'data-unit="XA-B"' in html and 'data-unit="XA-A"' not in html
    assert "1/2" in html  # the totals stay those of all units
    html = page(client, url + "?state=submitted_late", leader)
    assert 'data-unit="XA-A"' in html and 'data-unit="XA-B"' not in html
    html = page(client, url + "?state=overdue", leader)
    assert 'data-unit="XA-B"' in html and 'data-unit="XA-A"' not in html
    html = page(client, url + "?state=approved", leader)
    assert "data-unit=" not in html and "No unit in this state." in html
    html = page(client, url + "?state=bogus", leader)
    assert 'data-unit="XA-A"' in html and 'data-unit="XA-B"' in html


def test_the_csv_import_link_is_offered_only_to_users_who_may_import(client, monthly_form, leader, reporter_a,
                                                                     approver_a):
    link = reverse("reporting:csv_import")
    assert f'href="{link}"' in page(client, reverse("reporting:form_list"), reporter_a)
    for user in (leader, approver_a):
        assert f'href="{link}"' not in page(client, reverse("reporting:form_list"), user)
