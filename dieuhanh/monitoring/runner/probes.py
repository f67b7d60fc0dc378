"""The probes: one coroutine per check kind, touching the network only (no database), so that the worker can run
hundreds at once in one event loop. Each returns an Outcome whose error is a sentence in the active language
(the worker runs under the site's language, Vietnamese), naming what failed and what was expected."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import logging
import ssl
import time

import dns.asyncresolver
import dns.exception
import dns.resolver
import httpx
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from dieuhanh.lib.vnformat import format_number
from dieuhanh.monitoring.services import parse_addresses, parse_statuses, parse_warn_days

# httpx logs every request at INFO: a thousand checks a minute would drown the worker's own log.
logging.getLogger("httpx").setLevel(logging.WARNING)

USER_AGENT = "DieuHanh-Monitor/1"
MAX_BODY_BYTES = 1_000_000  # enough for a health page or a JSON status; a bigger body is read this far
ERROR_MAX_CHARS = 500


@dataclasses.dataclass(frozen=True)
class ProbeSpec:
    """What the probe of one check needs, copied out of the row so the coroutine never touches the database."""

    id: int
    kind: str
    timeout: float
    url: str = ""
    expected_statuses: str = "200-299"
    keyword: str = ""
    keyword_absent: bool = False
    json_path: str = ""
    json_expected: str = ""
    max_response_ms: int | None = None
    host: str = ""
    port: int | None = None
    cert_warn_days: str = "30,14,7"
    dns_name: str = ""
    dns_expected: str = ""

    @classmethod
    def of(cls, check) -> ProbeSpec:
        return cls(id=check.pk, kind=check.kind, timeout=float(check.timeout_seconds), url=check.url,
                   expected_statuses=check.expected_statuses, keyword=check.keyword,
                   keyword_absent=check.keyword_absent, json_path=check.json_path,
                   json_expected=check.json_expected, max_response_ms=check.max_response_ms, host=check.host,
                   port=check.port, cert_warn_days=check.cert_warn_days, dns_name=check.dns_name,
                   dns_expected=check.dns_expected)


@dataclasses.dataclass
class Outcome:
    ok: bool
    error: str = ""  # for a success: a warning (a certificate expiring soon), or empty
    response_ms: int | None = None
    cert_expires_at: dt.datetime | None = None


def _seconds(value: float) -> str:
    return format_number(value, 1, trim=True)


def _no_answer(timeout: float) -> Outcome:
    return Outcome(False, _("No answer within %(seconds)s seconds") % {"seconds": _seconds(timeout)})


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return _("connection refused")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return _("invalid certificate (%(reason)s)") % {"reason": exc.verify_message or exc.reason}
    return str(exc) or type(exc).__name__


def _root_cause(exc: BaseException) -> BaseException:
    """httpx wraps the socket's error: find the one worth naming (refused, a certificate) in the chain."""
    seen, current = set(), exc
    while current is not None and id(current) not in seen:
        if isinstance(current, (ConnectionRefusedError, ssl.SSLCertVerificationError)):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return exc


def ssl_context(*, verify: bool = True) -> ssl.SSLContext:
    """The system's trusted authorities, plus MONITORING_CA_FILE: a province's own CA (the government's root, an
    intranet CA) is often not among the public ones."""
    if not verify:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    context = ssl.create_default_context()
    extra = getattr(settings, "MONITORING_CA_FILE", None)
    if extra:
        context.load_verify_locations(cafile=extra)
    return context


async def probe(spec: ProbeSpec, *, client: httpx.AsyncClient | None = None) -> Outcome:
    """Run the probe of `spec`, bounded by its timeout (plus a second for the bookkeeping of the libraries)."""
    runner = {"http": probe_http, "tcp": probe_tcp, "tls": probe_tls, "dns": probe_dns}.get(spec.kind)
    if runner is None:
        return Outcome(False, _("This kind of check has no probe"))
    try:
        if spec.kind == "http":
            return await asyncio.wait_for(probe_http(spec, client=client), spec.timeout + 1)
        return await asyncio.wait_for(runner(spec), spec.timeout + 1)
    except TimeoutError:
        return _no_answer(spec.timeout)
    except Exception as exc:  # a probe must never take the worker down; the check records what happened
        return Outcome(False, _("The check could not run: %(reason)s") % {"reason": _reason(exc)})


