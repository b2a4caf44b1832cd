"""Pure parsing: newsletter bytes in, :class:`ParsedIssue` out. No Django imports here."""

from __future__ import annotations

from .decode import MAX_BYTES, DecodedSource, decode_source
from .extract import extract
from .items import split_items
from .types import (
    DOC_HTML,
    DOC_MARKDOWN,
    DOC_TEXT,
    Document,
    ItemFailure,
    ParsedIssue,
    ParseError,
    SourceMeta,
)

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
]
