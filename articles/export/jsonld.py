"""W3C Web Annotation Data Model export (JSON-LD, https://www.w3.org/TR/annotation-model/).

One ``AnnotationCollection`` with one ``AnnotationPage`` of ``Annotation`` items:

- a **highlight**: motivation ``highlighting`` (``commenting`` when it has a note, ``assessing``
  when it is a claim); target ``{"source": <the paragraph's URL>, "selector": [TextQuoteSelector,
  TextPositionSelector]}`` (an orphaned highlight targets the issue with its quote only); bodies:
  the note as a ``TextualBody`` (``purpose: commenting``, ``format: text/markdown``), one
  ``TextualBody`` per tag (``purpose: tagging``), the claim status (``purpose: assessing``);
- a **paragraph note**: motivation ``commenting``, the whole paragraph as target (its IRI);
- a **comment**: motivation ``replying``; target = the id of the highlight annotation, of the
  comment it answers, or of the section (its URL on the issue page) for a section's discussion.
- section tags are left out (the model's tagging bodies need an annotation to belong to;
  highlights carry their own tags).

Ids are IRIs under the issue page: ``<issue URL>#highlight-<id>``, ``#note-<id>``,
``#comment-<id>``; targets are the ready-made ``url`` of the export's dataclasses. ``creator`` is a ``Person`` with the username as ``nickname`` (no e-mail).
Digest's visibility and colour have no term in the model and are left out.
"""

from __future__ import annotations

import datetime

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

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def document_jsonld(doc: ExportDocument) -> dict:
    items: list[dict] = []
    for issue in doc.issues:
        items += issue_annotations(issue)
    return {
        "@context": CONTEXT,
        "id": doc.url,
        "type": "AnnotationCollection",
        "label": doc.title,
        "generated": _iso(doc.generated),
        "total": len(items),
        "first": {"id": f"{doc.url}#page-1", "type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def issue_annotations(issue: ExportIssue) -> list[dict]:
    items: list[dict] = []
    for section in issue.sections:
        for write in SECTION_WRITERS.values():
            items += write(issue, section)
    return items


def _highlights(issue: ExportIssue, section: ExportSection) -> list[dict]:
    """Each highlight, followed by the replies of its thread."""
    items: list[dict] = []
    for hl in section.highlights:
        items.append(_highlight(issue, hl))
        if hl.thread:
            items += _replies(issue, hl.thread, target=_id(issue, "highlight", hl.id))
    return items


def _notes(issue: ExportIssue, section: ExportSection) -> list[dict]:
    return [_note(issue, note) for note in section.notes]


def _discussion(issue: ExportIssue, section: ExportSection) -> list[dict]:
    """The replies of the section's own thread (a highlight's come with the highlight)."""
    return _replies(issue, section.thread, target=section.url) if section.thread else []


def _nothing(issue: ExportIssue, section: ExportSection) -> list[dict]:
    """Section tags: left out (see the module's docstring)."""
    return []


# What each annotation kind (articles.kinds.ANNOTATION_KINDS) writes for a section, in this order.
SECTION_WRITERS = {
    kinds.HIGHLIGHT: _highlights,
    kinds.NOTE: _notes,
    kinds.COMMENT: _discussion,
    kinds.SECTION_TAG: _nothing,
}


def _highlight(issue: ExportIssue, hl: ExportHighlight) -> dict:
    quote = {"type": "TextQuoteSelector", "exact": hl.exact, "prefix": hl.prefix, "suffix": hl.suffix}
    if hl.paragraph_id is None:
        target = {"source": issue.url, "selector": quote}
    else:
        position = {"type": "TextPositionSelector", "start": hl.start, "end": hl.end}
        target = {"source": hl.url, "selector": [quote, position]}
    bodies = []
    if hl.note:
        bodies.append(_text(hl.note, "commenting"))
    bodies += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in hl.tags]
    if hl.is_claim:
        claim = {"type": "TextualBody", "value": hl.claim_status.replace("_", " "), "purpose": "assessing"}
        bodies.append(claim)
    motivation = "assessing" if hl.is_claim else "commenting" if hl.note else "highlighting"
    return _annotation(_id(issue, "highlight", hl.id), motivation, hl.author, hl.created, hl.modified, bodies, target)


def _note(issue: ExportIssue, note: ExportNote) -> dict:
    return _annotation(
        _id(issue, "note", note.id), "commenting", note.author, note.created, note.modified,
        [_text(note.body, "commenting")], note.url,
    )


def _replies(issue: ExportIssue, thread: ExportThread, *, target: str) -> list[dict]:
    items = []
    for comment in thread.comments:
        items.append(_comment(issue, comment, target))
        items += [_comment(issue, r, _id(issue, "comment", comment.id)) for r in comment.replies]
    return items


def _comment(issue: ExportIssue, c: ExportComment, target: str) -> dict:
    bodies = [] if c.deleted else [_text(c.body, "replying")]
    return _annotation(_id(issue, "comment", c.id), "replying", c.author, c.created, c.modified, bodies, target)


def _annotation(id_, motivation, author, created, modified, bodies, target) -> dict:
    annotation = {
        "id": id_,
        "type": "Annotation",
        "motivation": motivation,
        "creator": {"type": "Person", "nickname": author, "name": author},
        "created": _iso(created),
        "modified": _iso(modified),
    }
    if bodies:
        annotation["body"] = bodies
    annotation["target"] = target
    return annotation


def _text(value: str, purpose: str) -> dict:
    return {"type": "TextualBody", "value": value, "format": "text/markdown", "purpose": purpose}


def _id(issue: ExportIssue, kind: str, pk: int) -> str:
    return f"{issue.url}#{kind}-{pk}"


def _iso(moment: datetime.datetime) -> str:
    return moment.isoformat(timespec="seconds")
