"""Data derived from an issue's text (search index, cross-issue references, related stories),
rebuilt after every import that creates or changes the issue, inside that file's transaction."""

from __future__ import annotations

from collections.abc import Callable

from articles.connect.services import issue_references_rebuild, issue_related_rebuild
from articles.models import Issue
from articles.search.indexing import issue_index

# Each derived-data feature registers one builder here: ``builder(issue=issue) -> None``.
BUILDERS: list[Callable[..., None]] = [
    issue_references_rebuild,
    issue_related_rebuild,
    issue_index,  # last: the search index also covers the annotations re-anchored above
]


def issue_derived_rebuild(*, issue: Issue) -> None:
    for builder in BUILDERS:
        builder(issue=issue)
