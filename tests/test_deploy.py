"""Production settings: `check --deploy` is clean, and the database options hold however the
database is named (each case imports the settings in a fresh interpreter with its environment)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env(tmp_path, **extra):
    # (DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser tests' conftest; a deploy check rightly refuses it)
    unset = {"DATABASE_URL", "DIGEST_ENV", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(DIGEST_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="digest_site.settings", **extra)
    return env


def test_check_deploy_is_clean_in_production(tmp_path):
    env = _env(
        tmp_path, DIGEST_ENV="production", SECRET_KEY=secrets.token_urlsafe(50)[:50],
        ALLOWED_HOSTS="example.org", DATABASE_URL=os.environ.get("DATABASE_URL", ""),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRINT_DATABASES = (
    "import json; from django.conf import settings; d = settings.DATABASES['default'];"
    "print(json.dumps({k: d.get(k) for k in ('ENGINE', 'NAME', 'OPTIONS', 'CONN_MAX_AGE',"
    " 'CONN_HEALTH_CHECKS')}, default=str))"
)


def _databases(tmp_path, database_url: str) -> dict:
    code = "import django; django.setup(); " + PRINT_DATABASES
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=_env(tmp_path, DATABASE_URL=database_url),
        capture_output=True, text=True, timeout=60, check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _assert_sqlite_safe(db: dict) -> None:
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    options = db["OPTIONS"]
    assert "PRAGMA journal_mode=WAL" in options["init_command"]
    assert "PRAGMA synchronous=NORMAL" in options["init_command"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 10


def test_sqlite_default_path_is_wal_immediate(tmp_path):
    db = _databases(tmp_path, "")
    _assert_sqlite_safe(db)
    assert db["NAME"] == str(tmp_path / "digest.sqlite3")


def test_sqlite_url_gets_the_same_options(tmp_path):
    db = _databases(tmp_path, f"sqlite:///{tmp_path}/other.sqlite3")
    _assert_sqlite_safe(db)
    assert db["NAME"] == f"{tmp_path}/other.sqlite3"


def test_sqlite_url_really_opens_in_wal_with_immediate_transactions(tmp_path):
    code = (
        "import django; django.setup(); from django.db import connection;"
        "c = connection.cursor(); print(c.execute('PRAGMA journal_mode').fetchone()[0],"
        " c.execute('PRAGMA busy_timeout').fetchone()[0], c.execute('PRAGMA synchronous').fetchone()[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT,
        env=_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/url.sqlite3"),
        capture_output=True, text=True, timeout=60, check=True,
    )
    assert result.stdout.split() == ["wal", "10000", "1"]  # synchronous 1 = NORMAL


def test_postgres_url_gets_persistent_checked_connections(tmp_path):
    db = _databases(tmp_path, "postgres://digest:secret@db.example:5432/digest")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert db["CONN_MAX_AGE"] == 60
    assert db["CONN_HEALTH_CHECKS"] is True
    assert "transaction_mode" not in (db["OPTIONS"] or {})


def test_proxy_hsts_and_redirect_switches(tmp_path):
    code = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "print(json.dumps([s.SILENCED_SYSTEM_CHECKS, getattr(s, 'SECURE_PROXY_SSL_HEADER', None),"
        " s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT]))"
    )

    def effective(**env):
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(tmp_path, **env),
                                capture_output=True, text=True, timeout=60, check=True)
        return json.loads(result.stdout.strip().splitlines()[-1])

    assert effective() == [["security.W004", "security.W008"], None, 0, False]
    assert effective(DIGEST_BEHIND_TLS_PROXY="true", DIGEST_HSTS_SECONDS="3600", DIGEST_SSL_REDIRECT="true") == [
        [], ["HTTP_X_FORWARDED_PROTO", "https"], 3600, True,
    ]
