"""The guarded server-side fetcher that feeds and saved links use.

Only http/https; the host is resolved once and every address it resolves to must be public (no
loopback, private, link-local, multicast, reserved, unspecified, carrier-grade NAT or the IPv4
forms hidden inside IPv6) unless ``settings.DIGEST_FETCH_ALLOW_PRIVATE``; the connection then goes
to that checked address (urllib3 pool on the IP, TLS still verified against the host name), so a
DNS answer that changes after the check cannot redirect the request. Redirects are followed by
hand (at most 5), each hop checked the same way. Connect and read timeouts, a total-time limit,
and a size limit on both the raw and the decompressed body (a gzip bomb stops at the limit).
"""

from __future__ import annotations

import http
import ipaddress
import socket
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import NewConnectionError, SSLError
from urllib3.exceptions import TimeoutError as Urllib3Timeout

USER_AGENT = "Digest/0.1 (+self-hosted newsletter reader)"
MAX_REDIRECTS = 5
TOTAL_TIME_FACTOR = 3  # the whole fetch (all hops, the whole body) may take 3 × DIGEST_FETCH_TIMEOUT
CHUNK = 64 * 1024
ACCEPT_ANY = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ACCEPT_FEED = "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5"

_REDIRECTS = {301, 302, 303, 307, 308}
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SITE_LOCAL = ipaddress.ip_network("fec0::/10")  # deprecated IPv6 site-local (Python calls it global)
_IETF_PROTOCOL = ipaddress.ip_network("192.0.0.0/24")  # IETF protocol assignments (192.0.0.8 and co.)


class FetchError(Exception):
    """The URL could not be fetched; ``message`` says why, in words for the person who asked."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FetchResult:
    status: int
    body: bytes
    content_type: str
    final_url: str
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False


def human_size(n: int) -> str:
    """``10485760`` → ``"10 MB"``, ``2048`` → ``"2 KB"``, ``500`` → ``"500 bytes"``."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.3g} MB"
    if n >= 1024:
        return f"{n / 1024:.3g} KB"
    return f"{n} bytes"


