"""Rewards: the multiple and the base salary in force on the decision's date, rounded up to 10,000 đ."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dieuhanh.commendations.models import Award, BaseSalary, RewardMultiple
from dieuhanh.commendations.services import award_record, decision_create, reward_for, round_up_reward

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize(("value", "rounded"), [
    (Decimal("702000"), 710_000),  # Lao động tiên tiến: 0.3 × 2,340,000
    (Decimal("1872000"), 1_880_000),  # Tập thể lao động tiên tiến: 0.8 × 2,340,000
    (Decimal("2340000"), 2_340_000),  # a multiple of 10,000 stays
    (Decimal("2340000.01"), 2_350_000),  # any part of a step goes up
    (Decimal("10001"), 20_000),
    (Decimal("0"), 0),
])
def test_it_rounds_rewards_up_to_ten_thousand(value, rounded):
    assert round_up_reward(value) == rounded


def test_it_computes_the_seeded_rewards_at_2_34_million(kind):
    day = D(2025, 12, 15)
    expected = {"CSTD_TQ": 10_530_000, "CSTD_TINH": 7_020_000, "CSTD_CS": 2_340_000, "LDTT": 710_000,
                "TTLDXS": 3_510_000, "TTLDTT": 1_880_000, "XA_TIEU_BIEU": 4_680_000, "THON_VH": 3_510_000,
                "CO_TD_CP": 28_080_000, "CO_TD_TINH": 18_720_000, "GK_TT": 1_410_000, "GK_CN": 710_000}
    got = {code: reward_for(kind=kind(code), on=day).amount for code in expected}
    assert got == expected
    assert reward_for(kind=kind("LDTT"), on=day).base_salary == 2_340_000


def test_it_takes_the_base_salary_in_force_on_the_decision_date(kind):
    BaseSalary.objects.create(amount=2_600_000, valid_from=D(2026, 7, 1), legal_source="test raise")
    ldtt = kind("LDTT")
    assert reward_for(kind=ldtt, on=D(2026, 6, 30)).amount == 710_000  # 0.3 × 2,340,000 = 702,000 ↑
    assert reward_for(kind=ldtt, on=D(2026, 7, 1)).amount == 780_000  # 0.3 × 2,600,000
    assert reward_for(kind=ldtt, on=D(2026, 7, 1)).base_salary == 2_600_000


def test_it_takes_the_multiple_in_force_on_the_decision_date(kind):
    ldtt = kind("LDTT")
    RewardMultiple.objects.filter(kind=ldtt).update(valid_to=D(2026, 12, 31))
    RewardMultiple.objects.create(kind=ldtt, multiple=Decimal("0.5"), valid_from=D(2027, 1, 1))
    assert reward_for(kind=ldtt, on=D(2026, 12, 31)).multiple == Decimal("0.3")
    assert reward_for(kind=ldtt, on=D(2027, 1, 1)).amount == 1_170_000
    # Before the seeded multiples' first date (NĐ 152/2025, 01/07/2025) there is no reward to compute.
    assert reward_for(kind=ldtt, on=D(2025, 6, 30)) is None


def test_it_says_when_no_base_salary_is_in_force(kind):
    RewardMultiple.objects.create(kind=kind("LDTT"), multiple=Decimal("0.3"), valid_from=D(2024, 1, 1),
                                  valid_to=D(2025, 6, 30))
    assert reward_for(kind=kind("LDTT"), on=D(2024, 7, 1)).amount == 710_000
    with pytest.raises(ValidationError) as raised:
        reward_for(kind=kind("LDTT"), on=D(2024, 6, 30))  # the seeded base salary starts on 01/07/2024
    assert "Chưa có mức lương cơ sở áp dụng ngày 30/06/2024" in raised.value.messages[0]


def test_an_award_keeps_the_reward_of_its_decision_date(an, kind, director_decision, authority, dept):
    award = award_record(decision=director_decision, kind=kind("LDTT"), person=an, year=2025,
                         achievement=Award.Achievement.TITLE)
    BaseSalary.objects.create(amount=3_000_000, valid_from=D(2026, 1, 1))
    later = decision_create(number="02/QĐ-SKHCN", date=D(2026, 1, 5), authority=authority("GD_SO"), issuer=dept,
                            signer_name="Lê Văn Giám")
    other = award_record(decision=later, kind=kind("CSTD_CS"), person=an, year=2025,
                         achievement=Award.Achievement.TITLE)
    award.refresh_from_db()
    assert (award.multiple, award.base_salary, award.amount) == (Decimal("0.30"), 2_340_000, 710_000)
    assert (other.base_salary, other.amount) == (3_000_000, 3_000_000)
