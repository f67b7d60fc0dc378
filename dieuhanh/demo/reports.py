"""The demo's official reports: the 2020 year-end review of the old Tây Ninh's ICT sector by its Sở Thông tin và
Truyền thông (the figures of the article of 21/01/2021 — they are the demo's values, dieuhanh.demo.values), and the
2026 review of the new province by Sở Khoa học và Công nghệ, each with its document generated once.

The free texts are written as an official would and hold no figure: every figure in the documents comes from the
data. The signers' names are the demo's, not real officials'.
"""

from __future__ import annotations

import datetime
import importlib

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction

from dieuhanh.indicators.models import Indicator
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.reports.models import Report, ReportDocument, ReportTemplate
from dieuhanh.reports.sections import Kind
from dieuhanh.reports.services import document_build, report_create, report_texts_save

from .province import OLD_STTTT

YEAR_END_TEMPLATE = "Báo cáo tổng kết năm và phương hướng, nhiệm vụ năm sau"
# The sector's figures the year-end review reads (narrative and table), in the catalogue's order.
ICT_CODES = ["DT_BC", "DT_VT", "NS_BCVT", "DT_BCPT", "TB_DD", "TB_BRCD", "TRAM_BTS"]

TEXTS_2020 = {
    "I. KẾT QUẢ": (
        "Năm 2020, trong bối cảnh dịch bệnh COVID-19 diễn biến phức tạp, Sở Thông tin và Truyền thông đã bám sát "
        "sự lãnh đạo, chỉ đạo của Bộ Thông tin và Truyền thông, Tỉnh ủy, UBND tỉnh, chủ động triển khai các nhiệm "
        "vụ được giao; hạ tầng bưu chính, viễn thông tiếp tục được đầu tư, bảo đảm thông tin liên lạc thông suốt "
        "phục vụ công tác chỉ đạo, điều hành và phòng, chống dịch bệnh."),
    "1. Kết quả đạt được": (
        "Ngành bưu chính, viễn thông duy trì tăng trưởng, đóng góp tích cực vào ngân sách tỉnh. Ứng dụng công nghệ "
        "thông tin trong các cơ quan nhà nước được đẩy mạnh, góp phần cải cách hành chính và xây dựng chính quyền "
        "điện tử. Công tác thông tin, tuyên truyền phục vụ kịp thời các nhiệm vụ chính trị của tỉnh."),
    "2. Hạn chế, tồn tại": (
        "Tỷ lệ hồ sơ dịch vụ công trực tuyến mức độ 3, 4 phát sinh còn thấp so với yêu cầu. Nguồn nhân lực công "
        "nghệ thông tin ở cấp huyện, cấp xã còn thiếu. Việc chỉnh trang, ngầm hóa mạng cáp viễn thông tại các đô "
        "thị còn chậm."),
    "3. Nguyên nhân": (
        "Nguyên nhân khách quan: dịch bệnh COVID-19 ảnh hưởng đến hoạt động sản xuất, kinh doanh của doanh nghiệp "
        "và việc tổ chức các hoạt động của ngành.\n\n"
        "Nguyên nhân chủ quan: sự phối hợp giữa các sở, ngành, địa phương có lúc chưa chặt chẽ; thói quen sử dụng "
        "dịch vụ công trực tuyến của người dân, doanh nghiệp chưa được hình thành."),
    "III. PHƯƠNG HƯỚNG": (
        "Năm 2021, Sở tập trung triển khai Chương trình chuyển đổi số của tỉnh; phát triển hạ tầng viễn thông, sẵn "
        "sàng cho mạng di động thế hệ mới; nâng cao chất lượng dịch vụ bưu chính công ích; đẩy mạnh cung cấp dịch "
        "vụ công trực tuyến mức độ 3, 4; bảo đảm an toàn thông tin mạng cho các hệ thống thông tin của tỉnh; quản "
        "lý tốt hoạt động báo chí, xuất bản và thông tin cơ sở."),
    "IV. KIẾN NGHỊ": (
        "Đề nghị UBND tỉnh quan tâm bố trí kinh phí thực hiện các nhiệm vụ chuyển đổi số năm 2021; chỉ đạo các sở, "
        "ngành, UBND các huyện, thị xã, thành phố phối hợp chặt chẽ với Sở trong cung cấp dịch vụ công trực tuyến "
        "và chỉnh trang mạng cáp viễn thông."),
}
TEXTS_2026 = {
    "I. KẾT QUẢ": (
        "Năm 2026 là năm đầu tiên tỉnh thực hiện trọn năm nhiệm vụ sau sắp xếp đơn vị hành chính và tổ chức chính "
        "quyền địa phương hai cấp. Sở Khoa học và Công nghệ tập trung triển khai Nghị quyết số 57-NQ/TW của Bộ Chính "
        "trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số; bảo đảm hạ tầng số và "
        "các hệ thống thông tin dùng chung của tỉnh hoạt động ổn định."),
    "1. Kết quả đạt được": (
        "Hạ tầng viễn thông được mở rộng đến các xã, phường mới; số liệu của các doanh nghiệp được báo cáo định kỳ "
        "trên hệ thống, phục vụ kịp thời công tác chỉ đạo, điều hành của UBND tỉnh."),
    "2. Hạn chế, tồn tại": (
        "Việc hợp nhất dữ liệu, hệ thống của hai tỉnh trước sắp xếp còn chưa hoàn tất; một số xã, phường còn thiếu "
        "nhân lực chuyên trách về chuyển đổi số."),
    "3. Nguyên nhân": (
        "Khối lượng công việc sau sắp xếp lớn, trong khi bộ máy vừa được kiện toàn; nguồn lực đầu tư cho chuyển đổi "
        "số ở cấp xã còn hạn chế."),
    "III. PHƯƠNG HƯỚNG": (
        "Năm 2027, Sở tiếp tục hoàn thiện hạ tầng số và nền tảng dữ liệu dùng chung của tỉnh; nâng cao chất lượng "
        "dịch vụ công trực tuyến; bảo đảm an toàn thông tin mạng; đẩy mạnh ứng dụng khoa học, công nghệ và đổi mới "
        "sáng tạo trong sản xuất, kinh doanh."),
    "IV. KIẾN NGHỊ": (
        "Đề nghị UBND tỉnh bố trí kinh phí cho các dự án chuyển đổi số năm 2027 và chỉ đạo UBND các xã, phường bố "
        "trí nhân lực phụ trách chuyển đổi số."),
}


