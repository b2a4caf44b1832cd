"""Subscribed RSS/Atom feeds: subscribe (staff), fetch one feed and import its entries.

A fetch is: conditional GET through the guarded fetcher (stored ETag / Last-Modified) → the pure
``parse_feed`` → each entry through the one import pipeline (``import_item``: its own
transaction, deduplicated by content hash, updated in place by GUID) → the feed's status and an
``ImportJob(kind=FEED)`` with the report. A feed that cannot be fetched or parsed imports nothing
and says why in ``last_error``. ``user=None`` means the command line / the worker (the system).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles.importer.feed import parse_feed
from articles.importer.html_article import site_key
from articles.importer.types import Document, ParseError
from articles.models import Feed, ImportJob
from articles.services.importing import ImportResult, ImportStatus, import_item
from articles.services.newsletters import newsletter_keys_link

from .fetch import ACCEPT_FEED, FetchError, clean_url, fetch_url

logger = logging.getLogger(__name__)



@dataclass(frozen=True)
class FeedFetchReport:
    feed: Feed
    status: str  # Feed.Status value: ok, not_modified or error
    results: list[ImportResult] = field(default_factory=list)
    error: str = ""
    job: ImportJob | None = None

    @property
    def ok(self) -> bool:
        return self.status != Feed.Status.ERROR

    @property
    def new_issues(self) -> int:
        return sum(1 for r in self.results if r.status is ImportStatus.CREATED)

    def summary(self) -> str:
        if self.status == Feed.Status.ERROR:
            return f"{self.feed.url}: error — {self.error}"
        if self.status == Feed.Status.NOT_MODIFIED:
            return f"{self.feed.url}: not modified"
        counts = {s: sum(1 for r in self.results if r.status is s) for s in ImportStatus}
        return f"{self.feed.url}: " + ", ".join(f"{n} {s}" for s, n in counts.items())




def _check_staff(user, action: str) -> None:
    if user is not None and not (user.is_active and user.is_staff):
        raise PermissionDenied(f"Only staff can {action}.")


def feed_subscribe(*, url: str, user) -> Feed:
    """Subscribe to the feed at ``url`` (staff only); subscribing twice returns the same Feed."""
    _check_staff(user, "subscribe to feeds")
    url = clean_url(url, what="feed")
    feed, created = Feed.objects.get_or_create(url=url, defaults={"added_by": user})
    if not created and not feed.active:
        feed.active = True
        feed.save(update_fields=["active"])
    return feed


def feed_fetch_enqueue(*, feed: Feed, user) -> None:
    """"Fetch now": queue ``feed`` for the worker (staff only); never fetches in the request."""
    from articles.tasks import feed_fetch as feed_fetch_task

    _check_staff(user, "fetch feeds")
    feed_fetch_task.enqueue(feed.pk)


def feed_fetch(*, feed: Feed) -> FeedFetchReport:
    """Fetch ``feed`` now and import its new or changed entries (the worker and the command run
    this; views only enqueue it)."""
    started = timezone.now()
    job = ImportJob.objects.create(kind=ImportJob.Kind.FEED, status=ImportJob.Status.RUNNING,
                                   started_at=started, current=feed.url[:500])
    try:
        return _fetch(feed, job)
    except Exception as exc:  # a bug or a database failure: the job and the feed say so, never stay "running"
        logger.exception("fetching feed %s failed", feed.url)
        return _finish(feed, job, Feed.Status.ERROR, error=f"unexpected error ({type(exc).__name__}); see the server log")


def _fetch(feed: Feed, job: ImportJob) -> FeedFetchReport:
    try:
        fetched = fetch_url(feed.url, etag=feed.etag, last_modified=feed.last_modified, accept=ACCEPT_FEED)
    except FetchError as exc:
        return _finish(feed, job, Feed.Status.ERROR, error=exc.message)
    if fetched.not_modified:
        return _finish(feed, job, Feed.Status.NOT_MODIFIED)
    try:
        parsed = parse_feed(fetched.body, feed_url=feed.url)
    except ParseError as exc:
        return _finish(feed, job, Feed.Status.ERROR, error=_parse_message(exc, fetched.content_type))
    except RecursionError:
        return _finish(feed, job, Feed.Status.ERROR, error="the feed is nested too deeply to parse")
    items: list = [*parsed.documents, *parsed.failures]
    job.total = len(items)
    job.save(update_fields=["total"])
    keys = [f"feed:{feed.url}", site_key(parsed.link)]
    newsletter_keys_link(keys=keys)  # the same feed imported earlier as a file
    results = [import_item(item) for item in items]
    newsletter_keys_link(keys=keys)  # … and a file of it imported later
    if parsed.title:
        feed.title = parsed.title[:300]
    newsletter_id = next((r.issue.newsletter_id for r in results if r.issue is not None), None)
    if newsletter_id is not None:
        feed.newsletter_id = newsletter_id
    # Keep the validators only when every entry with content was stored: otherwise the next fetch
    # would be answered 304 and an entry that failed to save would never be retried.
    if not any(r.failed for r, item in zip(results, items, strict=True) if isinstance(item, Document)):
        feed.etag, feed.last_modified = fetched.etag[:500], fetched.last_modified[:100]
    else:
        feed.etag = feed.last_modified = ""
    return _finish(feed, job, Feed.Status.OK, results=results)


def _parse_message(exc: ParseError, content_type: str) -> str:
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind in ("text/html", "application/xhtml+xml"):
        return f"this is a web page ({kind}), not an RSS or Atom feed — look for the site's feed link"
    return str(exc)


def _finish(feed: Feed, job: ImportJob, status: str, *, results: list[ImportResult] | None = None,
            error: str = "") -> FeedFetchReport:
    results = results or []
    now = timezone.now()
    report = [r.as_dict() for r in results]
    feed.last_fetched_at = now
    feed.last_status = status
    feed.last_error = error
    feed.last_report = report
    feed.last_new_issues = sum(1 for r in results if r.status is ImportStatus.CREATED)
    feed.save(update_fields=["title", "newsletter", "etag", "last_modified", "last_fetched_at", "last_status",
                             "last_error", "last_report", "last_new_issues"])
    job.status = ImportJob.Status.FAILED if status == Feed.Status.ERROR else ImportJob.Status.DONE
    job.finished_at = now
    job.report = report
    job.error = error
    job.done = len(results)
    job.failed = sum(1 for r in results if r.failed)
    job.total = max(job.total, len(results))
    job.save()
    return FeedFetchReport(feed=feed, status=status, results=results, error=error, job=job)
