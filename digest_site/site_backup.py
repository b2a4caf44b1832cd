"""Whole-site backup and restore of the database (``manage.py backup`` / ``manage.py restore``).

SQLite is copied with its online backup API — a consistent snapshot taken while Digest serves,
never a file copy (a WAL database is not in its file alone). PostgreSQL is dumped with
``pg_dump --format=custom`` and restored with ``pg_restore``. A file says which engine wrote it
(SQLite's header or pg_dump's ``PGDMP``), and a restore refuses a file of the other engine.
"""

from __future__ import annotations

import datetime
import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
EXTENSIONS = {"sqlite": "sqlite3", "postgresql": "pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason for the operator."""


def engine_kind(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in EXTENSIONS:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def default_folder() -> Path:
    return Path(settings.DATA_DIR) / "backups"


def default_path(kind: str, folder: Path | None = None) -> Path:
    """``<folder>/digest-<engine>-<UTC timestamp>.<ext>``, never an existing file."""
    folder = folder or default_folder()
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"digest-{kind}-{stamp}.{EXTENSIONS[kind]}"
    n = 1
    while path.exists():
        path = folder / f"digest-{kind}-{stamp}-{n}.{EXTENSIONS[kind]}"
        n += 1
    return path


def file_kind(path: Path) -> str:
    """Which engine wrote ``path``: "sqlite" or "postgresql" (by its first bytes)."""
    with open(path, "rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is neither a SQLite database nor a pg_dump custom-format file")


def engine_check(path: Path, alias: str = "default") -> str:
    """The engine of ``path`` if it is this database's; else BackupError."""
    kind, found = engine_kind(alias), file_kind(path)
    if found != kind:
        raise BackupError(f"{path} is a {found} backup; this Digest uses {kind}")
    return kind


def _pg_tool(name: str) -> str:
    """``pg_dump``/``pg_restore`` from PATH, else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if not candidates:
        raise BackupError(f"{name} not found (install the PostgreSQL client tools)")
    return candidates[-1]


def _pg_args_and_env(alias: str = "default") -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES[alias]
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} failed ({result.returncode}): {result.stderr.strip()}")


def backup_create(*, output: Path | None = None, alias: str = "default") -> Path:
    """Write a consistent backup of the database and return its path."""
    kind = engine_kind(alias)
    path = Path(output) if output else default_path(kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    partial.touch(mode=0o600)  # password hashes and private notes: readable by the owner only
    try:
        if kind == "sqlite":
            connection = connections[alias]
            connection.ensure_connection()
            target = sqlite3.connect(partial)
            try:
                # One step (pages=-1): the copy is one read snapshot; in WAL mode writers go on.
                connection.connection.backup(target)
                check = target.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                target.close()
            if check != "ok":
                raise BackupError(f"the backup copy fails its integrity check: {check}")
        else:
            args, env = _pg_args_and_env(alias)
            name = settings.DATABASES[alias]["NAME"]
            _run([_pg_tool("pg_dump"), "--format=custom", "--file", str(partial), *args, name], env)
        partial.chmod(0o600)
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def backups_prune(*, folder: Path, kind: str, keep: int) -> list[Path]:
    """Delete this engine's ``digest-*`` backups in ``folder`` beyond the newest ``keep``."""
    found = sorted(
        folder.glob(f"digest-{kind}-*.{EXTENSIONS[kind]}"), key=lambda p: (p.stat().st_mtime, p.name)
    )
    doomed = found[: max(len(found) - keep, 0)]
    for path in doomed:
        path.unlink()
    return doomed


def database_is_empty(alias: str = "default") -> bool:
    """No issue and no user (a database without Digest's tables is empty too)."""
    from django.contrib.auth import get_user_model

    from articles.models import Issue

    try:
        return not (Issue.objects.using(alias).exists() or get_user_model().objects.using(alias).exists())
    except DatabaseError:
        return True


def backup_restore(*, path: Path, force: bool = False, alias: str = "default") -> None:
    """Replace the database's content by the backup ``path`` (same engine only).

    Refuses a non-empty database unless ``force``. Run it with the web server and the workers
    stopped. The caller migrates and rebuilds the derived data afterwards.
    """
    path = Path(path)
    kind = engine_check(path, alias)
    if not force and not database_is_empty(alias):
        raise BackupError("the database is not empty (it has issues or users); use --force to replace it")
    connection = connections[alias]
    if kind == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} fails SQLite's integrity check")
            connection.close()
            target = sqlite3.connect(settings.DATABASES[alias]["NAME"], timeout=30)
            try:
                # The backup API in reverse: page by page into the live file, through SQLite's own
                # locking and WAL, so no stale -wal/-shm file can outlive the swap.
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
    else:
        args, env = _pg_args_and_env(alias)
        name = settings.DATABASES[alias]["NAME"]
        with connection.cursor() as cursor:
            # Tables the dump does not have (a newer migration) would survive --clean: drop all.
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
        connection.close()
        _run(
            [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
             *args, "--dbname", name, str(path)],
            env,
        )