# --- HTTP ---------------------------------------------------------------------------------------------------------

def http_client(*, connections: int = 200) -> httpx.AsyncClient:
    """One client for a whole run: connections are pooled per host. Redirects are not followed, so that a 301 can
    be expected (or refused) by the check's statuses."""
    return httpx.AsyncClient(verify=ssl_context(), follow_redirects=False, headers={"User-Agent": USER_AGENT},
                             limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections))


def json_value(data, path: str):
    """The value at a dotted `path` ("data.items.0.status"); KeyError when it is not there."""
    for part in path.split("."):
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and part.lstrip("-").isdigit() and -len(data) <= int(part) < len(data):
            data = data[int(part)]
        else:
            raise KeyError(part)
    return data


def _json_text(value) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


async def probe_http(spec: ProbeSpec, *, client: httpx.AsyncClient | None = None) -> Outcome:
    own = client is None
    client = client or http_client(connections=1)
    started = time.perf_counter()
    try:
        async with client.stream("GET", spec.url, timeout=spec.timeout) as response:
            chunks, size = [], 0
            async for chunk in response.aiter_bytes():
                chunks.append(chunk)
                size += len(chunk)
                if size >= MAX_BODY_BYTES:
                    break
            body = b"".join(chunks)[:MAX_BODY_BYTES]
    except httpx.TimeoutException:
        return _no_answer(spec.timeout)
    except (httpx.HTTPError, OSError, ssl.SSLError) as exc:
        return Outcome(False, _("Could not connect: %(reason)s") % {"reason": _reason(_root_cause(exc))})
    finally:
        if own:
            await client.aclose()
    elapsed = round((time.perf_counter() - started) * 1000)
    status = response.status_code
    fail = lambda text: Outcome(False, text, elapsed)  # noqa: E731
    if not any(low <= status <= high for low, high in parse_statuses(spec.expected_statuses)):
        return fail(_("HTTP status %(status)s (expected %(expected)s)") % {
            "status": status, "expected": spec.expected_statuses})
    if spec.max_response_ms is not None and elapsed > spec.max_response_ms:
        return fail(_("Slow answer: %(ms)s ms (limit %(limit)s ms)") % {
            "ms": format_number(elapsed, 0), "limit": format_number(spec.max_response_ms, 0)})
    text = body.decode(response.encoding or "utf-8", "replace")
    if spec.keyword:
        if spec.keyword_absent and spec.keyword in text:
            return fail(_("The page contains “%(keyword)s”, which must be absent") % {"keyword": spec.keyword})
        if not spec.keyword_absent and spec.keyword not in text:
            return fail(_("The page does not contain “%(keyword)s”") % {"keyword": spec.keyword})
    if spec.json_path:
        try:
            value = json_value(json.loads(text), spec.json_path)
        except ValueError:
            return fail(_("The answer is not JSON"))
        except KeyError:
            return fail(_("The JSON answer has no field “%(path)s”") % {"path": spec.json_path})
        if spec.json_expected and _json_text(value) != spec.json_expected:
            return fail(_("The JSON field “%(path)s” is “%(value)s” (expected “%(expected)s”)") % {
                "path": spec.json_path, "value": _json_text(value)[:100], "expected": spec.json_expected})
    return Outcome(True, "", elapsed)


# --- TCP ----------------------------------------------------------------------------------------------------------

async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    try:
        await asyncio.wait_for(writer.wait_closed(), 1)
    except (OSError, TimeoutError, ssl.SSLError):
        pass  # the answer is in; a peer that closes badly does not change it


