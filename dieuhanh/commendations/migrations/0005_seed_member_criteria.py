"""The criteria on a collective's members, as read: Tập thể lao động xuất sắc needs ≥ 70% Lao động tiên tiến and
at least one Chiến sĩ thi đua cơ sở (Luật 2022 Điều 27); Tập thể lao động tiên tiến ≥ 50% Lao động tiên tiến
(Điều 28 as remembered, not confirmed: marked "chờ xác nhận"). Existing rows are left alone."""

import datetime

from django.db import migrations

LAW = "Luật Thi đua, khen thưởng 06/2022/QH15"
FROM = datetime.date(2024, 1, 1)
CRITERIA = [  # kind, members' kind, min percent, min count, source, unconfirmed note
    ("TTLDXS", "LDTT", "70", None, f"{LAW}, Điều 27", ""),
    ("TTLDXS", "CSTD_CS", None, 1, f"{LAW}, Điều 27", ""),
    ("TTLDTT", "LDTT", "50", None, f"{LAW}, Điều 28",
     "Tiêu chí ≥ 50% Lao động tiên tiến (Điều 28): chưa xác nhận được từ văn bản luật."),
]


def seed(apps, schema_editor):
    AwardKind = apps.get_model("commendations", "AwardKind")
    MemberCriterion = apps.get_model("commendations", "MemberCriterion")
    kinds = {k.code: k for k in AwardKind.objects.filter(code__in=["TTLDXS", "TTLDTT", "LDTT", "CSTD_CS"])}
    for code, member, percent, count, source, note in CRITERIA:
        if code not in kinds or member not in kinds:
            continue
        MemberCriterion.objects.get_or_create(
            kind=kinds[code], member_kind=kinds[member], valid_from=FROM,
            defaults={"min_percent": percent, "min_count": count, "legal_source": source, "confirmed": not note,
                      "unconfirmed_note": note})


class Migration(migrations.Migration):

    dependencies = [("commendations", "0004_rounds_nominations")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
