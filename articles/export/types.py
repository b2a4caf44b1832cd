"""What an export contains: frozen dataclasses built by ``articles.selectors.export``.

Links are ready-made: ``url`` fields are absolute URLs the selector builds with the models' URL
helpers (``Issue.url_at``), so the formatters never spell an anchor themselves."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ExportComment:
    id: int
    author: str
    created: datetime.datetime
    modified: datetime.datetime
    body: str  # Markdown source; "" when deleted
    deleted: bool = False
    parent_id: int | None = None
    replies: tuple[ExportComment, ...] = ()


@dataclass(frozen=True)
class ExportThread:
    id: int
    resolved: bool
    comments: tuple[ExportComment, ...] = ()  # top-level comments, each with its replies


@dataclass(frozen=True)
class ExportHighlight:
    id: int
    paragraph_id: int | None  # None: orphaned by a re-import
    paragraph_anchor: str  # the paragraph's DOM id on the issue page; "" when orphaned
    url: str  # absolute: the paragraph on the issue page, or the issue page when orphaned
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    author: str
    visibility: str
    colour: str
    is_claim: bool
    claim_status: str
    due_date: datetime.date | None
    note: str  # Markdown source
    tags: tuple[str, ...]
    created: datetime.datetime
    modified: datetime.datetime
    thread: ExportThread | None = None


@dataclass(frozen=True)
class ExportNote:
    id: int
    paragraph_id: int | None
    paragraph_anchor: str  # the paragraph's DOM id on the issue page; "" when orphaned
    url: str  # absolute: the paragraph on the issue page, or the issue page when orphaned
    paragraph_text: str
    body: str
    author: str
    visibility: str
    created: datetime.datetime
    modified: datetime.datetime


@dataclass(frozen=True)
class ExportSection:
    id: int | None  # None: the "orphaned annotations" group
    anchor: str
    title: str
    url: str  # absolute: the section on the issue page (the orphan list for the orphans group)
    tags: tuple[str, ...] = ()
    highlights: tuple[ExportHighlight, ...] = ()
    notes: tuple[ExportNote, ...] = ()
    thread: ExportThread | None = None


@dataclass(frozen=True)
class ExportIssue:
    id: int
    slug: str
    title: str
    newsletter: str
    number: int | None
    url: str  # absolute
    sections: tuple[ExportSection, ...] = ()  # only sections with annotations, in reading order


@dataclass(frozen=True)
class ExportDocument:
    title: str
    team: str
    requested_by: str
    generated: datetime.datetime
    url: str  # absolute URL of the export itself (JSON-LD collection id)
    issues: tuple[ExportIssue, ...] = field(default_factory=tuple)
