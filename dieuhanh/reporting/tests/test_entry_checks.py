"""Checks at entry, the same on the web page, in an XLSX workbook and in a CSV file (issue #10 §4): a decimal
comma in a whole-number cell, targets only for those who may set them, and implausible figures that need a
note before the report is submitted (the rule itself: test_plausibility.py)."""

import io
import re
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from dieuhanh.indicators.models import DataValue, ValueHistory, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.reporting.csv_import import ImportErrors, values_import
from dieuhanh.reporting.models import Submission
from dieuhanh.reporting.services import submission_save_values

pytestmark = pytest.mark.django_db
PERIOD = "202603"
HEADER = "form,unit,period,indicator,kind,value\n"
COMMA_MESSAGE = "'1,234' có dấu phẩy thập phân, nhưng ô này chỉ nhận số nguyên: hãy ghi 1.234 hoặc 1234"
TARGET_MESSAGE = "chỉ tiêu kế hoạch do tỉnh giao; tài khoản của bạn không được sửa"


def logged_in(user) -> Client:
    client = Client()  # no language cookie: the product's Vietnamese
    client.force_login(user)
    return client


def entry_url(form, unit, period=PERIOD) -> str:
    return reverse("reporting:entry", args=[form.pk, unit.code, period])


def version_of(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def post(client, form, unit, data: dict, action="save", period=PERIOD):
    html = client.get(entry_url(form, unit, period)).content.decode()
    return client.post(entry_url(form, unit, period), {"action": action, "version": version_of(html), **data})


def state():
    return (sorted((v.indicator.code, v.period, v.kind, v.value, v.comment) for v in
                   DataValue.objects.select_related("indicator")),
            ValueHistory.objects.count(), sorted(Submission.objects.values_list("period", "status", "version")))


def xlsx_url(name, form, unit):
    return reverse(f"reporting:{name}", args=[form.pk, unit.code, PERIOD])


def workbook_with(client, form, unit, cells: dict, blank=False) -> bytes:
    """The unit's workbook as downloaded, with `cells` ({(indicator code, column letter): value}) typed in."""
    data = client.get(xlsx_url("xlsx_download", form, unit) + ("?blank=1" if blank else "")).content
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    rows = {ws.cell(r, 8).value: r for r in range(1, ws.max_row + 1)}
    for (code, column), value in cells.items():
        ws[f"{column}{rows[code]}"] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, form, unit, data: bytes):
    f = io.BytesIO(data)
    f.name = "bieu.xlsx"
    return client.post(xlsx_url("xlsx_upload", form, unit), {"file": f})


@pytest.fixture
def target_set(monthly_form, commune_a, revenue, admin_user):
    """The province (its administrator) set commune A's revenue target for March: 2.000 tỷ đồng."""
    submission_save_values(form=monthly_form, orgunit=commune_a, period=PERIOD, user=admin_user, channel="web",
                           values=[ValueInput(revenue, "target", D(2000))])
    return revenue


# --- "1,234" in a whole-number cell ---------------------------------------------------------------------------

def test_the_web_page_refuses_a_decimal_comma_in_a_whole_number_cell(monthly_form, commune_a, reporter_a,
                                                                      subscribers):
    client = logged_in(reporter_a)
    before = state()
    response = post(client, monthly_form, commune_a, {f"v-{subscribers.pk}-actual": "1,234"})
    assert response.status_code == 200
    html = response.content.decode()
    assert COMMA_MESSAGE.replace("'", "&#x27;") in html
    assert f'id="v-{subscribers.pk}-actual-error"' in html
    assert state() == before
    assert post(client, monthly_form, commune_a, {f"v-{subscribers.pk}-actual": "2.060"}).status_code == 302
    assert DataValue.objects.get(indicator=subscribers).value == 2060


def test_a_workbook_refuses_a_decimal_comma_in_a_whole_number_cell(monthly_form, commune_a, reporter_a,
                                                                     subscribers):
    client = logged_in(reporter_a)
    before = state()
    response = upload(client, monthly_form, commune_a,
                      workbook_with(client, monthly_form, commune_a, {("TB_DD", "F"): "1,234"}))
    assert response.status_code == 400
    assert any(COMMA_MESSAGE in e for e in response.context["errors"]), response.context["errors"]
    assert state() == before
    response = upload(client, monthly_form, commune_a,
                      workbook_with(client, monthly_form, commune_a, {("TB_DD", "F"): "2.060"}))
    assert response.status_code == 302
    assert DataValue.objects.get(indicator=subscribers).value == 2060


def test_a_csv_file_refuses_a_decimal_comma_in_a_whole_number_cell(monthly_form, reporter_a, subscribers):
    before = state()
    with translation.override("vi"), pytest.raises(ImportErrors) as err:
        values_import(HEADER + '01/BC-VT,XA-A,202603,TB_DD,actual,"1,234"\n', user=reporter_a)
    assert err.value.errors == [f"Dòng 2: {COMMA_MESSAGE}"]
    assert state() == before
    values_import(HEADER + "01/BC-VT,XA-A,202603,TB_DD,actual,2.060\n", user=reporter_a)
    assert DataValue.objects.get(indicator=subscribers).value == 2060


