"""Registering documents and tasks, progress, completion and its confirmation, pause and cancel."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dieuhanh.assignments.models import Document, Occurrence, Status, Task, TaskEvent
from dieuhanh.assignments.selectors import task_rows
from dieuhanh.assignments.services import (
    comment_add,
    completion_confirm,
    completion_report,
    completion_return,
    document_create,
    progress_add,
    task_cancel,
    task_create,
    task_pause,
    task_resume,
    task_update,
)

D = datetime.date
Kind = TaskEvent.Kind
pytestmark = pytest.mark.usefixtures("english")


ISSUED = D(2026, 2, 2)


def register(office, province, number, issued_on=ISSUED, **kw):
    return document_create(user=office, number=number, issued_on=issued_on, issuer=province,
                           summary="Về việc triển khai chuyển đổi số", **kw)


# --- documents ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "stored", "type_code"),
    [("123/QĐ-UBND", "123/QĐ-UBND", "QĐ"), ("Số: 06/2026/QĐ-UBND", "06/2026/QĐ-UBND", "QĐ"),
     ("125/UBND-KT", "125/UBND-KT", "")],
)
def test_it_registers_valid_document_numbers(office, province, typed, stored, type_code):
    document = register(office, province, typed)
    assert (document.number, document.type_code, document.created_by) == (stored, type_code, office)
    assert "trien khai chuyen doi so" in document.search_text


@pytest.mark.parametrize(
    ("number", "issued_on", "expected"),
    [
        ("12/ABC-UBND", D(2026, 2, 2), "Valid types: NQ, QĐ, CT"),
        ("1/QĐ-UBND", D(2026, 2, 2), "leading zero"),
        ("06/2024/QĐ-UBND", D(2026, 2, 2), "carries the year 2024"),
    ],
)
def test_it_refuses_bad_numbers_on_the_number_field(office, province, number, issued_on, expected):
    with pytest.raises(ValidationError) as caught:
        register(office, province, number, issued_on)
    assert expected in " ".join(caught.value.message_dict["number"])
    assert not Document.objects.exists()


def test_the_same_number_twice_in_a_year_is_refused(office, province, agency):
    register(office, province, "123/QĐ-UBND", D(2026, 2, 2))
    with pytest.raises(ValidationError) as caught:
        register(office, province, "Số: 123/QĐ-UBND", D(2026, 9, 1))
    assert "already registered (issued on 02/02/2026)" in caught.value.message_dict["number"][0]
    # Numbers restart on 1 January, and another issuer has its own series.
    register(office, province, "123/QĐ-UBND", D(2025, 5, 5))
    document_create(user=office, number="123/QĐ-UBND", issued_on=D(2026, 2, 2), issuer=agency, summary="Khác")
    assert Document.objects.count() == 3


def test_a_document_needs_a_summary_a_pdf_and_a_past_date(office, province):
    with pytest.raises(ValidationError) as caught:
        document_create(user=office, number="123/QĐ-UBND", issued_on=D(2999, 1, 1), issuer=province, summary=" ",
                        attachment=SimpleUploadedFile("qd.docx", b"x"))
    assert set(caught.value.message_dict) == {"issued_on", "summary", "attachment"}


def test_only_the_office_registers_documents(lead_reporter, leader, province):
    for user in (lead_reporter, leader):
        with pytest.raises(PermissionDenied):
            register(user, province, "123/QĐ-UBND")


# --- tasks -----------------------------------------------------------------------------------------------------
def test_a_dated_task_has_one_occurrence_and_a_history(task, office, coordinating_unit):
    occurrence = task.occurrences.get()
    assert (occurrence.period_id, occurrence.original_deadline, occurrence.deadline) == ("", D(2026, 3, 31),
                                                                                       D(2026, 3, 31))
    assert list(task.coordinating_units.all()) == [coordinating_unit]
    created = task.events.get()
    assert (created.kind, created.actor, created.new_deadline) == (Kind.CREATED, office, D(2026, 3, 31))
    assert task.search_text.startswith("trien khai nen tang tich hop")


def test_a_task_may_come_from_a_meeting_instruction(make_task, instruction):
    task = make_task(instruction=instruction, assigned_on=D(2026, 1, 12))
    assert task.document is None and task.instruction == instruction


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"document": None}, "document"),  # no source at all
        ({"deadline": None}, "deadline"),
        ({"deadline": D(2026, 1, 9)}, "deadline"),  # before it was assigned
        ({"deadline_kind": "weekly"}, "deadline_kind"),
        ({"deadline_kind": "none"}, "deadline"),  # a date given for a task without deadline
        ({"assigned_on": D(2026, 1, 4)}, "assigned_on"),  # before the document was issued
        ({"product": "poem"}, "product"),
    ],
)
def test_bad_tasks_name_the_field_and_save_nothing(make_task, overrides, field):
    with pytest.raises(ValidationError) as caught:
        make_task(**overrides)
    assert field in caught.value.message_dict
    assert not Task.objects.exists() and not Occurrence.objects.exists() and not TaskEvent.objects.exists()


def test_a_task_has_one_source_only(make_task, instruction, document):
    with pytest.raises(ValidationError) as caught:
        make_task(document=document, instruction=instruction, assigned_on=D(2026, 1, 12))
    assert "document" in caught.value.message_dict


def test_the_lead_unit_cannot_also_coordinate(make_task, lead_unit):
    with pytest.raises(ValidationError) as caught:
        make_task(coordinating_units=[lead_unit])
    assert "coordinating_units" in caught.value.message_dict


def test_editing_a_task_is_recorded(task, office, finance, commune_b):
    task_update(user=office, task=task, title="Triển khai nền tảng LGSP", is_key=True, lead_unit=finance,
                coordinating_units=[commune_b])
    task.refresh_from_db()
    assert (task.title, task.is_key, task.lead_unit) == ("Triển khai nền tảng LGSP", True, finance)
    assert "lgsp" in task.search_text
    edited = task.events.get(kind=Kind.EDITED)
    assert "Triển khai nền tảng LGSP" in edited.text and "Sở Tài chính" in edited.text
    assert "Phường Long An" in edited.text


def test_the_deadline_kind_cannot_be_changed(task, office):
    with pytest.raises(ValidationError) as caught:
        task_update(user=office, task=task, deadline_kind="none")
    assert "deadline_kind" in caught.value.message_dict


# --- progress and completion -------------------------------------------------------------------------------
def test_progress_with_a_file(task, lead_reporter, lead_unit):
    occurrence = task.occurrences.get()
    event = progress_add(user=lead_reporter, occurrence=occurrence, text="Đã xây dựng dự thảo", percent=60,
                         files=[SimpleUploadedFile("du-thao.pdf", b"%PDF-1.4 test")])
    occurrence.refresh_from_db()
    assert (occurrence.percent, occurrence.version) == (60, 2)
    assert (event.kind, event.percent, event.unit) == (Kind.PROGRESS, 60, lead_unit)
    attachment = event.attachments.get()
    assert (attachment.name, attachment.size) == ("du-thao.pdf", 13)


@pytest.mark.parametrize("percent", [-1, 101, "abc", None])
def test_progress_percent_is_0_to_100(task, lead_reporter, percent):
    with pytest.raises(ValidationError) as caught:
        progress_add(user=lead_reporter, occurrence=task.occurrences.get(), text="x", percent=percent)
    assert "percent" in caught.value.message_dict


def test_completion_is_confirmed_by_the_assigner(task, lead_reporter, assigner_user):
    occurrence = task.occurrences.get()
    completion_report(user=lead_reporter, occurrence=occurrence, completed_on=D(2026, 3, 30),
                      result_note="Đã ban hành Kế hoạch", result_number="Số: 45/KH-UBND")
    occurrence.refresh_from_db()
    assert (occurrence.progress, occurrence.result_number) == (Occurrence.Progress.REPORTED, "45/KH-UBND")
    assert occurrence.status_on(D(2026, 4, 5)) == Status.OVERDUE  # not confirmed yet
    with pytest.raises(PermissionDenied):
        completion_confirm(user=lead_reporter, occurrence=occurrence)  # nobody confirms their own report
    completion_confirm(user=assigner_user, occurrence=occurrence)
    occurrence.refresh_from_db()
    assert (occurrence.progress, occurrence.percent, occurrence.confirmed_by) == (
        Occurrence.Progress.CONFIRMED, 100, assigner_user)
    assert occurrence.status_on(D(2026, 4, 5)) == Status.DONE_ON_TIME
    assert list(task.events.values_list("kind", flat=True)) == [Kind.CREATED, Kind.COMPLETION_REPORTED,
                                                               Kind.CONFIRMED]


def test_a_returned_completion_is_open_again_with_the_reason(task, lead_reporter, office, finish):
    occurrence = task.occurrences.get()
    finish(occurrence, D(2026, 3, 30), confirm=False)
    with pytest.raises(ValidationError) as caught:
        completion_return(user=office, occurrence=occurrence, reason=" ")
    assert "reason" in caught.value.message_dict
    completion_return(user=office, occurrence=occurrence, reason="Kế hoạch chưa có phần kinh phí")
    occurrence.refresh_from_db()
    assert (occurrence.progress, occurrence.completed_on) == (Occurrence.Progress.OPEN, None)
    returned = task.events.get(kind=Kind.RETURNED)
    assert (returned.text, returned.actor) == ("Kế hoạch chưa có phần kinh phí", office)
    with pytest.raises(ValidationError):
        completion_confirm(user=office, occurrence=occurrence)  # nothing to confirm any more
    finish(occurrence, D(2026, 4, 3))  # reported again, confirmed
    assert occurrence.status_on(D(2026, 4, 3)) == Status.DONE_LATE


@pytest.mark.parametrize(
    ("completed_on", "note", "number", "field"),
    [(None, "Xong", "", "completed_on"), (D(2999, 1, 1), "Xong", "", "completed_on"),
     (D(2026, 1, 9), "Xong", "", "completed_on"), (D(2026, 3, 1), " ", "", "result_note"),
     (D(2026, 3, 1), "Xong", "45/XX-UBND", "result_number")],
)
def test_bad_completion_reports_name_the_field(task, lead_reporter, completed_on, note, number, field):
    occurrence = task.occurrences.get()
    with pytest.raises(ValidationError) as caught:
        completion_report(user=lead_reporter, occurrence=occurrence, completed_on=completed_on, result_note=note,
                          result_number=number)
    assert field in caught.value.message_dict
    occurrence.refresh_from_db()
    assert occurrence.progress == Occurrence.Progress.OPEN


def test_completion_cannot_be_reported_twice(task, finish, lead_reporter):
    occurrence = finish(task.occurrences.get(), D(2026, 3, 1), confirm=False)
    with pytest.raises(ValidationError):
        completion_report(user=lead_reporter, occurrence=occurrence, completed_on=D(2026, 3, 2), result_note="x")


# --- pause, cancel: nothing deleted ---------------------------------------------------------------------------
def test_pause_and_cancel_need_a_reason(task, office):
    for action in (task_pause, task_cancel):
        with pytest.raises(ValidationError) as caught:
            action(user=office, task=task, reason="  ")
        assert "reason" in caught.value.message_dict
    task.refresh_from_db()
    assert task.state == Task.State.ACTIVE


def test_a_paused_task_takes_no_progress_until_resumed(task, office, lead_reporter):
    task_pause(user=office, task=task, reason="Chờ ý kiến Bộ")
    occurrence = task.occurrences.get()
    with pytest.raises(ValidationError, match="paused"):
        progress_add(user=lead_reporter, occurrence=occurrence, text="x", percent=10)
    task_resume(user=office, task=task)
    progress_add(user=lead_reporter, occurrence=occurrence, text="Tiếp tục", percent=10)


def test_a_cancelled_task_stays_on_record(task, office, lead_reporter, assigner_user):
    from dieuhanh.assignments.services import extension_request

    occurrence = task.occurrences.get()
    pending = extension_request(user=lead_reporter, occurrence=occurrence, requested_deadline=D(2026, 5, 1),
                                reason="Chờ")
    task_cancel(user=office, task=task, reason="Đã có văn bản thay thế")
    task.refresh_from_db()
    pending.refresh_from_db()
    assert task.state == Task.State.CANCELLED and task.state_since is not None
    assert pending.decision == "rejected"
    assert Task.objects.count() == 1 and Occurrence.objects.count() == 1
    assert task.events.get(kind=Kind.CANCELLED).text == "Đã có văn bản thay thế"
    for call in (lambda: task_update(user=office, task=task, title="x"),
                 lambda: task_pause(user=office, task=task, reason="x"),
                 lambda: task_cancel(user=office, task=task, reason="x"),
                 lambda: completion_report(user=lead_reporter, occurrence=occurrence, completed_on=D(2026, 3, 1),
                                           result_note="x")):
        with pytest.raises(ValidationError):
            call()


def test_a_task_cannot_be_paused_in_the_future(task, office):
    with pytest.raises(ValidationError) as caught:
        task_pause(user=office, task=task, reason="x", on=D(2999, 1, 1))
    assert "on" in caught.value.message_dict


# --- lists -----------------------------------------------------------------------------------------------------
def test_lists_filter_and_search_without_diacritics(make_task, office, finance, finish):
    dated = make_task(title="Xây dựng Kế hoạch chuyển đổi số năm 2026", is_key=True)
    late = make_task(title="Báo cáo đánh giá an toàn thông tin", lead_unit=finance, deadline=D(2026, 2, 28))
    finish(dated.occurrences.get(), D(2026, 3, 1))
    on = D(2026, 3, 15)

    def titles(**kw):
        return [row.task.title for row in task_rows(office, on=on, **kw)]

    assert titles() == ["Báo cáo đánh giá an toàn thông tin", "Xây dựng Kế hoạch chuyển đổi số năm 2026"]
    assert titles(q="chuyen doi so") == titles(q="chuyển đổi SỐ") == ["Xây dựng Kế hoạch chuyển đổi số năm 2026"]
    assert titles(q="an toan 2026") == []
    assert titles(unit=finance) == titles(status=Status.OVERDUE) == ["Báo cáo đánh giá an toàn thông tin"]
    assert titles(key_only=True) == titles(status=[Status.DONE_ON_TIME]) == [dated.title]
    assert titles(deadline_from=D(2026, 3, 1), deadline_to=D(2026, 3, 31)) == [dated.title]
    assert [row.status for row in task_rows(office, on=on, q="bao cao")] == [Status.OVERDUE]
    assert late.pk


def test_comments_are_in_the_history(task, coord_reporter, coordinating_unit):
    event = comment_add(user=coord_reporter, task=task, text="Xã Hưng Điền đã gửi số liệu")
    assert (event.kind, event.unit, event.occurrence) == (Kind.COMMENT, coordinating_unit, None)
    with pytest.raises(ValidationError):
        comment_add(user=coord_reporter, task=task, text="")


def test_a_task_for_a_unit_outside_the_office_is_refused(office, assigner, document, outsider):
    from dieuhanh.orgunits.models import OrgUnit
    from dieuhanh.orgunits.services import orgunit_create

    elsewhere = orgunit_create(code="HN", name="Hà Nội", kind=OrgUnit.Kind.PROVINCE)
    with pytest.raises(PermissionDenied):
        task_create(user=office, title="x", assigner=assigner, assigned_on=D(2026, 1, 10), lead_unit=elsewhere,
                    deadline_kind="none", document=document)


# --- admin -------------------------------------------------------------------------------------------------------
def test_admin_shows_tasks_read_only(client, task, lead_reporter):
    from django.contrib.auth import get_user_model

    admin_client = client
    admin_client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "pass-123456"))
    progress_add(user=lead_reporter, occurrence=task.occurrences.get(), text="Đã xây dựng dự thảo", percent=40)
    for name in ("task", "document", "taskevent", "extension", "instruction", "assigner"):
        assert admin_client.get(f"/admin/assignments/{name}/").status_code == 200
    page = admin_client.get(f"/admin/assignments/task/{task.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Đã xây dựng dự thảo" in html and 'name="title"' not in html  # history shown, nothing editable
    assert admin_client.get("/admin/assignments/task/add/").status_code == 403
    assert admin_client.post(f"/admin/assignments/task/{task.pk}/delete/").status_code == 403
    assert Task.objects.filter(pk=task.pk).exists()
