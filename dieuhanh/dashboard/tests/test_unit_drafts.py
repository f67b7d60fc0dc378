"""The people who enter and approve a report see their unit's draft figures on the unit page, marked "bản nháp" and
apart from the figures, which count reported values only; a leader sees none of them."""

from decimal import Decimal

from django.urls import reverse

from dieuhanh.indicators.services import ValueInput
from dieuhanh.lib.periods import Period, PeriodType
from dieuhanh.reporting.completeness import local_today
from dieuhanh.reporting.services import submission_save_values, submission_submit


def test_a_reporter_sees_the_draft_apart_and_a_leader_does_not(client, monthly_form, province, commune_a, revenue,
                                                                 reporter_a, leader):
    month = Period.containing(PeriodType.MONTH, local_today())
    report = submission_save_values(form=monthly_form, orgunit=commune_a, period=month.id, user=reporter_a,
                                    channel="web", values=[ValueInput(revenue, "actual", Decimal("99.9"))])
    url = reverse("dashboard:unit", args=[commune_a.code])
    client.force_login(reporter_a)
    page = client.get(url).content.decode()
    drafts = page[page.index('id="unit-drafts"'):]
    drafts = drafts[:drafts.index("</table>")]
    assert "Số liệu bản nháp của đơn vị" in drafts and "Doanh thu viễn thông" in drafts
    assert "99,90 tỷ đồng" in drafts and month.label in drafts and "bản nháp" in drafts
    client.force_login(leader)
    assert 'id="unit-drafts"' not in client.get(url).content.decode()
    province_page = client.get(reverse("dashboard:unit", args=[province.code])).content.decode()
    assert "99,9" not in province_page

    submission_submit(submission=report, user=reporter_a)
    province_page = client.get(reverse("dashboard:unit", args=[province.code])).content.decode()
    row = province_page[province_page.index(f'data-indicator="{revenue.code}"'):]
    row = row[:row.index("</tr>")]
    assert "99,90" in row and "1/2 đơn vị chờ duyệt" in row
    client.force_login(reporter_a)
    assert 'id="unit-drafts"' not in client.get(url).content.decode()  # submitted: no longer a draft
