"""The generic structure extractor: :class:`~.importai_structure.Line` list → sections.

Works for any newsletter once its format module has produced Lines (HTML and Markdown via
``flatten_html``, plain text via :mod:`.textlines`) and chrome was removed (:mod:`.chrome`).

Story starts
    * a heading line of level 1–4 (h5/h6 stay paragraphs);
    * a *bold lead-in line*: a whole line covered by one STRONG mark, at most 200 characters,
      not a list item or quote (``**Anthropic ships X**``, ``<p><strong>Headline</strong></p>``);
    * a sponsor label (see :mod:`.chrome`): the block is kept as a STORY headed
      ``Sponsor: <name>`` (``Sponsor`` alone when no name is given; when the label has no name
      and the next line is a heading or bold line, that line's text is the name);
    * a *bold lead-in paragraph* — only when at least ``LEAD_IN_MIN_COUNT`` (2) paragraphs of the
      issue have this shape: the paragraph OPENS with a STRONG mark of at most
      ``LEAD_IN_MAX_CHARS`` (80) characters that ends in ``:`` (``**Planner split:** text``; the
      colon may also follow the mark directly, ``**Planner split**: text``) and text follows it;
      not a list item or quote, and not a generic label (``Note:``, ``Why this matters:``,
      ``PS:``, ``Update:``, … see ``_LABELS``). Rule chosen: the paragraph is *split* — the bold
      text without its colon is the story's headline and the rest of the paragraph (its marks
      kept, the STRONG one gone) is the story's first paragraph, so the headline is not repeated
      in the text. A lone lead-in stays an ordinary paragraph with its STRONG mark;
    * the line after a separator (rule line). That line is the headline when it is a heading or
      bold line, or when it is at most 200 characters and ends with ``:`` (the plain-text
      convention); otherwise the story has no headline.

Headlines are stored without a trailing colon (``#``/``**`` are already gone in Lines).
Everything before the first story start is the INTRO. A headline with no paragraphs under it (a
group label such as "In the news" right before the next heading) is not a section. When there
is no story start at all, the whole text is ONE story without a headline.

Paragraph kinds: list items → LIST_ITEM, quotes → QUOTE, lines that look like a source ("Read
more: …", "Read the paper here", see ``looks_like_source``) → SOURCE, otherwise TEXT; marks are
kept as they are (no lead-in inference: the generic path never invents bold text).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .chrome import sponsor_name
from .importai_structure import HEADLINE_MAX_CHARS, Line, is_separator, looks_like_source, strip_colon
from .types import INTRO, LIST_ITEM, QUOTE, SOURCE, STORY, STRONG, TEXT, ParsedParagraph, ParsedSection

STORY_HEADING_MAX = 4
LEAD_IN_MAX_CHARS = 80
LEAD_IN_MIN_COUNT = 2
#: Bold labels that introduce a remark, not a story (compared case-insensitively, colon removed).
_LABELS = frozenset({
    "note", "notes", "nb", "n.b.", "ps", "p.s.", "pps", "p.p.s.", "update", "updated", "edit",
    "editor's note", "editor’s note", "why this matters", "why it matters", "tl;dr", "tldr",
    "bottom line", "the bottom line", "source", "sources", "via", "read more", "related",
    "disclosure", "correction", "reminder", "warning", "tip", "bonus", "context", "background",
})  # fmt: skip


def is_bold_line(line: Line) -> bool:
    """A whole line covered by one STRONG mark (the bold lead-in headline)."""
    return (
        not line.list_item
        and not line.quote
        and 0 < len(line.text) <= HEADLINE_MAX_CHARS
        and any(m.kind == STRONG and m.start == 0 and m.end == len(line.text) for m in line.marks)
    )


def lead_in_end(line: Line) -> int:
    """Where the bold lead-in of ``line`` ends (after its colon), or 0 when it has none (see the
    module docstring; the count rule is applied by :func:`segment_generic`)."""
    if line.list_item or line.quote or line.heading or line.rule:
        return 0
    strong = next((m for m in line.marks if m.kind == STRONG and m.start == 0), None)
    if strong is None or strong.end > LEAD_IN_MAX_CHARS:
        return 0
    end = strong.end
    if not line.text[:end].rstrip().endswith(":"):
        if line.text[end : end + 1] != ":":
            return 0
        end += 1
    label = line.text[:end].rstrip().rstrip(":").strip()
    if not label or label.casefold() in _LABELS or not line.text[end:].strip():
        return 0
    return end


def is_heading(line: Line) -> bool:
    return 1 <= line.heading <= STORY_HEADING_MAX


def _is_rule(line: Line) -> bool:
    return line.rule or is_separator(line.text)


def paragraph(line: Line) -> ParsedParagraph:
    if line.list_item:
        kind = LIST_ITEM
    elif line.quote:
        kind = QUOTE
    elif looks_like_source(line):
        kind = SOURCE
    else:
        kind = TEXT
    return ParsedParagraph(line.text, kind, line.marks)


@dataclass
class _Section:
    kind: str
    headline: str = ""
    lines: list[Line] = field(default_factory=list)

    def build(self) -> ParsedSection:
        return ParsedSection(self.kind, self.headline, paragraphs=tuple(paragraph(x) for x in self.lines))


def segment_generic(lines: Sequence[Line]) -> tuple[tuple[ParsedSection, ...], int]:
    """``(sections, number of sponsor blocks)`` for ``lines`` (see the module docstring)."""
    sections: list[_Section] = [_Section(INTRO)]
    lead_ins = {i: end for i, line in enumerate(lines) if line.text and (end := lead_in_end(line))}
    if len(lead_ins) < LEAD_IN_MIN_COUNT:
        lead_ins = {}
    after_rule = False
    sponsors = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.text:
            continue
        if _is_rule(line):
            after_rule = True
            continue
        sponsor = sponsor_name(line.text) if (is_heading(line) or is_bold_line(line) or len(line.text) <= 60) else None
        if sponsor is not None:
            if not sponsor and i < len(lines) and (is_heading(lines[i]) or is_bold_line(lines[i])):
                sponsor = strip_colon(lines[i].text)
                i += 1
            sponsors += 1
            sections.append(_Section(STORY, f"Sponsor: {sponsor}" if sponsor else "Sponsor"))
        elif is_heading(line) or is_bold_line(line):
            sections.append(_Section(STORY, strip_colon(line.text)))
        elif i - 1 in lead_ins:
            end = lead_ins[i - 1]
            sections.append(_Section(STORY, strip_colon(line.text[:end].strip()), [line.slice(end)]))
        elif after_rule:
            text_headline = len(line.text) <= HEADLINE_MAX_CHARS and line.text.endswith(":") and not line.list_item
            sections.append(_Section(STORY, strip_colon(line.text) if text_headline else ""))
            if not text_headline:
                sections[-1].lines.append(line)
        else:
            sections[-1].lines.append(line)
        after_rule = False
    built = [s for s in sections if s.lines]
    if not any(s.kind == STORY for s in built):
        built = [_Section(STORY, "", [x for s in built for x in s.lines])] if built else []
    return tuple(s.build() for s in built), sponsors
