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
"""

from __future__ import annotations

import csv
import datetime
import io

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
    for hl in section.highlights:
        rows.append(_highlight(issue, base, hl))
        if hl.thread:
            rows += _thread_rows(issue, base, hl.thread, parent=f"highlight {hl.id}", paragraph=_anchor(hl.paragraph_id))
    for note in section.notes:
        rows.append(_note(issue, base, note))
    if section.thread:
        rows += _thread_rows(issue, base, section.thread, parent=f"section {section.anchor}", paragraph="")
    return rows


def _highlight(issue: ExportIssue, base: dict, hl: ExportHighlight) -> dict:
    return {
        **base, "kind": "highlight", "id": hl.id, "paragraph": _anchor(hl.paragraph_id), "quote": hl.exact,
        "body": hl.note, "tags": ", ".join(hl.tags), "author": hl.author, "visibility": hl.visibility,
        "claim_status": hl.claim_status if hl.is_claim else "",
        "due_date": hl.due_date.isoformat() if hl.due_date else "",
        "created": _iso(hl.created), "modified": _iso(hl.modified), "url": _url(issue, hl.paragraph_id),
    }


def _note(issue: ExportIssue, base: dict, note: ExportNote) -> dict:
    return {
        **base, "kind": "note", "id": note.id, "paragraph": _anchor(note.paragraph_id),
        "quote": note.paragraph_text, "body": note.body, "author": note.author,
        "visibility": note.visibility, "created": _iso(note.created), "modified": _iso(note.modified),
        "url": _url(issue, note.paragraph_id),
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


def _anchor(paragraph_id: int | None) -> str:
    return f"p-{paragraph_id}" if paragraph_id else ""


def _url(issue: ExportIssue, paragraph_id: int | None) -> str:
    return f"{issue.url}#p-{paragraph_id}" if paragraph_id else issue.url


def _iso(moment: datetime.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
