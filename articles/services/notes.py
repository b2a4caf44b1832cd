"""Per-paragraph notes. Edits are optimistic: a stale version is a conflict, never an overwrite."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.models import Note, Paragraph, Team, Visibility
from articles.search.indexing import document_forget, document_sync
from articles.selectors.content import paragraph_index

from .errors import ConflictError
from .membership import author_require, membership_require
from .orphans import snapshot_of
from .user_text import markdown_render

DOUBLE_SUBMIT_WINDOW = datetime.timedelta(seconds=10)


@transaction.atomic
def note_create(*, user, team: Team, paragraph: Paragraph, body: str, visibility: str = Visibility.TEAM) -> Note:
    """A note on ``paragraph``; the same text submitted twice within seconds is one note."""
    membership_require(user=user, team=team)
    if visibility not in Visibility.values:
        raise ValidationError("Unknown visibility.")
    body, rendered = markdown_render(team, body)
    # Lock the paragraph row: concurrent identical submits queue here (PostgreSQL; SQLite's
    # IMMEDIATE transactions already serialise writers) and the second finds the first.
    Paragraph.objects.select_for_update().filter(pk=paragraph.pk).first()
    recent = Note.objects.filter(  # same visibility too: "private" then "team" is two notes, not a repeat
        team=team, author=user, paragraph=paragraph, body=body, visibility=visibility,
        created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
    ).first()
    if recent is not None:
        return recent
    note = Note.objects.create(
        team=team,
        author=user,
        visibility=visibility,
        issue_id=paragraph.section.issue_id,
        paragraph=paragraph,
        paragraph_index=paragraph_index(paragraph),
        paragraph_text=paragraph.text,
        body=body,
        body_html=rendered.html,
        **snapshot_of(paragraph),
    )
    document_sync(note)
    return note


@transaction.atomic  # the note and its search rows change together
def note_update(*, user, note: Note, body: str, version: int, visibility: str | None = None) -> Note:
    """Save the author's edit if nobody saved since ``version`` was loaded, else ConflictError."""
    author_require(user=user, obj=note, what="note")
    if visibility is not None and visibility not in Visibility.values:
        raise ValidationError("Unknown visibility.")
    body, rendered = markdown_render(note.team, body)
    changes = {"body": body, "body_html": rendered.html, "version": F("version") + 1, "updated_at": timezone.now()}
    if visibility is not None:
        changes["visibility"] = visibility
    updated = Note.objects.filter(pk=note.pk, author=user, version=version).update(**changes)
    if not updated:
        raise ConflictError("This note was changed by someone else since you opened it.")
    note.refresh_from_db()
    document_sync(note)
    return note


@transaction.atomic
def note_delete(*, user, note: Note) -> None:
    author_require(user=user, obj=note, what="note")
    document_forget(note)
    note.delete()
