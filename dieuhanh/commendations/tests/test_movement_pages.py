"""The pages of the year's emulation work: the secretariat launches movements, a unit's staff register the unit
and its people for emulation and keep the unit's list of people. Who may, 404 outside the scope, Vietnamese
messages on the field with nothing saved, and the collective's members as the evidence counts them."""

import datetime

import pytest
from django.contrib.messages import get_messages

from dieuhanh.accounts.models import Role
from dieuhanh.commendations.models import EmulationMovement, EmulationRegistration, Person
from dieuhanh.commendations.selectors import members_of
from dieuhanh.commendations.services import movement_create, person_create
from dieuhanh.conftest import make_user
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.orgunits.services import orgunit_create

pytestmark = pytest.mark.django_db
D = datetime.date


def _client(client, user):
    client.force_login(user)
    return client


def _errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


@pytest.fixture
def office(province):
    return make_user("office", Role.OFFICE, province)


@pytest.fixture
def khcn(dept):
    return make_user("khcn", Role.REPORTER, dept)


@pytest.fixture
def team(dept):
    """A division of the department (its subtree)."""
    return orgunit_create(code="SKHCN-VP", name="Văn phòng Sở", kind=OrgUnit.Kind.AGENCY, parent=dept)


MOVEMENT = {"name": "Phong trào thi đua thường xuyên năm 2026", "kind": "regular", "start_date": "01/01/2026",
            "end_date": "31/12/2026", "launch_document": "12/KH-UBND", "description": "Thi đua hoàn thành nhiệm vụ"}


# --- launching a movement -------------------------------------------------------------------------------------


def test_it_lets_the_province_office_launch_a_movement(client, office, province):
    c = _client(client, office)
    assert c.get("/commendations/movements/").context["may_launch"] is True
    assert c.get("/commendations/movements/new/").status_code == 200
    response = c.post("/commendations/movements/new/", {**MOVEMENT, "organiser": province.pk,
                                                        "launch_document": " 12/KH-UBND "})
    assert response.status_code == 302
    assert response["Location"] == "/commendations/movements/?year=2026"
    movement = EmulationMovement.objects.get()
    assert (movement.organiser, movement.launch_document, movement.end_date) == (province, "12/KH-UBND",
                                                                                 D(2026, 12, 31))
    page = c.get("/commendations/movements/?year=2026")
    assert "Phong trào thi đua thường xuyên năm 2026" in page.content.decode()


@pytest.mark.parametrize("role_unit", ["reporter_dept", "office_dept", "leader_province"])
def test_it_refuses_launching_to_others_than_the_secretariat(client, province, dept, role_unit):
    role, where = {"reporter_dept": (Role.REPORTER, dept), "office_dept": (Role.OFFICE, dept),
                   "leader_province": (Role.LEADER, province)}[role_unit]
    c = _client(client, make_user("someone", role, where))
    assert c.get("/commendations/movements/").context["may_launch"] is False
    assert c.get("/commendations/movements/new/").status_code == 404
    assert c.post("/commendations/movements/new/", {**MOVEMENT, "organiser": dept.pk}).status_code == 404
    assert not EmulationMovement.objects.exists()


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"launch_document": "5/KH-UBND"}, "launch_document",
     "'5/KH-UBND': số thứ tự nhỏ hơn 10 phải ghi thêm số 0 ở trước (05)."),
    ({"end_date": "31/12/2025"}, "end_date", "Ngày kết thúc trước ngày bắt đầu."),
    ({"start_date": "31/02/2026"}, "start_date", "Nhập ngày theo dạng 31/12/2026."),
    ({"name": ""}, "name", None),
])
def test_it_says_what_is_wrong_with_a_movement_and_saves_nothing(client, office, province, change, field, message):
    response = _client(client, office).post("/commendations/movements/new/",
                                            {**MOVEMENT, "organiser": province.pk, **change})
    assert response.status_code == 400
    errors = _errors(response, field)
    assert errors if message is None else errors == [message]
    assert not EmulationMovement.objects.exists()


