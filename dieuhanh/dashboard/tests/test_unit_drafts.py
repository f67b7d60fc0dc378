"""The people who enter and approve a report see their unit's draft figures on the unit page, marked "bản nháp" and
apart from the figures, which count reported values only; a leader sees none of them."""

from decimal import Decimal

from django.urls import reverse

from dieuhanh.indicators.services import ValueInput
from dieuhanh.reporting.services import submission_save_values, submission_submit


def test_a_reporter_sees_the_draft_apart_and_a_leader_does_not(client, monthly_form, commune_a, revenue, reporter_a,
                                                                 leader):
    report = submission_save_values(form=monthly_form, orgunit=commune_a, period="202603", user=reporter_a,
                                    channel="web", values=[ValueInput(revenue, "actual", Decimal("99.9"))])
    url = reverse("dashboard:unit", args=[commune_a.code])
    client.force_login(reporter_a)
    page = client.get(url).content.decode()
    drafts = page[page.index('id="unit-drafts"'):]
    drafts = drafts[:drafts.index("</table>")]
    assert "Số liệu bản nháp của đơn vị" in drafts and "Doanh thu viễn thông" in drafts
    assert "99,90 tỷ đồng" in drafts and "Tháng 3/2026" in drafts and "bản nháp" in drafts
    client.force_login(leader)
    assert 'id="unit-drafts"' not in client.get(url).content.decode()

    submission_submit(submission=report, user=reporter_a)
    client.force_login(reporter_a)
    assert 'id="unit-drafts"' not in client.get(url).content.decode()  # submitted: no longer a draft
