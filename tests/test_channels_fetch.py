"""The guarded fetcher against a real local HTTP server (no mocks); the address guard itself."""

from __future__ import annotations

import gzip
import ipaddress
import shutil
import ssl
import subprocess
import threading
import time
import zlib

import pytest

from articles.channels.fetch import USER_AGENT, FetchError, address_refusal, fetch_url, human_size
from tests.http_server import gzip_bomb, local_http, sample_rss  # noqa: F401


@pytest.fixture
def allow_private(settings):
    """Let the fetcher reach the test server on 127.0.0.1."""
    settings.DIGEST_FETCH_ALLOW_PRIVATE = True
    return settings


@pytest.fixture
def guarded(settings):
    """The production guard: private addresses refused."""
    settings.DIGEST_FETCH_ALLOW_PRIVATE = False
    return settings


# ----------------------------------------------------------------------------- classification

@pytest.mark.parametrize("address, reason", [
    ("127.0.0.1", "loopback"),
    ("127.8.9.10", "loopback"),
    ("10.1.2.3", "private"),
    ("172.16.5.4", "private"),
    ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("224.0.0.251", "multicast"),
    ("0.0.0.0", "unspecified"),
    ("240.0.0.1", "reserved"),
    ("::1", "loopback"),
    ("::", "unspecified"),
    ("fe80::1", "link-local"),
    ("fc00::5", "private"),
    ("fec0::1", "site-local"),
    ("feff:ffff::1", "site-local"),
    ("192.0.0.8", "IETF protocol assignment"),
    ("192.0.0.1", "IETF protocol assignment"),
    ("192.0.0.255", "IETF protocol assignment"),
    ("::ffff:192.0.0.8", "IETF protocol assignment"),
    ("ff02::1", "multicast"),
    ("::ffff:127.0.0.1", "loopback"),
    ("::ffff:10.0.0.1", "private"),
    ("::ffff:169.254.169.254", "link-local"),
    ("2002:7f00:1::", "loopback"),  # 6to4 wrapping 127.0.0.1
    ("64:ff9b::a00:1", "private"),  # NAT64 wrapping 10.0.0.1
])
def test_non_public_addresses_are_refused(address, reason):
    assert reason in address_refusal(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "8.8.8.8", "2606:4700:4700::1111",
                                     "::ffff:93.184.215.14", "192.0.1.1", "191.255.255.254"])
def test_public_addresses_pass(address):
    assert address_refusal(ipaddress.ip_address(address)) == ""


