"""Site backup restore drill: `manage.py backup` while another process writes, `manage.py restore`
into a fresh database, then integrity, migrations, row counts and a rendered page.

Everything runs through manage.py in subprocesses against a file-backed database in a temporary
data dir (SQLite), or scratch databases on the same server when DATABASE_URL is PostgreSQL.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))

COUNT_ROWS = """
import json
from django.contrib.auth.models import Group, User
from articles.models import Issue, Paragraph, Section
print(json.dumps({"issues": Issue.objects.count(), "sections": Section.objects.count(),
    "paragraphs": Paragraph.objects.count(), "users": User.objects.count(),
    "groups": sorted(Group.objects.values_list("pk", flat=True))}))
"""

# Commits one row at a time and prints each acknowledged id, until the stop file appears.
WRITER = """
import os, sys
from django.contrib.auth.models import Group
stop = os.environ["DRILL_STOP_FILE"]
i = 0
while not os.path.exists(stop):
    i += 1
    print(Group.objects.create(name=f"drill-{i}").pk, flush=True)
"""

RENDER = """
from django.contrib.auth.models import User
from django.test import Client
from articles.models import Issue
client = Client(HTTP_HOST="localhost")
client.force_login(User.objects.get(username="drill"))
issue = Issue.objects.order_by("pk").first()
listing = client.get("/")
detail = client.get(issue.get_absolute_url())
assert listing.status_code == 200 and issue.title in listing.content.decode(), listing.status_code
assert detail.status_code == 200 and issue.title in detail.content.decode(), detail.status_code
print("rendered", issue.title)
"""


def _pg_scratch_databases(names: list[str]):
    """Create (and later drop) scratch databases on the DATABASE_URL server; their URLs."""
    import dj_database_url
    import psycopg

    base = dj_database_url.parse(os.environ["DATABASE_URL"])
    conninfo = dict(host=base["HOST"] or None, port=base["PORT"] or None, user=base["USER"] or None,
                    password=base["PASSWORD"] or None, dbname="postgres", autocommit=True)
    with psycopg.connect(**conninfo) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    auth = base["USER"] + (f":{base['PASSWORD']}" if base["PASSWORD"] else "")
    urls = [f"postgres://{auth}@{base['HOST']}:{base['PORT']}/{name}" for name in names]

    def drop():
        with psycopg.connect(**conninfo) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urls, drop


class Site:
    """One Digest installation: a data dir and a database, driven through manage.py."""

    def __init__(self, data_dir: Path, database_url: str = ""):
        self.env = {k: v for k, v in os.environ.items() if k not in {"DIGEST_ENV", "DEBUG"}}
        self.env.update(DIGEST_DATA_DIR=str(data_dir), DATABASE_URL=database_url,
                        DJANGO_SETTINGS_MODULE="digest_site.settings")
        self.data_dir = data_dir

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env,
                                capture_output=True, text=True, timeout=120)
        if check:
            assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
        return result

    def shell(self, code: str) -> str:
        return self.run("shell", "-c", code).stdout

    def popen(self, *args: str, **env: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env={**self.env, **env},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def counts(self) -> dict:
        return json.loads(self.shell(COUNT_ROWS).strip().splitlines()[-1])


@pytest.fixture
def two_sites(tmp_path):
    """A site to back up and an empty one to restore into (scratch PostgreSQL databases when the
    suite runs on PostgreSQL)."""
    if not POSTGRES:
        yield Site(tmp_path / "live"), Site(tmp_path / "restored")
        return
    suffix = uuid.uuid4().hex[:8]
    urls, drop = _pg_scratch_databases([f"drill_live_{suffix}", f"drill_restored_{suffix}"])
    try:
        yield Site(tmp_path / "live", urls[0]), Site(tmp_path / "restored", urls[1])
    finally:
        drop()


def test_restore_drill_backup_while_writing(two_sites, tmp_path):
    live, fresh = two_sites
    live.run("migrate", "--noinput")
    live.run("import_newsletters", "samples")
    live.shell("from django.contrib.auth.models import User; "
               "User.objects.create_superuser('drill', 'drill@example.org', 'drill-pass-5931')")
    before = live.counts()
    assert before["issues"] >= 7 and before["paragraphs"] > 0

    # A writer commits rows one by one; the backup starts once it has acknowledged some.
    stop_file = tmp_path / "stop-writer"
    writer = live.popen("shell", "-c", WRITER, DRILL_STOP_FILE=str(stop_file))
    acked: list[int] = []

    def read_acks():
        acked.extend(int(line) for line in writer.stdout if line.strip().isdigit())

    reader = threading.Thread(target=read_acks, daemon=True)
    reader.start()
    deadline = time.monotonic() + 30
    while len(acked) < 20 and time.monotonic() < deadline and writer.poll() is None:
        time.sleep(0.05)
    assert len(acked) >= 20, writer.stderr.read() if writer.poll() is not None else "writer too slow"
    acked_before_backup = list(acked)
    started = time.monotonic()
    backup = live.run("backup", "--output", str(tmp_path / "backups" / "drill"), "--keep", "3")
    backup_seconds = time.monotonic() - started
    acked_after_backup = len(acked)
    stop_file.touch()
    writer.wait(timeout=30)
    reader.join(timeout=10)
    assert writer.returncode == 0, writer.stderr.read()
    assert acked_after_backup > len(acked_before_backup), "no write happened during the backup"

    path = Path(backup.stdout.strip().splitlines()[-1])
    assert path.is_file() and path.parent == tmp_path / "backups"
    print(f"backup of the demo database: {path.stat().st_size} bytes in {backup_seconds:.2f} s")

    # Restore into a fresh installation; a second restore without --force is refused.
    restored = fresh.run("restore", str(path))
    assert "restored" in restored.stdout
    refused = fresh.run("restore", str(path), check=False)
    assert refused.returncode != 0 and "not empty" in refused.stderr

    if not POSTGRES:
        with sqlite3.connect(fresh.data_dir / "digest.sqlite3") as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    fresh.run("migrate", "--check")
    fresh.run("check")

    after = fresh.counts()
    for key in ("issues", "sections", "paragraphs", "users"):
        assert after[key] == before[key], key
    # Every write acknowledged before the backup started is in it; what came later is a
    # consistent prefix of the writer's rows (a snapshot, not a torn copy).
    groups = after["groups"]
    assert set(acked_before_backup) <= set(groups)
    assert groups == acked[: len(groups)]

    assert "rendered" in fresh.shell(RENDER)


def test_restore_refuses_a_file_of_the_other_engine(tmp_path):
    site = Site(tmp_path / "site", os.environ.get("DATABASE_URL", ""))
    other = tmp_path / "other"
    if POSTGRES:
        with sqlite3.connect(other) as db:
            db.execute("CREATE TABLE t (x)")
        expected = "is a sqlite backup; this Digest uses postgresql"
    else:
        other.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 64)
        expected = "is a postgresql backup; this Digest uses sqlite"
    result = site.run("restore", str(other), check=False)
    assert result.returncode != 0 and expected in result.stderr
    junk = tmp_path / "junk"
    junk.write_bytes(b"hello")
    result = site.run("restore", str(junk), check=False)
    assert result.returncode != 0 and "neither a SQLite database nor a pg_dump" in result.stderr


def test_backup_keep_deletes_older_backups_of_the_folder(tmp_path):
    if POSTGRES:
        pytest.skip("retention is engine-independent; the SQLite run covers it")
    site = Site(tmp_path / "site")
    site.run("migrate", "--noinput")
    folder = tmp_path / "site" / "backups"
    folder.mkdir()
    for age, name in enumerate(["digest-sqlite-20240103T000000Z", "digest-sqlite-20240102T000000Z",
                                "digest-sqlite-20240101T000000Z"]):
        old = folder / f"{name}.sqlite3"
        old.write_bytes(b"SQLite format 3\x00")
        os.utime(old, (time.time() - 1000 * (age + 1),) * 2)
    (folder / "notes.txt").write_text("not a backup")
    written = Path(site.run("backup", "--keep", "2").stdout.strip().splitlines()[-1])
    assert written.parent == folder and written.name.startswith("digest-sqlite-")
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [written.name, "digest-sqlite-20240103T000000Z.sqlite3", "notes.txt"]
    )
