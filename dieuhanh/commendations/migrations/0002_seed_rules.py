"""The titles, forms, authorities, reward multiples, base salary, vote thresholds and share cap of the law as read
(Luật Thi đua, khen thưởng 06/2022/QH15; NĐ 152/2025/NĐ-CP from 01/07/2025, which replaced NĐ 98/2023; NĐ 73/2024).

Rows read only in secondary sources are kept as confirmed; rows that could not be confirmed at all are marked
"chờ xác nhận" with the reason, for an administrator to check against the text. Existing rows (by code) are left
as they are, so an administrator's corrections survive a re-run.
"""

import datetime

from django.db import migrations

D = datetime.date
LAW = "Luật Thi đua, khen thưởng 06/2022/QH15"
ND152 = "NĐ 152/2025/NĐ-CP, Điều 49–54"
NOT_ARTICLE = "Thẩm quyền của Chủ tịch UBND tỉnh: chưa xác nhận được điều khoản."
NOT_152 = "Hệ số theo NĐ 98/2023; chưa xác nhận được trong NĐ 152/2025."
NOT_VOTE = "Theo NĐ 98/2023 Điều 30.7; chưa đối chiếu được với NĐ 152/2025."

AUTHORITIES = [  # code, name, rank
    ("CT_XA", "Chủ tịch UBND cấp xã", 10),
    ("GD_SO", "Giám đốc Sở (thủ trưởng cơ quan chuyên môn thuộc UBND tỉnh)", 10),
    ("CT_TINH", "Chủ tịch UBND tỉnh", 30),
    ("BO_TRUONG", "Bộ trưởng, thủ trưởng cơ quan ngang bộ", 30),
    ("TTG", "Thủ tướng Chính phủ", 40),
    ("CTN", "Chủ tịch nước", 50),
]

T, F = "title", "form"
I, C = "individual", "collective"
# code, name, category, given to, authorities, rank, source of the kind, kind's unconfirmed note,
# multiple, multiple's unconfirmed note (empty: confirmed)
KINDS = [
    ("CSTD_TQ", "Chiến sĩ thi đua toàn quốc", T, I, ["TTG"], 40, f"{LAW}, Điều 19, 21", "", "4.5", ""),
    ("CSTD_TINH", "Chiến sĩ thi đua cấp bộ, ban, ngành, tỉnh", T, I, ["CT_TINH", "BO_TRUONG"], 30,
     f"{LAW}, Điều 19, 22", NOT_ARTICLE, "3.0", ""),
    ("CSTD_CS", "Chiến sĩ thi đua cơ sở", T, I, ["GD_SO", "CT_XA"], 20, f"{LAW}, Điều 19, 23", "", "1.0", ""),
    ("LDTT", "Lao động tiên tiến", T, I, ["GD_SO", "CT_XA"], 10, f"{LAW}, Điều 19, 24", "", "0.3", ""),
    ("CO_TD_CP", "Cờ thi đua của Chính phủ", T, C, ["TTG"], 50, f"{LAW}, Điều 20", "", "12", ""),
    ("CO_TD_TINH", "Cờ thi đua cấp bộ, ban, ngành, tỉnh", T, C, ["CT_TINH", "BO_TRUONG"], 40, f"{LAW}, Điều 20",
     NOT_ARTICLE, "8", ""),
    ("XA_TIEU_BIEU", "Xã, phường, đặc khu tiêu biểu", T, C, ["CT_TINH"], 35, f"{LAW}, Điều 20", NOT_ARTICLE, "2.0",
     ""),
    ("TTLDXS", "Tập thể lao động xuất sắc", T, C, ["CT_TINH"], 30, f"{LAW}, Điều 20, 27", NOT_ARTICLE, "1.5", ""),
    ("TTLDTT", "Tập thể lao động tiên tiến", T, C, ["GD_SO", "CT_XA"], 20, f"{LAW}, Điều 20, 28",
     "Tiêu chí ≥ 50% Lao động tiên tiến (Điều 28): chưa xác nhận.", "0.8", ""),
    ("THON_VH", "Thôn, tổ dân phố văn hóa", T, C, ["CT_XA"], 10, f"{LAW}, Điều 20; NĐ 129/2025, Điều 59", "",
     "1.5", ""),
    ("ANH_HUNG_LD_TT", "Danh hiệu Anh hùng Lao động (tập thể)", F, C, ["CTN"], 90, f"{LAW}, Điều 72", "", "31", ""),
    ("BK_TTG_TT", "Bằng khen của Thủ tướng Chính phủ (tập thể)", F, C, ["TTG"], 60, f"{LAW}, Điều 72, 75", "", "7",
     ""),
    ("BK_TINH_TT", "Bằng khen của Chủ tịch UBND tỉnh (tập thể)", F, C, ["CT_TINH"], 40, f"{LAW}, Điều 72, 74",
     NOT_ARTICLE, "3", ""),
    ("BK_BO_TT", "Bằng khen cấp bộ, ban, ngành (tập thể)", F, C, ["BO_TRUONG"], 40, f"{LAW}, Điều 72, 74", "", "3",
     ""),
    ("GK_TT", "Giấy khen (tập thể)", F, C, ["GD_SO", "CT_XA"], 20, f"{LAW}, Điều 72, 75", "", "0.6", ""),
    ("BK_TTG_CN", "Bằng khen của Thủ tướng Chính phủ (cá nhân)", F, I, ["TTG"], 60, f"{LAW}, Điều 72, 75", "",
     "3.5", NOT_152),
    ("BK_TINH_CN", "Bằng khen của Chủ tịch UBND tỉnh (cá nhân)", F, I, ["CT_TINH"], 40, f"{LAW}, Điều 72, 74",
     NOT_ARTICLE, "1.5", NOT_152),
    ("BK_BO_CN", "Bằng khen cấp bộ, ban, ngành (cá nhân)", F, I, ["BO_TRUONG"], 40, f"{LAW}, Điều 72, 74", "", "1.5",
     NOT_152),
    ("GK_CN", "Giấy khen (cá nhân)", F, I, ["GD_SO", "CT_XA"], 20, f"{LAW}, Điều 72, 75", "", "0.3", NOT_152),
]
MULTIPLES_FROM = D(2025, 7, 1)  # NĐ 152/2025 in force

