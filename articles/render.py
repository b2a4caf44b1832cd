"""The one renderer: a paragraph's plain text + its mark ranges + highlights → safe HTML.

The text is cut at every boundary of every range; each piece is wrapped in the ranges that cover
it, outermost first (link, bold, emphasis), and innermost in one ``<mark>`` carrying the ids of
every highlight covering that piece — or, where no highlight covers the piece, in the
``<span class="claim-suggestion">`` of the suggested claim covering it (suggestions never overlap
each other: they are whole sentences; a highlight always wins over a suggestion). Tags stay open across pieces while the same ranges continue,
so ranges may nest, overlap or touch and the output is always well-formed. All text is escaped
here; hrefs are only ever http(s) (the importer drops anything else and this module checks again).

Cross-issue references (``XrefSpan``) are one more range kind at the link level: a link to the
imported issue (``<a class="xref">``) or a ``<span class="xref xref-missing">`` with a hint. A
reference overlapping a link mark is dropped, so the original link wins and ``<a>`` never nests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape as _html_escape
from itertools import pairwise

from django.utils.safestring import SafeString, mark_safe

from articles.kinds import EMPHASIS, LINK, MARK_KINDS, STRONG


def escape(text: str) -> str:
    """Django's ``escape`` without its lazy-string wrapper (the same ``html.escape``; called for
    every piece of every paragraph, so the wrapper was a large share of the page's time)."""
    return _html_escape(text, quote=True)


# Outermost first, so a bold lead-in inside a link renders as <a><strong>…</strong></a>.
_MARK_KINDS = MARK_KINDS
_NESTING = {LINK: 0, "xref": 0, STRONG: 1, EMPHASIS: 2}
_SAFE_SCHEMES = ("http://", "https://")


@dataclass(frozen=True)
class Range:
    kind: str
    start: int
    end: int
    href: str = ""
    title: str = ""

    def open_tag(self) -> str:
        if self.kind == LINK:
            return f'<a href="{escape(self.href)}" rel="noopener noreferrer">'
        if self.kind == "xref":
            if self.href:
                return f'<a class="xref" href="{escape(self.href)}" title="{escape(self.title)}">'
            return f'<span class="xref xref-missing" title="{escape(self.title)}">'
        return f"<{self.kind}>"

    def close_tag(self) -> str:
        if self.kind == "xref":
            return "</a>" if self.href else "</span>"
        return "</a>" if self.kind == LINK else f"</{self.kind}>"


@dataclass(frozen=True)
class XrefSpan:
    """A cross-issue reference: ``href`` is the issue's local path, or "" when not imported."""

    start: int
    end: int
    label: str  # e.g. "Import AI 363"
    href: str = ""


@dataclass(frozen=True)
class HighlightSpan:
    """What the renderer needs of a highlight: its range and how it looks."""

    id: int
    start: int
    end: int
    css_class: str  # e.g. "hl-yellow hl-claim hl-disputed"


@dataclass(frozen=True)
class SuggestionSpan:
    """A suggested claim (a sentence found by articles/claims/finder.py) and why it was suggested."""

    start: int
    end: int
    reasons: tuple[str, ...]

    def open_tag(self, *, tab_stop: bool = True) -> str:
        """``tab_stop``: only a paragraph's first suggestion is in the Tab order (tabindex 0); the
        others are reached with the arrow keys from it (a roving tabindex, static/js/digest.js)."""
        reasons = escape(" ".join(self.reasons))
        return (
            f'<span class="claim-suggestion" data-claim-start="{self.start}" data-claim-end="{self.end}" '
            f'data-claim-reasons="{reasons}" tabindex="{0 if tab_stop else -1}" role="button" '
            f'title="Suggested claim ({escape(", ".join(self.reasons))})">'
        )

    def close_tag(self) -> str:
        return "</span>"


@dataclass(frozen=True)
class _MarkTag:
    """The innermost <mark> of a piece: every highlight covering it. Only its look (classes) and
    the ids: the card URL, ``role`` and the roving ``tabindex`` are added in the browser by
    static/js/marks.js (one delegated set-up, not ~100 bytes repeated on every mark)."""

    ids: str  # the covering highlights' ids, space-separated
    classes: str  # their classes, sorted, escaped

    def open_tag(self) -> str:
        return f'<mark class="hl {self.classes}" data-highlight-ids="{self.ids}">'

    def close_tag(self) -> str:
        return "</mark>"


