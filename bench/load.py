"""`make bench`: 50 team members at once on one issue and one paragraph, against the app served
the way production serves it (gunicorn, 2 workers, DIGEST_ENV=production), on loopback.

For each database (a SQLite file in a temporary data dir; PostgreSQL too when DATABASE_URL is set
or --postgres URL is given, in a fresh database created on that server and dropped afterwards):
migrate, collectstatic, import samples/, a team of 50 (logged in through /accounts/login/), then
locust headless (bench/locustfile.py) for --duration seconds. Afterwards every acknowledged write
is counted in the database (bench/load_db.py) and the gunicorn log searched for server errors and
"database is locked". Exit status 1 on any error, "database is locked" or lost write.
``--write-docs`` writes the figures into docs/BENCHMARKS.md (its "Load" section).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import csv
import datetime
import hashlib
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
USERS = 50
SPAWN_RATE = 10
KINDS = ["read issue", "read notes panel", "read thread", "highlight", "note", "comment", "reply"]
WRITES = {"highlight", "note", "comment", "reply"}


@dataclass
class LoadResult:
    database: str
    duration: int
    users: int
    login_seconds: float = 0.0
    load_average: tuple[float, float] = (0.0, 0.0)  # the machine's 1-minute load before and after the run
    stats: dict[str, dict] = field(default_factory=dict)  # request name -> count, failures, rps, p50, p95
    failures: list[str] = field(default_factory=list)  # locust's failures and exceptions
    server_errors: list[str] = field(default_factory=list)  # 5xx in the access log, tracebacks
    locked: int = 0  # "database is locked" in the gunicorn log
    report: dict = field(default_factory=dict)  # bench/load_db.py verify

    @property
    def errors(self) -> int:
        failed = sum(int(s["failures"]) for s in self.stats.values())
        return failed + len(self.server_errors) + (0 if failed else len(self.failures))

    @property
    def lost(self) -> int:
        return sum(self.report.get("lost", {}).values()) + sum(self.report.get("duplicated", {}).values())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(env: dict, *args: str, timeout: int = 300) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@contextlib.contextmanager
def postgres_database(url: str) -> Iterator[str]:
    """A new, empty database on the server of ``url``; its URL; dropped afterwards."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"digest_load_{uuid.uuid4().hex[:10]}"
    server = {"host": parts.hostname, "port": parts.port or 5432, "user": urllib.parse.unquote(parts.username or ""),
              "password": urllib.parse.unquote(parts.password or ""), "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**server) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(**server) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(data_dir: Path, database_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG"}}
    env.update({
        "DIGEST_DATA_DIR": str(data_dir), "DIGEST_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1", "SECURE_COOKIES": "false",  # plain http on loopback
        "DJANGO_SETTINGS_MODULE": "digest_site.settings",
        "DIGEST_LOGIN_FAILURE_LIMIT": "10",
    })
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _static_key() -> str:
    """What collectstatic's output depends on: our static files and the packages that ship some."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"{version('Django')} {version('whitenoise')} {version('django-axes')}".encode())
    for path in sorted((ROOT / "static").rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def collect_static(env: dict, cache: Path) -> tuple[subprocess.Popen, Path] | None:
    """Start `collectstatic` for ``cache``, shared by runs (WhiteNoise compresses every admin file:
    ten seconds) unless it is there already; the process to wait for and where it collects."""
    if cache.is_dir():
        return None
    staging = Path(tempfile.mkdtemp(prefix="digest-load-static-"))
    process = subprocess.Popen([str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
                               env={**env, "DIGEST_DATA_DIR": str(staging)}, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    return process, staging / "staticfiles"


def prepare(env: dict, work: Path, *, users: int, form_logins: int) -> Path:
    """Collect static files, and meanwhile migrate, import samples/ and create the team; the plan."""
    cache = Path(tempfile.gettempdir()) / f"digest-load-static-{_static_key()}"
    collecting = collect_static(env, cache)
    plan = work / "plan.json"
    try:
        _run(env, str(BIN / "python"), "-m", "bench.load_db", "setup", str(plan), str(users), str(form_logins))
    finally:
        if collecting is not None:
            output = collecting[0].communicate(timeout=300)[0]
    if collecting is not None:
        if collecting[0].returncode != 0:
            raise RuntimeError(f"collectstatic failed:\n{output}")
        with contextlib.suppress(OSError):  # another run may have filled the cache meanwhile
            collecting[1].rename(cache)
        shutil.rmtree(collecting[1].parent, ignore_errors=True)
        for stale in Path(tempfile.gettempdir()).glob("digest-load-static-*"):  # from older files, over an hour old
            if (stale != cache and re.fullmatch(r"digest-load-static-[0-9a-f]{16}", stale.name)
                    and time.time() - stale.stat().st_mtime > 3600):
                shutil.rmtree(stale, ignore_errors=True)
    static_root = Path(env["DIGEST_DATA_DIR"]) / "staticfiles"
    shutil.rmtree(static_root, ignore_errors=True)
    shutil.copytree(cache, static_root)
    return plan


@contextlib.contextmanager
def gunicorn(env: dict, work: Path, port: int) -> Iterator[Path]:
    """`gunicorn digest_site.wsgi -w 2` on 127.0.0.1:``port``; yields the log file (errors and
    Django's console logging; the access log is beside it)."""
    log = work / "gunicorn.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "digest_site.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "60",
             "--access-logfile", str(work / "access.log"),
             "--access-logformat", '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{log.read_text()}")
            time.sleep(0.1)
        yield log
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def form_login(host: str, account: dict) -> str:
    """Log in through /accounts/login/ as a person does; the session cookie."""
    import requests  # locust's dependency; imported here so importing this module needs nothing

    with requests.Session() as session:
        page = session.get(f"{host}/accounts/login/", timeout=60)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = session.post(
            f"{host}/accounts/login/",
            {"username": account["username"], "password": account["password"], "csrfmiddlewaretoken": token},
            headers={"Referer": f"{host}/accounts/login/"}, allow_redirects=False, timeout=60,
        )
        if response.status_code != 302 or "sessionid" not in session.cookies:
            raise RuntimeError(f"{account['username']} could not log in: HTTP {response.status_code}")
        return session.cookies["sessionid"]


def login_all(host: str, plan: Path) -> float:
    """Log in every account without a session (two at a time: one per gunicorn worker)."""
    data = json.loads(plan.read_text())
    todo = [a for a in data["accounts"] if not a["sessionid"]]
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for account, sessionid in zip(todo, pool.map(lambda a: form_login(host, a), todo), strict=True):
            account["sessionid"] = sessionid
    plan.write_text(json.dumps(data))
    return time.perf_counter() - start


def run_locust(host: str, plan: Path, work: Path, *, duration: int, users: int) -> tuple[dict, list[str]]:
    env = {**os.environ, "LOAD_PLAN": str(plan), "LOAD_ACKS": str(work / "acks.json")}
    done = subprocess.run(
        [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(users),
         "-r", str(SPAWN_RATE), "-t", f"{duration}s", "--stop-timeout", "30", "--host", host,
         "--csv", str(work / "locust"), "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"],
        cwd=work, env=env, capture_output=True, text=True, timeout=duration + 120,
    )
    if done.returncode != 0 or not (work / "acks.json").exists():
        raise RuntimeError(f"locust failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    stats = {}
    with open(work / "locust_stats.csv") as f:
        for row in csv.DictReader(f):
            if row["Name"] != "Aggregated":
                stats[row["Name"]] = {
                    "count": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                    "rps": float(row["Requests/s"]), "p50": float(row["50%"]), "p95": float(row["95%"]),
                }
    failures = []
    for name in ("locust_failures.csv", "locust_exceptions.csv"):
        with open(work / name) as f:
            failures += [", ".join(row.values()) for row in csv.DictReader(f)]
    return stats, failures


def scan_logs(log: Path, access: Path) -> tuple[list[str], int]:
    """Server errors (5xx in the access log, tracebacks and ERROR lines) and "database is locked"."""
    text = log.read_text(errors="replace")
    errors = [line for line in text.splitlines() if "Traceback" in line or " ERROR " in line]
    errors += [line for line in access.read_text(errors="replace").splitlines() if re.search(r'" 5\d\d ', line)]
    return errors, text.count("database is locked")


def run_load(*, database_url: str | None = None, duration: int = 60, users: int = USERS,
             form_logins: int = USERS, work: Path | None = None) -> LoadResult:
    """The whole scenario on one database (a new SQLite file unless ``database_url``)."""
    work = Path(work or tempfile.mkdtemp(prefix="digest-load-"))
    env = server_env(work / "data", database_url)
    result = LoadResult(database="PostgreSQL" if database_url else "SQLite", duration=duration, users=users)
    plan = prepare(env, work, users=users, form_logins=form_logins)
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    with gunicorn(env, work, port) as log:
        result.login_seconds = login_all(host, plan)
        before = os.getloadavg()[0]
        result.stats, result.failures = run_locust(host, plan, work, duration=duration, users=users)
        result.load_average = (before, os.getloadavg()[0])
    result.server_errors, result.locked = scan_logs(log, work / "access.log")
    report = work / "report.json"
    _run(env, str(BIN / "python"), "-m", "bench.load_db", "verify", str(work / "acks.json"), str(report))
    result.report = json.loads(report.read_text())
    return result


def summary(result: LoadResult) -> str:
    lines = [f"{result.database}: {result.users} users, {result.duration} s, log-in of all users "
             f"{result.login_seconds:.1f} s before the run; load average {result.load_average[0]:.1f} "
             f"before, {result.load_average[1]:.1f} after"]
    for name in KINDS:
        if name in result.stats:
            s = result.stats[name]
            lines.append(f"  {name:<17} {s['count']:>6} requests {s['rps']:>7.1f}/s  p50 {s['p50']:>5.0f} ms  "
                         f"p95 {s['p95']:>5.0f} ms  failures {s['failures']}")
    r = result.report
    lines.append(f"  acknowledged writes: {dict(r.get('acknowledged', {}))}; rows: {r.get('rows')}; "
                 f"highlight repeats (same author and range): {r.get('highlight_repeats')}")
    lines.append(f"  lost: {r.get('lost')}; duplicated: {r.get('duplicated')}; "
                 f"written but not acknowledged: {r.get('unacknowledged_rows')}")
    lines.append(f"  errors: {result.errors}; \"database is locked\": {result.locked}")
    lines += [f"  ! {line}" for line in (result.failures + result.server_errors)[:20]]
    return "\n".join(lines)


def markdown(results: list[LoadResult]) -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    out = [
        "",
        "## Load: 50 members on one paragraph (`bench/load.py`)",
        "",
        f"Measured {datetime.date.today().isoformat()} on {os.cpu_count()} cores ({cpu}), Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}. gunicorn with 2 sync workers "
        "(`DIGEST_ENV=production`, loopback, no TLS proxy); locust headless, "
        f"{results[0].users} users spawned at {SPAWN_RATE}/s, each waiting 0.2–1 s between requests; every user "
        "reads the same issue and highlights, notes and comments/replies on the same paragraph and story thread "
        "(each user's second highlight, and then one in four, repeats a range they highlighted before, with a new "
        "note, tags and colour). "
        "Each member logged in through /accounts/login/ before the timed run.",
        "",
        "| database | request | requests | req/s | p50 ms | p95 ms | failures |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        for name in KINDS:
            if name in result.stats:
                s = result.stats[name]
                out.append(f"| {result.database} | {name} | {s['count']} | {s['rps']:.1f} | {s['p50']:.0f} | "
                           f"{s['p95']:.0f} | {s['failures']} |")
    out += ["", "| database | duration | acknowledged writes | of which repeated highlights | lost | duplicated | errors "
            "| \"database is locked\" | load average before/after |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for result in results:
        acked = sum(result.report.get("acknowledged", {}).values())
        out.append(f"| {result.database} | {result.duration} s | {acked} | {result.report.get('highlight_repeats')} | "
                   f"{result.lost} | {sum(result.report.get('duplicated', {}).values())} | {result.errors} | "
                   f"{result.locked} | {result.load_average[0]:.1f} / {result.load_average[1]:.1f} |")
    out += ["", "Lost = an acknowledged (2xx) note or comment whose marker is not in the database, or a highlight "
            "whose author and range do not hold the note, tags and colour of the last acknowledged submit; counted "
            "over every acknowledged write, not sampled. `make bench` re-runs this (`python bench/load.py "
            "--write-docs` replaces this section).", ""]
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load per database (default 60)")
    parser.add_argument("--users", type=int, default=USERS)
    parser.add_argument("--postgres", metavar="URL", default=os.environ.get("DATABASE_URL", "").strip() or None,
                        help="also run on PostgreSQL (a new database on this server); default: $DATABASE_URL")
    parser.add_argument("--write-docs", action="store_true", help="write the figures into docs/BENCHMARKS.md (section \"Load\")")
    args = parser.parse_args()
    if args.postgres and not args.postgres.startswith("postgres"):
        args.postgres = None  # DATABASE_URL=sqlite:///… : SQLite only
    results = [run_load(duration=args.duration, users=args.users, form_logins=args.users)]
    print(summary(results[-1]), flush=True)
    if args.postgres:
        with postgres_database(args.postgres) as url:
            results.append(run_load(database_url=url, duration=args.duration, users=args.users, form_logins=args.users))
        print(summary(results[-1]), flush=True)
    if args.write_docs:  # replaces this section (the other bench scripts keep theirs)
        out = ROOT / "docs" / "BENCHMARKS.md"
        text = out.read_text() if out.exists() else "# Benchmarks\n"
        text = re.sub(r"\n## Load: .*?(?=\n## |\Z)", "", text, flags=re.S).rstrip() + "\n" + markdown(results)
        out.write_text(text)
    return 0 if all(r.errors == 0 and r.lost == 0 and r.locked == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
