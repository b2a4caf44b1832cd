"""Keep ``SearchDocument`` rows in step with the content and annotations they copy.

Called by the import (``issue_index``, registered in ``services/derived.py``) and by the
annotation services (``document_sync`` after a create/update, ``document_forget`` before a
delete), always inside the caller's transaction. Each call replaces the rows derived from one
object: delete them, build them again. The full-text structures (FTS5 table, tsvector) follow
through database triggers, so this module is the same on SQLite and PostgreSQL.

Each annotation kind has its builder in ``DOCUMENT_BUILDERS`` (keyed by
``articles.kinds.ANNOTATION_KINDS``); ``document_sync``/``document_forget`` say which rows one
changed object touches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from articles import kinds
from articles.models import (
    Comment,
    DocumentKind,
    Highlight,
    Issue,
    Note,
    Paragraph,
    SearchDocument,
    Section,
    SectionTag,
    Tag,
    Visibility,
)

BATCH = 2000
K = DocumentKind


def _doc(kind: str, pk: int, issue_id: int, text: str, **fields) -> SearchDocument:
    return SearchDocument(kind=kind, object_id=pk, issue_id=issue_id, text=text.replace("\x00", ""), **fields)


def _join(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


# --- newsletter text -------------------------------------------------------------------------

def _text_documents(issues: QuerySet) -> Iterator[SearchDocument]:
    for pk, title, subtitle in issues.values_list("pk", "title", "subtitle").iterator():
        yield _doc(K.ISSUE, pk, pk, _join(title, subtitle))
    sections = Section.objects.filter(issue__in=issues)
    for pk, issue_id, headline, dek in sections.values_list("pk", "issue_id", "headline", "dek").iterator():
        if headline or dek:
            yield _doc(K.SECTION, pk, issue_id, _join(headline, dek), section_id=pk)
    paragraphs = Paragraph.objects.filter(section__issue__in=issues)
    for pk, section_id, issue_id, text in paragraphs.values_list("pk", "section_id", "section__issue_id", "text").iterator():
        yield _doc(K.PARAGRAPH, pk, issue_id, text, section_id=section_id, paragraph_id=pk)


# --- annotations -----------------------------------------------------------------------------

def _orphan(obj) -> dict:
    """An orphan of a deleted issue (``issue`` NULL) carries its snapshot: the results page shows
    it under the issue's title and the story's headline when they were last seen."""
    if obj.issue_id is not None:
        return {}
    return {"issue_title": obj.issue_title, "section_headline": obj.section_headline}


def _private(obj) -> dict:
    """Team rows for every member; private rows for their author only."""
    return {"team_id": obj.team_id, "author_id": obj.author_id, "owner_id": obj.author_id, "visibility": obj.visibility}


def _highlight_documents(highlights: QuerySet) -> Iterator[SearchDocument]:
    for h in highlights.select_related("paragraph").prefetch_related("tags"):
        section_id = h.paragraph.section_id if h.paragraph else None
        tags = " ".join(t.name for t in h.tags.all())
        yield _doc(K.HIGHLIGHT, h.pk, h.issue_id, _join(h.exact, h.note, tags),
                   section_id=section_id, paragraph_id=h.paragraph_id, **_private(h), **_orphan(h))


def _note_documents(notes: QuerySet) -> Iterator[SearchDocument]:
    for n in notes.select_related("paragraph"):
        section_id = n.paragraph.section_id if n.paragraph else None
        yield _doc(K.NOTE, n.pk, n.issue_id, n.body, section_id=section_id, paragraph_id=n.paragraph_id,
                   **_private(n), **_orphan(n))


def _comment_documents(comments: QuerySet) -> Iterator[SearchDocument]:
    """A comment is as visible as its thread: a thread on a private highlight is its author's."""
    for c in comments.filter(deleted=False).select_related("thread__highlight__paragraph"):
        thread, highlight = c.thread, c.thread.highlight
        private = highlight is not None and highlight.visibility == Visibility.PRIVATE
        paragraph = highlight.paragraph if highlight else None
        yield _doc(
            K.COMMENT, c.pk, thread.issue_id, c.body,
            section_id=paragraph.section_id if paragraph else thread.section_id,
            paragraph_id=paragraph.pk if paragraph else None,
            team_id=thread.team_id, author_id=c.author_id,
            owner_id=highlight.author_id if private else None,
            visibility=Visibility.PRIVATE if private else Visibility.TEAM, **_orphan(thread),
        )


def _section_tag_documents(section_tags: QuerySet) -> Iterator[SearchDocument]:
    for st in section_tags.select_related("tag", "section"):
        yield _doc(K.TAG, st.pk, st.section.issue_id if st.section_id else st.issue_id, st.tag.name, section_id=st.section_id,
                   team_id=st.tag.team_id, author_id=st.added_by_id, visibility=Visibility.TEAM,
                   **({} if st.section_id else _orphan(st)))


@dataclass(frozen=True)
class DocumentBuilder:
    """How one annotation kind is indexed: its rows in some issues, and their documents."""

    rows: Callable[[QuerySet], QuerySet]  # issues → the kind's rows in them
    documents: Callable[[QuerySet], Iterator[SearchDocument]]  # those rows → their SearchDocuments
    orphans: Callable[[], QuerySet]  # the kind's rows whose issue was deleted


