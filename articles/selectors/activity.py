"""The team's activity feed and the mentions inbox (reads only; reading state: ``reading.py``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from articles.models import Comment, Highlight, Issue, Mention, Note, Team
from articles.sanitize import clean_html

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
FEED_LIMIT = 60


@dataclass(frozen=True)
class ActivityItem:
    kind: str  # "highlight" | "claim" | "note" | "comment" | "reply"
    at: datetime.datetime
    actor: str
    issue: Issue
    url: str  # the issue page with the anchor of the annotated paragraph / section
    excerpt: str  # plain text: the quote, or the Markdown source of a note/comment
    is_new: bool
    mentions_you: bool = False
    excerpt_html: str = ""  # a note's or comment's Markdown as HTML, through the sanitizer; "" for quotes


def team_activity(*, user, team: Team, since: datetime.datetime | None) -> list[ActivityItem]:
    """The newest highlights, notes, comments and replies the user may see, newest first
    (three queries, merged here). ``since``: items after it are marked new."""
    since = since or EPOCH
    items: list[ActivityItem] = []
    highlights = (
        Highlight.objects.visible_to(user, team).select_related("author", "issue__newsletter").order_by("-created_at")
    )
    for h in highlights[:FEED_LIMIT]:
        items.append(ActivityItem("claim" if h.is_claim else "highlight", h.created_at, h.author_name,
                                  h.issue, h.get_absolute_url(), h.exact, _news(h, user, since)))
    for n in Note.objects.visible_to(user, team).select_related("author", "issue__newsletter").order_by("-created_at")[:FEED_LIMIT]:
        items.append(ActivityItem("note", n.created_at, n.author_name, n.issue,
                                  n.get_absolute_url(), n.body, _news(n, user, since),
                                  excerpt_html=clean_html(n.body_html)))
    comments = (
        Comment.objects.visible_to(user, team).filter(deleted=False)
        .select_related("author", "thread__issue__newsletter", "thread__section", "thread__highlight__paragraph")
        .order_by("-created_at")
    )
    comments = list(comments[:FEED_LIMIT])
    mentioned = set(Mention.objects.filter(user=user, comment__in=comments).values_list("comment_id", flat=True))
    for c in comments:
        items.append(ActivityItem("reply" if c.parent_id else "comment", c.created_at, c.author_name,
                                  c.thread.issue, comment_url(c), c.body, _news(c, user, since),
                                  mentions_you=c.pk in mentioned, excerpt_html=clean_html(c.body_html)))
    items.sort(key=lambda item: item.at, reverse=True)
    return items[:FEED_LIMIT]


def _news(annotation, user, since: datetime.datetime) -> bool:
    """New to ``user``: written by someone else after their last visit."""
    return annotation.author_id != user.pk and annotation.created_at > since


def mentions_of(*, user, team: Team) -> QuerySet[Mention]:
    """Mentions of the user in comments they may still see, newest first."""
    return (
        Mention.objects.filter(user=user, comment__in=Comment.objects.visible_to(user, team).filter(deleted=False))
        .select_related(
            "comment__author", "comment__thread__issue__newsletter", "comment__thread__section",
            "comment__thread__highlight",
        )
        .order_by("-created_at")
    )


@dataclass(frozen=True)
class InboxItem:
    mention: Mention
    url: str  # the discussion opened at the comment (see comment_url)


def inbox_items(*, user, team: Team, limit: int = 100) -> list[InboxItem]:
    """The newest mentions of ``user``, each with the link that opens its discussion at the comment."""
    return [InboxItem(m, comment_url(m.comment)) for m in mentions_of(user=user, team=team)[:limit]]


def comment_url(comment: Comment) -> str:
    """The issue page with the comment's discussion open, scrolled to the comment: a section's
    thread by ``?thread=<section>``, a highlight's by its card (``?card=<highlight>``), both
    rendered open by the server, so the link works without JavaScript; the fragment
    ``#comment-<id>`` is the comment's own element. (Orphaned threads: where the thread lives.)
    Needs ``thread``, ``thread.issue`` and ``thread.highlight`` loaded."""
    thread = comment.thread
    anchor = f"comment-{comment.pk}"
    if thread.is_orphan:
        return thread.get_absolute_url()
    if thread.section_id:
        return thread.issue.url_at(anchor, thread=thread.section_id)
    if thread.highlight_id and thread.highlight.paragraph_id:
        return thread.issue.url_at(anchor, card=thread.highlight_id)
    return thread.get_absolute_url()


def unread_mention_count(*, user, team: Team | None) -> int:
    if team is None:
        return 0
    return mentions_of(user=user, team=team).filter(read_at__isnull=True).count()
