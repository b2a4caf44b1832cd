"""run_scheduler: one enqueue per job and period, however many schedulers run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from articles.management.commands import run_scheduler
from articles.models import ScheduledRun

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def _without_database_url() -> dict[str, str]:
    """The environment for a child ``manage.py``: SQLite in a temporary DIGEST_DATA_DIR, never the
    database DATABASE_URL names (CI's PostgreSQL run)."""
    return {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}


def _queued() -> list[str]:
    return sorted(DBTaskResult.objects.values_list("task_path", flat=True))


def test_once_twice_in_the_same_period_enqueues_once(settings, capsys):
    settings.DIGEST_IMAP_HOST = ""
    call_command("run_scheduler", once=True)
    call_command("run_scheduler", once=True)
    assert _queued() == ["articles.tasks.feeds_fetch_all"]
    assert [key.split(":", 1)[0] for key in ScheduledRun.objects.values_list("key", flat=True)] == ["feeds"]
    assert capsys.readouterr().out.count("scheduler: enqueued feeds:") == 1


def test_mail_is_scheduled_only_when_a_mailbox_is_configured(settings):
    settings.DIGEST_IMAP_HOST = "imap.example.org"
    call_command("run_scheduler", once=True)
    call_command("run_scheduler", once=True)
    assert _queued() == ["articles.tasks.feeds_fetch_all", "articles.tasks.mail_fetch"]


def test_period_keys_and_next_period(settings):
    settings.DIGEST_FEED_INTERVAL_MINUTES = 30
    settings.DIGEST_IMAP_HOST = ""
    job = run_scheduler.periodic_jobs()[0]
    at = datetime(2026, 12, 2, 15, 44, 10, tzinfo=UTC)
    assert run_scheduler.period_key(job, at) == "feeds:2026-12-02T15:30:00+00:00"
    assert run_scheduler.tick(at) == ["feeds:2026-12-02T15:30:00+00:00"]
    assert run_scheduler.tick(at + timedelta(minutes=10)) == []  # 15:54, same period
    assert run_scheduler.tick(at + timedelta(minutes=16)) == ["feeds:2026-12-02T16:00:00+00:00"]
    assert DBTaskResult.objects.count() == 2


def test_old_runs_are_pruned(settings):
    settings.DIGEST_IMAP_HOST = ""
    old = ScheduledRun.objects.create(key="feeds:2026-01-01T00:00:00+00:00")
    ScheduledRun.objects.filter(pk=old.pk).update(created_at=datetime.now(tz=UTC) - timedelta(days=8))
    run_scheduler.tick()
    assert not ScheduledRun.objects.filter(pk=old.pk).exists() and ScheduledRun.objects.count() == 1


def test_sigterm_stops_the_loop(tmp_path):
    """The real command in its own process: it runs a round, then SIGTERM ends it cleanly."""
    env = {**_without_database_url(), "DIGEST_DATA_DIR": str(tmp_path), "DIGEST_IMAP_HOST": ""}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "run_scheduler", "--interval", "0.2"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 20
        lines = []
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            if "enqueued feeds:" in line:
                break
        assert any("enqueued feeds:" in line for line in lines), lines
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        assert "SIGTERM, stopping" in proc.stdout.read()
    finally:
        if proc.poll() is None:
            proc.kill()
