"""Reads: each function owns its select_related/prefetch_related so no page does N+1."""

from .content import (
    issue_for_reader,
    issue_get_for_reader,
    issue_list,
    issue_neighbours,
    newsletter_list,
    section_for_reader,
    section_get_for_reader,
)

__all__ = [
    "issue_for_reader", "issue_get_for_reader", "issue_list", "issue_neighbours", "newsletter_list",
    "section_for_reader", "section_get_for_reader",
]
