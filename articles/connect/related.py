"""Related stories at a cost that does not grow with the library (docs/CONNECT.md).

Two steps per import:

- :func:`issue_vectors_rebuild` runs inside the import's write transaction: it stores the term
  vectors of the issue's stories, adds them to the document frequencies (``TermStat``, counted
  incrementally, so no import recounts the library) and to the candidate index (``StoryTerm``:
  each story's ``INDEX_TERMS`` most distinctive terms). Work: O(stories × terms) of this issue.
- :func:`issue_related_rebuild` runs *after* that transaction commits: it reads the candidates
  (stories sharing a distinctive term, at most ``CANDIDATES`` per story), scores them exactly
  (TF-IDF cosine with the current frequencies, as before) in pure Python, then replaces the
  issue's ``RelatedStory`` rows in one short transaction. Work: bounded by the issue's size and
  ``CANDIDATES``, whatever the number of stories stored.

:func:`related_index_rebuild` recounts everything from the stored vectors (the ``related_rebuild``
command runs it, then rescores every issue): for a database migrated from before the index, or
after deletes that went around the services (the counts are then slightly high; scores drift
by little, see docs/CONNECT.md).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping

from django.db import transaction
from django.db.models import F, Prefetch

from articles.models import Issue, Paragraph, RelatedStory, Section, SectionKind, StoryVector
from articles.models.connect import StoryTerm, TermStat

from .similarity import (
    COMMON_DF,
    distinctive_terms,
    document_frequencies,
    rank_candidates,
    term_counts,
    tfidf,
    top_related,
)

STORY_KINDS = (SectionKind.STORY, SectionKind.TECH_TALE)
RELATED_LIMIT = 5  # best related stories kept per story (each pair is stored in both directions)
RELATED_THRESHOLD = 0.15  # minimum cosine; see docs/CONNECT.md for the measured seed scores
STORIES = ""  # TermStat row holding the number of stored vectors (no token is empty)
_CHUNK = 500  # values per IN (...) query


def _chunks(values: Iterable, size: int = _CHUNK) -> Iterator[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _story_counts(sections: Iterable[Section]) -> dict[int, dict[str, int]]:
    return {
        s.pk: term_counts([s.headline, s.dek, *(p.text for p in s.paragraphs.all())]) for s in sections
    }


def _stories(queryset) -> list[Section]:
    return list(
        queryset.filter(kind__in=STORY_KINDS).prefetch_related(
            Prefetch("paragraphs", queryset=Paragraph.objects.only("section_id", "text"))
        )
    )


def frequencies(terms: Iterable[str]) -> tuple[dict[str, int], int]:
    """Document frequency of each of ``terms`` (absent: 0) and the number of stored stories."""
    df: dict[str, int] = {}
    for chunk in _chunks(set(terms) | {STORIES}):
        df.update(TermStat.objects.filter(term__in=chunk).values_list("term", "df"))
    return df, df.pop(STORIES, 0)


def _count(vectors: Iterable[Mapping[str, int]], sign: int) -> None:
    """Add (``sign`` = 1) or remove (-1) ``vectors`` from the document frequencies."""
    delta: Counter[str] = Counter()
    for terms in vectors:
        delta.update(terms.keys())
        delta[STORIES] += 1
    if not delta:
        return
    if sign > 0:
        TermStat.objects.bulk_create((TermStat(term=t, df=0) for t in delta), ignore_conflicts=True, batch_size=_CHUNK)
    by_amount: dict[int, list[str]] = defaultdict(list)
    for term, n in delta.items():
        by_amount[n].append(term)
    for n, terms in by_amount.items():
        for chunk in _chunks(terms):
            TermStat.objects.filter(term__in=chunk).update(df=F("df") + sign * n)
    if sign < 0:
        for chunk in _chunks(t for t in delta if t != STORIES):
            TermStat.objects.filter(term__in=chunk, df__lte=0).delete()


def _index(vectors: Mapping[int, Mapping[str, int]]) -> None:
    """Store ``vectors`` (section id → term counts), count them and index their distinctive terms."""
    if not vectors:
        return
    StoryVector.objects.bulk_create(
        (StoryVector(section_id=pk, terms=terms) for pk, terms in vectors.items()), batch_size=_CHUNK
    )
    _count(vectors.values(), +1)
    df, n_docs = frequencies(t for terms in vectors.values() for t in terms)
    StoryTerm.objects.bulk_create(
        (StoryTerm(term=term, section_id=pk) for pk, terms in vectors.items()
         for term in distinctive_terms(tfidf(terms, df, n_docs))),
        batch_size=_CHUNK,
    )


def story_vectors_forget(*, section_ids: Iterable[int]) -> None:
    """Take these sections' vectors out of the counts and the index (before the sections are
    deleted; the import's sync calls it for the stories a re-import drops)."""
    old = dict(StoryVector.objects.filter(section_id__in=list(section_ids)).values_list("section_id", "terms"))
    if not old:
        return
    _count(old.values(), -1)
    StoryTerm.objects.filter(section_id__in=list(old)).delete()
    StoryVector.objects.filter(section_id__in=list(old)).delete()


