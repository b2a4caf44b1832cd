"""`make bench`: does importing one issue get slower as the library grows?

Builds a library of k - 1 synthetic issues (invented words, Zipf-distributed; 8 stories of 4
paragraphs each), then imports issues k, k + 1, k + 2 one by one through ``import_source`` (the
path a real upload takes) and reports the median, as a ratio to the pure parser's time on the same
bytes measured in the same run. Also reported: the time the import spends inside its write
transaction (``_store``: what holds SQLite's write lock).

The library below k is written in bulk (parsed by the real extractor, rows written by the
importer's own sync service and the related-story index builder) so that building 1,000 issues
does not itself take the quadratic time being measured. Usage: ``python bench/import_scale.py
[k ...]`` (default 1 100 300 1000); the section "Import at scale" of docs/BENCHMARKS.md is
replaced with the figures.
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DIGEST_DATA_DIR"] = tempfile.mkdtemp(prefix="digest-bench-scale-")
os.environ.pop("DATABASE_URL", None)
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digest_site.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from articles import importer  # noqa: E402
from articles.connect import services as connect_services  # noqa: E402
from articles.models import Issue, Section, StoryVector  # noqa: E402
from articles.services import importing  # noqa: E402
from articles.services.issue_sync import issue_sync_sections  # noqa: E402
from articles.services.newsletters import newsletter_for_import  # noqa: E402

SIZES = [int(x) for x in sys.argv[1:]] or [1, 100, 300, 1000]
MEASURED = 3  # issues imported (and timed) at each size
START, END = "<!-- import-scale:start -->", "<!-- import-scale:end -->"

_SYLLABLES = "ka lo mi ten ra vo su pel dar mon ix tor gan bel sho rin vek tal mu zor".split()


def vocabulary(n: int, rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


class Corpus:
    """Invented issues: words drawn from a Zipf distribution over a 20,000-word vocabulary, each
    story with a few topic words of its own so that stories do relate to some others."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.words = vocabulary(20_000, self.rng)
        weights = [1 / (rank + 1) for rank in range(len(self.words))]
        total = sum(weights)
        self.cumulative = []
        acc = 0.0
        for w in weights:
            acc += w / total
            self.cumulative.append(acc)

    def sentence(self, n: int, topic: list[str]) -> str:
        words = self.rng.choices(self.words, cum_weights=self.cumulative, k=n)
        for i in range(0, n, 6):
            words[i] = self.rng.choice(topic)
        return " ".join(words).capitalize() + "."

    def issue(self, number: int) -> bytes:
        parts = [f"# Synthetic Weekly #{number}", ""]
        for s in range(8):
            topic = self.rng.sample(self.words[2_000:], 5)
            parts += [f"## {' '.join(topic[:3]).title()} story {number}-{s}", ""]
            for _ in range(4):
                parts += [self.sentence(40, topic), ""]
        return "\n".join(parts).encode()


def bulk_library(corpus: Corpus, numbers: range) -> None:
    """Issues ``numbers`` stored without the per-issue derived work (one transaction)."""
    with transaction.atomic():
        for number in numbers:
            [document] = importer.split_items(f"synthetic-{number}.md", corpus.issue(number))
            parsed = importer.extract(document)
            newsletter = newsletter_for_import(key=parsed.newsletter_key, name=parsed.newsletter or "Synthetic",
                                               file_name=document.name).newsletter
            issue = Issue.objects.create(newsletter=newsletter, slug=f"synthetic-{number}", title=parsed.title,
                                         source_name=document.name, source_text=document.body,
                                         source_sha256=f"bulk-{number}", source_format=parsed.format)
            issue_sync_sections(issue=issue, parsed=parsed)
        bulk_index = getattr(connect_services, "related_index_rebuild", None)
        if bulk_index is not None:  # the term index of the new related-story builder
            bulk_index()
        else:
            from articles.connect.similarity import term_counts

            missing = Section.objects.filter(kind__in=connect_services.STORY_KINDS, vector__isnull=True)
            StoryVector.objects.bulk_create(
                StoryVector(section=s, terms=term_counts([s.headline, s.dek, *(p.text for p in s.paragraphs.all())]))
                for s in missing.prefetch_related("paragraphs")
            )


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    call_command("migrate", verbosity=0)
    corpus = Corpus()
    in_store: list[float] = []
    original_store = importing._store

    def store(**kwargs):
        start = time.perf_counter()
        try:
            return original_store(**kwargs)
        finally:
            in_store.append(time.perf_counter() - start)

    importing._store = store
    rows = []
    stored = 0
    for size in SIZES:
        bulk_library(corpus, range(stored + 1, size))
        stored = max(stored, size - 1)
        total, locked, parse = [], [], []
        for number in range(size, size + MEASURED):
            raw = corpus.issue(10_000 + number)  # not in the library yet
            name = f"synthetic-{10_000 + number}.md"
            parse.append(timed(lambda raw=raw, name=name: [importer.extract(d) for d in importer.split_items(name, raw)]))
            in_store.clear()
            total.append(timed(lambda raw=raw, name=name: importing.import_source(name=name, raw=raw)))
            locked.append(sum(in_store))
        stored += MEASURED
        med = statistics.median
        rows.append((size, Issue.objects.count(), StoryVector.objects.count(), med(parse), med(total), med(locked)))
        print(f"k={size}: parser {med(parse) * 1000:.1f} ms, import {med(total) * 1000:.1f} ms, "
              f"in transaction {med(locked) * 1000:.1f} ms", flush=True)
    write_report(rows, corpus)


def write_report(rows, corpus) -> None:
    table = "\n".join(
        f"| {size:,} | {stories:,} | {parse * 1000:.1f} ms | {total * 1000:.1f} ms | {total / parse:.1f}× "
        f"| {locked * 1000:.1f} ms | {locked / parse:.1f}× |"
        for size, _issues, stories, parse, total, locked in rows
    )
    body = f"""{START}
## Import at scale

Written by `bench/import_scale.py` (`make bench`) on {time.strftime('%Y-%m-%d')}; Python
{platform.python_version()}, SQLite {connection.Database.sqlite_version}, {os.cpu_count()} CPUs.
Importing issue *k* (a synthetic issue of 8 stories × 4 paragraphs × 40 invented Zipf words, ~9 KB)
through `import_source` into a library of k − 1 such issues; median of {MEASURED} issues per size, as a
ratio to the pure parser (`split_items` + `extract`) on the same bytes in the same run. "In the
transaction" is the time the import holds the write lock (`_store`).

| k | stories stored | parser | import | import / parser | in the transaction | / parser |
| --- | --- | --- | --- | --- | --- | --- |
{table}
{END}"""
    out = ROOT / "docs" / "BENCHMARKS.md"
    text = out.read_text() if out.exists() else "# Benchmarks\n"
    if START in text and END in text:
        text = text[: text.index(START)] + body + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    out.write_text(text)


if __name__ == "__main__":
    main()
