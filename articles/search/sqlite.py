"""SQLite backend: FTS5 (external content over the documents table, prefix indexes) and bm25.

FTS5 has no top-k pruning: ``ORDER BY rank LIMIT 50`` still scores every match (≈ 3 µs each,
0.4 s for a word in 136,000 documents), so ``service.search`` only ranks a bounded candidate set
(see ``candidates.py``). ``ORDER BY {FTS}.rowid DESC`` is read from the index itself: FTS5 walks
the doclist backwards and stops at the limit.
"""

from __future__ import annotations

import json

from django.db import connection
from django.db.models import QuerySet

from .query import ParsedQuery, fts5_match

FTS = "articles_searchdocument_fts"
NEWEST = "-fts_rowid"  # newest first, in the index's own order


def matching(documents: QuerySet, query: ParsedQuery) -> QuerySet:
    """``documents`` that match, with ``rank`` (bm25: lower is better) and ``fts_rowid`` (= pk)."""
    return documents.extra(  # noqa: S610 — constant SQL; the user's text is a bound parameter
        tables=[FTS], where=[f"{FTS}.rowid = articles_searchdocument.id", f"{FTS} MATCH %s"],
        params=[fts5_match(query)], select={"rank": f"bm25({FTS})", "fts_rowid": f"{FTS}.rowid"},
    )


def among_newest(matched: QuerySet, newest: list[int]) -> QuerySet:
    """``matched`` cut to the ``newest`` ids: all matches from the oldest of them on, as a rowid
    range FTS5 applies inside the index (the visible ones among them are exactly ``newest``)."""
    return matched.extra(where=[f"{FTS}.rowid >= %s"], params=[min(newest)])  # noqa: S610 — constant SQL


def rank_among(ids: list[int], query: ParsedQuery) -> list[int]:
    """Those of ``ids`` (a few thousand at most) that match, best first. The set is tested with
    a unary ``+`` so FTS5 streams the word's doclist (between the smallest and largest id) once
    and checks each rowid against it: a ``rowid IN (…)`` it could use would re-run the whole
    query once per id (2 ms each for a common word)."""
    if not ids:
        return []
    sql = (f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s AND rowid BETWEEN %s AND %s "
           f"AND +rowid IN (SELECT value FROM json_each(%s)) ORDER BY bm25({FTS}), rowid")
    with connection.cursor() as cursor:  # the range is read from the index: a few days' issues are a short walk
        cursor.execute(sql, [fts5_match(query), min(ids), max(ids), json.dumps(ids)])
        return [row[0] for row in cursor.fetchall()]
