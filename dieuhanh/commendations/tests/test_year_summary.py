"""The year's commendations per authority and form, for the year-end report's sentence."""

import datetime

import pytest

from dieuhanh.commendations.models import Award
from dieuhanh.commendations.selectors import year_summary
from dieuhanh.commendations.services import award_record, decision_create, person_create

pytestmark = pytest.mark.django_db
D = datetime.date
MERIT, TITLE = Award.Achievement.MERIT, Award.Achievement.TITLE


def test_it_counts_collectives_and_individuals_per_authority_and_form(
        an, binh, dept, commune_a, commune_b, kind, authority, province, director_decision):
    chairman = decision_create(number="12/QĐ-UBND", date=D(2026, 1, 15), authority=authority("CT_TINH"),
                               issuer=province, signer_name="Phạm Văn Chủ")
    for unit in (commune_a, commune_b):
        award_record(decision=chairman, kind=kind("BK_TINH_TT"), unit=unit, year=2025, achievement=MERIT)
        award_record(decision=chairman, kind=kind("TTLDXS"), unit=unit, year=2025, achievement=TITLE)
    for person in (an, binh):
        award_record(decision=chairman, kind=kind("BK_TINH_CN"), person=person, year=2025, achievement=MERIT)
        award_record(decision=director_decision, kind=kind("LDTT"), person=person, year=2025, achievement=TITLE)
    other = person_create(full_name="Lê Thị Cúc", unit=commune_a)
    award_record(decision=chairman, kind=kind("BK_TINH_CN"), person=other, year=2024, achievement=MERIT)

    lines = year_summary(2025)
    assert [(line.authority_code, line.kind_name, line.collectives, line.individuals) for line in lines] == [
        ("CT_TINH", "Bằng khen của Chủ tịch UBND tỉnh", 2, 2),
        ("CT_TINH", "Tập thể lao động xuất sắc", 2, 0),
        ("GD_SO", "Lao động tiên tiến", 0, 2),
    ]
    assert lines[0].kind_codes == ("BK_TINH_CN", "BK_TINH_TT")
    assert lines[0].authority == "Chủ tịch UBND tỉnh"
    assert lines[1].category == "title"

    only_a = year_summary(2025, units=[commune_a])
    assert [(line.kind_name, line.collectives, line.individuals) for line in only_a] == [
        ("Bằng khen của Chủ tịch UBND tỉnh", 1, 0), ("Tập thể lao động xuất sắc", 1, 0)]
    assert year_summary(2019) == []
