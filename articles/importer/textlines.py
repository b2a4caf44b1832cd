"""Plain text → :class:`~.importai_structure.Line` list (the DOC_TEXT body after its headers).

Paragraphs
    *Line mode* (the default, and the Import AI seeds' shape): every non-blank line is one
    paragraph. *Join mode* is used when the text is hard-wrapped, i.e. it has blank lines AND at
    least 90 % of its non-blank lines are at most ``WRAP_MAX`` characters once URLs are removed AND
    at least a third of the multi-line blocks are *wrapped* (at least half of a block's lines other
    than its last are ``WRAP_MIN``..``WRAP_MAX`` characters long: a wrapped line is long, while a
    block of headline / dek / short lines is not). In join mode a line is appended (with a space) to
    the previous one unless the previous one is shorter than ``WRAP_MIN`` characters or ends with
    ``:``, or the line starts a list item, a quote, a heading or is a separator; a line that
    starts with ``[ http`` or ``<http`` always joins (a link pushed to the next line by wrapping).

Structure (``structured=True``, generic text; the Import AI refinement passes ``False`` so its
lines stay plain TEXT exactly as before)
    ``- `` / ``* `` / ``• `` / ``1. `` / ``1) `` start list items (marker removed), ``> `` a quote,
    ``#``..``######`` + space a heading. In both modes a whole line wrapped in ``**…**`` (or
    ``__…__``) loses the asterisks and gets a STRONG mark, and separator lines become rule lines.

Links (LINK marks, http/https only via ``safe_href``)
    * ``text [ https://… ]`` and ``text [https://…]``: the bracket and URL are removed; the link
      covers the text before it back to the nearest boundary — the paragraph start, the end of
      the previous link, or a sentence end / colon (". ", "! ", "? ", ": ") — but at most
      ``LINK_MAX_WORDS`` words. With no text before it, the URL itself stays as the link text.
    * ``<https://…>``: the angle brackets are removed, the URL stays visible and is linked.
    * a bare ``https://…`` is linked as it stands; trailing ``.,;:!?`` and an unbalanced ``)``
      are not part of it.
"""

from __future__ import annotations

import re

from .importai_html import rule_line, safe_href
from .importai_structure import Line, collapse_whitespace, is_separator, normalize_marks
from .types import LINK, STRONG, Mark

WRAP_MAX = 100
WRAP_MIN = 50
LINK_MAX_WORDS = 8

_URL_ANY = re.compile(r"https?://[^\s\]>]+")
_LINK_FORMS = re.compile(
    r"\s*\[\s*(?P<bracket>https?://[^\s\]]+)\s*\]|<(?P<angle>https?://[^\s>]+)>|(?P<bare>https?://[^\s<>\]\[]+)"
)
_BOUNDARY = re.compile(r"[.!?:]\s+")
_LIST = re.compile(r"(?:[-*•]|\d{1,3}[.)])\s+(?=\S)")
_QUOTE = re.compile(r">\s?")
_HEADING = re.compile(r"(#{1,6})\s+(?=\S)")
_BOLD_LINE = re.compile(r"(\*\*|__)(?P<text>\S(?:.*\S)?)\1")


def _is_long(line: str) -> bool:
    return WRAP_MIN <= len(_URL_ANY.sub("", line).strip()) <= WRAP_MAX


def is_hard_wrapped(text: str) -> bool:
    """Join-mode test from the module docstring."""
    blocks = [[x for x in b.split("\n") if x.strip()] for b in re.split(r"\n[ \t]*\n", text)]
    blocks = [b for b in blocks if b]
    multi = [b for b in blocks if len(b) > 1]
    if len(blocks) < 2 or not multi:
        return False
    lines = [_URL_ANY.sub("", x).strip() for b in blocks for x in b]
    short = sum(1 for x in lines if len(x) <= WRAP_MAX)
    wrapped = sum(1 for b in multi if 2 * sum(map(_is_long, b[:-1])) >= len(b) - 1)
    return short >= 0.9 * len(lines) and 3 * wrapped >= len(multi)


