"""The demo's units (the new Tây Ninh, its communes, agencies and enterprises, the two provinces it replaced)
and one user per role."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from dieuhanh.accounts.models import Role, RoleAssignment
from dieuhanh.accounts.passwords import DEMO_PASSWORD
from dieuhanh.orgunits.models import LineageEvent, OrgUnit
from dieuhanh.orgunits.services import (
    admin_units_load,
    lineage_shares_set,
    orgunit_create,
    orgunit_end,
    orgunit_merge,
    orgunit_split,
)

Kind = OrgUnit.Kind
REFORM_DATE = datetime.date(2025, 7, 1)
KHCN_TAKEOVER = datetime.date(2025, 3, 1)  # Sở TT&TT merged into Sở KH&CN (press went to Sở VHTTDL)

# The two provinces merged into the new Tây Ninh (Resolution 202/2025/QH15). Their pre-2025 official codes
# (72 Tây Ninh, 80 Long An) are taken by the new units, so the historic records get their own codes.
OLD_TAY_NINH = ("TN72", "Tây Ninh (cũ)")
OLD_LONG_AN = ("LA80", "Long An (cũ)")
OLD_STTTT = ("TN72-STTTT", "Sở Thông tin và Truyền thông tỉnh Tây Ninh")

# Communes merged on 1/7/2025 into two of the new wards, under the districts abolished the same day (the provinces'
# plans of April 2025, reported by plo.vn and thanhnien.vn): Phường Tân Ninh from five wards of the old Tây Ninh city;
# Phường Long An from five wards of Tân An, Hướng Thọ Phú and part of Bình Thạnh (Thủ Thừa). Where the rest of Bình
# Thạnh went, and the shares of the split, are the demo's assumptions. Codes are the demo's, not the official ones.
OLD_DISTRICTS = [  # (code, name, old province key, [(commune code, name, division type)])
    ("TN72-TPTN", "Thành phố Tây Ninh", "TN", [
        ("TN72-P1", "Phường 1", "phường"), ("TN72-P2", "Phường 2", "phường"), ("TN72-P3", "Phường 3", "phường"),
        ("TN72-P4", "Phường 4", "phường"), ("TN72-HN", "Phường Hiệp Ninh", "phường")]),
    ("LA80-TPTA", "Thành phố Tân An", "LA", [
        ("LA80-P1", "Phường 1", "phường"), ("LA80-P3", "Phường 3", "phường"), ("LA80-P4", "Phường 4", "phường"),
        ("LA80-P5", "Phường 5", "phường"), ("LA80-P6", "Phường 6", "phường"),
        ("LA80-HTP", "Xã Hướng Thọ Phú", "xã")]),
    ("LA80-TT", "Huyện Thủ Thừa", "LA", [("LA80-BT", "Xã Bình Thạnh", "xã")]),
]
MERGED_COMMUNES = {  # new commune name → the old communes merged into it
    "Phường Tân Ninh": ["TN72-P1", "TN72-P2", "TN72-P3", "TN72-P4", "TN72-HN"],
    "Phường Long An": ["LA80-P1", "LA80-P3", "LA80-P4", "LA80-P5", "LA80-P6", "LA80-HTP"],
}
SPLIT_COMMUNE = ("LA80-BT", {"Phường Long An": "0.35", "Xã Thủ Thừa": "0.65"})
SPLIT_BASIS = "Tỷ lệ dân số (giả định của dữ liệu mẫu)"

AGENCIES = [
    ("VP-UBND", "Văn phòng UBND tỉnh"),
    ("SKHCN", "Sở Khoa học và Công nghệ"),
    ("STC", "Sở Tài chính"),
    ("SNV", "Sở Nội vụ"),
    ("STP", "Sở Tư pháp"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("SYT", "Sở Y tế"),
    ("SGDDT", "Sở Giáo dục và Đào tạo"),
    ("SXD", "Sở Xây dựng"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường"),
    ("SCT", "Sở Công Thương"),
    ("SDTTG", "Sở Dân tộc và Tôn giáo"),
    ("CAT", "Công an tỉnh"),
    ("BCHQS", "Bộ Chỉ huy Quân sự tỉnh"),
    ("TTRA", "Thanh tra tỉnh"),
    ("BQL-KCN", "Ban Quản lý các khu công nghiệp tỉnh"),
    ("TTPVHCC", "Trung tâm Phục vụ hành chính công tỉnh"),
    ("THUE", "Thuế tỉnh Tây Ninh"),
    ("DPTTH", "Đài Phát thanh và Truyền hình tỉnh"),
    ("BAOTN", "Báo Tây Ninh"),
]
PRESS = ["DPTTH", "BAOTN"]

# Telecom and postal enterprises, with their share of the province's revenue and subscribers.
ENTERPRISES = [
    ("VNPT-TN", "VNPT Tây Ninh"),
    ("VIETTEL-TN", "Viettel Tây Ninh"),
    ("MOBIFONE-TN", "MobiFone Tây Ninh"),
    ("FPT-TN", "FPT Telecom Tây Ninh"),
    ("VNPOST-TN", "Bưu điện tỉnh Tây Ninh (VNPost)"),
    ("VTPOST-TN", "Viettel Post Tây Ninh"),
]
TELECOM = ["VNPT-TN", "VIETTEL-TN", "MOBIFONE-TN", "FPT-TN"]
POSTAL = ["VNPOST-TN", "VTPOST-TN"]

DEMO_COMMUNE = "Phường Tân Ninh"
PASSWORD = DEMO_PASSWORD


@dataclass
class DemoUnits:
    province: OrgUnit
    old_tay_ninh: OrgUnit
    old_long_an: OrgUnit
    communes: list[OrgUnit]
    agencies: dict[str, OrgUnit]
    enterprises: dict[str, OrgUnit]
    demo_commune: OrgUnit
    old_communes: list[OrgUnit] = field(default_factory=list)


@dataclass
class Login:
    username: str
    password: str
    role: str
    unit: str


@dataclass
class DemoUsers:
    by_key: dict[str, object] = field(default_factory=dict)
    logins: list[Login] = field(default_factory=list)


def _unit(code: str, name: str, kind: str, parent: OrgUnit | None, **extra) -> OrgUnit:
    existing = OrgUnit.objects.filter(code=code).first()
    return existing or orgunit_create(code=code, name=name, kind=kind, parent=parent, **extra)


@transaction.atomic
def units_ensure() -> DemoUnits:
    province = admin_units_load(province="Tây Ninh")
    communes = list(OrgUnit.objects.filter(parent=province, kind=Kind.COMMUNE).order_by("code"))
    agencies = {code: _unit(code, name, Kind.AGENCY, province) for code, name in AGENCIES}
    enterprises = {code: _unit(code, name, Kind.ENTERPRISE, province) for code, name in ENTERPRISES}

    old_tn = _unit(*OLD_TAY_NINH, Kind.PROVINCE, None, division_type="tỉnh")
    old_la = _unit(*OLD_LONG_AN, Kind.PROVINCE, None, division_type="tỉnh")
    old_stttt = _unit(*OLD_STTTT, Kind.AGENCY, old_tn)
    # Lineage is written once: a second build finds the events and leaves the units as they are.
    if not LineageEvent.objects.filter(predecessors=old_stttt).exists():
        orgunit_merge(
            predecessors=[old_stttt], successor=agencies["SKHCN"], effective_date=KHCN_TAKEOVER,
            legal_basis="Nghị quyết của HĐND tỉnh thành lập Sở Khoa học và Công nghệ trên cơ sở hợp nhất "
                        "Sở Khoa học và Công nghệ và Sở Thông tin và Truyền thông",
            note="Lĩnh vực báo chí, xuất bản chuyển sang Sở Văn hóa, Thể thao và Du lịch; "
                 "an toàn thông tin mạng chuyển sang Công an tỉnh.",
        )
    if not LineageEvent.objects.filter(predecessors=old_tn).exists():
        orgunit_merge(
            predecessors=[old_tn, old_la], successor=province, effective_date=REFORM_DATE,
            legal_basis="Nghị quyết 202/2025/QH15 về sắp xếp đơn vị hành chính cấp tỉnh",
            note="Hợp nhất tỉnh Long An và tỉnh Tây Ninh thành tỉnh Tây Ninh.",
        )
        old_tn.refresh_from_db()
        old_la.refresh_from_db()
    demo_commune = next((c for c in communes if c.name == DEMO_COMMUNE), communes[0])
    old_communes = _old_communes_ensure(old_tn, old_la, communes)
    return DemoUnits(
        province=province, old_tay_ninh=old_tn, old_long_an=old_la, communes=communes, agencies=agencies,
        enterprises=enterprises, demo_commune=demo_commune, old_communes=old_communes,
    )


def _old_communes_ensure(old_tn: OrgUnit, old_la: OrgUnit, communes: list[OrgUnit]) -> list[OrgUnit]:
    """The old districts and communes behind two new wards, and their merger and split on 1/7/2025 (once)."""
    provinces = {"TN": old_tn, "LA": old_la}
    by_name = {c.name: c for c in communes}
    old: dict[str, OrgUnit] = {}
    districts = []
    for code, name, key, members in OLD_DISTRICTS:
        district = _unit(code, name, Kind.DISTRICT, provinces[key], division_type="thành phố" if "Thành phố" in name
                         else "huyện")
        districts.append(district)
        for ccode, cname, dtype in members:
            old[ccode] = _unit(ccode, cname, Kind.COMMUNE, district, division_type=dtype)
    if LineageEvent.objects.filter(predecessors=old[SPLIT_COMMUNE[0]]).exists():
        return [OrgUnit.objects.get(pk=u.pk) for u in old.values()]
    if not all(name in by_name for name in (*MERGED_COMMUNES, *SPLIT_COMMUNE[1])):
        return list(old.values())  # a province list without these wards: no history to attach
    split_code, shares = SPLIT_COMMUNE
    event = orgunit_split(
        predecessor=old[split_code], successors=[by_name[name] for name in shares], effective_date=REFORM_DATE,
        legal_basis="Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp đơn vị hành chính cấp xã tỉnh Tây Ninh "
                    "năm 2025", note="Một phần xã Bình Thạnh nhập vào phường Long An.")
    lineage_shares_set(event=event, shares={by_name[name]: share for name, share in shares.items()},
                       basis=SPLIT_BASIS)
    for new_name, codes in MERGED_COMMUNES.items():
        orgunit_merge(
            predecessors=[old[c] for c in codes], successor=by_name[new_name], effective_date=REFORM_DATE,
            legal_basis="Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp đơn vị hành chính cấp xã tỉnh Tây Ninh "
                        "năm 2025")
    for district in districts:  # no district level from 1/7/2025
        orgunit_end(unit=district, effective_date=REFORM_DATE)
    return [OrgUnit.objects.get(pk=u.pk) for u in old.values()]


# key, username, first name, last name, [(role, unit key)], superuser
USERS = [
    ("admin", "admin", "Quản trị", "hệ thống", [(Role.ADMIN, "province")], True),
    ("leader", "lanhdao", "Nguyễn Văn", "Phó Chủ tịch", [(Role.LEADER, "province")], False),
    ("commune_reporter", "xa.baocao", "Trần Thị", "Hạnh", [(Role.REPORTER, "commune")], False),
    ("commune_approver", "xa.pheduyet", "Lê Văn", "Minh", [(Role.APPROVER, "commune")], False),
    ("agency_reporter", "khcn.baocao", "Phạm Thị", "Lan", [(Role.REPORTER, "SKHCN")], False),
    # The department receives and approves the enterprises' reports as well as its own.
    ("agency_approver", "khcn.pheduyet", "Võ Minh", "Tuấn",
     [(Role.APPROVER, "SKHCN"), *[(Role.APPROVER, code) for code, _ in ENTERPRISES]], False),
    ("enterprise_reporter", "vnpt.baocao", "Đỗ Thanh", "Bình", [(Role.REPORTER, "VNPT-TN")], False),
]

ROLE_LABELS = {
    "admin": "administrator (superuser)", "leader": "leader (Phó Chủ tịch UBND tỉnh)",
    "commune_reporter": "reporter", "commune_approver": "approver", "agency_reporter": "reporter",
    "agency_approver": "approver (also of the enterprises' reports)", "enterprise_reporter": "reporter",
}


@transaction.atomic
def users_ensure(units: DemoUnits) -> DemoUsers:
    """One user per role with a known password (set only when the user is created)."""
    lookup = {"province": units.province, "commune": units.demo_commune, **units.agencies, **units.enterprises}
    User = get_user_model()
    result = DemoUsers()
    for key, username, first, last, roles, superuser in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first, last_name=last, is_staff=superuser,
                        is_superuser=superuser, email=f"{username}@demo.dieuhanh.local")
            user.set_password(PASSWORD)
            user.full_clean()
            user.save()
        for role, unit_key in roles:
            RoleAssignment.objects.get_or_create(user=user, role=role, orgunit=lookup[unit_key])
        result.by_key[key] = user
        first_unit = lookup[roles[0][1]]
        result.logins.append(Login(username, PASSWORD, ROLE_LABELS[key], first_unit.name))
    return result
