"""The reporting deadlines for information-security incidents, as data with their source named.

Both come from Thông tư 20/2017/TT-BTTTT Điều 9.2 and Quyết định 05/2017/QĐ-TTg Điều 11. Luật An ninh mạng 2025
(in force 01/7/2026) and its decrees may have changed them; that is not confirmed, so the rules have no end date
and say so in their source. When the new rules are confirmed, end these (`valid_to`) and add the new ones.
"""

from django.db import migrations

PENDING = "chờ xác nhận theo Luật An ninh mạng 2025"
RULES = [
    {
        "code": "notification",
        "name": "Thông báo sự cố (báo cáo ban đầu)",
        "days": 5,
        "counted_from": "detection",
        "satisfied_by": "initial_report",
        "source": "Thông tư 20/2017/TT-BTTTT Điều 9.2; Quyết định 05/2017/QĐ-TTg Điều 11 — " + PENDING,
        "order": 1,
    },
    {
        "code": "closing_report",
        "name": "Báo cáo kết thúc ứng phó sự cố (Mẫu 04)",
        "days": 5,
        "counted_from": "response_end",
        "satisfied_by": "closing_report",
        "source": "Thông tư 20/2017/TT-BTTTT Điều 9.2b — " + PENDING,
        "order": 2,
    },
]


def seed(apps, schema_editor):
    ReportingRule = apps.get_model("monitoring", "ReportingRule")
    for rule in RULES:
        ReportingRule.objects.get_or_create(code=rule["code"], valid_from=None, defaults=rule)


def unseed(apps, schema_editor):
    ReportingRule = apps.get_model("monitoring", "ReportingRule")
    ReportingRule.objects.filter(code__in=[r["code"] for r in RULES], valid_from=None).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("monitoring", "0002_security_incidents"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