# ≥ % of all council members (absent members vote in writing).
VOTES = [("ANH_HUNG_LD_TT", "90"), ("CSTD_TQ", "90"), ("CSTD_TINH", "90"), ("CSTD_CS", "80"), ("CO_TD_CP", "80"),
         ("CO_TD_TINH", "80")]
VOTES_FROM = D(2024, 1, 1)  # Luật 2022 and NĐ 98/2023 in force


def seed(apps, schema_editor):
    Authority = apps.get_model("commendations", "Authority")
    AwardKind = apps.get_model("commendations", "AwardKind")
    RewardMultiple = apps.get_model("commendations", "RewardMultiple")
    BaseSalary = apps.get_model("commendations", "BaseSalary")
    VoteThreshold = apps.get_model("commendations", "VoteThreshold")
    ShareCap = apps.get_model("commendations", "ShareCap")

    authorities = {}
    for code, name, rank in AUTHORITIES:
        authorities[code], _ = Authority.objects.get_or_create(code=code, defaults={"name": name, "rank": rank})
    kinds = {}
    for code, name, category, recipient, granted_by, rank, source, note, multiple, multiple_note in KINDS:
        kind, created = AwardKind.objects.get_or_create(code=code, defaults={
            "name": name, "category": category, "recipient": recipient, "rank": rank, "legal_source": source,
            "confirmed": not note, "unconfirmed_note": note,
        })
        kinds[code] = kind
        if not created:
            continue
        kind.authorities.set([authorities[a] for a in granted_by])
        RewardMultiple.objects.create(kind=kind, multiple=multiple, valid_from=MULTIPLES_FROM, legal_source=ND152,
                                      confirmed=not multiple_note, unconfirmed_note=multiple_note)
    BaseSalary.objects.get_or_create(valid_from=D(2024, 7, 1), defaults={
        "amount": 2_340_000, "legal_source": "NĐ 73/2024/NĐ-CP"})
    for code, percent in VOTES:
        VoteThreshold.objects.get_or_create(kind=kinds[code], valid_from=VOTES_FROM, defaults={
            "percent": percent, "legal_source": "NĐ 98/2023/NĐ-CP, Điều 30.7", "confirmed": False,
            "unconfirmed_note": NOT_VOTE})
    if not ShareCap.objects.exists():
        ShareCap.objects.create(
            kind=kinds["CSTD_CS"], of_kind=kinds["LDTT"], percent="15", enabled=False, valid_from=D(2024, 1, 1),
            legal_source="Quy định riêng của tỉnh (mức cũ của NĐ 91/2017/NĐ-CP, Điều 9.3)", confirmed=False,
            unconfirmed_note="Không còn là quy định chung từ 01/01/2024: bật lên nếu quy chế thi đua của tỉnh giữ mức "
                             "này.")


class Migration(migrations.Migration):

    dependencies = [("commendations", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
