"""Which matches get ranked: a bounded candidate set, whichever engine ranks them.

Neither FTS5's bm25 nor PostgreSQL's ts_rank prunes: both score every row they are given, and a
common word matches most of the library (136,000 documents for "the" at 10,000 issues). So:

- a narrow filter (an author, a tag, "my notes", a few days) leaves at most ``NARROW``
  documents: their matches are ranked, all of them — exact (the engine streams the word's
  matches and scores only those in the set);
- otherwise the candidates are the newest ``WINDOW`` visible matches (read newest first from the
  index, stopping at the limit), and those are ranked. A query with fewer matches than that (a
  rare word, a phrase of rare words) is ranked whole, exactly; a common word gets the best of its
  newest ``WINDOW`` matches, and its count says "more than ``WINDOW``".

The privacy filter is part of ``documents``, so candidates are only ever rows the user may see.
"""

from __future__ import annotations

from types import ModuleType

from django.db.models import Q

from articles.models import SearchDocument

from .query import ParsedQuery

WINDOW = 1000  # candidates ranked for a common word; also the count's cap
NARROW = 3000  # a filtered set this small is ranked whole


def ranked_ids(backend: ModuleType, query: ParsedQuery, limit: int, *, visible: Q,
               narrowing: Q | None = None) -> tuple[list[int], int]:
    """Ids of the best ``limit`` candidates (by ``backend``'s rank, then id) and the number of
    matches counted up to ``WINDOW + 1`` (more than ``WINDOW`` when it is that). ``visible`` is
    the privacy filter, ``narrowing`` the user's filters, tried first as the (indexed) way to a
    small set; every candidate passes both."""
    if narrowing is not None:
        few = list(SearchDocument.objects.filter(narrowing).values_list("pk", flat=True)[: NARROW + 1])
        if len(few) <= NARROW:
            mine = SearchDocument.objects.filter(visible, pk__in=few)  # read by primary key
            ids = backend.rank_among(list(mine.values_list("pk", flat=True)), query)
            return ids[:limit], len(ids)
    documents = SearchDocument.objects.filter(visible, narrowing or Q())
    matched = backend.matching(documents, query)
    newest = list(matched.order_by(backend.NEWEST).values_list("pk", flat=True)[: WINDOW + 1])
    if not newest:
        return [], 0
    window = backend.among_newest(matched, newest[:WINDOW])
    return list(window.order_by("rank", "pk").values_list("pk", flat=True)[:limit]), len(newest)
