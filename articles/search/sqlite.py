"""SQLite backend: the FTS5 external-content table joined to the filtered documents, bm25 rank."""

from __future__ import annotations

from django.db.models import QuerySet

from .query import ParsedQuery, fts5_match

FTS = "articles_searchdocument_fts"


def ranked_ids(documents: QuerySet, query: ParsedQuery, limit: int) -> list[int]:
    """Ids of the best ``limit`` of ``documents`` matching ``query`` (lower bm25 is better)."""
    matched = documents.extra(  # noqa: S610 — constant SQL; the user's text is a bound parameter
        tables=[FTS],
        where=[f"{FTS}.rowid = articles_searchdocument.id", f"{FTS} MATCH %s"],
        params=[fts5_match(query)],
        select={"rank": f"bm25({FTS})"},
    )
    return list(matched.order_by("rank", "pk").values_list("pk", flat=True)[:limit])
