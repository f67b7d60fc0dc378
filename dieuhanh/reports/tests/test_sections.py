# ruff: noqa: F811 — fixtures imported from the assignments and monitoring tests are each test's arguments
"""The sections written from the issuer's work — tasks (against the scorecard), systems and incidents, commendations —
and free text, through `section_content` as the reports app calls it."""

import datetime

import pytest

from dieuhanh.assignments.models import Occurrence
from dieuhanh.assignments.scorecards import scorecard
from dieuhanh.assignments.tests.conftest import (  # noqa: F401 — fixtures
    assigner,
    assigner_user,
    coordinating_unit,
    document,
    finance,
    finish,
    lead_reporter,
    lead_unit,
    make_task,
    office,
)
from dieuhanh.commendations.models import Authority, AwardKind
from dieuhanh.commendations.services import award_record, decision_create, person_create
from dieuhanh.lib.officialdoc import Paragraph, Table
from dieuhanh.lib.vnformat import format_percent
from dieuhanh.monitoring.models import System, SystemMonth
from dieuhanh.monitoring.models_security import SecurityIncident
from dieuhanh.monitoring.services_security import security_incident_advance
from dieuhanh.monitoring.tests.test_security_fixtures import lgsp, make_incident, operator, portal  # noqa: F401
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.orgunits.services import orgunit_create
from dieuhanh.reports.sections import Kind, ReportScope, section_content

D = datetime.date
YEAR_END = D(2026, 12, 31)
pytestmark = pytest.mark.django_db


def scope_of(unit, issuer, period_id="2026"):
    return ReportScope(unit=unit, issuer=issuer, period_id=period_id)


def texts(content):
    return [block.text for block in content.blocks if isinstance(block, Paragraph)]


# --- free text -----------------------------------------------------------------------------------------------------
def test_free_text_is_the_officials_paragraphs(province):
    content = section_content(Kind.FREE_TEXT, scope_of(province, province),
                              text="Tiếp tục đẩy mạnh chuyển đổi số.\r\nTrọng tâm là dữ liệu.\r\n\r\n\r\n  Hai là …  ")
    assert texts(content) == ["Tiếp tục đẩy mạnh chuyển đổi số. Trọng tâm là dữ liệu.", "Hai là …"]
    assert content.figures == {}
    assert section_content(Kind.FREE_TEXT, scope_of(province, province)).blocks == []


def test_an_unknown_kind_is_refused(province):
    with pytest.raises(ValueError):
        section_content("chart", scope_of(province, province))


# --- tasks ---------------------------------------------------------------------------------------------------------
@pytest.fixture
def tasks(make_task, finish, finance):
    """The agency's 2026: on time (key), late, overdue, not yet due on 04/12 (due 31/12); one of Sở Tài chính's."""
    on_time = make_task(deadline=D(2026, 3, 31), is_key=True)
    late = make_task(deadline=D(2026, 2, 28))
    make_task(deadline=D(2026, 4, 30))
    make_task(deadline=D(2026, 12, 31))
    make_task(lead_unit=finance, deadline=D(2026, 3, 31))
    finish(on_time.occurrences.get(), D(2026, 3, 20))
    finish(late.occurrences.get(), D(2026, 3, 5))


def test_the_tasks_sentence_counts_what_the_scorecard_counts(province, agency, tasks):
    content = section_content(Kind.TASKS, scope_of(province, agency), options={"as_of": D(2026, 12, 4)})
    assert texts(content) == [
        "Trong năm 2026, Sở Khoa học và Công nghệ được giao 4 nhiệm vụ; đã hoàn thành 2/3 nhiệm vụ đến hạn, đạt "
        "66,7% (đúng hạn 1, trễ hạn 1); 1 nhiệm vụ quá hạn. 1 nhiệm vụ chưa đến hạn đang thực hiện.",
        "Trong đó, nhiệm vụ trọng tâm: được giao 1 nhiệm vụ; đã hoàn thành 1/1 nhiệm vụ đến hạn, đạt 100,0% (đúng "
        "hạn 1, trễ hạn 0); 0 nhiệm vụ quá hạn.",
    ]
    card = scorecard(Occurrence.objects.filter(task__lead_unit=agency), start=D(2026, 1, 1), end=YEAR_END,
                     as_of=D(2026, 12, 4))
    assert content.figures["tasks.completion_rate"] == format_percent(card.completion_rate)
    assert (content.figures["tasks.completed"], content.figures["tasks.due"], content.figures["tasks.overdue"]) == (
        str(card.completed), str(card.due), str(card.overdue))
    assert content.figures["tasks.key.completion_rate"] == "100,0%"