def _starts_block(raw: str, structured: bool) -> bool:
    stripped = raw.strip()
    if is_separator(stripped) or _BOLD_LINE.fullmatch(stripped):
        return True
    return structured and bool(_LIST.match(stripped) or _QUOTE.match(stripped) or _HEADING.match(stripped))


def _paragraph_texts(text: str, structured: bool) -> list[str]:
    raw_lines = text.split("\n")
    if not is_hard_wrapped(text):
        return [x for x in raw_lines if x.strip()]
    out: list[list[str]] = []  # paragraphs as lists of lines (joined once at the end: linear)
    joinable = False
    for raw in raw_lines:
        line = raw.strip()
        if not line:
            joinable = False
            continue
        link_first = line.startswith(("[ http", "[http", "<http"))
        if out and (link_first or (joinable and not _starts_block(line, structured))):
            out[-1].append(line)
        else:
            out.append([line])
        joinable = len(line) >= WRAP_MIN and not line.endswith(":") and not is_separator(line)
    return [" ".join(parts) for parts in out]


def link_text_start(before: str) -> int:
    """Where, in ``before`` (the text since the previous link), a bracket link's text starts."""
    start = 0
    for m in _BOUNDARY.finditer(before):
        if m.end() < len(before):
            start = m.end()
    words = list(re.finditer(r"\S+", before[start:]))
    if len(words) > LINK_MAX_WORDS:
        start += words[-LINK_MAX_WORDS].start()
    return start


def linkify(text: str) -> tuple[str, list[Mark]]:
    """Plain-text link forms → (text without bracket URLs, LINK marks). Linear time."""
    parts: list[str] = []
    marks: list[Mark] = []
    out_len = 0
    pos = 0
    for m in _LINK_FORMS.finditer(text):
        before = text[pos : m.start()]  # everything since the previous link (or the start)
        parts.append(before)
        floor, out_len = out_len, out_len + len(before)
        if m.group("bracket"):
            url = m.group("bracket")
            href = safe_href(url)
            if before.strip():
                if href:
                    marks.append(Mark(LINK, floor + link_text_start(before), out_len, href))
            else:
                shown = (" " if out_len and not parts[-1].endswith(" ") and not before else "") + url
                parts.append(shown)
                if href:
                    marks.append(Mark(LINK, out_len + len(shown) - len(url), out_len + len(shown), href))
                out_len += len(shown)
        else:
            url = m.group("angle") or m.group("bare")
            trail = ""
            if m.group("bare"):
                stripped = url.rstrip(".,;:!?")
                if stripped.endswith(")") and stripped.count("(") < stripped.count(")"):
                    stripped = stripped[:-1]
                url, trail = stripped, url[len(stripped) :]
            href = safe_href(url)
            if href:
                marks.append(Mark(LINK, out_len, out_len + len(url), href))
            parts.append(url + trail)
            out_len += len(url) + len(trail)
        pos = m.end()
    parts.append(text[pos:])
    return "".join(parts), marks


def text_line(raw: str, *, structured: bool) -> Line:
    """One paragraph's text → a Line (markers, bold wrapper and links handled)."""
    text = collapse_whitespace(raw).strip()
    if is_separator(text):
        return rule_line()
    list_item = quote = False
    heading = 0
    if structured:
        if m := _HEADING.match(text):
            heading, text = len(m.group(1)), text[m.end() :].rstrip("#").strip()
        elif m := _QUOTE.match(text):
            quote, text = True, text[m.end() :]
        elif m := _LIST.match(text):
            list_item, text = True, text[m.end() :]
    text, marks = linkify(text)
    if bold := _BOLD_LINE.fullmatch(text):
        inner = bold.group("text")
        shift = bold.start("text")
        marks = [Mark(k.kind, k.start - shift, k.end - shift, k.href) for k in marks]
        text = inner
        marks.append(Mark(STRONG, 0, len(text)))
    return Line(text, normalize_marks(text, marks), list_item, heading=heading, quote=quote)


def text_lines(text: str, *, structured: bool = True) -> list[Line]:
    """The body as Lines (see the module docstring)."""
    lines = [text_line(p, structured=structured) for p in _paragraph_texts(text, structured)]
    return [line for line in lines if line.text]