# --- targets are the province's -------------------------------------------------------------------------------

def test_the_service_refuses_a_reporters_change_to_a_target_and_saves_nothing(target_set, monthly_form, commune_a,
                                                                               reporter_a, admin_user, revenue):
    before = state()
    with translation.override("vi"), pytest.raises(ValidationError) as err:
        submission_save_values(form=monthly_form, orgunit=commune_a, period=PERIOD, user=reporter_a, channel="web",
                               values=[ValueInput(revenue, "actual", D(10)), ValueInput(revenue, "target", D(3000))])
    assert err.value.messages == [f"Doanh thu viễn thông (Kế hoạch): {TARGET_MESSAGE}"]
    assert state() == before
    # Clearing it is a change too; sending it back as it is is not.
    with pytest.raises(ValidationError):
        submission_save_values(form=monthly_form, orgunit=commune_a, period=PERIOD, user=reporter_a, channel="web",
                               values=[ValueInput(revenue, "target", None)])
    submission_save_values(form=monthly_form, orgunit=commune_a, period=PERIOD, user=reporter_a, channel="web",
                           values=[ValueInput(revenue, "actual", D(10)), ValueInput(revenue, "target", D("2000.00"))])
    submission_save_values(form=monthly_form, orgunit=commune_a, period=PERIOD, user=admin_user, channel="web",
                           values=[ValueInput(revenue, "target", D(3000))])
    assert DataValue.objects.get(kind="target").value == 3000


def test_the_page_shows_a_reporter_the_target_read_only_and_never_saves_it(target_set, monthly_form, commune_a,
                                                                           reporter_a, admin_user, revenue):
    client = logged_in(reporter_a)
    html = client.get(entry_url(monthly_form, commune_a)).content.decode()
    target_input = re.search(rf'<input [^>]*name="v-{revenue.pk}-target"[^>]*>', html).group(0)
    assert 'value="2.000,00"' in target_input and " disabled" in target_input
    assert 'aria-describedby="targets-note"' in target_input
    assert "Chỉ tiêu kế hoạch do tỉnh giao, không sửa được tại đây." in html
    actual_input = re.search(rf'<input [^>]*name="v-{revenue.pk}-actual"[^>]*>', html).group(0)
    assert " disabled" not in actual_input
    # A hand-made request that sends a target anyway changes nothing of it.
    response = post(client, monthly_form, commune_a, {f"v-{revenue.pk}-target": "9999", f"v-{revenue.pk}-actual": "5"})
    assert response.status_code == 302
    assert DataValue.objects.get(kind="target").value == 2000
    assert DataValue.objects.get(kind="actual").value == 5
    # The administrator edits it on the same page.
    admin_html = logged_in(admin_user).get(entry_url(monthly_form, commune_a)).content.decode()
    assert " disabled" not in re.search(rf'<input [^>]*name="v-{revenue.pk}-target"[^>]*>', admin_html).group(0)
    assert 'id="targets-note"' not in admin_html


def test_a_workbook_keeps_the_target_and_refuses_a_changed_one(target_set, monthly_form, commune_a, reporter_a):
    client = logged_in(reporter_a)
    before = state()
    response = upload(client, monthly_form, commune_a,
                      workbook_with(client, monthly_form, commune_a, {("DT_VT", "D"): 3000, ("DT_VT", "F"): 12}))
    assert response.status_code == 400
    assert response.context["errors"] == [f"Doanh thu viễn thông (Kế hoạch): {TARGET_MESSAGE}"]
    assert state() == before
    # A blank form carries the province's target, so the reporter's filled-in blank form comes back whole.
    response = upload(client, monthly_form, commune_a,
                      workbook_with(client, monthly_form, commune_a, {("DT_VT", "F"): 12}, blank=True))
    assert response.status_code == 302
    assert {v.kind: v.value for v in DataValue.objects.all()} == {"target": 2000, "actual": 12}


def test_a_csv_file_refuses_a_changed_target_from_a_reporter(target_set, monthly_form, reporter_a, admin_user):
    before = state()
    with translation.override("vi"), pytest.raises(ImportErrors) as err:
        values_import(HEADER + "01/BC-VT,XA-A,202603,DT_VT,actual,12\n01/BC-VT,XA-A,202603,DT_VT,target,3000\n"
                      "01/BC-VT,XA-A,202604,DT_VT,target,1\n", user=reporter_a)
    assert err.value.errors == [f"Dòng 3: DT_VT · XA-A · 202603 (Kế hoạch): {TARGET_MESSAGE}",
                                f"Dòng 4: DT_VT · XA-A · 202604 (Kế hoạch): {TARGET_MESSAGE}"]
    assert state() == before
    values_import(HEADER + "01/BC-VT,XA-A,202603,DT_VT,actual,12\n01/BC-VT,XA-A,202603,DT_VT,target,2000\n",
                  user=reporter_a)  # unchanged: passes
    values_import(HEADER + "01/BC-VT,XA-A,202603,DT_VT,target,3000\n", user=admin_user)
    values_import(HEADER + "01/BC-VT,XA-A,202604,DT_VT,target,3100\n", user=None)  # the command, no --user
    assert sorted(DataValue.objects.filter(kind="target").values_list("period", "value")) == [
        ("202603", 3000), ("202604", 3100)]