def test_the_tasks_table_by_lead_unit(province, agency, tasks):
    content = section_content(Kind.TASKS, scope_of(province, agency), options={"as_of": YEAR_END, "table": True})
    [table] = [block for block in content.blocks if isinstance(block, Table)]
    assert table.columns[1] == "Đơn vị chủ trì"
    # On 31/12 the task due that day is still within its deadline: it fell due, it is not overdue.
    assert table.rows == (("1", "Sở Khoa học và Công nghệ", "4", "4", "1", "1", "1", "50,0%"),)
    assert "1 nhiệm vụ đến hạn hôm nay đang thực hiện trong hạn" in texts(content)[0]


def test_a_quarter_and_no_tasks(province, agency, commune_b, tasks):
    content = section_content(Kind.TASKS, scope_of(province, agency, "2026Q1"), options={"as_of": YEAR_END})
    assert texts(content)[0] == (
        "Trong quý I/2026, Sở Khoa học và Công nghệ được giao 4 nhiệm vụ; đã hoàn thành 2/2 nhiệm vụ đến hạn, đạt "
        "100,0% (đúng hạn 1, trễ hạn 1); 0 nhiệm vụ quá hạn.")
    content = section_content(Kind.TASKS, scope_of(province, commune_b))
    assert texts(content) == ["Trong năm 2026, Phường Long An không có nhiệm vụ được giao."]
    assert content.figures == {}


# --- systems -------------------------------------------------------------------------------------------------------
def test_a_year_without_monitoring_data_invents_nothing(province, agency):
    content = section_content(Kind.SYSTEMS, scope_of(province, agency, "2020"))
    assert texts(content) == ["Hệ thống Điều hành chưa có số liệu giám sát hệ thống thông tin và sự cố an toàn "
                              "thông tin mạng của năm 2020."]
    assert content.figures == {}


def test_the_years_incidents_and_the_uptime_of_the_provinces_systems(province, agency, operator, make_incident,
                                                                      lgsp, portal):
    make_incident(serious=True, serious_reason="Cấp độ 4, không tự xử lý được")
    closed = make_incident()
    security_incident_advance(user=operator, incident=closed, status=SecurityIncident.Status.CLOSED, note="Xong")
    # The portal: 1 hour down of 31 days → 1 − 3600/2678400 = 99,866%; the province's LGSP is not the agency's.
    SystemMonth.objects.create(system=portal, month=D(2026, 3, 1), down_seconds=3600, counted_seconds=2678400)
    SystemMonth.objects.create(system=lgsp, month=D(2026, 3, 1), down_seconds=0, counted_seconds=2678400)
    # A sector review speaks for the province: its systems, as the overview counts them.
    assert texts(section_content(Kind.SYSTEMS, scope_of(province, agency)))[0].endswith(
        "Cổng thông tin điện tử Sở đạt 99,87% thời gian; Nền tảng tích hợp, chia sẻ dữ liệu tỉnh đạt 100,00% thời "
        "gian.")
    content = section_content(Kind.SYSTEMS, scope_of(province, agency), options={"systems_of": "issuer"})
    assert texts(content) == [
        "Trong năm 2026 xảy ra 2 sự cố an toàn thông tin mạng, trong đó 1 sự cố nghiêm trọng; đã xử lý 1, đang xử "
        "lý 1. Thời gian hoạt động của các hệ thống thông tin được giám sát: Cổng thông tin điện tử Sở đạt 99,87% "
        "thời gian."]
    assert content.figures == {"security.incidents": "2", "security.serious": "1", "security.closed": "1",
                               "security.open": "1", "uptime.portal": "99,87%"}


def test_no_serious_incident_is_said_as_the_reviews_say_it(province, agency, make_incident, portal):
    make_incident()
    content = section_content(Kind.SYSTEMS, scope_of(province, agency))
    assert texts(content) == ["Trong năm 2026 không có sự cố nghiêm trọng về an toàn thông tin mạng (1 sự cố, đã "
                              "xử lý 0)."]
    SecurityIncident.objects.all().update(detected_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC))
    SystemMonth.objects.create(system=portal, month=D(2026, 1, 1), down_seconds=0, counted_seconds=2678400)
    assert texts(section_content(Kind.SYSTEMS, scope_of(province, agency))) == [
        "Trong năm 2026 không xảy ra sự cố an toàn thông tin mạng. Thời gian hoạt động của các hệ thống thông tin "
        "được giám sát: Cổng thông tin điện tử Sở đạt 100,00% thời gian."]


def test_many_systems_go_to_a_table_and_the_sentence_names_the_lowest(province, agency):
    for n in range(1, 5):
        system = System.objects.create(code=f"he-thong-{n}", name=f"Hệ thống {n}", owner=agency)
        SystemMonth.objects.create(system=system, month=D(2026, 5, 1), down_seconds=600 * n,
                                   counted_seconds=2678400)
    content = section_content(Kind.SYSTEMS, scope_of(province, agency), options={"max_systems": 2})
    [text] = texts(content)
    assert text.endswith("Trong 4 hệ thống thông tin được giám sát, các hệ thống có thời gian hoạt động thấp nhất: "
                         "Hệ thống 4 đạt 99,91% thời gian; Hệ thống 3 đạt 99,93% thời gian.")
    [table] = [block for block in content.blocks if isinstance(block, Table)]
    assert table.rows[0] == ("1", "Hệ thống 1", "99,98%", "10")
    assert len(table.rows) == 4 and content.figures["uptime.he-thong-4"] == "99,91%"


