"""Anchoring reads: where a re-imported issue's annotations were before its paragraphs are synced."""

from __future__ import annotations

from dataclasses import dataclass

from articles.models import Highlight, Issue, Note, SectionTag, Thread


@dataclass(frozen=True)
class PlacementSnapshot:
    highlight_paragraphs: dict[int, int]  # highlight id → paragraph id before the sync
    note_paragraphs: dict[int, int]
    section_tags: frozenset[int] = frozenset()  # section tags on a section of the issue
    section_threads: frozenset[int] = frozenset()  # threads on a section of the issue


def placements_snapshot(issue: Issue) -> PlacementSnapshot:
    """The paragraph of every placed highlight and note of ``issue``, and which section tags and
    threads are on one of its sections (four queries): taken before the sync, which sets a deleted
    paragraph's or section's annotations to NULL and so loses their old key."""
    return PlacementSnapshot(
        highlight_paragraphs=dict(
            Highlight.objects.filter(issue=issue, paragraph__isnull=False).values_list("id", "paragraph_id")
        ),
        note_paragraphs=dict(Note.objects.filter(issue=issue, paragraph__isnull=False).values_list("id", "paragraph_id")),
        section_tags=frozenset(SectionTag.objects.filter(section__issue=issue).values_list("id", flat=True)),
        section_threads=frozenset(Thread.objects.filter(section__issue=issue).values_list("id", flat=True)),
    )
