"""Tasks as Excel: the list export in the official layout, the import template, and the all-or-nothing import."""

import datetime
import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from dieuhanh.accounts.models import Role
from dieuhanh.assignments import services
from dieuhanh.assignments.models import Assigner, Document, Occurrence, Status, Task
from dieuhanh.assignments.xlsx import EXPORT_COLUMNS, EXPORT_HEADER_ROW, IMPORT_COLUMNS, IMPORT_HEADER_ROW
from dieuhanh.conftest import make_user
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.orgunits.services import orgunit_create

HEADER = [title for _key, title in IMPORT_COLUMNS]
FIRST = IMPORT_HEADER_ROW + 1  # the first task row: 5


@pytest.fixture(autouse=True)
def english(client):
    # Assertions are on the English msgids; the Vietnamese catalogue arrives later.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # as the language switcher sets it
    with translation.override("en"):
        yield


@pytest.fixture
def chairman(province):
    return Assigner.objects.create(name="Nguyễn Văn A", position="Chủ tịch UBND tỉnh", orgunit=province)


def save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def sheet(*rows, header=HEADER) -> bytes:
    """A workbook laid out like the template: title rows, the header on row 4, tasks from row 5."""
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "DANH SÁCH NHIỆM VỤ GIAO (MẪU NHẬP)"
    for col, title in enumerate(header, start=1):
        ws.cell(IMPORT_HEADER_ROW, col, title)
    for r, row in enumerate(rows, start=FIRST):
        for col, value in enumerate(row, start=1):
            ws.cell(r, col, value)
    return save(wb)


def task_row(title="Xây dựng Kế hoạch chuyển đổi số năm 2026", number="123/QĐ-UBND", issued="03/02/2026",
             lead="SKHCN", coordinating="XA-A; Phường Long An", deadline="31/03/2026", key="x", product="Kế hoạch",
             sector="VT", summary=""):
    return [title, number, issued, lead, coordinating, deadline, key, product, sector, summary]


def upload(client, data: bytes, assigner, name="tasks.xlsx"):
    f = io.BytesIO(data)
    f.name = name
    return client.post(reverse("assignments:import"), {"file": f, "assigner": assigner.pk})


def errors_of(response) -> list[str]:
    assert response.status_code == 400, response.status_code
    return [str(e) for e in response.context["errors"]]


@pytest.fixture
def logged_office(client, office, chairman, agency, commune_a, commune_b, ict_sector):
    client.force_login(office)
    return client


# --- a good import ----------------------------------------------------------------------------------------------------
def test_it_imports_tasks_with_their_documents_and_occurrences(logged_office, office, chairman, agency, commune_a,
                                                               commune_b):
    existing = services.document_create(user=office, number="45/KH-UBND", issued_on=datetime.date(2026, 1, 10),
                                        issuer=chairman.orgunit, summary="Kế hoạch chuyển đổi số")
    data = sheet(
        task_row(),
        task_row(title="Triển khai nền tảng tích hợp, chia sẻ dữ liệu của tỉnh", lead="Xã Hưng Điền",
                 coordinating="", deadline=None, key=None, product="Nền tảng LGSP", sector=None),
        task_row(title="Báo cáo kết quả thực hiện", number="Số: 45/KH-UBND", issued=None, lead="XA-B",
                 coordinating=None, deadline=datetime.datetime(2026, 6, 30), key=None, product=None),
    )
    response = upload(logged_office, data, chairman)
    assert response.status_code == 302, response.context and response.context["errors"]
    tasks = list(Task.objects.order_by("id"))
    assert len(tasks) == 3
    first, second, third = tasks
    assert first.document.number == "123/QĐ-UBND" and first.document.issued_on == datetime.date(2026, 2, 3)
    assert first.document.issuer == chairman.orgunit
    assert first.lead_unit == agency and set(first.coordinating_units.all()) == {commune_a, commune_b}
    assert first.is_key and first.product == Task.Product.PLAN and first.sector.code == "VT"
    assert first.assigner == chairman and first.assigned_on == datetime.date(2026, 2, 3)
    assert second.document == first.document  # one document for both rows
    assert second.deadline_kind == Task.DeadlineKind.NONE and second.lead_unit == commune_a
    assert second.product == Task.Product.OTHER and second.product_note == "Nền tảng LGSP"
    assert third.document == existing and third.deadline_kind == Task.DeadlineKind.DATE
    assert Document.objects.count() == 2
    occurrences = {o.task_id: o for o in Occurrence.objects.all()}
    assert len(occurrences) == 3
    assert occurrences[first.pk].deadline == datetime.date(2026, 3, 31)
    assert occurrences[first.pk].status_on(datetime.date(2026, 3, 31)) == Status.IN_PROGRESS
    assert occurrences[second.pk].deadline is None
    assert occurrences[third.pk].deadline == datetime.date(2026, 6, 30)


