"""Import a team archive (the format: ``articles.backup.archive_export``) onto this instance's issues.

Idempotent: what is already there is recognised by natural keys and counted as *existing*,
never duplicated. Annotations of issues that are not on this instance are skipped and reported.
The file is not trusted for HTML: Markdown is rendered again through ``articles.sanitize``.
This module reads the file, matches issues and re-anchors; every row is written by the restore
services (``articles.services.restore``), which check the actor and recognise what is there.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models.functions import Lower

from articles.anchoring import Status, TargetParagraph, TextSelector, reanchor, text_selector_for
from articles.models import (
    Comment,
    Highlight,
    Issue,
    Membership,
    Newsletter,
    Paragraph,
    Section,
    Tag,
    Team,
    Thread,
    Visibility,
)
from articles.search.indexing import orphans_index
from articles.services import restore

from .archive_export import FORMAT, VERSION


@dataclass
class ArchiveImportReport:
    team: Team
    team_created: bool = False
    users_created: list[str] = field(default_factory=list)
    memberships_created: int = 0
    created: Counter = field(default_factory=Counter)  # kind → rows created
    existing: Counter = field(default_factory=Counter)  # kind → rows already there
    anchoring: Counter = field(default_factory=Counter)  # "highlight exact" … "note orphaned"
    missing_issues: list[str] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # kind → rows whose issue/target is missing


def _snapshot(row: dict) -> dict[str, str]:
    """An annotation's snapshot (files written before it existed have none)."""
    return {"issue_title": row.get("issue_title") or "", "section_headline": row.get("section_headline") or ""}


