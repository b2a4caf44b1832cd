"""The importer's output: frozen dataclasses, no Django.

Every parser returns a :class:`ParsedIssue`. Text is plain Unicode; inline formatting is kept as
:class:`Mark` character ranges over a paragraph's ``text`` (never as HTML).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Mark kinds
LINK = "link"
STRONG = "strong"  # bold lead-ins such as "Why this matters:"
EMPHASIS = "em"

# Paragraph kinds
TEXT = "text"
SOURCE = "source"  # "Read more: …", "Read the research: …", "Get …"
LIST_ITEM = "list_item"
QUOTE = "quote"
SETTING = "setting"  # the [bracketed] setting line of a Tech Tale

# Section kinds
INTRO = "intro"
STORY = "story"
TECH_TALE = "tech_tale"
READER_COMMENTS = "reader_comments"

# Formats
IMPORTAI_TEXT = "importai_text"
IMPORTAI_HTML = "importai_html"
FORWARD_FUTURE = "forward_future"


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
class ParsedIssue:
    format: str
    newsletter: str  # "Import AI", "Forward Future"
    title: str
    number: int | None = None
    subtitle: str = ""
    author: str = ""
    sections: tuple[ParsedSection, ...] = ()
    notes: tuple[str, ...] = field(default=())  # things the report should say (e.g. decoded as cp1252)
