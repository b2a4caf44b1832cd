"""`make bench` (pages): the issue list at 1,000 and 10,000 issues and the issue page with
0/100/1,000/5,000 highlights, each as a ratio to its floor measured in the same run: the same HTML
bytes returned by a trivial view through the same middleware stack and the same test client, as a
logged-in team member. Replaces the "## Pages" section of docs/BENCHMARKS.md.

The corpus is bulk-inserted (issues of 6 stories × 4 paragraphs of invented Zipf words); the
highlights are spread over the issue's paragraphs, a quarter of them overlapping another.
``BENCH_PAGES_ISSUES`` (default 10,000) sets the larger library size.
"""

from __future__ import annotations

import datetime
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DIGEST_DATA_DIR"] = tempfile.mkdtemp(prefix="digest-bench-pages-")
os.environ.pop("DATABASE_URL", None)
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digest_site.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Highlight, Issue, IssueRead, Newsletter, Note, Paragraph, Section  # noqa: E402
from tests.factories import team_create  # noqa: E402

SIZES = (1_000, int(os.environ.get("BENCH_PAGES_ISSUES", 10_000)))
ANNOTATIONS = (0, 100, 1_000, 5_000)
SECTIONS, PARAGRAPHS, WORDS = 6, 4, 45  # the annotated issues: 12 × 8
GETS = int(os.environ.get("BENCH_PAGES_GETS", 15))
COLOURS = ("yellow", "green", "blue", "pink")
rng = random.Random(7)
FLOOR_BODY: dict[str, bytes] = {}


def floor_view(request):
    return HttpResponse(FLOOR_BODY["body"], content_type="text/html; charset=utf-8")


def vocabulary(n: int = 4000) -> tuple[list[str], list[float]]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = sorted({"".join(rng.choices(letters, k=rng.randint(2, 9))) for _ in range(n * 2)})[:n]
    cum, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1 / rank
        cum.append(total)
    return words, cum


def add_issues(newsletter: Newsletter, first: int, last: int, vocab, stories: int = 6, paragraphs: int = 4) -> None:
    words, cum = vocab
    base = timezone.now() - datetime.timedelta(days=last)
    for start in range(first, last, 1000):
        with transaction.atomic():
            issues = Issue.objects.bulk_create(
                Issue(newsletter=newsletter, number=n + 1, title=" ".join(rng.choices(words[:400], k=6)).title(),
                      slug=f"bench-{n + 1}", source_name=f"bench-{n + 1}.txt", source_sha256=f"{n:064d}",
                      source_format="importai_text", source_text="", published_at=base + datetime.timedelta(days=n))
                for n in range(start, min(start + 1000, last))
            )
            sections = Section.objects.bulk_create(
                Section(issue=issue, position=s, kind="story", anchor=f"s-{s}",
                        headline=" ".join(rng.choices(words, cum_weights=cum, k=7)).capitalize())
                for issue in issues for s in range(stories)
            )
            Paragraph.objects.bulk_create(
                (Paragraph(section=section, position=p,
                           text=" ".join(rng.choices(words, cum_weights=cum, k=WORDS)).capitalize() + ".")
                 for section in sections for p in range(paragraphs)),
                batch_size=2000,
            )


def add_highlights(issue: Issue, count: int, team, authors) -> None:
    paragraphs = list(Paragraph.objects.filter(section__issue=issue).order_by("section__position", "position"))
    rows, seen = [], set()
    for i in range(count):
        index = i % len(paragraphs)
        paragraph = paragraphs[index]
        author = authors[i % len(authors)]
        n = len(paragraph.text)
        while True:  # one highlight per (author, range): the model's unique constraint
            start = rng.randrange(n - 10)
            end = min(n, start + rng.randint(5, 40))
            if (author.pk, paragraph.pk, start, end) not in seen:
                seen.add((author.pk, paragraph.pk, start, end))
                break
        rows.append(Highlight(
            team=team, author=author, visibility="team", issue=issue, paragraph=paragraph,
            paragraph_index=index, exact=paragraph.text[start:end], start=start, end=end,
            colour=COLOURS[i % len(COLOURS)], is_claim=(i % 10 == 0),
        ))
    Highlight.objects.bulk_create(rows, batch_size=1000)


