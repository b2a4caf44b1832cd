"""Highlights (and claims): create, update, delete — always for a member of the team."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from articles.anchoring import text_selector_for
from articles.models import (
    ClaimStatus,
    Highlight,
    HighlightColour,
    Paragraph,
    Team,
    Visibility,
)
from articles.search.indexing import document_forget, document_sync
from articles.selectors.content import paragraph_index

from .errors import ConflictError
from .membership import author_require, membership_require
from .orphans import snapshot_of
from .tags import tag_names_parse, tags_get_or_create
from .user_text import markdown_render


def _note(team: Team, note: str) -> tuple[str, str]:
    """The optional note's cleaned Markdown source and its rendered HTML."""
    source, rendered = markdown_render(team, note, required=False)
    return source, rendered.html


@transaction.atomic
def highlight_create(
    *,
    user,
    team: Team,
    paragraph: Paragraph,
    start: int,
    end: int,
    colour: str = HighlightColour.YELLOW,
    is_claim: bool = False,
    tags: Iterable[str] = (),
    note: str = "",
    visibility: str = Visibility.TEAM,
) -> Highlight:
    """Highlight ``paragraph.text[start:end]``. The same range by the same author in the same team
    is the existing highlight, with what was sent applied (a double-clicked submit creates one
    object, not two, and a second submit's note, tags and colour are kept: see ``_resubmit``)."""
    membership_require(user=user, team=team)
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(paragraph.text)):
        raise ValidationError("The selection is not inside this paragraph.")
    if not paragraph.text[start:end].strip():
        raise ValidationError("Select some text to highlight.")
    if colour not in HighlightColour.values or visibility not in Visibility.values:
        raise ValidationError("Unknown colour or visibility.")
    existing = Highlight.objects.filter(team=team, author=user, paragraph=paragraph, start=start, end=end).first()
    sent = {"colour": colour, "is_claim": is_claim, "tags": tags, "note": note, "visibility": visibility}
    if existing is not None:
        return _resubmit(existing, user=user, **sent)
    text_selector = text_selector_for(paragraph.text, start, end)
    try:
        with transaction.atomic():
            highlight = _insert(team, user, visibility, paragraph, text_selector, colour, is_claim, _note(team, note))
    except IntegrityError:  # the same submit, a moment earlier, on another connection
        existing = Highlight.objects.get(team=team, author=user, paragraph=paragraph, start=start, end=end)
        return _resubmit(existing, user=user, **sent)
    highlight.tags.set(tags_get_or_create(user=user, team=team, names=tags))
    document_sync(highlight)
    return highlight


def _resubmit(highlight: Highlight, *, user, colour: str, is_claim: bool, tags: Iterable[str], note: str,
              visibility: str) -> Highlight:
    """The author highlights a range they highlighted before: nothing sent is dropped. The colour
    is the one sent, a written note replaces the old one (an empty one keeps it), the tags are
    added, a claim stays a claim. A different visibility is refused (ValidationError) rather than
    ignored or applied: who sees a highlight changes only on its card. Nothing new: unchanged."""
    if visibility != highlight.visibility:
        raise ValidationError(
            "You have already highlighted this passage "
            f"({'only you' if highlight.visibility == Visibility.PRIVATE else 'your team'} can see it): "
            "change who can see it on its card."
        )
    have = [t.name for t in highlight.tags.all()]
    new_tags = [name for name in tag_names_parse(tags) if name.casefold() not in {h.casefold() for h in have}]
    new_note = note if note.strip() and _note(highlight.team, note)[0] != highlight.note else None
    if colour == highlight.colour and not new_tags and new_note is None and (highlight.is_claim or not is_claim):
        return highlight
    return highlight_update(
        user=user, highlight=highlight, note=new_note, colour=colour, is_claim=highlight.is_claim or is_claim,
        tags=[*have, *new_tags] if new_tags else None,
    )


def _insert(team, user, visibility, paragraph, text_selector, colour, is_claim, note: tuple[str, str]) -> Highlight:
    return Highlight.objects.create(
        team=team,
        author=user,
        visibility=visibility,
        issue_id=paragraph.section.issue_id,
        paragraph=paragraph,
        paragraph_index=paragraph_index(paragraph),
        exact=text_selector.exact,
        prefix=text_selector.prefix,
        suffix=text_selector.suffix,
        start=text_selector.start,
        end=text_selector.end,
        colour=colour,
        is_claim=is_claim,
        note=note[0],
        note_html=note[1],
        **snapshot_of(paragraph),
    )


@transaction.atomic
def highlight_update(
    *,
    user,
    highlight: Highlight,
    note: str | None = None,
    tags: Iterable[str] | None = None,
    colour: str | None = None,
    visibility: str | None = None,
    is_claim: bool | None = None,
    version: int | None = None,
) -> Highlight:
    """The author edits their highlight (note, tags, colour, visibility, claim flag). With
    ``version`` (what the editor loaded), a save over a newer edit raises ConflictError."""
    author_require(user=user, obj=highlight, what="highlight")
    claimed = Highlight.objects.filter(pk=highlight.pk, **({"version": version} if version else {}))
    if not claimed.update(version=F("version") + 1, updated_at=timezone.now()):
        raise ConflictError("This highlight was changed since you opened it.")
    highlight.version = (version or highlight.version) + 1
    if note is not None:
        highlight.note, highlight.note_html = _note(highlight.team, note)
    if colour is not None:
        if colour not in HighlightColour.values:
            raise ValidationError("Unknown colour.")
        highlight.colour = colour
    if visibility is not None:
        if visibility not in Visibility.values:
            raise ValidationError("Unknown visibility.")
        highlight.visibility = visibility
    if is_claim is not None:
        highlight.is_claim = is_claim
    highlight.save(update_fields=["note", "note_html", "colour", "visibility", "is_claim"])
    if tags is not None:
        highlight.tags.set(tags_get_or_create(user=user, team=highlight.team, names=tags))
    document_sync(highlight)
    return highlight


def claim_review(*, user, highlight: Highlight, status: str, due_date: datetime.date | None) -> Highlight:
    """Any team member may maintain a claim's status and due date (the team reviews claims)."""
    membership_require(user=user, team=highlight.team)
    if not highlight.is_claim:
        raise ValidationError("This highlight is not a claim.")
    if status not in ClaimStatus.values:
        raise ValidationError("Unknown claim status.")
    highlight.claim_status, highlight.due_date = status, due_date
    highlight.save(update_fields=["claim_status", "due_date", "updated_at"])
    return highlight


@transaction.atomic
def highlight_delete(*, user, highlight: Highlight) -> None:
    author_require(user=user, obj=highlight, what="highlight")
    document_forget(highlight)
    highlight.delete()
