"""Units moving in the tree (orgunit_move, a merge that moves the units below) bring the figures of their old and
new ancestors up to date in the same transaction: no `rollups_rebuild` needed."""

import datetime
from decimal import Decimal

import pytest

from dieuhanh.analytics.queries import figure
from dieuhanh.indicators.models import Indicator, ValueRollup
from dieuhanh.indicators.rollups import rollups_rebuild
from dieuhanh.indicators.tests.test_rollups import rollups, save, while_uncommitted
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.orgunits.services import orgunit_create, orgunit_merge, orgunit_move

D = Decimal
DAY = datetime.date(2026, 1, 1)


def unit(code, parent, kind=OrgUnit.Kind.COMMUNE):
    return orgunit_create(code=code, name=f"Đơn vị {code}", kind=kind, parent=parent)


@pytest.fixture
def tree(province):
    """Province TN with districts H_1 (communes X_11, X_12 — codes with "_", a LIKE wildcard) and H-2 (X-21);
    X_12 has a village TH-121 under it."""
    h1, h2 = unit("H_1", province, OrgUnit.Kind.DISTRICT), unit("H-2", province, OrgUnit.Kind.DISTRICT)
    x11, x12, x21 = unit("X_11", h1), unit("X_12", h1), unit("X-21", h2)
    return {"TN": province, "H_1": h1, "H-2": h2, "X_11": x11, "X_12": x12, "X-21": x21,
            "TH-121": unit("TH-121", x12)}


@pytest.fixture
def rate(ict_sector):
    return Indicator.objects.create(code="TL_PC", name="Tỷ lệ hộ có cáp quang", unit="%", sector=ict_sector,
                                    unit_aggregation=Indicator.UnitAggregation.AVERAGE)


@pytest.fixture
def share(ict_sector, revenue):
    return Indicator.objects.create(code="TL_DT", name="Tỷ trọng doanh thu số", unit="%", sector=ict_sector,
                                    unit_aggregation=Indicator.UnitAggregation.WEIGHTED_AVERAGE,
                                    weight_indicator=revenue)


def totals(indicator, units, period="202603"):
    return {code: figure(indicator, u, period).value for code, u in units.items()}


def test_a_move_updates_the_old_and_new_district_and_the_province_at_once(tree, revenue, rate, share):
    values = {"X_11": (D("10"), D("40"), D("20")), "X_12": (D("7"), D("60"), D("50")),
              "TH-121": (D("3"), D("90"), D("10")), "X-21": (D("100"), D("80"), D("70"))}
    for code, (rev, pct, part) in values.items():
        save(tree[code], "202603", revenue, rev)
        save(tree[code], "202603", rate, pct)
        save(tree[code], "202603", share, part)
    save(tree["X_12"], "202602", revenue, D("1"))  # a period that only the moved subtree holds
    assert totals(revenue, tree)["H_1"] == D("17")  # X_12's own value wins over its village's

    orgunit_move(unit=tree["X_12"], new_parent=tree["H-2"], effective_date=DAY)

    # By hand: H_1 keeps X_11; H-2 has X-21 and X_12 (whose own value is its figure).
    assert totals(revenue, tree) == {"TN": D("117"), "H_1": D("10"), "H-2": D("107"), "X_11": D("10"),
                                     "X_12": D("7"), "X-21": D("100"), "TH-121": D("3")}
    found = figure(revenue, tree["H-2"], "202603")
    assert found.units_reported == 2
    assert totals(rate, tree) == {"TN": D("60"), "H_1": D("40"), "H-2": D("70"), "X_11": D("40"),
                                  "X_12": D("60"), "X-21": D("80"), "TH-121": D("90")}
    # Σ share × revenue / Σ revenue: H-2 = (50×7 + 70×100) / 107, the province over X_11, X_12, X-21.
    weighted = totals(share, tree)
    assert weighted["H_1"] == D("20")
    assert weighted["H-2"] == (D(50 * 7 + 70 * 100) / D(107)).quantize(weighted["H-2"])
    assert weighted["TN"] == (D(20 * 10 + 50 * 7 + 70 * 100) / D(117)).quantize(weighted["TN"])
    assert figure(revenue, tree["H_1"], "202602").value is None
    assert figure(revenue, tree["H-2"], "202602").value == D("1")
    assert figure(revenue, tree["TN"], "202602").value == D("1")

    kept = rollups()
    rollups_rebuild()
    assert rollups() == kept