def test_the_office_launches_only_for_its_subtree(client, office, province):
    other = orgunit_create(code="LA", name="Long An", kind=OrgUnit.Kind.PROVINCE)
    response = _client(client, office).post("/commendations/movements/new/", {**MOVEMENT, "organiser": other.pk})
    assert response.status_code == 400 and _errors(response, "organiser")
    assert not EmulationMovement.objects.exists()


# --- registering for emulation --------------------------------------------------------------------------------


def test_a_unit_reporter_registers_the_unit_and_a_person(client, khcn, dept, an, province, kind):
    yearly = movement_create(name="Phong trào thi đua năm 2026", organiser=province, start_date=D(2026, 1, 1),
                             end_date=D(2026, 12, 31))
    c = _client(client, khcn)
    form_page = c.get("/commendations/registrations/new/?year=2026")
    assert form_page.status_code == 200
    assert list(form_page.context["form"].fields["movement"].queryset) == [yearly]  # the province's, from above
    titles = {k.code for k in form_page.context["form"].fields["titles"].queryset}
    assert {"TTLDXS", "LDTT", "CSTD_CS"} <= titles and "GK_TT" not in titles  # titles only, no forms
    response = c.post("/commendations/registrations/new/", {
        "year": 2026, "registrant": "unit", "unit": dept.pk, "titles": [kind("TTLDXS").pk], "movement": yearly.pk,
        "registered_on": "20/02/2026"})
    assert response.status_code == 302 and response["Location"] == "/commendations/movements/?year=2026"
    response = c.post("/commendations/registrations/new/", {
        "year": 2026, "registrant": "person", "person": an.pk, "titles": [kind("LDTT").pk, kind("CSTD_CS").pk],
        "registered_on": "20/02/2026", "note": "Đăng ký cá nhân"})
    assert response.status_code == 302
    unit_reg = EmulationRegistration.objects.get(unit=dept)
    person_reg = EmulationRegistration.objects.get(person=an)
    assert (unit_reg.movement, unit_reg.created_by, unit_reg.registered_on) == (yearly, khcn, D(2026, 2, 20))
    assert set(person_reg.titles.values_list("code", flat=True)) == {"LDTT", "CSTD_CS"}
    assert person_reg.movement is None and person_reg.note == "Đăng ký cá nhân"
    listing = c.get("/commendations/movements/?year=2026")
    assert {r.pk for r in listing.context["registrations"]} == {unit_reg.pk, person_reg.pk}
    assert "Người ghi" in listing.content.decode() and "khcn" in listing.content.decode()


def test_a_duplicate_registration_gets_the_models_message(client, khcn, dept, kind):
    c = _client(client, khcn)
    data = {"year": 2026, "registrant": "unit", "unit": dept.pk, "titles": [kind("TTLDXS").pk],
            "registered_on": "20/02/2026"}
    assert c.post("/commendations/registrations/new/", data).status_code == 302
    response = c.post("/commendations/registrations/new/", data)
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Cá nhân hoặc tập thể này đã đăng ký thi đua cho năm và phong trào này."]
    assert EmulationRegistration.objects.count() == 1


@pytest.mark.parametrize(("who", "codes", "field", "message"), [
    ("unit", ["LDTT"], "titles", "Không phải danh hiệu thi đua dành cho đối tượng đăng ký này: Lao động tiên tiến."),
    ("person", ["TTLDXS"], "titles",
     "Không phải danh hiệu thi đua dành cho đối tượng đăng ký này: Tập thể lao động xuất sắc."),
    ("person_missing", ["LDTT"], "person", "Chọn cá nhân đăng ký."),
    ("unit", [], "titles", None),
])
def test_it_says_what_is_wrong_with_a_registration(client, khcn, dept, an, kind, who, codes, field, message):
    data = {"year": 2026, "registered_on": "20/02/2026", "titles": [kind(c).pk for c in codes]}
    data.update({"unit": {"registrant": "unit", "unit": dept.pk}, "person": {"registrant": "person", "person": an.pk},
                 "person_missing": {"registrant": "person"}}[who])
    response = _client(client, khcn).post("/commendations/registrations/new/", data)
    assert response.status_code == 400
    errors = _errors(response, field)
    assert errors if message is None else errors == [message]
    assert not EmulationRegistration.objects.exists()


