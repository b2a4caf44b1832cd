"""Background import jobs: an upload becomes an :class:`ImportJob` with its files stored in the
database; the worker (``articles.tasks.import_job_run``) runs :func:`import_job_execute`.

Crash safety: the job's ``report`` is its checkpoint. Items are numbered in the order
:func:`articles.importer.split_items` yields them (deterministic for the same bytes), and report
entry *i* is item *i*'s outcome; the report is saved every ``REPORT_SAVE_EVERY`` items (saving
it after every item would rewrite a growing JSON document, quadratic over a 500-message mbox).
A job run again after its worker died keeps the entries it has and continues with the next
item; the items that may have been stored without their entry come back "unchanged" (the
importer knows their hash). So a re-run creates nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from articles.importer.types import Document, ItemFailure
from articles.models import ImportJob, ImportJobFile

from .importing import ImportStatus, import_item, source_items

logger = logging.getLogger(__name__)


def _check_staff(user) -> None:
    if not (user is not None and user.is_active and user.is_staff):
        raise PermissionDenied("only staff may import newsletters")


def import_job_create(*, user, files: Iterable[tuple[str, bytes]]) -> ImportJob:
    """Store an upload as a queued job and enqueue it once the transaction commits. Staff only.

    ``files`` may be a generator: each file is read, stored and dropped before the next one, so a
    large upload is held in memory once, one file at a time.
    """
    from articles.tasks import import_job_run

    _check_staff(user)
    with transaction.atomic():
        job = ImportJob.objects.create(kind=ImportJob.Kind.UPLOAD, created_by=user)
        for position, (name, data) in enumerate(files):
            ImportJobFile.objects.create(job=job, position=position, name=name[:255], data=data)
        transaction.on_commit(lambda: import_job_run.enqueue(job.pk))
    return job


def import_job_rerun(*, user, job: ImportJob) -> bool:
    """Queue ``job`` again (after a worker crash or a failure). A finished upload has no files left:
    refused (False). Staff only."""
    from articles.tasks import import_job_run

    _check_staff(user)
    if job.kind != ImportJob.Kind.UPLOAD or job.status == ImportJob.Status.DONE:
        return False
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED, error="")
        transaction.on_commit(lambda: import_job_run.enqueue(job.pk))
    return True


def import_job_execute(*, job_id: int) -> None:
    """Run (or resume) an upload job. A finished job is left alone; an unexpected error marks
    the job failed with the error (its files are kept, so "Re-run" can try again)."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.status == ImportJob.Status.DONE:
        return
    try:
        _execute(job)
    except Exception as exc:
        logger.exception("import job %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:5000],
            finished_at=timezone.now(), current="",
        )
        raise


REPORT_SAVE_EVERY = 25  # items between saves of the report (done/failed/current are saved per item)


def _execute(job: ImportJob) -> None:
    """Import item by item, one file's bytes and one item in memory at a time. The report is the
    checkpoint a re-run resumes from; it is saved every REPORT_SAVE_EVERY items (a re-run redoes
    at most that many, which then come back "unchanged")."""
    jobs = ImportJob.objects.filter(pk=job.pk)
    jobs.update(status=ImportJob.Status.RUNNING, started_at=job.started_at or timezone.now(), error="",
                finished_at=None)
    names = [item.name for item in _file_items(job)]  # a first, cheap pass: how many items in all
    report = list(job.report or [])
    if len(report) > len(names) or any(entry.get("name") != name for entry, name in zip(report, names, strict=False)):
        report = []  # the files split differently (importer upgraded): start over, "unchanged" where stored
    failed = sum(entry.get("status") == ImportStatus.FAILED for entry in report)
    jobs.update(total=len(names), done=len(report), failed=failed, report=report)
    resume_at = len(report)
    for index, item in enumerate(_file_items(job)):
        if index < resume_at:
            continue
        jobs.update(current=item.name[:500])
        result = import_item(item)
        report.append(result.as_dict())
        failed += result.failed
        if len(report) % REPORT_SAVE_EVERY == 0:
            jobs.update(done=len(report), failed=failed, report=report)
        else:
            jobs.update(done=len(report), failed=failed)
    with transaction.atomic():
        jobs.update(status=ImportJob.Status.DONE, current="", finished_at=timezone.now(), report=report,
                    done=len(report), failed=failed)
        ImportJobFile.objects.filter(job=job).delete()


def _file_items(job: ImportJob) -> Iterator[Document | ItemFailure]:
    """Every item of every file, in file order, lazily: one file's bytes in memory at a time."""
    for pk in job.files.values_list("pk", flat=True):
        stored = ImportJobFile.objects.only("name", "data").get(pk=pk)
        name, raw = stored.name, bytes(stored.data)
        del stored
        yield from source_items(name, raw)