# --- implausible figures --------------------------------------------------------------------------------------

@pytest.fixture
def steady(monthly_form, commune_a, subscribers):
    """Commune A reported 61 subscribers every month of the year before March 2026."""
    for month in ["202503", "202504", "202505", "202506", "202507", "202508", "202509", "202510", "202511",
                  "202512", "202601", "202602"]:
        datavalues_save(orgunit=commune_a, period=month, user=None, channel="web", state=ValueState.APPROVED,
                        values=[ValueInput(subscribers, "actual", D(61))])
    return subscribers


def test_a_far_figure_is_saved_flagged_and_needs_a_note_to_be_submitted(steady, monthly_form, commune_a, reporter_a,
                                                                         approver_a):
    subscribers = steady
    cell, note = f"v-{subscribers.pk}-actual", f"c-{subscribers.pk}-actual"
    client = logged_in(reporter_a)
    assert post(client, monthly_form, commune_a, {cell: "2.060"}).status_code == 302  # saved, not refused
    html = client.get(entry_url(monthly_form, commune_a)).content.decode()
    assert 'class="entry-cell cell-flagged"' in html
    assert "Bất thường: gấp 33,8 lần kỳ trước (Tháng 2/2026: 61)" in html
    assert f'name="{note}"' in html and 'id="plausibility-note"' in html
    assert "1 số liệu khác xa số liệu trước đây của đơn vị" in html
    # The confirmation before submitting lists it too.
    modal = html[html.index('id="submit-modal"'):]
    assert "Thuê bao di động (Thực hiện): gấp 33,8 lần kỳ trước" in modal

    before = state()
    response = post(client, monthly_form, commune_a, {cell: "2.060", note: "  "}, action="submit")
    assert response.status_code == 200
    html = response.content.decode()
    assert ("Thuê bao di động (Thực hiện): gấp 33,8 lần kỳ trước (Tháng 2/2026: 61) — khác xa số liệu trước đây "
            "của đơn vị; nếu đúng, ghi rõ lý do vào ghi chú của ô") in html
    assert state() == before

    response = post(client, monthly_form, commune_a, {cell: "2.060", note: "Sáp nhập 33 xã, từ 01/3/2026"},
                    action="submit")
    assert response.status_code == 302
    value = DataValue.objects.get(indicator=subscribers, period=PERIOD)
    assert (value.value, value.comment) == (2060, "Sáp nhập 33 xã, từ 01/3/2026")
    assert Submission.objects.get(period=PERIOD).status == "submitted"

    # The approver sees the flagged cell and the reporter's note.
    html = logged_in(approver_a).get(entry_url(monthly_form, commune_a)).content.decode()
    assert 'class="entry-cell cell-flagged"' in html and "gấp 33,8 lần kỳ trước" in html
    assert "Ghi chú: Sáp nhập 33 xã, từ 01/3/2026" in html and f'name="{note}"' not in html
    assert "1 số liệu khác xa số liệu trước đây của đơn vị, được tô màu bên dưới kèm ghi chú của đơn vị." in html


def test_a_flag_shows_as_soon_as_the_figure_is_typed_and_the_note_is_kept(steady, monthly_form, commune_a,
                                                                            reporter_a, revenue):
    subscribers = steady
    client = logged_in(reporter_a)
    # A save refused for another cell still shows the flag of what was typed, and keeps the note typed so far.
    response = post(client, monthly_form, commune_a, {f"v-{subscribers.pk}-actual": "2.060",
                                                      f"c-{subscribers.pk}-actual": "Sáp nhập",
                                                      f"v-{revenue.pk}-actual": "abc"})
    html = response.content.decode()
    assert response.status_code == 200 and "gấp 33,8 lần kỳ trước" in html
    assert re.search(rf'name="c-{subscribers.pk}-actual"[^>]*>Sáp nhập</textarea>', html)
    assert not DataValue.objects.filter(period=PERIOD).exists()


def test_submitting_asks_for_confirmation_on_the_page(monthly_form, commune_a, reporter_a):
    html = logged_in(reporter_a).get(entry_url(monthly_form, commune_a)).content.decode()
    opener = re.search(r'<button [^>]*id="submit-open"[^>]*>', html).group(0)
    assert 'type="button"' in opener and 'data-bs-toggle="modal" data-bs-target="#submit-modal"' in opener
    # The only button that submits is the one in the confirmation.
    submits = re.findall(r'<button[^>]*value="submit"[^>]*>', html)
    assert len(submits) == 1 and 'form="entry-form"' in submits[0] and 'id="submit-confirm"' in submits[0]
    assert "Nộp báo cáo này?" in html and "bị khóa cho đến khi người phê duyệt trả lại" in html
