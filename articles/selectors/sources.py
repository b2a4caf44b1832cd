"""Reads for the Sources pages: subscribed feeds, one feed, a saved link's job."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from articles.models import Feed, ImportJob, Issue


def feeds_overview() -> QuerySet[Feed]:
    """The feeds for the Sources page and ``feeds list`` (one query, newsletter joined)."""
    return Feed.objects.select_related("newsletter").order_by("title", "url")


def feed_get(*, pk: int) -> Feed:
    feed = Feed.objects.filter(pk=pk).first()
    if feed is None:
        raise Http404("No such feed.")
    return feed


def link_job_get(*, user, pk: int) -> tuple[ImportJob, Issue | None]:
    """A Save link job ``user`` may follow (their own; staff: anyone's) and the issue it
    imported, once there is one; Http404 otherwise."""
    jobs = ImportJob.objects.filter(kind=ImportJob.Kind.LINK)
    if not user.is_staff:
        jobs = jobs.filter(created_by=user)
    job = jobs.filter(pk=pk).first()
    if job is None:
        raise Http404("No such job.")
    issue_ids = [line.get("issue_id") for line in job.report if line.get("issue_id")]
    issue = Issue.objects.filter(pk__in=issue_ids).first() if issue_ids else None
    return job, issue