async def probe_tcp(spec: ProbeSpec) -> Outcome:
    started = time.perf_counter()
    try:
        _reader, writer = await asyncio.wait_for(asyncio.open_connection(spec.host, spec.port), spec.timeout)
    except TimeoutError:
        return Outcome(False, _("Could not connect to %(target)s within %(seconds)s seconds") % {
            "target": f"{spec.host}:{spec.port}", "seconds": _seconds(spec.timeout)})
    except OSError as exc:
        return Outcome(False, _("Could not connect to %(target)s: %(reason)s") % {
            "target": f"{spec.host}:{spec.port}", "reason": _reason(exc)})
    elapsed = round((time.perf_counter() - started) * 1000)
    await _close(writer)
    return Outcome(True, "", elapsed)


# --- TLS certificate ----------------------------------------------------------------------------------------------

def _der_items(data: bytes, start: int = 0, end: int | None = None):
    """(tag, content start, content end) of each DER element in data[start:end] — just enough ASN.1 to find a
    certificate's validity without a cryptography library."""
    end = len(data) if end is None else end
    i = start
    while i < end:
        tag, length = data[i], data[i + 1]
        i += 2
        if length & 0x80:
            n = length & 0x7F
            length = int.from_bytes(data[i:i + n], "big")
            i += n
        yield tag, i, i + length
        i += length


