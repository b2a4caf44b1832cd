"""A short excerpt of a document with the matched words in ``<mark class="search-hit">``.

Every piece of text is escaped; only the ``<mark>`` tags this module writes are markup.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .query import ParsedQuery

CONTEXT = 90  # characters shown before the first hit
LENGTH = 280


def _pattern(query: ParsedQuery) -> re.Pattern | None:
    """Words starting with a term (stemming makes "models" match "model", prefixes match)."""
    terms = sorted({t for t in query.terms if t}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in terms) + r")\w*", re.IGNORECASE)


def snippet_html(text: str, query: ParsedQuery) -> SafeString:
    """Up to ``LENGTH`` characters around the first hit, hits wrapped in marks, all else escaped."""
    text = " ".join(text.split())
    pattern = _pattern(query)
    first = pattern.search(text) if pattern else None
    start = 0
    if first and first.start() > CONTEXT:
        start = text.rfind(" ", 0, first.start() - CONTEXT) + 1 or first.start() - CONTEXT
    end = min(len(text), start + LENGTH)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    excerpt = text[start:end]
    out = ["…" if start > 0 else ""]
    pos = 0
    for match in pattern.finditer(excerpt) if pattern else ():
        out.append(escape(excerpt[pos:match.start()]))
        out.append(f'<mark class="search-hit">{escape(match.group())}</mark>')
        pos = match.end()
    out.append(escape(excerpt[pos:]))
    out.append("…" if end < len(text) else "")
    return mark_safe("".join(out))  # every piece above is escaped or our own <mark>
