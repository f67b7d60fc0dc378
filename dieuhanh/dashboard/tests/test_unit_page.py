"""The unit page: a commune's indicators (the analytics figures), its reporting state for the current period and its
overdue tasks; a unit outside the user's scope answers 404."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from dieuhanh.accounts.models import Role
from dieuhanh.analytics import queries
from dieuhanh.assignments.models import Assigner
from dieuhanh.assignments.services import document_create, task_create
from dieuhanh.conftest import make_user
from dieuhanh.indicators.models import Channel, ValueState
from dieuhanh.indicators.services import ValueInput
from dieuhanh.lib.periods import Period, PeriodType
from dieuhanh.lib.vnformat import format_number
from dieuhanh.reporting.completeness import REPORTED, completeness, local_today, period_to_report
from dieuhanh.reporting.services import submission_save_values, submission_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(monthly_form, commune_a, reporter_a, revenue, subscribers):
    """Commune A has sent this period's report; commune B has not."""
    period = period_to_report(monthly_form, local_today())
    submission = submission_save_values(
        form=monthly_form, orgunit=commune_a, period=period.id, user=reporter_a, channel=Channel.WEB,
        values=[ValueInput(revenue, "actual", Decimal("1762.38")), ValueInput(subscribers, "actual", Decimal("9"))],
    )
    submission_submit(submission=submission, user=reporter_a)
    return period


@pytest.fixture
def overdue_task(province, commune_a):
    office = make_user("office", Role.OFFICE, province)
    assigner = Assigner.objects.create(name="Nguyễn Văn Mạnh", position="Chủ tịch UBND tỉnh", orgunit=province)
    today = local_today()
    document = document_create(user=office, number="12/KH-UBND", issued_on=today - datetime.timedelta(days=40),
                               issuer=province, signer="Nguyễn Văn Mạnh", summary="Kế hoạch")
    return task_create(user=office, title="Rà soát hạ tầng cáp quang của xã", assigner=assigner,
                       assigned_on=today - datetime.timedelta(days=30), lead_unit=commune_a, deadline_kind="date",
                       deadline=today - datetime.timedelta(days=2), document=document)


def test_a_commune_page_shows_its_figures_reporting_and_tasks(client, leader, reported, overdue_task, commune_a,
                                                              revenue, monthly_form):
    client.force_login(leader)
    page = client.get(reverse("dashboard:unit", args=[commune_a.code])).content.decode()
    # The revenue row carries the analytics figure of the commune (year to date, to the reported month).
    comparison = queries.comparison(revenue, commune_a, reported.id, ytd=True)
    row_start = page.index('data-indicator="DT_VT"')
    row = page[row_start:page.index("</tr>", row_start)]
    assert comparison.value.value == Decimal("1762.38")
    assert format_number(comparison.value.value, 2) in row
    assert reverse("dashboard:indicator", args=["DT_VT"]) in row
    # Its own report: submitted, with a link to the entry page.
    reporting = page[page.index('id="unit-reporting"'):page.index('id="unit-tasks"')]
    state = next(r.state for r in completeness(monthly_form, reported).rows if r.unit == commune_a)
    assert state in REPORTED
    assert f'badge text-bg-{state.colour}">{state.label}<' in reporting
    assert reverse("reporting:entry", args=[monthly_form.pk, commune_a.code, reported.id]) in reporting
    # Its overdue task, and the link to its task list.
    tasks = page[page.index('id="unit-tasks"'):]
    assert "Rà soát hạ tầng cáp quang của xã" in tasks
    assert f"{reverse('assignments:task_list')}?unit={commune_a.pk}" in tasks


def test_the_province_page_lists_the_units_below(client, leader, reported, province, commune_a, commune_b):
    client.force_login(leader)
    page = client.get(reverse("dashboard:unit", args=[province.code])).content.decode()
    assert reverse("dashboard:unit", args=[commune_a.code]) in page
    assert reverse("dashboard:unit", args=[commune_b.code]) in page
    assert "1/2 đã báo cáo" in page


