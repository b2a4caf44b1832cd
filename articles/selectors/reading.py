"""Per-user reading state (reads only): which issues were opened and how far, when the activity
feed was last seen. The writes are in ``services/reading.py``."""

from __future__ import annotations

import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max
from django.http import Http404

from articles.models import Comment, FeedVisit, Highlight, Issue, IssueRead, Note, Paragraph, Section, Team

from .content import issue_list


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


ISSUES_PER_PAGE = 50


def issue_list_page(
    *, user, team: Team | None, newsletter_slug: str | None = None, page_number=None, per_page: int = ISSUES_PER_PAGE
) -> Page:
    """One page of the issue list, newest first, each issue with ``section_count`` and the reader's
    state (``reading_state_attach``). The page is sorted and cut on the bare issue table (index
    ``issue_list_order``); only the issues shown get their counts and state, so the cost follows
    the page, not the library: a cheap ``COUNT(*)``, the page, then one query per kind for
    ``issue_id IN (<the ≤ 50 shown>)``."""
    issues = issue_list(newsletter_slug=newsletter_slug)
    page = Paginator(issues, per_page).get_page(page_number)
    shown = list(page.object_list)
    ids = [issue.pk for issue in shown]
    counts = dict(
        Section.objects.filter(issue_id__in=ids).order_by().values("issue_id").annotate(n=Count("pk"))
        .values_list("issue_id", "n")
    ) if ids else {}
    for issue in shown:
        issue.section_count = counts.get(issue.pk, 0)
    reading_state_attach(shown, user=user, team=team)
    page.object_list = shown
    return page


def _newest_by_issue(queryset, issue_field: str, ids: list[int]) -> dict[int, datetime.datetime]:
    return dict(
        queryset.filter(**{f"{issue_field}__in": ids}).order_by().values(issue_field)
        .annotate(newest=Max("created_at")).values_list(issue_field, "newest")
    )


def reading_state_attach(issues: list[Issue], *, user, team: Team | None) -> None:
    """Set ``last_read_at`` and ``progress`` (the user's) and ``last_activity`` (the newest
    annotation on the issue the user may see and did not write, None without any) on each of
    ``issues``: one query per kind for all of them together."""
    ids = [issue.pk for issue in issues]
    reads = {}
    activity: dict[int, datetime.datetime] = {}
    if ids and user is not None and user.is_authenticated:
        reads = {r["issue_id"]: r for r in IssueRead.objects.filter(user=user, issue_id__in=ids)
                 .values("issue_id", "last_read_at", "progress")}
        if team is not None:
            for queryset, field in (
                (Highlight.objects.visible_to(user, team), "issue_id"),
                (Note.objects.visible_to(user, team), "issue_id"),
                (Comment.objects.visible_to(user, team), "thread__issue_id"),
            ):
                newest = _newest_by_issue(queryset.exclude(author=user), field, ids)  # not news to oneself
                for issue_id, at in newest.items():
                    if at is not None and (issue_id not in activity or at > activity[issue_id]):
                        activity[issue_id] = at
    for issue in issues:
        read = reads.get(issue.pk)
        issue.last_read_at = read["last_read_at"] if read else None
        issue.progress = read["progress"] if read else None
        issue.last_activity = activity.get(issue.pk)
