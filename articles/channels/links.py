"""Saved links: fetch one web page (guarded) and import it as an issue.

``link_save`` does the work (the command line runs it in the foreground; ``user=None`` is the
system). The Save link page never fetches in the request: ``link_job_create`` checks permission,
records an ``ImportJob(kind=LINK)`` and enqueues ``link_job_run`` for the worker; the page then
shows the job until its issue is ready.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles.importer import extract
from articles.importer.items import page_document
from articles.importer.types import ParseError
from articles.models import ImportJob, Membership
from articles.services.importing import ImportResult, ImportStatus, import_item

from .fetch import ACCEPT_ANY, FetchError, clean_url, fetch_url

NO_ARTICLE = "no article found on this page (nothing that reads like a newsletter or a post)"
MIN_ARTICLE_WORDS = 20


def can_save_links(user) -> bool:
    """Staff always; team members too when ``settings.DIGEST_MEMBERS_SAVE_LINKS``."""
    if user is None:
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_staff:
        return True
    return bool(settings.DIGEST_MEMBERS_SAVE_LINKS) and Membership.objects.filter(user=user).exists()


def check_can_save_links(user) -> None:
    if not can_save_links(user):
        if settings.DIGEST_MEMBERS_SAVE_LINKS:
            raise PermissionDenied("Only staff and team members can save links.")
        raise PermissionDenied("Only staff can save links (the admin may allow team members: DIGEST_MEMBERS_SAVE_LINKS).")




def link_save(*, url: str, user) -> list[ImportResult]:
    """Fetch the page at ``url`` and import it (``meta.url`` = the URL after redirects).

    Raises PermissionDenied / ValidationError before any network access; a page that cannot be
    fetched or read is one failed result whose detail says why.
    """
    check_can_save_links(user)
    url = clean_url(url, what="page")
    try:
        fetched = fetch_url(url, accept=ACCEPT_ANY)
    except FetchError as exc:
        return [ImportResult(url, ImportStatus.FAILED, detail=exc.message)]
    try:
        document = page_document(fetched.body, url=fetched.final_url, content_type=fetched.content_type)
    except ParseError as exc:
        return [ImportResult(url, ImportStatus.FAILED, detail=str(exc))]
    if _article_words(document) < MIN_ARTICLE_WORDS:
        return [ImportResult(url, ImportStatus.FAILED, detail=NO_ARTICLE)]
    return [import_item(document)]


def _article_words(document) -> int:
    """Words in the paragraphs the extractor finds (a navigation-only page has a handful)."""
    try:
        parsed = extract(document)
    except (ParseError, RecursionError):
        return MIN_ARTICLE_WORDS  # let import_item report the extractor's own reason
    return sum(len(p.text.split()) for section in parsed.sections for p in section.paragraphs)


def link_job_create(*, url: str, user) -> ImportJob:
    """Check and queue a saved link for the worker; the returned job shows its progress."""
    check_can_save_links(user)
    url = clean_url(url, what="page")
    from articles.tasks import link_job_run

    job = ImportJob.objects.create(kind=ImportJob.Kind.LINK, created_by=user, current=url[:500], total=1)
    link_job_run.enqueue(job.pk)
    return job


def link_job_execute(*, job_id: int) -> None:
    job = ImportJob.objects.filter(pk=job_id, kind=ImportJob.Kind.LINK).select_related("created_by").first()
    if job is None or job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        return
    job.status, job.started_at = ImportJob.Status.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    try:
        if job.created_by is None:
            raise PermissionDenied("the user who saved this link no longer exists")
        results = link_save(url=job.current, user=job.created_by)
    except (PermissionDenied, ValidationError) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        results = [ImportResult(job.current, ImportStatus.FAILED, detail=message)]
    job.report = [r.as_dict() for r in results]
    job.done = len(results)
    job.failed = sum(1 for r in results if r.failed)
    job.status = ImportJob.Status.FAILED if job.failed else ImportJob.Status.DONE
    job.error = "; ".join(r.detail for r in results if r.failed)
    job.finished_at = timezone.now()
    job.save()
