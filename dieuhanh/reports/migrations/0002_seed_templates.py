"""The default outlines: the year-end review of a department or sector (REFERENCES §4.1, common practice, not a rule
in law) and the quarterly socio-economic report. Operators change them on the templates page; a template already
there (by name) is left as it is."""

from django.db import migrations

YEAR_END = {
    "name": "Báo cáo tổng kết năm và phương hướng, nhiệm vụ năm sau",
    "kind": "year_end",
    "period_type": "year",
    "summary_pattern": "Tổng kết công tác năm {year} và phương hướng, nhiệm vụ năm {next_year}",
    "sections": [
        # (heading, level, kind, default text)
        ("I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM {year}", 1, "free_text", ""),
        ("1. Công tác chỉ đạo, điều hành", 2, "tasks", ""),
        ("2. Kết quả thực hiện các chỉ tiêu", 2, "narrative", ""),
        ("", 2, "indicator_table", ""),
        ("3. Hệ thống thông tin, sự cố và an toàn thông tin", 2, "systems", ""),
        ("4. Công tác thi đua, khen thưởng", 2, "commendations", ""),
        ("II. ĐÁNH GIÁ CHUNG", 1, "free_text", ""),
        ("1. Kết quả đạt được", 2, "free_text", ""),
        ("2. Hạn chế, tồn tại", 2, "free_text", ""),
        ("3. Nguyên nhân", 2, "free_text", ""),
        ("III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {next_year}", 1, "free_text", ""),
        ("IV. KIẾN NGHỊ, ĐỀ XUẤT", 1, "free_text", ""),
    ],
}
SOCIO_QUARTERLY = {
    "name": "Báo cáo tình hình kinh tế - xã hội quý",
    "kind": "socio_quarterly",
    "period_type": "quarter",
    "summary_pattern": "Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội {period}",
    "sections": [
        ("I. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ {period}", 1, "free_text", ""),
        ("1. Các chỉ tiêu chủ yếu", 2, "narrative", ""),
        ("", 2, "indicator_table", ""),
        ("2. Công tác chỉ đạo, điều hành", 2, "tasks", ""),
        ("3. Hệ thống thông tin dùng chung", 2, "systems", ""),
        ("II. NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM THỜI GIAN TỚI", 1, "free_text", ""),
        ("III. KIẾN NGHỊ, ĐỀ XUẤT", 1, "free_text", ""),
    ],
}


def seed(apps, schema_editor):
    Template = apps.get_model("reports", "ReportTemplate")
    Section = apps.get_model("reports", "ReportSection")
    for outline in (YEAR_END, SOCIO_QUARTERLY):
        if Template.objects.filter(name=outline["name"]).exists():
            continue
        template = Template.objects.create(
            name=outline["name"], kind=outline["kind"], period_type=outline["period_type"],
            summary_pattern=outline["summary_pattern"], doc_type="BÁO CÁO", active=True)
        for order, (heading, level, kind, text) in enumerate(outline["sections"], start=1):
            Section.objects.create(template=template, order=order * 10, heading=heading, level=level, kind=kind,
                                   default_text=text, options={})


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