# --- commendations -------------------------------------------------------------------------------------------------
def kind(code):
    return AwardKind.objects.get(code=code)


@pytest.fixture
def commendations_2020(province, agency, commune_b):
    """For 2020: the Chairman's Bằng khen to 2 collectives and 4 people of the agency, and Tập thể lao động xuất sắc
    to one; the Director's Giấy khen to 3 collectives and 2 people. Not the agency's: commune B's, and 2019's."""
    teams = [orgunit_create(code=f"P{n}", name=f"Phòng {n}", kind=OrgUnit.Kind.AGENCY, parent=agency)
             for n in range(1, 4)]
    people = [person_create(full_name=f"Nguyễn Văn {n}", unit=teams[n % 3]) for n in range(1, 7)]
    chairman = decision_create(number="05/QĐ-UBND", date=D(2021, 1, 15), authority=Authority.objects.get(
        code="CT_TINH"), issuer=province, signer_name="Phạm Văn Chủ")
    director = decision_create(number="01/QĐ-SKHCN", date=D(2021, 1, 10), authority=Authority.objects.get(
        code="GD_SO"), issuer=agency, signer_name="Lê Văn Giám")
    merit = "merit"
    for team in teams[:2]:
        award_record(decision=chairman, kind=kind("BK_TINH_TT"), unit=team, year=2020, achievement=merit)
    for person in people[:4]:
        award_record(decision=chairman, kind=kind("BK_TINH_CN"), person=person, year=2020, achievement=merit)
    award_record(decision=chairman, kind=kind("TTLDXS"), unit=teams[0], year=2020, achievement="title")
    for team in teams:  # an ad hoc achievement: the teams' merit of 2020 already earned the Bằng khen
        award_record(decision=director, kind=kind("GK_TT"), unit=team, year=2020, achievement="ad_hoc",
                     achievement_note="Tổ chức hội nghị tổng kết")
    for person in people[4:]:
        award_record(decision=director, kind=kind("GK_CN"), person=person, year=2020, achievement=merit)
    award_record(decision=director, kind=kind("GK_CN"), person=person_create(full_name="Trần B", unit=commune_b),
                 year=2020, achievement=merit)
    award_record(decision=director, kind=kind("GK_TT"), unit=teams[2], year=2019, achievement=merit)


def test_the_commendations_sentence_by_grantor_and_form(province, agency, commendations_2020):
    content = section_content(Kind.COMMENDATIONS, scope_of(province, agency, "2020"))
    assert texts(content) == [
        "Chủ tịch UBND tỉnh tặng Bằng khen cho 2 tập thể và 4 cá nhân, danh hiệu Tập thể lao động xuất sắc cho 1 "
        "tập thể; Giám đốc Sở tặng Giấy khen cho 3 tập thể và 3 cá nhân."]  # its own decision's, commune B's too
    assert content.figures == {
        "commendations.CT_TINH.Bằng khen của Chủ tịch UBND tỉnh.collectives": "2",
        "commendations.CT_TINH.Bằng khen của Chủ tịch UBND tỉnh.individuals": "4",
        "commendations.CT_TINH.Tập thể lao động xuất sắc.collectives": "1",
        "commendations.GD_SO.Giấy khen.collectives": "3",
        "commendations.GD_SO.Giấy khen.individuals": "3",
    }
    # The whole province's recipients: the same people, none counted twice.
    wider = section_content(Kind.COMMENDATIONS, scope_of(province, agency, "2020"), options={"recipients": "unit"})
    assert texts(wider)[0].endswith("Giám đốc Sở tặng Giấy khen cho 3 tập thể và 3 cá nhân.")


def test_a_year_without_commendations_says_so(province, agency):
    content = section_content(Kind.COMMENDATIONS, scope_of(province, agency, "2026"))
    assert texts(content) == ["Sổ khen thưởng chưa ghi nhận khen thưởng nào cho thành tích năm 2026."]
    assert content.figures == {}


def test_a_period_before_the_task_register_invents_no_zero(province, agency, tasks):
    content = section_content(Kind.TASKS, scope_of(province, agency, "2020"))
    assert texts(content) == ["Hệ thống Điều hành chưa có số liệu nhiệm vụ được giao trong năm 2020."]
    assert content.figures == {}


def test_options_from_a_templates_json(province, agency, tasks):
    content = section_content(Kind.TASKS, scope_of(province, agency), options={"as_of": "2026-12-04"})
    assert content.figures["tasks.overdue"] == "1"
