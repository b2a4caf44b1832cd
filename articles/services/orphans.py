"""Annotations outlive what they point at (docs/ANNOTATIONS.md, "Orphans").

Every highlight, note, thread and section tag carries a snapshot of where it was — the issue's
title and the story's headline — so it can still be shown once that content is gone. The
services that create annotations fill it; :func:`snapshots_refresh` brings an issue's up to date
before anything may orphan them (a re-import, a deletion). Deleting an issue, a team or a user
goes through this module too: staff only, one transaction, the search index kept in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery

from articles.models import (
    Comment,
    Highlight,
    Issue,
    Note,
    Paragraph,
    SearchDocument,
    Section,
    SectionTag,
    Tag,
    Team,
    Thread,
)
from articles.search.indexing import document_forget, document_sync, index_rebuild, orphans_index

from .membership import staff_require


def snapshots_refresh(*, issue: Issue) -> None:
    """Copy ``issue``'s title and each annotation's story headline onto its annotations (five
    UPDATEs). Orphans keep the snapshot they had when they lost their place."""
    for model in (Highlight, Note):
        model.objects.filter(issue=issue).update(issue_title=issue.title)
        headline = Subquery(Paragraph.objects.filter(pk=OuterRef("paragraph_id")).values("section__headline")[:1])
        model.objects.filter(issue=issue, paragraph__isnull=False).update(section_headline=headline)
    section_headline = Subquery(Section.objects.filter(pk=OuterRef("section_id")).values("headline")[:1])
    SectionTag.objects.filter(section__issue=issue).update(
        issue=issue, issue_title=issue.title, section_headline=section_headline
    )
    Thread.objects.filter(issue=issue).update(issue_title=issue.title)
    Thread.objects.filter(issue=issue, section__isnull=False).update(section_headline=section_headline)
    Thread.objects.filter(issue=issue, highlight__paragraph__isnull=False).update(
        section_headline=Subquery(Highlight.objects.filter(pk=OuterRef("highlight_id")).values("section_headline")[:1])
    )


def snapshot_of(paragraph: Paragraph) -> dict[str, str]:
    """The snapshot fields of an annotation made on ``paragraph`` (its section and issue joined)."""
    return {"issue_title": paragraph.section.issue.title, "section_headline": paragraph.section.headline}


@dataclass(frozen=True)
class OrphanCounts:
    """What a sync or a deletion left orphaned (or, for a user, kept as "former member")."""

    highlights: int = 0
    notes: int = 0
    threads: int = 0
    section_tags: int = 0
    comments: int = 0

    def __bool__(self) -> bool:
        return any((self.highlights, self.notes, self.threads, self.section_tags, self.comments))

    def __str__(self) -> str:
        parts = [
            f"{n} {word if n == 1 else plural}"
            for n, word, plural in (
                (self.highlights, "highlight", "highlights"), (self.notes, "note", "notes"),
                (self.section_tags, "section tag", "section tags"), (self.threads, "thread", "threads"),
                (self.comments, "comment", "comments"),
            )
            if n
        ]
        return ", ".join(parts)


def _issue_orphans(issue: Issue) -> OrphanCounts:
    return OrphanCounts(
        highlights=Highlight.objects.filter(issue=issue).count(),
        notes=Note.objects.filter(issue=issue).count(),
        threads=Thread.objects.filter(issue=issue).count(),
        section_tags=SectionTag.objects.filter(section__issue=issue).count(),
    )


@transaction.atomic
def issue_delete(*, user, issue: Issue) -> OrphanCounts:
    """Staff delete an issue; every team's highlights, notes, threads (with their comments) and
    section tags on it stay, as orphans with the issue's title and their story's headline."""
    staff_require(user=user, perm="articles.delete_issue")
    snapshots_refresh(issue=issue)
    counts = _issue_orphans(issue)
    issue.delete()  # its search rows go with it (the index is per issue) …
    orphans_index()  # … and its annotations' come back as orphans, found by their team
    return counts


@transaction.atomic
def team_delete(*, user, team: Team) -> None:
    """Staff delete a team and everything it wrote (the admin offers its archive first)."""
    staff_require(user=user, perm="articles.delete_team")
    team.delete()


def _former_member_counts(account) -> OrphanCounts:
    return OrphanCounts(
        highlights=Highlight.objects.filter(author=account).exclude(visibility="private").count(),
        notes=Note.objects.filter(author=account).exclude(visibility="private").count(),
        threads=Thread.objects.filter(started_by=account).count(),
        comments=Comment.objects.filter(author=account).count(),
    )


@transaction.atomic
def user_delete(*, user, account) -> OrphanCounts:
    """Staff delete ``account``: its comments, the threads it started and its team highlights and
    notes stay (shown as "former member"); its private highlights and notes go with it
    (``KEEP_SHARED``). Returns what was kept. The search rows of what stays are rebuilt."""
    staff_require(user=user, perm="auth.delete_user")
    kept = _former_member_counts(account)
    touched = Q(author=account) | Q(owner=account)
    issue_ids = set(SearchDocument.objects.filter(touched).values_list("issue_id", flat=True))
    account.delete()
    if issue_ids - {None}:
        index_rebuild(issues=Issue.objects.filter(pk__in=issue_ids - {None}))
    if None in issue_ids:  # orphans of a deleted issue they wrote or own
        orphans_index()
    return kept


@transaction.atomic
def annotation_delete_by_staff(*, user, obj) -> None:
    """Moderation in the admin: a highlight, note or comment deleted by staff with the model's
    delete permission, its search rows first (the index must not keep moderated text)."""
    staff_require(user=user, perm=f"articles.delete_{obj._meta.model_name}")
    document_forget(obj)
    obj.delete()


@transaction.atomic
def tag_delete_by_staff(*, user, tag: Tag) -> None:
    """Staff delete a tag: off every highlight and section, whose search rows are rebuilt."""
    staff_require(user=user, perm="articles.delete_tag")
    highlights = list(Highlight.objects.filter(tags=tag).distinct())
    sections = list(Section.objects.filter(section_tags__tag=tag).distinct())
    tag.delete()
    for target in (*highlights, *sections):
        document_sync(target)
