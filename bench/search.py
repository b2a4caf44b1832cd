"""`make bench` (second part): search latency on a synthetic corpus, written to docs/BENCHMARKS.md.

Builds 10,000 issues (3 sections × 4 paragraphs of random words from a Zipf-weighted vocabulary,
plus planted rare terms) in a throwaway SQLite database, builds the index in bulk, then times
~200 queries (common, rare, prefix, two-word) through the search service and through the search
page with Django's test client. Replaces the "## Search" section of docs/BENCHMARKS.md.
"""

from __future__ import annotations

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
os.environ["DIGEST_DATA_DIR"] = tempfile.mkdtemp(prefix="digest-bench-search-")
os.environ.pop("DATABASE_URL", None)
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digest_site.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import Issue, Newsletter, Paragraph, Section  # noqa: E402
from articles.search.indexing import index_rebuild  # noqa: E402
from articles.search.service import search  # noqa: E402
from articles.services.notes import note_create  # noqa: E402
from tests.factories import team_create  # noqa: E402

ISSUES = int(os.environ.get("BENCH_SEARCH_ISSUES", 10_000))
SECTIONS, PARAGRAPHS, WORDS = 3, 4, 40
QUERIES = 200
PLANTED = {"diloco": 0.001, "quokka": 0.01, "hyperscaler": 0.05}  # share of paragraphs
rng = random.Random(42)


def vocabulary(n: int = 6000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = {"".join(rng.choices(letters, k=rng.randint(3, 10))) for _ in range(n * 2)}
    return sorted(words)[:n]


def build_corpus(vocab: list[str]) -> None:
    cum, total = [], 0.0
    for rank in range(1, len(vocab) + 1):  # Zipf: a few words everywhere, a long tail
        total += 1 / rank
        cum.append(total)
    newsletter = Newsletter.objects.create(name="Bench Weekly", slug="bench-weekly")
    for start in range(0, ISSUES, 1000):
        with transaction.atomic():
            issues = Issue.objects.bulk_create(
                Issue(newsletter=newsletter, number=n + 1, title=" ".join(rng.choices(vocab[:500], k=6)).title(),
                      slug=f"bench-{n + 1}", source_name=f"bench-{n + 1}.txt", source_sha256=f"{n:064d}",
                      source_format="importai_text", source_text="")
                for n in range(start, min(start + 1000, ISSUES))
            )
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


def queries(vocab: list[str]) -> list[tuple[str, str]]:
    common = [(w + " ", "common") for w in vocab[:20]]
    rare = [(w + " ", "rare") for w in rng.sample(vocab[3000:], 20)] + [(t + " ", "planted") for t in PLANTED]
    prefix = [(w[:3], "prefix") for w in rng.sample(vocab[:300], 20)] + [("dilo", "prefix"), ("quok", "prefix")]
    two = [(f"{rng.choice(vocab[:100])} {rng.choice(vocab[:2000])} ", "two words") for _ in range(20)]
    mix = common + rare + prefix + two
    return [mix[i % len(mix)] for i in range(QUERIES)]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))] * 1000


def main() -> None:
    call_command("migrate", verbosity=0)
    vocab = vocabulary()
    t0 = time.perf_counter()
    build_corpus(vocab)
    corpus_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    with transaction.atomic():
        rows = index_rebuild()
    index_s = time.perf_counter() - t0
    db_mb = Path(connection.settings_dict["NAME"]).stat().st_size / 1e6

    team = team_create("Bench team", bench="owner")
    user = get_user_model().objects.get(username="bench")
    for paragraph in Paragraph.objects.filter(text__contains="quokka")[:50]:
        note_create(user=user, team=team, paragraph=paragraph, body="quokka note, worth a look")
    client = Client()
    client.force_login(user)
    session = client.session
    session.save()

    plan = queries(vocab)
    for q, _ in plan[:20]:  # warm the page cache
        search(user=user, team=team, query=q)
    service: dict[str, list[float]] = {}
    page: dict[str, list[float]] = {}
    hits = []
    for q, kind in plan:
        t = time.perf_counter()
        results = search(user=user, team=team, query=q)
        service.setdefault(kind, []).append(time.perf_counter() - t)
        hits.append(results.count)
        t = time.perf_counter()
        response = client.get("/search/", {"q": q})
        page.setdefault(kind, []).append(time.perf_counter() - t)
        assert response.status_code == 200
    top = search(user=user, team=team, query="diloco").groups
    assert top, "planted term not found"

    every = lambda d: [x for xs in d.values() for x in xs]  # noqa: E731
    rows_md = "\n".join(
        f"| {kind} | {len(service[kind])} | {pct(service[kind], .5):.1f} | {pct(service[kind], .95):.1f} "
        f"| {pct(page[kind], .5):.1f} | {pct(page[kind], .95):.1f} |"
        for kind in service
    )
    section = f"""## Search

Written by `bench/search.py` (`make bench`) on {time.strftime('%Y-%m-%d')}; Python {platform.python_version()},
SQLite {connection.Database.sqlite_version} (FTS5, bm25), {os.cpu_count()} CPUs. Synthetic corpus:
{ISSUES:,} issues × {SECTIONS} sections × {PARAGRAPHS} paragraphs of {WORDS} Zipf-distributed words
({rows:,} search documents, database {db_mb:.0f} MB). Corpus written in {corpus_s:.0f} s, index built in
bulk in {index_s:.0f} s. {QUERIES} queries (the best 50 of each, median {statistics.median(hits):.0f} hits), as a team
member with notes, through `search()` and through `GET /search/?q=…` with the test client (ms):

| queries | n | service p50 | service p95 | page p50 | page p95 |
| --- | --- | --- | --- | --- | --- |
{rows_md}
| **all** | {len(plan)} | **{pct(every(service), .5):.1f}** | **{pct(every(service), .95):.1f}** | **{pct(every(page), .5):.1f}** | **{pct(every(page), .95):.1f}** |

Common words match a large share of the corpus, and bm25 must score every match before the best 50
are known; rare and planted terms cost little.
"""
    out = ROOT / "docs" / "BENCHMARKS.md"
    text = out.read_text() if out.exists() else "# Benchmarks\n"
    text = re.sub(r"\n## Search\n.*?(?=\n## |\Z)", "", text, flags=re.S).rstrip() + "\n\n" + section
    out.write_text(text)
    print(section)


if __name__ == "__main__":
    main()