def test_scoping(client, reporter_a, reporter_b, outsider, reported, commune_a, province):
    client.force_login(reporter_a)
    assert client.get(reverse("dashboard:unit", args=[commune_a.code])).status_code == 200
    assert client.get(reverse("dashboard:unit", args=[province.code])).status_code == 404
    client.force_login(reporter_b)
    assert client.get(reverse("dashboard:unit", args=[commune_a.code])).status_code == 404
    client.force_login(outsider)
    assert client.get(reverse("dashboard:unit", args=[commune_a.code])).status_code == 404
    assert client.get(reverse("dashboard:unit", args=["NOPE"])).status_code == 404


def test_a_unit_without_figures_says_so(client, leader, agency):
    client.force_login(leader)
    page = client.get(reverse("dashboard:unit", args=[agency.code])).content.decode()
    assert "Đơn vị này chưa có số liệu." in page
    assert "Không có nhiệm vụ quá hạn." in page
    year = Period.containing(PeriodType.YEAR, local_today())
    assert f"period={year.id}" in page


# --- hundreds of indicators: grouped by sector, folded beyond the first, loaded on demand --------------------------
@pytest.fixture
def catalogue(monthly_form, ict_sector):
    """Besides the form's three ICT indicators (sector order 1): 22 health indicators (order 2) and 3 education ones
    (order 3), on a second form of both communes."""
    from dieuhanh.indicators.models import Indicator, Sector
    from dieuhanh.reporting.models import FormRow, FormSection, ReportForm

    form = ReportForm.objects.create(code="02/BC-XH", name="Báo cáo xã hội", period_type="month", deadline_day=15,
                                     receiver=monthly_form.receiver)
    form.units.set(monthly_form.units.all())
    section = FormSection.objects.create(form=form, order=1, title="Xã hội")
    health = Sector.objects.create(code="YT", name="Y tế", order=2)
    education = Sector.objects.create(code="GD", name="Giáo dục", order=3)
    made = {}
    for n in range(1, 23):
        made[f"YT_{n:02d}"] = (health, f"Số ca khám chữa bệnh tuyến xã đợt {n}")
    for n in range(1, 4):
        made[f"GD_{n:02d}"] = (education, f"Học sinh đến trường nhóm {n}")
    for order, (code, (sector, name)) in enumerate(made.items(), start=1):
        indicator = Indicator.objects.create(code=code, name=name, unit="ca", sector=sector, decimals=0)
        FormRow.objects.create(section=section, order=order, indicator=indicator, kinds="actual")
    return {"VT": ict_sector, "YT": health, "GD": education}


def sections_of(page: str) -> list[tuple[str, int]]:
    """(sector code, rows shown) of every section, in page order."""
    out = []
    for chunk in page.split('<section class="unit-sector"')[1:]:
        code = chunk.split('data-sector="', 1)[1].split('"', 1)[0]
        out.append((code, chunk.split("</section>", 1)[0].count("<tr data-indicator=")))
    return out


def rows_url(unit, **params):
    from urllib.parse import urlencode

    return reverse("dashboard:unit_indicators", args=[unit.code]) + "?" + urlencode(params)


def test_the_province_page_groups_indicators_by_sector_and_folds_the_rest(client, leader, province, catalogue):
    client.force_login(leader)
    page = client.get(reverse("dashboard:unit", args=[province.code])).content.decode()
    # Sectors in their order, each a section with its count; the first computed, the 22 health ones do not fit the
    # page's first rows (nor, after them, education): folded, with the button that loads them.
    assert sections_of(page) == [("VT", 3), ("YT", 0), ("GD", 0)]
    assert 'Chỉ tiêu <span class="text-secondary fw-normal small">(28)</span>' in page
    assert "22 chỉ tiêu" in page and "3 chỉ tiêu" in page
    nav = page[page.index('class="sector-nav'):]
    nav = nav[:nav.index("</nav>")]
    assert [c.split('"')[0] for c in nav.split('data-sector="')[1:]] == ["VT", "YT", "GD"]
    assert rows_url(province, sector="YT", start=0).replace("&", "&amp;") in page
    assert "Xem 22 chỉ tiêu của lĩnh vực" in page
    # The reporting and tasks sections are still there.
    assert 'id="unit-reporting"' in page and 'id="unit-tasks"' in page


