"""Reports: templates and outline, creating a report (Vietnamese messages naming the field, nothing saved), free
texts, generation (kept versions, figures from the analytics, data as of, the diff), scope and roles."""

import io
import re
from decimal import Decimal

import docx
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from dieuhanh.accounts.models import Role
from dieuhanh.analytics.queries import comparison
from dieuhanh.conftest import make_user
from dieuhanh.indicators.models import DataValue, ValueState
from dieuhanh.indicators.services import ValueInput, datavalues_save
from dieuhanh.lib.vnformat import format_number
from dieuhanh.reports import services
from dieuhanh.reports.diff import figures_diff
from dieuhanh.reports.models import Report, ReportDocument, ReportSection, ReportTemplate
from dieuhanh.reports.sections import Kind

pytestmark = pytest.mark.django_db
YEAR_END = "Báo cáo tổng kết năm và phương hướng, nhiệm vụ năm sau"


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def save(unit, period, indicator, value, kind="actual"):
    datavalues_save(state=ValueState.APPROVED, orgunit=unit, period=period,
                    values=[ValueInput(indicator, kind, Decimal(value))], user=None, channel="web")


@pytest.fixture
def template(revenue):
    template = ReportTemplate.objects.get(name=YEAR_END)
    for section in template.sections.filter(kind__in=[Kind.NARRATIVE, Kind.INDICATOR_TABLE]):
        section.indicators.set([revenue])
    return template


@pytest.fixture
def staff(agency):
    return make_user("khcn", Role.REPORTER, agency)


@pytest.fixture
def report(template, agency, province, staff):
    return services.report_create(user=staff, template=template, issuer=agency, subject=province, period_id="2026",
                                  place="Tây Ninh", send_to="UBND tỉnh", received_by="- Lưu: VT.",
                                  signer_authority="KT. GIÁM ĐỐC", signer_title="PHÓ GIÁM ĐỐC", signer_name="Lê Văn A")


def build(report, user):
    with translation.override("vi"):
        document = ReportDocument.objects.create(report=report, version=report.documents.count() + 1, made_by=user)
        return services.document_build(document_id=document.pk)


def test_the_seeded_year_end_outline_follows_the_usual_review(template):
    headings = [(s.heading, s.kind) for s in template.sections.order_by("order")]
    assert headings[0] == ("I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM {year}", "free_text")
    assert ("1. Công tác chỉ đạo, điều hành", "tasks") in headings
    assert ("", "indicator_table") in headings
    assert ("4. Công tác thi đua, khen thưởng", "commendations") in headings
    assert [h for h, _k in headings if h.startswith(("II.", "III.", "IV."))] == [
        "II. ĐÁNH GIÁ CHUNG", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {next_year}", "IV. KIẾN NGHỊ, ĐỀ XUẤT"]
    assert ReportTemplate.objects.filter(kind="socio_quarterly", period_type="quarter").exists()


def test_a_report_fills_the_summary_and_a_placeholder_number(report):
    assert report.summary == "Tổng kết công tác năm 2026 và phương hướng, nhiệm vụ năm 2027"
    assert report.number_shown == "…/BC-SKHCN"
    assert report.owner_agency == "UBND TỈNH TÂY NINH"


@pytest.mark.parametrize("number, message", [
    ("15/QĐ-SKHCN", "Số văn bản"),
    ("5/BC-SKHCN", "Số văn bản"),
    ("abc", "Số văn bản"),
])
def test_a_bad_number_is_refused_naming_the_field_and_nothing_is_saved(template, agency, province, staff, number,
                                                                      message):
    with pytest.raises(ValidationError) as caught:
        services.report_create(user=staff, template=template, issuer=agency, subject=province, period_id="2026",
                               number=number)
    assert list(caught.value.message_dict) == ["number"]
    assert caught.value.message_dict["number"][0].startswith(message)
    assert not Report.objects.exists()


def test_a_number_is_normalised(template, agency, province, staff):
    report = services.report_create(user=staff, template=template, issuer=agency, subject=province,
                                    period_id="2026", number="Số: 15/BC-SKHCN")
    assert report.number == "15/BC-SKHCN"


def test_the_period_must_be_of_the_templates_type(template, agency, province, staff):
    with pytest.raises(ValidationError) as caught:
        services.report_create(user=staff, template=template, issuer=agency, subject=province, period_id="2026Q3")
    assert caught.value.message_dict["period_id"][0].startswith("Kỳ báo cáo")
    assert not Report.objects.exists()


def test_a_template_with_an_unknown_placeholder_is_refused(staff):
    with pytest.raises(ValidationError) as caught:
        services.template_save(user=staff, name="Mẫu thử", kind="sector_periodic", period_type="quarter",
                               summary_pattern="Báo cáo {quy}")
    assert "{quy}" in caught.value.message_dict["summary_pattern"][0]
    assert not ReportTemplate.objects.filter(name="Mẫu thử").exists()


def test_sections_move_and_are_renumbered(template, staff):
    first, second = list(template.sections.order_by("order"))[:2]
    services.template_section_move(user=staff, section=second, direction="up")
    assert list(template.sections.order_by("order")[:2]) == [second, first]
    assert sorted(template.sections.values_list("order", flat=True))[:3] == [10, 20, 30]


def test_generation_keeps_every_version_with_figures_and_diff(report, staff, province, revenue):
    save(province, "2026", revenue, "4380.43")
    save(province, "2025", revenue, "4100")
    services.report_texts_save(user=staff, report=report, texts={
        report.template.sections.get(heading="IV. KIẾN NGHỊ, ĐỀ XUẤT").pk: "Đề nghị UBND tỉnh bố trí kinh phí."})
    first = build(report, staff)
    assert first.status == "done" and first.progress == 100
    expected = comparison(revenue, province, "2026").value.value
    assert first.figures["DT_VT.value"] == f"{format_number(expected, 2, trim=True)} tỷ đồng" == "4.380,43 tỷ đồng"
    assert first.data_as_of == max(DataValue.objects.filter(kind="actual").values_list("updated_at", flat=True))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(bytes(first.docx))).paragraphs)
    assert "Đề nghị UBND tỉnh bố trí kinh phí." in text
    assert "4.380,43 tỷ đồng" in text
    assert "IV. KIẾN NGHỊ, ĐỀ XUẤT" in text and "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027" in text

    save(province, "2026", revenue, "4400")
    second = build(report, staff)
    assert [d.version for d in report.documents.order_by("version")] == [1, 2]
    assert bytes(ReportDocument.objects.get(pk=first.pk).docx) == bytes(first.docx)  # never overwritten
    changes = [c.text for c in figures_diff(first.figures, second.figures)]
    assert "Doanh thu viễn thông: 4.380,43 → 4.400 tỷ đồng" in changes


