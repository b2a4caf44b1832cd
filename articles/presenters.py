"""What the templates show, built from models: templates only loop and print."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.safestring import SafeString

from .claims import claim_text_hash, find_claims, suggests_claims
from .models import Highlight, Issue, Paragraph, Section, Tag, Thread, Visibility
from .render import HighlightSpan, SuggestionSpan, render_paragraph
from .selectors.annotations import IssueAnnotations


@dataclass(frozen=True)
class ParagraphView:
    paragraph: Paragraph
    html: SafeString
    note_count: int = 0


@dataclass(frozen=True)
class SectionView:
    section: Section
    paragraphs: list[ParagraphView]
    tags: list[Tag] = field(default_factory=list)
    thread: Thread | None = None


@dataclass(frozen=True)
class IssuePage:
    issue: Issue
    sections: list[SectionView]
    older: Issue | None
    newer: Issue | None
    annotations: IssueAnnotations = field(default_factory=IssueAnnotations)


def highlight_css(highlight: Highlight) -> str:
    classes = [f"hl-{highlight.colour}"]
    if highlight.is_claim:
        classes += ["hl-claim", f"hl-{highlight.claim_status.replace('_', '-')}"]
    if highlight.visibility == Visibility.PRIVATE:
        classes.append("hl-private")
    return " ".join(classes)


def claim_suggestions(paragraph: Paragraph, annotations: IssueAnnotations) -> list[SuggestionSpan]:
    """The paragraph's suggested claims the reader should see: computed from the text (cheap, see
    docs/CLAIMS.md), minus those the team dismissed and those a visible claim already overlaps."""
    if not annotations.suggest_claims or not suggests_claims(paragraph.section.kind, paragraph.kind):
        return []
    claims = [h for h in annotations.highlights_by_paragraph.get(paragraph.pk, []) if h.is_claim]
    return [
        SuggestionSpan(c.start, c.end, c.reasons)
        for c in find_claims(paragraph.text)
        if (paragraph.pk, c.start, c.end, claim_text_hash(paragraph.text[c.start : c.end])) not in annotations.dismissed_claims
        and not any(h.start < c.end and c.start < h.end for h in claims)
    ]


def paragraph_view(paragraph: Paragraph, annotations: IssueAnnotations | None = None) -> ParagraphView:
    annotations = annotations or IssueAnnotations()
    spans = [
        HighlightSpan(h.pk, h.start, h.end, highlight_css(h))
        for h in annotations.highlights_by_paragraph.get(paragraph.pk, [])
    ]
    html = render_paragraph(
        paragraph.text, paragraph.marks, spans, card_url=reverse("articles:highlight-cards"),
        suggestions=claim_suggestions(paragraph, annotations),
    )
    return ParagraphView(paragraph, html, annotations.note_counts.get(paragraph.pk, 0))


def section_view(section: Section, annotations: IssueAnnotations | None = None) -> SectionView:
    annotations = annotations or IssueAnnotations()
    return SectionView(
        section=section,
        paragraphs=[paragraph_view(p, annotations) for p in section.paragraphs.all()],
        tags=annotations.tags_by_section.get(section.pk, []),
        thread=annotations.threads_by_section.get(section.pk),
    )


def issue_page(
    issue: Issue, *, older: Issue | None, newer: Issue | None, annotations: IssueAnnotations | None = None
) -> IssuePage:
    annotations = annotations or IssueAnnotations()
    return IssuePage(
        issue=issue,
        sections=[section_view(s, annotations) for s in issue.sections.all()],
        older=older,
        newer=newer,
        annotations=annotations,
    )
