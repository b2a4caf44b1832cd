"""CSV export: one row per annotation (highlight, paragraph note, comment), RFC 4180.

Decisions:
- Written by the ``csv`` module (CRLF line ends, fields quoted when needed, embedded newlines
  kept inside quotes), as UTF-8 **with a BOM**: Excel opens a BOM-less UTF-8 CSV as cp1252 and
  garbles every curly quote and accent; LibreOffice, Numbers, pandas (``encoding="utf-8-sig"``)
  and Python's csv read it fine.
- Cells of user text that begin with ``= + - @``, a tab or a carriage return get a leading
  apostrophe so a spreadsheet does not run them as formulas (CSV injection, OWASP's advice).
- Comments carry the highlight or section they discuss in ``parent``, replies the comment they
  answer; ``quote`` is the highlight's quote for highlights and the paragraph's text for notes.
- Section tags are not rows (a tag has no text of its own to put in ``body``); highlights carry
  their own tags in ``tags``.
"""

from __future__ import annotations

import csv
import datetime
import io

from articles import kinds

from .types import (
    ExportComment,
    ExportDocument,
    ExportHighlight,
    ExportIssue,
    ExportNote,
    ExportSection,
    ExportThread,
)

BOM = "\ufeff"
COLUMNS = (
    "kind", "id", "issue", "section", "paragraph", "quote", "body", "tags", "author",
    "visibility", "claim_status", "due_date", "parent", "created", "modified", "url",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def document_csv(doc: ExportDocument) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in document_rows(doc):
        writer.writerow([_cell(row.get(column, "")) for column in COLUMNS])
    return out.getvalue()


def document_rows(doc: ExportDocument) -> list[dict]:
    rows: list[dict] = []
    for issue in doc.issues:
        for section in issue.sections:
            rows += _section_rows(issue, section)
    return rows


def _section_rows(issue: ExportIssue, section: ExportSection) -> list[dict]:
    base = {"issue": issue.title, "section": section.title}
    rows: list[dict] = []
    for write in SECTION_WRITERS.values():
        rows += write(issue, base, section)
    return rows


def _highlight_rows(issue: ExportIssue, base: dict, section: ExportSection) -> list[dict]:
    """Each highlight, followed by the comments of its thread."""
    rows: list[dict] = []
    for hl in section.highlights:
        rows.append(_highlight(base, hl))
        if hl.thread:
            rows += _thread_rows(issue, base, hl.thread, parent=f"highlight {hl.id}", paragraph=hl.paragraph_anchor)
    return rows


def _note_rows(issue: ExportIssue, base: dict, section: ExportSection) -> list[dict]:
    return [_note(base, note) for note in section.notes]


def _discussion_rows(issue: ExportIssue, base: dict, section: ExportSection) -> list[dict]:
    """The comments of the section's own thread (a highlight's come with the highlight)."""
    if not section.thread:
        return []
    return _thread_rows(issue, base, section.thread, parent=f"section {section.anchor}", paragraph="")


def _no_rows(issue: ExportIssue, base: dict, section: ExportSection) -> list[dict]:
    """Section tags: left out (see the module's docstring)."""
    return []


# What each annotation kind (articles.kinds.ANNOTATION_KINDS) writes in a section, in this order.
SECTION_WRITERS = {
    kinds.HIGHLIGHT: _highlight_rows,
    kinds.NOTE: _note_rows,
    kinds.COMMENT: _discussion_rows,
    kinds.SECTION_TAG: _no_rows,
}


def _highlight(base: dict, hl: ExportHighlight) -> dict:
    return {
        **base, "kind": "highlight", "id": hl.id, "paragraph": hl.paragraph_anchor, "quote": hl.exact,
        "body": hl.note, "tags": ", ".join(hl.tags), "author": hl.author, "visibility": hl.visibility,
        "claim_status": hl.claim_status if hl.is_claim else "",
        "due_date": hl.due_date.isoformat() if hl.due_date else "",
        "created": _iso(hl.created), "modified": _iso(hl.modified), "url": hl.url,
    }


def _note(base: dict, note: ExportNote) -> dict:
    return {
        **base, "kind": "note", "id": note.id, "paragraph": note.paragraph_anchor,
        "quote": note.paragraph_text, "body": note.body, "author": note.author,
        "visibility": note.visibility, "created": _iso(note.created), "modified": _iso(note.modified),
        "url": note.url,
    }


def _thread_rows(issue: ExportIssue, base: dict, thread: ExportThread, *, parent: str, paragraph: str) -> list[dict]:
    rows = []
    for comment in thread.comments:
        rows.append(_comment(issue, base, comment, parent, paragraph))
        rows += [_comment(issue, base, r, f"comment {comment.id}", paragraph) for r in comment.replies]
    return rows


def _comment(issue: ExportIssue, base: dict, c: ExportComment, parent: str, paragraph: str) -> dict:
    return {
        **base, "kind": "comment", "id": c.id, "paragraph": paragraph,
        "body": "(deleted)" if c.deleted else c.body, "author": c.author, "visibility": "team",
        "parent": parent, "created": _iso(c.created), "modified": _iso(c.modified), "url": issue.url,
    }


def _iso(moment: datetime.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
