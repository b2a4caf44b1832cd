"""Parser for Forward Future posts saved as plain text from the web page (no Django).

The shape, after :func:`~articles.importer.repair.repair_mojibake`::

    - Forward Future Daily              breadcrumb lines ("- " + item), the last one is the title
    - Posts
    - 🗞 Scale Is All You Need? Part 2-2
    Scale Is All You Need? Part 2-2     the title again
    Note: If you haven’t seen …         intro paragraph(s)
    Training Data                       subheading → a new STORY section
    One paragraph per line …            TEXT, or QUOTE when it opens with a quotation mark
    2.3 Some important Graphs           numbered subheadings keep their number
    …
    Subscribe to the Forward Future …   footer, dropped from here on
    About the author
    Kim Isenberg |                      → ParsedIssue.author
    |
    Reply

Subheading rule: a line of at most 60 characters and 8 words, with an optional numbering
prefix ("2.3 ", "3. "), whose text starts with an uppercase letter (so a lone continuation word
such as "and" stays a paragraph), does not start with a quotation mark and does not end with
sentence punctuation (. ! ? : ; , …).
"""

from __future__ import annotations

import re

from .repair import repair_mojibake
from .types import (
    FORWARD_FUTURE,
    INTRO,
    QUOTE,
    STORY,
    STRONG,
    TEXT,
    Mark,
    ParsedIssue,
    ParsedParagraph,
    ParsedSection,
    ParseError,
)

NEWSLETTER = "Forward Future"
MAX_HEADING_CHARS = 60
MAX_HEADING_WORDS = 8

_BREADCRUMB = re.compile(r"^- +(?P<item>\S.*)$")
_NUMBERING = re.compile(r"^\d+(?:\.\d+)*\.?\s+")
_OPENING_QUOTES = "“‘\"'„«"
_TERMINAL_PUNCTUATION = ".!?:;,…"
_FOOTER_START = re.compile(r"^(?:Subscribe to the Forward Future\b|About the author\s*$)", re.I)
_ABOUT_AUTHOR = re.compile(r"^About the author\s*$", re.I)
_FOOTER_JUNK = re.compile(r"^(?:\||Reply|Share|Login|Sign up|Subscribe)\s*$", re.I)
_STRONG_LEAD = re.compile(r"^(?:Note|Update|Editor's note|Editor’s note|Disclaimer):", re.I)


def is_subheading(line: str) -> bool:
    """Whether a (stripped, non-empty) body line is a subheading; see the module docstring."""
    if len(line) > MAX_HEADING_CHARS or len(line.split()) > MAX_HEADING_WORDS:
        return False
    if line[0] in _OPENING_QUOTES or line[-1] in _TERMINAL_PUNCTUATION:
        return False
    rest = _NUMBERING.sub("", line, count=1)
    return bool(rest) and rest[0].isupper()


def _paragraph(line: str) -> ParsedParagraph:
    kind = QUOTE if line[0] in _OPENING_QUOTES else TEXT
    lead = _STRONG_LEAD.match(line)
    marks = (Mark(STRONG, 0, lead.end()),) if lead else ()
    return ParsedParagraph(text=line, kind=kind, marks=marks)


def _split_footer(lines: list[str]) -> tuple[list[str], str]:
    """Return (body lines, author) with the footer removed."""
    author = ""
    cut = next((i for i, line in enumerate(lines) if _FOOTER_START.match(line)), len(lines))
    footer = lines[cut:]
    for i, line in enumerate(footer):
        if _ABOUT_AUTHOR.match(line):
            for candidate in footer[i + 1 :]:
                name = candidate.split("|", 1)[0].strip()
                if name and not _FOOTER_JUNK.match(candidate):
                    author = name
                    break
            break
    body = lines[:cut]
    while body and _FOOTER_JUNK.match(body[-1]):
        body.pop()
    return body, author


def parse_forward_future(text: str) -> ParsedIssue:
    """Parse one Forward Future post (normalised text) into a :class:`ParsedIssue`.

    Raises :class:`ParseError` when the breadcrumb and repeated title are missing, or when no
    paragraphs are left after the footer is removed.
    """
    repaired = repair_mojibake(text)
    lines = [line.strip() for line in repaired.split("\n")]
    lines = [line for line in lines if line]

    crumbs = 0
    while crumbs < len(lines) and _BREADCRUMB.match(lines[crumbs]):
        crumbs += 1
    if crumbs < 2:
        raise ParseError(
            "This does not look like a Forward Future post: it should start with breadcrumb "
            "lines such as “- Forward Future Daily”, “- Posts” and “- <title>”."
        )
    title = _BREADCRUMB.match(lines[crumbs - 1]).group("item").strip()
    if crumbs >= len(lines) or lines[crumbs] != title:
        raise ParseError(
            f"This does not look like a Forward Future post: the title “{title}” from the "
            "breadcrumb should be repeated on the next line."
        )

    body, author = _split_footer(lines[crumbs + 1 :])
    if not body:
        raise ParseError(f"The Forward Future post “{title}” has no paragraphs to import.")

    sections: list[ParsedSection] = []
    kind, headline, paragraphs = INTRO, "", []
    for line in body:
        if is_subheading(line):
            if paragraphs or kind != INTRO:
                sections.append(ParsedSection(kind, headline, paragraphs=tuple(paragraphs)))
            kind, headline, paragraphs = STORY, line, []
        else:
            paragraphs.append(_paragraph(line))
    sections.append(ParsedSection(kind, headline, paragraphs=tuple(paragraphs)))

    if not any(section.paragraphs for section in sections):
        raise ParseError(f"The Forward Future post “{title}” has no paragraphs to import.")

    notes = ()
    if repaired != text:
        notes = (
            "Repaired damaged characters (mojibake): quotes, apostrophes and dashes that had "
            "lost bytes were restored from context, and emoji remnants were removed.",
        )
    return ParsedIssue(
        format=FORWARD_FUTURE,
        newsletter=NEWSLETTER,
        title=title,
        number=None,
        author=author,
        sections=tuple(sections),
        notes=notes,
    )
