"""The importer's output: frozen dataclasses, no Django.

Every parser returns a :class:`ParsedIssue`. Text is plain Unicode; inline formatting is kept as
:class:`Mark` character ranges over a paragraph's ``text`` (never as HTML).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# Mark, paragraph and section kinds and the formats (which extractor made the issue, stored as
# Issue.source_format) are declared once, in articles.kinds; the importer's modules import them here.
from articles.kinds import (  # noqa: F401 (re-exported)
    EMPHASIS,
    FORWARD_FUTURE,
    GENERIC_HTML,
    GENERIC_MARKDOWN,
    GENERIC_TEXT,
    IMPORTAI_HTML,
    IMPORTAI_TEXT,
    INTRO,
    LINK,
    LIST_ITEM,
    QUOTE,
    READER_COMMENTS,
    SOURCE,
    STORY,
    STRONG,
    TECH_TALE,
    TEXT,
)

# Document kinds: what the body of a Document is
DOC_TEXT = "text"
DOC_MARKDOWN = "markdown"
DOC_HTML = "html"
DOCUMENT_KINDS = (DOC_TEXT, DOC_MARKDOWN, DOC_HTML)


class ParseError(ValueError):
    """The input cannot be imported; the message says why, in words for the person importing."""


@dataclass(frozen=True)
class Mark:
    kind: str  # LINK | STRONG | EMPHASIS
    start: int  # offsets into ParsedParagraph.text, end exclusive
    end: int
    href: str = ""  # only for LINK; http/https only


@dataclass(frozen=True)
class ParsedParagraph:
    text: str
    kind: str = TEXT
    marks: tuple[Mark, ...] = ()


@dataclass(frozen=True)
class ParsedSection:
    kind: str
    headline: str = ""
    dek: str = ""
    paragraphs: tuple[ParsedParagraph, ...] = ()


@dataclass(frozen=True)
class SourceMeta:
    """What the channel or the document itself says about an issue (all optional).

    ``newsletter_key`` is the newsletter's *stable identity*, never its display name:
    ``feed:<feed url>``, ``list:<List-Id>``, ``email:<sender address>``, ``site:<host>`` or
    ``name:<slug of the name>`` (the last resort, for files that only carry a name).
    """

    newsletter: str = ""  # display name as the source gives it ("Import AI", a feed title, From name)
    newsletter_key: str = ""
    title: str = ""
    subtitle: str = ""
    author: str = ""
    published_at: datetime | None = None  # timezone-aware (UTC when the source gives no zone)
    url: str = ""  # canonical URL of the issue, http(s) only
    guid: str = ""  # feed entry id / Message-ID: re-delivery of the same item updates one issue


@dataclass(frozen=True)
class Document:
    """One item, decoded and repaired, ready for structure extraction (the pipeline's middle)."""

    name: str  # for the report: file name, "archive.zip/a.md", "feed: entry title", …
    kind: str  # DOC_TEXT | DOC_MARKDOWN | DOC_HTML
    body: str  # normalised text (LF line ends, NFC); for DOC_HTML the HTML source
    meta: SourceMeta = SourceMeta()
    encoding: str = "utf-8"
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ItemFailure:
    """An item of a container (zip member, mbox message, feed entry) that could not be read."""

    name: str
    reason: str


@dataclass(frozen=True)
class ParsedIssue:
    format: str
    newsletter: str  # "Import AI", "Forward Future", or whatever the source names
    title: str
    number: int | None = None
    subtitle: str = ""
    author: str = ""
    sections: tuple[ParsedSection, ...] = ()
    notes: tuple[str, ...] = field(default=())  # things the report should say (e.g. decoded as cp1252)
    newsletter_key: str = ""  # see SourceMeta.newsletter_key; "" = derive from the name
    published_at: datetime | None = None
    url: str = ""
    guid: str = ""
