"""Re-anchor a re-imported issue's highlights and notes (the algorithm: ``articles.anchoring``).

Call :func:`articles.anchoring.selectors.placements_snapshot` before the issue's paragraphs are synced (deleting a paragraph sets
its annotations' paragraph to NULL, losing the old key) and :func:`issue_reanchor` after it, in
the same transaction. Every highlight gets an :class:`AnchorReport` (exact / moved / fuzzy /
orphaned); an annotation that cannot be placed keeps its quote with ``paragraph = NULL`` and is
listed under the issue as orphaned — never deleted, never attached to a look-alike.
"""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from articles.anchoring import Status, TargetParagraph, TextSelector, reanchor, text_selector_for
from articles.models import AnchorReport, Highlight, Issue, Note, Paragraph, SectionTag, Thread
from articles.services.orphans import OrphanCounts

from .selectors import PlacementSnapshot

NO_PARAGRAPH = -1
HIGHLIGHT_PLACEMENT_FIELDS = ["paragraph", "paragraph_index", "exact", "prefix", "suffix", "start", "end", "anchor_status"]  # the old key of an annotation that was already orphaned


def _targets(issue: Issue) -> list[TargetParagraph]:
    paragraphs = Paragraph.objects.filter(section__issue=issue).order_by("section__position", "position")
    return [TargetParagraph(key=p.pk, index=i, text=p.text) for i, p in enumerate(paragraphs.only("pk", "text"))]


def issue_reanchor(*, issue: Issue, snapshot: PlacementSnapshot) -> Counter:
    """Place every highlight and note of ``issue`` again; returns counts per status."""
    targets = _targets(issue)
    texts = {c.key: c.text for c in targets}
    index_of = {c.key: c.index for c in targets}
    run_at = timezone.now()
    counts: Counter = Counter()
    reports = []
    highlights = list(Highlight.objects.filter(issue=issue))
    for highlight in highlights:
        text_selector = TextSelector(highlight.exact, highlight.prefix, highlight.suffix, highlight.start, highlight.end)
        old_key = snapshot.highlight_paragraphs.get(highlight.pk, NO_PARAGRAPH)
        placement = reanchor(text_selector, old_key=old_key, old_index=highlight.paragraph_index, targets=targets)
        old_quote = highlight.exact
        if placement.status is Status.ORPHANED:
            highlight.paragraph = None
        else:
            fresh = text_selector_for(texts[placement.key], placement.start, placement.end)
            highlight.paragraph_id = placement.key
            highlight.paragraph_index = index_of[placement.key]
            highlight.exact, highlight.prefix, highlight.suffix = fresh.exact, fresh.prefix, fresh.suffix
            highlight.start, highlight.end = fresh.start, fresh.end
        highlight.anchor_status = placement.status.value
        counts[placement.status.value] += 1
        reports.append(
            AnchorReport(
                highlight=highlight, run_at=run_at, status=placement.status.value, old_quote=old_quote,
                new_quote=placement.quote, score=placement.score,
            )
        )
    Highlight.objects.bulk_update(highlights, HIGHLIGHT_PLACEMENT_FIELDS)
    AnchorReport.objects.bulk_create(reports)
    moved_notes = []
    for note in Note.objects.filter(issue=issue):
        old_key = snapshot.note_paragraphs.get(note.pk, NO_PARAGRAPH)
        if old_key in texts and texts[old_key] == note.paragraph_text:  # the paragraph is unchanged
            if note.paragraph_index != index_of[old_key]:
                note.paragraph_index = index_of[old_key]
                moved_notes.append(note)
            continue
        whole = TextSelector(note.paragraph_text, "", "", 0, len(note.paragraph_text))
        placement = reanchor(whole, old_key=old_key, old_index=note.paragraph_index, targets=targets)
        if placement.status is Status.ORPHANED or placement.key is None:
            note.paragraph = None
        else:
            note.paragraph_id = placement.key
            note.paragraph_text = texts[placement.key]
            note.paragraph_index = index_of[placement.key]
        moved_notes.append(note)
        counts[f"notes {placement.status.value}"] += 1
    Note.objects.bulk_update(moved_notes, ["paragraph", "paragraph_text", "paragraph_index"])
    return counts


def orphaned_by_sync(*, snapshot: PlacementSnapshot) -> OrphanCounts:
    """What the sync since ``snapshot`` orphaned: annotations that had a place and have none now
    (four queries)."""
    return OrphanCounts(
        highlights=Highlight.objects.filter(pk__in=list(snapshot.highlight_paragraphs), paragraph__isnull=True).count(),
        notes=Note.objects.filter(pk__in=list(snapshot.note_paragraphs), paragraph__isnull=True).count(),
        section_tags=SectionTag.objects.filter(pk__in=list(snapshot.section_tags), section__isnull=True).count(),
        threads=Thread.objects.filter(pk__in=list(snapshot.section_threads), section__isnull=True).count(),
    )
