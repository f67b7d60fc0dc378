import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dieuhanh.orgunits.models import LineageEvent, OrgUnit
from dieuhanh.orgunits.selectors import lineage_of
from dieuhanh.orgunits.services import (
    orgunit_create,
    orgunit_end,
    orgunit_merge,
    orgunit_move,
    orgunit_rename,
    orgunit_split,
    orgunit_update,
)

REFORM = datetime.date(2025, 7, 1)
OLD = datetime.date(2008, 1, 1)


@pytest.fixture
def old_provinces(db):
    tay_ninh = orgunit_create(code="72", name="Tây Ninh", kind=OrgUnit.Kind.PROVINCE, valid_from=OLD)
    long_an = orgunit_create(code="LA80", name="Long An", kind=OrgUnit.Kind.PROVINCE, valid_from=OLD)
    orgunit_create(code="LA-X1", name="Xã Một", kind=OrgUnit.Kind.COMMUNE, parent=long_an, valid_from=OLD)
    return tay_ninh, long_an


def test_it_merges_into_a_new_unit_without_deleting(old_provinces, admin_user):
    tay_ninh, long_an = old_provinces
    count = OrgUnit.objects.count()
    event = orgunit_merge(
        predecessors=[tay_ninh, long_an],
        new_unit={"code": "80", "name": "Tây Ninh", "kind": OrgUnit.Kind.PROVINCE, "division_type": "tỉnh"},
        effective_date=REFORM, move_children=True, user=admin_user, legal_basis="202/2025/QH15",
    )
    new = OrgUnit.objects.get(code="80")
    assert OrgUnit.objects.count() == count + 1
    assert event.kind == LineageEvent.Kind.MERGE and event.created_by == admin_user
    assert set(event.predecessors.all()) == {tay_ninh, long_an}
    assert list(event.successors.all()) == [new]
    assert new.valid_from == REFORM and new.search_name == "tay ninh"
    for unit in (tay_ninh, long_an):
        unit.refresh_from_db()
        assert unit.valid_to == datetime.date(2025, 6, 30)
    # The old commune lives on under the new province, path included.
    assert OrgUnit.objects.get(code="LA-X1").path == "/80/LA-X1/"
    lineage = lineage_of(new)
    assert set(lineage.predecessors) == {tay_ninh, long_an}
    assert lineage_of(long_an).successors == [new]


def test_it_merges_into_an_existing_unit(commune_a, commune_b):
    event = orgunit_merge(predecessors=[commune_b], successor=commune_a, effective_date=REFORM)
    commune_a.refresh_from_db()
    commune_b.refresh_from_db()
    assert commune_a.valid_to is None and commune_b.valid_to == datetime.date(2025, 6, 30)
    assert list(event.successors.all()) == [commune_a]


def test_it_refuses_bad_merges(commune_a, commune_b):
    with translation.override("vi"), pytest.raises(ValidationError, match="không thể sáp nhập vào chính nó"):
        orgunit_merge(predecessors=[commune_a, commune_b], successor=commune_a, effective_date=REFORM)
    with pytest.raises(ValidationError):
        orgunit_merge(predecessors=[], successor=commune_a, effective_date=REFORM)
    OrgUnit.objects.filter(pk=commune_b.pk).update(valid_from=REFORM)
    commune_b.refresh_from_db()
    with pytest.raises(ValidationError) as err:
        orgunit_merge(predecessors=[commune_b], successor=commune_a, effective_date=REFORM)
    assert "01/07/2025" in " ".join(err.value.messages)
    assert LineageEvent.objects.count() == 0
    assert not OrgUnit.objects.filter(valid_to__isnull=False).exists()


def test_it_rolls_back_a_failed_merge_completely(commune_a, commune_b):
    with pytest.raises(ValidationError):
        orgunit_merge(
            predecessors=[commune_a, commune_b],
            new_unit={"code": "XA-A", "name": "Trùng mã", "kind": OrgUnit.Kind.COMMUNE},
            effective_date=REFORM,
        )
    assert not OrgUnit.objects.filter(valid_to__isnull=False).exists()
    assert LineageEvent.objects.count() == 0


def test_it_splits_a_unit(province, commune_a):
    event = orgunit_split(
        predecessor=commune_a,
        successors=[
            {"code": "XA-A1", "name": "Xã Hưng Điền A", "kind": OrgUnit.Kind.COMMUNE},
            {"code": "XA-A2", "name": "Xã Hưng Điền B", "kind": OrgUnit.Kind.COMMUNE},
        ],
        effective_date=datetime.date(2026, 1, 1),
    )
    commune_a.refresh_from_db()
    assert commune_a.valid_to == datetime.date(2025, 12, 31)
    a1 = OrgUnit.objects.get(code="XA-A1")
    assert a1.parent == province and a1.path == "/TN/XA-A1/" and a1.valid_from == datetime.date(2026, 1, 1)
    assert {u.code for u in event.successors.all()} == {"XA-A1", "XA-A2"}
    assert [u.code for u in lineage_of(a1).predecessors] == ["XA-A"]


