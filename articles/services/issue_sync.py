"""Bring an issue's sections and paragraphs in line with a fresh parse, keeping identities.

A section is kept when a section of the same kind and headline exists; within a kept section a
paragraph is kept when a paragraph with the identical text exists. Kept rows get their new
position (and dek, kind, marks); the rest are created or deleted. Annotations hang on paragraph
ids, so an unchanged paragraph keeps them across re-imports.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass

from django.utils.text import slugify

from articles.connect.related import story_vectors_forget
from articles.importer.types import ParsedIssue, ParsedParagraph, ParsedSection
from articles.models import Issue, Paragraph, Section


@dataclass
class SyncCounts:
    sections_kept: int = 0
    sections_created: int = 0
    sections_deleted: int = 0
    paragraphs_kept: int = 0
    paragraphs_created: int = 0
    paragraphs_deleted: int = 0

    def __str__(self) -> str:
        return (
            f"sections kept {self.sections_kept}, new {self.sections_created}, "
            f"removed {self.sections_deleted}; paragraphs kept {self.paragraphs_kept}, "
            f"new {self.paragraphs_created}, removed {self.paragraphs_deleted}"
        )


def section_anchors(sections: tuple[ParsedSection, ...]) -> list[str]:
    """Stable fragment ids: ``s-`` + the headline's slug (or the kind), de-duplicated in order."""
    anchors: list[str] = []
    seen: set[str] = set()
    for section in sections:
        base = "s-" + (slugify(section.headline)[:70].strip("-") or slugify(section.kind))
        anchor, n = base, 2
        while anchor in seen:
            anchor, n = f"{base}-{n}", n + 1
        seen.add(anchor)
        anchors.append(anchor)
    return anchors


def issue_sync_sections(*, issue: Issue, parsed: ParsedIssue) -> SyncCounts:
    """Apply ``parsed`` to ``issue`` (which must be saved). Call inside a transaction."""
    counts = SyncCounts()
    pool: dict[tuple[str, str], list[Section]] = defaultdict(list)
    for section in issue.sections.prefetch_related("paragraphs"):
        pool[(section.kind, section.headline)].append(section)

    plan: list[tuple[Section | None, ParsedSection, str]] = []
    for parsed_section, anchor in zip(parsed.sections, section_anchors(parsed.sections), strict=True):
        candidates = pool.get((parsed_section.kind, parsed_section.headline))
        plan.append((candidates.pop(0) if candidates else None, parsed_section, anchor))
    plan = _match_renamed(plan, [s for group in pool.values() for s in group])

    kept_ids = {section.pk for section, _, _ in plan if section is not None}
    leftovers = [s.pk for group in pool.values() for s in group if s.pk not in kept_ids]
    if leftovers:
        counts.sections_deleted = len(leftovers)
        story_vectors_forget(section_ids=leftovers)  # out of the related-story counts first
        Section.objects.filter(pk__in=leftovers).delete()
    # Kept sections may swap anchors; park them on unique placeholders first.
    kept = [section for section, _, _ in plan if section is not None]
    for section in kept:
        section.anchor = f"tmp-{section.pk}"
    Section.objects.bulk_update(kept, ["anchor"])

    new_paragraphs: list[Paragraph] = []
    for position, (section, parsed_section, anchor) in enumerate(plan):
        if section is None:
            section = Section.objects.create(
                issue=issue,
                position=position,
                kind=parsed_section.kind,
                headline=parsed_section.headline,
                dek=parsed_section.dek,
                anchor=anchor,
            )
            counts.sections_created += 1
            new_paragraphs += [
                _new_paragraph(section, i, p) for i, p in enumerate(parsed_section.paragraphs)
            ]
            continue
        counts.sections_kept += 1
        section.position, section.dek, section.anchor = position, parsed_section.dek, anchor
        section.headline = parsed_section.headline
        section.save(update_fields=["position", "dek", "anchor", "headline"])
        new_paragraphs += _sync_paragraphs(section, parsed_section, counts)
    Paragraph.objects.bulk_create(new_paragraphs)
    counts.paragraphs_created = len(new_paragraphs)
    return counts


def _match_renamed(
    plan: list[tuple[Section | None, ParsedSection, str]], leftovers: list[Section]
) -> list[tuple[Section | None, ParsedSection, str]]:
    """A section whose headline was edited is still the same story when at least half of its
    paragraphs come back word for word in a new section of the same kind: keep it (and the tags
    and discussion hanging on it) instead of deleting it and creating another."""
    available = list(leftovers)
    matched = []
    for section, parsed_section, anchor in plan:
        if section is None and available:
            texts = {p.text for p in parsed_section.paragraphs}
            scored = [(_overlap(s, texts), s) for s in available if s.kind == parsed_section.kind]
            score, best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
            if best is not None and score >= 0.5:
                available.remove(best)
                section = best
        matched.append((section, parsed_section, anchor))
    return matched


def _overlap(section: Section, texts: set[str]) -> float:
    """Share of ``section``'s paragraphs whose text is among ``texts``."""
    old_texts = [p.text for p in section.paragraphs.all()]
    return sum(t in texts for t in old_texts) / len(old_texts) if old_texts else 0.0


def _sync_paragraphs(section: Section, parsed: ParsedSection, counts: SyncCounts) -> list[Paragraph]:
    pool: dict[str, list[Paragraph]] = defaultdict(list)
    for paragraph in section.paragraphs.all():
        pool[paragraph.text].append(paragraph)
    kept: list[Paragraph] = []
    created: list[Paragraph] = []
    for position, parsed_paragraph in enumerate(parsed.paragraphs):
        candidates = pool.get(parsed_paragraph.text)
        if not candidates:
            created.append(_new_paragraph(section, position, parsed_paragraph))
            continue
        paragraph = candidates.pop(0)
        paragraph.position = position
        paragraph.kind = parsed_paragraph.kind
        paragraph.marks = _marks(parsed_paragraph)
        kept.append(paragraph)
    Paragraph.objects.bulk_update(kept, ["position", "kind", "marks"])
    leftovers = [p.pk for group in pool.values() for p in group]
    Paragraph.objects.filter(pk__in=leftovers).delete()
    counts.paragraphs_kept += len(kept)
    counts.paragraphs_deleted += len(leftovers)
    return created


def _new_paragraph(section: Section, position: int, parsed: ParsedParagraph) -> Paragraph:
    return Paragraph(
        section=section, position=position, kind=parsed.kind, text=parsed.text, marks=_marks(parsed)
    )


def _marks(parsed: ParsedParagraph) -> list[dict]:
    return [asdict(mark) for mark in parsed.marks]
