"""Emulation movements and the yearly registration of units and people."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dieuhanh.commendations.models import EmulationMovement, EmulationRegistration, Person
from dieuhanh.commendations.services import movement_create, person_create, registration_create

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_person_is_searched_without_diacritics(dept):
    person = person_create(full_name="  Nguyễn   Thị Hoa ", unit=dept, position="Kế toán")
    assert (person.full_name, person.search_name) == ("Nguyễn Thị Hoa", "nguyen thi hoa")
    with pytest.raises(ValidationError) as raised:
        person_create(full_name=" ", unit=dept)
    assert "full_name" in raised.value.message_dict
    assert Person.objects.count() == 1


def test_a_movement_ends_after_it_starts(dept):
    movement = movement_create(name="Thi đua chuyển đổi số năm 2026", organiser=dept, start_date=D(2026, 1, 10),
                               end_date=D(2026, 11, 30), kind=EmulationMovement.Kind.CAMPAIGN,
                               launch_document="12/KH-SKHCN")
    assert movement.get_kind_display() == "Theo đợt, chuyên đề"
    with pytest.raises(ValidationError) as raised:
        movement_create(name="Ngược", organiser=dept, start_date=D(2026, 5, 1), end_date=D(2026, 4, 1))
    assert raised.value.message_dict["end_date"] == ["Ngày kết thúc trước ngày bắt đầu."]
    with pytest.raises(IntegrityError), transaction.atomic():
        EmulationMovement.objects.create(name="Ngược", organiser=dept, start_date=D(2026, 5, 1),
                                         end_date=D(2026, 4, 1))
    assert EmulationMovement.objects.count() == 1


def test_units_and_people_register_once_a_year_for_a_movement(an, dept, kind):
    yearly = movement_create(name="Phong trào thi đua năm 2026", organiser=dept, start_date=D(2026, 1, 1))
    registration = registration_create(year=2026, person=an, titles=[kind("LDTT"), kind("CSTD_CS")],
                                       registered_on=D(2026, 2, 15), movement=yearly)
    registration_create(year=2026, unit=dept, titles=[kind("TTLDXS")], registered_on=D(2026, 2, 15), movement=yearly)
    registration_create(year=2026, person=an, titles=[kind("LDTT")], registered_on=D(2026, 2, 15))  # no movement
    assert set(registration.titles.values_list("code", flat=True)) == {"LDTT", "CSTD_CS"}
    with pytest.raises(ValidationError) as raised:
        registration_create(year=2026, person=an, titles=[kind("LDTT")], registered_on=D(2026, 3, 1),
                            movement=yearly)
    assert "đã đăng ký thi đua cho năm và phong trào này" in raised.value.messages[0]
    assert EmulationRegistration.objects.count() == 3


@pytest.mark.parametrize(("who", "codes", "field", "message"), [
    ("person", ["TTLDXS"], "titles", "Không phải danh hiệu thi đua dành cho đối tượng đăng ký này: Tập thể lao động "
                                     "xuất sắc."),
    ("unit", ["GK_TT"], "titles", "Không phải danh hiệu thi đua dành cho đối tượng đăng ký này: Giấy khen (tập thể)."),
    ("unit", [], "titles", "Chọn ít nhất một danh hiệu đăng ký."),
    ("both", ["LDTT"], "person", "Chọn một cá nhân hoặc một tập thể."),
])
def test_it_refuses_a_registration_that_does_not_fit(an, dept, kind, who, codes, field, message):
    recipient = {"person": {"person": an}, "unit": {"unit": dept}, "both": {"person": an, "unit": dept}}[who]
    with pytest.raises(ValidationError) as raised:
        registration_create(year=2026, titles=[kind(c) for c in codes], registered_on=D(2026, 2, 1), **recipient)
    assert raised.value.message_dict[field] == [message]
    assert not EmulationRegistration.objects.exists()