def test_it_splits_a_part_away_keeping_the_predecessor(commune_a, commune_b):
    orgunit_split(predecessor=commune_a, successors=[commune_b], effective_date=REFORM, end_predecessor=False)
    commune_a.refresh_from_db()
    assert commune_a.valid_to is None
    with pytest.raises(ValidationError):
        orgunit_split(predecessor=commune_a, successors=[commune_b], effective_date=REFORM)  # needs two


def test_it_renames_keeping_the_old_name(commune_a):
    event = orgunit_rename(unit=commune_a, new_name="Phường Hưng Điền", effective_date=REFORM)
    commune_a.refresh_from_db()
    assert commune_a.name == "Phường Hưng Điền" and commune_a.search_name == "phuong hung dien"
    assert (event.old_name, event.new_name) == ("Xã Hưng Điền", "Phường Hưng Điền")
    assert lineage_of(commune_a).events == [event]
    assert lineage_of(commune_a).predecessors == []
    with pytest.raises(ValidationError):
        orgunit_rename(unit=commune_a, new_name="Phường Hưng Điền", effective_date=REFORM)


def test_it_moves_a_whole_subtree(province, commune_a, agency):
    hamlet = orgunit_create(code="AP-1", name="Ấp 1", kind=OrgUnit.Kind.COMMUNE, parent=commune_a)
    other = orgunit_create(code="LA", name="Long An", kind=OrgUnit.Kind.PROVINCE)
    event = orgunit_move(unit=commune_a, new_parent=other, effective_date=REFORM)
    commune_a.refresh_from_db()
    hamlet.refresh_from_db()
    agency.refresh_from_db()
    assert commune_a.parent == other and commune_a.path == "/LA/XA-A/"
    assert hamlet.path == "/LA/XA-A/AP-1/" and hamlet.parent == commune_a
    assert agency.path == "/TN/SKHCN/"  # siblings untouched
    assert (event.old_parent, event.new_parent) == (province, other)
    assert set(other.descendants()) == {other, commune_a, hamlet}


def test_it_refuses_to_move_a_unit_under_itself(commune_a):
    hamlet = orgunit_create(code="AP-1", name="Ấp 1", kind=OrgUnit.Kind.COMMUNE, parent=commune_a)
    with pytest.raises(ValidationError):
        orgunit_move(unit=commune_a, new_parent=hamlet, effective_date=REFORM)
    with pytest.raises(ValidationError):
        orgunit_move(unit=commune_a, new_parent=commune_a.parent, effective_date=REFORM)


def test_it_ends_a_unit_and_asks_about_its_children(province, commune_a, commune_b, agency):
    with pytest.raises(ValidationError):
        orgunit_end(unit=province, effective_date=REFORM)
    orgunit_end(unit=province, effective_date=REFORM, with_descendants=True)
    assert OrgUnit.objects.filter(valid_to=datetime.date(2025, 6, 30)).count() == 4
    assert OrgUnit.objects.count() == 4


def test_it_updates_a_record_and_its_search_name(commune_a):
    unit = orgunit_update(unit=commune_a, name="Xã Hưng Điền A", valid_from=OLD)
    assert (unit.search_name, unit.valid_from) == ("xa hung dien a", OLD)
    with pytest.raises(ValidationError):
        orgunit_update(unit=commune_a, valid_to=datetime.date(2000, 1, 1))


def test_it_follows_lineage_chains_transitively(province):
    a = orgunit_create(code="A", name="A", kind=OrgUnit.Kind.COMMUNE, parent=province, valid_from=OLD)
    b = orgunit_create(code="B", name="B", kind=OrgUnit.Kind.COMMUNE, parent=province, valid_from=OLD)
    orgunit_merge(predecessors=[a, b], new_unit={"code": "AB", "name": "AB", "kind": "commune"},
                  effective_date=datetime.date(2020, 1, 1))
    ab = OrgUnit.objects.get(code="AB")
    orgunit_merge(predecessors=[ab], new_unit={"code": "ABC", "name": "ABC", "kind": "commune"},
                  effective_date=REFORM)
    abc = OrgUnit.objects.get(code="ABC")
    assert lineage_of(abc).predecessors[0] == ab
    assert set(lineage_of(abc).predecessors) == {a, b, ab}
    assert lineage_of(a).successors == [ab, abc]