def measure(client: Client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    FLOOR_BODY["body"] = response.content
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    page, floor = [], []
    for _ in range(GETS):  # interleaved, so both see the same machine
        t = time.perf_counter()
        client.get(url)
        page.append(time.perf_counter() - t)
        t = time.perf_counter()
        client.get("/bench-floor/")
        floor.append(time.perf_counter() - t)
    html = response.content
    return {
        "bytes": len(html), "queries": len(queries), "page": statistics.median(page),
        "floor": statistics.median(floor), "marks": html.count(b"<mark"),
        "mark_bytes": sum(len(m) for m in re.findall(rb"<mark[^>]*>", html)),
    }


def explain_list() -> str:
    from articles.selectors.reading import issue_list_page

    user = get_user_model().objects.get(username="bench")
    queries: list[str] = []

    def capture(execute, sql, params, many, context):
        queries.append(connection.ops.last_executed_query(context["cursor"], sql, params) if params else sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        page = issue_list_page(user=user, team=None, page_number=1)
        list(page)
    plans = []
    for sql in queries:
        if "articles_issue" not in sql:
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plans.append("; ".join(row[-1] for row in cursor.fetchall()))
    return "\n".join(f"- `{p}`" for p in plans)


def main() -> None:
    from digest_site import urls

    urls.urlpatterns.append(path("bench-floor/", floor_view))
    call_command("migrate", verbosity=0)
    vocab = vocabulary()
    newsletter = Newsletter.objects.create(name="Bench Weekly", slug="bench-weekly")
    team = team_create("Bench team", bench="owner", ada="member", bo="member", cy="member")
    users = {u.username: u for u in get_user_model().objects.all()}
    user = users["bench"]
    authors = [users["ada"], users["bo"], users["cy"], user]
    client = Client()
    client.force_login(user)

    rows = []
    built = 0
    for size in SIZES:
        t0 = time.perf_counter()
        add_issues(newsletter, built, size, vocab)
        built = size
        # the reader has opened a tenth of the issues; teammates annotated a tenth
        recent = list(Issue.objects.order_by("-number").values_list("pk", flat=True)[:200])
        IssueRead.objects.bulk_create(
            [IssueRead(user=user, issue_id=pk, last_read_at=timezone.now(), progress=0.5) for pk in recent[::10]],
            ignore_conflicts=True,
        )
        for pk in recent[5::10]:
            issue = Issue.objects.get(pk=pk)
            add_highlights(issue, 3, team, authors[:3])
            paragraph = Paragraph.objects.filter(section__issue=issue).first()
            Note.objects.create(team=team, author=authors[0], issue=issue, paragraph=paragraph,
                                paragraph_text=paragraph.text, body="A note", body_html="<p>A note</p>")
        print(f"{size:,} issues built in {time.perf_counter() - t0:.0f} s", flush=True)
        for label, url in (("issue list, page 1", "/"), ("issue list, page 20", "/?page=20")):
            m = measure(client, url)
            rows.append((f"{label} at {size:,} issues", m))
            print(rows[-1], flush=True)

    # the annotated issues are the size of a real one: 12 stories × 8 paragraphs
    add_issues(newsletter, built, built + len(ANNOTATIONS), vocab, stories=12, paragraphs=8)
    targets = list(Issue.objects.order_by("-number")[: len(ANNOTATIONS)])
    for issue, count in zip(targets, ANNOTATIONS, strict=True):
        add_highlights(issue, count, team, authors)
        m = measure(client, issue.get_absolute_url())
        rows.append((f"issue page, {count:,} highlights", m))
        print(rows[-1], flush=True)

    try:
        plans = explain_list()
    except ImportError:
        plans = "(no issue_list_page selector)"
    table = "\n".join(
        f"| {label} | {m['page'] * 1000:.1f} ms | {m['floor'] * 1000:.2f} ms | **{m['page'] / m['floor']:.1f}×** "
        f"| {m['queries']} | {m['bytes'] / 1000:.0f} KB | {m['marks']:,} | {m['mark_bytes'] / 1000:.0f} KB |"
        for label, m in rows
    )
    section = f"""## Pages

Written by `bench/pages.py` (`make bench`) on {time.strftime('%Y-%m-%d')}; Python {platform.python_version()},
SQLite {connection.Database.sqlite_version}, {os.cpu_count()} CPUs. Bulk-inserted synthetic library
({SECTIONS} stories × {PARAGRAPHS} paragraphs of {WORDS} invented words per issue; the four annotated issues
12 stories × 8 paragraphs), GETs with Django's test
client as a member of a four-person team; median of {GETS} GETs each, interleaved with the floor: the
same bytes returned by a trivial view through the same middleware stack and client.

| page | median | floor | ratio | queries | HTML | `<mark>`s | `<mark …>` open tags |
| --- | --- | --- | --- | --- | --- | --- | --- |
{table}

Plans of the issue list's queries on the issue table (`EXPLAIN QUERY PLAN`, SQLite):

{plans}
"""
    out = Path(os.environ.get("BENCH_PAGES_OUT", ROOT / "docs" / "BENCHMARKS.md"))
    text = out.read_text() if out.exists() else "# Benchmarks\n"
    text = re.sub(r"\n## Pages\n.*?(?=\n## |\n<!-- |\Z)", "", text, flags=re.S).rstrip() + "\n\n" + section
    out.write_text(text)
    print(section)


if __name__ == "__main__":
    main()
