"""Document → ParsedIssue: the structure step. Pure: no Django.

Order of work
    1. Repair: ``repair_quoted_printable`` (when :mod:`.repair` provides it) and
       ``repair_mojibake`` run on the body of every kind (for HTML on the source, before parsing;
       entities are left alone). A note says so when the text changed.
    2. Forward Future (text only) when the breadcrumb shape matches: two or more ``- item`` lines,
       then the last item repeated (the original, unrepaired text goes to its parser, which
       repairs and notes by itself).
    3. Headers: YAML front matter (text/Markdown), then top chrome lines ("Forwarded this
       email?", "View in browser", …; see :mod:`.chrome`).
    4. Lines: HTML through :mod:`.html_article` + ``flatten_html``; Markdown (DOC_MARKDOWN, or
       DOC_TEXT with front matter or Markdown syntax: ``[x](http…)``, ``**x**``, an ATX heading
       after the first line, an escaped ``\\*``) through :mod:`.markdown_doc`; plain text through
       :mod:`.textlines`.
    5. Import AI refinement (:mod:`.importai_refine`) when the first line is an Import AI title,
       or for HTML when the body is Import AI's Substack; otherwise, or when the refinement raises
       ParseError (a note says so), the generic extractor (:mod:`.generic`).

Metadata precedence
    title / subtitle / author / url / date: the content (front matter, page meta, the title line)
    first, then ``document.meta``; a dateline near the top only when neither gives a date.
    newsletter name and key: refinements set their own ("Import AI" / ``name:import-ai``,
    "Forward Future" / ``name:forward-future``); for generic issues ``document.meta`` (the channel
    knows the sender / feed) first, then front matter / page (``og:site_name``; key
    ``site:<host>`` of the issue URL), else "" (the service derives a name and says so).
    Notes: the document's, then the extractor's.

Title (generic)
    front matter / page title; else the first line when it is a heading, a bold line or a short
    line (≤ 200 characters, not ending in ``.``/``!``/``?``/``,``) — that line is then removed; else the
    start of the first line (80 characters + "…"). The first heading/line equal to the title is
    removed from the body. ParseError only when no text at all is left.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from . import repair
from .chrome import removal_note, strip_chrome, strip_top
from .forward_future import parse_forward_future
from .generic import is_bold_line, segment_generic
from .headers import find_dateline, split_front_matter
from .html_article import Page, read_html, site_key
from .importai_html import flatten_html
from .importai_refine import importai_title, is_importai_html, refine_importai
from .importai_structure import Line
from .limits import check_issue, check_source, check_time, time_budget
from .markdown_doc import markdown_lines
from .textlines import text_lines
from .types import (
    DOC_HTML,
    DOC_MARKDOWN,
    GENERIC_HTML,
    GENERIC_MARKDOWN,
    GENERIC_TEXT,
    IMPORTAI_HTML,
    IMPORTAI_TEXT,
    Document,
    ParsedIssue,
    ParseError,
    SourceMeta,
)  # fmt: skip

TITLE_MAX = 200
_BREADCRUMB = re.compile(r"- +(\S.*)")
_MARKDOWN = re.compile(r"\[[^\]\n]+\]\(https?://|\*\*\S[^\n]*?\*\*|__\S[^\n]*?__|\\[*_#\[\]]|\n#{1,6} \S")


def _repair(body: str) -> tuple[str, list[str]]:
    notes = []
    fixed = body
    repair_qp = getattr(repair, "repair_quoted_printable", None)  # another module's; may be absent
    if callable(repair_qp):
        fixed = repair_qp(fixed)
        if fixed != body:
            notes.append("decoded leftover quoted-printable (=E2=80=99 and the like)")
    repaired = repair.repair_mojibake(fixed)
    if repaired != fixed:
        notes.append("repaired damaged characters (mojibake)")
    return repaired, notes


def _forward_future_shape(text: str) -> bool:
    lines = [x.strip() for x in text.lstrip().split("\n", 12)[:12] if x.strip()]
    crumbs = 0
    while crumbs < len(lines) and _BREADCRUMB.fullmatch(lines[crumbs]):
        crumbs += 1
    return 2 <= crumbs < len(lines) and _BREADCRUMB.fullmatch(lines[crumbs - 1]).group(1).strip() == lines[crumbs]


def extract(document: Document) -> ParsedIssue:
    """The issue in ``document``; raises ParseError with a reason a person can act on, among
    them a file past one of the bounds in :mod:`.limits` (checked before and after parsing, and
    against a time budget while parsing)."""
    check_source(document.body, html=document.kind == DOC_HTML)
    with time_budget():
        parsed = _extract(document)
    check_issue(parsed.sections)
    meta = document.meta
    return replace(
        parsed,
        newsletter=parsed.newsletter or meta.newsletter,
        newsletter_key=parsed.newsletter_key or meta.newsletter_key,
        title=parsed.title or meta.title,
        subtitle=parsed.subtitle or meta.subtitle,
        author=parsed.author or meta.author,
        published_at=parsed.published_at or meta.published_at,
        url=parsed.url or meta.url,
        guid=parsed.guid or meta.guid,
        notes=document.notes + parsed.notes,
    )


def _extract(document: Document) -> ParsedIssue:
    notes: list[str] = []
    if document.kind != DOC_HTML and _forward_future_shape(document.body):
        try:
            return replace(parse_forward_future(document.body), newsletter_key="name:forward-future")
        except ParseError as exc:
            notes.append(f"not read as Forward Future ({exc}); used the generic extractor")
    body, repair_notes = _repair(document.body)
    notes += repair_notes
    check_time()
    if document.kind == DOC_HTML:
        return _html(body, document.meta, notes)
    return _text(body, document.kind, document.meta, notes)


def _text(body: str, kind: str, meta: SourceMeta, notes: list[str]) -> ParsedIssue:
    front, rest = split_front_matter(body)
    markdown = kind == DOC_MARKDOWN or front is not None or bool(_MARKDOWN.search(rest))
    removed: Counter[str] = Counter()
    raw = rest.split("\n")
    top, url = strip_top([Line(x.strip()) for x in raw], removed)
    rest = "\n".join(raw[len(raw) - len(top) :])
    first = next((x.text for x in top if x.text), "")
    importai = importai_title(first) is not None
    if markdown:
        lines, dropped = markdown_lines(rest)
    else:
        lines, dropped = text_lines(rest, structured=not importai), 0
    check_time()
    fmt = GENERIC_MARKDOWN if markdown else GENERIC_TEXT
    if dropped:
        notes.append(f"{dropped} link(s) without an http(s) address were kept as plain text")
    page = Page(body="", url=url)
    if front is not None:
        page = Page(body="", title=front.title, newsletter=front.newsletter, author=front.author,
                    subtitle=front.subtitle, url=front.url or url, published_at=front.published_at,
                    newsletter_key=front.newsletter_key)
    if importai:
        refined = _try_importai(lines, IMPORTAI_TEXT, not markdown or _no_strong(lines), page, notes, removed)
        if refined is not None:
            return refined
    return _generic(lines, fmt, page, meta, notes, removed)


def _no_strong(lines: list[Line]) -> bool:
    return not any(m.kind == "strong" for line in lines for m in line.marks)


def _html(body: str, meta: SourceMeta, notes: list[str]) -> ParsedIssue:
    page = read_html(body)
    notes += page.notes
    check_time()
    lines, dropped = flatten_html(page.body)
    check_time()
    if dropped:
        notes.append(f"{dropped} link(s) without an http(s) address were kept as plain text")
    removed = page.removed
    lines, url = strip_top(lines, removed)
    page.url = page.url or url
    fragment = isinstance(page.body, str)
    if is_importai_html(body, page_url=page.url, newsletter=page.newsletter, fragment=fragment) or (
        lines and importai_title(lines[0].text) is not None
    ):
        refined = _try_importai(lines, IMPORTAI_HTML, False, page, notes, removed)
        if refined is not None:
            return refined
    return _generic(lines, GENERIC_HTML, page, meta, notes, removed)


def _try_importai(
    lines: list[Line], fmt: str, infer: bool, page: Page, notes: list[str], removed: Counter[str]
) -> ParsedIssue | None:
    try:
        issue, more = refine_importai(lines, fmt=fmt, infer_lead_ins=infer, page_title=page.title,
                                      page_subtitle=page.subtitle)
    except ParseError as exc:
        notes.append(f"looks like Import AI but did not fit its layout ({exc}); used the generic extractor")
        return None
    removed = removed + more
    return replace(
        issue, notes=tuple(notes) + removal_note(removed), url=page.url, author=page.author,
        published_at=page.published_at,
    )  # fmt: skip


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold().rstrip(":") == " ".join(b.split()).casefold().rstrip(":")


def _title(lines: list[Line], title: str) -> tuple[str, list[Line]]:
    """The title and the body without its title line (see the module docstring)."""
    body = [x for x in lines if x.text]
    if title:
        for i, line in enumerate(body[:8]):
            if (line.heading or is_bold_line(line) or i == 0) and _same(line.text, title):
                return title, body[:i] + body[i + 1 :]
        return title, body
    if not body:
        return "", body
    h1 = next((i for i, x in enumerate(body[:8]) if x.heading == 1), None)
    if h1 is not None:
        return body[h1].text, body[:h1] + body[h1 + 1 :]
    first = body[0]
    if first.heading or is_bold_line(first) or (
        len(first.text) <= TITLE_MAX and not first.text.endswith((".", "!", "?", ",")) and not first.rule
    ):
        return first.text.rstrip(":"), body[1:]
    text = first.text
    return (text[:80].rstrip() + "…" if len(text) > 80 else text), body


def _generic(
    lines: list[Line], fmt: str, page: Page, meta: SourceMeta, notes: list[str], removed: Counter[str]
) -> ParsedIssue:
    title, body = _title(lines, page.title or meta.title)
    published_at = page.published_at or meta.published_at
    dateline = find_dateline([x.text for x in body])
    if dateline is not None:
        index, date = dateline
        body = body[:index] + body[index + 1 :]
        published_at = published_at or date
    body = strip_chrome(body, removed)
    check_time()
    sections, sponsors = segment_generic(body)
    if not sections:
        raise ParseError(
            "no stories found: no text is left once page chrome (subscribe, share, footer) is removed"
        )
    notes = notes + list(removal_note(removed))
    if sponsors:
        notes.append(f"kept {sponsors} sponsor block(s) as sections headed 'Sponsor: …'")
    url = page.url or meta.url
    return ParsedIssue(
        format=fmt,
        newsletter=meta.newsletter or page.newsletter,
        title=title,
        subtitle=page.subtitle,
        author=page.author,
        sections=sections,
        notes=tuple(notes),
        newsletter_key=meta.newsletter_key or page.newsletter_key or site_key(page.url),
        published_at=published_at,
        url=url,
    )