def ranges_from_marks(marks: Iterable[Mapping], text_length: int) -> list[Range]:
    """Valid ranges from stored marks; anything malformed or unsafe is dropped, never trusted."""
    ranges = []
    for mark in marks:
        kind, start, end = mark.get("kind"), mark.get("start"), mark.get("end")
        if kind not in _MARK_KINDS or not isinstance(start, int) or not isinstance(end, int):
            continue
        if not 0 <= start < end <= text_length:
            continue
        href = str(mark.get("href", ""))
        if kind == LINK and not href.lower().startswith(_SAFE_SCHEMES):
            continue
        ranges.append(Range(kind, start, end, href))
    return ranges


def xref_ranges(xrefs: Iterable[XrefSpan], links: Sequence[Range], text_length: int) -> list[Range]:
    """Ranges of the references that lie inside the text and overlap no link (the link wins);
    an href must be a local path, anything else renders as a plain reference."""
    ranges = []
    for x in xrefs:
        if not 0 <= x.start < x.end <= text_length:
            continue
        if any(r.start < x.end and x.start < r.end for r in links):
            continue
        local = x.href.startswith("/") and not x.href.startswith("//")
        title = f"{x.label} in Digest" if local else f"{x.label} is not imported"
        ranges.append(Range("xref", x.start, x.end, x.href if local else "", title))
    return ranges


def render_paragraph(
    text: str,
    marks: Iterable[Mapping],
    highlights: Sequence[HighlightSpan] = (),
    *,
    xrefs: Iterable[XrefSpan] = (),
    suggestions: Sequence[SuggestionSpan] = (),
) -> SafeString:
    ranges = ranges_from_marks(marks, len(text))
    ranges += xref_ranges(xrefs, [r for r in ranges if r.kind == LINK], len(text))
    spans = [h for h in highlights if 0 <= h.start < h.end <= len(text)]
    suggested = [s for s in suggestions if 0 <= s.start < s.end <= len(text)]
    cuts = {0, len(text)}
    for item in (*ranges, *spans, *suggested):
        cuts.update((item.start, item.end))
    boundaries = sorted(cuts)
    out: list[str] = []
    stack: list[Range | _MarkTag | SuggestionSpan] = []
    tab_stop_given = False  # one Tab stop per paragraph among its suggested claims
    # highlights can be many (hundreds on a busy paragraph): swept once, in boundary order,
    # instead of testing every highlight against every piece
    opening: dict[int, list[int]] = {}
    closing: dict[int, list[int]] = {}
    for i, h in enumerate(spans):
        opening.setdefault(h.start, []).append(i)
        closing.setdefault(h.end, []).append(i)
    open_now: set[int] = set()
    ids = [str(h.id) for h in spans]
    span_classes = [h.css_class.split() for h in spans]
    class_counts: dict[str, int] = {}  # how many open highlights carry each class
    for start, end in pairwise(boundaries):
        for i in closing.get(start, ()):
            if i in open_now:
                open_now.discard(i)
                for c in span_classes[i]:
                    class_counts[c] -= 1
        for i in opening.get(start, ()):
            if i not in open_now:
                open_now.add(i)
                for c in span_classes[i]:
                    class_counts[c] = class_counts.get(c, 0) + 1
        active: list[Range | _MarkTag | SuggestionSpan] = sorted(
            (r for r in ranges if r.start <= start and end <= r.end),
            key=lambda r: (_NESTING[r.kind], r.start, -r.end),
        ) if ranges else []
        if open_now:
            classes = escape(" ".join(sorted(c for c, n in class_counts.items() if n)))
            active.append(_MarkTag(" ".join([ids[i] for i in sorted(open_now)]), classes))
        else:
            suggestion = next((s for s in suggested if s.start <= start and end <= s.end), None)
            if suggestion is not None:
                active.append(suggestion)
        common = 0
        while common < min(len(stack), len(active)) and stack[common] == active[common]:
            common += 1
        out.extend(r.close_tag() for r in reversed(stack[common:]))
        for r in active[common:]:
            if isinstance(r, SuggestionSpan):
                out.append(r.open_tag(tab_stop=not tab_stop_given))
                tab_stop_given = True
            else:
                out.append(r.open_tag())
        stack = active
        out.append(escape(text[start:end]))
    out.extend(r.close_tag() for r in reversed(stack))
    return mark_safe("".join(out))  # every piece above is escaped or a fixed tag
