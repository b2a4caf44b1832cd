"""Pure parsing: newsletter bytes in, :class:`ParsedIssue` out. No Django imports here."""

from __future__ import annotations

from collections.abc import Callable

from .decode import MAX_BYTES, DecodedSource, decode_source
from .detect import detect_format
from .extract import extract
from .forward_future import parse_forward_future
from .importai_html import parse_importai_html
from .importai_text import parse_importai_text
from .items import split_items
from .types import (
    DOC_HTML,
    DOC_MARKDOWN,
    DOC_TEXT,
    FORWARD_FUTURE,
    IMPORTAI_HTML,
    IMPORTAI_TEXT,
    Document,
    ItemFailure,
    ParsedIssue,
    ParseError,
    SourceMeta,
)

PARSERS: dict[str, Callable[[str], ParsedIssue]] = {
    IMPORTAI_TEXT: parse_importai_text,
    IMPORTAI_HTML: parse_importai_html,
    FORWARD_FUTURE: parse_forward_future,
}


def parse_text(text: str) -> ParsedIssue:
    """Parse already-normalised text (as stored in ``Issue.source_text``)."""
    return PARSERS[detect_format(text)](text)


__all__ = [
    "DOC_HTML",
    "DOC_MARKDOWN",
    "DOC_TEXT",
    "Document",
    "ItemFailure",
    "SourceMeta",
    "extract",
    "split_items",
    "MAX_BYTES",
    "DecodedSource",
    "ParseError",
    "ParsedIssue",
    "decode_source",
    "detect_format",
    "parse_text",
]
