"""The province's shared systems (the portal, document management, official e-mail, the one-stop shop, paperless
meetings, video conferencing, the LGSP on the data center, the WAN and data center, public bulletin boards), their
checks, 90 days of history with a few outages and maintenance, two incidents, three information-security incidents
(two handled and reported, one being contained now), and an operator to log in as.

The checks point at harmless local addresses (the demo's own server on 127.0.0.1:8000, the "discard" port 9 for
the bulletin boards' controller, which is down now), so the worker's probes touch nothing outside the machine.
The history is written as the runner would have written it (state changes, probe results), relative to the real
clock, since the worker keeps it going from there; outages are drawn from a seeded generator, so every build is
the same. Idempotent: a second build finds the systems and leaves them.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone

from dieuhanh.accounts.models import Role, RoleAssignment
from dieuhanh.monitoring import services, services_security
from dieuhanh.monitoring.models import (
    Check,
    CheckResult,
    Incident,
    MaintenanceWindow,
    State,
    StateChange,
    System,
)
from dieuhanh.monitoring.uptime import month_start, next_month, system_months_update
from dieuhanh.orgunits.models import OrgUnit

from .province import PASSWORD, DemoUnits, Login

C = System.Category
HISTORY_DAYS = 91
RESULT_DAYS = 7  # probe results the response-time chart reads (raw results are purged after 30 days anyway)
RESULT_STEP = datetime.timedelta(minutes=5)
LOCAL = "http://127.0.0.1:8000"
OPERATOR = ("vanhanh", "Trần Quốc", "Vận hành")  # username, first and last name

# code, name, category, owner key, public, level, approving document, depends on, checks
# (name, kind, fields); "down now" systems probe the discard port and are down at the end of the history.
SYSTEMS = [
    ("dc", "Trung tâm dữ liệu và mạng WAN tỉnh", C.NETWORK, "SKHCN", False, 4, "Số: 1520/QĐ-UBND", [], [
        ("Cổng quản trị trung tâm dữ liệu", "tcp", {"host": "127.0.0.1", "port": 8000}),
        ("Phân giải tên miền nội bộ", "dns", {"dns_name": "localhost", "dns_expected": "127.0.0.1"})]),
    ("lgsp", "Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP)", C.LGSP, "SKHCN", False, 3, "Số: 1521/QĐ-UBND",
     ["dc"], [("Dịch vụ LGSP", "http", {"url": f"{LOCAL}/status/", "keyword": "Hệ thống", "max_response_ms": 2000})]),
    ("cong-ttdt", "Cổng thông tin điện tử tỉnh", C.PORTAL, "VP-UBND", True, 2, "Số: 845/QĐ-UBND", ["dc"], [
        ("Trang chủ cổng", "http", {"url": f"{LOCAL}/status/", "keyword": "Hệ thống"})]),
    ("qlvb", "Hệ thống quản lý văn bản và hồ sơ công việc", C.DOCUMENTS, "VP-UBND", False, 3, "Số: 846/QĐ-UBND",
     ["dc", "lgsp"], [("Trang đăng nhập", "http", {"url": f"{LOCAL}/login/"})]),
    ("email", "Hệ thống thư điện tử công vụ tỉnh", C.EMAIL, "SKHCN", True, 2, "Số: 1522/QĐ-UBND", ["dc"], [
        ("Cổng SMTP", "tcp", {"host": "127.0.0.1", "port": 8000}),
        ("Webmail", "http", {"url": f"{LOCAL}/login/"})]),
    ("motcua", "Hệ thống thông tin giải quyết thủ tục hành chính tỉnh (một cửa điện tử)", C.ONE_STOP, "TTPVHCC",
     True, 3, "Số: 1318/QĐ-UBND", ["dc", "lgsp"], [
        ("Cổng dịch vụ công", "http", {"url": f"{LOCAL}/status/", "expected_statuses": "200-299"})]),
    ("hop-khong-giay", "Hệ thống phòng họp không giấy", C.MEETINGS, "VP-UBND", False, 2, "", ["dc"], [
        ("Trang họp", "http", {"url": f"{LOCAL}/login/"})]),
    ("hoi-nghi-th", "Hệ thống hội nghị truyền hình trực tuyến tỉnh", C.VIDEO, "VP-UBND", True, 2, "", ["dc"], [
        ("Máy chủ điều khiển (MCU)", "tcp", {"host": "127.0.0.1", "port": 8000})]),
    ("bang-tin", "Bảng tin điện tử công cộng", C.BULLETIN, "SKHCN", True, 1, "", ["dc"], [
        ("Bộ điều khiển bảng tin", "tcp", {"host": "127.0.0.1", "port": 9})]),
]
DOWN_NOW = {"bang-tin"}
OWNER_FALLBACK = "SKHCN"


@dataclass
class DemoSystems:
    systems: dict[str, System] = field(default_factory=dict)
    logins: list[Login] = field(default_factory=list)
    created: int = 0


def systems_owners(units: DemoUnits) -> dict[str, OrgUnit]:
    """The owning units by key: the demo's agencies (the portal and meetings are the People's Committee office's)."""
    return dict(units.agencies)