def test_a_sector_fragment_returns_its_rows_a_page_at_a_time_with_the_figures(client, leader, admin_user, province,
                                                                             commune_a, commune_b, catalogue):
    from dieuhanh.indicators.models import Indicator
    from dieuhanh.indicators.services import datavalues_save

    cases = Indicator.objects.get(code="YT_21")
    month = Period.containing(PeriodType.MONTH, local_today())
    for unit, value in ((commune_a, "1200"), (commune_b, "345")):
        datavalues_save(state=ValueState.APPROVED, orgunit=unit, period=month.id, user=admin_user, channel=Channel.WEB,
                        values=[ValueInput(cases, "actual", Decimal(value))])
    client.force_login(leader)
    first = client.get(rows_url(province, sector="YT", start=0)).content.decode()
    assert first.count("<tr data-indicator=") == 20
    assert 'data-indicator="YT_01"' in first and 'data-indicator="YT_21"' not in first
    assert rows_url(province, sector="YT", start=20).replace("&", "&amp;") in first
    assert "Xem thêm 2 chỉ tiêu" in first
    rest = client.get(rows_url(province, sector="YT", start=20)).content.decode()
    assert rest.count("<tr data-indicator=") == 2 and "sector-more" not in rest
    beyond = client.get(rows_url(province, sector="YT", start=100)).content.decode()  # a hand-edited address
    assert "<tr data-indicator=" not in beyond and "sector-more" not in beyond and "-78" not in beyond
    row = rest[rest.index('data-indicator="YT_21"'):]
    row = row[:row.index("</tr>")]
    figure = queries.comparison(cases, province, month.id, ytd=True).value.value
    assert figure == Decimal("1545")
    assert f'<span class="kpi-number">{format_number(figure, 0)}</span>' in row  # 1.545
    # Without JavaScript the section's button opens the page with that sector in full.
    page = client.get(reverse("dashboard:unit", args=[province.code]) + "?sector=YT").content.decode()
    assert dict(sections_of(page))["YT"] == 22


def test_the_search_finds_indicators_without_diacritics_by_name_or_code(client, leader, province, catalogue):
    client.force_login(leader)
    found = client.get(rows_url(province, q="so ca kham dot 2"), HTTP_HX_REQUEST="true")
    html = found.content.decode()
    # "2" starts a word: đợt 2, đợt 20, 21, 22 — every match computed at once, folded sections gone.
    assert sections_of(html) == [("YT", 4)]
    assert found["HX-Replace-Url"] == reverse("dashboard:unit", args=[province.code]) + "?q=so+ca+kham+dot+2"
    assert sections_of(client.get(rows_url(province, q="dt_vt")).content.decode()) == [("VT", 1)]
    assert sections_of(client.get(rows_url(province, q="doanh thu")).content.decode()) == [("VT", 2)]
    nothing = client.get(rows_url(province, q="xyz khong co")).content.decode()
    assert sections_of(nothing) == [] and "xyz khong co" in nothing
    # The page itself reads the search too (a reload, a shared link), and the fragments keep it.
    page = client.get(reverse("dashboard:unit", args=[province.code]) + "?q=hoc+sinh").content.decode()
    assert sections_of(page) == [("GD", 3)]
    assert 'value="hoc sinh"' in page


def test_the_fragments_are_scoped_like_the_page(client, reporter_a, reporter_b, outsider, leader, province,
                                                commune_a, catalogue):
    client.force_login(reporter_a)
    assert client.get(rows_url(commune_a, sector="YT", start=0)).status_code == 200
    assert client.get(rows_url(province, sector="YT", start=0)).status_code == 404
    assert client.get(rows_url(province, q="y te")).status_code == 404
    for user in (reporter_b, outsider):
        client.force_login(user)
        assert client.get(rows_url(commune_a, sector="YT", start=0)).status_code == 404
        assert client.get(rows_url(commune_a)).status_code == 404
    client.force_login(leader)
    assert client.get(rows_url(province, sector="NOPE")).status_code == 404
    assert client.get(rows_url(province, sector="YT", start="x")).status_code == 200
