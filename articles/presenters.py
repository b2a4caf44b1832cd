"""What the templates show, built from models: templates only loop and print."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.safestring import SafeString

from .claims import claim_text_hash, find_claims, suggests_claims
from .models import (
    Highlight,
    Issue,
    IssueReference,
    Paragraph,
    RelatedStory,
    Section,
    Tag,
    Thread,
    Visibility,
)
from .render import HighlightSpan, SuggestionSpan, XrefSpan, render_paragraph
from .selectors.annotations import IssueAnnotations

RELATED_SHOWN = 5
SNIPPET_CHARS = 80


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
    related: list[RelatedStory] = field(default_factory=list)


@dataclass(frozen=True)
class Backlink:
    """One "Referenced by" entry: where another issue mentions this one."""

    issue: Issue
    section: Section
    url: str  # the citing paragraph's anchor on its issue page
    snippet: str


@dataclass(frozen=True)
class TopicStory:
    section: Section
    highlights: list[Highlight]
    is_origin: bool = False


@dataclass(frozen=True)
class TopicPage:
    origin: Section
    stories: list[TopicStory]


@dataclass(frozen=True)
class IssuePage:
    issue: Issue
    sections: list[SectionView]
    older: Issue | None
    newer: Issue | None
    annotations: IssueAnnotations = field(default_factory=IssueAnnotations)
    backlinks: list[Backlink] = field(default_factory=list)


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
    xrefs = [
        XrefSpan(r.start, r.end, f"{r.newsletter_name} {r.number}", r.target.get_absolute_url() if r.target else "")
        for r in _references(paragraph)
    ]
    html = render_paragraph(
        paragraph.text, paragraph.marks, spans, card_url=reverse("articles:highlight-cards"), xrefs=xrefs,
        suggestions=claim_suggestions(paragraph, annotations),
    )
    return ParagraphView(paragraph, html, annotations.note_counts.get(paragraph.pk, 0))


def _references(paragraph: Paragraph) -> list[IssueReference]:
    """The paragraph's references: prefetched by the page selectors, else one query (fragments)."""
    if "references" in getattr(paragraph, "_prefetched_objects_cache", {}):
        return list(paragraph.references.all())
    return list(IssueReference.objects.filter(paragraph=paragraph).select_related("target"))


def _related(section: Section) -> list[RelatedStory]:
    if "related_links" not in getattr(section, "_prefetched_objects_cache", {}):
        return []
    return sorted(section.related_links.all(), key=lambda r: (-r.score, r.related_id))[:RELATED_SHOWN]


def section_view(section: Section, annotations: IssueAnnotations | None = None) -> SectionView:
    annotations = annotations or IssueAnnotations()
    return SectionView(
        section=section,
        paragraphs=[paragraph_view(p, annotations) for p in section.paragraphs.all()],
        tags=annotations.tags_by_section.get(section.pk, []),
        thread=annotations.threads_by_section.get(section.pk),
        related=_related(section),
    )


def backlink(reference: IssueReference) -> Backlink:
    paragraph = reference.paragraph
    section = paragraph.section
    text = paragraph.text
    start = max(0, reference.start - SNIPPET_CHARS)
    end = min(len(text), reference.end + SNIPPET_CHARS)
    snippet = ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")
    return Backlink(section.issue, section, f"{section.issue.get_absolute_url()}#{paragraph.anchor}", snippet)


def topic_page(origin: Section, sections: list[Section], highlights: dict[int, list[Highlight]]) -> TopicPage:
    return TopicPage(
        origin=origin,
        stories=[TopicStory(s, highlights.get(s.pk, []), s.pk == origin.pk) for s in sections],
    )


def issue_page(
    issue: Issue,
    *,
    older: Issue | None,
    newer: Issue | None,
    annotations: IssueAnnotations | None = None,
    references: Sequence[IssueReference] = (),
) -> IssuePage:
    annotations = annotations or IssueAnnotations()
    return IssuePage(
        issue=issue,
        sections=[section_view(s, annotations) for s in issue.sections.all()],
        older=older,
        newer=newer,
        annotations=annotations,
        backlinks=[backlink(r) for r in references],
    )
