"""Enqueue the periodic background jobs: feeds every DIGEST_FEED_INTERVAL_MINUTES, the mailbox
every DIGEST_MAIL_INTERVAL_MINUTES (when DIGEST_IMAP_HOST is set).

Each period has a key (``feeds:2026-12-02T15:30:00+00:00``, the UTC start of the period); the
process that inserts the ScheduledRun row with that key enqueues the task, any other scheduler
finds the row taken. So two schedulers (two machines, or one left running by mistake) never
enqueue the same period twice. Rows older than a week are pruned.
"""

from __future__ import annotations

import signal
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import IntegrityError, close_old_connections, transaction

from articles.models import ScheduledRun

KEEP_RUNS = timedelta(days=7)


@dataclass(frozen=True)
class Periodic:
    name: str
    minutes: int
    task_path: str  # "module.attribute" of a django-tasks task taking no arguments


def periodic_jobs() -> list[Periodic]:
    jobs = [Periodic("feeds", settings.DIGEST_FEED_INTERVAL_MINUTES, "articles.tasks.feeds_fetch_all")]
    if settings.DIGEST_IMAP_HOST:
        jobs.append(Periodic("mail", settings.DIGEST_MAIL_INTERVAL_MINUTES, "articles.tasks.mail_fetch"))
    return [job for job in jobs if job.minutes > 0]


def period_key(job: Periodic, now: datetime) -> str:
    """``<name>:<UTC start of the period that contains now>``; periods count from the Unix epoch."""
    seconds = job.minutes * 60
    start = int(now.timestamp()) // seconds * seconds
    return f"{job.name}:{datetime.fromtimestamp(start, tz=UTC).isoformat()}"


def _task(path: str):
    from importlib import import_module

    module, _, attribute = path.rpartition(".")
    return getattr(import_module(module), attribute)


def tick(now: datetime | None = None) -> list[str]:
    """One round: enqueue every job whose current period nobody has claimed yet; the keys claimed."""
    now = now or datetime.now(tz=UTC)
    claimed = []
    for job in periodic_jobs():
        key = period_key(job, now)
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(key=key)
                _task(job.task_path).enqueue()  # same transaction: claimed and queued together, or neither
        except IntegrityError:
            continue  # another scheduler took this period
        claimed.append(key)
    ScheduledRun.objects.filter(created_at__lt=now - KEEP_RUNS).delete()
    return claimed


class Command(BaseCommand):
    help = "Enqueue periodic jobs (feeds, mailbox) for the db_worker; runs until SIGTERM/SIGINT."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one round and exit (tests, cron).")
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between rounds (default 30).")

    def handle(self, *, once: bool, interval: float, **options):
        if once:
            self._report(tick())
            return
        stop = threading.Event()

        def request_stop(signum, frame):
            self.stdout.write(f"scheduler: {signal.Signals(signum).name}, stopping")
            stop.set()

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        names = ", ".join(f"{job.name} every {job.minutes} min" for job in periodic_jobs()) or "nothing"
        self.stdout.write(f"scheduler: {names}; checking every {interval:g} s")
        try:
            while not stop.is_set():
                close_old_connections()
                try:
                    self._report(tick())
                except Exception as exc:  # a database hiccup must not stop the scheduler
                    self.stderr.write(f"scheduler: round failed: {type(exc).__name__}: {exc}")
                close_old_connections()
                stop.wait(interval)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _report(self, keys: list[str]) -> None:
        for key in keys:
            self.stdout.write(f"scheduler: enqueued {key}")
