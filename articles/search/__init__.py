"""Full-text search over newsletter text and the annotations a user may see.

``service.search()`` is the one entry point; it picks the backend (``sqlite.py`` FTS5 + bm25,
``postgres.py`` tsvector + GIN + ts_rank) from ``connection.vendor``. ``indexing.py`` keeps the
``SearchDocument`` rows in step with imports and annotation writes. ``query.py`` and
``snippets.py`` are pure.
"""
