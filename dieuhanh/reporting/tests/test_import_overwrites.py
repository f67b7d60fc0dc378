"""A CSV import names no report version: each stored figure it replaces is an explicit overwrite — marked in the
history and listed back (old → new, who saved the old one and when) by the function, the page and the command."""

import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from dieuhanh.indicators.models import ValueHistory
from dieuhanh.indicators.services import ValueInput
from dieuhanh.reporting.csv_import import values_import
from dieuhanh.reporting.services import submission_save_values

HEADER = "form,unit,period,indicator,kind,value\n"


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def saved_on_the_page(monthly_form, commune_a, reporter_a, revenue):
    """Reporter A saved 100 through the web form; the CSV then sets 90 (and a new cell)."""
    submission_save_values(form=monthly_form, orgunit=commune_a, period="202603", user=reporter_a, channel="web",
                           values=[ValueInput(revenue, "actual", Decimal("100"))])
    return HEADER + "01/BC-VT,XA-A,202603,DT_VT,actual,90\n01/BC-VT,XA-A,202603,TB_DD,actual,25\n"


def test_it_lists_and_marks_each_replaced_figure(saved_on_the_page, admin_user):
    result = values_import(saved_on_the_page.encode(), user=admin_user)
    assert (result.values, result.changed, result.overwritten) == (2, 2, 1)
    [overwrite] = result.overwrites
    assert (overwrite.index, overwrite.indicator, overwrite.unit, overwrite.period, overwrite.kind) == (
        0, "DT_VT", "XA-A", "202603", "actual")
    assert (overwrite.old, overwrite.new, overwrite.saved_by) == (Decimal("100"), Decimal("90"), "reporter_a")
    assert "DT_VT · XA-A · 202603 (actual): 100 → 90, saved by reporter_a at" in overwrite.describe()
    history = {(h.indicator.code, h.old_value, h.new_value): (h.channel, h.overwrite)
               for h in ValueHistory.objects.select_related("indicator")}
    assert history == {("DT_VT", None, Decimal("100")): ("web", False),  # the page's save: nothing replaced
                       ("DT_VT", Decimal("100"), Decimal("90")): ("csv", True),
                       ("TB_DD", None, Decimal("25")): ("csv", False)}  # a new cell overwrites nothing


def test_a_cleared_figure_is_an_overwrite_and_an_unchanged_one_is_not(saved_on_the_page, admin_user):
    assert values_import((HEADER + "01/BC-VT,XA-A,202603,DT_VT,actual,100\n").encode(), user=admin_user
                         ).overwritten == 0
    result = values_import((HEADER + "01/BC-VT,XA-A,202603,DT_VT,actual,\n").encode(), user=admin_user)
    assert result.overwritten == 1 and result.overwrites[0].new is None
    assert ValueHistory.objects.filter(overwrite=True, new_value=None).count() == 1


def test_the_page_lists_the_overwrites(client, saved_on_the_page, admin_user):
    client.force_login(admin_user)
    upload = io.BytesIO(saved_on_the_page.encode())
    upload.name = "values.csv"
    response = client.post(reverse("reporting:csv_import"), {"file": upload}, follow=True)
    page = response.content.decode()
    assert "Imported 2 values (2 changed)" in page
    assert "1 figures saved before were overwritten" in page
    assert "DT_VT · XA-A · 202603 (actual): 100 → 90, saved by reporter_a" in page


def test_the_command_prints_the_overwrites(tmp_path, saved_on_the_page):
    path = tmp_path / "values.csv"
    path.write_text(saved_on_the_page)
    out = io.StringIO()
    call_command("import_values", str(path), "--language", "en", stdout=out)
    printed = out.getvalue()
    assert "1 figures saved before were overwritten" in printed
    assert "Line 2: DT_VT · XA-A · 202603 (actual): 100 → 90, saved by reporter_a at" in printed
