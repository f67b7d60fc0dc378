"""The demo's names read well where they are shown: a part row says "trong đó" once (the entry page adds it), and
every long indicator name has a short name for the wall's cards."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from dieuhanh.demo.build import demo_build
from dieuhanh.indicators.models import Indicator
from dieuhanh.reporting.models import FormRow, Submission

pytestmark = pytest.mark.django_db

WALL_NAME = 40  # characters that take at most two lines of a wall card at 1920 px


def test_a_part_row_says_of_which_once(client):
    demo_build(small=True)
    parts = FormRow.objects.filter(total_row__isnull=False).select_related("section__form")
    assert parts and not [row.label for row in parts if row.label.lower().startswith("trong đó")]
    submission = Submission.objects.filter(form=parts[0].section.form).select_related("orgunit", "form").first()
    client.force_login(get_user_model().objects.get(username="admin"))
    page = client.get(reverse("reporting:entry", args=[submission.form_id, submission.orgunit.code,
                                                       submission.period])).content.decode()
    assert "Doanh thu di động" in page and "trong đó: </span>Trong đó" not in page
    assert page.lower().count("trong đó") == parts.filter(section__form=submission.form).count()


def test_every_long_indicator_name_has_a_short_name():
    demo_build(small=True)
    long_named = Indicator.objects.filter(active=True).exclude(short_name="")
    assert long_named.exists()
    assert [i.code for i in Indicator.objects.all() if len(i.display_name) > WALL_NAME] == []