def systems_ensure(*, owners: dict[str, OrgUnit], now: datetime.datetime | None = None,
                   operator_unit: OrgUnit | None = None) -> DemoSystems:
    """The systems, their history and incidents, and the operator "vanhanh" on `operator_unit` (by default the
    parent of the owners, the province)."""
    now = now or timezone.now()
    result = DemoSystems()
    fallback = owners.get(OWNER_FALLBACK) or next(iter(owners.values()))
    province = operator_unit or fallback.parent or fallback
    login = _operator_ensure(province)
    result.logins.append(login)
    rng = random.Random("systems")
    for code, name, category, owner_key, public, level, document, depends, checks in SYSTEMS:
        system = System.objects.filter(code=code).first()
        if system is None:
            system = services.system_create(
                user=None, code=code, name=name, category=category, owner=owners.get(owner_key, fallback),
                operator_name="Trung tâm Chuyển đổi số tỉnh", operator_phone="0276 3822 000",
                operator_email="vanhanh@tayninh.gov.vn", security_level=level, level_document=document,
                public=public, depends_on=[result.systems[d] for d in depends])
            made = [services.check_create(system=system, user=None, name=check_name, kind=kind,
                                          interval_seconds=60, **fields) for check_name, kind, fields in checks]
            _history_add(system, made, now=now, rng=random.Random(f"history {code}"), down_now=code in DOWN_NOW)
            result.created += 1
        result.systems[code] = system
    if result.created:
        _maintenance_add(result.systems, now)
        _incidents_add(result.systems, now, rng)
        _security_incidents_add(result.systems, now, get_user_model().objects.get(username=login.username),
                                province)
        # The monthly figures the daily job keeps, over the history: the year's uptime of the overview and of the
        # year-end report (security_year_figures) reads them.
        month, last = month_start(timezone.localdate(now) - datetime.timedelta(days=HISTORY_DAYS)), \
            month_start(timezone.localdate(now))
        months = [month]
        while month < last:
            month = next_month(month)
            months.append(month)
        system_months_update(months=months, now=now)
    return result


def _operator_ensure(unit: OrgUnit) -> Login:
    User = get_user_model()
    username, first, last = OPERATOR
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name=first, last_name=last)
        user.set_password(PASSWORD)
        user.full_clean()
        user.save()
    RoleAssignment.objects.get_or_create(user=user, role=Role.OPERATOR, orgunit=unit)
    return Login(username, PASSWORD, "system operator (vận hành hệ thống)", unit.name)


def _outages(rng: random.Random, start, end, *, down_now: bool) -> list[tuple[datetime.datetime, datetime.timedelta]]:
    """(start, length) of a few outages over the period: most short, one in a while long."""
    out = []
    for _n in range(rng.randint(1, 4)):
        at = start + datetime.timedelta(seconds=rng.randint(3 * 86400, int((end - start).total_seconds()) - 86400))
        length = datetime.timedelta(minutes=rng.choice([4, 7, 12, 25, 48, 95, 260]))
        out.append((at, length))
    if down_now:
        out.append((end - datetime.timedelta(minutes=37), datetime.timedelta(days=1)))
    return sorted(out)


