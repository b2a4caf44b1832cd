"""`make bench`: import and reading-page figures, written to docs/BENCHMARKS.md.

Runs against a throwaway SQLite database in a temporary data dir. Timings on shared machines are
noisy, so the report gives medians over repeated runs and, for the page, a ratio against Django
serving the same bytes as a static file in the same process (same middleware, same client).
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DIGEST_DATA_DIR"] = tempfile.mkdtemp(prefix="digest-bench-")
os.environ.pop("DATABASE_URL", None)
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digest_site.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import path  # noqa: E402

from articles.models import Issue  # noqa: E402
from articles.services.importing import import_files  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
RUNS = 7
PAGE_GETS = 200


def corpus() -> tuple[str, list[tuple[str, bytes]]]:
    folder = SEEDS if SEEDS.is_dir() else ROOT / "samples"
    return str(folder.relative_to(ROOT.parent) if SEEDS.is_dir() else "samples/"), [
        (p.name, p.read_bytes()) for p in sorted(folder.iterdir()) if p.is_file()
    ]


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    call_command("migrate", verbosity=0)
    source, files = corpus()
    total_bytes = sum(len(raw) for _, raw in files)

    import_times = []
    for _ in range(RUNS):
        Issue.objects.all().delete()
        import_times.append(timed(lambda: import_files(files)))
    unchanged_times = [timed(lambda: import_files(files)) for _ in range(RUNS)]

    user = get_user_model().objects.create_user("bench", password="bench-pass-123")
    client = Client()
    client.force_login(user)
    issue = Issue.objects.order_by("-number").first()
    url = issue.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    html = response.content
    static_dir = Path(settings.DATA_DIR) / "bench-static"
    static_dir.mkdir(exist_ok=True)
    (static_dir / "page.html").write_bytes(html)

    from django.views.static import serve

    from digest_site import urls

    urls.urlpatterns.append(path("bench-static/<path:path>", serve, {"document_root": static_dir}))
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    assert client.get("/bench-static/page.html").status_code == 200
    page_times = [timed(lambda: client.get(url)) for _ in range(PAGE_GETS)]
    static_times = [timed(lambda: client.get("/bench-static/page.html")) for _ in range(PAGE_GETS)]

    med = statistics.median
    p95 = lambda xs: sorted(xs)[int(len(xs) * 0.95) - 1]  # noqa: E731
    report = f"""# Benchmarks

Written by `make bench` (`bench/run.py`) on {time.strftime('%Y-%m-%d')}; Python {platform.python_version()},
SQLite {connection.Database.sqlite_version}, {os.cpu_count()} CPUs. Machines here are shared and noisy:
compare the ratios measured within one run, not absolute times across runs.

## Import

{len(files)} files from `{source}` ({total_bytes:,} bytes), fresh import into an empty SQLite
database (one transaction per file), median of {RUNS} runs:

| what | median | min |
| --- | --- | --- |
| import all {len(files)} files (created) | {med(import_times) * 1000:.0f} ms | {min(import_times) * 1000:.0f} ms |
| import them again (unchanged) | {med(unchanged_times) * 1000:.0f} ms | {min(unchanged_times) * 1000:.0f} ms |

## Reading page

`{url}` ({len(html):,} bytes of HTML, {issue.sections.count()} sections), {len(queries)} SQL queries
per request for a reader without a team (constant whatever the issue's size), {PAGE_GETS} GETs through
Django's test client, against the same bytes served by `django.views.static.serve` in the same
process:

| what | median | p95 |
| --- | --- | --- |
| issue page | {med(page_times) * 1000:.2f} ms | {p95(page_times) * 1000:.2f} ms |
| same bytes, static | {med(static_times) * 1000:.2f} ms | {p95(static_times) * 1000:.2f} ms |
| ratio page / static | {med(page_times) / med(static_times):.1f}× | |
"""
    out = ROOT / "docs" / "BENCHMARKS.md"
    out.write_text(report)
    print(report)


if __name__ == "__main__":
    main()