# One builder per annotation kind (articles.kinds.ANNOTATION_KINDS), in the order they are indexed.
DOCUMENT_BUILDERS: dict[str, DocumentBuilder] = {
    kinds.HIGHLIGHT: DocumentBuilder(lambda issues: Highlight.objects.filter(issue__in=issues), _highlight_documents,
                                     lambda: Highlight.objects.filter(issue=None)),
    kinds.NOTE: DocumentBuilder(lambda issues: Note.objects.filter(issue__in=issues), _note_documents,
                                lambda: Note.objects.filter(issue=None)),
    kinds.COMMENT: DocumentBuilder(lambda issues: Comment.objects.filter(thread__issue__in=issues), _comment_documents,
                                   lambda: Comment.objects.filter(thread__issue=None)),
    kinds.SECTION_TAG: DocumentBuilder(
        lambda issues: SectionTag.objects.filter(section__issue__in=issues), _section_tag_documents,
        lambda: SectionTag.objects.filter(section=None, issue=None),
    ),
}


def _annotation_documents(issues: QuerySet) -> Iterator[SearchDocument]:
    for builder in DOCUMENT_BUILDERS.values():
        yield from builder.documents(builder.rows(issues))


def _write(documents: Iterable[SearchDocument]) -> int:
    batch, total = [], 0
    for document in documents:
        batch.append(document)
        if len(batch) >= BATCH:
            SearchDocument.objects.bulk_create(batch)
            total, batch = total + len(batch), []
    SearchDocument.objects.bulk_create(batch)
    return total + len(batch)


def _forget(kind: str, pks: Iterable[int]) -> None:
    SearchDocument.objects.filter(kind=kind, object_id__in=list(pks)).delete()


# --- entry points ----------------------------------------------------------------------------

def issue_index(*, issue: Issue) -> None:
    """Everything searchable in one issue, after an import (a ``derived.BUILDERS`` builder).
    Re-imports move annotations between paragraphs, so their rows are rebuilt too."""
    SearchDocument.objects.filter(issue=issue).delete()
    issues = Issue.objects.filter(pk=issue.pk)
    _write(_text_documents(issues))
    _write(_annotation_documents(issues))


def index_rebuild(*, issues: QuerySet | None = None) -> int:
    """Drop and rebuild the rows of ``issues`` (default: all, orphans included); returns the number of rows."""
    if issues is None:
        SearchDocument.objects.all().delete()
        issues = Issue.objects.all()
        orphans = _write(_orphan_documents())
    else:
        SearchDocument.objects.filter(issue__in=issues).delete()
        orphans = 0
    return orphans + _write(_text_documents(issues)) + _write(_annotation_documents(issues))


def _orphan_documents() -> Iterator[SearchDocument]:
    for builder in DOCUMENT_BUILDERS.values():
        yield from builder.documents(builder.orphans())


def orphans_index() -> int:
    """Rebuild the rows of every orphan of a deleted issue (after an issue or a user is deleted,
    after a team archive is restored): their team still finds them, under their snapshot."""
    SearchDocument.objects.filter(issue__isnull=True).delete()
    return _write(_orphan_documents())


def document_sync(obj) -> None:
    """Rebuild the rows derived from ``obj`` after it was created or changed: a Highlight (with
    the comments of its thread, whose visibility follows it), a Note, a Comment, a Section (its
    tags) or a Tag (renamed or merged: every highlight and section carrying it)."""
    if isinstance(obj, Highlight):
        comments = Comment.objects.filter(thread__highlight=obj)
        _forget(K.COMMENT, comments.values_list("pk", flat=True))
        _forget(K.HIGHLIGHT, [obj.pk])
        _write(_highlight_documents(Highlight.objects.filter(pk=obj.pk)))
        _write(_comment_documents(comments))
    elif isinstance(obj, Note):
        _forget(K.NOTE, [obj.pk])
        _write(_note_documents(Note.objects.filter(pk=obj.pk)))
    elif isinstance(obj, Comment):
        _forget(K.COMMENT, [obj.pk])
        _write(_comment_documents(Comment.objects.filter(pk=obj.pk)))
    elif isinstance(obj, Section):
        SearchDocument.objects.filter(kind=K.TAG, section_id=obj.pk).delete()
        _write(_section_tag_documents(SectionTag.objects.filter(section=obj)))
    elif isinstance(obj, Tag):
        highlights = Highlight.objects.filter(tags=obj)
        _forget(K.HIGHLIGHT, highlights.values_list("pk", flat=True))
        _write(_highlight_documents(highlights))
        # a merge deletes the source's section tags: drop rows whose section tag is gone
        stale = SearchDocument.objects.filter(kind=K.TAG, team_id=obj.team_id)
        stale.filter(~Q(object_id__in=SectionTag.objects.filter(tag__team_id=obj.team_id).values("pk"))).delete()
        _forget(K.TAG, obj.section_tags.values_list("pk", flat=True))
        _write(_section_tag_documents(obj.section_tags.all()))
    else:
        raise TypeError(f"nothing to index for {type(obj).__name__}")


def document_forget(obj) -> None:
    """Before ``obj`` is deleted : drop its rows and its dependants'."""
    if isinstance(obj, Highlight):
        _forget(K.COMMENT, Comment.objects.filter(thread__highlight=obj).values_list("pk", flat=True))
        _forget(K.HIGHLIGHT, [obj.pk])
    elif isinstance(obj, Note):
        _forget(K.NOTE, [obj.pk])
    elif isinstance(obj, Comment):  # deleted (with its replies), or blanked to a placeholder
        _forget(K.COMMENT, [obj.pk, *obj.replies.values_list("pk", flat=True)])
    else:
        raise TypeError(f"nothing to forget for {type(obj).__name__}")
