"""What the templates show, built from models: templates only loop and print."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.safestring import SafeString

from .models import Highlight, Issue, Paragraph, Section, Tag, Thread, Visibility
from .render import HighlightSpan, render_paragraph
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


def paragraph_view(paragraph: Paragraph, annotations: IssueAnnotations | None = None) -> ParagraphView:
    annotations = annotations or IssueAnnotations()
    spans = [
        HighlightSpan(h.pk, h.start, h.end, highlight_css(h))
        for h in annotations.highlights_by_paragraph.get(paragraph.pk, [])
    ]
    html = render_paragraph(paragraph.text, paragraph.marks, spans, card_url=reverse("articles:highlight-cards"))
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
