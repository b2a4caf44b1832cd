"""What the templates show, built from models: templates only loop and print."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString

from .claims import claim_text_hash, find_claims, suggests_claims
from .forms import CommentForm, NoteForm
from .models import (
    Comment,
    Highlight,
    Issue,
    IssueReference,
    Note,
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

    @classmethod
    def for_reader(
        cls,
        issue: Issue,
        *,
        older: Issue | None,
        newer: Issue | None,
        annotations: IssueAnnotations | None = None,
        references: Sequence[IssueReference] = (),
    ) -> IssuePage:
        """The whole page. ``issue``: from ``selectors.issue_for_reader`` (sections, paragraphs,
        references and related stories prefetched)."""
        annotations = annotations or IssueAnnotations()
        return cls(
            issue=issue,
            sections=[section_view(s, annotations) for s in issue.sections.all()],
            older=older,
            newer=newer,
            annotations=annotations,
            backlinks=[backlink(r) for r in references],
        )

    @classmethod
    def claims_only(cls, issue: Issue, annotations: IssueAnnotations) -> IssuePage:
        """Just what the claims panel needs (its htmx fragment): no sections, no neighbours."""
        return cls(issue=issue, sections=[], older=None, newer=None, annotations=annotations)


@dataclass(frozen=True)
class NotesPanel:
    """A paragraph's notes as the panel shows them to one reader; ``editing``: (note, edit form)."""

    paragraph: Paragraph
    notes: list[Note]
    form: Any = field(default_factory=NoteForm)
    conflict: str = ""
    editing: tuple[Note, Any] | None = None


@dataclass(frozen=True)
class ThreadPanel:
    """The discussion of a section or a highlight (``thread`` is None until the first comment);
    ``editing``: (comment, edit form)."""

    thread: Thread | None
    comments: list[Comment]
    can_resolve: bool
    section: Section | None = None
    highlight: Highlight | None = None
    form: Any = field(default_factory=CommentForm)
    conflict: str = ""
    editing: tuple[Comment, Any] | None = None

    @property
    def target_url(self) -> str:
        if self.section is not None:
            return reverse("articles:section-thread", args=[self.section.pk])
        return reverse("articles:highlight-thread", args=[self.highlight.pk])

    @property
    def dom_id(self) -> str:
        return f"thread-s{self.section.pk}" if self.section is not None else f"thread-h{self.highlight.pk}"

    @property
    def section_pk(self) -> int | None:
        return self.section.pk if self.section is not None else None

    @property
    def stamp(self) -> str:
        return thread_stamp(self.thread)


def thread_stamp(thread: Thread | None) -> str:
    """What an open thread polls with (``?since=``): unchanged stamp, nothing to swap."""
    return f"{thread.changed_at.timestamp():.6f}" if thread else "0"


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


def paragraph_view(
    paragraph: Paragraph, annotations: IssueAnnotations | None = None, *, references: Iterable[IssueReference] = ()
) -> ParagraphView:
    """``references``: the paragraph's cross-issue references with their targets (prefetched by
    the page selectors, fetched by ``selectors.panels.paragraph_item`` for fragments)."""
    annotations = annotations or IssueAnnotations()
    spans = [
        HighlightSpan(h.pk, h.start, h.end, highlight_css(h))
        for h in annotations.highlights_by_paragraph.get(paragraph.pk, [])
    ]
    xrefs = [
        XrefSpan(r.start, r.end, f"{r.newsletter_name} {r.number}", r.target.get_absolute_url() if r.target else "")
        for r in references
    ]
    html = render_paragraph(
        paragraph.text, paragraph.marks, spans, xrefs=xrefs,
        suggestions=claim_suggestions(paragraph, annotations),
    )
    return ParagraphView(paragraph, html, annotations.note_counts.get(paragraph.pk, 0))


def _related(section: Section) -> list[RelatedStory]:
    return sorted(section.related_links.all(), key=lambda r: (-r.score, r.related_id))[:RELATED_SHOWN]


def section_view(section: Section, annotations: IssueAnnotations | None = None) -> SectionView:
    """``section``: from ``selectors.section_for_reader`` / ``issue_for_reader``, which prefetch its
    paragraphs with their references and its related stories."""
    annotations = annotations or IssueAnnotations()
    return SectionView(
        section=section,
        paragraphs=[paragraph_view(p, annotations, references=p.references.all()) for p in section.paragraphs.all()],
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
    return Backlink(section.issue, section, paragraph.get_absolute_url(), snippet)


def topic_page(origin: Section, sections: list[Section], highlights: dict[int, list[Highlight]]) -> TopicPage:
    return TopicPage(
        origin=origin,
        stories=[TopicStory(s, highlights.get(s.pk, []), s.pk == origin.pk) for s in sections],
    )
