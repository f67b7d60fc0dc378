"""The seeded rules: the titles and forms of Luật 2022 with NĐ 152/2025's multiples, their authorities, the council
vote thresholds and a share cap, each with its source, the unconfirmed ones marked as such."""

import datetime
from decimal import Decimal

import pytest

from dieuhanh.commendations.models import AwardKind, BaseSalary, RewardMultiple, ShareCap, VoteThreshold
from dieuhanh.commendations.selectors import base_salary_on, multiple_on, vote_threshold_on

pytestmark = pytest.mark.django_db
AFTER_152 = datetime.date(2025, 7, 1)


def test_it_seeds_the_multiples_of_the_references_table():
    multiples = {m.kind.code: m.multiple for m in RewardMultiple.objects.select_related("kind")}
    assert multiples == {
        "CSTD_TQ": Decimal("4.5"), "CSTD_TINH": Decimal("3"), "CSTD_CS": Decimal("1"), "LDTT": Decimal("0.3"),
        "TTLDXS": Decimal("1.5"), "TTLDTT": Decimal("0.8"), "XA_TIEU_BIEU": Decimal("2"), "THON_VH": Decimal("1.5"),
        "CO_TD_CP": Decimal("12"), "CO_TD_TINH": Decimal("8"), "ANH_HUNG_LD_TT": Decimal("31"),
        "BK_TTG_TT": Decimal("7"), "BK_TINH_TT": Decimal("3"), "BK_BO_TT": Decimal("3"), "GK_TT": Decimal("0.6"),
        "BK_TTG_CN": Decimal("3.5"), "BK_TINH_CN": Decimal("1.5"), "BK_BO_CN": Decimal("1.5"), "GK_CN": Decimal("0.3"),
    }
    assert not RewardMultiple.objects.filter(valid_from__lt=AFTER_152).exists()


def test_it_marks_what_could_not_be_confirmed():
    unconfirmed = set(RewardMultiple.objects.filter(confirmed=False).values_list("kind__code", flat=True))
    # The individual Bằng khen and Giấy khen multiples are NĐ 98's, not found in NĐ 152.
    assert unconfirmed == {"BK_TTG_CN", "BK_TINH_CN", "BK_BO_CN", "GK_CN"}
    assert all("NĐ 152" in m.unconfirmed_note for m in RewardMultiple.objects.filter(confirmed=False))
    # The Chairman's authority (article not found) and Điều 28's 50% are awaiting confirmation.
    kinds = AwardKind.objects.filter(confirmed=False)
    assert {"CSTD_TINH", "TTLDXS", "TTLDTT", "BK_TINH_CN"} <= set(kinds.values_list("code", flat=True))
    assert all(k.unconfirmed_note and k.status_label == "chờ xác nhận" for k in kinds)
    assert AwardKind.objects.get(code="LDTT").status_label == "đã xác nhận"
    assert not VoteThreshold.objects.filter(confirmed=True).exists()


def test_it_seeds_who_grants_what():
    def granted_by(code):
        return set(AwardKind.objects.get(code=code).authorities.values_list("code", flat=True))

    assert granted_by("LDTT") == granted_by("CSTD_CS") == granted_by("GK_CN") == {"GD_SO", "CT_XA"}
    assert granted_by("TTLDXS") == {"CT_TINH"}
    assert granted_by("CSTD_TQ") == {"TTG"}
    assert AwardKind.objects.get(code="LDTT").category == AwardKind.Category.TITLE
    assert AwardKind.objects.get(code="GK_TT").recipient == AwardKind.Recipient.COLLECTIVE


def test_it_seeds_the_vote_thresholds_by_title():
    def threshold(code):
        return vote_threshold_on(AwardKind.objects.get(code=code), AFTER_152)

    assert threshold("CSTD_TINH").percent == threshold("CSTD_TQ").percent == Decimal("90")
    assert threshold("CSTD_CS").percent == threshold("CO_TD_TINH").percent == Decimal("80")
    assert threshold("LDTT") is None  # no council vote recorded for Lao động tiên tiến
    ninety = threshold("CSTD_TINH")
    assert ninety.passes(votes_for=9, members=10) and not ninety.passes(votes_for=8, members=10)
    assert threshold("CSTD_CS").passes(votes_for=8, members=10)
    assert not ninety.passes(votes_for=0, members=0)


def test_it_seeds_the_base_salary_and_a_cap_left_off():
    assert base_salary_on(datetime.date(2024, 7, 1)).amount == 2_340_000
    assert base_salary_on(datetime.date(2024, 6, 30)) is None
    assert BaseSalary.objects.get().legal_source == "NĐ 73/2024/NĐ-CP"
    cap = ShareCap.objects.get()
    assert (cap.kind.code, cap.of_kind.code, cap.percent, cap.enabled) == ("CSTD_CS", "LDTT", Decimal("15"), False)
    assert cap.allows(count=3, of_count=20) and not cap.allows(count=4, of_count=20)  # 15% of 20 = 3
    assert multiple_on(AwardKind.objects.get(code="LDTT"), AFTER_152).legal_source.startswith("NĐ 152/2025")
