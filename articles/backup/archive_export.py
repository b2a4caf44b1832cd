"""The team archive, written (``manage.py export_team``; read back by ``import_team``): an admin tool.

A *team archive* is one team's annotations; the *site backup* (``manage.py backup``) is the whole
database, a different thing.

The file holds **everything** of one team, private annotations included: run it from the shell
and keep the file like a database dump. Format (``"format": "digest-team-backup", "version": 1``)::

    {"format", "version", "exported_at", "instance",
     "team": {"name", "slug"},
     "users": [{"username", "first_name", "last_name", "email", "role": "owner"|"member"|null}],
     "issues": [{"ref", "newsletter", "newsletter_slug", "number", "title", "slug",
                 "source_sha256", "source_name"}],
     "tags": [{"name", "colour", "created_by", "created_at"}],
     "section_tags": [{"issue", "section": {"anchor", "kind", "headline"}, "tag", "added_by", "created_at"}],
     "highlights": [{"uid", "issue", "author", "visibility", "paragraph_index", "anchor_status",
                     "exact", "prefix", "suffix", "start", "end", "colour", "is_claim",
                     "claim_status", "due_date", "note", "tags", "created_at", "updated_at"}],
     "notes": [{"uid", "issue", "author", "visibility", "paragraph_index", "paragraph_text",
                "body", "created_at", "updated_at"}],
     "threads": [{"uid", "issue", "section": {…}|null, "highlight": <highlight uid>|null,
                  "started_by", "resolved", "resolved_by", "created_at", "changed_at",
                  "comments": [{"uid", "parent": <comment uid>|null, "author", "body", "deleted",
                                "mentions": [username…], "created_at", "updated_at"}]}]}

Users are referred to by username, issues by ``ref``, annotations by ``uid``
(``digest:<instance>:<kind>:<id>``): references inside the file only. No paragraph ids are kept:
they mean nothing on another instance or after a re-import. A version change that old readers
cannot ignore bumps ``version``; :func:`team_archive_import` refuses versions it does not know.

Importing (:mod:`articles.backup.archive_import`) matches issues by newsletter + number, then
``source_sha256``, then source file name; places every highlight and note again with
``articles.anchoring.reanchor`` against the target issue's paragraphs; recognises what is already
there by natural keys (a highlight's author and range, a note's or comment's author, text and
creation time, the one thread per section/highlight), so importing a file twice adds nothing and
no migration is needed.

Each annotation kind (``articles.kinds.ANNOTATION_KINDS``) is one list of the file, described in
``ARCHIVE_SECTIONS``: how it is read, which issues and users it refers to, how a row is written.
"""

from __future__ import annotations

import socket
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles import kinds
from articles.models import (
    Comment,
    Highlight,
    Issue,
    Membership,
    Note,
    SectionTag,
    Tag,
    Team,
    Thread,
    Visibility,
)

FORMAT = "digest-team-backup"  # the files' own name for a team archive: kept, files in the wild carry it
VERSION = 1


def instance_name() -> str:
    return getattr(settings, "DIGEST_INSTANCE", "") or socket.gethostname() or "digest"


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _section(section) -> dict | None:
    if section is None:
        return None
    return {"anchor": section.anchor, "kind": section.kind, "headline": section.headline}


@dataclass(frozen=True)
class _Refs:
    """What a section's rows are written with: ``uid(kind, pk)`` and usernames by user id."""

    uid: Callable[[str, int], str]
    users: dict[int, str]


@dataclass(frozen=True)
class ArchiveSection:
    """One annotation kind's list in the archive file."""

    key: str  # the list's name in the file
    read: Callable[[Team], list]  # the team's rows, in file order (fixed queries)
    issue_ids: Callable[[list], set[int]]
    user_ids: Callable[[list], set[int | None]]
    write: Callable[[object, _Refs], dict]  # one row → its JSON object


def _issue_ref(issue_id: int | None) -> str | None:
    """``issue:<id>``, or None for an orphan whose issue was deleted (its ``issue_title`` says which)."""
    return f"issue:{issue_id}" if issue_id else None


