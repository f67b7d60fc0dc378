"""Real local servers for the monitoring worker's tests: HTTP with given answers and delays, a TCP listener, a TLS
server with a certificate made by openssl for the test, and a tiny UDP DNS server (dnspython's message API)."""

from __future__ import annotations

import collections
import datetime as dt
import json
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import dns.exception
import dns.message
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # many checks connect at once; the default backlog of 5 would drop some


class HttpServer:
    """routes: path → (status, body (str, or a dict sent as JSON), delay in seconds)."""

    def __init__(self):
        self.routes: dict[str, tuple[int, object, float]] = {}
        self.hits: collections.Counter = collections.Counter()
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                path = self.path.split("?")[0]
                with outer.lock:
                    outer.hits[path] += 1
                status, body, delay = outer.routes.get(path, (404, "not found", 0))
                if delay:
                    time.sleep(delay)
                if isinstance(body, (dict, list)):
                    data, kind = json.dumps(body).encode(), "application/json"
                else:
                    data, kind = str(body).encode(), "text/html; charset=utf-8"
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (a timeout test)

            def log_message(self, *args):
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class TcpListener:
    def __init__(self, context: ssl.SSLContext | None = None):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.context = context
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn):
        try:
            if self.context is not None:
                conn.settimeout(5)
                conn = self.context.wrap_socket(conn, server_side=True)
                conn.recv(1)  # until the client closes
        except (OSError, ssl.SSLError):
            pass
        finally:
            conn.close()

    def close(self):
        self.running = False
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accept() of the serving thread
        except OSError:
            pass
        self.sock.close()
        self.thread.join(5)


def make_certificate(directory: Path, name: str, *, days: int = 1, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """A self-signed certificate for `host` (its own CA), valid for `days` from now."""
    key, cert = directory / f"{name}.key", directory / f"{name}.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", str(days), "-subj", f"/CN={host}",
                    "-addext", f"subjectAltName=IP:{host}", "-addext", "basicConstraints=critical,CA:TRUE"],
                   check=True, capture_output=True)
    return key, cert


def expired_certificate(directory: Path, name: str, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """A certificate whose validity ended yesterday: a CA signs it with `openssl ca`, which takes explicit
    -startdate and -enddate (OpenSSL 3.0's `req -x509` cannot backdate)."""
    ca_key, ca_cert = make_certificate(directory, f"{name}-ca", days=30, host=host)
    key, csr, cert = directory / f"{name}.key", directory / f"{name}.csr", directory / f"{name}.pem"
    subprocess.run(["openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(csr), "-subj", f"/CN={host}"], check=True, capture_output=True)
    (directory / "index.txt").write_text("")
    (directory / "serial").write_text("01\n")
    ext = directory / "ext.cnf"
    ext.write_text(f"subjectAltName=IP:{host}\n")
    config = directory / "ca.cnf"
    config.write_text(f"""[ca]
default_ca = here
[here]
dir = {directory}
database = {directory}/index.txt
serial = {directory}/serial
new_certs_dir = {directory}
default_md = sha256
policy = any
[any]
commonName = supplied
""")
    now = dt.datetime.now(dt.UTC)
    start = (now - dt.timedelta(days=10)).strftime("%Y%m%d%H%M%SZ")
    end = (now - dt.timedelta(days=1)).strftime("%Y%m%d%H%M%SZ")
    subprocess.run(["openssl", "ca", "-batch", "-config", str(config), "-cert", str(ca_cert), "-keyfile",
                    str(ca_key), "-in", str(csr), "-out", str(cert), "-startdate", start, "-enddate", end,
                    "-extfile", str(ext), "-notext"], check=True, capture_output=True)
    return key, cert


def tls_server(key: Path, cert: Path) -> TcpListener:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    return TcpListener(context)


class DnsServer:
    """Answers A queries from `records` (name → list of IPv4 addresses); other names get NXDOMAIN."""

    def __init__(self, records: dict[str, list[str]]):
        self.records = {k.rstrip(".").lower(): v for k, v in records.items()}
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                data, addr = self.sock.recvfrom(4096)
            except OSError:
                return
            try:
                self._answer(data, addr)
            except (OSError, dns.exception.DNSException):
                return

    def _answer(self, data, addr):
        query = dns.message.from_wire(data)
        response = dns.message.make_response(query)
        question = query.question[0]
        name = question.name.to_text().rstrip(".").lower()
        if name not in self.records:
            response.set_rcode(dns.rcode.NXDOMAIN)
        elif question.rdtype == dns.rdatatype.A:
            response.answer.append(dns.rrset.from_text_list(question.name, 60, dns.rdataclass.IN,
                                                            dns.rdatatype.A, self.records[name]))
        self.sock.sendto(response.to_wire(), addr)

    def close(self):
        self.sock.close()
