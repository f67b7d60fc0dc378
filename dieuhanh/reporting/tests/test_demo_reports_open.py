"""Every report the demo makes opens for a leader (issue #10 §0): events written without a person (the demo, an
import without --user, the system) used to break the page with a server error."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from dieuhanh.demo.build import demo_build
from dieuhanh.reporting.models import Submission, SubmissionEvent

pytestmark = pytest.mark.django_db


def test_it_opens_every_report_of_the_demo_for_a_leader(client):
    demo_build(small=True)
    reports = list(Submission.objects.select_related("orgunit").order_by("pk"))
    assert len(reports) > 100
    # The case that failed: reports whose workflow history has an event without a person.
    without_person = set(SubmissionEvent.objects.filter(actor=None).values_list("submission_id", flat=True))
    assert len(without_person) > 50
    client.force_login(get_user_model().objects.get(username="lanhdao"))
    failed = []
    for report in reports:
        url = reverse("reporting:entry", args=[report.form_id, report.orgunit.code, report.period])
        response = client.get(url)
        if response.status_code != 200:
            failed.append((url, response.status_code))
    assert failed == []
    # A person's change names the person; the others are the system's.
    sample = Submission.objects.filter(pk__in=without_person).select_related("orgunit").first()
    html = client.get(reverse("reporting:entry", args=[sample.form_id, sample.orgunit.code, sample.period])).content
    assert "Hệ thống" in html.decode()
