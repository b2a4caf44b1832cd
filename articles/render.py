"""The one renderer: a paragraph's plain text + its mark ranges → safe HTML.

The text is cut at every boundary of every range; each piece is wrapped in the ranges that cover
it, outermost first, and tags stay open across pieces while the same ranges continue. So ranges
may nest, overlap or touch and the output is always well-formed. All text is escaped here; hrefs
are only ever http(s) (the importer drops anything else, and this module checks again).
Later, highlights join the same mechanism as one more kind of range.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Outermost first, so a bold lead-in inside a link renders as <a><strong>…</strong></a>.
_NESTING = {"link": 0, "strong": 1, "em": 2}
_SAFE_SCHEMES = ("http://", "https://")


@dataclass(frozen=True)
class Range:
    kind: str
    start: int
    end: int
    href: str = ""

    def open_tag(self) -> str:
        if self.kind == "link":
            return f'<a href="{escape(self.href)}" rel="noopener noreferrer">'
        return f"<{self.kind}>"

    def close_tag(self) -> str:
        return "</a>" if self.kind == "link" else f"</{self.kind}>"


def ranges_from_marks(marks: Iterable[Mapping], text_length: int) -> list[Range]:
    """Valid ranges from stored marks; anything malformed or unsafe is dropped, never trusted."""
    ranges = []
    for mark in marks:
        kind, start, end = mark.get("kind"), mark.get("start"), mark.get("end")
        if kind not in _NESTING or not isinstance(start, int) or not isinstance(end, int):
            continue
        if not 0 <= start < end <= text_length:
            continue
        href = str(mark.get("href", ""))
        if kind == "link" and not href.lower().startswith(_SAFE_SCHEMES):
            continue
        ranges.append(Range(kind, start, end, href))
    return ranges


def render_paragraph(text: str, marks: Iterable[Mapping]) -> SafeString:
    ranges = ranges_from_marks(marks, len(text))
    boundaries = sorted({0, len(text), *(r.start for r in ranges), *(r.end for r in ranges)})
    out: list[str] = []
    stack: list[Range] = []
    for start, end in zip(boundaries, boundaries[1:]):
        active = sorted(
            (r for r in ranges if r.start <= start and end <= r.end),
            key=lambda r: (_NESTING[r.kind], r.start, -r.end),
        )
        common = 0
        while common < min(len(stack), len(active)) and stack[common] == active[common]:
            common += 1
        for r in reversed(stack[common:]):
            out.append(r.close_tag())
        for r in active[common:]:
            out.append(r.open_tag())
        stack = active
        out.append(escape(text[start:end]))
    out.extend(r.close_tag() for r in reversed(stack))
    return mark_safe("".join(out))  # every piece above is escaped or a fixed tag
