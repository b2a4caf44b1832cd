"""PostgreSQL backend: ``vector @@ to_tsquery('english', …)`` on the GIN index, ts_rank.

``ts_rank`` reads each row's tsvector, so ``service.search`` only ranks a bounded candidate set
(see ``candidates.py``); "newest first" is the primary key read backwards, which the planner
takes for a common word (it stops after a few thousand rows) and the GIN index for a rare one.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, QuerySet

from articles.models import SearchDocument

from .query import ParsedQuery, tsquery_raw

# ts_rank normalisation 1: divide by 1 + log(length), so a headline that names the subject is
# not outranked by a long paragraph that repeats a common word (closer to bm25).
NORMALIZATION = 1
NEWEST = "-pk"


def matching(documents: QuerySet, query: ParsedQuery) -> QuerySet:
    """``documents`` that match, with ``rank`` (negated ts_rank: lower is better)."""
    tsquery = SearchQuery(tsquery_raw(query), search_type="raw", config="english")
    return documents.filter(vector=tsquery).annotate(
        rank=-SearchRank(F("vector"), tsquery, normalization=NORMALIZATION)
    )


def among_newest(matched: QuerySet, newest: list[int]) -> QuerySet:
    """``matched`` cut to the ``newest`` ids, read by primary key (ts_rank on those rows only)."""
    return matched.filter(pk__in=newest)


def rank_among(ids: list[int], query: ParsedQuery) -> list[int]:
    """Those of ``ids`` (a few thousand at most) that match, best first (read by primary key)."""
    ranked = matching(SearchDocument.objects.filter(pk__in=ids), query).order_by("rank", "pk")
    return list(ranked.values_list("pk", flat=True))
