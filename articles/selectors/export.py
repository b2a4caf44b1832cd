"""The data of a reader's export (one issue or the whole team), in a fixed number of queries.

Everything goes through ``visible_to`` / ``of_member``: a teammate's private highlights and notes,
the threads and comments on them, and other teams' annotations never reach the formatters.
Threads whose section disappeared in a re-import are not shown on the pages, so they are not
exported either (the admin backup keeps them).

``EXPORT_READS`` says how each annotation kind (``articles.kinds.ANNOTATION_KINDS``) is read; the
formatters' ``SECTION_WRITERS`` how each is written. Links are built here, from the models' URL
helpers, into the dataclasses' ``url`` fields.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from articles import kinds
from articles.export.types import (
    ExportComment,
    ExportDocument,
    ExportHighlight,
    ExportIssue,
    ExportNote,
    ExportSection,
    ExportThread,
)
from articles.models import (
    Comment,
    Highlight,
    Issue,
    Note,
    Paragraph,
    Section,
    SectionTag,
    Team,
    Thread,
)
from articles.models.annotations import ORPHANS_ANCHOR as PAGE_ORPHANS_ANCHOR

ORPHANS_ANCHOR = "orphaned"  # the export's group of orphans (the issue page's list is PAGE_ORPHANS_ANCHOR)


@dataclass(frozen=True)
class ExportRead:
    """How an export reads one annotation kind: the rows ``user`` may see in ``team`` (with what
    building the dataclasses needs joined), and the lookup that narrows them to one issue."""

    visible: Callable[..., QuerySet]  # (user, team) → queryset
    issue_lookup: str

    def rows(self, user, team: Team, issue: Issue | None) -> list:
        qs = self.visible(user, team)
        return list(qs if issue is None else qs.filter(**{self.issue_lookup: issue}))


# One read per annotation kind (one query each, two for highlights with their tags).
EXPORT_READS: dict[str, ExportRead] = {
    kinds.HIGHLIGHT: ExportRead(
        lambda user, team: Highlight.objects.visible_to(user, team)
        .select_related("author", "paragraph")
        .prefetch_related("tags"),
        "issue",
    ),
    kinds.NOTE: ExportRead(
        lambda user, team: Note.objects.visible_to(user, team).select_related("author", "paragraph"), "issue"
    ),
    kinds.COMMENT: ExportRead(
        lambda user, team: Comment.objects.visible_to(user, team).select_related("author"), "thread__issue"
    ),
    kinds.SECTION_TAG: ExportRead(
        lambda user, team: SectionTag.objects.of_member(user, team).select_related("tag"), "issue"
    ),
}


def issue_get_for_export(*, slug: str) -> Issue:
    """The issue an export is about (its newsletter joined, its source text left out); Http404."""
    issue = Issue.objects.select_related("newsletter").defer("source_text").filter(slug=slug).first()
    if issue is None:
        raise Http404("No such issue.")
    return issue


def export_document(
    *, user, team: Team, issue: Issue | None = None, absolute: Callable[[str], str], export_path: str
) -> ExportDocument:
    """One issue's annotations visible to ``user`` in ``team`` (or, without ``issue``, those of
    every issue with any, newest first). ``absolute`` turns a path into an absolute URL.
    Queries: 7 for one issue, 8 for the team, whatever the number of issues and annotations."""
    rows = {kind: read.rows(user, team, issue) for kind, read in EXPORT_READS.items()}
    highlights, notes = rows[kinds.HIGHLIGHT], rows[kinds.NOTE]
    comments, section_tags = rows[kinds.COMMENT], rows[kinds.SECTION_TAG]
    # the comments' threads (a thread is where comments are, not an annotation kind of its own)
    threads = Thread.objects.visible_to(user, team)
    threads = list(threads if issue is None else threads.filter(issue=issue))

    issue_ids = {
        _issue_key(a) for a in (*highlights, *notes, *threads, *section_tags)
    }
    sections = list(Section.objects.filter(pk__in=_section_ids(highlights, notes, threads, section_tags)))
    issue_ids |= {s.issue_id for s in sections}
    issues = _issues(issue, {i for i in issue_ids if isinstance(i, int)})
    if issue is None:  # orphans of deleted issues, under the title their issue had
        issues += [DeletedIssue(key) for key in sorted(i for i in issue_ids if isinstance(i, str))]
    index = _Index(sections, highlights, notes, threads, comments, section_tags)
    return ExportDocument(
        title=(f"{issue.title}" if issue else f"{team.name}: annotations"),
        team=team.name,
        requested_by=user.get_username(),
        generated=timezone.now(),
        url=absolute(export_path),
        issues=tuple(_issue(i, absolute, index) for i in issues),
    )


DELETED = "deleted:"


def _issue_key(annotation) -> int | str:
    """An annotation's issue id, or ``deleted:<its issue's title>`` once that issue was deleted."""
    return annotation.issue_id or f"{DELETED}{annotation.issue_title}"


class DeletedIssue:
    """Stands in for a deleted issue in the team export: its title as its orphans remember it,
    linked to the team's orphans page."""

    number = None
    slug = ""

    def __init__(self, key: str):
        self.pk = key
        self.title = f"{key.removeprefix(DELETED) or 'An issue'} (deleted)"
        self.newsletter = type("Unknown", (), {"name": ""})()

    def url_at(self, anchor: str = "", **params) -> str:
        return reverse("articles:orphans")

    def get_absolute_url(self) -> str:
        return reverse("articles:orphans")