def test_the_old_parent_left_without_units_keeps_no_rows_and_the_new_one_gets_its_own(tree, revenue):
    save(tree["TH-121"], "202603", revenue, D("3"))
    save(tree["X_11"], "202603", revenue, D("5"))  # X_11 is a leaf: no rows yet
    save(tree["X_11"], "2026", revenue, D("60"), kind="target")
    assert ValueRollup.objects.filter(orgunit=tree["X_12"]).exists()
    assert not ValueRollup.objects.filter(orgunit=tree["X_11"]).exists()

    orgunit_move(unit=tree["TH-121"], new_parent=tree["X_11"], effective_date=DAY)

    assert not ValueRollup.objects.filter(orgunit=tree["X_12"]).exists()
    assert figure(revenue, tree["X_12"], "202603").value is None
    assert figure(revenue, tree["X_11"], "202603").value == D("5")  # its own value still wins
    assert figure(revenue, tree["X_11"], "2026", kind="target").value == D("60")
    assert figure(revenue, tree["H_1"], "202603").value == D("5")
    assert figure(revenue, tree["TN"], "202603").value == D("5")
    kept = rollups()
    rollups_rebuild()
    assert rollups() == kept

    orgunit_move(unit=tree["TH-121"], new_parent=None, effective_date=DAY)  # to the top of the tree
    assert figure(revenue, tree["TH-121"], "202603").value == D("3")
    assert figure(revenue, tree["TN"], "202603").value == D("5")
    kept = rollups()
    rollups_rebuild()
    assert rollups() == kept


def test_a_merge_that_moves_the_units_below_updates_the_figures(tree, revenue, rate):
    for code, rev, pct in (("X_11", "10", "40"), ("TH-121", "3", "90"), ("X-21", "100", "80")):
        save(tree[code], "202603", revenue, D(rev))
        save(tree[code], "202603", rate, D(pct))
    save(tree["X_11"], "202603", revenue, D("11"), kind="estimate")  # the actual wins

    orgunit_merge(predecessors=[tree["H_1"]], successor=tree["H-2"], effective_date=DAY, move_children=True)

    assert totals(revenue, tree) == {"TN": D("113"), "H_1": None, "H-2": D("113"), "X_11": D("10"),
                                     "X_12": D("3"), "X-21": D("100"), "TH-121": D("3")}
    assert figure(revenue, tree["H-2"], "202603").units_reported == 3
    assert figure(rate, tree["H-2"], "202603").value == D("70")  # (40 + 90 + 80) / 3
    assert figure(rate, tree["TN"], "202603").value == D("70")
    assert not ValueRollup.objects.filter(orgunit=tree["H_1"]).exists()
    kept = rollups()
    rollups_rebuild()
    assert rollups() == kept



@pytest.mark.django_db(transaction=True)
def test_a_save_during_a_move_counts_in_the_new_ancestors(tree, revenue):
    """The move holds the tree until it commits; a save in the moved subtree waits, then refreshes the new
    ancestors (read before the move committed, the paths would have sent it to the old district)."""
    errors = while_uncommitted(
        lambda: orgunit_move(unit=OrgUnit.objects.get(code="X_12"), new_parent=OrgUnit.objects.get(code="H-2"),
                             effective_date=DAY),
        lambda: save(OrgUnit.objects.get(code="X_12"), "202605", revenue, D("7")))
    assert errors == []
    assert figure(revenue, OrgUnit.objects.get(code="H-2"), "202605").value == D("7")
    assert figure(revenue, OrgUnit.objects.get(code="H_1"), "202605").value is None
    assert figure(revenue, OrgUnit.objects.get(code="TN"), "202605").value == D("7")
    kept = rollups()
    rollups_rebuild()
    assert rollups() == kept