def _snapshot(row) -> dict:
    return {"issue_title": row.issue_title, "section_headline": row.section_headline}


def _highlight(h: Highlight, refs: _Refs) -> dict:
    return {
        "uid": refs.uid("highlight", h.pk), "issue": _issue_ref(h.issue_id), "author": refs.users.get(h.author_id),
        **_snapshot(h),
        "visibility": h.visibility, "paragraph_index": h.paragraph_index,
        "anchor_status": h.anchor_status, "exact": h.exact, "prefix": h.prefix, "suffix": h.suffix,
        "start": h.start, "end": h.end, "colour": h.colour, "is_claim": h.is_claim,
        "claim_status": h.claim_status, "due_date": h.due_date.isoformat() if h.due_date else None,
        "note": h.note, "tags": [t.name for t in h.tags.all()], "created_at": _iso(h.created_at),
        "updated_at": _iso(h.updated_at),
    }


def _note(n: Note, refs: _Refs) -> dict:
    return {
        "uid": refs.uid("note", n.pk), "issue": _issue_ref(n.issue_id), "author": refs.users.get(n.author_id),
        **_snapshot(n),
        "visibility": n.visibility, "paragraph_index": n.paragraph_index, "orphaned": n.paragraph_id is None,
        "paragraph_text": n.paragraph_text, "body": n.body, "created_at": _iso(n.created_at),
        "updated_at": _iso(n.updated_at),
    }


def _section_tag(st: SectionTag, refs: _Refs) -> dict:
    return {
        "issue": _issue_ref(st.section.issue_id if st.section_id else st.issue_id), "section": _section(st.section),
        "tag": st.tag.name, **_snapshot(st),
        "added_by": refs.users.get(st.added_by_id), "created_at": _iso(st.created_at),
    }


def _threads(team: Team) -> list[tuple[Thread, list[Comment]]]:
    """Comments live in threads: the team's threads, each with its comments (oldest first)."""
    threads = list(Thread.objects.filter(team=team).select_related("section").order_by("pk"))
    comments = Comment.objects.filter(thread__team=team).prefetch_related("mentions__user").order_by("created_at", "pk")
    by_thread: dict[int, list[Comment]] = defaultdict(list)
    for c in comments:
        by_thread[c.thread_id].append(c)
    return [(t, by_thread[t.pk]) for t in threads]


def _thread_user_ids(rows: list[tuple[Thread, list[Comment]]]) -> set[int | None]:
    ids: set[int | None] = set()
    for t, comments in rows:
        ids |= {t.started_by_id, t.resolved_by_id} | {c.author_id for c in comments}
        ids |= {m.user_id for c in comments for m in c.mentions.all()}
    return ids


def _thread(row: tuple[Thread, list[Comment]], refs: _Refs) -> dict:
    t, comments = row
    uid, users = refs.uid, refs.users
    return {
        "uid": uid("thread", t.pk), "issue": _issue_ref(t.issue_id), "section": _section(t.section), **_snapshot(t),
        "highlight": uid("highlight", t.highlight_id) if t.highlight_id else None,
        "started_by": users.get(t.started_by_id), "resolved": t.resolved, "resolved_by": users.get(t.resolved_by_id),
        "created_at": _iso(t.created_at), "changed_at": _iso(t.changed_at),
        "comments": [
            {"uid": uid("comment", c.pk), "parent": uid("comment", c.parent_id) if c.parent_id else None,
             "author": users.get(c.author_id), "body": c.body, "deleted": c.deleted,
             "mentions": sorted(users[m.user_id] for m in c.mentions.all()),
             "created_at": _iso(c.created_at), "updated_at": _iso(c.updated_at)}
            for c in comments
        ],
    }


