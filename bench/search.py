"""`make bench` (search): search latency at 10,000 issues, written to docs/BENCHMARKS.md.

Builds 10,000 issues (3 sections × 4 paragraphs of random words from a Zipf-weighted vocabulary,
plus planted rare terms) in a throwaway SQLite database, indexes them in bulk, annotates a few
hundred paragraphs as a team (shared and private notes, tagged highlights, a second team's notes),
then times 31 queries of five kinds — common words, rare words, two-word phrases, prefixes while
typing, and filters (a common word with a newsletter, date, author, tag or "my notes" filter) —
``REPEAT`` times each, as a team member, through ``search()`` and through ``GET /search/?q=…`` with
the test client. Each page GET is interleaved with its floor: the same HTML bytes returned by a
trivial view through the same middleware stack and client. Replaces the marked "Search" section of
docs/BENCHMARKS.md. ``BENCH_SEARCH_DATABASE_URL`` runs it on PostgreSQL; ``BENCH_SEARCH_DATA_DIR`` keeps the database between runs (a corpus already
built there is reused); ``BENCH_SEARCH_ISSUES`` sets the library size.
"""

from __future__ import annotations

import datetime
import os
import platform
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DIGEST_DATA_DIR"] = os.environ.get("BENCH_SEARCH_DATA_DIR") or tempfile.mkdtemp(prefix="digest-bench-search-")
if os.environ.get("BENCH_SEARCH_DATABASE_URL"):  # a throwaway PostgreSQL database
    os.environ["DATABASE_URL"] = os.environ["BENCH_SEARCH_DATABASE_URL"]
else:
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

from articles.models import Issue, Newsletter, Paragraph, Section, Team  # noqa: E402
from articles.search.indexing import index_rebuild  # noqa: E402
from articles.search.service import SearchFilters, search  # noqa: E402
from articles.services.highlights import highlight_create  # noqa: E402
from articles.services.notes import note_create  # noqa: E402
from tests.factories import team_create  # noqa: E402

ISSUES = int(os.environ.get("BENCH_SEARCH_ISSUES", 10_000))
SECTIONS, PARAGRAPHS, WORDS = 3, 4, 40
REPEAT = int(os.environ.get("BENCH_SEARCH_REPEAT", 5))
PLANTED = {"diloco": 0.001, "quokka": 0.01, "hyperscaler": 0.05}  # share of paragraphs
KINDS = ("common", "rare", "phrase", "prefix", "filter")
rng = random.Random(42)
FLOOR_BODY: dict[str, bytes] = {}


def floor_view(request):
    return HttpResponse(FLOOR_BODY["body"], content_type="text/html; charset=utf-8")