def _asn1_time(tag: int, raw: bytes) -> dt.datetime:
    text = raw.decode("ascii").rstrip("Z")
    if tag == 0x17:  # UTCTime: two-digit year, 1950–2049 (RFC 5280)
        year = int(text[:2])
        text = f"{1900 + year if year >= 50 else 2000 + year}{text[2:]}"
    return dt.datetime.strptime(text[:14], "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)


def certificate_not_after(der: bytes) -> dt.datetime:
    """The notAfter of a DER certificate: Certificate → TBSCertificate → (version?, serial, algorithm, issuer,
    validity → (notBefore, notAfter))."""
    _tag, cert_start, cert_end = next(_der_items(der))
    _tag, tbs_start, tbs_end = next(_der_items(der, cert_start, cert_end))
    fields = list(_der_items(der, tbs_start, tbs_end))
    if fields[0][0] == 0xA0:  # explicit version
        fields = fields[1:]
    _tag, v_start, v_end = fields[3]
    (_t1, _s1, _e1), (tag, s2, e2) = list(_der_items(der, v_start, v_end))[:2]
    return _asn1_time(tag, der[s2:e2])


async def _handshake(spec: ProbeSpec, context: ssl.SSLContext) -> tuple[dict | None, bytes | None]:
    _reader, writer = await asyncio.wait_for(
        asyncio.open_connection(spec.host, spec.port or 443, ssl=context, server_hostname=spec.host),
        spec.timeout)
    ssl_object = writer.get_extra_info("ssl_object")
    peer, der = writer.get_extra_info("peercert"), ssl_object.getpeercert(binary_form=True)
    await _close(writer)
    return peer, der


def cert_warning_days(cert_expires_at: dt.datetime | None, warn_days: str, *,
                      now: dt.datetime | None = None) -> int | None:
    """The smallest of the check's warning thresholds (30, 14, 7 …) the certificate is now within, or None."""
    if cert_expires_at is None:
        return None
    left = (cert_expires_at - (now or timezone.now())).total_seconds() / 86400
    crossed = [d for d in parse_warn_days(warn_days) if left <= d]
    return min(crossed) if crossed else None


async def probe_tls(spec: ProbeSpec) -> Outcome:
    """Fails when the certificate cannot be verified or has expired; succeeds with a warning inside the check's
    warning days. An unverifiable certificate is read once more without verifying, to record its expiry."""
    started = time.perf_counter()
    target = f"{spec.host}:{spec.port or 443}"
    verify_error = ""
    try:
        _peer, der = await _handshake(spec, ssl_context())
    except ssl.SSLCertVerificationError as exc:
        verify_error = exc.verify_message or str(exc)
        try:
            _peer, der = await _handshake(spec, ssl_context(verify=False))
        except (OSError, TimeoutError, ssl.SSLError) as again:
            return Outcome(False, _("TLS connection to %(target)s failed: %(reason)s") % {
                "target": target, "reason": _reason(again)})
    except TimeoutError:
        return Outcome(False, _("Could not connect to %(target)s within %(seconds)s seconds") % {
            "target": target, "seconds": _seconds(spec.timeout)})
    except (OSError, ssl.SSLError) as exc:
        return Outcome(False, _("TLS connection to %(target)s failed: %(reason)s") % {
            "target": target, "reason": _reason(exc)})
    elapsed = round((time.perf_counter() - started) * 1000)
    try:
        expires = certificate_not_after(der)
    except (ValueError, IndexError, StopIteration, UnicodeDecodeError):
        return Outcome(False, _("The server's certificate could not be read"), elapsed)
    day = timezone.localtime(expires).strftime("%d/%m/%Y")
    now = timezone.now()
    if expires <= now:
        return Outcome(False, _("The certificate expired on %(day)s") % {"day": day}, elapsed, expires)
    if verify_error:
        return Outcome(False, _("The certificate is not valid: %(reason)s") % {"reason": verify_error}, elapsed,
                       expires)
    if cert_warning_days(expires, spec.cert_warn_days, now=now) is not None:
        days_left = int((expires - now).total_seconds() // 86400)
        return Outcome(True, _("The certificate expires in %(days)s days (%(day)s)") % {
            "days": days_left, "day": day}, elapsed, expires)
    return Outcome(True, "", elapsed, expires)


# --- DNS ----------------------------------------------------------------------------------------------------------

async def probe_dns(spec: ProbeSpec) -> Outcome:
    """Resolve the name (at the check's host as name server when it has one, else the machine's resolvers); every
    address answered must be one of the expected ones, when any are given."""
    expected = parse_addresses(spec.dns_expected)
    resolver = dns.asyncresolver.Resolver(configure=not spec.host)
    if spec.host:
        resolver.nameservers = [spec.host]
        resolver.port = spec.port or 53
    resolver.lifetime = resolver.timeout = spec.timeout
    types = ["A"] if not expected or any(":" not in a for a in expected) else []
    if not expected or any(":" in a for a in expected):
        types.append("AAAA")
    started = time.perf_counter()
    found: list[str] = []
    try:
        for rdtype in types:
            try:
                answer = await resolver.resolve(spec.dns_name, rdtype)
            except dns.resolver.NoAnswer:
                continue
            found += [str(r.address) for r in answer]
            if found and not expected:
                break
    except dns.resolver.NXDOMAIN:
        return Outcome(False, _("The name %(name)s does not exist") % {"name": spec.dns_name})
    except dns.exception.Timeout:
        return Outcome(False, _("The name server did not answer within %(seconds)s seconds") % {
            "seconds": _seconds(spec.timeout)})
    except dns.resolver.NoNameservers:
        return Outcome(False, _("No name server could answer for %(name)s") % {"name": spec.dns_name})
    except dns.exception.DNSException as exc:
        return Outcome(False, _("DNS error: %(reason)s") % {"reason": str(exc) or type(exc).__name__})
    elapsed = round((time.perf_counter() - started) * 1000)
    if not found:
        return Outcome(False, _("The name %(name)s has no address") % {"name": spec.dns_name}, elapsed)
    unexpected = sorted(set(found) - set(expected)) if expected else []
    if unexpected:
        return Outcome(False, _("%(name)s resolves to %(found)s (expected %(expected)s)") % {
            "name": spec.dns_name, "found": ", ".join(sorted(set(found))), "expected": ", ".join(expected)},
            elapsed)
    return Outcome(True, "", elapsed)