def _texts(report: Report, texts: dict[str, str]) -> dict[int, str]:
    """{section id: text} for the free-text sections whose heading starts as a key."""
    out = {}
    for section in report.template.sections.filter(kind=Kind.FREE_TEXT):
        for start, text in texts.items():
            if section.heading.startswith(start):
                out[section.pk] = text
    return out


def _template_ensure() -> ReportTemplate:
    """The seeded year-end template, with the ICT sector's indicators on its narrative and table (once: an
    operator's later choice stays)."""
    template = ReportTemplate.objects.filter(name=YEAR_END_TEMPLATE).first()
    if template is None:  # the seeded rows were flushed (a test database emptied between tests): seed again
        importlib.import_module("dieuhanh.reports.migrations.0002_seed_templates").seed(apps, None)
        template = ReportTemplate.objects.get(name=YEAR_END_TEMPLATE)
    indicators = list(Indicator.objects.filter(code__in=ICT_CODES))
    for section in template.sections.filter(kind__in=[Kind.NARRATIVE, Kind.INDICATOR_TABLE]):
        if not section.indicators.exists():
            section.indicators.set(indicators)
    return template


def _report_ensure(*, template, issuer, subject, period_id, user, texts, **fields) -> Report:
    report = Report.objects.filter(template=template, issuer=issuer, subject=subject, period_id=period_id).first()
    if report is None:
        report = report_create(user=user, template=template, issuer=issuer, subject=subject, period_id=period_id,
                               **fields)
        report_texts_save(user=user, report=report, texts=_texts(report, texts))
    return report


def _document_ensure(report: Report, user) -> ReportDocument:
    """The report's first document, built here rather than in the worker: the demo's first start shows it."""
    done = report.documents.filter(status=ReportDocument.Status.DONE).first()
    if done:
        return done
    report.documents.exclude(status=ReportDocument.Status.DONE).delete()  # a build interrupted before
    document = ReportDocument.objects.create(report=report, version=1, made_by=user)
    return document_build(document_id=document.pk)


@transaction.atomic
def reports_demo_ensure(result) -> list[Report]:
    """The two demo reports and their documents (`result`: dieuhanh.demo.build.DemoResult). Idempotent."""
    User = get_user_model()
    units = result.units
    template = _template_ensure()
    old_stttt = OrgUnit.objects.get(code=OLD_STTTT[0])
    khcn = units.agencies["SKHCN"]
    reporter = User.objects.filter(username="khcn.baocao").first()
    signer = {"signer_authority": "KT. GIÁM ĐỐC", "signer_title": "PHÓ GIÁM ĐỐC"}
    review_2020 = _report_ensure(
        template=template, issuer=old_stttt, subject=units.old_tay_ninh, period_id="2020", user=reporter,
        texts=TEXTS_2020, number="05/BC-STTTT", date=datetime.date(2021, 1, 15), place="Tây Ninh",
        owner_agency="UBND TỈNH TÂY NINH", issuer_abbr="STTTT",
        send_to="Ủy ban nhân dân tỉnh Tây Ninh\nBộ Thông tin và Truyền thông",
        received_by="- Như trên;\n- Giám đốc, các Phó Giám đốc Sở;\n- Các phòng, đơn vị thuộc Sở;\n- Lưu: VT, VP.",
        signer_name="Nguyễn Văn Tâm", **signer)
    review_2026 = _report_ensure(
        template=template, issuer=khcn, subject=units.province, period_id="2026", user=reporter, texts=TEXTS_2026,
        estimate=True, place="Tây Ninh", owner_agency="UBND TỈNH TÂY NINH", issuer_abbr="SKHCN",
        send_to="Ủy ban nhân dân tỉnh\nBộ Khoa học và Công nghệ",
        received_by="- Như trên;\n- Giám đốc, các Phó Giám đốc Sở;\n- Lưu: VT, VP.",
        signer_name="Trần Minh Khoa", **signer)
    for report in (review_2020, review_2026):
        _document_ensure(report, reporter)
    return [review_2020, review_2026]
