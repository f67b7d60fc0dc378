"""Nominations: evidence from the records, the council's vote (thresholds as data, the chair's decision where none),
evidence frozen at the vote, the decision granting awards, one achievement one form, and the annex exports."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from openpyxl import load_workbook

from dieuhanh.commendations.evidence import evidence_of
from dieuhanh.commendations.exports import annex_xlsx, decision_docx
from dieuhanh.commendations.models import Award, Decision, Nomination, ShareCap
from dieuhanh.commendations.services import award_record, decision_create, person_create, registration_create
from dieuhanh.commendations.services_nominations import (
    decision_grant,
    nomination_create,
    nomination_vote,
    round_create,
)
from dieuhanh.reporting.completeness import on_time_in_year

pytestmark = pytest.mark.django_db
D = datetime.date
TITLE, MERIT = Award.Achievement.TITLE, Award.Achievement.MERIT


@pytest.fixture
def round_(province, authority):
    return round_create(name="Xét khen thưởng năm 2026", year=2026, authority=authority("CT_TINH"),
                        organiser=province)


@pytest.fixture
def staff(dept):
    return [person_create(full_name=f"Người {i}", unit=dept) for i in range(10)]


def _titles(dept, authority, kind, staff, year, ldtt, cstd):
    decision = decision_create(number=f"{year - 2000:02d}/QĐ-SKHCN", date=D(year, 12, 1),
                               authority=authority("GD_SO"), issuer=dept, signer_name="Lê Văn Giám")
    for person in staff[:ldtt]:
        award_record(decision=decision, kind=kind("LDTT"), person=person, year=year, achievement=TITLE)
    for person in staff[:cstd]:
        award_record(decision=decision, kind=kind("CSTD_CS"), person=person, year=year, achievement=TITLE)


def _item(nomination, code):
    return next(item for item in evidence_of(nomination, today=D(2026, 12, 10)) if item.code == code)


def test_it_shows_the_collective_s_member_shares_and_registration(round_, dept, kind, authority, staff):
    _titles(dept, authority, kind, staff, 2026, ldtt=8, cstd=1)
    registration_create(year=2026, unit=dept, titles=[kind("TTLDXS")], registered_on=D(2026, 2, 1))
    n = nomination_create(round=round_, proposer=dept, kind=kind("TTLDXS"), unit=dept, achievement=TITLE)
    share = _item(n, "member_share")
    assert (share.status, share.figure, share.requirement) == ("met", "8/10 (80,0%)", "ít nhất 70%")
    assert _item(n, "member_count").status == "met"
    assert _item(n, "registration").status == "met"
    assert _item(n, "tasks_completed").status == "unknown"  # no task fell due: not checkable, not 0%
    assert _item(n, "reports_on_time").figure == "không có báo cáo đến hạn"


def test_it_marks_the_unconfirmed_50_percent_of_article_28(province, dept, kind, authority, staff):
    round_ = round_create(name="Sở xét 2026", year=2026, authority=authority("GD_SO"), organiser=dept)
    _titles(dept, authority, kind, staff, 2026, ldtt=4, cstd=0)
    n = nomination_create(round=round_, proposer=dept, kind=kind("TTLDTT"), unit=dept, achievement=TITLE)
    share = _item(n, "member_share")
    assert share.status == "not_met" and share.figure == "4/10 (40,0%)"
    assert share.note.startswith("Quy định chờ xác nhận")
    assert _item(n, "registration").status == "not_met"


def test_consecutive_years_from_the_register(round_, dept, kind, authority, staff):
    for year in (2024, 2025, 2026):
        _titles(dept, authority, kind, staff, year, ldtt=2, cstd=1 if year != 2024 else 0)
    n = nomination_create(round=round_, proposer=dept, kind=kind("CSTD_TINH"), person=staff[0], achievement=TITLE)
    item = _item(n, "consecutive")
    assert (item.status, item.figure) == ("not_met", "2 năm liên tục (2025–2026)")


def test_the_share_cap_is_off_until_turned_on(province, dept, kind, authority, staff):
    round_ = round_create(name="Sở xét 2026", year=2026, authority=authority("GD_SO"), organiser=dept)
    _titles(dept, authority, kind, staff[1:], 2026, ldtt=9, cstd=0)
    n = nomination_create(round=round_, proposer=dept, kind=kind("CSTD_CS"), person=staff[0], achievement=TITLE)
    assert _item(n, "share_cap").status == "figure"
    ShareCap.objects.update(enabled=True)
    cap = _item(n, "share_cap")
    assert cap.status == "met" and cap.requirement == "tối đa 15% số Lao động tiên tiến"  # 1 of 9 = 11.1%
    nomination_create(round=round_, proposer=dept, kind=kind("CSTD_CS"), person=staff[1], achievement=TITLE)
    assert _item(n, "share_cap").status == "not_met"  # 2 of 9 = 22.2%


def test_vote_freezes_the_evidence_and_applies_the_threshold(round_, dept, kind, authority, staff):
    n = nomination_create(round=round_, proposer=dept, kind=kind("CSTD_TINH"), person=staff[0], achievement=TITLE)
    voted = nomination_vote(nomination=n, members_total=15, members_present=12, votes_for=13,
                            voted_on=D(2026, 12, 3))
    assert voted.state == Nomination.State.REJECTED and voted.threshold_percent == 90  # 13/15 = 86.7% < 90%
    frozen = voted.evidence
    _titles(dept, authority, kind, staff, 2026, ldtt=3, cstd=1)  # the register changes after the vote
    voted.refresh_from_db()
    assert voted.evidence == frozen
    assert _item(voted, "consecutive").figure == "không đạt năm 2026"


def test_without_a_threshold_the_chair_decides(round_, dept, kind):
    n = nomination_create(round=round_, proposer=dept, kind=kind("TTLDXS"), unit=dept, achievement=TITLE)
    with pytest.raises(ValidationError) as raised:
        nomination_vote(nomination=n, members_total=9, members_present=9, votes_for=5, voted_on=D(2026, 12, 3))
    assert raised.value.message_dict["chair_approves"] == [
        "Tập thể lao động xuất sắc không quy định ngưỡng: ghi quyết định của Chủ tịch Hội đồng."]
    n.refresh_from_db()
    assert n.state == Nomination.State.PROPOSED and n.evidence is None
    voted = nomination_vote(nomination=n, members_total=9, members_present=9, votes_for=5, chair_approves=True,
                            voted_on=D(2026, 12, 3))
    assert voted.state == Nomination.State.PASSED and voted.threshold_percent is None


def test_a_unit_proposes_only_its_own(round_, dept, commune_a, kind):
    other = person_create(full_name="Người xã", unit=commune_a)
    with pytest.raises(ValidationError) as raised:
        nomination_create(round=round_, proposer=dept, kind=kind("BK_TINH_CN"), person=other, achievement=MERIT)
    assert "không thuộc Sở Khoa học và Công nghệ" in raised.value.message_dict["person"][0]


def test_one_achievement_one_form_at_nomination_and_decision(round_, dept, kind, an, director_decision):
    award_record(decision=director_decision, kind=kind("GK_CN"), person=an, year=2025, achievement=MERIT)
    with pytest.raises(ValidationError) as raised:
        nomination_create(round=round_, proposer=dept, kind=kind("BK_TINH_CN"), person=an, achievement=MERIT,
                          year=2025)
    assert raised.value.message_dict["kind"][0].startswith("Một thành tích chỉ được khen một hình thức")
    nomination_create(round=round_, proposer=dept, kind=kind("BK_TINH_CN"), person=an, achievement=MERIT)
    with pytest.raises(ValidationError) as raised:
        nomination_create(round=round_, proposer=dept, kind=kind("BK_TINH_CN"), person=an, achievement=MERIT)
    assert "đã được đề nghị" in raised.value.message_dict["kind"][0]


def test_the_decision_grants_the_passed_and_refuses_as_a_whole(round_, dept, kind, an, binh, director_decision):
    a = nomination_create(round=round_, proposer=dept, kind=kind("BK_TINH_CN"), person=an, achievement=MERIT,
                          year=2025)
    b = nomination_create(round=round_, proposer=dept, kind=kind("BK_TINH_CN"), person=binh, achievement=MERIT,
                          year=2025)
    for n in (a, b):
        nomination_vote(nomination=n, members_total=9, members_present=9, votes_for=9, chair_approves=True,
                        voted_on=D(2026, 12, 3))
    # Recorded meanwhile elsewhere: Bình's achievement already has a form, so the decision records nothing.
    award_record(decision=director_decision, kind=kind("GK_CN"), person=binh, year=2025, achievement=MERIT)
    with pytest.raises(ValidationError) as raised:
        decision_grant(round=round_, number="125/QĐ-UBND", date=D(2026, 12, 15), signer_name="Phạm Văn Chủ",
                       nominations=[a, b])
    assert raised.value.message_dict["nominations"][0].startswith("Một thành tích chỉ được khen một hình thức")
    assert not Decision.objects.filter(number="125/QĐ-UBND").exists()
    decision = decision_grant(round=round_, number="125/QĐ-UBND", date=D(2026, 12, 15), signer_name="Phạm Văn Chủ",
                              signer_position="Chủ tịch", nominations=[a])
    a.refresh_from_db()
    assert a.state == Nomination.State.GRANTED and a.award.amount == 3_510_000  # 1.5 × 2,340,000
    text = "\n".join(p.text for p in Document(io.BytesIO(decision_docx(decision))).paragraphs)
    assert "Kèm theo Quyết định số 125/QĐ-UBND ngày 15/12/2026" in text and "QUYẾT ĐỊNH" in text
    sheet = load_workbook(io.BytesIO(annex_xlsx(decision))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["1", "Nguyễn Văn An", "Chuyên viên, Sở Khoa học và Công nghệ",
            "Bằng khen của Chủ tịch UBND tỉnh (cá nhân)", 3510000] in values


def test_user_text_stays_text_in_the_annex(round_, dept, kind, authority):
    person = person_create(full_name="=HYPERLINK(\"http://x\",\"y\")", unit=dept, position="@SUM(1)")
    n = nomination_create(round=round_, proposer=dept, kind=kind("BK_TINH_CN"), person=person, achievement=MERIT)
    nomination_vote(nomination=n, members_total=3, members_present=3, votes_for=3, chair_approves=True,
                    voted_on=D(2026, 12, 3))
    decision = decision_grant(round=round_, number="126/QĐ-UBND", date=D(2026, 12, 15), signer_name="A B",
                              nominations=[n])
    sheet = load_workbook(io.BytesIO(annex_xlsx(decision))).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)


def test_on_time_in_year_counts_only_reports_due(monthly_form, commune_a):
    on_time, owed = on_time_in_year(commune_a, 2026, today=D(2026, 3, 1))
    assert on_time == 0 and owed >= 1  # January's report fell due and was not sent
    assert on_time_in_year(commune_a, 2030, today=D(2026, 3, 1)) == (0, 0)