# One list of the file per annotation kind, in the file's order (which the format fixes).
ARCHIVE_SECTIONS: dict[str, ArchiveSection] = {
    kinds.SECTION_TAG: ArchiveSection(
        "section_tags",
        lambda team: list(
            SectionTag.objects.filter(tag__team=team).select_related("section", "tag").order_by("pk")
        ),
        lambda rows: {st.section.issue_id if st.section_id else st.issue_id for st in rows},
        lambda rows: {st.added_by_id for st in rows},
        _section_tag,
    ),
    kinds.HIGHLIGHT: ArchiveSection(
        "highlights",
        lambda team: list(Highlight.objects.filter(team=team).order_by("pk").prefetch_related("tags")),
        lambda rows: {h.issue_id for h in rows},
        lambda rows: {h.author_id for h in rows},
        _highlight,
    ),
    kinds.NOTE: ArchiveSection(
        "notes",
        lambda team: list(Note.objects.filter(team=team).order_by("pk")),
        lambda rows: {n.issue_id for n in rows},
        lambda rows: {n.author_id for n in rows},
        _note,
    ),
    kinds.COMMENT: ArchiveSection(
        "threads",
        _threads,
        lambda rows: {t.issue_id for t, _ in rows},
        _thread_user_ids,
        _thread,
    ),
}


def _readable(rows: dict[str, list], viewer) -> dict[str, list]:
    """Only what ``viewer`` reads in the app: team highlights and notes and their own private
    ones, threads except those on someone else's private highlight."""
    def shown(obj) -> bool:
        return obj.visibility != Visibility.PRIVATE or obj.author_id == viewer.pk

    hidden_highlights = {h.pk for h in rows[kinds.HIGHLIGHT] if not shown(h)}
    return {
        **rows,
        kinds.HIGHLIGHT: [h for h in rows[kinds.HIGHLIGHT] if shown(h)],
        kinds.NOTE: [n for n in rows[kinds.NOTE] if shown(n)],
        kinds.COMMENT: [(t, c) for t, c in rows[kinds.COMMENT] if t.highlight_id not in hidden_highlights],
    }


def team_archive_export(*, team: Team, viewer=None) -> dict:
    """The team archive of ``team``: everything of it as a JSON-ready dict (a fixed number of
    queries: 12). Orphans are in it with ``"issue": null`` when their issue was deleted, and every
    annotation carries its snapshot (``issue_title``, ``section_headline``). With ``viewer`` (the
    admin's download, for a member of the team), only what that member reads in the app."""
    instance = instance_name()

    def uid(kind: str, pk: int) -> str:
        return f"digest:{instance}:{kind}:{pk}"

    roles = {m.user_id: m.role for m in Membership.objects.filter(team=team)}
    tags = list((Tag.objects.visible_to(viewer, team) if viewer else Tag.objects.filter(team=team)).order_by("pk"))
    rows = {kind: section.read(team) for kind, section in ARCHIVE_SECTIONS.items()}
    if viewer is not None:
        rows = _readable(rows, viewer)
    issue_ids: set[int | None] = set()
    user_ids = set(roles) | {t.created_by_id for t in tags}
    for kind, section in ARCHIVE_SECTIONS.items():
        issue_ids |= section.issue_ids(rows[kind])
        user_ids |= section.user_ids(rows[kind])
    issues = list(Issue.objects.filter(pk__in=issue_ids - {None}).select_related("newsletter").defer("source_text").order_by("pk"))
    user_rows = list(get_user_model().objects.filter(pk__in=user_ids - {None}).order_by("username"))
    refs = _Refs(uid=uid, users={u.pk: u.get_username() for u in user_rows})

    archive = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "instance": instance,
        "team": {"name": team.name, "slug": team.slug},
        "users": [
            {"username": u.get_username(), "first_name": u.first_name, "last_name": u.last_name,
             "email": u.email, "role": roles.get(u.pk)}
            for u in user_rows
        ],
        "issues": [
            {"ref": f"issue:{i.pk}", "newsletter": i.newsletter.name, "newsletter_slug": i.newsletter.slug,
             "number": i.number, "title": i.title, "slug": i.slug, "source_sha256": i.source_sha256,
             "source_name": i.source_name}
            for i in issues
        ],
        "tags": [
            {"name": t.name, "colour": t.colour, "created_by": refs.users.get(t.created_by_id),
             "created_at": _iso(t.created_at)}
            for t in tags
        ],
    }
    for kind, section in ARCHIVE_SECTIONS.items():
        archive[section.key] = [section.write(row, refs) for row in rows[kind]]
    return archive