def test_it_offers_a_template_that_imports_once_filled(logged_office, chairman):
    response = logged_office.get(reverse("assignments:import_template"))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    assert [ws.cell(IMPORT_HEADER_ROW, c).value for c in range(1, len(HEADER) + 1)] == HEADER
    assert ws["F4"].value.startswith("Thời hạn (dd/mm/yyyy")
    assert ws.freeze_panes == f"A{FIRST}"
    reference = wb["Danh mục"]
    codes = [reference.cell(r, 1).value for r in range(2, reference.max_row + 1)]
    assert "SKHCN" in codes and "XA-A" in codes
    for col, value in enumerate(task_row(), start=1):
        ws.cell(FIRST, col, value)
    assert upload(logged_office, save(wb), chairman).status_code == 302
    assert Task.objects.count() == 1


# --- bad imports: every one leaves nothing behind ---------------------------------------------------------------------
@pytest.mark.parametrize("rows, expected", [
    ([task_row(issued="abc")], "Cell C5: 'abc' is not a date"),
    ([task_row(), task_row(deadline="31/02/2026")], "Cell F6: '31/02/2026' is not a date"),
    ([task_row(lead="Sở Không Có")], "Cell D5: 'Sở Không Có' is not a unit in your scope"),
    ([task_row(coordinating="XA-A; XA-Z")], "Cell E5: 'XA-Z' is not a unit in your scope"),
    ([task_row(number="123/QD-UBND")], "Cell B5: '123/QD-UBND': 'QD' is not a document type of Decree 30. "
                                       "Valid types: NQ, QĐ, CT"),
    ([task_row(number="")], "Cell B5: the document number is missing"),
    ([task_row(), task_row(title=None)], "Cell A6: the task (Nội dung nhiệm vụ) is missing"),
    ([task_row(), task_row()], "Row 6 repeats row 5"),
    ([task_row(key="có lẽ")], "Cell G5: write x for a key task"),
    ([task_row(sector="Nông nghiệp")], "Cell I5: 'Nông nghiệp' is not a sector"),
    ([task_row(deadline="01/01/2026")], "Cell F5: the deadline 01/01/2026 is before the document's date 03/02/2026"),
    ([task_row(issued=None)], "Cell C5: document 123/QĐ-UBND is not registered yet; enter its date"),
    ([task_row(), task_row(title="Khác", issued="04/02/2026")], "Cell C6: document 123/QĐ-UBND has the date "
                                                                "03/02/2026 in row 5"),
    ([task_row(deadline="=DATE(2026,3,31)")], "Cell F5 holds a formula (=DATE(2026,3,31))"),
    ([task_row(lead="XA-A", coordinating="XA-A")], "Cell E5: XA-A is the lead unit"),
    ([], "The file has no tasks"),
])
def test_it_refuses_a_bad_workbook_naming_the_cell(logged_office, chairman, rows, expected):
    errors = errors_of(upload(logged_office, sheet(*rows), chairman))
    assert any(e.startswith(expected) for e in errors), errors
    assert Task.objects.count() == 0 and Document.objects.count() == 0 and Occurrence.objects.count() == 0


def test_it_lists_every_problem_at_once(logged_office, chairman):
    errors = errors_of(upload(logged_office, sheet(task_row(issued="abc"), task_row(title="B", lead="??")), chairman))
    assert [e.split(":")[0] for e in errors] == ["Cell C5", "Cell D6"]