@pytest.mark.parametrize("url, words", [
    ("http://127.0.0.1/", "loopback"),
    ("http://10.0.0.7/feed", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://[::1]:8000/", "loopback"),
    ("http://localhost/", "this machine"),
    ("http://feeds.localhost/", "this machine"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://0x7f000001/", "loopback"),  # 127.0.0.1 spelled in hex, resolved by getaddrinfo
    ("ftp://example.org/feed", "only http:// and https://"),
    ("file:///etc/passwd", "only http:// and https://"),
    ("http://user:secret@example.org/", "user name or password"),
])
def test_guard_refuses_before_connecting(guarded, url, words):
    with pytest.raises(FetchError) as caught:
        fetch_url(url)
    assert words in caught.value.message


def test_guard_refuses_the_local_server_when_private_is_not_allowed(guarded, local_http):
    url = local_http.add("/feed.xml", sample_rss())
    with pytest.raises(FetchError, match="loopback"):
        fetch_url(url)
    assert local_http.requests == []  # refused before any connection


def test_redirect_to_a_private_address_is_refused_on_the_hop(allow_private, local_http):
    """The first hop is allowed (the flag is on so we can reach the test server); while answering
    it, the server turns the guard back on, as if the first host had been public: the redirect to
    a private address is then refused before any request reaches it."""
    local_http.add("/secret", "internal data")

    def guard_on():
        allow_private.DIGEST_FETCH_ALLOW_PRIVATE = False

    local_http.add("/go", b"", status=302, headers={"Location": local_http.url("/secret")}, on_request=guard_on)
    with pytest.raises(FetchError, match="127.0.0.1 is a loopback address"):
        fetch_url(local_http.url("/go"))
    assert local_http.count("/go") == 1 and local_http.count("/secret") == 0

    allow_private.DIGEST_FETCH_ALLOW_PRIVATE = True
    local_http.add("/go2", b"", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"},
                   on_request=guard_on)
    with pytest.raises(FetchError, match="link-local"):
        fetch_url(local_http.url("/go2"))


def test_redirect_hop_to_another_scheme_is_refused(allow_private, local_http):
    local_http.redirect("/go", "file:///etc/passwd")
    with pytest.raises(FetchError, match="only http:// and https://"):
        fetch_url(local_http.url("/go"))


# ----------------------------------------------------------------------------- fetching

def test_fetch_returns_body_headers_and_sends_our_user_agent(allow_private, local_http):
    url = local_http.add("/feed.xml", sample_rss(), content_type="application/rss+xml", etag='"v1"',
                         last_modified="Mon, 02 Nov 2026 08:00:00 GMT")
    result = fetch_url(url)
    assert result.status == 200 and result.body == sample_rss() and not result.not_modified
    assert result.content_type == "application/rss+xml"
    assert (result.etag, result.last_modified) == ('"v1"', "Mon, 02 Nov 2026 08:00:00 GMT")
    assert result.final_url == url
    headers = local_http.requests[-1][1]
    assert headers["User-Agent"] == USER_AGENT == "Digest/0.1 (+self-hosted newsletter reader)"
    assert headers["Host"] == f"127.0.0.1:{local_http.port}"


def test_pinned_connection_keeps_the_host_name_in_the_host_header(allow_private, local_http):
    url = local_http.add("/page", "<p>hi</p>").replace("127.0.0.1", "localhost")
    assert fetch_url(url).body == b"<p>hi</p>"
    assert local_http.requests[-1][1]["Host"] == f"localhost:{local_http.port}"


def test_conditional_get_answers_not_modified(allow_private, local_http):
    url = local_http.add("/feed.xml", sample_rss(), etag='"v1"', last_modified="Mon, 02 Nov 2026 08:00:00 GMT")
    by_etag = fetch_url(url, etag='"v1"')
    assert by_etag.not_modified and by_etag.status == 304 and by_etag.body == b""
    assert local_http.requests[-1][1]["If-None-Match"] == '"v1"'
    by_date = fetch_url(url, last_modified="Mon, 02 Nov 2026 08:00:00 GMT")
    assert by_date.not_modified
    assert not fetch_url(url, etag='"v0"').not_modified


def test_redirect_chain_is_followed(allow_private, local_http):
    final = local_http.add("/final", "<p>arrived</p>")
    local_http.redirect("/a", "/b", status=301)
    local_http.redirect("/b", local_http.url("/c"), status=307)
    local_http.redirect("/c", "/final", status=308)
    result = fetch_url(local_http.url("/a"))
    assert result.body == b"<p>arrived</p>" and result.final_url == final


def test_more_than_five_redirects_is_an_error(allow_private, local_http):
    for i in range(7):
        local_http.redirect(f"/r{i}", f"/r{i + 1}")
    local_http.add("/r7", "end")
    with pytest.raises(FetchError, match="too many redirects"):
        fetch_url(local_http.url("/r0"))
    assert local_http.count("/r6") == 0  # stopped after 5 redirects (6 requests)


def test_http_error_is_a_clear_message(allow_private, local_http):
    with pytest.raises(FetchError) as caught:
        fetch_url(local_http.url("/missing"))
    assert caught.value.message == "the server answered 404 Not Found"
    local_http.add("/boom", "oops", status=503)
    with pytest.raises(FetchError, match="the server answered 503 Service Unavailable"):
        fetch_url(local_http.url("/boom"))


def test_slow_server_times_out(allow_private, local_http):
    allow_private.DIGEST_FETCH_TIMEOUT = 0.3
    local_http.add("/slow", "late", delay=2)
    started = time.monotonic()
    with pytest.raises(FetchError, match="did not answer within 0.3 seconds"):
        fetch_url(local_http.url("/slow"))
    assert time.monotonic() - started < 1.5


def test_slow_drip_hits_the_total_time_limit(allow_private, local_http):
    """Each piece arrives well within the read timeout, but the whole download may not take
    more than 3 × DIGEST_FETCH_TIMEOUT."""
    allow_private.DIGEST_FETCH_TIMEOUT = 0.3
    local_http.add("/drip", b"x" * 16 * 100, drip=0.05)  # 5 s in all
    started = time.monotonic()
    with pytest.raises(FetchError, match="the download took longer than 0.9 seconds"):
        fetch_url(local_http.url("/drip"))
    assert time.monotonic() - started < 1.5


def test_connection_refused_is_a_clear_message(allow_private, local_http):
    port = local_http.port
    local_http.close()
    with pytest.raises(FetchError, match="could not connect to 127.0.0.1"):
        fetch_url(f"http://127.0.0.1:{port}/")
    local_http.close = lambda: None  # already closed


def test_body_over_the_limit_is_cut_off(allow_private, local_http):
    allow_private.DIGEST_FETCH_MAX_BYTES = 50_000
    big = local_http.add("/big", b"x" * 60_000)
    with pytest.raises(FetchError) as caught:
        fetch_url(big)
    assert caught.value.message == "the response is larger than 48.8 KB"
    # without a Content-Length (streamed body) the limit still holds
    local_http.add("/streamed", b"y" * 60_000, headers={"Content-Length": "", "Connection": "close"})
    with pytest.raises(FetchError, match="larger than"):
        fetch_url(local_http.url("/streamed"))


def test_size_message_in_megabytes():
    assert human_size(10 * 1024 * 1024) == "10 MB"
    assert human_size(2048) == "2 KB"


def test_gzip_and_deflate_are_decoded(allow_private, local_http):
    text = b"<p>Tin Lab Notes</p>" * 50
    local_http.add("/gz", gzip.compress(text), headers={"Content-Encoding": "gzip"})
    local_http.add("/zlib", zlib.compress(text), headers={"Content-Encoding": "deflate"})
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    local_http.add("/raw", raw.compress(text) + raw.flush(), headers={"Content-Encoding": "deflate"})
    for path in ("/gz", "/zlib", "/raw"):
        assert fetch_url(local_http.url(path)).body == text


def test_gzip_bomb_stops_at_the_limit(allow_private, local_http):
    allow_private.DIGEST_FETCH_MAX_BYTES = 1024 * 1024
    bomb = gzip_bomb(50 * 1024 * 1024)  # 50 MB of zeros in ~50 KB
    assert len(bomb) < 1024 * 1024
    local_http.add("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    started = time.monotonic()
    with pytest.raises(FetchError, match="the response is larger than 1 MB"):
        fetch_url(local_http.url("/bomb"))
    assert time.monotonic() - started < 2


def test_corrupt_gzip_is_a_clear_message(allow_private, local_http):
    local_http.add("/bad", b"\x1f\x8b\x08\x00 not gzip at all", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="corrupt"):
        fetch_url(local_http.url("/bad"))


# ----------------------------------------------------------------------------- TLS

@pytest.fixture
def tls_server(tmp_path):
    """A local HTTPS server with a self-signed certificate for ``localhost`` (made with openssl)."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
                   check=True, capture_output=True)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Length", "9")
            self.end_headers()
            self.wfile.write(b"tls works")

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    yield httpd.server_address[1], cert
    httpd.shutdown()
    httpd.server_close()


def test_tls_is_verified_against_the_host_name_while_connecting_to_the_checked_ip(allow_private, tls_server,
                                                                                  monkeypatch):
    port, cert = tls_server
    with pytest.raises(FetchError, match="the certificate of localhost could not be verified"):
        fetch_url(f"https://localhost:{port}/")  # self-signed: not trusted
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust it (OpenSSL's default verify file)
    assert fetch_url(f"https://localhost:{port}/").body == b"tls works"  # pinned to 127.0.0.1, verified as localhost
    with pytest.raises(FetchError, match="certificate of 127.0.0.1 could not be verified"):
        fetch_url(f"https://127.0.0.1:{port}/")  # the certificate does not name the IP
