"""Discussion threads on sections and highlights: comments, one level of replies, mentions."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone

from articles.models import Comment, Highlight, Mention, Section, Team, Thread, Visibility
from articles.permissions import can_resolve_thread
from articles.search.indexing import document_forget, document_sync

from .errors import ConflictError
from .membership import author_require, membership_require
from .notes import DOUBLE_SUBMIT_WINDOW
from .user_text import markdown_render


def thread_get_or_create(*, user, team: Team, section: Section | None = None, highlight: Highlight | None = None) -> Thread:
    membership_require(user=user, team=team)
    if (section is None) == (highlight is None):
        raise ValueError("a thread is on a section or on a highlight")
    lookup = {"team": team, "section": section} if section else {"team": team, "highlight": highlight}
    issue_id = section.issue_id if section else highlight.issue_id
    snapshot = (
        {"issue_title": section.issue.title, "section_headline": section.headline}
        if section
        else {"issue_title": highlight.issue_title, "section_headline": highlight.section_headline}
    )
    try:
        with transaction.atomic():
            thread, _ = Thread.objects.get_or_create(
                **lookup, defaults={"issue_id": issue_id, "started_by": user, "changed_at": timezone.now(), **snapshot}
            )
    except IntegrityError:  # a teammate started it at the same moment
        thread = Thread.objects.get(**lookup)
    return thread


def _touch(thread: Thread) -> None:
    Thread.objects.filter(pk=thread.pk).update(changed_at=timezone.now())


def _record_mentions(comment: Comment, team: Team, usernames: tuple[str, ...]) -> None:
    if not usernames:
        return
    users = (
        get_user_model()
        .objects.annotate(lname=Lower("username"))
        .filter(lname__in=usernames, memberships__team=team)
    )
    highlight = comment.thread.highlight
    if highlight is not None and highlight.visibility == Visibility.PRIVATE:
        users = users.filter(pk=highlight.author_id)  # nobody else can read this thread
    Mention.objects.bulk_create([Mention(comment=comment, user=u) for u in users], ignore_conflicts=True)


@transaction.atomic
def comment_create(*, user, thread: Thread, body: str, parent: Comment | None = None) -> Comment:
    """Add a comment (or a reply to a top-level comment); a double submit yields one comment."""
    membership_require(user=user, team=thread.team)
    if parent is not None:
        if parent.thread_id != thread.pk:
            raise ValidationError("That comment is in another thread.")
        parent = parent if parent.parent_id is None else parent.parent  # one level of nesting
    body, rendered = markdown_render(thread.team, body)
    Thread.objects.select_for_update().filter(pk=thread.pk).first()  # serialise identical submits
    recent = Comment.objects.filter(
        thread=thread, author=user, parent=parent, body=body, deleted=False,
        created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
    ).first()
    if recent is not None:
        return recent
    comment = Comment.objects.create(thread=thread, author=user, parent=parent, body=body, body_html=rendered.html)
    _record_mentions(comment, thread.team, rendered.mentions)
    _touch(thread)
    document_sync(comment)
    return comment


@transaction.atomic
def comment_post(
    *, user, team: Team, body: str, parent_id: int | None = None,
    section: Section | None = None, highlight: Highlight | None = None,
) -> Comment:
    """A comment (or reply) on the team's thread about ``section`` or ``highlight``, starting the
    thread if it is the first. Everything is checked before anything is written, in one
    transaction: a refused comment (empty body, a ``parent`` that is not a comment of this thread
    the user may see) leaves no thread row behind."""
    membership_require(user=user, team=team)
    if (section is None) == (highlight is None):
        raise ValueError("a thread is on a section or on a highlight")
    markdown_render(team, body)  # refuses an empty or oversized body before any write
    lookup = {"section": section} if section else {"highlight": highlight}
    parent = None
    if parent_id is not None:
        in_thread = {f"thread__{key}": target for key, target in lookup.items()}
        if 0 < parent_id < 2**63:  # an id beyond 64 bits is no comment (and no database error)
            parent = Comment.objects.visible_to(user, team).filter(pk=parent_id, **in_thread).first()
        if parent is None:
            raise ValidationError("The comment you reply to is not in this thread.")
    thread = thread_get_or_create(user=user, team=team, **lookup)
    return comment_create(user=user, thread=thread, body=body, parent=parent)


@transaction.atomic
def comment_update(*, user, comment: Comment, body: str, version: int) -> Comment:
    author_require(user=user, obj=comment, what="comment")
    if comment.deleted:
        raise PermissionDenied("a deleted comment cannot be edited")
    body, rendered = markdown_render(comment.thread.team, body)
    updated = Comment.objects.filter(pk=comment.pk, author=user, version=version).update(
        body=body, body_html=rendered.html, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise ConflictError("This comment was changed since you opened it.")
    comment.mentions.all().delete()
    _record_mentions(comment, comment.thread.team, rendered.mentions)
    _touch(comment.thread)
    comment.refresh_from_db()
    document_sync(comment)
    return comment


@transaction.atomic
def comment_delete(*, user, comment: Comment) -> None:
    """A comment with replies leaves a "deleted" placeholder; one without disappears."""
    author_require(user=user, obj=comment, what="comment")
    thread = comment.thread
    document_forget(comment)
    if comment.replies.exists():
        Comment.objects.filter(pk=comment.pk).update(
            deleted=True, body="", body_html="", updated_at=timezone.now(), version=F("version") + 1
        )
        comment.mentions.all().delete()
    else:
        parent = comment.parent
        comment.delete()
        if parent is not None and parent.deleted and not parent.replies.exists():
            parent.delete()  # the placeholder has nothing left to hold
    _touch(thread)


def thread_resolve(*, user, thread: Thread, resolved: bool = True) -> Thread:
    """The thread's starter or an owner of its team marks it resolved (or reopens it)."""
    membership = membership_require(user=user, team=thread.team)
    if not can_resolve_thread(user, thread, membership):
        raise PermissionDenied("only the starter or a team owner resolves a thread")
    thread.resolved = resolved
    thread.resolved_by = user if resolved else None
    thread.changed_at = timezone.now()
    thread.save(update_fields=["resolved", "resolved_by", "changed_at"])
    return thread