def _section_ids(highlights, notes, threads, section_tags) -> set[int]:
    """Sections to fetch: those of section threads, section tags and annotated paragraphs."""
    return {t.section_id for t in threads if t.section_id} | {st.section_id for st in section_tags if st.section_id} | {
        h.paragraph.section_id for h in highlights if h.paragraph_id
    } | {n.paragraph.section_id for n in notes if n.paragraph_id}


def _local(moment):
    return timezone.localtime(moment)


def _issues(issue: Issue | None, issue_ids: set[int]) -> list[Issue]:
    if issue is not None:
        return [issue] if issue.pk in issue_ids else []
    qs: QuerySet[Issue] = Issue.objects.filter(pk__in=issue_ids).select_related("newsletter").defer("source_text")
    return list(qs.newest_first())


def _thread(thread: Thread | None, comments_by_thread: dict[int, list[Comment]]) -> ExportThread | None:
    if thread is None:
        return None
    rows = comments_by_thread.get(thread.pk, [])
    replies: dict[int, list[ExportComment]] = defaultdict(list)
    for c in rows:
        if c.parent_id is not None:
            replies[c.parent_id].append(_comment(c))
    top = tuple(
        _comment(c, tuple(replies.get(c.pk, ()))) for c in rows if c.parent_id is None
    )
    return ExportThread(id=thread.pk, resolved=thread.resolved, comments=top)


def _comment(c: Comment, replies: tuple[ExportComment, ...] = ()) -> ExportComment:
    return ExportComment(
        id=c.pk, author=c.author_name, created=_local(c.created_at), modified=_local(c.updated_at),
        body="" if c.deleted else c.body, deleted=c.deleted, parent_id=c.parent_id, replies=replies,
    )


def _place(issue: Issue, paragraph_id: int | None, absolute: Callable[[str], str]) -> tuple[str, str]:
    """An annotation's paragraph anchor and absolute URL (the issue page when orphaned)."""
    anchor = Paragraph.anchor_of(paragraph_id) if paragraph_id else ""
    return anchor, absolute(issue.url_at(anchor))


def _highlight(h: Highlight, thread: ExportThread | None, place: tuple[str, str]) -> ExportHighlight:
    return ExportHighlight(
        id=h.pk, paragraph_id=h.paragraph_id, paragraph_anchor=place[0], url=place[1], exact=h.exact, prefix=h.prefix, suffix=h.suffix,
        start=h.start, end=h.end, author=h.author_name, visibility=h.visibility,
        colour=h.colour, is_claim=h.is_claim, claim_status=h.claim_status, due_date=h.due_date,
        note=h.note, tags=tuple(t.name for t in h.tags.all()), created=_local(h.created_at),
        modified=_local(h.updated_at), thread=thread,
    )


def _note(n: Note, place: tuple[str, str]) -> ExportNote:
    return ExportNote(
        id=n.pk, paragraph_id=n.paragraph_id, paragraph_anchor=place[0], url=place[1], paragraph_text=n.paragraph_text, body=n.body,
        author=n.author_name, visibility=n.visibility, created=_local(n.created_at), modified=_local(n.updated_at),
    )


