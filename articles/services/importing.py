"""Import newsletters: split a source into items and extract each (pure, ``articles.importer``),
then write each item in its own transaction.

Re-importing the same item changes nothing ("unchanged"); a changed item that is already in the
database (same feed GUID / Message-ID, else same newsletter + number, else same newsletter +
canonical URL, else same newsletter + source file name) updates it in place, keeping the
identities of sections and paragraphs whose text did not change (annotations hang on them).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from django.db import DatabaseError, transaction
from django.utils.text import slugify

from articles import importer
from articles.anchoring.selectors import placements_snapshot
from articles.anchoring.services import issue_reanchor, orphaned_by_sync
from articles.importer.types import (
    DOC_HTML,
    DOC_MARKDOWN,
    DOC_TEXT,
    GENERIC_HTML,
    GENERIC_MARKDOWN,
    IMPORTAI_HTML,
    Document,
    ItemFailure,
    ParsedIssue,
    SourceMeta,
)
from articles.models import Issue, Newsletter

from .derived import issue_derived_after_commit, issue_derived_rebuild
from .issue_sync import issue_sync_sections
from .newsletters import newsletter_for_import
from .orphans import snapshots_refresh

logger = logging.getLogger(__name__)

# The document kind an issue's stored source is re-parsed as, by the format that extracted it.
_REPARSE_KIND = {IMPORTAI_HTML: DOC_HTML, GENERIC_HTML: DOC_HTML, GENERIC_MARKDOWN: DOC_MARKDOWN}


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
    retryable: bool = False  # failed for a reason outside the item (the database): try it again later

    @property
    def failed(self) -> bool:
        return self.status is ImportStatus.FAILED

    def as_dict(self) -> dict:
        """The report line as JSON-able data (kept on background import jobs)."""
        return {
            "name": self.name, "status": str(self.status), "detail": self.detail,
            "issue_id": self.issue.pk if self.issue else None,
        }

    def __str__(self) -> str:
        return f"{self.name}: {self.status}" + (f" — {self.detail}" if self.detail else "")


OnResult = Callable[[ImportResult], None]


def import_files(files: Iterable[tuple[str, bytes]], *, on_result: OnResult | None = None) -> list[ImportResult]:
    """Import each ``(file name, raw bytes)``; one result per issue found (a zip, mbox or feed
    holds many). A failing item never stops the others."""
    results: list[ImportResult] = []
    for name, raw in files:
        results += import_source(name=name, raw=raw, on_result=on_result)
    return results


def import_source(
    *, name: str, raw: bytes, meta: SourceMeta = SourceMeta(), on_result: OnResult | None = None
) -> list[ImportResult]:
    """Import every issue in one source (``meta``: what the channel knows, e.g. the feed)."""
    results = []
    for item in source_items(name, raw, meta):
        result = import_item(item)
        if on_result is not None:
            on_result(result)
        results.append(result)
    return results


def source_items(name: str, raw: bytes, meta: SourceMeta = SourceMeta()) -> Iterator[Document | ItemFailure]:
    """``split_items``, with a splitter bug reported as a failed item instead of ending the batch
    (or a mailbox poll) for every later source."""
    items = importer.split_items(name, raw, meta=meta)
    while True:
        try:
            item = next(items)
        except StopIteration:
            return
        except Exception as exc:
            logger.exception("splitting %s failed", name)
            yield ItemFailure(name, f"could not be read ({type(exc).__name__})")
            return
        yield item


def import_item(item: Document | ItemFailure) -> ImportResult:
    """Import one item. On any error nothing from this item is written."""
    if isinstance(item, ItemFailure):
        return ImportResult(item.name, ImportStatus.FAILED, detail=item.reason)
    name = item.name
    try:
        sha256 = _item_hash(item)
        same = Issue.objects.filter(source_sha256=sha256).first()
        if same is not None:
            return ImportResult(name, ImportStatus.UNCHANGED, same, _describe(same, ""))
        parsed = importer.extract(item)
    except importer.ParseError as exc:
        return ImportResult(name, ImportStatus.FAILED, detail=str(exc))
    except RecursionError:
        return ImportResult(name, ImportStatus.FAILED, detail="input is nested too deeply to parse")
    except DatabaseError as exc:
        logger.exception("looking up %s failed", name)
        return ImportResult(name, ImportStatus.FAILED, detail=f"could not be saved ({exc})", retryable=True)
    except Exception as exc:  # a parser bug must not abort the rest of the batch
        logger.exception("extraction of %s failed", name)
        return ImportResult(name, ImportStatus.FAILED, detail=f"could not be read ({type(exc).__name__})")
    try:
        with transaction.atomic():
            result = _store(document=item, parsed=parsed, sha256=sha256)
    except Exception as exc:  # a database error must not abort the rest of the batch
        logger.exception("import of %s failed", name)
        retryable = isinstance(exc, DatabaseError)
        return ImportResult(name, ImportStatus.FAILED, detail=f"could not be saved ({exc})", retryable=retryable)
    issue_derived_after_commit(issue=result.issue)  # related stories: outside the write transaction
    return result


def issue_reparse(*, issue: Issue) -> ImportResult:
    """Extract ``issue``'s stored source again (e.g. after a parser fix) and update it in place."""
    name = issue.source_name
    document = Document(
        name=name,
        kind=_REPARSE_KIND.get(issue.source_format, DOC_TEXT),
        body=issue.source_text,
        # What the channel said at import time (the feed entry's title, the e-mail's date) is
        # on the issue now; it fills in again what the body itself does not say.
        meta=SourceMeta(title=issue.title, author=issue.author, published_at=issue.published_at, url=issue.url),
    )
    try:
        parsed = importer.extract(document)
    except importer.ParseError as exc:
        return ImportResult(name, ImportStatus.FAILED, issue, str(exc))
    with transaction.atomic():
        _apply_metadata(issue, parsed)
        issue.source_format = parsed.format
        issue.save()
        counts = _sync(issue, parsed)
        issue_derived_rebuild(issue=issue)
    issue_derived_after_commit(issue=issue)
    return ImportResult(name, ImportStatus.UPDATED, issue, f"re-parsed; {counts}")


