"""RSS / Atom feeds → one :class:`Document` per entry (pure, no Django, no network).

:func:`parse_feed` is what the feed channel calls with the fetched bytes; :func:`split_items` uses it
for feed files. Feeds that declare XML entities are refused before any XML parser expands them.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree.ElementTree import ParseError as XMLParseError

import defusedxml
import defusedxml.ElementTree
import feedparser

from .charset import normalise_text
from .html_article import site_key
from .sniff import looks_like_html_document, xml_root
from .types import DOC_HTML, DOC_TEXT, Document, ItemFailure, ParseError, SourceMeta

#: Feeds are bigger than one issue; a full-content feed of a year of posts stays under this.
MAX_FEED_BYTES = 20 * 1024 * 1024

ENTITIES_REFUSED = "feed refused: it declares XML entities (possible entity-expansion attack)"
SUMMARY_ONLY = "the feed carries only a summary"
NO_CONTENT = "the feed entry has neither content nor a summary"

# <!ENTITY in an internal DTD subset, checked on the raw bytes (ASCII-compatible encodings) before
# any parser runs; UTF-16 feeds are caught by defusedxml below.
_ENTITY_DECLARATION = re.compile(rb"<!DOCTYPE[^>\[]*\[[^\]]*<!ENTITY", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    link: str
    documents: tuple[Document, ...] = ()
    failures: tuple[ItemFailure, ...] = ()


def slugify(value: str) -> str:
    """ASCII slug (lower-case words joined by ``-``), like Django's but without Django."""
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


def refuse_entities(raw: bytes) -> None:
    """Raise ParseError when ``raw`` declares XML entities (billion laughs, external entities).

    The raw bytes are checked first; then defusedxml parses the document with entity declarations
    forbidden (its handler fires at the declaration, before any expansion). A document that is
    not well-formed XML is left to feedparser's lenient parser, which never sees a declaration the
    byte check missed in an ASCII-compatible encoding.
    """
    if _ENTITY_DECLARATION.search(raw):
        raise ParseError(ENTITIES_REFUSED)
    try:
        defusedxml.ElementTree.fromstring(raw, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden):
        raise ParseError(ENTITIES_REFUSED) from None
    except (XMLParseError, defusedxml.DefusedXmlException, ValueError, LookupError):
        pass  # not well-formed (or an unknown encoding): feedparser decides


def _struct_time(entry: dict, *fields: str) -> datetime | None:
    for field in fields:
        value = entry.get(field)
        if value:
            try:
                return datetime(*value[:6], tzinfo=UTC)
            except (TypeError, ValueError):
                continue
    return None


def _http(url: str) -> str:
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else ""


def _entry_body(entry: dict) -> tuple[str, str, tuple[str, ...]] | None:
    """(body, kind, notes): the longest content, else the summary (with a note)."""
    contents = [c for c in entry.get("content") or () if (c.get("value") or "").strip()]
    if contents:
        best = max(contents, key=lambda c: len(c.get("value") or ""))
        kind = DOC_TEXT if (best.get("type") or "").lower() == "text/plain" else DOC_HTML
        return best["value"], kind, ()
    summary = entry.get("summary") or ""
    if summary.strip():
        detail = entry.get("summary_detail") or {}
        kind = DOC_TEXT if (detail.get("type") or "").lower() == "text/plain" else DOC_HTML
        return summary, kind, (SUMMARY_ONLY,)
    return None


def _newsletter_key(feed_url: str, link: str, title: str) -> str:
    if feed_url:
        return f"feed:{feed_url}"
    try:
        site = site_key(link) if _http(link) else ""
    except ValueError:  # e.g. a malformed IPv6 host
        site = ""
    if site:
        return site
    slug = slugify(title)
    return f"name:{slug}" if slug else ""


def parse_feed(raw: bytes, *, feed_url: str, name: str = "") -> ParsedFeed:
    """The entries of an RSS/Atom feed as Documents (and ItemFailures for unreadable entries).

    ``feed_url`` (the URL the channel fetched) gives the key ``feed:<feed_url>``; without it the key
    is ``site:<host of the feed's link>`` or ``name:<slug of its title>``. Entry names are
    ``<name or feed title> #<n>: <entry title>``. Raises ParseError for a refused or non-feed input.
    """
    if len(raw) > MAX_FEED_BYTES:
        raise ParseError(f"feed is {len(raw):,} bytes; the limit is {MAX_FEED_BYTES:,} bytes")
    refuse_entities(raw)
    headers = {"content-location": feed_url} if _http(feed_url) else {}
    try:
        result = feedparser.parse(io.BytesIO(raw), response_headers=headers)
    except Exception as exc:  # feedparser is lenient, but a damaged encoding declaration can still escape
        raise ParseError(f"not an RSS or Atom feed: {exc}") from None
    feed = result.get("feed") or {}
    title = " ".join((feed.get("title") or "").split())
    entries = result.get("entries") or []
    if not entries and (not result.get("version") or (result.get("bozo") and not title)):
        root, _ = xml_root(raw[:8192].decode("utf-8", "replace"))
        if root == "html" or looks_like_html_document(raw[:8192].decode("utf-8", "replace")):
            reason = "it is an HTML page"
        else:
            reason = result.get("bozo_exception") or "no <rss>, <feed> or <rdf:RDF> element with entries"
        raise ParseError(f"not an RSS or Atom feed: {reason}")
    link = _http(feed.get("link") or "")
    key = _newsletter_key(feed_url, link, title)
    prefix = name or title or feed_url or "feed"
    documents: list[Document] = []
    failures: list[ItemFailure] = []
    for number, entry in enumerate(entries, start=1):
        entry_title = " ".join((entry.get("title") or "").split())
        label = f"{prefix} #{number}: {entry_title}" if entry_title else f"{prefix} #{number}"
        try:
            found = _entry_body(entry)
            if found is None:
                failures.append(ItemFailure(label, NO_CONTENT))
                continue
            body, kind, notes = found
            entry_id = (entry.get("id") or "").strip() or (entry.get("link") or "").strip()
            meta = SourceMeta(
                newsletter=title,
                newsletter_key=key,
                title=entry_title,
                author=" ".join((entry.get("author") or "").split()),
                published_at=_struct_time(entry, "published_parsed", "updated_parsed"),
                url=_http(entry.get("link") or ""),
                guid=f"guid:{entry_id}" if entry_id else "",
            )
            documents.append(Document(name=label, kind=kind, body=normalise_text(body).strip("\n") + "\n",
                                      meta=meta, notes=notes))
        except Exception as exc:  # noqa: BLE001 - one unreadable entry never stops the feed
            failures.append(ItemFailure(label, f"could not be read ({type(exc).__name__})"))
    return ParsedFeed(title=title, link=link, documents=tuple(documents), failures=tuple(failures))
