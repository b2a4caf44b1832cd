"""Data derived from an issue's text (search index, cross-issue references, related stories),
rebuilt after every import that creates or changes the issue.

``BUILDERS`` run inside that file's write transaction and cost what the issue itself holds (its
paragraphs, its terms). ``AFTER_COMMIT`` builders read across the library, so they run after the
transaction has committed (the write lock is free again) and write their rows in a short
transaction of their own; if one fails the import stands and the failure is logged (the
``related_rebuild`` command recomputes everything)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from articles.connect.services import issue_references_rebuild, issue_related_rebuild, issue_vectors_rebuild
from articles.models import Issue
from articles.search.indexing import issue_index

logger = logging.getLogger(__name__)

# Each derived-data feature registers one builder here: ``builder(issue=issue) -> None``.
BUILDERS: list[Callable[..., None]] = [
    issue_references_rebuild,
    issue_vectors_rebuild,  # term vectors, frequencies and the candidate index of related stories
    issue_index,  # last: the search index also covers the annotations re-anchored above
]
AFTER_COMMIT: list[Callable[..., None]] = [
    issue_related_rebuild,  # scores candidates across the library: outside the write lock
]


def issue_derived_rebuild(*, issue: Issue) -> None:
    """The builders that belong in the import's transaction (call inside it)."""
    for builder in BUILDERS:
        builder(issue=issue)


def issue_derived_after_commit(*, issue: Issue) -> None:
    """The builders that run once the import's transaction has committed (call outside it)."""
    for builder in AFTER_COMMIT:
        try:
            builder(issue=issue)
        except Exception:  # the issue is imported; its derived rows can be rebuilt later
            logger.exception("%s for issue %s failed", getattr(builder, "__name__", builder), issue.pk)