def test_it_refuses_a_wrong_header(logged_office, chairman):
    header = HEADER.copy()
    header[3] = "Đơn vị"
    errors = errors_of(upload(logged_office, sheet(task_row(), header=header), chairman))
    assert errors[0].startswith("Cell D4: the column must be titled 'Đơn vị chủ trì (mã hoặc tên)'")
    errors = errors_of(upload(logged_office, sheet(task_row(), header=["STT", "Tên"]), chairman))
    assert errors[0].startswith("No header row found")


def test_it_refuses_what_is_not_a_spreadsheet(logged_office, chairman):
    errors = errors_of(upload(logged_office, b"STT,Noi dung\n1,abc\n", chairman, name="tasks.csv"))
    assert errors == ["The file is not an Excel workbook (.xlsx) that can be read"]
    assert Task.objects.count() == 0


def test_it_refuses_a_file_over_the_size_limit(logged_office, chairman, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    errors = errors_of(upload(logged_office, sheet(task_row()), chairman))
    assert errors[0].startswith("The file is ") and "over the limit" in errors[0]
    assert Task.objects.count() == 0


def test_it_refuses_a_task_already_registered(logged_office, chairman):
    assert upload(logged_office, sheet(task_row()), chairman).status_code == 302
    errors = errors_of(upload(logged_office, sheet(task_row(title="Mới"), task_row()), chairman))
    assert errors == ["Row 6: this task of document 123/QĐ-UBND is already registered for SKHCN"]
    assert Task.objects.count() == 1  # the new row of the second file was not saved either


def test_it_refuses_a_date_other_than_the_registered_documents(logged_office, chairman):
    assert upload(logged_office, sheet(task_row()), chairman).status_code == 302
    errors = errors_of(upload(logged_office, sheet(task_row(title="Khác", issued="05/02/2026")), chairman))
    assert errors == ["Cell C5: document 123/QĐ-UBND is registered with the date 03/02/2026"]


# --- who may import ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["leader", "reporter_a", "outsider"])
def test_it_answers_404_to_anyone_but_the_office(client, request, who, chairman):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("assignments:import")).status_code == 404
    assert client.get(reverse("assignments:import_template")).status_code == 404
    assert upload(client, sheet(task_row()), chairman).status_code == 404
    assert Task.objects.count() == 0


def test_it_refuses_a_lead_unit_outside_the_offices_scope(client, commune_a, commune_b, chairman):
    client.force_login(make_user("office_a", Role.OFFICE, commune_a))
    errors = errors_of(upload(client, sheet(task_row(lead="XA-B", coordinating=None, sector=None)), chairman))
    assert errors[0].startswith("Cell D5: 'XA-B' is not a unit in your scope")


