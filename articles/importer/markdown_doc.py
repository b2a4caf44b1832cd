"""Markdown → Lines: converted with the ``markdown`` library, then flattened like any HTML.

So ``**bold**``, ``*em*``, ``[text](url)`` (also across a line break), headings, lists,
blockquotes and escapes (``\\*\\*\\*`` → a literal ``***`` line, which is a separator) become marks
and Line flags; no ``**`` or ``](`` is left in the text.

Before converting, every separator line (``***``, ``* * *``, ``---``, ``___``, 3+ ``#``; see
``is_separator``) (also escaped, ``\\*\\*\\*``) outside fenced code is rewritten to ``***`` with blank lines around it, so
``---`` under a paragraph is a separator (NOT a setext heading) and ``####`` is not an empty
heading; a list item or ``>`` quote line right under a paragraph line gets a blank line
before it (Python-Markdown would otherwise glue it to the paragraph). Unless the text is hard-wrapped (see :func:`.textlines.is_hard_wrapped`) a single
newline is a line break (``nl2br``), so one-line-per-paragraph files keep their paragraphs.
Raw HTML inside Markdown is subject to the same depth limit as HTML fragments.

Plain-text links (a plain e-mail read as Markdown because it has ``**bold**``): before converting,
outside fenced code, ``text [ https://… ]`` / ``text [https://…]`` becomes ``[text](https://…)``
with the link text chosen as in :func:`.textlines.linkify` (back to the previous link, a sentence
end or colon, at most ``LINK_MAX_WORDS`` words, never across a blank line) and never containing
Markdown syntax characters (``[ ] ( ) < > * _ `` and backtick — it then starts after the last one);
with no text before it the URL becomes an autolink ``<https://…>``. ``<https://…>`` already is an
autolink. A real Markdown link ``[text](url)`` — even ``[https://…](https://…)`` — is left alone.
"""

from __future__ import annotations

import re

import markdown

from .importai_html import _DepthGuard, flatten_html
from .importai_structure import Line, is_separator
from .textlines import is_hard_wrapped, link_text_start

_PLAIN_LINK = re.compile(r"[ \t]*\[[ \t]*(https?://[^\s\]\[()<>]+)[ \t]*\](?![(\[])")
_MD_SYNTAX = re.compile(r"[\[\]()<>*_`]")


_LIST_START = re.compile(r"\s{0,3}(?:[-*+]\s|\d{1,3}[.)]\s)")
_QUOTE_START = re.compile(r"\s{0,3}>")


def _block_kind(line: str) -> str:
    return "list" if _LIST_START.match(line) else "quote" if _QUOTE_START.match(line) else "text"



def _normalise_separators(text: str) -> str:
    out: list[str] = []
    fenced = False
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not fenced and is_separator(line.strip().replace("\\", "")):
            out.extend(("", "***", ""))
            continue
        kind = _block_kind(line)
        if not fenced and out and out[-1].strip() and kind != "text" and _block_kind(out[-1]) != kind:
            out.append("")  # a list / quote right under a paragraph line still starts a block
        out.append(line)
    return "\n".join(out)


def _plain_links_in(chunk: str) -> str:
    out: list[str] = []
    pos = 0
    for m in _PLAIN_LINK.finditer(chunk):
        before = chunk[pos : m.start()]
        floor = max(before.rfind("\n\n") + 2 if "\n\n" in before else 0,
                    max((x.end() for x in _MD_SYNTAX.finditer(before)), default=0))
        url = m.group(1)
        start = floor + link_text_start(before[floor:])
        text = before[start:]
        if text.strip():
            lead = len(text) - len(text.lstrip())
            out.append(before[: start + lead] + "[" + text.strip() + "](" + url + ")")
        else:
            out.append(before + (" " if before and not before[-1].isspace() else "") + "<" + url + ">")
        pos = m.end()
    out.append(chunk[pos:])
    return "".join(out)


def plain_links_to_markdown(text: str) -> str:
    """``text [ url ]`` → ``[text](url)`` outside fenced code (see the module docstring)."""
    if "[" not in text:
        return text
    parts = re.split(r"(?m)(^[ \t]*(?:```|~~~).*$)", text)
    fenced = False
    for i, part in enumerate(parts):
        if i % 2:  # a fence line
            fenced = not fenced
        elif not fenced:
            parts[i] = _plain_links_in(part)
    return "".join(parts)


def markdown_to_html(text: str) -> str:
    extensions = ["extra", "sane_lists"]
    if not is_hard_wrapped(text):
        extensions.append("nl2br")
    return markdown.markdown(_normalise_separators(plain_links_to_markdown(text)), extensions=extensions)


def markdown_lines(text: str) -> tuple[list[Line], int]:
    """The Markdown text as Lines, plus the number of links that lost their (non-http) href."""
    html = markdown_to_html(text)
    guard = _DepthGuard()
    guard.feed(html)  # raises ParseError past MAX_DEPTH open tags
    return flatten_html(html)
