"""The load test of `make bench` (bench/load.py), shortened for CI: 50 members reading,
highlighting, noting and replying on one paragraph for 15 s against gunicorn with 2 workers.
Only correctness is asserted — no failed request, no server error, no "database is locked", and
every acknowledged write counted in the database — never the speed of this machine.

It runs on the suite's database engine: a SQLite file in a temporary data dir, or — in CI's
PostgreSQL run — a fresh PostgreSQL database on the same server, dropped afterwards. The test
database pytest-django uses is never touched.
"""

from __future__ import annotations

from django.conf import settings

from bench.load import postgres_database, run_load, summary

DURATION = 15
FORM_LOGINS = 2  # the others get their session from the test client (a form log-in costs 0.5 s of PBKDF2)


def _postgres_url() -> str:
    default = settings.DATABASES["default"]
    password = f":{default['PASSWORD']}" if default["PASSWORD"] else ""
    return f"postgres://{default['USER']}{password}@{default['HOST']}:{default['PORT'] or 5432}/postgres"


def test_fifty_members_on_one_paragraph_lose_nothing(tmp_path):
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        with postgres_database(_postgres_url()) as url:
            result = run_load(database_url=url, duration=DURATION, form_logins=FORM_LOGINS, work=tmp_path)
    else:
        result = run_load(duration=DURATION, form_logins=FORM_LOGINS, work=tmp_path)
    report = summary(result)
    writes = result.report["acknowledged"]
    assert all(writes.get(kind, 0) > 0 for kind in ("highlight", "note", "reply")), report  # the scenario ran
    assert result.report["highlight_repeats"] > 0, report  # double submits happened
    assert result.failures == [] and result.server_errors == [], report
    assert all(s["failures"] == 0 for s in result.stats.values()), report
    assert result.locked == 0, report
    assert result.report["lost"] == {"note": 0, "reply": 0, "highlight": 0}, report
    assert result.report["duplicated"] == {"note": 0, "reply": 0, "highlight": 0}, report

