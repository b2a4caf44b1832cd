"""Presenters built from reads: the issue page, a re-rendered paragraph, the notes panel and the
thread panel — each assembled here once, for every view that shows it."""

from __future__ import annotations

from articles.connect.selectors import issue_backlinks
from articles.models import Highlight, Issue, IssueReference, Membership, Paragraph, Section, Thread
from articles.permissions import can_resolve_thread
from articles.presenters import IssuePage, NotesPanel, ParagraphView, ThreadPanel, paragraph_view

from .annotations import (
    IssueAnnotations,
    issue_annotations,
    paragraph_annotations,
    paragraph_notes,
    thread_find,
    thread_with_comments,
)
from .content import issue_neighbours


def issue_page_for_reader(*, issue: Issue, user, team, annotations: IssueAnnotations | None = None) -> IssuePage:
    """The whole issue page. ``issue``: from ``issue_for_reader`` / ``issue_get_for_reader``."""
    annotations = annotations if annotations is not None else issue_annotations(issue=issue, user=user, team=team)
    older, newer = issue_neighbours(issue)
    return IssuePage.for_reader(
        issue, older=older, newer=newer, annotations=annotations, references=issue_backlinks(issue)
    )


def paragraph_references(paragraph: Paragraph) -> list[IssueReference]:
    """The paragraph's cross-issue references with their target issues (one query)."""
    return list(IssueReference.objects.filter(paragraph=paragraph).select_related("target"))


def paragraph_item(*, user, team, paragraph: Paragraph, annotations: IssueAnnotations | None = None) -> ParagraphView:
    """The paragraph as the issue page shows it to ``user``, re-rendered after a write
    (``annotations``: the issue's, when the caller has them; else the paragraph's own)."""
    if annotations is None:
        annotations = paragraph_annotations(paragraph=paragraph, user=user, team=team)
    return paragraph_view(paragraph, annotations, references=paragraph_references(paragraph))


def notes_panel(*, user, team, paragraph: Paragraph, conflict: str = "", editing=None) -> NotesPanel:
    """What the notes panel of ``paragraph`` shows ``user`` (one query)."""
    return NotesPanel(
        paragraph=paragraph, notes=paragraph_notes(user=user, team=team, paragraph=paragraph),
        conflict=conflict, editing=editing,
    )


def thread_panel(
    *,
    user,
    membership: Membership,
    thread: Thread | None,
    section: Section | None = None,
    highlight: Highlight | None = None,
    conflict: str = "",
    editing=None,
) -> ThreadPanel:
    """The discussion of ``section`` or ``highlight`` (``thread``: found by ``thread_find``, or
    None before the first comment), its comments with their replies."""
    return ThreadPanel(
        thread=thread,
        comments=thread_with_comments(thread) if thread else [],
        can_resolve=can_resolve_thread(user, thread, membership),
        section=section,
        highlight=highlight,
        conflict=conflict,
        editing=editing,
    )


def panels_opened(*, user, membership: Membership | None, issue: Issue, notes: int | None, thread: int | None) -> dict:
    """The panels a plain link opens on the issue page (no JavaScript): ``open_notes`` for the
    paragraph ``notes``, ``open_thread`` for the section ``thread`` (ids within ``issue``)."""
    opened: dict = {}
    if membership is None:
        return opened
    team = membership.team
    if notes is not None:
        paragraph = Paragraph.objects.filter(pk=notes, section__issue=issue).select_related("section__issue").first()
        if paragraph:
            opened["open_notes"] = notes_panel(user=user, team=team, paragraph=paragraph)
    if thread is not None:
        section = Section.objects.filter(pk=thread, issue=issue).select_related("issue").first()
        if section:
            found = thread_find(user=user, team=team, section=section)
            opened["open_thread"] = thread_panel(user=user, membership=membership, thread=found, section=section)
    return opened
