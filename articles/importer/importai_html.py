"""Import AI as Substack HTML (the post body of the web archive).

The DOM is flattened into :class:`~.importai_structure.Line` objects — one per visual line — and
handed to the same :func:`~.importai_structure.segment_issue` the text format uses:

* block elements (``p``, ``div``, ``li``, headings, …) and ``<br>`` end a line; empty lines are
  dropped, so ``<br><br>`` and a single ``<br>`` both separate paragraphs;
* lines produced inside ``<li>`` become ``LIST_ITEM`` paragraphs;
* ``strong``/``b`` → STRONG, ``em``/``i`` → EMPHASIS, ``a`` with an http(s) href → LINK (any other
  href keeps its text but loses the mark); a mark open across a line break is split per line;
* ``script``/``style``/``img``/``iframe``/… and Substack subscribe buttons contribute no text;
* whitespace runs collapse to one space and lines are stripped (marks shifted exactly).

The issue has no title line: the title is the first story's headline and the number is unknown.
Markup nested more than ``MAX_DEPTH`` tags deep is rejected up front (BeautifulSoup gets
quadratically slow with depth); the DOM itself is walked with an explicit stack, never recursively.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from .importai_structure import Line, collapse_whitespace, segment_issue
from .limits import MAX_DEPTH, check_time
from .types import EMPHASIS, IMPORTAI_HTML, LINK, STORY, STRONG, Mark, ParsedIssue, ParseError

NEWSLETTER = "Import AI"

BLOCK_TAGS = frozenset(
    "address article aside blockquote body dd details div dl dt figcaption figure footer h1 h2 h3 "
    "h4 h5 h6 header hr html li main nav ol p pre section summary table tbody td tfoot th thead tr "
    "ul".split()
)
DROPPED_TAGS = frozenset(
    "applet audio button canvas embed form head iframe img input link map math meta noscript "
    "object picture script select source style svg template textarea title video".split()
)
DROPPED_CLASSES = frozenset({"button-wrapper", "subscription-widget-wrap", "subscribe-widget"})
VOID_TAGS = frozenset(
    "area base basefont bgsound br col command embed frame hr image img input keygen link menuitem "
    "meta param source spacer track wbr".split()
)
# Elements whose end tag HTML allows to omit: left open at the end of a file that ends on a tag,
# they are not a sign of truncation.
OPTIONAL_END_TAGS = frozenset("body colgroup dd dt head html li option p tbody td tfoot th thead tr".split())
MARK_TAGS = {"strong": STRONG, "b": STRONG, "em": EMPHASIS, "i": EMPHASIS}
SAFE_SCHEMES = frozenset({"http", "https"})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_href(href: str) -> str:
    """The href when it is an absolute http(s) URL without control characters, else ``""``."""
    href = href.strip()
    if not href or _CONTROL.search(href):
        return ""
    try:
        parts = urlsplit(href)
    except ValueError:
        return ""
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc:
        return ""
    return href.replace(" ", "%20")


@dataclass
class _OpenMark:
    kind: str
    href: str
    start: int


@dataclass
class _LineBuilder:
    """Accumulates text and marks for the current line; :meth:`newline` emits it."""

    lines: list[Line] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    length: int = 0
    ends_with_space: bool = True  # at line start, leading whitespace is dropped
    marks: list[Mark] = field(default_factory=list)
    open: list[_OpenMark] = field(default_factory=list)
    list_depth: int = 0
    heading: int = 0
    quote_depth: int = 0

    def text(self, raw: str) -> None:
        text = collapse_whitespace(raw)
        if self.ends_with_space and text.startswith(" "):
            text = text[1:]
        if text:
            self.parts.append(text)
            self.length += len(text)
            self.ends_with_space = text.endswith(" ")

    def open_mark(self, kind: str, href: str = "") -> _OpenMark | None:
        """Start a mark; ``None`` when one of this kind is already open (nested ``<b><b>`` adds
        nothing; for nested links the outer one wins), which keeps at most three marks open."""
        if any(o.kind == kind for o in self.open):
            return None
        mark = _OpenMark(kind, href, self.length)
        self.open.append(mark)
        return mark

    def close_mark(self, mark: _OpenMark) -> None:
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i] is mark:
                del self.open[i]
                self.marks.append(Mark(mark.kind, mark.start, self.length, mark.href))
                return

    def newline(self) -> None:
        for mark in self.open:
            self.marks.append(Mark(mark.kind, mark.start, self.length, mark.href))
            mark.start = 0
        if self.parts:
            line = Line(
                "".join(self.parts), tuple(self.marks), self.list_depth > 0,
                heading=self.heading, quote=self.quote_depth > 0,
            ).stripped()  # fmt: skip
            if line.text:
                self.lines.append(line)
        self.parts, self.marks, self.length, self.ends_with_space = [], [], 0, True


class _DepthGuard(HTMLParser):
    """Tokenizes once (no tree) to reject absurd nesting before BeautifulSoup builds a tree.

    Mirrors BeautifulSoup's stack rules: void tags are never open, an end tag pops up to the most
    recent open tag of that name, an end tag with no open match is ignored.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.open_counts: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in VOID_TAGS:
            return
        self.stack.append(tag)
        self.open_counts[tag] += 1
        if len(self.stack) > MAX_DEPTH:
            raise ParseError(f"HTML nested too deeply (more than {MAX_DEPTH} open tags)")

    def handle_startendtag(self, tag: str, attrs: object) -> None:
        """``<tag/>`` opens nothing."""

    def handle_endtag(self, tag: str) -> None:
        if self.open_counts[tag] <= 0:
            return
        while self.stack:
            name = self.stack.pop()
            self.open_counts[name] -= 1
            if name == tag:
                return