def issue_vectors_rebuild(*, issue: Issue) -> None:
    """Replace the vectors, counts and index entries of ``issue``'s stories (inside the import's
    transaction; O(this issue's terms))."""
    story_vectors_forget(section_ids=issue.sections.values_list("pk", flat=True))
    _index(_story_counts(_stories(issue.sections.all())))


def issue_related_rebuild(*, issue: Issue) -> None:
    """Store the best related stories in other issues for each story of ``issue`` (and the same
    pairs the other way), replacing the rows involving ``issue``. Reads, scores in Python, then
    writes in one short transaction; run it after the import's transaction."""
    own = dict(StoryVector.objects.filter(section__issue=issue).values_list("section_id", "terms"))
    pairs = related_pairs(own)
    section_ids = list(issue.sections.values_list("pk", flat=True))
    with transaction.atomic():
        for chunk in _chunks(section_ids):
            RelatedStory.objects.filter(section_id__in=chunk).delete()
            RelatedStory.objects.filter(related_id__in=chunk).delete()
        RelatedStory.objects.bulk_create(
            (RelatedStory(section_id=a, related_id=b, score=score) for (a, b), score in pairs.items()),
            batch_size=_CHUNK,
        )


def related_pairs(own: Mapping[int, Mapping[str, int]]) -> dict[tuple[int, int], float]:
    """(story, related) → cosine for the stories ``own`` (section id → term counts) against the
    candidates the index finds for them (never one of ``own``), both directions."""
    if not own:
        return {}
    df, n_docs = frequencies(t for terms in own.values() for t in terms)
    queries = {pk: tfidf(terms, df, n_docs) for pk, terms in own.items()}
    wanted = {t for weights in queries.values() for t in distinctive_terms(weights) if df.get(t, 0) <= COMMON_DF}
    postings: dict[str, list[int]] = defaultdict(list)
    for chunk in _chunks(sorted(wanted)):
        for term, section_id in StoryTerm.objects.filter(term__in=chunk).values_list("term", "section_id"):
            if section_id not in own:
                postings[term].append(section_id)
    candidates = {pk: rank_candidates(query, postings, df, n_docs) for pk, query in queries.items()}
    vectors: dict[int, dict[str, int]] = {}
    for chunk in _chunks(sorted(set().union(*candidates.values()))):
        vectors.update(StoryVector.objects.filter(section_id__in=chunk).values_list("section_id", "terms"))
    more, _ = frequencies(t for terms in vectors.values() for t in terms if t not in df)
    df.update(more)
    weights = {pk: tfidf(terms, df, n_docs) for pk, terms in vectors.items()}
    pairs: dict[tuple[int, int], float] = {}
    for pk, query in queries.items():
        scored = {c: weights[c] for c in candidates[pk] if c in weights}
        for other, score in top_related(query, scored, limit=RELATED_LIMIT, threshold=RELATED_THRESHOLD):
            pairs[(pk, other)] = pairs[(other, pk)] = round(score, 4)
    return pairs


def related_index_rebuild() -> int:
    """Vectors for stories without one, then the document frequencies and the candidate index
    recounted from every stored vector. Returns the number of stories indexed. O(library)."""
    with transaction.atomic():
        missing = _stories(Section.objects.filter(vector__isnull=True))
        StoryVector.objects.bulk_create(
            (StoryVector(section_id=pk, terms=terms) for pk, terms in _story_counts(missing).items()),
            batch_size=_CHUNK,
        )
        vectors = dict(StoryVector.objects.values_list("section_id", "terms"))
        df = document_frequencies(vectors.values())
        TermStat.objects.all().delete()
        TermStat.objects.bulk_create(
            [TermStat(term=STORIES, df=len(vectors)), *(TermStat(term=t, df=n) for t, n in df.items())],
            batch_size=_CHUNK,
        )
        StoryTerm.objects.all().delete()
        StoryTerm.objects.bulk_create(
            (StoryTerm(term=term, section_id=pk) for pk, terms in vectors.items()
             for term in distinctive_terms(tfidf(terms, df, len(vectors)))),
            batch_size=_CHUNK,
        )
    return len(vectors)
