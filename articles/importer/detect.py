"""Which format is this text? Decided by content, never by file name."""

from __future__ import annotations

import re

from .types import FORWARD_FUTURE, IMPORTAI_HTML, IMPORTAI_TEXT, ParseError

_IMPORTAI_TITLE = re.compile(r"Import AI \d+:")
_HTML_START = re.compile(r"<(p|div|html|body|!doctype|h[1-6]|ul|section|article)\b", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """Whether ``text`` starts like an HTML document or fragment."""
    return bool(_HTML_START.match(text.lstrip()[:4096]))


def detect_format(text: str) -> str:
    """Return one of the format constants or raise :class:`ParseError` naming what was seen."""
    head = text.lstrip()[:4096]
    first_line = head.split("\n", 1)[0]
    if _IMPORTAI_TITLE.match(first_line):
        return IMPORTAI_TEXT
    if _HTML_START.match(head):
        return IMPORTAI_HTML
    first_lines = head.split("\n", 3)[:3]
    if first_lines and first_lines[0].strip() == "- Forward Future Daily":
        return FORWARD_FUTURE
    raise ParseError(
        "unknown format: expected an Import AI text issue ('Import AI NNN: title' on the first line), "
        "an Import AI Substack HTML export, or a Forward Future post"
    )
