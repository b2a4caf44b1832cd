"""A real local HTTP server for the fetch/feed/link tests (stdlib ThreadingHTTPServer on 127.0.0.1).

Routes are set per test: ``local_http.add("/feed.xml", RSS, content_type=..., etag='"v1"')``.
The samples below are invented for these tests (no real newsletter text).

Use it in a test module with ``from tests.http_server import local_http  # noqa: F401``.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict = field(default_factory=dict)
    etag: str = ""  # answer 304 to a matching If-None-Match
    last_modified: str = ""  # answer 304 to a matching If-Modified-Since
    delay: float = 0.0  # seconds before the answer (timeouts)
    on_request: Callable[[], None] | None = None  # called before answering
    drip: float = 0.0  # seconds between 16-byte pieces of the body (a slow-drip server)


class LocalServer:
    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict]] = []  # (path, headers) of every request received
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(self.path)
                if route is None:
                    return self._answer(404, b"no such page", "text/plain", {})
                if route.on_request is not None:
                    route.on_request()
                if route.delay:
                    time.sleep(route.delay)
                validators = {}
                if route.etag:
                    validators["ETag"] = route.etag
                if route.last_modified:
                    validators["Last-Modified"] = route.last_modified
                if (route.etag and self.headers.get("If-None-Match") == route.etag) or (
                    route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified
                ):
                    return self._answer(304, b"", "", validators)
                self._answer(route.status, route.body, route.content_type, {**validators, **route.headers},
                             drip=route.drip)

            def _answer(self, status, body, content_type, headers, drip=0.0):
                try:
                    self.send_response(status)
                    if content_type:
                        self.send_header("Content-Type", content_type)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    if "Content-Length" not in headers:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if status != 304 and drip:
                        for start in range(0, len(body), 16):
                            self.wfile.write(body[start:start + 16])
                            self.wfile.flush()
                            time.sleep(drip)
                    elif status != 304:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (size limit, timeout): expected in these tests

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, body: bytes | str = b"", **options) -> str:
        """Serve ``body`` at ``path``; returns the full URL."""
        self.routes[path] = Route(body=body.encode() if isinstance(body, str) else body, **options)
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        return self.add(path, b"", status=status, headers={"Location": location})

    def count(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def local_http():
    """A real HTTP server on 127.0.0.1 (random port) whose routes the test sets."""
    server = LocalServer()
    yield server
    server.close()


# ----------------------------------------------------------------------------- invented samples

def rss_item(n: int, title: str, paragraphs: list[str], *, guid: str = "", headline: str = "") -> str:
    story = f"<p><strong>{headline}:</strong></p>" if headline else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<item><title>{title}</title><link>https://tinlab.example/p/{n}</link>"
        f"<guid isPermaLink=\"false\">{guid or f'tinlab-{n}'}</guid>"
        f"<pubDate>Mon, 0{n % 9 + 1} Nov 2026 08:00:00 GMT</pubDate>"
        f"<content:encoded><![CDATA[<p>Welcome to Tin Lab Notes, issue {n}.</p>{story}{body}]]></content:encoded>"
        "</item>"
    )


def summary_item(n: int, title: str, summary: str) -> str:
    return (
        f"<item><title>{title}</title><link>https://tinlab.example/p/{n}</link>"
        f"<guid isPermaLink=\"false\">tinlab-{n}</guid><description>{summary}</description></item>"
    )


def rss(items: list[str], title: str = "Tin Lab Notes") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{title}</title><link>https://tinlab.example/</link>"
        "<description>Invented notes about invented machines.</description>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


KETTLE = "A lab in Tinville taught an electric kettle to hear the exact moment its water stops singing."
ORCHARD = "Sensors in a pear orchard now predict frost two nights ahead with a tiny recurrent model."
LIGHTHOUSE = "A lighthouse keeper trained a small model to count passing ferries from foghorn echoes."
OWLS = "Researchers counted owls with microphones; a short summary, the full post lives on the site."


def sample_rss(*, kettle: str = KETTLE) -> bytes:
    """Four entries: three with content:encoded (each with a bold headline), one summary-only."""
    return rss([
        rss_item(1, "Kettles learn to listen", [kettle, "Why it matters: tea will never be bitter again."],
                 headline="Kettles learn to listen"),
        rss_item(2, "Frost forecasts for pears", [ORCHARD, "The model runs on a solar-powered board."],
                 headline="Pears and frost"),
        rss_item(3, "Foghorn ferry counts", [LIGHTHOUSE, "It miscounts only in thunderstorms."],
                 headline="Ferries by ear"),
        summary_item(4, "Owl census by microphone", OWLS),
    ])


def many_rss(n: int) -> bytes:
    return rss([
        rss_item(i, f"Tin Lab dispatch {i}", [f"Dispatch {i}: a robot sorted {i * 7} bolts by sound alone.",
                                             "Nobody knows why the bolts hum."], headline=f"Bolts {i}")
        for i in range(1, n + 1)
    ])


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Quiet Circuits</title>
  <link href="https://quietcircuits.example/"/>
  <id>urn:quiet-circuits</id>
  <updated>2026-11-20T09:00:00Z</updated>
  <entry>
    <title>A loom that writes sonnets</title>
    <link href="https://quietcircuits.example/loom"/>
    <id>urn:quiet-circuits:loom</id>
    <updated>2026-11-20T09:00:00Z</updated>
    <content type="html">&lt;p&gt;Quiet Circuits this week.&lt;/p&gt;&lt;p&gt;&lt;strong&gt;Looms and sonnets:&lt;/strong&gt;&lt;/p&gt;&lt;p&gt;A weaving loom in Lowmoor was taught to stitch fourteen-line poems into scarves.&lt;/p&gt;</content>
  </entry>
</feed>
"""

HTML_PAGE = (
    "<!doctype html><html><head><title>Tin Lab: the singing kettle</title></head><body>"
    "<article><h1>The singing kettle</h1>"
    f"<p>{KETTLE}</p><p>The team now wants to teach the toaster to whistle back.</p></article>"
    "</body></html>"
).encode()

EMPTY_PAGE = b"<!doctype html><html><head><title>Nothing here</title></head><body><nav><a href='/'>Home</a></nav></body></html>"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><title>&lol4;</title><item><title>x</title><description>&lol4;</description></item></channel></rss>
"""


def gzip_bomb(size: int) -> bytes:
    """``size`` zero bytes, gzip-compressed (a tiny body that unpacks to ``size`` bytes)."""
    return gzip.compress(b"\0" * size, compresslevel=9)