def _item_hash(document: Document) -> str:
    """SHA-256 of the normalised body, plus the channel's metadata when it gave any (a feed entry
    whose title or date changed is an update even when its body is the same)."""
    data = document.body
    if document.meta != SourceMeta():
        data += "\0" + json.dumps(
            [document.meta.newsletter_key, document.meta.guid, document.meta.title, str(document.meta.published_at),
             document.meta.url],
        )
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _store(*, document: Document, parsed: ParsedIssue, sha256: str) -> ImportResult:
    choice = newsletter_for_import(key=parsed.newsletter_key, name=parsed.newsletter, file_name=document.name)
    newsletter = choice.newsletter
    source_key = _source_key(parsed)
    issue = _existing_issue(newsletter, parsed, document.name, source_key)
    status = ImportStatus.UPDATED if issue else ImportStatus.CREATED
    if issue is None:
        issue = Issue(newsletter=newsletter, slug=_new_slug(newsletter, parsed))
    _apply_metadata(issue, parsed)
    issue.source_name = document.name[:255]
    issue.source_sha256 = sha256
    issue.source_format = parsed.format
    issue.source_encoding = document.encoding[:16]
    issue.source_text = document.body
    issue.source_key = source_key or issue.source_key
    issue.save()
    counts = _sync(issue, parsed) if status is ImportStatus.UPDATED else issue_sync_sections(issue=issue, parsed=parsed)
    issue_derived_rebuild(issue=issue)
    notes = "; ".join(n for n in (choice.note, *parsed.notes) if n)
    detail = _describe(issue, notes)
    if status is ImportStatus.UPDATED:
        detail = f"{detail}; {counts}"
    return ImportResult(document.name, status, issue, detail)


def _source_key(parsed: ParsedIssue) -> str:
    """The item's identity across channels: a Message-ID, or a feed GUID that is a URI (a post's
    address, ``tag:``, ``urn:``), is unique on its own, so the same post arriving by feed file and
    by subscription is one issue; a bare GUID ("42") is only unique within its newsletter."""
    if not parsed.guid:
        return ""
    value = parsed.guid.partition(":")[2]
    if parsed.guid.startswith("message-id:") or "://" in value or value.startswith(("tag:", "urn:")):
        return parsed.guid[:500]
    return f"{parsed.newsletter_key} {parsed.guid}"[:500]


def _sync(issue: Issue, parsed: ParsedIssue) -> str:
    """Sync sections/paragraphs, then re-anchor the issue's annotations; a summary for the report,
    which says what the sync orphaned ("2 highlights, 1 thread orphaned")."""
    snapshot = placements_snapshot(issue)
    snapshots_refresh(issue=issue)  # the headlines of stories the sync may drop
    counts = issue_sync_sections(issue=issue, parsed=parsed)
    anchors = issue_reanchor(issue=issue, snapshot=snapshot)
    snapshots_refresh(issue=issue)  # what is still placed takes the new title and headlines
    summary = str(counts)
    if anchors:
        summary += "; annotations: " + ", ".join(f"{n} {status}" for status, n in sorted(anchors.items()))
    orphaned = orphaned_by_sync(snapshot=snapshot)
    return f"{summary}; {orphaned} orphaned" if orphaned else summary


def _existing_issue(newsletter: Newsletter, parsed: ParsedIssue, name: str, source_key: str) -> Issue | None:
    if source_key:
        by_key = Issue.objects.filter(source_key=source_key).first()
        if by_key is not None:
            return by_key
    issues = Issue.objects.filter(newsletter=newsletter)
    if parsed.number is not None:
        by_number = issues.filter(number=parsed.number).first()
        if by_number is not None:
            return by_number
    if parsed.url:
        by_url = issues.filter(url=parsed.url).first()
        if by_url is not None:
            return by_url
    if source_key:  # a feed entry or message never replaces another one that shares a file name
        return None
    # An edited file of the same issue: same file name, and the same title or date (many
    # different issues are saved as "email.html"; those must never overwrite each other).
    same_name = issues.filter(source_name=name[:255])
    if parsed.title:
        by_title = same_name.filter(title=parsed.title[:500]).first()
        if by_title is not None:
            return by_title
    if parsed.published_at is not None:
        by_date = same_name.filter(published_at=parsed.published_at).first()
        if by_date is not None:
            return by_date
    # Staff retitled it in the admin: the file's own title no longer matches what is stored.
    edited = list(same_name.filter(metadata_edited=True)[:2])
    return edited[0] if len(edited) == 1 else None


def _apply_metadata(issue: Issue, parsed: ParsedIssue) -> None:
    if not issue.metadata_edited:
        issue.title = (parsed.title or issue.title or "Untitled")[:500]
        issue.number = parsed.number
    issue.subtitle = parsed.subtitle[:1000]
    issue.author = parsed.author[:200]
    issue.published_at = parsed.published_at or issue.published_at
    if parsed.url and len(parsed.url) <= 2000:
        issue.url = parsed.url


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
