"""Fuzzing the importer (hypothesis): damaged samples and random HTML / XML / MIME.

Whatever the bytes, ``split_items`` yields Documents or ItemFailures and ``extract`` returns a
ParsedIssue or raises ParseError — never another exception — within a time bound; through
``import_source`` (database) a file either adds complete issues or changes nothing.

Inputs: the invented samples of ``samples/``, ``tests/importer/samples`` and
``tests/importer/extract_samples`` (never the real seeds) truncated, bit-flipped, spliced and
with byte runs repeated; plus documents built by strategies. Example counts are in ``EXAMPLES``
(``FUZZ_EXAMPLES_SCALE`` multiplies them for a longer run).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.importer import Document, ItemFailure, ParsedIssue, ParseError, extract, split_items

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIRS = [ROOT / "samples", ROOT / "tests/importer/samples", ROOT / "tests/importer/extract_samples"]
SAMPLES = sorted((p.name, p.read_bytes()) for d in SAMPLE_DIRS for p in d.iterdir() if p.is_file())
MAX_INPUT = 256 * 1024  # bytes per example: larger inputs are the business of tests/importer/test_limits.py
SECONDS_PER_EXAMPLE = 10.0  # generous: a sample parses in < 0.2 s
SCALE = int(os.environ.get("FUZZ_EXAMPLES_SCALE", "1"))
EXAMPLES = {"mutated": 300 * SCALE, "html": 120 * SCALE, "xml": 80 * SCALE, "mime": 100 * SCALE, "db": 50 * SCALE}
FUZZ = settings(deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None)


def read_all(name: str, raw: bytes) -> list[ParsedIssue | str]:
    """Every item of ``raw``, extracted: a ParsedIssue, or the failure's reason. Asserts the
    contract (only ParseError escapes ``extract``; ``split_items`` never raises) and the time."""
    start = time.monotonic()
    out: list[ParsedIssue | str] = []
    for item in split_items(name, raw):
        if isinstance(item, ItemFailure):
            assert item.reason
            out.append(item.reason)
            continue
        assert isinstance(item, Document)
        try:
            out.append(extract(item))
        except ParseError as exc:
            assert str(exc)
            out.append(str(exc))
    elapsed = time.monotonic() - start
    assert elapsed < SECONDS_PER_EXAMPLE, f"{name}: {elapsed:.1f} s"
    return out


# --- damaged samples -------------------------------------------------------------------------

@st.composite
def mutated_sample(draw) -> tuple[str, bytes]:
    name, raw = draw(st.sampled_from(SAMPLES))
    data = bytearray(raw[:MAX_INPUT])
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["truncate", "flip", "splice", "repeat", "delete", "insert"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if op == "truncate":
            del data[at:]
        elif op == "flip":
            for _ in range(draw(st.integers(1, 16))):
                i = draw(st.integers(0, len(data) - 1))
                data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "splice":
            _, other = draw(st.sampled_from(SAMPLES))
            start = draw(st.integers(0, max(0, len(other) - 1)))
            data[at:at] = other[start : start + draw(st.integers(0, 4096))]
        elif op == "repeat":
            run = bytes(data[at : at + draw(st.integers(1, 64))])
            data[at:at] = run * draw(st.integers(1, 200))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 512))]
        else:
            data[at:at] = draw(st.binary(max_size=64))
    return draw(st.sampled_from([name, "upload.bin", "issue.txt", "issue.html"])), bytes(data[:MAX_INPUT])


@settings(FUZZ, max_examples=EXAMPLES["mutated"])
@given(mutated_sample())
def test_damaged_samples_import_or_fail_with_a_reason(sample):
    read_all(*sample)


def test_every_sample_reads_as_it_is():
    """The undamaged samples are what the mutations start from: each yields at least one issue."""
    for name, raw in SAMPLES:
        read = read_all(name, raw)
        if name == "laughs.xml":  # an entity-expansion bomb: refused, with a reason
            assert read and all(isinstance(x, str) for x in read)
            continue
        assert any(isinstance(x, ParsedIssue) for x in read), name


# --- random documents ------------------------------------------------------------------------

_WORDS = st.sampled_from("the robot model lab chip tea kettle owl benchmark agent & < > \" ' é 🦉 \u200b".split())
_TEXT = st.lists(_WORDS, max_size=30).map(" ".join)
_TAGS = ["p", "div", "span", "a", "b", "strong", "em", "i", "h1", "h2", "h3", "ul", "ol", "li", "br", "hr",
         "table", "tr", "td", "blockquote", "pre", "code", "script", "style", "img", "head", "body", "html",
         "title", "meta", "font", "center", "section", "article", "header", "footer"]
_ATTRS = st.sampled_from(['', ' href="https://example.com/x"', ' href="javascript:alert(1)"', ' class="post-title"',
                          ' class="footer"', ' style="x"', ' property="og:title" content="T"', ' href=', ' x="<p>"'])


def _html_node(children):
    return st.builds(
        lambda tag, attrs, inner, close: f"<{tag}{attrs}>{''.join(inner)}" + (f"</{tag}>" if close else ""),
        st.sampled_from(_TAGS), _ATTRS, st.lists(children, max_size=6), st.booleans(),
    )


HTML = st.recursive(_TEXT | st.sampled_from(["<!--", "-->", "<![CDATA[", "&amp;", "&#x1F989;", "&nbsp;", "<", ">"]),
                    _html_node, max_leaves=60).map(lambda body: ("<!DOCTYPE html>" if body[:1] == "<" else "") + body)


@settings(FUZZ, max_examples=EXAMPLES["html"])
@given(HTML, st.sampled_from(["page.html", "page.txt", "page.md"]))
def test_random_html(body, name):
    read_all(name, body.encode("utf-8", "surrogatepass"))


def _xml_entry(kind: str):
    field = st.sampled_from(["title", "link", "guid", "id", "pubDate", "updated", "description", "content",
                             "content:encoded", "summary", "author", "dc:creator"])
    return st.lists(st.tuples(field, _TEXT | HTML), max_size=6).map(
        lambda fields: f"<{kind}>" + "".join(f"<{f}>{v}</{f}>" for f, v in fields) + f"</{kind}>"
    )


XML = st.one_of(
    st.lists(_xml_entry("item"), max_size=5).map(
        lambda items: '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/'
        'content/"><channel><title>Owls</title>' + "".join(items) + "</channel></rss>"),
    st.lists(_xml_entry("entry"), max_size=5).map(
        lambda entries: '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Kites</title>'
        + "".join(entries) + "</feed>"),
)


@settings(FUZZ, max_examples=EXAMPLES["xml"])
@given(XML, st.integers(0, 400))
def test_random_feeds(xml, cut):
    raw = xml.encode()
    read_all("feed.xml", raw)
    read_all("feed.xml", raw[: len(raw) - cut])  # and cut short


_HEADER = st.sampled_from([
    "From: Owl Weekly <owl@example.com>", "Subject: Owl Weekly #3", "Date: Tue, 5 Mar 2024 10:00:00 +0000",
    "Date: not a date", "Message-ID: <abc@example.com>", "List-Id: Owls <owls.example.com>",
    "MIME-Version: 1.0", "Content-Transfer-Encoding: quoted-printable", "Content-Transfer-Encoding: base64",
    "Content-Type: text/plain; charset=utf-8", "Content-Type: text/html; charset=undefined",
    'Content-Type: multipart/alternative; boundary="b1"', "Subject: =?utf-8?B?T3dscyDwn6aJ?=",
    "Subject: =?unknown?Q?x?=", "X-Forwarded: yes",
])
_BODY = st.one_of(_TEXT, HTML, st.sampled_from(["=E2=80=99 caf=C3=A9=\n", "SGVsbG8gb3dscw==", "!!!not base64", "=ZZ"]))


@st.composite
def mime_message(draw) -> str:
    headers = draw(st.lists(_HEADER, max_size=8))
    if draw(st.booleans()):
        parts = draw(st.lists(st.tuples(_HEADER, _BODY), min_size=1, max_size=3))
        body = "".join(f"--b1\n{h}\n\n{b}\n" for h, b in parts) + draw(st.sampled_from(["--b1--\n", ""]))
        headers.append('Content-Type: multipart/alternative; boundary="b1"')
    else:
        body = draw(_BODY)
    message = "\n".join(headers) + "\n\n" + body + "\n"
    if draw(st.booleans()):  # an mbox of two
        message = f"From owl@example.com Tue Mar  5 10:00:00 2024\n{message}\nFrom x@y Wed Mar  6 10:00:00 2024\n{message}"
    return message


@settings(FUZZ, max_examples=EXAMPLES["mime"])
@given(mime_message(), st.sampled_from(["mail.eml", "box.mbox", "mail.txt"]))
def test_random_mime(message, name):
    read_all(name, message.encode("utf-8", "surrogatepass"))


# --- through the database: all of an issue or nothing ---------------------------------------

@pytest.mark.django_db
@settings(FUZZ, max_examples=EXAMPLES["db"])
@given(mutated_sample())
def test_import_writes_a_complete_issue_or_nothing(sample):
    from articles.models import Issue, Paragraph, Section
    from articles.services.importing import ImportStatus, import_source

    name, raw = sample
    before = {i.pk: _shape(i) for i in Issue.objects.all()}
    results = import_source(name=name, raw=raw)
    after = {i.pk: _shape(i) for i in Issue.objects.all()}
    expected = read_all(name, raw)
    assert len(results) == len(expected)
    created = {r.issue.pk for r in results if r.status is ImportStatus.CREATED}
    changed = {r.issue.pk for r in results if r.status in (ImportStatus.CREATED, ImportStatus.UPDATED)}
    for pk, shape in before.items():
        assert pk in changed or after[pk] == shape  # failed items touched nothing
    assert set(after) == set(before) | created
    last = {r.issue.pk: i for i, r in enumerate(results) if r.issue is not None}
    for i, (result, parsed) in enumerate(zip(results, expected, strict=True)):
        if result.status is ImportStatus.FAILED:
            assert result.detail
            continue
        if result.status is not ImportStatus.UNCHANGED and last[result.issue.pk] == i:  # complete: every paragraph
            assert isinstance(parsed, ParsedIssue)
            assert after[result.issue.pk] == tuple(len(s.paragraphs) for s in parsed.sections)
    assert Section.objects.filter(issue__isnull=True).count() == 0
    assert Paragraph.objects.count() == sum(sum(shape) for shape in after.values())
    Issue.objects.all().delete()  # examples are independent (hypothesis reuses the test's database)


def _shape(issue) -> tuple[int, ...]:
    return tuple(s.paragraphs.count() for s in issue.sections.order_by("position"))