def test_a_movement_must_run_in_the_registered_year(client, khcn, dept, kind):
    old = movement_create(name="Thi đua 2024", organiser=dept, start_date=D(2024, 1, 1), end_date=D(2024, 12, 31))
    response = _client(client, khcn).post("/commendations/registrations/new/", {
        "year": 2026, "registrant": "unit", "unit": dept.pk, "titles": [kind("TTLDXS").pk], "movement": old.pk,
        "registered_on": "20/02/2026"})
    assert response.status_code == 400 and _errors(response, "movement")  # not offered for 2026
    assert not EmulationRegistration.objects.exists()


def test_registering_is_for_the_proposing_staff_of_the_subtree(client, province, dept, commune_a, kind):
    stranger = person_create(full_name="Lê Thị Xa", unit=commune_a)
    c = _client(client, make_user("khcn", Role.REPORTER, dept))
    response = c.post("/commendations/registrations/new/", {
        "year": 2026, "registrant": "person", "person": stranger.pk, "titles": [kind("LDTT").pk],
        "registered_on": "20/02/2026"})
    assert response.status_code == 400 and _errors(response, "person")  # a person outside the subtree
    response = c.post("/commendations/registrations/new/", {
        "year": 2026, "registrant": "unit", "unit": commune_a.pk, "titles": [kind("TTLDXS").pk],
        "registered_on": "20/02/2026"})
    assert response.status_code == 400 and _errors(response, "unit")
    client.logout()
    leader = _client(client, make_user("leader", Role.LEADER, province))
    assert leader.get("/commendations/movements/").context["may_register"] is False
    assert leader.get("/commendations/registrations/new/").status_code == 404
    assert leader.post("/commendations/registrations/new/", {
        "year": 2026, "registrant": "unit", "unit": dept.pk, "titles": [kind("TTLDXS").pk],
        "registered_on": "20/02/2026"}).status_code == 404
    assert not EmulationRegistration.objects.exists()


# --- the people of a unit -------------------------------------------------------------------------------------


def test_a_unit_keeps_its_people(client, khcn, dept, team, an):
    c = _client(client, khcn)
    assert c.get("/commendations/people/")["Location"] == "/commendations/units/SKHCN/people/"
    page = c.get("/commendations/units/SKHCN/people/")
    assert page.status_code == 200 and [p.full_name for p in page.context["people"]] == ["Nguyễn Văn An"]
    response = c.post("/commendations/units/SKHCN/people/", {
        "full_name": "  Lê   Thị Cúc ", "position": "Văn thư", "unit": team.pk, "gender": "female"})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Đã thêm Lê Thị Cúc vào Văn phòng Sở."]
    cuc = Person.objects.get(full_name="Lê Thị Cúc")
    assert (cuc.unit, cuc.position, cuc.gender, cuc.search_name) == (team, "Văn thư", "female", "le thi cuc")
    page = c.get("/commendations/units/SKHCN/people/")
    assert {p.full_name for p in page.context["people"]} == {"Nguyễn Văn An", "Lê Thị Cúc"}  # the subtree
    assert [p.full_name for p in c.get("/commendations/units/SKHCN-VP/people/").context["people"]] == ["Lê Thị Cúc"]

    response = c.post(f"/commendations/people/{an.pk}/edit/", {"position": "Phó Trưởng phòng", "unit": team.pk,
                                                               "gender": "male"})
    assert response.status_code == 302
    an.refresh_from_db()
    assert (an.position, an.unit, an.full_name) == ("Phó Trưởng phòng", team, "Nguyễn Văn An")