def _history_add(system: System, checks: list[Check], *, now, rng: random.Random, down_now: bool) -> None:
    """The first check's outages (the others stay up), as the runner records them: up → pending → down → up."""
    start = now - datetime.timedelta(days=HISTORY_DAYS)
    System.objects.filter(pk=system.pk).update(created_at=start)
    changes, results = [], []
    for n, check in enumerate(checks):
        changes.append(StateChange(check=check, system=system, at=start, old=State.UNKNOWN, new=State.UP))
        state, since, error = State.UP, start, ""
        outages = _outages(rng, start, now, down_now=down_now) if n == 0 else []
        down_spans = []
        for at, length in outages:
            error = ("Không kết nối được tới 127.0.0.1:9: Connection refused" if check.kind == "tcp"
                     else "HTTP 503 Service Unavailable")
            confirmed = at + datetime.timedelta(minutes=2)
            back = at + length
            changes += [StateChange(check=check, system=system, at=at, old=State.UP, new=State.PENDING, error=error),
                        StateChange(check=check, system=system, at=confirmed, old=State.PENDING, new=State.DOWN,
                                    error=error)]
            down_spans.append((at, back))
            if back < now:
                changes.append(StateChange(check=check, system=system, at=back, old=State.DOWN, new=State.UP))
                state, since = State.UP, back
            else:
                state, since = State.DOWN, confirmed
        moment = now - datetime.timedelta(days=RESULT_DAYS)
        base = 80 + rng.randint(0, 220)
        while moment < now:
            failed = any(a <= moment < b for a, b in down_spans)
            results.append(CheckResult(check=check, at=moment, ok=not failed,
                                       response_ms=None if failed else int(base * rng.uniform(.7, 1.6)),
                                       error=error if failed else ""))
            moment += RESULT_STEP
        Check.objects.filter(pk=check.pk).update(
            state=state, state_since=since, last_checked_at=now, last_ok_at=now if state == State.UP else since,
            last_error="" if state == State.UP else error,
            last_response_ms=None if state != State.UP else base, consecutive_failures=3 if state == State.DOWN else 0)
    StateChange.objects.bulk_create(changes, batch_size=2000)
    CheckResult.objects.bulk_create(results, batch_size=2000)
    worst = State.DOWN if down_now else State.UP
    since = max(c.at for c in changes if c.new == worst) if changes else now
    System.objects.filter(pk=system.pk).update(state=worst, state_since=since)


def _maintenance_add(systems: dict[str, System], now) -> None:
    """The data center's weekly window (Sunday 22:00–00:00) and a one-off upgrade of the one-stop shop."""
    if MaintenanceWindow.objects.filter(name__startswith="Bảo trì định kỳ").exists():
        return
    services.maintenance_create(
        user=None, name="Bảo trì định kỳ trung tâm dữ liệu", systems=[systems["dc"], systems["lgsp"]],
        weekdays="6", start_time=datetime.time(22, 0), duration_minutes=120,
        valid_from=timezone.localdate(now) - datetime.timedelta(days=HISTORY_DAYS),
        note="Cập nhật bản vá hệ điều hành và sao lưu toàn bộ.")
    day = timezone.localdate(now) - datetime.timedelta(days=20)
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(21, 0)))
    services.maintenance_create(
        user=None, name="Nâng cấp phiên bản Hệ thống một cửa điện tử", systems=[systems["motcua"]],
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=3),
        note="Nâng cấp theo Quyết định số 1318/QĐ-UBND; thông báo trước trên Cổng dịch vụ công.")


def _incidents_add(systems: dict[str, System], now, rng: random.Random) -> None:
    """An outage of the portal found, explained and closed, and the bulletin boards' controller down now."""
    portal = systems["cong-ttdt"]
    change = (StateChange.objects.filter(system=portal, new=State.DOWN).order_by("-at").first())
    if change is not None and not portal.incidents.exists():
        back = StateChange.objects.filter(check=change.check_id, at__gt=change.at, new=State.UP).order_by("at").first()
        incident = services.incident_open(system=portal, title="Cổng thông tin điện tử tỉnh không truy cập được",
                                          user=None, started_at=change.at, error=change.error, check=change.check)
        incident.ended_at = back.at if back else None
        incident.save(update_fields=["ended_at"])
        services.incident_note(
            incident=incident, user=None,
            cause="Máy chủ ứng dụng hết bộ nhớ do tiến trình tạo ảnh thu nhỏ bị treo.",
            actions="Khởi động lại dịch vụ, giới hạn bộ nhớ cho tiến trình tạo ảnh; theo dõi thêm 24 giờ.")
        closing = services.incident_close(incident=incident, user=None)
        Incident.objects.filter(pk=closing.pk).update(
            closed_at=(back.at if back else now) + datetime.timedelta(minutes=rng.randint(20, 90)))
    boards = systems["bang-tin"]
    change = StateChange.objects.filter(system=boards, new=State.DOWN).order_by("-at").first()
    if change is not None and not boards.incidents.exists():
        services.incident_open(system=boards, title="Mất kết nối bộ điều khiển bảng tin điện tử công cộng",
                               user=None, started_at=change.at, error=change.error, check=change.check)


