"""Several processes on one database: two workers never run the same job twice, and two processes
importing the same files at once never duplicate an issue.

Everything runs as real processes started the way users start them (``manage.py db_worker``,
``manage.py import_newsletters``) against a database of their own: a SQLite file in a temporary
data folder, or — in CI's PostgreSQL run — a fresh PostgreSQL database on the same server,
dropped afterwards. The test database pytest-django uses is never touched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.job_samples import sample_files

ROOT = Path(__file__).resolve().parent.parent
JOBS = 12


def _manage(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, **kwargs
    )


@pytest.fixture
def own_database(tmp_path):
    """Environment variables for processes using a database of their own (SQLite file or a new
    PostgreSQL database when the suite runs on PostgreSQL)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env["DIGEST_DATA_DIR"] = str(tmp_path / "data")
    default = settings.DATABASES["default"]
    if default["ENGINE"] != "django.db.backends.postgresql":
        yield env
        return
    import psycopg

    name = f"digest_multi_{uuid.uuid4().hex[:10]}"
    server = {"host": default["HOST"], "port": default["PORT"] or 5432, "user": default["USER"],
              "password": default["PASSWORD"], "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**server) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    password = f":{default['PASSWORD']}" if default["PASSWORD"] else ""
    env["DATABASE_URL"] = f"postgres://{default['USER']}{password}@{default['HOST']}:{server['port']}/{name}"
    try:
        yield env
    finally:
        with psycopg.connect(**server) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


QUEUE_JOBS = f"""
from django.contrib.auth import get_user_model
from articles.services.jobs import import_job_create
from tests.job_samples import sample_files
staff = get_user_model().objects.create_user("multi-staff", is_staff=True)
files = sample_files({JOBS})
for name, data in files:
    import_job_create(user=staff, files=[(name, data)])
"""

REPORT = """
import json
from django.db.models import Count
from django_tasks_db.models import DBTaskResult
from articles.models import ImportJob, Issue
print(json.dumps({
    "tasks": sorted(DBTaskResult.objects.values_list("status", flat=True)),
    "task_ids_per_job": sorted(DBTaskResult.objects.values("args_kwargs").annotate(n=Count("id")).values_list("n", flat=True)),
    "runs_per_task": sorted(len(ids) for ids in DBTaskResult.objects.values_list("worker_ids", flat=True)),
    "workers": sorted({i for ids in DBTaskResult.objects.values_list("worker_ids", flat=True) for i in ids}),
    "jobs": sorted(ImportJob.objects.filter(kind="upload").values_list("status", "done", "total")),
    "issues": Issue.objects.count(),
    "distinct_hashes": Issue.objects.values("source_sha256").distinct().count(),
}))
"""


def test_two_workers_and_two_importers_share_one_database(own_database, tmp_path):
    env = own_database
    migrated = _manage(env, "migrate", "--noinput", "-v0")
    assert migrated.returncode == 0, migrated.stderr
    queued = _manage(env, "shell", "-c", QUEUE_JOBS)
    assert queued.returncode == 0, queued.stderr

    folder = tmp_path / "same-files"
    folder.mkdir()
    for name, data in sample_files(JOBS):  # the very files the jobs hold: the importers race them too
        (folder / name).write_bytes(data)
    workers = [
        subprocess.Popen([sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay",
                          "--worker-id", f"worker-{n}"], cwd=ROOT, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for n in (1, 2)
    ]
    importers = [
        subprocess.Popen([sys.executable, "manage.py", "import_newsletters", str(folder)], cwd=ROOT, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in (1, 2)
    ]
    outputs = [process.communicate(timeout=180)[0] for process in workers + importers]
    assert [process.returncode for process in workers] == [0, 0], outputs[:2]
    # An importer may lose a race for an item (a unique constraint); it reports that item as a
    # retryable failure and never writes a duplicate. Importing once more settles it.
    again = _manage(env, "import_newsletters", str(folder))
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.count(": unchanged") == JOBS, again.stdout

    report = json.loads(_manage(env, "shell", "-c", REPORT).stdout.strip().splitlines()[-1])
    assert report["tasks"] == ["SUCCESSFUL"] * JOBS  # every job ran, none failed
    assert report["task_ids_per_job"] == [1] * JOBS  # one task per job: none enqueued twice
    assert report["runs_per_task"] == [1] * JOBS  # each picked up by exactly one worker
    assert report["jobs"] == [["done", 1, 1]] * JOBS
    assert report["issues"] == report["distinct_hashes"] == JOBS  # no issue imported twice
