"""User query text → search terms, and terms → each engine's query syntax. Pure: no Django.

Only runs of word characters survive, so no operator, quote or parenthesis a user types ever
reaches FTS5 or ``to_tsquery``: ``"``, ``AND(`` or ``NEAR`` are plain words (or nothing).
Terms are ANDed; the last one is a prefix while the user is still typing (no trailing space).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_CHARS = 500  # longer input is cut (the term cap bounds the work anyway)
MAX_TERMS = 12
MIN_PREFIX = 2  # a one-letter prefix matches half the index: search it as a whole word


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[str, ...]
    prefix_last: bool

    def __bool__(self) -> bool:
        return bool(self.terms)


def query_parse(raw: str) -> ParsedQuery:
    raw = (raw or "")[:MAX_QUERY_CHARS].replace("\x00", "")
    terms = tuple(t.lower() for t in WORD.findall(raw))[:MAX_TERMS]
    typing = bool(terms) and not raw[-1:].isspace() and raw.rstrip()[-1:].isalnum()
    return ParsedQuery(terms, prefix_last=typing and len(terms[-1]) >= MIN_PREFIX)


def fts5_match(query: ParsedQuery) -> str:
    """``"diloco" "stream"*``: each term a quoted FTS5 string (quotes doubled, though ``\\w`` has
    none), implicit AND, a prefix star on the last while typing."""
    parts = ['"' + term.replace('"', '""') + '"' for term in query.terms]
    if query.prefix_last:
        parts[-1] += "*"
    return " ".join(parts)


def tsquery_raw(query: ParsedQuery) -> str:
    """``'diloco' & 'stream':*`` for ``to_tsquery('english', …)``: quoted lexemes (quotes and
    backslashes doubled), ANDed, the last a prefix while typing."""
    parts = ["'" + term.replace("\\", "\\\\").replace("'", "''") + "'" for term in query.terms]
    if query.prefix_last:
        parts[-1] += ":*"
    return " & ".join(parts)