# title, type, systems, days ago detected, serious, how detected, description, measures, result (closed) or None
# (being handled), initial and closing report numbers
SECURITY_INCIDENTS = [
    ("Thư điện tử giả mạo gửi đến cán bộ, công chức", "Lừa đảo (phishing)", ["email"], 63, False,
     "Cán bộ báo qua đường dây nóng của Trung tâm Giám sát",
     "Nhiều hộp thư công vụ nhận thư giả mạo thông báo của Bộ phận quản trị, dẫn tới trang đăng nhập giả để lấy "
     "mật khẩu; 3 tài khoản đã nhập mật khẩu.",
     "Chặn tên miền gửi thư và trang giả mạo; buộc đổi mật khẩu 3 tài khoản; cảnh báo toàn bộ cán bộ.",
     "Không phát hiện thư gửi đi trái phép từ 3 tài khoản; đã khôi phục an toàn hệ thống thư điện tử.",
     ("21/BC-TTCĐS", "24/BC-TTCĐS")),
    ("Tấn công từ chối dịch vụ vào Cổng thông tin điện tử tỉnh", "Tấn công từ chối dịch vụ (DDoS)", ["cong-ttdt"],
     27, False, "Hệ thống giám sát an toàn thông tin (SOC) cảnh báo lưu lượng bất thường",
     "Lưu lượng truy cập tăng gấp 40 lần trong 2 giờ từ nhiều địa chỉ nước ngoài; cổng phản hồi chậm.",
     "Bật lọc lưu lượng của nhà cung cấp dịch vụ; giới hạn tần suất truy cập theo địa chỉ.",
     "Cổng hoạt động bình thường trở lại sau 2 giờ 15 phút; không mất dữ liệu.",
     ("35/BC-TTCĐS", "38/BC-TTCĐS")),
    ("Mã độc trên máy trạm kết nối hệ thống quản lý văn bản", "Mã độc (malware)", ["qlvb"], 2, False,
     "Phần mềm phòng chống mã độc tập trung cảnh báo",
     "Hai máy trạm tại Văn phòng UBND tỉnh nhiễm mã độc đánh cắp thông tin đăng nhập; đang xác minh phạm vi.",
     "Cách ly hai máy trạm khỏi mạng; thu hồi phiên đăng nhập của hai tài khoản.", None, ("", "")),
]


def _security_incidents_add(systems: dict[str, System], now: datetime.datetime, operator, unit: OrgUnit) -> None:
    """The register's year: two incidents handled and reported (initial and closing reports), one being contained
    now (its initial report's deadline counting down). Written through the services, as the operator would, then
    dated back to when they happened."""
    from dieuhanh.monitoring.models_security import SecurityIncident, SecurityIncidentEvent

    Status = SecurityIncident.Status
    for (title, kind, codes, days, serious, method, description, measures, result, numbers) in SECURITY_INCIDENTS:
        detected = now - datetime.timedelta(days=days, hours=3)
        incident = services_security.security_incident_create(
            user=operator, orgunit=unit, title=title, incident_type=kind, description=description,
            detected_at=detected, detection_method=method, contact_name="Trần Quốc Vận Hành",
            contact_position="Phó Giám đốc Trung tâm Chuyển đổi số", contact_phone="0276 3822 000",
            contact_email="vanhanh@tayninh.gov.vn", operating_unit="Trung tâm Chuyển đổi số tỉnh",
            systems=[systems[c] for c in codes], serious=serious, measures=measures)
        steps = [(Status.CONTAINING, detected + datetime.timedelta(hours=1), "Đã cách ly, đang xác minh.")]
        if result is not None:
            steps += [(Status.RECOVERING, detected + datetime.timedelta(hours=6), "Đang khôi phục."),
                      (Status.CLOSED, detected + datetime.timedelta(days=1), result)]
        for status, at, note in steps:
            incident = services_security.security_incident_advance(
                user=operator, incident=incident, status=status, note=note,
                ended_at=at if status == Status.CLOSED else None)
            SecurityIncidentEvent.objects.filter(incident=incident, new_status=status).update(at=at)
        SecurityIncidentEvent.objects.filter(incident=incident, new_status=Status.RECEIVED).update(at=detected)
        for report, number, after in (("initial", numbers[0], 1), ("closing", numbers[1], 3)):
            if not number:
                continue
            sent = detected + datetime.timedelta(days=after)
            services_security.security_incident_record_report(user=operator, incident=incident, kind=report,
                                                              number=number, date=timezone.localdate(sent))
            SecurityIncidentEvent.objects.filter(incident=incident, kind=SecurityIncidentEvent.Kind.REPORT,
                                                 note__contains=number).update(at=sent)
        SecurityIncident.objects.filter(pk=incident.pk).update(created_at=detected)
