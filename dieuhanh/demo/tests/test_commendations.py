"""The demo's commendations: the 2020 awards of the old Sở TT&TT and the old province's Chairman, and a 2026 round
in progress."""

import pytest

from dieuhanh.commendations.models import Nomination
from dieuhanh.commendations.selectors import year_summary
from dieuhanh.demo.build import demo_build
from dieuhanh.demo.commendations import commendations_demo_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    result = demo_build(small=True)
    return result, commendations_demo_ensure(units=result.units)


def test_it_gives_the_2020_commendations_of_the_year_end_review(demo):
    lines = {(line.authority_code, line.kind_name): (line.collectives, line.individuals)
             for line in year_summary(2020)}
    assert lines == {("GD_SO", "Giấy khen"): (9, 12), ("CT_TINH", "Bằng khen của Chủ tịch UBND tỉnh"): (1, 2)}
    assert [line.authority_code for line in year_summary(2020)] == ["CT_TINH", "GD_SO"]


def test_it_leaves_a_2026_round_in_progress_with_one_vote(demo):
    _result, commendations = demo
    nominations = commendations.round.nominations.all()
    assert nominations.count() == 4
    voted = nominations.get(state=Nomination.State.PASSED)
    assert voted.kind.code == "CSTD_TINH" and voted.evidence
    consecutive = next(item for item in voted.evidence if item["code"] == "consecutive")
    assert consecutive["status"] == "met"
    assert nominations.filter(state=Nomination.State.PROPOSED).count() == 3


def test_it_is_idempotent(demo):
    result, commendations = demo
    again = commendations_demo_ensure(units=result.units)
    assert not again.created and again.round == commendations.round
