"""The task pages through Django's client: who may open and act (200/302/404, never 403), the list's filters and
search without diacritics, each action changing the task's state, and bad input re-shown with nothing saved."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dieuhanh.assignments.models import Attachment, Document, Extension, Occurrence, Task, TaskEvent
from dieuhanh.assignments.services import completion_report, extension_request, progress_add

pytestmark = pytest.mark.django_db
D = datetime.date

READERS = ["office", "leader", "lead_reporter", "coord_reporter", "assigner_user"]
STRANGERS = ["outsider_reporter", "outsider"]


def as_user(client, request, name):
    if name != "anonymous":
        client.force_login(request.getfixturevalue(name))
    return client


def occurrence_of(task) -> Occurrence:
    return task.occurrences.get()


# --- who may open what ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [*READERS, *STRANGERS, "anonymous"])
def test_it_shows_a_task_only_to_those_in_its_scope(client, request, task, name):
    response = as_user(client, request, name).get(reverse("assignments:task_detail", args=[task.pk]))
    if name == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    elif name in STRANGERS:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert task.title in response.content.decode()


@pytest.mark.parametrize("name", [*READERS, *STRANGERS])
def test_it_lists_only_tasks_in_scope(client, request, task, name):
    response = as_user(client, request, name).get(reverse("assignments:task_list"))
    assert response.status_code == 200
    assert (task.title in response.content.decode()) == (name in READERS)


@pytest.mark.parametrize("url_name", ["task_create", "document_create"])
@pytest.mark.parametrize("name,expected", [
    ("office", 200), ("leader", 404), ("lead_reporter", 404), ("coord_reporter", 404), ("outsider", 404),
])
def test_only_the_office_registers(client, request, url_name, name, expected):
    response = as_user(client, request, name).get(reverse(f"assignments:{url_name}"))
    assert response.status_code == expected


# Who may post each action on the task: everyone else gets 404 and nothing changes.
ACTION_MATRIX = {
    "progress": {"lead_reporter"},
    "complete": {"lead_reporter"},
    "extension": {"lead_reporter"},
    "comment": {"lead_reporter", "coord_reporter", "office", "assigner_user"},
    "pause": {"office"},
    "cancel": {"office"},
}


@pytest.mark.parametrize("action,name", [
    (action, name) for action, allowed in ACTION_MATRIX.items() for name in (*READERS, *STRANGERS)
    if name not in allowed  # the allowed ones are the action tests below
])
def test_actions_by_others_answer_404_and_change_nothing(client, request, task, action, name):
    occurrence = occurrence_of(task)
    data = {
        f"{action}-occurrence": occurrence.pk, f"{action}-text": "x", f"{action}-percent": "50",
        f"{action}-completed_on": "2026-03-20", f"{action}-result_note": "x", f"{action}-reason": "x",
        f"{action}-requested_deadline": "2026-12-31",
    }
    events = TaskEvent.objects.count()
    response = as_user(client, request, name).post(reverse("assignments:task_action", args=[task.pk, action]), data)
    assert response.status_code == 404
    assert TaskEvent.objects.count() == events


@pytest.mark.parametrize("name", ["lead_reporter", "coord_reporter", *STRANGERS])
def test_only_the_assigner_or_office_confirms(client, request, task, lead_reporter, name):
    occurrence = occurrence_of(task)
    completion_report(user=lead_reporter, occurrence=occurrence, completed_on=D(2026, 3, 20), result_note="Xong")
    response = as_user(client, request, name).post(
        reverse("assignments:task_action", args=[task.pk, "confirm"]), {"confirm-occurrence": occurrence.pk})
    assert response.status_code == 404
    assert Occurrence.objects.get(pk=occurrence.pk).progress == Occurrence.Progress.REPORTED


def test_the_detail_page_offers_only_the_forms_the_user_may_use(client, task, lead_reporter, coord_reporter, leader):
    url = reverse("assignments:task_detail", args=[task.pk])
    client.force_login(lead_reporter)
    page = client.get(url).content.decode()
    assert 'id="action-progress"' in page and 'id="action-complete"' in page and 'id="action-extension"' in page
    assert 'id="action-confirm"' not in page and 'id="action-manage"' not in page
    client.force_login(coord_reporter)
    page = client.get(url).content.decode()
    assert 'id="action-comment"' in page and 'id="action-progress"' not in page
    client.force_login(leader)
    page = client.get(url).content.decode()
    assert 'id="read-only"' in page and "<form method=\"post\" action=\"/tasks/" not in page


def test_another_units_attachment_is_404(client, task, lead_reporter, outsider_reporter, coord_reporter):
    upload = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 tien do", content_type="application/pdf")
    event = progress_add(user=lead_reporter, occurrence=occurrence_of(task), text="Đang làm", percent=30,
                         files=[upload])
    attachment = Attachment.objects.get(event=event)
    url = reverse("assignments:attachment", args=[attachment.pk])
    client.force_login(outsider_reporter)
    assert client.get(url).status_code == 404
    client.force_login(coord_reporter)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 tien do"


# --- the list ---------------------------------------------------------------------------------------------------

@pytest.fixture
def several(make_task, finance, instruction, ict_sector):
    return {
        "plan": make_task(title="Xây dựng Kế hoạch chuyển đổi số năm 2026", is_key=True, deadline=D(2026, 3, 31)),
        "lgsp": make_task(title="Triển khai nền tảng tích hợp, chia sẻ dữ liệu của tỉnh", deadline=D(2026, 12, 31),
                          sector=ict_sector),
        "budget": make_task(title="Bố trí kinh phí cho hạ tầng số", lead_unit=finance, coordinating_units=[],
                            deadline=D(2026, 6, 30)),
        "meeting": make_task(title="Rà soát thủ tục hành chính trực tuyến", instruction=instruction,
                             assigned_on=D(2026, 1, 13), deadline_kind="none", deadline=None),
    }


def titles(response) -> set[str]:
    return {row.task.title for row in response.context["page"].object_list}


def test_the_list_filters(client, office, several, finance, document, ict_sector):
    client.force_login(office)
    url = reverse("assignments:task_list")
    everything = titles(client.get(url))
    assert everything == {t.title for t in several.values()}
    assert titles(client.get(url, {"unit": finance.pk})) == {several["budget"].title}
    assert titles(client.get(url, {"key_only": "on"})) == {several["plan"].title}
    assert titles(client.get(url, {"sector": ict_sector.pk})) == {several["lgsp"].title}
    assert titles(client.get(url, {"document": document.pk})) == everything - {several["meeting"].title}
    assert titles(client.get(url, {"deadline_from": "2026-06-01", "deadline_to": "30/06/2026"})) == {
        several["budget"].title}
    # Status on a date: on 1/4/2026 the plan is overdue, the others still within their deadline or without one.
    on_april = {"on": "2026-04-01"}
    assert titles(client.get(url, {**on_april, "status": "overdue"})) == {several["plan"].title}
    assert titles(client.get(url, {**on_april, "status": "in_progress"})) == {
        several["lgsp"].title, several["budget"].title}
    assert titles(client.get(url, {**on_april, "status": "no_deadline"})) == {several["meeting"].title}
    counts = dict(client.get(url, {**on_april, "status": "overdue"}).context["status_counts"])
    assert counts["overdue"] == 1 and counts["in_progress"] == 2 and counts["no_deadline"] == 1


def test_the_list_rejects_a_reversed_deadline_range(client, office, several):
    client.force_login(office)
    response = client.get(reverse("assignments:task_list"),
                          {"deadline_from": "2026-12-01", "deadline_to": "2026-01-01"})
    assert response.status_code == 200
    assert 'id="filter-errors"' in response.content.decode()
    assert titles(response) == set()


@pytest.mark.parametrize("q", ["chuyen doi so", "CHUYỂN ĐỔI SỐ", "chuyển đổi", "ke hoach chuyen"])
def test_search_finds_with_or_without_diacritics(client, office, several, q):
    client.force_login(office)
    assert titles(client.get(reverse("assignments:task_list"), {"q": q})) == {several["plan"].title}


def test_the_list_shows_the_original_deadline_struck_through(client, office, lead_reporter, several):
    from dieuhanh.assignments.services import extension_decide

    occurrence = occurrence_of(several["lgsp"])
    extension = extension_request(user=lead_reporter, occurrence=occurrence, requested_deadline=D(2027, 2, 28),
                                  reason="Chờ kinh phí")
    extension_decide(user=office, extension=extension, approve=True)
    client.force_login(office)
    page = client.get(reverse("assignments:task_list"), {"q": "nen tang"}).content.decode()
    assert "<del" in page and "31/12/2026</del>" in page and "28/02/2027" in page


def test_the_htmx_request_gets_only_the_results(client, office, several):
    client.force_login(office)
    response = client.get(reverse("assignments:task_list"), {"q": "kinh phi"},
                          headers={"HX-Request": "true", "HX-Target": "task-results"})
    body = response.content.decode()
    assert "<html" not in body and several["budget"].title in body and several["plan"].title not in body


# --- actions ----------------------------------------------------------------------------------------------------

def post(client, task, action, data, files=None):
    payload = {f"{action}-{k}": v for k, v in data.items()}
    if files:
        payload[f"{action}-files"] = files
    return client.post(reverse("assignments:task_action", args=[task.pk, action]), payload)


def test_progress_with_files_updates_the_percent(client, task, lead_reporter):
    client.force_login(lead_reporter)
    occurrence = occurrence_of(task)
    files = [SimpleUploadedFile("a.pdf", b"%PDF-a"), SimpleUploadedFile("b.docx", b"docx")]
    response = post(client, task, "progress", {"occurrence": occurrence.pk, "text": "Đã lấy ý kiến các sở",
                                                "percent": "60"}, files)
    assert response.status_code == 302
    occurrence.refresh_from_db()
    assert occurrence.percent == 60
    event = TaskEvent.objects.get(task=task, kind="progress")
    assert sorted(a.name for a in event.attachments.all()) == ["a.pdf", "b.docx"]
    page = client.get(response["Location"]).content.decode()
    assert "Đã lấy ý kiến các sở" in page and "a.pdf" in page


def test_bad_progress_is_reshown_and_nothing_saved(client, task, lead_reporter):
    client.force_login(lead_reporter)
    occurrence = occurrence_of(task)
    response = post(client, task, "progress", {"occurrence": occurrence.pk, "text": "Đang làm", "percent": "150"})
    assert response.status_code == 400
    assert 'id="id_progress-percent-error"' in response.content.decode()
    assert "Tỷ lệ phần trăm phải từ 0 đến 100." in response.content.decode()
    assert "Đang làm" in response.content.decode()  # what was typed is kept
    assert not TaskEvent.objects.filter(kind="progress").exists()
    occurrence.refresh_from_db()
    assert occurrence.percent == 0


def test_a_coordinating_unit_comments(client, task, coord_reporter):
    client.force_login(coord_reporter)
    response = post(client, task, "comment", {"text": "Xã Hưng Điền đã gửi số liệu"})
    assert response.status_code == 302
    assert TaskEvent.objects.get(task=task, kind="comment").unit == coord_reporter.role_assignments.get().orgunit


def test_completion_reported_then_confirmed(client, task, lead_reporter, assigner_user):
    client.force_login(lead_reporter)
    occurrence = occurrence_of(task)
    response = post(client, task, "complete", {"occurrence": occurrence.pk, "completed_on": "2026-03-25",
                                                "result_note": "Kế hoạch đã ban hành", "result_number": "45/KH-UBND"})
    assert response.status_code == 302
    occurrence.refresh_from_db()
    assert occurrence.progress == "reported" and occurrence.result_number == "45/KH-UBND"
    client.force_login(assigner_user)
    assert 'id="action-confirm"' in client.get(reverse("assignments:task_detail", args=[task.pk])).content.decode()
    response = post(client, task, "confirm", {"occurrence": occurrence.pk})
    assert response.status_code == 302
    occurrence.refresh_from_db()
    assert occurrence.progress == "confirmed" and occurrence.status_on(D(2026, 4, 1)) == "done_on_time"


def test_a_bad_result_number_is_refused(client, task, lead_reporter):
    client.force_login(lead_reporter)
    occurrence = occurrence_of(task)
    response = post(client, task, "complete", {"occurrence": occurrence.pk, "completed_on": "2026-03-25",
                                                "result_note": "Xong", "result_number": "45/XYZ-UBND"})
    assert response.status_code == 400
    assert "KH" in response.content.decode()  # the valid types are listed
    occurrence.refresh_from_db()
    assert occurrence.progress == "open"


def test_the_office_returns_a_completion_with_a_reason(client, task, lead_reporter, office):
    occurrence = occurrence_of(task)
    completion_report(user=lead_reporter, occurrence=occurrence, completed_on=D(2026, 3, 20), result_note="Xong")
    client.force_login(office)
    response = post(client, task, "return", {"occurrence": occurrence.pk, "reason": ""})
    assert response.status_code == 400
    assert Occurrence.objects.get(pk=occurrence.pk).progress == "reported"
    response = post(client, task, "return", {"occurrence": occurrence.pk, "reason": "Thiếu phụ lục kinh phí"})
    assert response.status_code == 302
    assert Occurrence.objects.get(pk=occurrence.pk).progress == "open"
    assert TaskEvent.objects.get(task=task, kind="returned").text == "Thiếu phụ lục kinh phí"


def test_an_extension_requested_and_approved_moves_the_deadline(client, task, lead_reporter, assigner_user):
    client.force_login(lead_reporter)
    occurrence = occurrence_of(task)
    response = post(client, task, "extension", {"occurrence": occurrence.pk, "requested_deadline": "30/04/2026",
                                                 "reason": "Chờ ý kiến Bộ"})
    assert response.status_code == 302
    extension = Extension.objects.get(occurrence=occurrence)
    client.force_login(assigner_user)
    url = reverse("assignments:extension_decide", args=[task.pk, extension.pk])
    response = client.post(url, {f"decide-{extension.pk}-decision": "approve"})
    assert response.status_code == 302
    occurrence.refresh_from_db()
    assert occurrence.deadline == D(2026, 4, 30) and occurrence.original_deadline == D(2026, 3, 31)
    page = client.get(reverse("assignments:task_detail", args=[task.pk])).content.decode()
    assert 'data-kind="extension_approved"' in page and "31/03/2026</del>" in page


def test_an_extension_rejected_needs_a_reason(client, task, lead_reporter, office):
    occurrence = occurrence_of(task)
    extension = extension_request(user=lead_reporter, occurrence=occurrence, requested_deadline=D(2026, 5, 1),
                                  reason="Chờ")
    client.force_login(office)
    url = reverse("assignments:extension_decide", args=[task.pk, extension.pk])
    assert client.post(url, {f"decide-{extension.pk}-decision": "reject"}).status_code == 400
    assert Extension.objects.get(pk=extension.pk).decision == "pending"
    assert client.post(url, {f"decide-{extension.pk}-decision": "reject",
                             f"decide-{extension.pk}-note": "Không có căn cứ"}).status_code == 302
    assert Extension.objects.get(pk=extension.pk).decision == "rejected"
    occurrence.refresh_from_db()
    assert occurrence.deadline == D(2026, 3, 31)


def test_an_extension_decision_by_the_lead_unit_is_404(client, task, lead_reporter):
    extension = extension_request(user=lead_reporter, occurrence=occurrence_of(task),
                                  requested_deadline=D(2026, 5, 1), reason="Chờ")
    client.force_login(lead_reporter)
    url = reverse("assignments:extension_decide", args=[task.pk, extension.pk])
    assert client.post(url, {f"decide-{extension.pk}-decision": "approve"}).status_code == 404
    assert Extension.objects.get(pk=extension.pk).decision == "pending"


def test_pause_resume_and_cancel(client, task, office):
    client.force_login(office)
    assert post(client, task, "pause", {"reason": ""}).status_code == 400
    assert post(client, task, "pause", {"reason": "Chờ chủ trương"}).status_code == 302
    assert Task.objects.get(pk=task.pk).state == "paused"
    assert client.post(reverse("assignments:task_action", args=[task.pk, "resume"])).status_code == 302
    assert Task.objects.get(pk=task.pk).state == "active"
    assert post(client, task, "cancel", {"reason": "Không còn phù hợp"}).status_code == 302
    assert Task.objects.get(pk=task.pk).state == "cancelled"
    kinds = list(TaskEvent.objects.filter(task=task).values_list("kind", flat=True))
    assert kinds == ["created", "paused", "resumed", "cancelled"]


def test_an_unknown_action_is_404(client, task, office):
    client.force_login(office)
    assert client.post(reverse("assignments:task_action", args=[task.pk, "delete"])).status_code == 404


# --- registering --------------------------------------------------------------------------------------------------

def test_the_office_registers_a_document_and_a_task(client, office, province, lead_unit, assigner):
    client.force_login(office)
    pdf = SimpleUploadedFile("kh.pdf", b"%PDF-1.4 ke hoach", content_type="application/pdf")
    response = client.post(reverse("assignments:document_create"), {
        "number": "Số: 88/KH-UBND", "issued_on": "15/01/2026", "issuer": province.pk, "signer": "Nguyễn Văn Mạnh",
        "summary": "Kế hoạch ứng dụng công nghệ thông tin năm 2026", "attachment": pdf,
    })
    assert response.status_code == 302
    document = Document.objects.get(number="88/KH-UBND")
    assert document.issued_on == D(2026, 1, 15)
    response = client.post(reverse("assignments:task_create"), {
        "title": "Xây dựng Kho dữ liệu dùng chung của tỉnh", "source": "document", "document": document.pk,
        "assigner": assigner.pk, "assigned_on": "2026-01-20", "lead_unit": lead_unit.pk,
        "deadline_kind": "quarterly", "recurring_day": "20", "recurring_month_offset": "0",
        "recurring_until": "2026-12-31", "product": "report",
    })
    assert response.status_code == 302, response.context["form"].errors
    task = Task.objects.get(title="Xây dựng Kho dữ liệu dùng chung của tỉnh")
    assert task.occurrences.count() == 4
    page = client.get(reverse("assignments:document_detail", args=[document.pk])).content.decode()
    assert task.title in page
    assert "Số: 88/KH-UBND</h1>" in page  # the document's number, not "STT 88/KH-UBND"
    assert client.get(reverse("assignments:document_attachment", args=[document.pk])).status_code == 200


def test_a_task_from_a_meeting_saves_the_instruction_with_it(client, office, lead_unit, assigner):
    client.force_login(office)
    data = {
        "title": "Rà soát hạ tầng mạng diện rộng", "source": "instruction", "meeting": "Giao ban tháng 2",
        "held_on": "2026-02-03", "instructed_by": "Phó Chủ tịch UBND tỉnh", "assigner": assigner.pk,
        "assigned_on": "2026-02-04", "lead_unit": lead_unit.pk, "deadline_kind": "date", "deadline": "2026-02-01",
        "product": "report",
    }
    from dieuhanh.assignments.models import Instruction

    response = client.post(reverse("assignments:task_create"), data)
    assert response.status_code == 400  # the deadline is before the task was assigned
    assert not Instruction.objects.exists() and not Task.objects.exists()
    assert "Rà soát hạ tầng mạng diện rộng" in response.content.decode()
    response = client.post(reverse("assignments:task_create"), {**data, "deadline": "2026-03-01"})
    assert response.status_code == 302
    assert Task.objects.get().instruction.meeting == "Giao ban tháng 2"


def test_a_bad_document_number_lists_the_valid_types(client, office, province):
    client.force_login(office)
    response = client.post(reverse("assignments:document_create"), {
        "number": "12/XYZ-UBND", "issued_on": "2026-01-15", "issuer": province.pk, "summary": "Thử",
    })
    assert response.status_code == 400
    error = response.context["form"].errors["number"][0]
    assert "không phải là loại văn bản theo Nghị định 30" in error
    for code in ("NQ", "QĐ", "CT", "KH", "CTr"):
        assert code in error
    assert not Document.objects.exists()


def test_a_task_without_source_or_deadline_is_refused(client, office, lead_unit, assigner):
    client.force_login(office)
    response = client.post(reverse("assignments:task_create"), {
        "title": "Thiếu nguồn", "source": "document", "assigner": assigner.pk, "assigned_on": "2026-01-20",
        "lead_unit": lead_unit.pk, "deadline_kind": "date", "product": "report",
    })
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["document"] == ["Chọn văn bản giao nhiệm vụ."]
    assert errors["deadline"] == ["Nhập thời hạn, hoặc chọn 'Không thời hạn'."]
    assert not Task.objects.exists()


def test_the_documents_list_searches_without_diacritics(client, office, document):
    client.force_login(office)
    page = client.get(reverse("assignments:document_list"), {"q": "chuyen doi so"}).content.decode()
    assert "125/QĐ-UBND" in page
    page = client.get(reverse("assignments:document_list"), {"q": "khong co"}).content.decode()
    assert "125/QĐ-UBND" not in page


def test_another_units_document_is_404(client, document, outsider_reporter):
    client.force_login(outsider_reporter)
    assert client.get(reverse("assignments:document_detail", args=[document.pk])).status_code == 404


def test_the_office_edits_a_task_and_the_deadline_change_is_recorded(client, task, office, lead_reporter, finance):
    url = reverse("assignments:task_edit", args=[task.pk])
    client.force_login(lead_reporter)
    assert client.get(url).status_code == 404
    client.force_login(office)
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, "")}
    data["coordinating_units"] = [u.pk for u in data["coordinating_units"]]
    data["assigner"] = task.assigner_id
    data["deadline"] = "15/04/2026"
    data["is_key"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    occurrence = occurrence_of(task)
    assert occurrence.deadline == D(2026, 4, 15) and occurrence.original_deadline == D(2026, 3, 31)
    assert Task.objects.get(pk=task.pk).is_key
    assert TaskEvent.objects.filter(task=task, kind="deadline_changed", old_deadline=D(2026, 3, 31)).exists()
    # A lead unit that is also coordinating is refused, and nothing changes.
    response = client.post(url, {**data, "lead_unit": finance.pk, "coordinating_units": [finance.pk],
                                 "deadline": "2026-05-01"})
    assert response.status_code == 400
    assert occurrence_of(task).deadline == D(2026, 4, 15)


def test_progress_on_one_period_of_a_recurring_task(client, make_task, task, lead_reporter):
    monthly = make_task(title="Báo cáo tình hình chuyển đổi số hằng tháng", deadline_kind="monthly", deadline=None,
                        recurring_day=20, recurring_until=D(2026, 4, 30))
    occurrences = list(monthly.occurrences.order_by("deadline"))
    assert [o.period_id for o in occurrences] == ["202601", "202602", "202603", "202604"]
    client.force_login(lead_reporter)
    page = client.get(reverse("assignments:task_detail", args=[monthly.pk])).content.decode()
    assert "Tháng 2/2026" in page  # the period is chosen by name
    response = post(client, monthly, "progress", {"occurrence": occurrences[1].pk, "text": "Tháng 2", "percent": 40})
    assert response.status_code == 302
    assert [o.percent for o in monthly.occurrences.order_by("deadline")] == [0, 40, 0, 0]
    # Another task's occurrence cannot be slipped in.
    response = post(client, monthly, "progress", {"occurrence": occurrence_of(task).pk, "text": "x", "percent": 50})
    assert response.status_code == 400
    assert occurrence_of(task).percent == 0


def test_the_navbar_leads_to_the_tasks(client, leader):
    client.force_login(leader)
    page = client.get(reverse("home"), follow=True).content.decode()
    assert f'href="{reverse("assignments:task_list")}">Nhiệm vụ</a>' in page


def test_the_list_pages_keep_the_filters(client, office, several, monkeypatch):
    from dieuhanh.assignments import views_tasks

    monkeypatch.setattr(views_tasks, "PAGE_SIZE", 2)
    client.force_login(office)
    url = reverse("assignments:task_list")
    first = client.get(url, {"document": several["plan"].document_id})
    assert len(titles(first)) == 2 and first.context["total"] == 3
    assert f'document={several["plan"].document_id}&amp;page=2' in first.content.decode()
    second = client.get(url, {"document": several["plan"].document_id, "page": 2})
    assert len(titles(second)) == 1 and not titles(first) & titles(second)
    assert 'class="text-end text-secondary">3</td>' in second.content.decode()  # STT goes on counting


@pytest.mark.parametrize("on,status", [("2026-03-31", "in_progress"), ("2026-04-01", "overdue")])
def test_the_list_judges_the_deadline_day_as_within_deadline(client, office, task, on, status):
    client.force_login(office)
    response = client.get(reverse("assignments:task_list"), {"on": on})
    assert [row.status for row in response.context["page"].object_list] == [status]
    assert f'data-status="{status}"' in response.content.decode()
