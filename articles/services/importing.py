"""Import newsletter files: parse (pure, ``articles.importer``) then write, one transaction per file.

Re-importing the same bytes changes nothing ("unchanged"); changed bytes for an issue already in
the database (same newsletter + number, else same source file name) update it in place, keeping
the identities of sections and paragraphs whose text did not change (annotations hang on them).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.utils.text import slugify

from articles import importer
from articles.importer.types import ParsedIssue
from articles.models import Issue, Newsletter

from .anchoring import anchors_snapshot, issue_reanchor
from .derived import issue_derived_rebuild
from .issue_sync import issue_sync_sections

logger = logging.getLogger(__name__)


class ImportStatus(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True)
class ImportResult:
    name: str
    status: ImportStatus
    issue: Issue | None = None
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.status is ImportStatus.FAILED

    def __str__(self) -> str:
        return f"{self.name}: {self.status}" + (f" — {self.detail}" if self.detail else "")


def import_files(files: Iterable[tuple[str, bytes]]) -> list[ImportResult]:
    """Import each ``(file name, raw bytes)``; a failing file never stops the others."""
    return [import_source(name=name, raw=raw) for name, raw in files]


def import_source(*, name: str, raw: bytes) -> ImportResult:
    """Import one file. On any error nothing from this file is written."""
    try:
        decoded = importer.decode_source(raw)
        sha256 = hashlib.sha256(decoded.text.encode("utf-8")).hexdigest()
        same_bytes = Issue.objects.filter(source_sha256=sha256).first()
        if same_bytes is not None:
            return ImportResult(name, ImportStatus.UNCHANGED, same_bytes, _describe(same_bytes, ""))
        parsed = importer.parse_text(decoded.text)
    except importer.ParseError as exc:
        return ImportResult(name, ImportStatus.FAILED, detail=str(exc))
    except RecursionError:
        return ImportResult(name, ImportStatus.FAILED, detail="input is nested too deeply to parse")
    try:
        with transaction.atomic():
            return _store(name=name, decoded=decoded, parsed=parsed, sha256=sha256)
    except Exception as exc:  # a database error must not abort the rest of the batch
        logger.exception("import of %s failed", name)
        return ImportResult(name, ImportStatus.FAILED, detail=f"could not be saved ({exc})")


def issue_reparse(*, issue: Issue) -> ImportResult:
    """Parse ``issue``'s stored source again (e.g. after a parser fix) and update it in place."""
    name = issue.source_name
    try:
        parsed = importer.parse_text(issue.source_text)
    except importer.ParseError as exc:
        return ImportResult(name, ImportStatus.FAILED, issue, str(exc))
    with transaction.atomic():
        _apply_metadata(issue, parsed)
        issue.save()
        counts = _sync(issue, parsed)
        issue_derived_rebuild(issue=issue)
    return ImportResult(name, ImportStatus.UPDATED, issue, f"re-parsed; {counts}")


def _store(*, name: str, decoded, parsed: ParsedIssue, sha256: str) -> ImportResult:
    notes = "; ".join(decoded.notes + parsed.notes)
    newsletter, _ = Newsletter.objects.get_or_create(
        name=parsed.newsletter, defaults={"slug": slugify(parsed.newsletter)}
    )
    issue = _existing_issue(newsletter, parsed, name)
    status = ImportStatus.UPDATED if issue else ImportStatus.CREATED
    if issue is None:
        issue = Issue(newsletter=newsletter, slug=_new_slug(newsletter, parsed))
    _apply_metadata(issue, parsed)
    issue.source_name = name[:255]
    issue.source_sha256 = sha256
    issue.source_format = parsed.format
    issue.source_encoding = decoded.encoding
    issue.source_text = decoded.text
    issue.save()
    counts = _sync(issue, parsed) if status is ImportStatus.UPDATED else issue_sync_sections(issue=issue, parsed=parsed)
    issue_derived_rebuild(issue=issue)
    detail = _describe(issue, notes)
    if status is ImportStatus.UPDATED:
        detail = f"{detail}; {counts}"
    return ImportResult(name, status, issue, detail)


def _sync(issue: Issue, parsed: ParsedIssue) -> str:
    """Sync sections/paragraphs, then re-anchor the issue's annotations; a summary for the report."""
    snapshot = anchors_snapshot(issue)
    counts = issue_sync_sections(issue=issue, parsed=parsed)
    anchors = issue_reanchor(issue=issue, snapshot=snapshot)
    if anchors:
        return f"{counts}; annotations: " + ", ".join(f"{n} {status}" for status, n in sorted(anchors.items()))
    return str(counts)


def _existing_issue(newsletter: Newsletter, parsed: ParsedIssue, name: str) -> Issue | None:
    issues = Issue.objects.filter(newsletter=newsletter)
    if parsed.number is not None:
        by_number = issues.filter(number=parsed.number).first()
        if by_number is not None:
            return by_number
    return issues.filter(source_name=name).first()


def _apply_metadata(issue: Issue, parsed: ParsedIssue) -> None:
    if not issue.metadata_edited:
        issue.title = parsed.title[:500]
        issue.number = parsed.number
    issue.subtitle = parsed.subtitle[:1000]
    issue.author = parsed.author[:200]


def _new_slug(newsletter: Newsletter, parsed: ParsedIssue) -> str:
    base = slugify(f"{newsletter.name} {parsed.number}" if parsed.number else parsed.title)[:100]
    base = base or "issue"
    slug, n = base, 2
    while Issue.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _describe(issue: Issue, notes: str) -> str:
    text = f"{issue} ({issue.sections.count()} sections)"
    return f"{text}; {notes}" if notes else text