class _Index:
    """The fetched rows grouped once, so building each issue is linear in its own rows."""

    def __init__(self, sections, highlights, notes, threads, comments, section_tags):
        self.sections: dict[int, list[Section]] = defaultdict(list)
        for s in sorted(sections, key=lambda s: s.position):
            self.sections[s.issue_id].append(s)
        self.comments_by_thread: dict[int, list[Comment]] = defaultdict(list)
        for c in comments:
            self.comments_by_thread[c.thread_id].append(c)
        self.highlight_threads = {t.highlight_id: t for t in threads if t.highlight_id}
        self.section_threads = {t.section_id: t for t in threads if t.section_id}
        self.tags_by_section: dict[int, list[str]] = defaultdict(list)
        # issue key → headline of a story that is gone → its tags and thread
        self.lost_stories: dict[int | str, dict[str, dict]] = defaultdict(
            lambda: defaultdict(lambda: {"tags": [], "thread": None})
        )
        for st in section_tags:
            if st.section_id:
                self.tags_by_section[st.section_id].append(st.tag.name)
            else:
                self.lost_stories[_issue_key(st)][st.section_headline]["tags"].append(st.tag.name)
        for t in threads:
            if t.section_id is None and t.highlight_id is None:
                self.lost_stories[_issue_key(t)][t.section_headline]["thread"] = t
        # issue id → section id (None: orphaned) → {"h": [...], "n": [...]}
        self.groups: dict[int, dict[int | None, dict[str, list]]] = defaultdict(
            lambda: defaultdict(lambda: {"h": [], "n": []})
        )
        for h in highlights:
            key = h.paragraph.section_id if h.paragraph_id else None
            self.groups[_issue_key(h)][key]["h"].append((h.paragraph_index, h.start, h.pk, h))
        for n in notes:
            key = n.paragraph.section_id if n.paragraph_id else None
            self.groups[_issue_key(n)][key]["n"].append((n.paragraph_index, n.created_at, n.pk, n))


def _issue(issue: Issue, absolute: Callable[[str], str], index: _Index) -> ExportIssue:
    by_section = index.groups[issue.pk]
    out = []
    for s in index.sections[issue.pk]:
        group = by_section.get(s.pk, {"h": [], "n": []})
        thread = _thread(index.section_threads.get(s.pk), index.comments_by_thread)
        tags = tuple(index.tags_by_section.get(s.pk, ()))
        if not (group["h"] or group["n"] or tags or (thread and thread.comments)):
            continue
        out.append(_section(issue, absolute, index, group, id=s.pk, anchor=s.anchor, title=str(s), tags=tags,
                            url=absolute(issue.url_at(s.anchor)), thread=thread))
    if None in by_section:
        out.append(_section(issue, absolute, index, by_section[None], id=None, anchor=ORPHANS_ANCHOR,
                            title="Orphaned annotations", url=absolute(issue.url_at(PAGE_ORPHANS_ANCHOR))))
    for headline, story in sorted(index.lost_stories.get(issue.pk, {}).items()):
        out.append(_section(
            issue, absolute, index, {"h": [], "n": []}, id=None, anchor=ORPHANS_ANCHOR,
            title=f"{headline or 'A story'} (story removed)", tags=tuple(story["tags"]),
            url=absolute(issue.url_at(PAGE_ORPHANS_ANCHOR)), thread=_thread(story["thread"], index.comments_by_thread),
        ))
    return ExportIssue(
        id=issue.pk, slug=issue.slug, title=issue.title, newsletter=issue.newsletter.name,
        number=issue.number, url=absolute(issue.get_absolute_url()), sections=tuple(out),
    )


def _section(issue: Issue, absolute: Callable[[str], str], index: _Index, group: dict, **fields) -> ExportSection:
    """``fields``: the ExportSection's own (id, anchor, title, url, tags, thread)."""
    highlights = [h for *_, h in sorted(group["h"], key=lambda row: row[:3])]
    notes = [n for *_, n in sorted(group["n"], key=lambda row: row[:3])]
    return ExportSection(
        highlights=tuple(
            _highlight(h, _thread(index.highlight_threads.get(h.pk), index.comments_by_thread),
                       _place(issue, h.paragraph_id, absolute))
            for h in highlights
        ),
        notes=tuple(_note(n, _place(issue, n.paragraph_id, absolute)) for n in notes),
        **fields,
    )
