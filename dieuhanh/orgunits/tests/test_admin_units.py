import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation
from vietnam_provinces import Ward

from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.orgunits.services import admin_units_load, admin_units_sync

pytestmark = pytest.mark.django_db

TAY_NINH_WARDS = len(list(Ward.iter_by_province(80)))


def test_it_loads_tay_ninh_with_all_its_communes():
    province = admin_units_load(province="Tây Ninh")
    assert province.code == "80"
    assert province.kind == OrgUnit.Kind.PROVINCE
    assert province.division_type == "tỉnh"
    assert province.path == "/80/"
    communes = OrgUnit.objects.filter(parent=province)
    assert communes.count() == TAY_NINH_WARDS > 90
    hung_dien = OrgUnit.objects.get(code="27727")
    assert hung_dien.name == "Xã Hưng Điền"
    assert hung_dien.kind == OrgUnit.Kind.COMMUNE
    assert hung_dien.division_type == "xã"
    assert hung_dien.path == "/80/27727/"
    assert hung_dien.search_name == "xa hung dien"
    assert hung_dien.valid_from == datetime.date(2025, 7, 1)
    assert set(communes.values_list("division_type", flat=True)) <= {"xã", "phường", "đặc khu"}


def test_it_is_idempotent():
    first = admin_units_sync(province="Tây Ninh")
    assert (first.created, first.updated, first.unchanged) == (TAY_NINH_WARDS + 1, 0, 0)
    second = admin_units_sync(province="tay ninh")
    assert (second.created, second.updated, second.unchanged) == (0, 0, TAY_NINH_WARDS + 1)
    assert OrgUnit.objects.count() == TAY_NINH_WARDS + 1


def test_it_restores_a_changed_name_without_duplicating_or_deleting():
    admin_units_load(province="80")
    OrgUnit.objects.filter(code="27727").update(name="Xa Hung Dien (sai)", search_name="x")
    extra = OrgUnit.objects.create(code="SKHCN", name="Sở KH&CN", kind=OrgUnit.Kind.AGENCY, path="/80/SKHCN/",
                                   parent=OrgUnit.objects.get(code="80"), search_name="so kh&cn")
    result = admin_units_sync(province="80")
    assert result.updated == 1 and result.created == 0
    unit = OrgUnit.objects.get(code="27727")
    assert (unit.name, unit.search_name) == ("Xã Hưng Điền", "xa hung dien")
    assert OrgUnit.objects.filter(pk=extra.pk).exists()


@pytest.mark.parametrize("text", ["80", "72", "Long An", "TÂY NINH", "tay_ninh", "Tỉnh Tây Ninh"])
def test_it_finds_the_province_by_code_old_code_or_unaccented_name(text):
    assert admin_units_load(province=text).code == "80"


def test_it_finds_cities_without_the_thanh_pho_prefix():
    assert admin_units_load(province="ho chi minh").code == "79"
    assert admin_units_load(province="TP Hồ Chí Minh").code == "79"


def test_it_rejects_an_unknown_province_in_vietnamese():
    with translation.override("vi"), pytest.raises(ValidationError) as err:
        admin_units_load(province="Sài Gòn")
    message = " ".join(err.value.messages)
    assert message.startswith("Không có tỉnh, thành phố trực thuộc trung ương nào khớp với 'Sài Gòn'")
    assert "Tây Ninh" in message  # the list of valid names helps the user
    assert OrgUnit.objects.count() == 0


def test_it_loads_the_whole_country_fast_with_the_command(capsys):
    call_command("load_admin_units", "--all")
    assert OrgUnit.objects.filter(kind=OrgUnit.Kind.PROVINCE).count() == 34
    assert OrgUnit.objects.filter(kind=OrgUnit.Kind.COMMUNE).count() == len(list(Ward.iter_all()))
    assert OrgUnit.objects.get(code="01").path == "/01/"
    out = capsys.readouterr().out
    assert "80 Tây Ninh" in out


def test_it_prints_counts_from_the_command(capsys):
    with translation.override("vi"):
        call_command("load_admin_units", "Tây Ninh")
        call_command("load_admin_units", "tay ninh")
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"80 Tây Ninh: {TAY_NINH_WARDS + 1} tạo mới, 0 cập nhật, 0 không đổi",
        f"80 Tây Ninh: 0 tạo mới, 0 cập nhật, {TAY_NINH_WARDS + 1} không đổi",
    ]


def test_it_fails_the_command_on_an_unknown_province():
    with translation.override("vi"), pytest.raises(CommandError, match="Không có tỉnh, thành phố"):
        call_command("load_admin_units", "Sài Gòn")
