"""PostgreSQL backend: ``vector @@ to_tsquery('english', …)`` on the GIN index, ts_rank."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, QuerySet

from .query import ParsedQuery, tsquery_raw

# ts_rank normalisation 1: divide by 1 + log(length), so a headline that names the subject is
# not outranked by a long paragraph that repeats a common word (closer to bm25).
NORMALIZATION = 1


def ranked_ids(documents: QuerySet, query: ParsedQuery, limit: int) -> list[int]:
    tsquery = SearchQuery(tsquery_raw(query), search_type="raw", config="english")
    matched = documents.filter(vector=tsquery).annotate(
        rank=SearchRank(F("vector"), tsquery, normalization=NORMALIZATION)
    )
    return list(matched.order_by("-rank", "pk").values_list("pk", flat=True)[:limit])
