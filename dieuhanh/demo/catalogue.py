"""The demo's sectors, indicators, reporting forms and public holidays (all keyed by code or date, so a
second build updates nothing)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from dieuhanh.indicators.models import Indicator, Sector
from dieuhanh.orgunits.models import OrgUnit
from dieuhanh.reporting.models import FormRow, FormSection, Holiday, ReportForm

VT = Indicator.ValueType
UA = Indicator.UnitAggregation
PA = Indicator.PeriodAggregation

SECTORS = [
    ("BCVT", "Bưu chính, viễn thông", 1),
    ("BCPT", "Báo chí, phát thanh, truyền hình", 2),
    ("CDS", "Chuyển đổi số, chính quyền số", 3),
    ("KTXH", "Kinh tế - xã hội", 4),
]

PCT = {"value_type": VT.PERCENT, "decimals": 1, "unit": "%", "min_value": Decimal(0), "max_value": Decimal(100)}
MONEY = {"value_type": VT.NUMBER, "decimals": 2, "unit": "tỷ đồng", "min_value": Decimal(0)}
COUNT = {"value_type": VT.INTEGER, "decimals": 0, "min_value": Decimal(0)}

# code, sector, name, fields. Stocks (subscribers, stations, connected agencies) take the last value of a
# period; flows (revenue, dossiers) add up; shares are averaged across units, some weighted by a count.
INDICATORS: list[tuple[str, str, str, dict]] = [
    ("DT_BC", "BCVT", "Doanh thu bưu chính", MONEY),
    ("DT_VT", "BCVT", "Doanh thu viễn thông", MONEY),
    ("DT_VT_DD", "BCVT", "Doanh thu dịch vụ viễn thông di động", MONEY),
    ("NS_BCVT", "BCVT", "Nộp ngân sách nhà nước của doanh nghiệp bưu chính, viễn thông", MONEY),
    ("TB_DD", "BCVT", "Thuê bao di động", {**COUNT, "unit": "thuê bao", "period_aggregation": PA.LAST}),
    ("TB_BRCD", "BCVT", "Thuê bao băng rộng cố định", {**COUNT, "unit": "thuê bao", "period_aggregation": PA.LAST}),
    ("TRAM_BTS", "BCVT", "Trạm thu phát sóng di động (BTS)", {**COUNT, "unit": "trạm", "period_aggregation": PA.LAST}),
    ("TL_XA_VT", "BCVT", "Tỷ lệ xã, phường có hạ tầng viễn thông băng rộng",
     {**PCT, "unit_aggregation": UA.AVERAGE, "period_aggregation": PA.LAST}),
    ("TL_XA_CQ", "BCVT", "Tỷ lệ xã, phường có cáp quang đến trung tâm",
     {**PCT, "unit_aggregation": UA.AVERAGE, "period_aggregation": PA.LAST}),
    ("DT_BCPT", "BCPT", "Doanh thu báo chí, phát thanh, truyền hình", MONEY),
    ("NS_BCPT", "BCPT", "Nộp ngân sách nhà nước của cơ quan báo chí", MONEY),
    ("CQ_WAN", "CDS", "Cơ quan cấp tỉnh kết nối mạng diện rộng",
     {**COUNT, "unit": "cơ quan", "period_aggregation": PA.LAST}),
    ("TL_CBCC_MT", "CDS", "Tỷ lệ cán bộ, công chức có máy tính kết nối Internet",
     {**PCT, "unit_aggregation": UA.AVERAGE, "period_aggregation": PA.LAST}),
    ("HS_TN", "CDS", "Hồ sơ thủ tục hành chính tiếp nhận", {**COUNT, "unit": "hồ sơ"}),
    ("TL_HS_TT", "CDS", "Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến",
     {**PCT, "unit_aggregation": UA.WEIGHTED_AVERAGE, "period_aggregation": PA.AVERAGE, "weight": "HS_TN"}),
    ("TL_HS_DH", "CDS", "Tỷ lệ hồ sơ giải quyết đúng hạn",
     {**PCT, "unit_aggregation": UA.WEIGHTED_AVERAGE, "period_aggregation": PA.AVERAGE, "weight": "HS_TN"}),
    ("TL_DVC_TT", "CDS", "Tỷ lệ dịch vụ công trực tuyến toàn trình",
     {**PCT, "unit_aggregation": UA.AVERAGE, "period_aggregation": PA.LAST}),
    ("VB_DT", "CDS", "Văn bản gửi, nhận điện tử", {**COUNT, "unit": "văn bản"}),
    ("GRDP_TT", "KTXH", "Tốc độ tăng trưởng GRDP",
     {"value_type": VT.PERCENT, "decimals": 2, "unit": "%", "unit_aggregation": UA.NONE,
      "period_aggregation": PA.LAST, "min_value": Decimal(-100), "max_value": Decimal(100)}),
    ("GRDP_BQ", "KTXH", "GRDP bình quân đầu người",
     {"value_type": VT.NUMBER, "decimals": 1, "unit": "triệu đồng", "unit_aggregation": UA.NONE,
      "period_aggregation": PA.LAST, "min_value": Decimal(0)}),
    ("THU_NS", "KTXH", "Thu ngân sách nhà nước trên địa bàn", MONEY),
    ("THU_NS_XA", "KTXH", "Thu ngân sách cấp xã", MONEY),
    ("XK", "KTXH", "Kim ngạch xuất khẩu", {**MONEY, "unit": "triệu USD"}),
    ("FDI", "KTXH", "Vốn FDI đăng ký cấp mới và tăng thêm", {**MONEY, "unit": "triệu USD"}),
]

# What the wall's cards and other narrow tiles show for the long names (Indicator.short_name).
SHORT_NAMES = {
    "DT_VT_DD": "Doanh thu viễn thông di động",
    "NS_BCVT": "Nộp ngân sách của DN BCVT",
    "TRAM_BTS": "Trạm BTS",
    "TL_XA_VT": "Xã, phường có hạ tầng băng rộng",
    "TL_XA_CQ": "Xã, phường có cáp quang",
    "DT_BCPT": "Doanh thu báo chí, PT-TH",
    "NS_BCPT": "Nộp ngân sách của cơ quan báo chí",
    "CQ_WAN": "Cơ quan nối mạng diện rộng",
    "TL_CBCC_MT": "CBCC có máy tính nối Internet",
    "HS_TN": "Hồ sơ TTHC tiếp nhận",
    "TL_HS_TT": "Hồ sơ nộp trực tuyến",
    "TL_HS_DH": "Hồ sơ giải quyết đúng hạn",
    "TL_DVC_TT": "DVC trực tuyến toàn trình",
    "THU_NS": "Thu ngân sách trên địa bàn",
    "FDI": "Vốn FDI đăng ký",
}

DESCRIPTIONS = {
    "DT_VT_DD": "Một phần của doanh thu viễn thông.",
    "TL_HS_TT": "Bình quân gia quyền theo số hồ sơ tiếp nhận.",
    "TL_HS_DH": "Bình quân gia quyền theo số hồ sơ tiếp nhận.",
    "GRDP_TT": "So với cùng kỳ năm trước; không cộng dồn giữa các đơn vị.",
}


@transaction.atomic
def catalogue_ensure() -> dict[str, Indicator]:
    """Create or refresh the sectors and indicators; returns indicators by code."""
    sectors = {}
    for code, name, order in SECTORS:
        sectors[code], _ = Sector.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    indicators: dict[str, Indicator] = {}
    for code, sector, name, spec in INDICATORS:
        fields = {k: v for k, v in spec.items() if k != "weight"}
        fields.update(name=name, short_name=SHORT_NAMES.get(code, ""), sector=sectors[sector],
                      description=DESCRIPTIONS.get(code, ""))
        if "weight" in spec:
            fields["weight_indicator"] = indicators[spec["weight"]]
        indicator = Indicator.objects.filter(code=code).first()
        changed = indicator is None
        if indicator is None:
            indicator = Indicator(code=code, **fields)
        for key, value in fields.items():
            current = getattr(indicator, key)
            if isinstance(value, Decimal) and current is not None:
                current = Decimal(current)
            if current != value:
                setattr(indicator, key, value)
                changed = True
        if changed:
            indicator.full_clean()
            indicator.save()
        indicators[code] = indicator
    return indicators


# --- forms --------------------------------------------------------------------------------------------------
# Each form: code, name, period type, deadline (kind, day, month offset, working days), description,
# sections [(title, [(indicator, kinds, label, part-of indicator)])].
ENTERPRISE_FORM = "02/BC-DN"
SECTOR_FORM = "01/BC-KHCN"
SECTOR_YEAR_FORM = "03/BC-KHCN"
SOCIO_FORM = "01/BC-KTXH"

FORMS = [
    {
        "code": ENTERPRISE_FORM,
        "name": "Báo cáo số liệu hoạt động bưu chính, viễn thông của doanh nghiệp",
        "period_type": "month",
        "deadline": ("day_of_month", 15, 0, 1),
        "description": "Doanh nghiệp bưu chính, viễn thông báo cáo Sở Khoa học và Công nghệ hằng tháng, "
                       "chậm nhất ngày 15 (Thông tư 02/2023/TT-BTTTT).",
        "sections": [
            ("Doanh thu và nộp ngân sách", [
                ("DT_BC", "estimate,actual", "", None),
                ("DT_VT", "estimate,actual", "", None),
                ("DT_VT_DD", "estimate,actual", "Doanh thu di động", "DT_VT"),  # the page says "trong đó"
                ("NS_BCVT", "estimate,actual", "Nộp ngân sách nhà nước", None),
            ]),
            ("Thuê bao và hạ tầng", [
                ("TB_DD", "actual", "", None),
                ("TB_BRCD", "actual", "", None),
                ("TRAM_BTS", "actual", "", None),
            ]),
        ],
    },
    {
        "code": SECTOR_FORM,
        "name": "Báo cáo tình hình chuyển đổi số và hạ tầng số của tỉnh (quý)",
        "period_type": "quarter",
        "deadline": ("day_of_month", 6, 0, 1),
        "description": "Sở Khoa học và Công nghệ báo cáo UBND tỉnh, chậm nhất ngày 6 tháng cuối quý "
                       "(Thông tư 02/2023/TT-BTTTT).",
        "sections": [
            ("Hạ tầng số", [
                ("TL_XA_VT", "target,actual", "", None),
                ("TL_XA_CQ", "target,actual", "", None),
                ("CQ_WAN", "target,actual", "", None),
            ]),
            ("Chính quyền số", [
                ("TL_CBCC_MT", "target,actual", "", None),
                ("TL_DVC_TT", "target,actual", "", None),
            ]),
        ],
    },
    {
        "code": SECTOR_YEAR_FORM,
        "name": "Báo cáo năm ngành khoa học, công nghệ và chuyển đổi số",
        "period_type": "year",
        "deadline": ("day_of_month", 25, -1, 1),
        "description": "Báo cáo năm gửi UBND tỉnh chậm nhất ngày 25/11 (Thông tư 02/2023/TT-BTTTT); "
                       "số liệu đến cuối năm là ước thực hiện. Doanh thu, thuê bao do doanh nghiệp báo cáo "
                       "theo biểu 02/BC-DN.",
        "sections": [
            ("Hạ tầng số", [
                ("TL_XA_CQ", "target,estimate,actual", "", None),
                ("CQ_WAN", "target,estimate,actual", "", None),
            ]),
            ("Chính quyền số", [
                ("TL_CBCC_MT", "target,estimate,actual", "", None),
                ("TL_DVC_TT", "target,estimate,actual", "", None),
            ]),
        ],
    },
    {
        "code": SOCIO_FORM,
        "name": "Báo cáo kinh tế - xã hội và cải cách hành chính (quý)",
        "period_type": "quarter",
        "deadline": ("working_days_after_cutoff", 0, 0, 2),
        "description": "Các sở, ngành và UBND cấp xã báo cáo Văn phòng UBND tỉnh trong 2 ngày làm việc "
                       "sau ngày chốt số liệu (Nghị định 09/2019/NĐ-CP).",
        "sections": [
            ("Cải cách hành chính", [
                ("HS_TN", "actual", "", None),
                ("TL_HS_TT", "actual", "", None),
                ("TL_HS_DH", "actual", "", None),
                ("VB_DT", "actual", "", None),
            ]),
            ("Ngân sách", [
                ("THU_NS_XA", "target,estimate,actual", "Thu ngân sách (đơn vị cấp xã)", None),
            ]),
        ],
    },
]


@transaction.atomic
def forms_ensure(
    *, indicators: dict[str, Indicator], units_by_form: dict[str, list[OrgUnit]], receivers: dict[str, OrgUnit]
) -> dict[str, ReportForm]:
    forms: dict[str, ReportForm] = {}
    for spec in FORMS:
        kind, day, offset, working = spec["deadline"]
        form = ReportForm.objects.filter(code=spec["code"]).first() or ReportForm(code=spec["code"])
        fields = {
            "name": spec["name"], "period_type": spec["period_type"], "deadline_kind": kind,
            "deadline_day": day or 15, "deadline_month_offset": offset, "deadline_working_days": working,
            "description": spec["description"], "receiver": receivers[spec["code"]],
        }
        if form.pk is None or any(getattr(form, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(form, k, v)
            form.full_clean()
            form.save()
        wanted = {u.pk for u in units_by_form[spec["code"]]}
        missing = wanted - set(form.units.values_list("pk", flat=True))
        if missing:
            form.units.add(*missing)
        for order, (title, rows) in enumerate(spec["sections"], start=1):
            section, _ = FormSection.objects.get_or_create(form=form, order=order, defaults={"title": title})
            by_indicator: dict[str, FormRow] = {}
            for row_order, (code, kinds, label, part_of) in enumerate(rows, start=1):
                row, _ = FormRow.objects.get_or_create(
                    section=section, indicator=indicators[code],
                    defaults={"order": row_order, "kinds": kinds, "label": label,
                              "total_row": by_indicator.get(part_of) if part_of else None},
                )
                if row.label != label:  # a demo built before the label changed
                    row.label = label
                    row.save(update_fields=["label"])
                by_indicator[code] = row
        forms[form.code] = form
    return forms


# --- public holidays ------------------------------------------------------------------------------------------
# Weekday days off (weekends need no row). 2027 Tết and National Day dates follow the usual pattern and are
# marked expected until the Government announces them.
def _days(year: int, month: int, days: list[int], name: str) -> list[tuple[datetime.date, str]]:
    return [(datetime.date(year, month, d), name) for d in days]


HOLIDAYS: list[tuple[datetime.date, str]] = [
    *_days(2025, 1, [1], "Tết Dương lịch"),
    *_days(2025, 1, [27, 28, 29, 30, 31], "Tết Nguyên đán Ất Tỵ"),
    *_days(2025, 4, [7], "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
    *_days(2025, 4, [30], "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    *_days(2025, 5, [1], "Ngày Quốc tế Lao động"),
    *_days(2025, 5, [2], "Nghỉ hoán đổi dịp 30/4 - 1/5"),
    *_days(2025, 9, [1, 2], "Quốc khánh"),
    *_days(2026, 1, [1], "Tết Dương lịch"),
    *_days(2026, 2, [16, 17, 18, 19, 20], "Tết Nguyên đán Bính Ngọ"),
    *_days(2026, 4, [27], "Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch rơi vào Chủ nhật)"),
    *_days(2026, 4, [30], "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    *_days(2026, 5, [1], "Ngày Quốc tế Lao động"),
    *_days(2026, 9, [1, 2], "Quốc khánh"),
    *_days(2027, 1, [1], "Tết Dương lịch"),
    *_days(2027, 2, [4, 5, 8, 9, 10], "Tết Nguyên đán Đinh Mùi (dự kiến)"),
    *_days(2027, 4, [16], "Giỗ Tổ Hùng Vương (10/3 âm lịch, dự kiến)"),
    *_days(2027, 4, [30], "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    *_days(2027, 5, [3], "Nghỉ bù Ngày Quốc tế Lao động (1/5 rơi vào thứ Bảy)"),
    *_days(2027, 9, [2, 3], "Quốc khánh (dự kiến)"),
]


def holidays_ensure() -> int:
    existing = set(Holiday.objects.filter(date__in=[d for d, _ in HOLIDAYS]).values_list("date", flat=True))
    new = [Holiday(date=d, name=n) for d, n in HOLIDAYS if d not in existing]
    Holiday.objects.bulk_create(new)
    return len(new)
