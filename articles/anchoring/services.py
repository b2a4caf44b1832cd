"""Re-anchor a re-imported issue's highlights and notes (the algorithm: ``articles.anchoring``).

Call :func:`anchors_snapshot` before the issue's paragraphs are synced (deleting a paragraph sets
its annotations' paragraph to NULL, losing the old key) and :func:`issue_reanchor` after it, in
the same transaction. Every highlight gets an :class:`AnchorReport` (exact / moved / fuzzy /
orphaned); an annotation that cannot be placed keeps its quote with ``paragraph = NULL`` and is
listed under the issue as orphaned — never deleted, never attached to a look-alike.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from articles.anchoring import Candidate, Selector, Status, reanchor, selector_for
from articles.models import AnchorReport, Highlight, Issue, Note, Paragraph

NO_PARAGRAPH = -1
HIGHLIGHT_ANCHOR_FIELDS = ["paragraph", "paragraph_index", "exact", "prefix", "suffix", "start", "end", "anchor_status"]  # the old key of an annotation that was already orphaned


@dataclass(frozen=True)
class AnchorSnapshot:
    highlight_paragraphs: dict[int, int]  # highlight id → paragraph id before the sync
    note_paragraphs: dict[int, int]


def anchors_snapshot(issue: Issue) -> AnchorSnapshot:
    return AnchorSnapshot(
        highlight_paragraphs=dict(
            Highlight.objects.filter(issue=issue, paragraph__isnull=False).values_list("id", "paragraph_id")
        ),
        note_paragraphs=dict(Note.objects.filter(issue=issue, paragraph__isnull=False).values_list("id", "paragraph_id")),
    )


def _candidates(issue: Issue) -> list[Candidate]:
    paragraphs = Paragraph.objects.filter(section__issue=issue).order_by("section__position", "position")
    return [Candidate(key=p.pk, index=i, text=p.text) for i, p in enumerate(paragraphs.only("pk", "text"))]


def issue_reanchor(*, issue: Issue, snapshot: AnchorSnapshot) -> Counter:
    """Place every highlight and note of ``issue`` again; returns counts per status."""
    candidates = _candidates(issue)
    texts = {c.key: c.text for c in candidates}
    index_of = {c.key: c.index for c in candidates}
    run_at = timezone.now()
    counts: Counter = Counter()
    reports = []
    highlights = list(Highlight.objects.filter(issue=issue))
    for highlight in highlights:
        selector = Selector(highlight.exact, highlight.prefix, highlight.suffix, highlight.start, highlight.end)
        old_key = snapshot.highlight_paragraphs.get(highlight.pk, NO_PARAGRAPH)
        anchor = reanchor(selector, old_key=old_key, old_index=highlight.paragraph_index, candidates=candidates)
        old_quote = highlight.exact
        if anchor.status is Status.ORPHANED:
            highlight.paragraph = None
        else:
            fresh = selector_for(texts[anchor.key], anchor.start, anchor.end)
            highlight.paragraph_id = anchor.key
            highlight.paragraph_index = index_of[anchor.key]
            highlight.exact, highlight.prefix, highlight.suffix = fresh.exact, fresh.prefix, fresh.suffix
            highlight.start, highlight.end = fresh.start, fresh.end
        highlight.anchor_status = anchor.status.value
        counts[anchor.status.value] += 1
        reports.append(
            AnchorReport(
                highlight=highlight, run_at=run_at, status=anchor.status.value, old_quote=old_quote,
                new_quote=anchor.quote, score=anchor.score,
            )
        )
    Highlight.objects.bulk_update(highlights, HIGHLIGHT_ANCHOR_FIELDS)
    AnchorReport.objects.bulk_create(reports)
    moved_notes = []
    for note in Note.objects.filter(issue=issue):
        old_key = snapshot.note_paragraphs.get(note.pk, NO_PARAGRAPH)
        if old_key in texts and texts[old_key] == note.paragraph_text:  # the paragraph is unchanged
            if note.paragraph_index != index_of[old_key]:
                note.paragraph_index = index_of[old_key]
                moved_notes.append(note)
            continue
        whole = Selector(note.paragraph_text, "", "", 0, len(note.paragraph_text))
        anchor = reanchor(whole, old_key=old_key, old_index=note.paragraph_index, candidates=candidates)
        if anchor.status is Status.ORPHANED or anchor.key is None:
            note.paragraph = None
        else:
            note.paragraph_id = anchor.key
            note.paragraph_text = texts[anchor.key]
            note.paragraph_index = index_of[anchor.key]
        moved_notes.append(note)
        counts[f"notes {anchor.status.value}"] += 1
    Note.objects.bulk_update(moved_notes, ["paragraph", "paragraph_text", "paragraph_index"])
    return counts
