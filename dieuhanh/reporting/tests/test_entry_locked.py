"""Once a report is submitted, no page offers to upload a file over it; downloads stay."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from dieuhanh.indicators.models import Channel
from dieuhanh.indicators.services import ValueInput
from dieuhanh.reporting.models import Submission
from dieuhanh.reporting.services import submission_approve, submission_save_values, submission_submit

pytestmark = pytest.mark.django_db
PERIOD = "202603"


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # as the language switcher sets it
    with translation.override("en"):
        yield


def urls(form, unit):
    args = [form.pk, unit.code, PERIOD]
    return (reverse("reporting:entry", args=args), reverse("reporting:xlsx_upload", args=args),
            reverse("reporting:xlsx_download", args=args))


@pytest.fixture
def draft(monthly_form, commune_a, reporter_a, revenue):
    return submission_save_values(form=monthly_form, orgunit=commune_a, period=PERIOD, user=reporter_a,
                                  channel=Channel.WEB, values=[ValueInput(revenue, "actual", Decimal("1762.38"))])


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_a_locked_report_offers_downloads_only(client, monthly_form, commune_a, reporter_a, approver_a, draft,
                                               status):
    entry, upload, download = urls(monthly_form, commune_a)
    client.force_login(reporter_a)
    html = client.get(entry).content.decode()
    assert f'action="{upload}"' in html
    assert "{#" not in html and "#}" not in html  # template comments stay out of the page

    submission = submission_submit(submission=draft, user=reporter_a)
    if status == "approved":
        submission_approve(submission=submission, user=approver_a)
    html = client.get(entry).content.decode()
    assert f'action="{upload}"' not in html and 'id="xlsx-file"' not in html
    assert download in html

    # A file posted anyway is refused, and the error page does not offer another try either.
    response = client.post(upload, {"file": SimpleUploadedFile("form.xlsx", b"not a workbook")})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="xlsx-file"' not in html and download in html
    assert "Correct the file and upload it again" not in html  # no invitation to try again
    assert Submission.objects.get().status == status


def test_the_error_page_of_a_draft_offers_another_upload(client, monthly_form, commune_a, reporter_a, draft):
    _, upload, _ = urls(monthly_form, commune_a)
    client.force_login(reporter_a)
    response = client.post(upload, {"file": SimpleUploadedFile("form.xlsx", b"not a workbook")})
    assert response.status_code == 400
    assert 'id="xlsx-file"' in response.content.decode()
    assert "Correct the file and upload it again" in response.content.decode()