def vocabulary(n: int = 6000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = {"".join(rng.choices(letters, k=rng.randint(3, 10))) for _ in range(n * 2)}
    # the most frequent words are English stop words: "the" is in most paragraphs
    return ["the", "of", "and", "to", "model", "data"] + sorted(words)[: n - 6]


def build_corpus(vocab: list[str]) -> None:
    cum, total = [], 0.0
    for rank in range(1, len(vocab) + 1):  # Zipf: a few words everywhere, a long tail
        total += 1 / rank
        cum.append(total)
    newsletter = Newsletter.objects.create(name="Bench Weekly", slug="bench-weekly")
    other = Newsletter.objects.create(name="Other Letter", slug="other-letter")
    base = timezone.now() - datetime.timedelta(days=ISSUES)
    for start in range(0, ISSUES, 1000):
        with transaction.atomic():
            issues = Issue.objects.bulk_create(
                Issue(newsletter=newsletter if n % 10 else other, number=n + 1,
                      title=" ".join(rng.choices(vocab[:500], k=6)).title(),
                      slug=f"bench-{n + 1}", source_name=f"bench-{n + 1}.txt", source_sha256=f"{n:064d}",
                      source_format="importai_text", source_text="")
                for n in range(start, min(start + 1000, ISSUES))
            )
            for issue in issues:  # one issue a day, the newest today (bulk_create stamps them all now)
                issue.imported_at = base + datetime.timedelta(days=issue.number)
            Issue.objects.bulk_update(issues, ["imported_at"], batch_size=500)
            sections = Section.objects.bulk_create(
                Section(issue=issue, position=s, kind="story", anchor=f"s-{s}",
                        headline=" ".join(rng.choices(vocab, cum_weights=cum, k=7)).capitalize())
                for issue in issues for s in range(SECTIONS)
            )
            paragraphs = []
            for section in sections:
                for p in range(PARAGRAPHS):
                    words = rng.choices(vocab, cum_weights=cum, k=WORDS)
                    for term, share in PLANTED.items():
                        if rng.random() < share:
                            words[rng.randrange(WORDS)] = term
                    paragraphs.append(Paragraph(section=section, position=p, text=" ".join(words).capitalize() + "."))
            Paragraph.objects.bulk_create(paragraphs, batch_size=2000)


def annotate() -> None:
    """The bench team's notes and tagged highlights (some private), and a second team's notes."""
    team = team_create("Bench team", bench="owner", ada="member")
    rivals = team_create("Rival team", rival="owner")
    users = {u.username: u for u in get_user_model().objects.all()}
    paragraphs = list(Paragraph.objects.filter(text__contains=" the ").order_by("pk")[:400:2])
    for i, paragraph in enumerate(paragraphs):
        author = users["bench"] if i % 2 else users["ada"]
        note_create(user=author, team=team, paragraph=paragraph, body=f"the quokka angle, worth a look {i}",
                    visibility="private" if i % 5 == 0 else "team")
        start = paragraph.text.index(" the ") + 1
        highlight_create(user=author, team=team, paragraph=paragraph, start=start, end=start + 3,
                         tags=["evals"] if i % 3 == 0 else ["policy"])
        note_create(user=users["rival"], team=rivals, paragraph=paragraph, body=f"the rival quokka note {i}")


def queries(vocab: list[str]) -> list[tuple[str, str, SearchFilters]]:
    """The same 31 queries in every run (their own random generator: the corpus may be reused)."""
    pick = random.Random(31)
    none = SearchFilters()
    last_month = timezone.localdate() - datetime.timedelta(days=30)
    return (
        [(w + " ", "common", none) for w in vocab[:8]]
        + [(w + " ", "rare", none) for w in pick.sample(vocab[3000:], 3)] + [(t + " ", "rare", none) for t in PLANTED]
        + [(f"{a} {b} ", "phrase", none) for a, b in
           (("the", "model"), ("of", "data"), (vocab[7], vocab[40]), (vocab[12], vocab[900]), ("the", "quokka"), ("data", vocab[2000]))]
        + [(w, "prefix", none) for w in ("th", "mo", "da", vocab[9][:2], vocab[20][:3], "dilo")]
        + [("the ", "filter", SearchFilters(newsletter="other-letter")),
           ("the ", "filter", SearchFilters(date_from=last_month)),
           ("the ", "filter", SearchFilters(author="ada")),
           ("the ", "filter", SearchFilters(tag="evals")),
           ("the ", "filter", SearchFilters(mine=True))]
    )


def params(q: str, f: SearchFilters) -> dict:
    out = {"q": q}
    for name in ("newsletter", "tag", "author"):
        if getattr(f, name):
            out[name] = getattr(f, name)
    if f.mine:
        out["mine"] = "1"
    if f.date_from:
        out["date_from"] = f.date_from.isoformat()
    return out


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))] * 1000


def explain(user, team) -> str:
    """The plan of every query one search for a common word runs (SQLite ``EXPLAIN QUERY PLAN``)."""
    if connection.vendor != "sqlite":
        return ""
    captured: list[str] = []

    def capture(execute, sql, params_, many, context):
        captured.append(connection.ops.last_executed_query(context["cursor"], sql, params_) if params_ else sql)
        return execute(sql, params_, many, context)

    with connection.execute_wrapper(capture):
        search(user=user, team=team, query="the ")
    plans = []
    for sql in captured:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plans.append("; ".join(row[-1] for row in cursor.fetchall()))
    return "\n".join(f"- `{p}`" for p in plans)