def check_depth(html: str) -> None:
    """Raise ParseError when more than MAX_DEPTH tags are open, or when the document ends with
    elements still open (a Substack export closes every element; an open one means the file was
    cut off)."""
    guard = _DepthGuard()
    guard.feed(html)
    guard.close()
    unclosed = [name for name in guard.stack if name not in OPTIONAL_END_TAGS]
    if unclosed or (guard.stack and not html.rstrip().endswith(">")):
        still_open = ", ".join(f"<{name}>" for name in guard.stack[-3:])
        raise ParseError(f"HTML looks truncated: it ends inside {still_open}")


def _is_dropped(tag: Tag) -> bool:
    if tag.name in DROPPED_TAGS:
        return True
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    return any(c in DROPPED_CLASSES for c in classes)


def rule_line() -> Line:
    """The line an ``<hr>`` becomes (a separator for both segmenters)."""
    return Line("***", rule=True)


def flatten_html(html: str | Tag) -> tuple[list[Line], int]:
    """The document (source, or an already parsed element) as lines, plus how many links lost
    their mark (non-http(s) href). Lines inside ``<hN>`` carry ``heading=N``, inside
    ``<blockquote>`` ``quote=True``; ``<hr>`` becomes a :func:`rule_line`."""
    soup = BeautifulSoup(html, "html.parser") if isinstance(html, str) else html
    builder = _LineBuilder()
    dropped_links = 0
    stack: list[tuple[object, _OpenMark | bool | str | None]] = [(soup, None)]  # (node, token when leaving)
    steps = 0
    while stack:
        node, leaving = stack.pop()
        steps += 1
        if not steps % 4096:
            check_time()
        if leaving is not None:
            _leave(builder, node, leaving)
            continue
        if isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):  # comments, doctype, CDATA, …
                builder.text(str(node))
            continue
        if not isinstance(node, Tag) or _is_dropped(node):
            continue
        name = node.name
        token: _OpenMark | bool | str | None = True
        if name == "br":
            builder.newline()
            continue
        if name == "hr":
            builder.newline()
            builder.lines.append(rule_line())
            continue
        if name in BLOCK_TAGS:
            builder.newline()
            if name == "li":
                builder.list_depth += 1
            elif name == "blockquote":
                builder.quote_depth += 1
            elif name in _HEADINGS and not builder.heading:
                builder.heading = _HEADINGS[name]
                token = name
        elif name in MARK_TAGS:
            token = builder.open_mark(MARK_TAGS[name])
        elif name == "a":
            raw = node.get("href")
            href = safe_href(raw if isinstance(raw, str) else "")
            if href:
                token = builder.open_mark(LINK, href)
            elif raw:
                dropped_links += 1
        stack.append((node, token or True))
        stack.extend((child, None) for child in reversed(node.contents))
    builder.newline()
    return builder.lines, dropped_links


def _leave(builder: _LineBuilder, node: object, token: _OpenMark | bool | str) -> None:
    """Close whatever entering ``node`` opened."""
    if isinstance(token, _OpenMark):
        builder.close_mark(token)
    elif isinstance(node, Tag) and node.name in BLOCK_TAGS:
        builder.newline()
        if node.name == "li":
            builder.list_depth -= 1
        elif node.name == "blockquote":
            builder.quote_depth -= 1
        elif token == node.name:  # the heading that set builder.heading
            builder.heading = 0


def parse_importai_html(text: str) -> ParsedIssue:
    """Parse an Import AI Substack HTML body into a :class:`ParsedIssue`."""
    check_depth(text)
    try:
        lines, dropped_links = flatten_html(text)
    except RecursionError:  # the walk is iterative; this guards the parser library itself
        raise ParseError("HTML nested too deeply") from None
    sections = segment_issue(lines, infer_lead_ins=False)
    title = next(s.headline for s in sections if s.kind == STORY)
    if not title:
        raise ParseError("no title found: the first story has no headline ending in ':'")
    notes: tuple[str, ...] = ()
    if dropped_links:
        notes = (f"{dropped_links} link(s) without an http(s) address were kept as plain text",)
    return ParsedIssue(
        format=IMPORTAI_HTML,
        newsletter=NEWSLETTER,
        title=title,
        number=None,
        subtitle="",
        sections=sections,
        notes=notes,
    )