def _when(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


class _ArchiveImporter:
    def __init__(self, data: dict, team_slug: str | None, actor):
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ValidationError(f"Not a {FORMAT} file of version {VERSION}.")
        self.data = data
        self.team_slug = team_slug or data["team"]["slug"]
        validate_slug(self.team_slug)  # it ends up in URLs and download file names
        archive_validate(data)
        self.actor = actor
        self.users: dict[str, object] = {}
        self.issues: dict[str, Issue | None] = {}
        self.targets: dict[int, list[TargetParagraph]] = {}
        self.sections: dict[int, list[Section]] = {}
        self.highlights: dict[str, Highlight] = {}
        self.comments: dict[str, Comment] = {}

    def run(self) -> ArchiveImportReport:
        team, created = restore.team_restore(actor=self.actor, slug=self.team_slug, name=self.data["team"]["name"])
        self.report = ArchiveImportReport(team=team, team_created=created)
        self.team = team
        self._users()
        for row in self.data["issues"]:
            self.issues[row["ref"]] = issue = _issue_match(row)
            if issue is None:
                self.report.missing_issues.append(f"{row['newsletter']} {row['number'] or ''} {row['title']!r}".strip())
        for row in self.data["tags"]:
            _, created = restore.tag_restore(actor=self.actor, team=team, name=row["name"],
                                             created_by=self.users.get(row["created_by"]),
                                             created_at=_when(row["created_at"]), colour=row["colour"])
            (self.report.created if created else self.report.existing)["tag"] += 1
        for row in self.data["highlights"]:
            self._highlight(row)
        for row in self.data["notes"]:
            self._note(row)
        for row in self.data["section_tags"]:
            self._section_tag(row)
        for row in self.data["threads"]:
            self._thread(row)
        return self.report

    def _users(self) -> None:
        for row in self.data["users"]:  # a new user is inactive, without a usable password
            user, user_created, member_created = restore.member_restore(
                actor=self.actor, team=self.team, username=row["username"], first_name=row.get("first_name", ""),
                last_name=row.get("last_name", ""), email=row.get("email", ""), role=row.get("role"),
            )
            if user_created:
                self.report.users_created.append(user.get_username())
            self.users[row["username"]] = user
            self.report.memberships_created += member_created

    def _target(self, issue: Issue) -> tuple[list[TargetParagraph], list[Section]]:
        if issue.pk not in self.targets:
            paragraphs = Paragraph.objects.filter(section__issue=issue).order_by("section__position", "position")
            self.targets[issue.pk] = [
                TargetParagraph(key=p.pk, index=i, text=p.text) for i, p in enumerate(paragraphs.only("pk", "text"))
            ]
            self.sections[issue.pk] = list(Section.objects.filter(issue=issue))
        return self.targets[issue.pk], self.sections[issue.pk]

    def _place(self, issue: Issue, text_selector: TextSelector, old_index: int):
        """Re-anchor by quote; the paragraph at the old reading position is tried first."""
        targets, _ = self._target(issue)
        old_key = targets[old_index].key if 0 <= old_index < len(targets) else -1
        return reanchor(text_selector, old_key=old_key, old_index=old_index, targets=targets), targets

    def _issue_of(self, row: dict, kind: str) -> tuple[bool, Issue | None]:
        """(go on, the row's issue): an orphan of a deleted issue (``"issue": null``) goes on with
        None; a row whose issue is not on this instance is skipped."""
        if row.get("issue") is None:
            return True, None
        issue = self.issues.get(row["issue"])
        if issue is None:
            self.report.skipped[kind] += 1
        return issue is not None, issue

    def _highlight(self, row: dict) -> None:
        go_on, issue = self._issue_of(row, "highlight")
        if not go_on:
            return
        author = self.users.get(row["author"])
        text_selector = TextSelector(row["exact"], row["prefix"], row["suffix"], row["start"], row["end"])
        placement, targets = self._place(issue, text_selector, row["paragraph_index"]) if issue else (None, [])
        fields = {"exact": row["exact"], "prefix": row["prefix"], "suffix": row["suffix"],
                  "start": row["start"], "end": row["end"], "paragraph_id": None, "paragraph_index": row["paragraph_index"],
                  **_snapshot(row)}
        if placement is None or placement.status is Status.ORPHANED:
            # an orphan of a deleted issue keeps the status it had; one that lost its text here is orphaned
            status = row["anchor_status"] if issue is None else Status.ORPHANED.value
            placement_status = Status.ORPHANED.value
        else:
            text = next(c.text for c in targets if c.key == placement.key)
            fresh = text_selector_for(text, placement.start, placement.end)
            index = next(c.index for c in targets if c.key == placement.key)
            fields.update(exact=fresh.exact, prefix=fresh.prefix, suffix=fresh.suffix, start=fresh.start,
                          end=fresh.end, paragraph_id=placement.key, paragraph_index=index)
            kept = placement.status is Status.EXACT and row["anchor_status"] != Status.ORPHANED
            status = row["anchor_status"] if kept else placement.status.value
            placement_status = placement.status.value
        self.report.anchoring[f"highlight {placement_status}"] += 1
        highlight, created = restore.highlight_restore(
            actor=self.actor, team=self.team, author=author, issue=issue, visibility=row["visibility"],
            colour=row["colour"], is_claim=row["is_claim"], claim_status=row["claim_status"],
            due_date=datetime.date.fromisoformat(row["due_date"]) if row["due_date"] else None,
            note=row["note"], anchor_status=status, tags=row["tags"], created_at=_when(row["created_at"]),
            updated_at=_when(row["updated_at"]), **fields,
        )
        self.highlights[row["uid"]] = highlight
        (self.report.created if created else self.report.existing)["highlight"] += 1

    def _note(self, row: dict) -> None:
        go_on, issue = self._issue_of(row, "note")
        if not go_on:
            return
        author = self.users.get(row["author"])
        text = row["paragraph_text"]
        if issue is None:
            placement, targets = None, []
        else:
            placement, targets = self._place(issue, TextSelector(text, "", "", 0, len(text)), row["paragraph_index"])
        self.report.anchoring[f"note {placement.status.value if placement else Status.ORPHANED.value}"] += 1
        placed = placement is not None and placement.status is not Status.ORPHANED and not row.get("orphaned")
        by_key = {c.key: c for c in targets}
        _, created = restore.note_restore(
            actor=self.actor, team=self.team, author=author, issue=issue, visibility=row["visibility"],
            body=row["body"], paragraph_id=placement.key if placed else None,
            paragraph_text=by_key[placement.key].text if placed else text,
            paragraph_index=by_key[placement.key].index if placed else row["paragraph_index"],
            created_at=_when(row["created_at"]), updated_at=_when(row["updated_at"]), **_snapshot(row),
        )
        (self.report.created if created else self.report.existing)["note"] += 1

    def _section(self, issue: Issue, ref: dict | None) -> Section | None:
        if ref is None:
            return None
        _, sections = self._target(issue)
        return next((s for s in sections if s.anchor == ref["anchor"]), None) or next(
            (s for s in sections if (s.kind, s.headline) == (ref["kind"], ref["headline"])), None
        )

    def _section_tag(self, row: dict) -> None:
        go_on, issue = self._issue_of(row, "section tag")
        if not go_on:
            return
        section = self._section(issue, row["section"]) if issue else None
        tag = Tag.objects.annotate(lname=Lower("name")).get(team=self.team, lname=row["tag"].lower())
        _, created = restore.section_tag_restore(  # no section: an orphan (its story or issue is gone)
            actor=self.actor, tag=tag, section=section, issue=issue, added_by=self.users.get(row["added_by"]),
            created_at=_when(row["created_at"]), **_snapshot(row),
        )
        (self.report.created if created else self.report.existing)["section tag"] += 1

    def _thread(self, row: dict) -> None:
        go_on, issue = self._issue_of(row, "thread")
        if not go_on:
            self.report.skipped["comment"] += len(row["comments"])
            return
        highlight = self.highlights.get(row["highlight"]) if row["highlight"] else None
        if row["highlight"] and highlight is None:
            self.report.skipped["thread"] += 1
            self.report.skipped["comment"] += len(row["comments"])
            return
        section = self._section(issue, row["section"]) if issue else None
        thread, created = restore.thread_restore(  # neither highlight nor section: an orphan thread
            actor=self.actor, team=self.team, issue=issue, section=section if highlight is None else None,
            highlight=highlight, started_by=self.users.get(row["started_by"]), resolved=row["resolved"],
            resolved_by=self.users.get(row["resolved_by"]), changed_at=_when(row["changed_at"]),
            created_at=_when(row["created_at"]), **_snapshot(row),
        )
        (self.report.created if created else self.report.existing)["thread"] += 1
        for comment in sorted(row["comments"], key=lambda c: c["parent"] is not None):
            self._comment(thread, comment)

    def _comment(self, thread: Thread, row: dict) -> None:
        comment, created, mentions = restore.comment_restore(
            actor=self.actor, thread=thread, author=self.users.get(row["author"]),
            parent=self.comments.get(row["parent"]) if row["parent"] else None, body=row["body"],
            deleted=row["deleted"], mentioned=[self.users[name] for name in row["mentions"] if name in self.users],
            created_at=_when(row["created_at"]), updated_at=_when(row["updated_at"]),
        )
        self.comments[row["uid"]] = comment
        (self.report.created if created else self.report.existing)["comment"] += 1
        self.report.created["mention"] += mentions


def _row_errors(data: dict) -> list[str]:
    """What is wrong with the archive's users, roles and visibilities, one message per problem,
    each naming its row (``users[3] "a/b"``)."""
    username_validator = get_user_model().username_validator
    max_length = get_user_model()._meta.get_field("username").max_length
    roles, visibilities = set(Membership.Role.values), set(Visibility.values)
    errors: list[str] = []
    usernames: set[str] = set()
    for i, row in enumerate(data["users"]):
        username = row.get("username")
        where = f"users[{i}] {username!r}"
        if not isinstance(username, str) or not username:
            errors.append(f"{where}: a username is required.")
            continue
        try:
            username_validator(username)
            if len(username) > max_length:
                raise ValidationError(f"At most {max_length} characters.")
        except ValidationError as exc:
            errors.append(f"{where}: invalid username: {' '.join(exc.messages)}")
        usernames.add(username)
        if row.get("role") not in (None, "", *roles):
            errors.append(f"{where}: role {row.get('role')!r} is not one of {', '.join(sorted(roles))}.")
    for kind in ("highlights", "notes"):
        for i, row in enumerate(data[kind]):
            where = f"{kind}[{i}]"
            if row.get("visibility") not in visibilities:
                errors.append(f"{where}: visibility {row.get('visibility')!r} is not one of "
                              f"{', '.join(sorted(visibilities))}.")
            if row.get("author") is not None and row.get("author") not in usernames:
                errors.append(f"{where}: author {row.get('author')!r} is not in the file's users.")
    for i, row in enumerate(data["threads"]):
        if row.get("started_by") is not None and row.get("started_by") not in usernames:
            errors.append(f"threads[{i}]: started_by {row.get('started_by')!r} is not in the file's users.")
        for j, comment in enumerate(row.get("comments") or []):
            if comment.get("author") is not None and comment.get("author") not in usernames:
                errors.append(f"threads[{i}].comments[{j}]: author {comment.get('author')!r} is not in the file's users.")
    return errors


def archive_validate(data: dict) -> None:
    """Refuse the whole archive (ValidationError listing every bad row) before anything is written."""
    errors = _row_errors(data)
    if errors:
        raise ValidationError([f"Nothing imported: {len(errors)} invalid row(s)."] + errors)


def _issue_match(row: dict) -> Issue | None:
    """Newsletter + number, then the source's hash, then the source file name."""
    issues = Issue.objects.defer("source_text")
    newsletter = Newsletter.objects.filter(name=row["newsletter"]).first() or Newsletter.objects.filter(
        slug=row["newsletter_slug"]).first()
    if newsletter is not None and row["number"] is not None:
        found = issues.filter(newsletter=newsletter, number=row["number"]).first()
        if found:
            return found
    found = issues.filter(source_sha256=row["source_sha256"]).order_by("pk").first()
    if found:
        return found
    by_name = issues.filter(source_name=row["source_name"])
    if newsletter is not None:
        by_name = by_name.filter(newsletter=newsletter)
    return by_name.order_by("-imported_at", "-pk").first()


@transaction.atomic
def team_archive_import(*, data: dict, team_slug: str | None = None, actor=None) -> ArchiveImportReport:
    """Import everything in ``data`` (a parsed team archive) into the team ``team_slug`` (default: the
    file's team), creating the team, missing users (inactive) and memberships. All or nothing, in
    one transaction; the file is validated and the actor checked before anything is written.
    ``actor`` None is the command line (``manage.py import_team``); a person must be staff allowed
    to add teams (each restore service checks its own model too)."""
    restore.restore_require(actor=actor, model="team")
    report = _ArchiveImporter(data, team_slug, actor).run()
    orphans_index()  # the services indexed each row; orphan section tags are indexed with the rest here
    return report