def main() -> None:
    from digest_site import urls

    urls.urlpatterns.append(path("bench-floor/", floor_view))
    call_command("migrate", verbosity=0)
    vocab = vocabulary()
    corpus_s = index_s = 0.0
    if Issue.objects.count() != ISSUES:
        t0 = time.perf_counter()
        build_corpus(vocab)
        corpus_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        with transaction.atomic():
            index_rebuild()
        annotate()
        index_s = time.perf_counter() - t0
    from articles.models import SearchDocument

    rows = SearchDocument.objects.count()
    db_path = Path(str(connection.settings_dict["NAME"]))
    db_mb = db_path.stat().st_size / 1e6 if db_path.exists() else 0
    team = Team.objects.get(slug="bench-team")
    user = get_user_model().objects.get(username="bench")
    client = Client()
    client.force_login(user)

    plan = queries(vocab)
    for q, _, f in plan:  # warm the page cache
        search(user=user, team=team, query=q, filters=f)
    service: dict[str, list[float]] = {k: [] for k in KINDS}
    page: dict[str, list[float]] = {k: [] for k in KINDS}
    floor: dict[str, list[float]] = {k: [] for k in KINDS}
    worst: dict[str, tuple[float, str]] = {}
    hits = []
    for _ in range(REPEAT):
        for q, kind, f in plan:
            t = time.perf_counter()
            results = search(user=user, team=team, query=q, filters=f)
            service[kind].append(time.perf_counter() - t)
            hits.append(results.count)
            t = time.perf_counter()
            response = client.get("/search/", params(q, f))
            elapsed = time.perf_counter() - t
            page[kind].append(elapsed)
            assert response.status_code == 200
            FLOOR_BODY["body"] = response.content
            t = time.perf_counter()
            client.get("/bench-floor/")
            floor[kind].append(time.perf_counter() - t)
            label = q.strip() + "".join(f" [{k}={v}]" for k, v in params(q, f).items() if k != "q")
            if elapsed > worst.get(kind, (0, ""))[0]:
                worst[kind] = (elapsed, label)
    assert search(user=user, team=team, query="diloco").groups, "planted term not found"

    every = lambda d: [x for xs in d.values() for x in xs]  # noqa: E731

    def row(name: str, s: list[float], p: list[float], fl: list[float], n: int) -> str:
        f50, f95 = pct(fl, .5), pct(fl, .95)
        return (f"| {name} | {n} | {pct(s, .5):.1f} | {pct(s, .95):.1f} | {pct(p, .5):.1f} | {pct(p, .95):.1f} "
                f"| {f50:.2f} / {f95:.2f} | {pct(p, .5) / f50:.1f}× / {pct(p, .95) / f95:.1f}× |")

    table = "\n".join(
        row(kind, service[kind], page[kind], floor[kind], len(service[kind]) // REPEAT) for kind in KINDS
    )
    table += "\n" + row("**all**", every(service), every(page), every(floor), len(plan))
    slowest = "; ".join(f"{kind}: `{label}` {t * 1000:.0f} ms" for kind, (t, label) in worst.items())
    plans = explain(user, team)
    engine = (f"SQLite {connection.Database.sqlite_version} (FTS5, bm25)" if connection.vendor == "sqlite"
              else f"PostgreSQL {connection.pg_version // 10000} (tsvector, GIN, ts_rank)")
    section = f"""<!-- search:start -->
## Search

Written by `bench/search.py` (`make bench`) on {time.strftime('%Y-%m-%d')}; Python {platform.python_version()},
{engine}, {os.cpu_count()} CPUs. Synthetic corpus: {ISSUES:,} issues × {SECTIONS} sections × {PARAGRAPHS}
paragraphs of {WORDS} Zipf-distributed words, the most frequent being "the" (in most paragraphs),
"of", "and", "to" ({rows:,} search documents, database {db_mb:.0f} MB{f", corpus written in {corpus_s:.0f} s, indexed and annotated in {index_s:.0f} s" if corpus_s else ""}).
{len(plan)} queries × {REPEAT}, as a member of a team with 400 shared and private notes and tagged highlights
(and a second team's notes on the same paragraphs), the best 50 of each (median {sorted(hits)[len(hits) // 2]:,} matches counted),
through `search()` and through `GET /search/?q=…` with the test client, each page interleaved with
its floor (the same bytes through the same middleware stack). Times in ms:

| queries | n | service p50 | service p95 | page p50 | page p95 | floor p50 / p95 | page / floor p50 / p95 |
| --- | --- | --- | --- | --- | --- | --- | --- |
{table}

Slowest page per kind: {slowest}.

Plans of one search for "the" (`EXPLAIN QUERY PLAN`):

{plans}
<!-- search:end -->
"""
    out = Path(os.environ.get("BENCH_SEARCH_OUT", ROOT / "docs" / "BENCHMARKS.md"))
    text = out.read_text() if out.exists() else "# Benchmarks\n"
    if "<!-- search:start -->" in text:
        text = re.sub(r"<!-- search:start -->.*?<!-- search:end -->\n", lambda _: section, text, flags=re.S)
    else:
        text = re.sub(r"\n## Search\n.*?(?=\n## |\n<!-- |\Z)", "", text, flags=re.S).rstrip() + "\n\n" + section
    out.write_text(text)
    print(section)


if __name__ == "__main__":
    main()