# --- export -----------------------------------------------------------------------------------------------------------
def test_it_exports_the_list_in_the_official_layout(logged_office, chairman):
    assert upload(logged_office, sheet(
        task_row(),
        task_row(title="Triển khai nền tảng tích hợp, chia sẻ dữ liệu của tỉnh", lead="XA-A", coordinating=None,
                 deadline=None),
    ), chairman).status_code == 302
    response = logged_office.get(reverse("assignments:export"), {"on": "2026-04-02"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert ws["A1"].value == "DANH SÁCH NHIỆM VỤ UBND TỈNH GIAO"
    headers = [ws.cell(EXPORT_HEADER_ROW, c).value for c in range(1, len(EXPORT_COLUMNS) + 1)]
    assert headers == ["STT", "Nội dung nhiệm vụ", "Văn bản giao", "Đơn vị chủ trì", "Thời hạn",
                       "Tình hình thực hiện", "Kết quả"]
    assert ws.freeze_panes == f"A{EXPORT_HEADER_ROW + 1}"
    rows = {ws.cell(r, 2).value: [ws.cell(r, c).value for c in range(1, 8)]
            for r in range(EXPORT_HEADER_ROW + 1, ws.max_row + 1)}
    plan = rows["Xây dựng Kế hoạch chuyển đổi số năm 2026"]
    assert "123/QĐ-UBND" in plan[2] and "03/02/2026" in plan[2]
    assert plan[3] == "Sở Khoa học và Công nghệ" and plan[4] == "31/03/2026"
    with translation.override("vi"):  # the official layout is Vietnamese whatever the page language
        overdue, no_deadline = str(Status.OVERDUE.label), str(Task.DeadlineKind.NONE.label)
    assert plan[6].startswith(overdue)
    assert rows["Triển khai nền tảng tích hợp, chia sẻ dữ liệu của tỉnh"][4] == no_deadline
    cell = ws.cell(EXPORT_HEADER_ROW + 1, 2)
    assert cell.font.name == "Times New Roman" and cell.alignment.wrap_text and cell.border.left.style == "thin"
    assert sorted(r[0] for r in rows.values()) == [1, 2]


def test_it_exports_only_the_filtered_rows_in_scope(logged_office, chairman, reporter_a, client, commune_a):
    assert upload(logged_office, sheet(
        task_row(coordinating="XA-B"), task_row(title="Việc của xã", lead="XA-A", coordinating=None)),
        chairman).status_code == 302
    response = logged_office.get(reverse("assignments:export"), {"unit": commune_a.pk})
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [ws.cell(r, 2).value for r in range(EXPORT_HEADER_ROW + 1, ws.max_row + 1)] == ["Việc của xã"]
    client.force_login(reporter_a)
    ws = load_workbook(io.BytesIO(client.get(reverse("assignments:export")).content)).active
    assert [ws.cell(r, 2).value for r in range(EXPORT_HEADER_ROW + 1, ws.max_row + 1)] == ["Việc của xã"]


def test_it_refuses_more_tasks_than_one_file_may_hold(logged_office, chairman, monkeypatch):
    monkeypatch.setattr("dieuhanh.assignments.xlsx.MAX_IMPORT_ROWS", 2)
    rows = [task_row(title=f"Nhiệm vụ {i}") for i in range(3)]
    errors = errors_of(upload(logged_office, sheet(*rows), chairman))
    assert errors == ["The file has more than 2 tasks; split it into several files"]
    assert Task.objects.count() == 0


def test_it_answers_400_to_a_bad_filter(logged_office):
    response = logged_office.get(reverse("assignments:export"), {"deadline_from": "2026-05-01",
                                                                   "deadline_to": "2026-04-01"})
    assert response.status_code == 400
    assert "before its start" in response.content.decode()


def test_it_names_the_cell_of_what_the_services_refuse(logged_office, chairman):
    future = (timezone.localdate() + datetime.timedelta(days=30)).strftime("%d/%m/%Y")
    deadline = (timezone.localdate() + datetime.timedelta(days=60)).strftime("%d/%m/%Y")
    errors = errors_of(upload(logged_office, sheet(task_row(), task_row(title="Khác", number="140/QĐ-UBND",
                                                                        issued=future, deadline=deadline)), chairman))
    assert len(errors) == 1 and errors[0].startswith("Cell C6: The date issued") and "future" in errors[0], errors
    assert Task.objects.count() == 0 and Document.objects.count() == 0  # row 5 was rolled back with row 6


@pytest.mark.parametrize("post, expected", [
    ({"assigner": "999999"}, "Choose who assigned the tasks"),
    ({}, "Choose an Excel file (.xlsx) to import"),
])
def test_it_asks_for_the_file_and_the_assigner(logged_office, chairman, post, expected):
    data = {"assigner": chairman.pk, **post}
    if "assigner" in post:
        f = io.BytesIO(sheet(task_row()))
        f.name = "tasks.xlsx"
        data["file"] = f
    assert errors_of(logged_office.post(reverse("assignments:import"), data)) == [expected]


def test_it_finds_a_unit_whose_code_lost_its_leading_zeros(logged_office, chairman, province):
    ward = orgunit_create(code="00004", name="Phường Ba Đình", kind=OrgUnit.Kind.COMMUNE, parent=province)
    assert upload(logged_office, sheet(task_row(lead=4, coordinating=None)), chairman).status_code == 302
    assert Task.objects.get().lead_unit == ward
