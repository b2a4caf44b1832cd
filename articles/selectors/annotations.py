"""Annotation reads for one user in their active team. Everything goes through ``visible_to`` /
``of_member``: private annotations of others never leave the database."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from articles.claims.selectors import claim_dismissals
from articles.models import (
    AnchorReport,
    Comment,
    Highlight,
    Issue,
    Note,
    Paragraph,
    SectionTag,
    Tag,
    Team,
    Thread,
)


def highlights_visible(user, team: Team | None) -> QuerySet[Highlight]:
    return Highlight.objects.visible_to(user, team).select_related("author").prefetch_related("tags")


def notes_visible(user, team: Team | None) -> QuerySet[Note]:
    return Note.objects.visible_to(user, team).select_related("author")


def tags_visible(user, team: Team | None) -> QuerySet[Tag]:
    return Tag.objects.visible_to(user, team)


def threads_visible(user, team: Team | None) -> QuerySet[Thread]:
    return Thread.objects.visible_to(user, team)


def comments_visible(user, team: Team | None) -> QuerySet[Comment]:
    return Comment.objects.visible_to(user, team)


@dataclass
class IssueAnnotations:
    """Everything the issue page shows on top of the text, fetched in a fixed number of queries."""

    highlights_by_paragraph: dict[int, list[Highlight]] = field(default_factory=dict)
    orphaned_highlights: list[Highlight] = field(default_factory=list)
    note_counts: dict[int, int] = field(default_factory=dict)
    orphaned_notes: list[Note] = field(default_factory=list)
    tags_by_section: dict[int, list[Tag]] = field(default_factory=dict)
    threads_by_section: dict[int, Thread] = field(default_factory=dict)
    claims: list[Highlight] = field(default_factory=list)
    anchor_reports: list[AnchorReport] = field(default_factory=list)
    # Claim suggestions are shown to team members only (accepting or dismissing needs a team).
    suggest_claims: bool = False
    dismissed_claims: set[tuple[int, int, int, str]] = field(default_factory=set)  # (paragraph, start, end, hash)


def issue_annotations(*, issue: Issue, user, team: Team | None) -> IssueAnnotations:
    result = IssueAnnotations()
    if team is None:
        return result
    for highlight in highlights_visible(user, team).filter(issue=issue):
        if highlight.paragraph_id is None:
            result.orphaned_highlights.append(highlight)
        else:
            result.highlights_by_paragraph.setdefault(highlight.paragraph_id, []).append(highlight)
        if highlight.is_claim:
            result.claims.append(highlight)
    for note in notes_visible(user, team).filter(issue=issue).defer("body", "paragraph_text"):
        if note.paragraph_id is None:
            result.orphaned_notes.append(note)
        else:
            result.note_counts[note.paragraph_id] = result.note_counts.get(note.paragraph_id, 0) + 1
    for section_tag in SectionTag.objects.of_member(user, team).filter(section__issue=issue).select_related("tag"):
        result.tags_by_section.setdefault(section_tag.section_id, []).append(section_tag.tag)
    threads = threads_visible(user, team).filter(issue=issue, section__isnull=False).annotate(
        comment_count=Count("comments", filter=Q(comments__deleted=False))
    )
    result.threads_by_section = {t.section_id: t for t in threads}
    reports = AnchorReport.objects.filter(highlight__in=Highlight.objects.visible_to(user, team).filter(issue=issue))
    latest = reports.aggregate(latest=Max("run_at"))["latest"]
    if latest is not None:
        result.anchor_reports = list(reports.filter(run_at=latest))
    result.suggest_claims = True
    result.dismissed_claims = claim_dismissals(user=user, team=team, issue=issue)
    return result


def paragraph_annotations(*, paragraph: Paragraph, user, team: Team | None) -> IssueAnnotations:
    """What one paragraph shows (its highlights, note count, dismissed claims): for re-rendering
    a single paragraph after a write, without loading the whole issue's annotations."""
    result = IssueAnnotations()
    if team is None:
        return result
    result.highlights_by_paragraph[paragraph.pk] = list(highlights_visible(user, team).filter(paragraph=paragraph))
    result.note_counts[paragraph.pk] = notes_visible(user, team).filter(paragraph=paragraph).count()
    result.suggest_claims = True
    result.dismissed_claims = claim_dismissals(user=user, team=team, paragraph=paragraph)
    return result


def thread_with_comments(thread: Thread) -> list[Comment]:
    """Top-level comments with their replies prefetched (one level), authors joined."""
    replies = Comment.objects.select_related("author").order_by("created_at", "pk")
    return list(
        thread.comments.filter(parent__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies))
    )
