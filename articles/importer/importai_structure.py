"""What the Import AI text and HTML formats have in common: turning a list of lines into sections.

Both format modules first reduce their input to a sequence of :class:`Line` (text plus exact
:class:`Mark` ranges, one line = one paragraph) and then call :func:`segment_issue`, so the rules
below live in one place only.

Segmentation
    * A line that ends the issue (``Thanks for reading`` with optional ``!``/``.``) is dropped;
      everything after it becomes one ``READER_COMMENTS`` section (headline "Reader comments").
      A new comment starts at the first line and at every *salutation* line (at most 5 words /
      60 characters, ending in ``,``, e.g. "Dr. Nagase,"). Each comment is ONE paragraph whose
      lines are joined with ``\\n`` (render with line breaks), so comments stay distinguishable.
    * The rest is split into chunks at separator lines (``***``, ``* * *``, ``---``, ``___``, a
      line of 3+ ``#`` as old issues use, ``<hr>``; see :func:`is_separator`) and before a
      ``Tech Tales:`` label (``**Tech Tales:**`` too). In the first chunk the lines
      before the first headline-looking line (ends in ``:``, at most 200 characters) form the
      ``INTRO`` section; the remainder is the first story.
    * A story chunk starts with its headline (stored without the trailing colon) when that line
      ends in ``:`` or is followed by a dek; otherwise the story has an empty headline.
    * The dek is the line right after the headline when it starts with an ellipsis (``…`` or
      ``...``); it is stored without the surrounding ellipses. If the line also ends with an
      ellipsis the whole line is the dek; otherwise it is split after the first closing ellipsis
      and the rest becomes the first paragraph (the dek and text share a line in some issues).
    * A chunk headed ``Tech Tales`` is a ``TECH_TALE``: the next line is the tale's title (the
      section headline, trailing colon stripped) and a following ``[bracketed]`` line is the
      setting, stored as the dek WITHOUT the brackets.

Source lines (kind ``SOURCE``)
    Scanning a story backwards from its end, every *source-looking* line is a source until the
    first other line; ``PS`` notes are skipped over (kept as text) so a trailing "PS: …" does not
    hide the links above it. A line looks like a source when it starts with ``Read more``,
    ``Read the `` or ``Get ``, or when it starts with Watch / Check out / Download / More about /
    See / Find / Try / Listen to / View / Explore / Play / Access and contains the word ``here``.
    Lines longer than 400 characters and list items are never sources.

Lead-ins (inferred only for the plain-text format; HTML keeps its real ``<strong>`` marks)
    The prefix up to the first ``": "`` gets a ``STRONG`` mark (colon included) when the prefix
    is at most 20 words and 100 characters (35 words / 200 characters when it starts with
    "Why this matters"), starts with an uppercase letter or digit, contains no sentence end
    (". ", "? ", "! ") and no unbalanced bracket, and the remainder is at least 20 characters and
    does not start with a digit (so "2018: 1.9%" and "MMLU: 84.8, versus …" stay unmarked, and so
    does a line that is only "Some rough specifications:"). A bare "Why this matters:" extends
    to the next ``": "`` when that longer prefix qualifies too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from .types import (
    INTRO,
    LIST_ITEM,
    READER_COMMENTS,
    SOURCE,
    STORY,
    STRONG,
    TECH_TALE,
    TEXT,
    Mark,
    ParsedParagraph,
    ParsedSection,
    ParseError,
)

ELLIPSES = ("…", "...")
HEADLINE_MAX_CHARS = 200
LEAD_IN_MAX_WORDS = 20
LEAD_IN_MAX_CHARS = 100  # prefix including the colon
WHY_THIS_MATTERS = "Why this matters"  # the signature lead-in may be longer:
WHY_MAX_WORDS = 35
WHY_MAX_CHARS = 200
LEAD_IN_MIN_REST = 20
SOURCE_MAX_CHARS = 400
SALUTATION_MAX_WORDS = 5
SALUTATION_MAX_CHARS = 60

_WS = re.compile(r"\s+")
_HERE = re.compile(r"\bhere\b", re.IGNORECASE)
_SOURCE_PREFIXES = ("Read more", "Read the ", "Get ")
_HERE_VERBS = (
    "Watch ", "Check out ", "Download ", "More about ", "See ", "Find ", "Try ",
    "Listen to ", "View ", "Explore ", "Play ", "Access ",
)  # fmt: skip
_SENTENCE_ENDS = (". ", "? ", "! ")


@dataclass(frozen=True)
class Line:
    """One line of an issue: already whitespace-collapsed text plus marks over it."""

    text: str
    marks: tuple[Mark, ...] = ()
    list_item: bool = False
    heading: int = 0  # 1–6 for a line that was an <hN> / Markdown heading, else 0
    rule: bool = False  # a separator line (<hr>, ***, ---, ####, …); its text is "***"
    quote: bool = False  # inside a <blockquote> / Markdown "> "

    def slice(self, start: int, end: int | None = None) -> Line:
        """The sub-line ``text[start:end]``, stripped, with marks clipped and shifted."""
        end = len(self.text) if end is None else end
        part = self.text[start:end]
        lstrip = len(part) - len(part.lstrip())
        text = part.strip()
        offset = start + lstrip
        marks = [
            Mark(m.kind, max(m.start - offset, 0), min(m.end - offset, len(text)), m.href)
            for m in self.marks
        ]
        return replace(self, text=text, marks=normalize_marks(text, marks))

    def stripped(self) -> Line:
        return self.slice(0)


def collapse_whitespace(text: str) -> str:
    """Runs of whitespace become one space (linear time)."""
    return _WS.sub(" ", text)


def normalize_marks(text: str, marks: Iterable[Mark]) -> tuple[Mark, ...]:
    """Trim whitespace off mark edges, drop empty marks, merge marks of one kind/href that touch
    or are separated by one whitespace character (whitespace runs are already collapsed)."""
    trimmed: list[Mark] = []
    for m in marks:
        start, end = max(m.start, 0), min(m.end, len(text))
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            trimmed.append(Mark(m.kind, start, end, m.href))
    trimmed.sort(key=lambda m: (m.kind, m.href, m.start, m.end))
    merged: list[Mark] = []
    for m in trimmed:
        last = merged[-1] if merged else None
        touching = last is not None and (
            m.start <= last.end or (m.start - last.end == 1 and text[last.end].isspace())
        )
        if last and touching and (last.kind, last.href) == (m.kind, m.href):
            merged[-1] = replace(last, end=max(last.end, m.end))
        else:
            merged.append(m)
    merged.sort(key=lambda m: (m.start, m.end, m.kind))
    return tuple(merged)


def strip_ellipses(text: str) -> str:
    """``"…foo…"`` → ``"foo"`` (also ``...``); other text is only stripped."""
    text = text.strip()
    for e in ELLIPSES:
        if text.startswith(e):
            text = text[len(e) :]
            break
    for e in ELLIPSES:
        if text.endswith(e):
            text = text[: -len(e)]
            break
    return text.strip()


def strip_colon(text: str) -> str:
    """A headline without its single trailing colon."""
    text = text.strip()
    return text[:-1].rstrip() if text.endswith(":") else text


_HR_TAG = re.compile(r"<hr\s*/?>", re.IGNORECASE)


def is_separator(text: str) -> bool:
    """A story separator line: 3+ of one of ``*`` ``#`` ``-`` ``_`` and nothing else (spaces
    allowed: ``* * *``), or a literal ``<hr>``."""
    compact = text.replace(" ", "")
    if len(compact) >= 3 and len(set(compact)) == 1 and compact[0] in "*#-_":
        return True
    return bool(_HR_TAG.fullmatch(text.strip()))


def is_tech_tales(text: str) -> bool:
    """The ``Tech Tales:`` label (also written ``**Tech Tales:**`` in Markdown-ish text)."""
    return strip_colon(text.strip().strip("*").strip()).lower() == "tech tales"


def is_thanks(text: str) -> bool:
    """The line that ends an issue: ``Thanks for reading`` with optional ``!`` / ``.``."""
    return text.strip().rstrip("!.").strip().lower() == "thanks for reading"


def is_salutation(text: str) -> bool:
    """A short line ending in a comma that opens a reader comment ("Dr. Nagase,")."""
    return (
        text.endswith(",")
        and len(text) <= SALUTATION_MAX_CHARS
        and len(text.split()) <= SALUTATION_MAX_WORDS
    )


def looks_like_headline(line: Line) -> bool:
    return not line.list_item and 1 < len(line.text) <= HEADLINE_MAX_CHARS and line.text.endswith(":")


def starts_with_ellipsis(text: str) -> bool:
    return text.startswith(ELLIPSES)


def split_dek(line: Line) -> tuple[str, Line | None]:
    """Split a dek line into the dek text and, when they share the line, the first paragraph."""
    text = line.text
    opener = next(e for e in ELLIPSES if text.startswith(e))
    if text.endswith(ELLIPSES) and len(text) > len(opener):
        return strip_ellipses(text), None
    positions = [(text.find(e, len(opener)), e) for e in ELLIPSES]
    found = [(p, e) for p, e in positions if p >= 0]
    if not found:
        return strip_ellipses(text), None
    pos, closer = min(found)
    rest = line.slice(pos + len(closer))
    return text[len(opener) : pos].strip(), (rest if rest.text else None)


def _lead_in_ok(prefix: str, rest: str) -> bool:
    """The lead-in rule for ``prefix`` (colon excluded) followed by ``rest``."""
    why = prefix.startswith(WHY_THIS_MATTERS)
    max_chars, max_words = (WHY_MAX_CHARS, WHY_MAX_WORDS) if why else (LEAD_IN_MAX_CHARS, LEAD_IN_MAX_WORDS)
    words = sum(1 for w in prefix.split() if any(c.isalnum() for c in w))
    return (
        0 < len(prefix) < max_chars
        and (prefix[0].isupper() or prefix[0].isdigit())
        and 0 < words <= max_words
        and not any(s in prefix for s in _SENTENCE_ENDS)
        and prefix.count("(") == prefix.count(")")
        and prefix.count("[") == prefix.count("]")
        and len(rest) >= LEAD_IN_MIN_REST
        and not rest[0].isdigit()
    )


def lead_in_end(text: str) -> int:
    """End offset of an inferred lead-in (colon included), or 0 when there is none.

    Only the first ``": "`` is considered, except that a bare "Why this matters:" extends to the
    next ``": "`` when that longer prefix also qualifies ("Why this matters: X wins: …").
    """
    colon = text.find(": ", 0, WHY_MAX_CHARS + 1)
    if colon <= 0 or not _lead_in_ok(text[:colon], text[colon + 1 :].strip()):
        return 0
    if text[:colon] == WHY_THIS_MATTERS:
        second = text.find(": ", colon + 2, WHY_MAX_CHARS + 1)
        if second > 0 and _lead_in_ok(text[:second], text[second + 1 :].strip()):
            return second + 1
    return colon + 1


def looks_like_source(line: Line) -> bool:
    """The source-line rule described in the module docstring (position is checked elsewhere)."""
    text = line.text
    if line.list_item or len(text) > SOURCE_MAX_CHARS:
        return False
    if text.startswith(_SOURCE_PREFIXES):
        return True
    return text.startswith(_HERE_VERBS) and _HERE.search(text) is not None


def _is_ps(text: str) -> bool:
    return text.startswith(("PS:", "PS ", "P.S.", "PPS"))


def _paragraph(line: Line, kind: str, infer_lead_ins: bool) -> ParsedParagraph:
    marks = line.marks
    if infer_lead_ins and not any(m.kind == STRONG and m.start == 0 for m in marks):
        end = lead_in_end(line.text)
        if end:
            marks = normalize_marks(line.text, (*marks, Mark(STRONG, 0, end)))
    if kind == TEXT and line.list_item:
        kind = LIST_ITEM
    return ParsedParagraph(line.text, kind, marks)


def _paragraphs(lines: Sequence[Line], infer: bool, *, sources: bool) -> tuple[ParsedParagraph, ...]:
    kinds = [TEXT] * len(lines)
    if sources:
        for i in range(len(lines) - 1, -1, -1):
            if looks_like_source(lines[i]):
                kinds[i] = SOURCE
            elif not _is_ps(lines[i].text):
                break
    return tuple(_paragraph(line, kind, infer) for line, kind in zip(lines, kinds, strict=True))


def _story(lines: Sequence[Line], infer: bool) -> ParsedSection:
    """A story chunk: optional headline, optional dek, then paragraphs."""
    first = lines[0]
    has_dek = len(lines) > 1 and starts_with_ellipsis(lines[1].text)
    if first.list_item or not (first.text.endswith(":") or has_dek):
        return ParsedSection(STORY, paragraphs=_paragraphs(lines, infer, sources=True))
    body = list(lines[1:])
    dek = ""
    if has_dek:
        dek, rest = split_dek(body.pop(0))
        if rest is not None:
            body.insert(0, rest)
    headline = strip_colon(first.text)
    return ParsedSection(STORY, headline, dek, _paragraphs(body, infer, sources=True))


def _tech_tale(lines: Sequence[Line], infer: bool) -> ParsedSection:
    """``Tech Tales:`` / title / optional ``[setting]`` / paragraphs."""
    body = list(lines[1:])
    headline, dek = "Tech Tales", ""
    if body and not body[0].text.startswith("[") and len(body[0].text) <= HEADLINE_MAX_CHARS:
        headline = strip_colon(body.pop(0).text)
    if body and body[0].text.startswith("[") and body[0].text.endswith("]"):
        dek = body.pop(0).text[1:-1].strip()
    return ParsedSection(TECH_TALE, headline, dek, _paragraphs(body, infer, sources=False))


def _reader_comments(lines: Sequence[Line]) -> ParsedSection:
    """One paragraph per comment; a salutation line starts a new comment."""
    comments: list[list[Line]] = []
    for line in lines:
        if not comments or is_salutation(line.text):
            comments.append([])
        comments[-1].append(line)
    paragraphs = tuple(_join_lines(c) for c in comments)
    return ParsedSection(READER_COMMENTS, "Reader comments", paragraphs=paragraphs)


def _join_lines(lines: Sequence[Line]) -> ParsedParagraph:
    """One paragraph of several lines joined by newlines, marks shifted accordingly."""
    parts: list[str] = []
    marks: list[Mark] = []
    offset = 0
    for line in lines:
        marks.extend(replace(m, start=m.start + offset, end=m.end + offset) for m in line.marks)
        parts.append(line.text)
        offset += len(line.text) + 1
    return ParsedParagraph("\n".join(parts), TEXT, tuple(marks))


def _chunks(lines: Sequence[Line]) -> list[list[Line]]:
    """Split at separator lines; a ``Tech Tales:`` label also starts a chunk of its own (old
    issues do not always put a separator before it)."""
    chunks: list[list[Line]] = [[]]
    for line in lines:
        if line.rule or is_separator(line.text):
            chunks.append([])
        elif is_tech_tales(line.text) and chunks[-1]:
            chunks.append([line])
        else:
            chunks[-1].append(line)
    return chunks


def segment_issue(lines: Sequence[Line], *, infer_lead_ins: bool) -> tuple[ParsedSection, ...]:
    """Turn the body lines of an issue into sections; raise ParseError when there is no story."""
    lines = [line for line in lines if line.text]
    end = next((i for i, line in enumerate(lines) if is_thanks(line.text)), len(lines))
    body, after = lines[:end], lines[end + 1 :]

    sections: list[ParsedSection] = []
    for index, chunk in enumerate(_chunks(body)):
        if index == 0:
            start = next((i for i, line in enumerate(chunk) if looks_like_headline(line)), len(chunk))
            if start:
                intro = _paragraphs(chunk[:start], infer_lead_ins, sources=False)
                sections.append(ParsedSection(INTRO, paragraphs=intro))
            chunk = chunk[start:]
        if not chunk:
            continue
        if is_tech_tales(chunk[0].text):
            sections.append(_tech_tale(chunk, infer_lead_ins))
        else:
            sections.append(_story(chunk, infer_lead_ins))
    if not any(s.kind == STORY for s in sections):
        raise ParseError(
            "no stories found: expected story headlines ending in ':' "
            "(the first after the intro, the others after '***' lines)"
        )
    if after:
        sections.append(_reader_comments(after))
    return tuple(sections)
