"""Per-user reading state (reads only): which issues were opened and how far, when the activity
feed was last seen. The writes are in ``services/reading.py``."""

from __future__ import annotations

import datetime

from django.db.models import DateTimeField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404

from articles.models import Comment, FeedVisit, Highlight, Issue, IssueRead, Note, Paragraph, Team

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def issue_read_get(*, user, issue: Issue) -> IssueRead | None:
    """Where ``user`` left ``issue`` (None before they first open it)."""
    return IssueRead.objects.filter(user=user, issue=issue).first()


def issue_progress_target(*, slug: str, paragraph_id: int | None) -> tuple[Issue, Paragraph | None]:
    """The issue a progress report is about (404 when unknown) and the paragraph reached, if it
    is one of the issue's (only their ids are loaded)."""
    issue = Issue.objects.only("pk").filter(slug=slug).first()
    if issue is None:
        raise Http404("No such issue.")
    paragraph = None
    if paragraph_id is not None:
        paragraph = Paragraph.objects.filter(pk=paragraph_id, section__issue=issue).only("pk").first()
    return issue, paragraph


def feed_last_seen(*, user, team: Team) -> datetime.datetime | None:
    visit = FeedVisit.objects.filter(user=user, team=team).first()
    return visit.seen_at if visit else None


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
