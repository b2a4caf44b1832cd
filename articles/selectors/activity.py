"""The team's activity feed, the mentions inbox and per-issue reading state (reads only)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import DateTimeField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from articles.models import Comment, FeedVisit, Highlight, Issue, IssueRead, Mention, Note, Team

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


def _issue_url(issue: Issue, anchor: str) -> str:
    return f"{issue.get_absolute_url()}#{anchor}" if anchor else issue.get_absolute_url()


def team_activity(*, user, team: Team, since: datetime.datetime | None) -> list[ActivityItem]:
    """The newest highlights, notes, comments and replies the user may see, newest first
    (three queries, merged here). ``since``: items after it are marked new."""
    since = since or EPOCH
    items: list[ActivityItem] = []
    highlights = (
        Highlight.objects.visible_to(user, team).select_related("author", "issue__newsletter").order_by("-created_at")
    )
    for h in highlights[:FEED_LIMIT]:
        anchor = f"p-{h.paragraph_id}" if h.paragraph_id else "orphans"
        items.append(ActivityItem("claim" if h.is_claim else "highlight", h.created_at, h.author.get_username(),
                                  h.issue, _issue_url(h.issue, anchor), h.exact, _news(h, user, since)))
    for n in Note.objects.visible_to(user, team).select_related("author", "issue__newsletter").order_by("-created_at")[:FEED_LIMIT]:
        anchor = f"p-{n.paragraph_id}" if n.paragraph_id else "orphans"
        items.append(ActivityItem("note", n.created_at, n.author.get_username(), n.issue,
                                  _issue_url(n.issue, anchor), n.body, _news(n, user, since)))
    comments = (
        Comment.objects.visible_to(user, team).filter(deleted=False)
        .select_related("author", "thread__issue__newsletter", "thread__section", "thread__highlight")
        .order_by("-created_at")
    )
    comments = list(comments[:FEED_LIMIT])
    mentioned = set(Mention.objects.filter(user=user, comment__in=comments).values_list("comment_id", flat=True))
    for c in comments:
        thread = c.thread
        anchor = _thread_anchor(thread)
        items.append(ActivityItem("reply" if c.parent_id else "comment", c.created_at, c.author.get_username(),
                                  thread.issue, _issue_url(thread.issue, anchor), c.body, _news(c, user, since),
                                  mentions_you=c.pk in mentioned))
    items.sort(key=lambda item: item.at, reverse=True)
    return items[:FEED_LIMIT]


def _news(annotation, user, since: datetime.datetime) -> bool:
    """New to ``user``: written by someone else after their last visit."""
    return annotation.author_id != user.pk and annotation.created_at > since


def _thread_anchor(thread) -> str:
    if thread.section_id:
        return thread.section.anchor
    if thread.highlight_id and thread.highlight.paragraph_id:
        return f"p-{thread.highlight.paragraph_id}"
    return ""


def feed_last_seen(*, user, team: Team) -> datetime.datetime | None:
    visit = FeedVisit.objects.filter(user=user, team=team).first()
    return visit.seen_at if visit else None


def mentions_of(*, user, team: Team) -> QuerySet[Mention]:
    """Mentions of the user in comments they may still see, newest first."""
    return (
        Mention.objects.filter(user=user, comment__in=Comment.objects.visible_to(user, team).filter(deleted=False))
        .select_related("comment__author", "comment__thread__issue__newsletter", "comment__thread__section")
        .order_by("-created_at")
    )


def unread_mention_count(*, user, team: Team | None) -> int:
    if team is None:
        return 0
    return mentions_of(user=user, team=team).filter(read_at__isnull=True).count()


def with_reading_state(issues: QuerySet[Issue], *, user, team: Team | None) -> QuerySet[Issue]:
    """Annotate ``last_read_at`` and ``progress`` (the user's) and ``last_activity`` (the newest
    annotation the user may see on the issue) — subqueries, so the list stays one query."""
    reads = IssueRead.objects.filter(user=user, issue=OuterRef("pk"))
    issues = issues.annotate(
        last_read_at=Subquery(reads.values("last_read_at")[:1]),
        progress=Subquery(reads.values("progress")[:1]),
    )
    if team is None:
        return issues.annotate(last_activity=Value(None, output_field=DateTimeField()))

    def newest(queryset, issue_field: str = "issue"):
        latest = (
            queryset.filter(**{issue_field: OuterRef("pk")}).exclude(author=user)  # not news to oneself
            .order_by("-created_at").values("created_at")[:1]
        )
        return Coalesce(Subquery(latest), Value(EPOCH))  # SQLite's MAX() of a NULL is NULL

    return issues.annotate(
        last_activity=Greatest(
            newest(Highlight.objects.visible_to(user, team)),
            newest(Note.objects.visible_to(user, team)),
            newest(Comment.objects.visible_to(user, team), "thread__issue"),
        )
    )