def test_a_person_who_leaves_is_kept_and_no_longer_counted(client, khcn, dept, an, binh):
    assert set(members_of(dept, 2026)) == {an, binh}
    c = _client(client, khcn)
    response = c.post(f"/commendations/people/{an.pk}/leave/", {"left_on": "30/06/2026"})
    assert response.status_code == 302
    an.refresh_from_db()
    assert an.left_on == D(2026, 6, 30)
    assert set(members_of(dept, 2026)) == {binh} and set(members_of(dept, 2025)) == {an, binh}
    page = c.get("/commendations/units/SKHCN/people/")
    assert [p.full_name for p in page.context["people"]] == ["Trần Thị Bình"] and page.context["left_count"] == 1
    everyone = c.get("/commendations/units/SKHCN/people/?left=1")
    assert {p.full_name for p in everyone.context["people"]} == {"Nguyễn Văn An", "Trần Thị Bình"}
    assert "30/06/2026" in everyone.content.decode()
    # Not offered for a new registration, and leaving twice is refused.
    assert an not in c.get("/commendations/registrations/new/").context["form"].fields["person"].queryset
    again = c.post(f"/commendations/people/{an.pk}/leave/", {"left_on": "01/07/2026"})
    assert again.status_code == 400
    assert [str(e) for e in again.context["leave_form"].errors["left_on"]] == [
        "Nguyễn Văn An đã thôi công tác tại đơn vị từ ngày 30/06/2026."]
    an.refresh_from_db()
    assert an.left_on == D(2026, 6, 30) and Person.objects.count() == 2


def test_it_says_what_is_wrong_with_a_person_and_saves_nothing(client, khcn, dept, commune_a, an):
    c = _client(client, khcn)
    response = c.post("/commendations/units/SKHCN/people/", {"full_name": "   ", "unit": dept.pk})
    assert response.status_code == 400 and _errors(response, "full_name")
    response = c.post("/commendations/units/SKHCN/people/", {"full_name": "Hồ Văn Xa", "unit": commune_a.pk})
    assert response.status_code == 400 and _errors(response, "unit")  # a unit outside the subtree
    response = c.post(f"/commendations/people/{an.pk}/edit/", {"position": "Giám đốc", "unit": commune_a.pk})
    assert response.status_code == 400 and _errors(response, "unit")
    response = c.post(f"/commendations/people/{an.pk}/leave/", {"left_on": "30/13/2026"})
    assert response.status_code == 400
    assert [str(e) for e in response.context["leave_form"].errors["left_on"]] == ["Nhập ngày theo dạng 31/12/2026."]
    an.refresh_from_db()
    assert (Person.objects.count(), an.unit, an.position, an.left_on) == (1, dept, "Chuyên viên", None)


@pytest.mark.parametrize("role_unit", ["reporter_elsewhere", "leader_province", "nobody"])
def test_people_outside_the_scope_answer_404(client, province, dept, commune_a, an, role_unit):
    user = {"reporter_elsewhere": lambda: make_user("xa", Role.REPORTER, commune_a),
            "leader_province": lambda: make_user("leader", Role.LEADER, province),
            "nobody": lambda: make_user("nobody")}[role_unit]()
    c = _client(client, user)
    assert c.get("/commendations/units/SKHCN/people/").status_code == 404
    assert c.post("/commendations/units/SKHCN/people/", {"full_name": "X", "unit": dept.pk}).status_code == 404
    assert c.get(f"/commendations/people/{an.pk}/edit/").status_code == 404
    assert c.post(f"/commendations/people/{an.pk}/edit/", {"position": "X", "unit": dept.pk}).status_code == 404
    assert c.post(f"/commendations/people/{an.pk}/leave/", {"left_on": "01/01/2026"}).status_code == 404
    assert c.get("/commendations/people/?unit=SKHCN").status_code == 404
    an.refresh_from_db()
    assert (Person.objects.count(), an.position, an.left_on) == (1, "Chuyên viên", None)


def test_the_approver_and_the_office_of_a_unit_keep_its_people_too(client, dept):
    for role in (Role.APPROVER, Role.OFFICE):
        c = _client(client, make_user(f"u-{role}", role, dept))
        assert c.get("/commendations/units/SKHCN/people/").status_code == 200
        assert c.post("/commendations/units/SKHCN/people/", {"full_name": f"Người {role}", "unit": dept.pk,
                                                             "position": ""}).status_code == 302
        client.logout()
    assert Person.objects.filter(unit=dept).count() == 2
