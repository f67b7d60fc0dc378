"""The demo's commendations: the old Sở TT&TT Tây Ninh's Giấy khen for 2020 (9 collectives, 12 individuals) and a
Bằng khen of the Chairman of the old province's People's Committee (1 collective, 2 individuals), as the year-end
review of 21/01/2021 reports them; then the new province's register of 2024–2026 at Sở KH&CN and a 2026 round in
progress (nominations with their evidence, one voted on). People's names are invented."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from dieuhanh.commendations.models import (
    Authority,
    Award,
    AwardKind,
    Decision,
    EmulationMovement,
    Person,
    Round,
)
from dieuhanh.commendations.services import (
    award_record,
    decision_create,
    movement_create,
    person_create,
    registration_create,
)
from dieuhanh.commendations.services_nominations import nomination_create, nomination_vote, round_create
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.orgunits.services import orgunit_create

D = datetime.date
MERIT, TITLE = Award.Achievement.MERIT, Award.Achievement.TITLE
GOOD_2020 = "Hoàn thành tốt nhiệm vụ năm 2020"
EXCELLENT_2020 = "Có thành tích xuất sắc trong công tác năm 2020"

OLD_CENTRE = ("TN72-STTTT-TTCNTT", "Trung tâm Công nghệ thông tin và Truyền thông tỉnh Tây Ninh")
# The 9 collectives of the Director's Giấy khen: the department's centre, the telecom and postal enterprises and
# the province's radio-television and newspaper (under the department's state management in 2020).
GK_COLLECTIVES = [OLD_CENTRE[0], "VNPT-TN", "VIETTEL-TN", "MOBIFONE-TN", "FPT-TN", "VNPOST-TN", "VTPOST-TN",
                  "DPTTH", "BAOTN"]
GK_PEOPLE = [  # name, position, gender, unit code
    ("Nguyễn Văn Phúc", "Chánh Văn phòng Sở", "male", "TN72-STTTT"),
    ("Trần Thị Mỹ Duyên", "Chuyên viên Văn phòng Sở", "female", "TN72-STTTT"),
    ("Lê Hoàng Nam", "Trưởng phòng Bưu chính, Viễn thông", "male", "TN72-STTTT"),
    ("Phạm Thị Ngọc Hân", "Chuyên viên phòng Bưu chính, Viễn thông", "female", "TN72-STTTT"),
    ("Võ Thành Long", "Trưởng phòng Công nghệ thông tin", "male", "TN72-STTTT"),
    ("Huỳnh Thị Kim Ngân", "Chuyên viên phòng Công nghệ thông tin", "female", "TN72-STTTT"),
    ("Đặng Minh Trí", "Chuyên viên phòng Thông tin - Báo chí - Xuất bản", "male", "TN72-STTTT"),
    ("Bùi Thị Thanh Thảo", "Kế toán", "female", "TN72-STTTT"),
    ("Ngô Quốc Bảo", "Phó Giám đốc Trung tâm", "male", OLD_CENTRE[0]),
    ("Trương Thị Bích Liên", "Viên chức Trung tâm", "female", OLD_CENTRE[0]),
    ("Đỗ Hữu Thắng", "Kỹ sư hệ thống Trung tâm", "male", OLD_CENTRE[0]),
    ("Lý Thị Phương Thảo", "Viên chức Trung tâm", "female", OLD_CENTRE[0]),
]
BK_PEOPLE = [
    ("Nguyễn Hoàng Vũ", "Phó Giám đốc Sở", "male", "TN72-STTTT"),
    ("Châu Thị Mai", "Trưởng phòng Thông tin - Báo chí - Xuất bản", "female", "TN72-STTTT"),
]
KHCN_PEOPLE = [  # the new Sở KH&CN's people whose titles of 2024–2026 the 2026 round reads
    ("Nguyễn Thị Thu Hà", "Phó Trưởng phòng Chuyển đổi số", "female"),
    ("Trần Minh Khoa", "Trưởng phòng Quản lý công nghệ", "male"),
    ("Lê Thị Hồng Nhung", "Chuyên viên phòng Chuyển đổi số", "female"),
    ("Phan Văn Tài", "Chuyên viên phòng Bưu chính, Viễn thông", "male"),
    ("Hồ Thị Yến", "Chuyên viên Văn phòng Sở", "female"),
    ("Mai Quốc Cường", "Chuyên viên phòng Kế hoạch - Tài chính", "male"),
    ("Dương Thị Lan Anh", "Kế toán", "female"),
    ("Tạ Văn Hiếu", "Chuyên viên phòng Quản lý công nghệ", "male"),
    ("Vương Thị Diễm", "Văn thư", "female"),
    ("Kiều Minh Đức", "Chuyên viên phòng Chuyển đổi số", "male"),
]
ROUND_2026 = "Xét khen thưởng năm 2026"


@dataclass
class CommendationsDemo:
    decisions: list[Decision] = field(default_factory=list)
    round: Round | None = None
    created: bool = False


def _person(name: str, position: str, gender: str, unit: OrgUnit) -> Person:
    return Person.objects.filter(full_name=name, unit=unit).first() or person_create(
        full_name=name, unit=unit, position=position, gender=gender)


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _kinds() -> dict[str, AwardKind]:
    return {k.code: k for k in AwardKind.objects.all()}


def _authority(code: str) -> Authority:
    return Authority.objects.get(code=code)


def _old_2020(units, kinds) -> list[Decision]:
    old_tn = units.old_tay_ninh
    stttt = OrgUnit.objects.get(code="TN72-STTTT")
    centre = OrgUnit.objects.filter(code=OLD_CENTRE[0]).first() or orgunit_create(
        code=OLD_CENTRE[0], name=OLD_CENTRE[1], kind=OrgUnit.Kind.AGENCY, parent=stttt,
        valid_to=D(2025, 2, 28))
    lookup = {u.code: u for u in OrgUnit.objects.filter(code__in=[*GK_COLLECTIVES, "TN72-STTTT"])}
    lookup[centre.code] = centre
    director = decision_create(
        number="15/QĐ-STTTT", date=D(2021, 1, 18), authority=_authority("GD_SO"), issuer=stttt,
        signer_name="Lê Quang Trung", signer_position="Giám đốc",
        excerpt="Về việc tặng Giấy khen cho các tập thể và cá nhân đã hoàn thành tốt nhiệm vụ năm 2020")
    for code in GK_COLLECTIVES:
        if code in lookup:
            award_record(decision=director, kind=kinds["GK_TT"], unit=lookup[code], year=2020, achievement=MERIT,
                         achievement_note=GOOD_2020)
    for name, position, gender, code in GK_PEOPLE:
        award_record(decision=director, kind=kinds["GK_CN"], person=_person(name, position, gender, lookup[code]),
                     year=2020, achievement=MERIT, achievement_note=GOOD_2020)
    chairman = decision_create(
        number="245/QĐ-UBND", date=D(2021, 1, 28), authority=_authority("CT_TINH"), issuer=old_tn,
        signer_name="Phạm Minh Quang", signer_position="Chủ tịch",
        excerpt="Về việc tặng Bằng khen của Chủ tịch UBND tỉnh cho tập thể và cá nhân ngành Thông tin và Truyền "
                "thông có thành tích xuất sắc năm 2020")
    award_record(decision=chairman, kind=kinds["BK_TINH_TT"], unit=stttt, year=2020, achievement=MERIT,
                 achievement_note=EXCELLENT_2020)
    for name, position, gender, code in BK_PEOPLE:
        award_record(decision=chairman, kind=kinds["BK_TINH_CN"],
                     person=_person(name, position, gender, lookup[code]), year=2020, achievement=MERIT,
                     achievement_note=EXCELLENT_2020)
    return [director, chairman]


def _khcn_register(units, kinds, office) -> list[Person]:
    """Sở KH&CN's titles of 2024–2026 (the Director's decisions each December): the record the round reads."""
    khcn = units.agencies["SKHCN"]
    people = [_person(name, position, gender, khcn) for name, position, gender in KHCN_PEOPLE]
    for year, number, day, cstd, ldtt in [
        (2024, "88/QĐ-SKHCN", D(2024, 12, 20), [0], [0, 1, 2, 3, 4, 5]),
        (2025, "112/QĐ-SKHCN", D(2025, 12, 19), [0, 1], [0, 1, 2, 3, 4, 5, 6, 7]),
        (2026, "97/QĐ-SKHCN", D(2026, 12, 1), [0, 1], [0, 1, 2, 3, 4, 5, 6, 7]),
    ]:
        decision = decision_create(number=number, date=day, authority=_authority("GD_SO"), issuer=khcn,
                                   signer_name="Trịnh Văn Sơn", signer_position="Giám đốc",
                                   excerpt=f"Về việc công nhận danh hiệu thi đua năm {year}", by=office)
        for i in ldtt:
            award_record(decision=decision, kind=kinds["LDTT"], person=people[i], year=year, achievement=TITLE,
                         by=office)
        for i in cstd:
            award_record(decision=decision, kind=kinds["CSTD_CS"], person=people[i], year=year, achievement=TITLE,
                         by=office)
    return people


def _round_2026(units, kinds, people, office, proposer) -> Round:
    province, khcn = units.province, units.agencies["SKHCN"]
    movement = movement_create(
        name="Phong trào thi đua “Chuyển đổi số toàn diện” năm 2026", organiser=province,
        start_date=D(2026, 2, 1), end_date=D(2026, 12, 31), kind=EmulationMovement.Kind.CAMPAIGN,
        launch_document="25/KH-UBND")
    movement_create(name="Phong trào thi đua thường xuyên năm 2026", organiser=province, start_date=D(2026, 1, 1),
                    end_date=D(2026, 12, 31), launch_document="12/KH-UBND")
    registration_create(year=2026, unit=khcn, titles=[kinds["TTLDXS"]], registered_on=D(2026, 2, 20), by=proposer)
    registration_create(year=2026, person=people[0], titles=[kinds["CSTD_CS"], kinds["CSTD_TINH"]],
                        registered_on=D(2026, 2, 20), by=proposer)
    registration_create(year=2026, person=people[1], titles=[kinds["CSTD_CS"]], registered_on=D(2026, 2, 20),
                        by=proposer)
    round_ = round_create(name=ROUND_2026, year=2026, authority=_authority("CT_TINH"), organiser=province,
                          nominations_due=D(2026, 12, 20), by=office)
    chosen = nomination_create(
        round=round_, proposer=khcn, kind=kinds["CSTD_TINH"], person=people[0], achievement=TITLE, by=proposer,
        summary="Chủ trì xây dựng Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP) sau hợp nhất; sáng kiến "
                "“Số hóa hồ sơ một cửa” được áp dụng trên toàn tỉnh.")
    nomination_create(round=round_, proposer=khcn, kind=kinds["TTLDXS"], unit=khcn, achievement=TITLE, by=proposer,
                      summary="Hoàn thành xuất sắc nhiệm vụ năm 2026; 80% công chức đạt Lao động tiên tiến.")
    nomination_create(round=round_, proposer=khcn, kind=kinds["BK_TINH_CN"], person=people[1], achievement=MERIT,
                      achievement_note="Có thành tích xuất sắc năm 2026", by=proposer,
                      summary="Hai năm liên tục đạt Chiến sĩ thi đua cơ sở (2025, 2026).")
    nomination_create(round=round_, proposer=khcn, kind=kinds["BK_TINH_CN"], person=people[2],
                      achievement=Award.Achievement.CAMPAIGN, movement=movement, by=proposer,
                      summary="Thành tích xuất sắc trong phong trào “Chuyển đổi số toàn diện”.")
    nomination_vote(nomination=chosen, members_total=15, members_present=13, votes_for=14, voted_on=D(2026, 12, 3),
                    note="Biên bản họp Hội đồng Thi đua - Khen thưởng tỉnh ngày 03/12/2026 (2 thành viên vắng "
                         "mặt gửi phiếu)", by=office)
    return round_


@transaction.atomic
def commendations_demo_ensure(*, units, users: dict | None = None) -> CommendationsDemo:
    """The demo's commendations (once: a second call finds the 2020 decision and returns). `units` is the demo's
    DemoUnits; `users` its users by key (the office "vanphong" records the council's work and Sở KH&CN's reporter
    "khcn.baocao" proposes, when they exist)."""
    result = CommendationsDemo()
    existing = Decision.objects.filter(number="15/QĐ-STTTT", date__year=2021).first()
    if existing is not None:
        result.decisions = list(Decision.objects.order_by("date"))
        result.round = Round.objects.filter(name=ROUND_2026).first()
        return result
    users = users or {}
    office = _user("vanphong") or users.get("admin")
    proposer = users.get("agency_reporter") or _user("khcn.baocao")
    kinds = _kinds()
    result.decisions = _old_2020(units, kinds)
    people = _khcn_register(units, kinds, office)
    result.round = _round_2026(units, kinds, people, office, proposer)
    result.created = True
    return result
