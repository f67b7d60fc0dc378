"""Each kind of check against real local servers: it passes, and it fails for the right reason, said in
Vietnamese (the worker's `run_once`, as `manage.py monitor --once` runs it)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from dieuhanh.monitoring.models import Check, CheckResult, State
from dieuhanh.monitoring.runner import run_once
from dieuhanh.monitoring.runner.probes import certificate_not_after
from dieuhanh.monitoring.services import check_create, system_create
from dieuhanh.monitoring.tests import _core_servers as servers


@pytest.fixture
def http():
    server = servers.HttpServer()
    yield server
    server.close()


@pytest.fixture
def system(province):
    return system_create(user=None, code="motcua", name="Hệ thống một cửa điện tử tỉnh", owner=province)


def run(check: Check) -> Check:
    Check.objects.filter(pk=check.pk).update(next_run_at=None)
    summary = run_once()
    assert check.pk in summary.check_ids
    check.refresh_from_db()
    return check


def http_check(system, url, **fields):
    return check_create(system=system, user=None, name="Trang chủ", kind=Check.Kind.HTTP, url=url,
                        **{"timeout_seconds": 2, **fields})


def test_it_passes_an_http_check_and_records_the_time(http, system):
    http.routes["/ok"] = (200, "<h1>Dịch vụ công trực tuyến</h1>", 0)
    check = run(http_check(system, http.url("/ok"), keyword="Dịch vụ công"))
    assert check.last_error == ""
    assert check.consecutive_successes == 1 and check.state == State.UP
    assert check.last_response_ms is not None and check.last_checked_at and check.last_ok_at
    result = CheckResult.objects.get(check=check)
    assert result.ok and result.response_ms == check.last_response_ms
    assert check.next_run_at > timezone.now() + dt.timedelta(seconds=50)


def test_it_fails_on_an_unexpected_status(http, system):
    http.routes["/err"] = (503, "Service Unavailable", 0)
    check = run(http_check(system, http.url("/err"), expected_statuses="200-299,301"))
    assert check.last_error == "Mã trạng thái HTTP 503 (mong đợi 200-299,301)"
    assert check.state == State.PENDING and check.consecutive_failures == 1
    http.routes["/moved"] = (301, "", 0)
    assert run(http_check(system, http.url("/moved"), expected_statuses="200-299,301")).last_error == ""


def test_it_checks_a_keyword_present_or_absent(http, system):
    http.routes["/page"] = (200, "Hệ thống đang bảo trì", 0)
    assert run(http_check(system, http.url("/page"), keyword="Đăng nhập")).last_error == (
        "Trang không chứa “Đăng nhập”")
    assert run(http_check(system, http.url("/page"), keyword="bảo trì", keyword_absent=True)).last_error == (
        "Trang có chứa “bảo trì”, là nội dung không được có")
    assert run(http_check(system, http.url("/page"), keyword="lỗi", keyword_absent=True)).last_error == ""


def test_it_checks_a_json_field_by_dotted_path(http, system):
    http.routes["/health"] = (200, {"data": {"status": "degraded", "nodes": [{"up": True}]}}, 0)
    http.routes["/text"] = (200, "not json", 0)
    assert run(http_check(system, http.url("/health"), json_path="data.status", json_expected="ok")).last_error == (
        "Trường JSON “data.status” có giá trị “degraded” (mong đợi “ok”)")
    assert run(http_check(system, http.url("/health"), json_path="data.nodes.0.up", json_expected="true")
               ).last_error == ""
    assert run(http_check(system, http.url("/health"), json_path="data.version")).last_error == (
        "Nội dung JSON không có trường “data.version”")
    assert run(http_check(system, http.url("/text"), json_path="status")).last_error == (
        "Nội dung trả về không phải JSON")


def test_it_fails_a_slow_answer_and_a_timeout(http, system):
    http.routes["/slow"] = (200, "ok", 0.3)
    check = run(http_check(system, http.url("/slow"), max_response_ms=100))
    assert check.last_error.startswith("Phản hồi chậm: ") and check.last_error.endswith("(giới hạn 100 ms)")
    http.routes["/hang"] = (200, "ok", 3)
    check = run(http_check(system, http.url("/hang"), timeout_seconds=1, interval_seconds=60))
    assert check.last_error == "Không có phản hồi trong 1 giây"


def test_it_fails_when_nothing_listens(system):
    listener = servers.TcpListener()
    port = listener.port
    listener.close()
    check = run(http_check(system, f"http://127.0.0.1:{port}/"))
    assert check.last_error == "Không kết nối được: bị từ chối kết nối"


def test_a_tcp_check_connects_or_says_why_not(system):
    listener = servers.TcpListener()
    try:
        check = run(check_create(system=system, user=None, name="CSDL", kind=Check.Kind.TCP, host="127.0.0.1",
                                 port=listener.port, timeout_seconds=2))
        assert check.last_error == "" and check.state == State.UP
    finally:
        listener.close()
    check = run(check)
    assert check.last_error == f"Không kết nối được tới 127.0.0.1:{listener.port}: bị từ chối kết nối"


def test_a_tls_check_reads_the_expiry_and_warns_or_fails(system, tmp_path):
    good_key, good = servers.make_certificate(tmp_path, "good", days=90)
    soon_key, soon = servers.make_certificate(tmp_path, "soon", days=10)
    old_key, old = servers.expired_certificate(tmp_path, "old")
    bundle = tmp_path / "trusted.pem"
    bundle.write_text(good.read_text() + soon.read_text() + (tmp_path / "old-ca.pem").read_text())
    listeners = [servers.tls_server(k, c) for k, c in ((good_key, good), (soon_key, soon), (old_key, old))]
    try:
        with override_settings(MONITORING_CA_FILE=str(bundle)):
            checks = [check_create(system=system, user=None, name=f"TLS {i}", kind=Check.Kind.TLS,
                                   host="127.0.0.1", port=listener.port, timeout_seconds=3)
                      for i, listener in enumerate(listeners)]
            fine, expiring, expired = (run(c) for c in checks)
        now = timezone.now()
        assert fine.last_error == "" and fine.state == State.UP
        assert dt.timedelta(days=89) < fine.cert_expires_at - now <= dt.timedelta(days=90)
        assert expiring.state == State.UP  # a warning, not an outage
        assert expiring.last_error.startswith("Chứng chỉ sẽ hết hạn sau 9 ngày (")
        day = timezone.localtime(expired.cert_expires_at).strftime("%d/%m/%Y")
        assert expired.last_error == f"Chứng chỉ đã hết hạn ngày {day}"
        assert expired.state == State.PENDING and expired.cert_expires_at < now
        # Not trusted at all: the expiry is still read, and the reason named.
        untrusted = run(checks[0])
        assert untrusted.last_error.startswith("Chứng chỉ không hợp lệ: ")
        assert untrusted.cert_expires_at == fine.cert_expires_at
    finally:
        for listener in listeners:
            listener.close()


def test_the_certificate_reader_matches_openssl(tmp_path):
    import ssl
    import subprocess

    _key, cert = servers.make_certificate(tmp_path, "c", days=45)
    der = ssl.PEM_cert_to_DER_cert(cert.read_text())
    end = subprocess.run(["openssl", "x509", "-in", str(cert), "-noout", "-enddate"], capture_output=True,
                         text=True, check=True).stdout.strip().split("=", 1)[1]
    assert certificate_not_after(der) == dt.datetime.fromtimestamp(ssl.cert_time_to_seconds(end), dt.UTC)


def test_a_dns_check_compares_the_addresses(system):
    server = servers.DnsServer({"dichvucong.tayninh.gov.vn": ["10.0.0.1", "10.0.0.2"]})
    try:
        def dns_check(name, expected):
            return run(check_create(system=system, user=None, name="DNS", kind=Check.Kind.DNS, dns_name=name,
                                    dns_expected=expected, host="127.0.0.1", port=server.port, timeout_seconds=2))

        assert dns_check("dichvucong.tayninh.gov.vn", "10.0.0.1, 10.0.0.2").last_error == ""
        assert dns_check("dichvucong.tayninh.gov.vn", "").last_error == ""
        assert dns_check("dichvucong.tayninh.gov.vn", "10.0.0.1").last_error == (
            "dichvucong.tayninh.gov.vn phân giải ra 10.0.0.1, 10.0.0.2 (mong đợi 10.0.0.1)")
        assert dns_check("khongco.tayninh.gov.vn", "").last_error == "Tên miền khongco.tayninh.gov.vn không tồn tại"
    finally:
        server.close()
    silent = servers.DnsServer({})
    silent.close()  # nobody answers on that port any more
    check = run(check_create(system=system, user=None, name="DNS", kind=Check.Kind.DNS, dns_name="a.vn",
                             host="127.0.0.1", port=silent.port, timeout_seconds=1))
    assert check.last_error in ("Máy chủ DNS không trả lời trong 1 giây", "Không máy chủ DNS nào trả lời được cho a.vn")


def test_an_https_check_trusts_the_provinces_own_ca(system, tmp_path):
    import ssl

    key, cert = servers.make_certificate(tmp_path, "https", days=90)
    server = servers.HttpServer()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    server.server.socket = context.wrap_socket(server.server.socket, server_side=True)
    server.routes["/"] = (200, "Cổng dịch vụ công", 0)
    url = server.url("/").replace("http://", "https://")
    try:
        check = run(http_check(system, url, keyword="dịch vụ công"))
        assert check.last_error.startswith("Không kết nối được: chứng chỉ không hợp lệ (")
        with override_settings(MONITORING_CA_FILE=str(cert)):
            assert run(check).last_error == ""
    finally:
        server.close()
