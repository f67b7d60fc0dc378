"""The award register: one form per achievement, each title once a year, who may grant what, decisions numbered
by Decree 30, consecutive years of a title, and the register scoped to a user's units."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dieuhanh.accounts.models import Role
from dieuhanh.commendations.models import Award, Decision
from dieuhanh.commendations.selectors import (
    awards_in_scope,
    consecutive_years,
    members_of,
    register_of,
    title_share,
)
from dieuhanh.commendations.services import award_record, decision_create, movement_create, person_create
from dieuhanh.conftest import make_user
from dieuhanh.orgunits.services import orgunit_create

pytestmark = pytest.mark.django_db
D = datetime.date
TITLE, MERIT = Award.Achievement.TITLE, Award.Achievement.MERIT


def test_one_achievement_earns_one_form_only(an, kind, director_decision, chairman_decision):
    award_record(decision=director_decision, kind=kind("GK_CN"), person=an, year=2025, achievement=MERIT)
    with pytest.raises(ValidationError) as raised:
        award_record(decision=chairman_decision, kind=kind("BK_TINH_CN"), person=an, year=2025, achievement=MERIT)
    assert raised.value.message_dict["kind"] == [
        "Một thành tích chỉ được khen một hình thức: Nguyễn Văn An đã được tặng Giấy khen (cá nhân) cho thành tích "
        "này năm 2025 (Quyết định số 01/QĐ-SKHCN ngày 15/12/2025)."]
    assert Award.objects.count() == 1


def test_other_achievements_of_the_year_earn_their_own_form(an, kind, director_decision, chairman_decision, dept):
    award_record(decision=director_decision, kind=kind("GK_CN"), person=an, year=2025, achievement=MERIT)
    rescue = award_record(decision=director_decision, kind=kind("GK_CN"), person=an, year=2025,
                          achievement=Award.Achievement.AD_HOC, achievement_note="Cứu người trong lũ tháng 10")
    movement = movement_create(name="Chuyển đổi số 2025", organiser=dept, start_date=D(2025, 3, 1),
                               kind="campaign")
    campaign = award_record(decision=chairman_decision, kind=kind("BK_TINH_CN"), person=an, year=2025,
                            achievement=Award.Achievement.CAMPAIGN, movement=movement)
    next_year = award_record(decision=decision_create(
        number="03/QĐ-SKHCN", date=D(2026, 12, 10), authority=director_decision.authority, issuer=dept,
        signer_name="Lê Văn Giám"), kind=kind("GK_CN"), person=an, year=2026, achievement=MERIT)
    assert Award.objects.filter(person=an).count() == 4
    assert {rescue.amount, campaign.amount, next_year.amount} == {710_000, 3_510_000}


def test_the_database_keeps_one_form_per_achievement(an, kind, director_decision):
    award_record(decision=director_decision, kind=kind("GK_CN"), person=an, year=2025, achievement=MERIT)
    # Written around the service (a bulk import, a second process): the database refuses the twin.
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.create(decision=director_decision, kind=kind("GK_CN"), person=an, year=2025,
                             achievement=MERIT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.create(decision=director_decision, kind=kind("GK_CN"), year=2025, achievement=MERIT)


def test_a_title_is_given_once_a_year(an, kind, director_decision, dept):
    award_record(decision=director_decision, kind=kind("LDTT"), person=an, year=2025, achievement=TITLE)
    award_record(decision=director_decision, kind=kind("CSTD_CS"), person=an, year=2025, achievement=TITLE)
    award_record(decision=director_decision, kind=kind("TTLDTT"), unit=dept, year=2025, achievement=TITLE)
    with pytest.raises(ValidationError) as raised:
        award_record(decision=director_decision, kind=kind("LDTT"), person=an, year=2025, achievement=TITLE)
    assert "Nguyễn Văn An đã có danh hiệu Lao động tiên tiến năm 2025" in raised.value.messages[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.create(decision=director_decision, kind=kind("TTLDTT"), unit=dept, year=2025,
                             achievement=TITLE)
    assert Award.objects.count() == 3


@pytest.mark.parametrize(("code", "recipient", "achievement", "field", "message"), [
    ("TTLDXS", "person", TITLE, "kind", "Tập thể lao động xuất sắc dành cho tập thể, không tặng cho cá nhân."),
    ("LDTT", "unit", TITLE, "kind", "Lao động tiên tiến dành cho cá nhân, không tặng cho tập thể."),
    ("BK_TINH_CN", "person", MERIT, "kind",
     "Giám đốc Sở (thủ trưởng cơ quan chuyên môn thuộc UBND tỉnh) không có thẩm quyền tặng Bằng khen của Chủ "
     "tịch UBND tỉnh (cá nhân)."),
    ("LDTT", "person", MERIT, "achievement", "Danh hiệu thi đua ghi nhận kết quả thi đua của năm"),
    ("GK_CN", "person", TITLE, "achievement", "Danh hiệu thi đua ghi nhận kết quả thi đua của năm"),
    ("GK_CN", "person", Award.Achievement.CAMPAIGN, "movement", "Chọn phong trào thi đua của thành tích."),
    ("GK_CN", "person", Award.Achievement.AD_HOC, "achievement_note", "Ghi rõ thành tích đột xuất được khen."),
])
def test_it_refuses_an_award_that_breaks_a_rule(an, dept, kind, director_decision, code, recipient, achievement,
                                                 field, message):
    who = {"person": an} if recipient == "person" else {"unit": dept}
    with pytest.raises(ValidationError) as raised:
        award_record(decision=director_decision, kind=kind(code), year=2025, achievement=achievement, **who)
    assert message in raised.value.message_dict[field][0]
    assert not Award.objects.exists()


def test_it_refuses_a_year_after_the_decision_and_an_ended_kind(an, kind, director_decision):
    with pytest.raises(ValidationError) as raised:
        award_record(decision=director_decision, kind=kind("LDTT"), person=an, year=2026, achievement=TITLE)
    assert raised.value.message_dict["year"] == ["Năm đạt thành tích 2026 sau ngày ký quyết định 15/12/2025."]
    ldtt = kind("LDTT")
    ldtt.valid_to = D(2025, 12, 1)
    ldtt.save()
    with pytest.raises(ValidationError) as raised:
        award_record(decision=director_decision, kind=ldtt, person=an, year=2025, achievement=TITLE)
    assert "ngày ký quyết định 15/12/2025" in raised.value.message_dict["kind"][0]
    with pytest.raises(ValidationError) as raised:
        award_record(decision=director_decision, kind=ldtt, year=2025, achievement=TITLE)
    assert raised.value.message_dict["person"] == ["Chọn một cá nhân hoặc một tập thể."]
    assert not Award.objects.exists()


def test_decisions_are_numbered_by_decree_30(dept, authority, director_decision):
    assert director_decision.number == "01/QĐ-SKHCN"
    common = {"authority": authority("GD_SO"), "issuer": dept, "signer_name": "Lê Văn Giám"}
    with pytest.raises(ValidationError) as raised:
        decision_create(number="Số: 01/QĐ-SKHCN", date=D(2025, 12, 31), **common)
    assert raised.value.message_dict["number"] == ["Quyết định số 01/QĐ-SKHCN năm 2025 đã có trong sổ."]
    with pytest.raises(ValidationError) as raised:
        decision_create(number="07/KH-SKHCN", date=D(2025, 12, 31), **common)
    assert "…/QĐ-…" in raised.value.message_dict["number"][0]
    with pytest.raises(ValidationError) as raised:
        decision_create(number="7/QĐ-SKHCN", date=D(2025, 12, 31), **common)
    assert raised.value.message_dict["number"] == [
        "'7/QĐ-SKHCN': số thứ tự nhỏ hơn 10 phải ghi thêm số 0 ở trước (07)."]
    assert decision_create(number="01/QĐ-SKHCN", date=D(2026, 1, 2), **common).number == "01/QĐ-SKHCN"
    assert Decision.objects.count() == 2


def _decision(dept, authority, year):
    return decision_create(number=f"{year % 100:02d}/QĐ-SKHCN", date=D(year, 12, 20), authority=authority("GD_SO"),
                           issuer=dept, signer_name="Lê Văn Giám")


def test_it_counts_consecutive_years_of_a_title(an, binh, dept, kind, authority):
    decisions = {year: _decision(dept, authority, year) for year in range(2019, 2026)}
    for year in (2019, 2021, 2022, 2023, 2025):
        award_record(decision=decisions[year], kind=kind("CSTD_CS"), person=an, year=year, achievement=TITLE)
    award_record(decision=decisions[2024], kind=kind("LDTT"), person=an, year=2024, achievement=TITLE)
    for year in (2023, 2024):
        award_record(decision=decisions[year], kind=kind("TTLDTT"), unit=dept, year=year, achievement=TITLE)
    assert consecutive_years(kinds=["CSTD_CS"], person=an, up_to=2023) == 3
    assert consecutive_years(kinds=["CSTD_CS"], person=an, up_to=2025) == 1  # 2024 was Lao động tiên tiến only
    assert consecutive_years(kinds=[kind("CSTD_CS"), kind("LDTT")], person=an, up_to=2025) == 5
    assert consecutive_years(kinds=["CSTD_CS"], person=an, up_to=2024) == 0
    assert consecutive_years(kinds=["CSTD_CS"], person=binh, up_to=2025) == 0
    assert consecutive_years(kinds=["TTLDTT"], unit=dept, up_to=2024) == 2
    assert [a.year for a in register_of(person=an)] == [2025, 2024, 2023, 2022, 2021, 2019]


def test_the_register_is_scoped_to_the_users_units(an, dept, commune_a, kind, director_decision, authority,
                                                   admin_user, outsider):
    villager = person_create(full_name="Võ Thị Cúc", unit=commune_a)
    commune_decision = decision_create(number="04/QĐ-UBND", date=D(2025, 12, 18), authority=authority("CT_XA"),
                                       issuer=commune_a, signer_name="Đỗ Văn Xã")
    mine = award_record(decision=director_decision, kind=kind("LDTT"), person=an, year=2025, achievement=TITLE)
    theirs = award_record(decision=commune_decision, kind=kind("LDTT"), person=villager, year=2025,
                          achievement=TITLE)
    collective = award_record(decision=commune_decision, kind=kind("THON_VH"), unit=commune_a, year=2025,
                              achievement=TITLE)
    dept_reporter = make_user("dept_reporter", Role.REPORTER, dept)
    assert set(awards_in_scope(dept_reporter)) == {mine}
    assert set(awards_in_scope(admin_user)) == {mine, theirs, collective}
    assert not awards_in_scope(outsider).exists()


def test_it_counts_the_members_holding_a_title(an, binh, dept, kind, director_decision):
    team = orgunit_create(code="SKHCN-P1", name="Phòng Chuyển đổi số", kind="agency", parent=dept)
    cuong = person_create(full_name="Lý Văn Cường", unit=team)
    gone = person_create(full_name="Hà Văn Đi", unit=dept)
    gone.left_on = D(2025, 6, 30)
    gone.save()
    for person in (an, cuong, gone):
        award_record(decision=director_decision, kind=kind("LDTT"), person=person, year=2025, achievement=TITLE)
    award_record(decision=director_decision, kind=kind("CSTD_CS"), person=an, year=2025, achievement=TITLE)
    assert title_share(unit=dept, year=2025, kinds=["LDTT"]) == (2, 3)  # An, Cường of 3 (Đi left in June)
    assert title_share(unit=dept, year=2025, kinds=["LDTT", "CSTD_CS"]) == (2, 3)
    assert title_share(unit=dept, year=2024, kinds=["LDTT"]) == (0, 4)
    assert title_share(unit=team, year=2025, kinds=["CSTD_CS"]) == (0, 1)
    assert binh in members_of(dept, 2025) and gone not in members_of(dept, 2025)