def address_refusal(address: str | ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """Why a server-side fetch may not connect to ``address``, e.g. ``"a loopback address"``
    ("" when it is a public address)."""
    ip = ipaddress.ip_address(str(address).split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            reason = address_refusal(embedded)
            return f"{reason} ({embedded} inside an IPv6 address)" if reason else ""
    checks = (
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT, "a carrier-grade NAT address"),
        (isinstance(ip, ipaddress.IPv6Address) and ip in _SITE_LOCAL, "a site-local address"),
        (isinstance(ip, ipaddress.IPv4Address) and ip in _IETF_PROTOCOL, "an IETF protocol assignment address"),
        (ip.is_reserved, "a reserved address"),
        (ip.is_private, "a private address"),
        (not ip.is_global, "not a public address"),
    )
    for refused, reason in checks:
        if refused:
            return reason
    return ""


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    path: str  # path + query, what goes on the request line
    addresses: tuple[str, ...]


def check_url(url: str) -> _Target:
    """Parse ``url`` and resolve its host; raise FetchError unless it may be fetched."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError("only http:// and https:// URLs can be fetched")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise FetchError("the URL has no host name")
    if parts.username is not None or parts.password is not None:
        raise FetchError("URLs with a user name or password are not fetched")
    port = port or (443 if scheme == "https" else 80)
    allow_private = settings.DIGEST_FETCH_ALLOW_PRIVATE
    if not allow_private and (host == "localhost" or host.endswith(".localhost")):
        raise FetchError(f"{host} is this machine; only public addresses are fetched")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise FetchError(f"the host name {host} could not be resolved") from None
    addresses = tuple(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise FetchError(f"the host name {host} could not be resolved")
    if not allow_private:
        for address in addresses:
            reason = address_refusal(address)
            if reason:
                said = f"{host} is {reason}" if _same_address(host, address) else f"{host} resolves to {address}, {reason}"
                raise FetchError(f"{said}; only public addresses are fetched")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return _Target(scheme, host, port, path, addresses)


def _same_address(host: str, address: str) -> bool:
    try:
        return ipaddress.ip_address(host) == ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False


def fetch_url(url: str, *, etag: str = "", last_modified: str = "", accept: str = ACCEPT_ANY) -> FetchResult:
    """GET ``url`` under the guard (see the module docstring); 304 → ``not_modified``.

    Raises FetchError with a message such as "the server answered 404 Not Found".
    """
    timeout = float(settings.DIGEST_FETCH_TIMEOUT)
    deadline = time.monotonic() + timeout * TOTAL_TIME_FACTOR
    max_bytes = int(settings.DIGEST_FETCH_MAX_BYTES)
    headers = {"User-Agent": USER_AGENT, "Accept": accept, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url.strip()
    for _hop in range(MAX_REDIRECTS + 1):
        target = check_url(current)
        response = _request(target, headers, timeout=timeout, deadline=deadline)
        try:
            status = response.status
            if status in _REDIRECTS and response.headers.get("Location"):
                current = urljoin(current, response.headers["Location"].strip())
                continue
            if status == 304:
                return FetchResult(304, b"", response.headers.get("Content-Type", ""), current,
                                   response.headers.get("ETag", etag), response.headers.get("Last-Modified", last_modified),
                                   not_modified=True)
            if not 200 <= status < 300:
                raise FetchError(f"the server answered {status} {_reason(status, response.reason)}")
            body = _read_body(response, max_bytes=max_bytes, deadline=deadline, timeout=timeout)
            return FetchResult(status, body, response.headers.get("Content-Type", ""), current,
                               response.headers.get("ETag", ""), response.headers.get("Last-Modified", ""))
        finally:
            response.release_conn()
            response.close()
    raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})")


def _reason(status: int, given: str | None) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return given or "an error"


def _request(target: _Target, headers: dict, *, timeout: float, deadline: float):
    """Send the request to the first checked address that accepts a connection (pinned: the pool
    connects to the IP; Host header and TLS server name are the host name)."""
    default_port = 443 if target.scheme == "https" else 80
    host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
    if ":" in target.host and target.port == default_port:
        host_header = f"[{target.host}]"
    elif ":" in target.host:
        host_header = f"[{target.host}]:{target.port}"
    last_error = ""
    for address in target.addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"the fetch took longer than {timeout * TOTAL_TIME_FACTOR:g} seconds")
        io_timeout = min(timeout, remaining)
        options = {"timeout": urllib3.Timeout(connect=io_timeout, read=io_timeout), "retries": False, "maxsize": 1}
        if target.scheme == "https":
            pool = urllib3.HTTPSConnectionPool(
                address, target.port, server_hostname=target.host, assert_hostname=target.host,
                cert_reqs="CERT_REQUIRED", **options,
            )
        else:
            pool = urllib3.HTTPConnectionPool(address, target.port, **options)
        try:
            return pool.urlopen(
                "GET", target.path, headers={**headers, "Host": host_header}, redirect=False,
                preload_content=False, decode_content=False, assert_same_host=False,
            )
        except NewConnectionError as exc:  # refused / unreachable: try the next checked address
            last_error = f"could not connect to {target.host} ({_short(exc)})"
        except Urllib3Timeout:
            raise FetchError(f"{target.host} did not answer within {io_timeout:g} seconds") from None
        except SSLError as exc:
            text = str(exc)
            if "CERTIFICATE_VERIFY_FAILED" in text or "match" in text:
                detail = text.rsplit("certificate verify failed:", 1)[-1].split("(_ssl", 1)[0].strip(" .)")
                raise FetchError(f"the certificate of {target.host} could not be verified ({detail})") from None
            raise FetchError(f"secure connection to {target.host} failed ({_short(exc)})") from None
        except Urllib3Error as exc:
            raise FetchError(f"the request to {target.host} failed ({_short(exc)})") from None
    raise FetchError(last_error or f"could not connect to {target.host}")


def _short(exc: Exception) -> str:
    text = str(getattr(exc, "reason", None) or exc)
    return text.split(": ", 1)[-1][:200]


def _read_body(response, *, max_bytes: int, deadline: float, timeout: float) -> bytes:
    too_large = FetchError(f"the response is larger than {human_size(max_bytes)}")
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    decoder = _Decoder(encoding, max_bytes, too_large)
    raw_size = 0
    try:
        while chunk := response.read1(CHUNK, decode_content=False):  # whatever has arrived, ≤ CHUNK
            raw_size += len(chunk)
            if raw_size > max_bytes:
                raise too_large
            decoder.feed(chunk)
            if time.monotonic() > deadline:
                raise FetchError(f"the download took longer than {timeout * TOTAL_TIME_FACTOR:g} seconds")
    except Urllib3Timeout:
        raise FetchError(f"the server stopped sending for more than {timeout:g} seconds") from None
    except Urllib3Error as exc:
        raise FetchError(f"the download was interrupted ({_short(exc)})") from None
    return decoder.finish()


class _Decoder:
    """gzip / deflate decoding that never produces more than ``max_bytes`` (decompression bomb)."""

    def __init__(self, encoding: str, max_bytes: int, too_large: FetchError):
        self.encoding = encoding
        self.max_bytes = max_bytes
        self.too_large = too_large
        self.out = bytearray()
        self.first = b""
        if encoding in ("", "identity"):
            self.zlib = None
        elif encoding in ("gzip", "x-gzip"):
            self.zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self.zlib = None  # zlib-wrapped or raw deflate: decided on the first bytes
        else:
            raise FetchError(f"the server used an unsupported content encoding ({encoding})")

    def feed(self, data: bytes) -> None:
        if self.encoding in ("", "identity"):
            self.out += data
            self._check()
            return
        if self.zlib is None:  # deflate: zlib header (RFC 1950) or raw (what some servers send)
            self.first += data
            if len(self.first) < 2:
                return
            data, self.first = self.first, b""
            wrapped = data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self.zlib = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        try:
            while data:
                self.out += self.zlib.decompress(data, self.max_bytes - len(self.out) + 1)
                self._check()
                data = self.zlib.unconsumed_tail
        except zlib.error as exc:
            raise FetchError(f"the compressed response is corrupt ({exc})") from None

    def _check(self) -> None:
        if len(self.out) > self.max_bytes:
            raise self.too_large

    def finish(self) -> bytes:
        if self.first:
            raise FetchError("the compressed response is corrupt (too short)")
        if self.zlib is not None and self.encoding not in ("", "identity"):
            try:
                self.out += self.zlib.flush()
            except zlib.error as exc:
                raise FetchError(f"the compressed response is corrupt ({exc})") from None
            self._check()
        return bytes(self.out)


MAX_URL_LENGTH = 2000


def clean_url(url: str, *, what: str) -> str:
    """``url`` stripped and checked (http/https, at most 2000 characters) before anything is
    queued; ValidationError naming ``what`` ("feed", "page") otherwise."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    url = (url or "").strip()
    if not url:
        raise ValidationError(f"Enter the {what}'s URL.")
    if len(url) > MAX_URL_LENGTH:
        raise ValidationError(f"The URL is longer than {MAX_URL_LENGTH} characters.")
    URLValidator(schemes=["http", "https"], message="Enter an http:// or https:// URL.")(url)
    return url
