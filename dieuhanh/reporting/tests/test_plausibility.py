"""The plausibility rule (reporting/plausibility.py) with hand-computed figures, and the submit gate."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dieuhanh.indicators.models import DataValue, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.lib.periods import Period
from dieuhanh.reporting.models import Submission
from dieuhanh.reporting.plausibility import flags_for, judge, modified_z
from dieuhanh.reporting.services import submission_save_values, submission_submit


def months(*figures, end=(2026, 2)):
    """[(period, value)] oldest first, the last one in month `end`."""
    last = Period.month(*end)
    periods = [last]
    while len(periods) < len(figures):
        periods.insert(0, periods[0].previous())
    return [(p, D(str(f))) for p, f in zip(periods, figures, strict=True)]


# Twelve months around 60: sorted 58 59 59 60 60 60 61 61 62 62 63 64 → median (60 + 61) / 2 = 60,5; the absolute
# deviations sorted 0,5×5 1,5×4 2,5×2 3,5 → MAD (1,5 + 1,5) / 2 = 1,5.
STEADY = [58, 59, 60, 61, 62, 63, 64, 60, 61, 62, 59, 60]


def test_the_modified_z_score_is_iglewicz_and_hoaglins():
    figures = [D(x) for x in STEADY]
    assert modified_z(D(70), figures) == D("0.6745") * D("9.5") / D("1.5")  # 4,2718… > 3,5
    assert modified_z(D(67), figures) == D("0.6745") * D("6.5") / D("1.5")  # 2,9228… ≤ 3,5
    assert modified_z(D(5), [D(61)] * 12) is None  # MAD 0: no z-score


@pytest.mark.parametrize("value,expected", [
    # z = 0,6745 · (2060 − 60,5) / 1,5 = 899,1 > 3,5 and 2060 / 60,5 = 34,05 ≥ 2
    ("2060", "34 times the median of the last 12 periods (60,5)"),
    # z = 0,6745 · (6 − 60,5) / 1,5 = −24,5 and 6 / 60,5 = 9,9% ≤ ½
    ("6", "only 9,9% of the median of the last 12 periods (60,5)"),
    ("130", "2,1 times the median of the last 12 periods (60,5)"),  # z = 31,3; 130 / 60,5 = 2,149
    ("70", None),  # z = 4,27 > 3,5, but 70 is 1,16 times the median: an ordinary month, not a slip
    ("67", None),  # z = 2,92
    ("0", "far from the median of the last 12 periods (60,5)"),  # z = −27,2; a zero has no ratio: z decides
], ids=["x34", "tenth", "double", "z-only", "near", "zero"])
def test_it_flags_far_values_against_a_long_history(value, expected):
    with translation.override("en"):
        assert judge(D(value), months(*STEADY), decimals=0) == expected


def test_a_history_that_never_moved_falls_back_to_the_ratio_to_the_previous_period():
    # 61 agencies every month (MAD 0): 2.060 is 2060 / 61 = 33,77 times February's.
    history = months(*[61] * 12)
    with translation.override("vi"):
        assert judge(D(2060), history, decimals=0) == "gấp 33,8 lần kỳ trước (Tháng 2/2026: 61)"
        assert judge(D(6), history, decimals=0) == "chỉ bằng 9,8% kỳ trước (Tháng 2/2026: 61)"  # 6 / 61
    assert judge(D(62), history, decimals=0) is None


@pytest.mark.parametrize("value,flagged", [
    ("1050", True), ("1049", False),  # 1050 / 105 = 10 exactly: flagged; 9,99: not
    ("10.5", True), ("10.6", False),  # 10,5 / 105 = 0,1: flagged; 0,1009: not
    ("-1050", False), ("0", False),  # a change of sign or a zero has no meaningful ratio
])
def test_a_short_history_uses_the_ratio_to_the_latest_period(value, flagged):
    history = months(100, 110, 105)  # three periods: fewer than four, so no z-score
    assert (judge(D(value), history, decimals=0) is not None) is flagged


def test_a_zero_latest_period_and_no_history_flag_nothing():
    assert judge(D(500), months(3, 7, 0), decimals=0) is None
    assert judge(D(500), [], decimals=0) is None
    assert judge(None, months(1, 2, 3, 4), decimals=0) is None


@pytest.fixture
def history(monthly_form, commune_a, revenue, subscribers):
    """Subscribers (actual) of commune A: 61 in every month of 2025, and 9.999 in a quarter (another period type,
    which must not count)."""
    for month in range(1, 13):
        datavalues_save(orgunit=commune_a, period=f"2025{month:02d}", user=None, channel="web",
                        state=ValueState.APPROVED, values=[ValueInput(subscribers, "actual", D(61))])
    datavalues_save(orgunit=commune_a, period="2025Q4", user=None, channel="web", state=ValueState.APPROVED,
                    values=[ValueInput(subscribers, "actual", D(9999))])
    return subscribers


@pytest.mark.django_db
def test_it_reads_the_units_own_history_of_the_same_kind_and_period_type(history, commune_a, commune_b, revenue):
    subscribers = history
    indicators = {subscribers.pk: subscribers, revenue.pk: revenue}
    with translation.override("en"):
        flags = flags_for(orgunit=commune_a, period=Period.parse("202601"), indicators=indicators,
                          values={(subscribers.pk, "actual"): D(2060), (subscribers.pk, "estimate"): D(2060),
                                  (subscribers.pk, "target"): D(2060), (revenue.pk, "actual"): D(5)})
    # Only the actual has a history; a target is the province's plan and is not judged.
    assert flags == {(subscribers.pk, "actual"): "33,8 times the previous period (Month 12/2025: 61)"}
    # Another unit's history is not this one's.
    assert flags_for(orgunit=commune_b, period=Period.parse("202601"), indicators=indicators,
                     values={(subscribers.pk, "actual"): D(2060)}) == {}


@pytest.mark.django_db
def test_submitting_needs_a_note_on_each_flagged_cell(history, monthly_form, commune_a, reporter_a):
    subscribers = history
    report = submission_save_values(form=monthly_form, orgunit=commune_a, period="202601", user=reporter_a,
                                    channel="web", values=[ValueInput(subscribers, "actual", D(2060))])
    with translation.override("vi"), pytest.raises(ValidationError) as err:
        submission_submit(submission=report, user=reporter_a)
    assert err.value.messages == [
        "Thuê bao di động (Thực hiện): gấp 33,8 lần kỳ trước (Tháng 12/2025: 61) — khác xa số liệu trước đây của "
        "đơn vị; nếu đúng, ghi rõ lý do vào ghi chú của ô",
    ]
    report.refresh_from_db()
    assert report.status == Submission.Status.DRAFT  # nothing moved
    assert DataValue.objects.get(period="202601").state == ValueState.DRAFT

    submission_save_values(form=monthly_form, orgunit=commune_a, period="202601", user=reporter_a, channel="web",
                           values=[ValueInput(subscribers, "actual", D(2060), comment="Gộp 33 xã từ 01/01/2026")])
    assert submission_submit(submission=report, user=reporter_a).status == Submission.Status.SUBMITTED


@pytest.mark.django_db
def test_a_plausible_report_submits_without_notes(history, monthly_form, commune_a, reporter_a):
    report = submission_save_values(form=monthly_form, orgunit=commune_a, period="202601", user=reporter_a,
                                    channel="web", values=[ValueInput(history, "actual", D(63))])
    assert submission_submit(submission=report, user=reporter_a).status == Submission.Status.SUBMITTED
