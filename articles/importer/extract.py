"""Document → ParsedIssue: the structure step. Refinements for known newsletters first, then the
generic extractor. Pure: no Django."""

from __future__ import annotations

from dataclasses import replace

from .detect import detect_format
from .forward_future import parse_forward_future
from .importai_html import parse_importai_html
from .importai_text import parse_importai_text
from .types import FORWARD_FUTURE, IMPORTAI_HTML, IMPORTAI_TEXT, Document, ParsedIssue

_PARSERS = {
    IMPORTAI_TEXT: parse_importai_text,
    IMPORTAI_HTML: parse_importai_html,
    FORWARD_FUTURE: parse_forward_future,
}


def extract(document: Document) -> ParsedIssue:
    """The issue in ``document``; raises ParseError with a reason a person can act on."""
    parsed = _PARSERS[detect_format(document.body)](document.body)
    meta = document.meta
    return replace(
        parsed,
        newsletter=parsed.newsletter or meta.newsletter,
        newsletter_key=parsed.newsletter_key or meta.newsletter_key,
        title=parsed.title or meta.title,
        author=parsed.author or meta.author,
        published_at=parsed.published_at or meta.published_at,
        url=parsed.url or meta.url,
        guid=parsed.guid or meta.guid,
        notes=document.notes + parsed.notes,
    )
