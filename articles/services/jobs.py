"""Background import jobs: an upload becomes an :class:`ImportJob` with its files stored in the
database; the worker (``articles.tasks.import_job_run``) runs :func:`import_job_execute`.

Crash safety: the job's ``report`` is its checkpoint. Items are numbered in the order
:func:`articles.importer.split_items` yields them (deterministic for the same bytes), and report
entry *i* is item *i*'s outcome, written in the same UPDATE as ``done``. A job run again after
its worker died keeps the entries it has and continues with the next item; the one item that may
have been stored without its entry comes back "unchanged" (the importer knows its hash). So a
re-run creates nothing twice and its counts are always ``done == len(report)``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from articles import importer
from articles.importer.types import Document, ItemFailure
from articles.models import ImportJob, ImportJobFile

from .importing import ImportStatus, import_item

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


def _execute(job: ImportJob) -> None:
    jobs = ImportJob.objects.filter(pk=job.pk)
    jobs.update(status=ImportJob.Status.RUNNING, started_at=job.started_at or timezone.now(), error="",
                finished_at=None)
    items = _split_files(job)
    report = list(job.report or [])
    if len(report) > len(items) or any(entry.get("name") != item.name for entry, item in zip(report, items)):
        report = []  # the files split differently (importer upgraded): start over, "unchanged" where stored
    failed = sum(entry.get("status") == ImportStatus.FAILED for entry in report)
    jobs.update(total=len(items), done=len(report), failed=failed, report=report)
    for item in items[len(report):]:
        jobs.update(current=item.name[:500])
        result = import_item(item)
        report.append(result.as_dict())
        failed += result.failed
        jobs.update(done=len(report), failed=failed, report=report)
    with transaction.atomic():
        jobs.update(status=ImportJob.Status.DONE, current="", finished_at=timezone.now())
        ImportJobFile.objects.filter(job=job).delete()


def _split_files(job: ImportJob) -> list[Document | ItemFailure]:
    """Every item of every file, in file order; one file's bytes in memory at a time."""
    items: list[Document | ItemFailure] = []
    for pk in job.files.values_list("pk", flat=True):
        stored = ImportJobFile.objects.only("name", "data").get(pk=pk)
        name, raw = stored.name, bytes(stored.data)
        del stored
        try:
            items += importer.split_items(name, raw)
        except Exception as exc:  # a splitter bug fails this file, not the job
            logger.exception("splitting %s failed", name)
            items.append(ItemFailure(name, f"could not be read ({type(exc).__name__})"))
    return items