def test_the_diff_says_what_was_added_and_removed(revenue):
    changes = figures_diff({"DT_VT.value": "1 tỷ đồng", "x": "1"},
                           {"DT_VT.value": "2 tỷ đồng", "DT_VT.growth": "tăng 2%"})
    assert [(c.kind, c.text) for c in changes] == [
        ("changed", "Doanh thu viễn thông: 1 → 2 tỷ đồng"),
        ("added", "Doanh thu viễn thông (so với cùng kỳ năm trước): tăng 2%"),
        ("removed", "x: 1")]


def test_a_failed_section_keeps_the_failure_and_its_message(report, staff):
    ReportSection.objects.filter(template=report.template, kind=Kind.NARRATIVE).update(options=["not", "a dict"])
    document = build(report, staff)
    assert document.status == "failed" and document.message.startswith("Không tạo được văn bản")


def test_the_worker_claims_a_document_once(report, staff):
    document = ReportDocument.objects.create(report=report, version=1, made_by=staff)
    assert services.document_build(document_id=document.pk).status == "done"
    assert services.document_build(document_id=document.pk) is None


def test_pages_scope_reports_to_the_units_in_scope(client, report, reporter_a, leader, staff):
    url = reverse("reports:report_detail", args=[report.pk])
    client.force_login(reporter_a)  # a commune's reporter: neither the issuer nor the province
    assert client.get(url).status_code == 404
    assert client.get(reverse("reports:document_download", args=[report.pk, 1, "docx"])).status_code == 404
    assert client.post(reverse("reports:report_generate", args=[report.pk])).status_code == 404
    client.force_login(leader)  # leaders read and generate, but do not write the department's text
    page = client.get(url).content.decode()
    assert report.summary in page and 'id="texts-form"' not in page
    assert client.get(reverse("reports:report_edit", args=[report.pk])).status_code == 403
    client.force_login(staff)
    assert 'id="texts-form"' in client.get(url).content.decode()


def test_only_province_administrators_configure_templates(client, admin_user, staff, template):
    client.force_login(staff)
    assert client.get(reverse("reports:template_list")).status_code == 403
    client.force_login(admin_user)
    assert client.get(reverse("reports:template_edit", args=[template.pk])).status_code == 200


def test_the_create_page_names_the_field_in_vietnamese(client, staff, template, agency, province):
    client.force_login(staff)
    response = client.post(reverse("reports:report_create"), {
        "template": template.pk, "issuer": agency.pk, "subject": province.pk, "period_id": "2026",
        "number": "15/CV-SKHCN"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Số văn bản:" in page, re.findall(r"invalid-feedback[^>]*>([^<]*)", page)
    assert not Report.objects.exists()
