"""One "not reported" (reporting.completeness): the overview's late-report alert, its reporting panel, the indicator
page's list and the completeness page name the same units on the same day.

Hand-built day: 20/03/2026, form 01/BC-VT due 15/03/2026, read by the province's leader. Five communes owe March:
- A submitted on time (reported);
- B typed its figures and never sent them (a draft is not reported, whatever it holds);
- C submitted, then had its report returned with a new deadline (not reported until it comes back);
- D ended on 28/02/2026 (owes nothing for March);
- E submitted its report without the revenue figure (reported: the report left the unit).
Before this rule the indicator page counted B's draft as reported, named D as missing and E as not reported.
"""

import datetime
import html as htmllib
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from dieuhanh.alerts.engine import alerts_evaluate
from dieuhanh.alerts.services import rules_default_create
from dieuhanh.indicators.models import Channel
from dieuhanh.indicators.services import ValueInput
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.orgunits.services import orgunit_create
from dieuhanh.reporting.completeness import completeness, units_not_reported
from dieuhanh.reporting.services import submission_return, submission_save_values, submission_submit

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = "202603"


@pytest.fixture
def clock(monkeypatch):
    def set_to(*args):
        moment = datetime.datetime(*args, tzinfo=HCM)
        monkeypatch.setattr(timezone, "now", lambda: moment)
    return set_to


@pytest.fixture
def march(clock, monthly_form, province, commune_a, commune_b, revenue, subscribers, reporter_a, approver_a):
    commune_c = orgunit_create(code="XA-C", name="Xã Mỹ An", kind=OrgUnit.Kind.COMMUNE, parent=province)
    commune_d = orgunit_create(code="XA-D", name="Xã Cũ", kind=OrgUnit.Kind.COMMUNE, parent=province)
    OrgUnit.objects.filter(pk=commune_d.pk).update(valid_to=datetime.date(2026, 2, 28))
    commune_e = orgunit_create(code="XA-E", name="Xã Tân Lập", kind=OrgUnit.Kind.COMMUNE, parent=province)
    monthly_form.units.add(commune_c, commune_d, commune_e)

    def save(unit, *values):
        return submission_save_values(form=monthly_form, orgunit=unit, period=MARCH, user=None, channel=Channel.WEB,
                                      values=list(values))

    clock(2026, 3, 14, 10, 0)
    submission_submit(submission=save(commune_a, ValueInput(revenue, "actual", Decimal("120"))), user=reporter_a)
    save(commune_b, ValueInput(revenue, "actual", Decimal("99.9")))
    returned = submission_submit(submission=save(commune_c, ValueInput(revenue, "actual", Decimal("80"))), user=None)
    submission_submit(submission=save(commune_e, ValueInput(subscribers, "actual", Decimal("500"))), user=None)
    clock(2026, 3, 18, 9, 0)
    submission_return(submission=returned, user=approver_a, reason="Sai đơn vị tính",
                      resubmit_by=datetime.date(2026, 3, 25))
    clock(2026, 3, 20, 10, 0)
    return {"missing": {commune_b.name, commune_c.name}, "expected": 4}


def text(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment))


def names(listing: str) -> set[str]:
    return {name.strip() for name in listing.split(",") if name.strip()}


def test_the_four_places_name_the_same_units(client, leader, monthly_form, province, revenue, march):
    client.force_login(leader)
    missing = march["missing"]

    # 1. the completeness rule itself, and the completeness page
    assert {row.unit.name for row in completeness(monthly_form, MARCH).not_reported} == missing
    page = client.get(reverse("reporting:completeness", args=[monthly_form.pk, MARCH])).content.decode()
    rows = dict(re.findall(r'<tr data-unit="([^"]+)" data-state="([^"]+)">', page))
    assert len(rows) == march["expected"]
    unreported = {code for code, state in rows.items() if state in ("not_started", "draft", "returned")}
    assert {OrgUnit.objects.get(code=code).name for code in unreported} == missing
    assert "Hạn nộp lại 25/03/2026" in text(page)  # the returned report's new deadline, beside its reason

    # 2. the overview's late-report alert names them (the late-report rule's alerts, as the worker left them on that
    # day), and 3. its panel counts them
    rules_default_create(unit=province)
    assert alerts_evaluate().errors == 0
    overview = client.get(reverse("home")).content.decode()
    alert = re.search(r'<li class="alert-item[^"]*" data-source="reporting">(.*?)</li>', overview, re.S).group(1)
    title = text(re.search(r'class="alert-title">(.*?)</a>', alert, re.S).group(1))
    assert "01/BC-VT: 2 đơn vị chưa nộp" in title
    detail = text(re.search(r'<div class="kpi-meta">(.*?)</div>', alert, re.S).group(1))
    assert names(detail.split("·", 1)[1]) == missing
    panel = text(re.search(r'data-form="01/BC-VT">(.*?)</div>\s*</div>', overview, re.S).group(1))
    assert "2/4 đã báo cáo" in panel and "2 quá hạn" in panel

    # 4. the indicator page's "not reported" list
    indicator = client.get(reverse("dashboard:indicator", args=[revenue.code]),
                           {"unit": province.code, "period": MARCH}).content.decode()
    listed = text(re.search(r'id="missing-units">(.*?)</div>', indicator, re.S).group(1))
    assert "2 đơn vị chưa báo cáo" in listed
    assert names(listed.split(":", 1)[1]) == missing

    assert {u.name for u in units_not_reported([monthly_form], MARCH,
                                               OrgUnit.objects.filter(path__startswith=province.path))} == missing
