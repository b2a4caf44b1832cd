"""Writes of a team-archive restore (``articles.backup.archive_import``): a team, its members and
its annotations put back as they were — authors (or none: "former member"), timestamps,
orphans with their snapshot — where the everyday services would make them anew for the
requester, now.

Every function takes an explicit ``actor``: ``None`` is the command line (``manage.py
import_team``, run by whoever runs the server), anyone else must be active staff holding the
model's add permission (:func:`restore_require`). Each is idempotent — what is already there,
recognised by natural keys, is returned with ``created=False`` — runs in a transaction (the
import wraps them all in one) and keeps the search index in step.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from articles.models import (
    ClaimStatus,
    Comment,
    Highlight,
    HighlightColour,
    Issue,
    Membership,
    Mention,
    Note,
    Section,
    SectionTag,
    Tag,
    Team,
    Thread,
    Visibility,
)
from articles.search.indexing import document_sync

from .membership import staff_require
from .tags import tags_get_or_create
from .user_text import markdown_render


def restore_require(*, actor, model: str) -> None:
    """The command line (``actor`` None) restores; a person must be staff who may add ``model``."""
    if actor is not None:
        staff_require(user=actor, perm=f"articles.add_{model}")


def _stamp(obj, **stamps: datetime.datetime | None) -> None:
    """Put back the times that ``auto_now``/``auto_now_add`` overwrote on create."""
    values = {name: value for name, value in stamps.items() if value}
    if values:
        type(obj).objects.filter(pk=obj.pk).update(**values)
        for name, value in values.items():
            setattr(obj, name, value)


def _visibility(value: str) -> str:
    if value not in Visibility.values:
        raise ValidationError(f"Unknown visibility {value!r}.")
    return value


@transaction.atomic
def team_restore(*, actor, slug: str, name: str) -> tuple[Team, bool]:
    """The team ``slug``, created (named ``name``, or ``name (slug)`` if that name is taken) if missing."""
    restore_require(actor=actor, model="team")
    team = Team.objects.filter(slug=slug).first()
    if team is not None:
        return team, False
    if Team.objects.filter(name=name).exists():
        name = f"{name} ({slug})"
    return Team.objects.create(name=name, slug=slug), True


@transaction.atomic
def member_restore(*, actor, team: Team, username: str, first_name: str = "", last_name: str = "", email: str = "",
                   role: str | None = None) -> tuple[object, bool, bool]:
    """(user, user created, membership created). A missing user is created inactive without a
    usable password (an admin activates them); ``role`` (member/owner) makes them a member."""
    restore_require(actor=actor, model="membership")
    if role not in (None, "", *Membership.Role.values):
        raise ValidationError(f"Unknown role {role!r}.")
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    user_created = user is None
    if user_created:
        User.username_validator(username)
        user = User(username=username, first_name=first_name, last_name=last_name, email=email, is_active=False)
        user.set_unusable_password()
        user.save()
    member_created = False
    if role:
        _, member_created = Membership.objects.get_or_create(team=team, user=user, defaults={"role": role})
    return user, user_created, member_created


@transaction.atomic
def tag_restore(*, actor, team: Team, name: str, created_by, created_at: datetime.datetime | None,
                colour: str = "") -> tuple[Tag, bool]:
    """The team's tag ``name`` (case-insensitive), created with its author and time if missing;
    a colour is set only where the tag has none."""
    restore_require(actor=actor, model="tag")
    created = not Tag.objects.filter(team=team, name__iexact=name).exists()
    (tag,) = tags_get_or_create(user=created_by, team=team, names=[name])
    if created:
        _stamp(tag, created_at=created_at)
    if colour and not tag.colour:
        Tag.objects.filter(pk=tag.pk).update(colour=colour)
        tag.colour = colour
    return tag, created


@transaction.atomic
def highlight_restore(
    *, actor, team: Team, author, issue: Issue | None, paragraph_id: int | None, paragraph_index: int,
    exact: str, prefix: str, suffix: str, start: int, end: int, visibility: str, colour: str, is_claim: bool,
    claim_status: str, due_date: datetime.date | None, note: str, anchor_status: str, tags: Iterable[str],
    issue_title: str, section_headline: str, created_at: datetime.datetime | None,
    updated_at: datetime.datetime | None,
) -> tuple[Highlight, bool]:
    """A highlight placed on ``paragraph_id`` (the same range by the same author is the existing
    one) or, with no paragraph, an orphan (of ``issue``, or of a deleted issue when ``issue`` is
    None) recognised by author, quote and creation time. ``author`` None: a former member."""
    restore_require(actor=actor, model="highlight")
    if colour not in HighlightColour.values or claim_status not in ClaimStatus.values:
        raise ValidationError(f"Unknown colour {colour!r} or claim status {claim_status!r}.")
    if paragraph_id is None:
        lookup = {"issue": issue, "paragraph": None, "exact": exact, "created_at": created_at}
    else:
        lookup = {"paragraph_id": paragraph_id, "start": start, "end": end}
    existing = Highlight.objects.filter(team=team, author=author, **lookup).first()
    if existing is not None:
        return existing, False
    note, rendered = markdown_render(team, note, required=False)
    highlight = Highlight.objects.create(
        team=team, author=author, issue=issue, paragraph_id=paragraph_id, paragraph_index=paragraph_index,
        visibility=_visibility(visibility), exact=exact, prefix=prefix, suffix=suffix, start=start, end=end,
        colour=colour, is_claim=is_claim, claim_status=claim_status, due_date=due_date, note=note,
        note_html=rendered.html, anchor_status=anchor_status, issue_title=issue_title,
        section_headline=section_headline,
    )
    if tags:
        highlight.tags.set(tags_get_or_create(user=author, team=team, names=tags))
    _stamp(highlight, created_at=created_at, updated_at=updated_at)
    document_sync(highlight)
    return highlight, True


@transaction.atomic
def note_restore(
    *, actor, team: Team, author, issue: Issue | None, paragraph_id: int | None, paragraph_text: str,
    paragraph_index: int, body: str, visibility: str, issue_title: str, section_headline: str,
    created_at: datetime.datetime | None, updated_at: datetime.datetime | None,
) -> tuple[Note, bool]:
    """A note (placed, or an orphan when ``paragraph_id`` is None), recognised by author, issue,
    text and creation time."""
    restore_require(actor=actor, model="note")
    body = body.replace("\x00", "").strip()
    existing = Note.objects.filter(team=team, author=author, issue=issue, body=body, created_at=created_at).first()
    if existing is not None:
        return existing, False
    body, rendered = markdown_render(team, body)
    note = Note.objects.create(
        team=team, author=author, issue=issue, visibility=_visibility(visibility), body=body, body_html=rendered.html,
        paragraph_id=paragraph_id, paragraph_text=paragraph_text, paragraph_index=paragraph_index,
        issue_title=issue_title, section_headline=section_headline,
    )
    _stamp(note, created_at=created_at, updated_at=updated_at)
    document_sync(note)
    return note, True


@transaction.atomic
def section_tag_restore(
    *, actor, tag: Tag, section: Section | None, issue: Issue | None, added_by, issue_title: str,
    section_headline: str, created_at: datetime.datetime | None,
) -> tuple[SectionTag, bool]:
    """``tag`` on ``section``, or an orphan (its story or issue is gone) recognised by its time."""
    restore_require(actor=actor, model="sectiontag")
    defaults = {"added_by": added_by, "issue": issue, "issue_title": issue_title, "section_headline": section_headline}
    if section is None:
        lookup = {"tag": tag, "section": None, "issue": issue, "created_at": created_at}
        section_tag = SectionTag.objects.filter(**lookup).first()
        created = section_tag is None
        if created:
            section_tag = SectionTag.objects.create(tag=tag, **defaults)
    else:
        section_tag, created = SectionTag.objects.get_or_create(tag=tag, section=section, defaults=defaults)
    if created:
        _stamp(section_tag, created_at=created_at)
        if section is not None:
            document_sync(section)
    return section_tag, created


@transaction.atomic
def thread_restore(
    *, actor, team: Team, issue: Issue | None, section: Section | None, highlight: Highlight | None, started_by,
    resolved: bool, resolved_by, changed_at: datetime.datetime | None, issue_title: str, section_headline: str,
    created_at: datetime.datetime | None,
) -> tuple[Thread, bool]:
    """The team's thread on ``highlight`` or ``section``; with neither, an orphan thread (its
    story or issue is gone) recognised by its issue and creation time."""
    restore_require(actor=actor, model="thread")
    if highlight is not None:
        lookup = {"highlight": highlight}
    elif section is not None:
        lookup = {"section": section}
    else:
        lookup = {"section": None, "highlight": None, "issue": issue, "created_at": created_at}
    thread = Thread.objects.filter(team=team, **lookup).first()
    if thread is not None:
        return thread, False
    thread = Thread.objects.create(
        team=team, issue=issue, section=section if highlight is None else None, highlight=highlight,
        started_by=started_by, resolved=resolved, resolved_by=resolved_by, changed_at=changed_at,
        issue_title=issue_title, section_headline=section_headline,
    )
    _stamp(thread, created_at=created_at)
    return thread, True


@transaction.atomic
def comment_restore(
    *, actor, thread: Thread, author, parent: Comment | None, body: str, deleted: bool, mentioned: Iterable,
    created_at: datetime.datetime | None, updated_at: datetime.datetime | None,
) -> tuple[Comment, bool, int]:
    """(comment, created, mentions recorded): a comment (a "deleted" placeholder when ``deleted``)
    recognised by thread, author, parent, text and time; ``mentioned`` users get their mention."""
    restore_require(actor=actor, model="comment")
    if parent is not None and parent.thread_id != thread.pk:
        raise ValidationError("That comment is in another thread.")
    body = "" if deleted else body.replace("\x00", "").strip()
    existing = Comment.objects.filter(thread=thread, author=author, parent=parent, body=body,
                                      created_at=created_at).first()
    if existing is not None:
        return existing, False, 0
    body, rendered = markdown_render(thread.team, body, required=False)
    comment = Comment.objects.create(thread=thread, author=author, parent=parent, body=body,
                                     body_html=rendered.html, deleted=deleted)
    _stamp(comment, created_at=created_at, updated_at=updated_at)
    mentioned = list(mentioned)
    Mention.objects.bulk_create([Mention(comment=comment, user=u) for u in mentioned], ignore_conflicts=True)
    if not deleted:
        document_sync(comment)
    return comment, True, len(mentioned)
