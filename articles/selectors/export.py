"""The data of a reader's export (one issue or the whole team), in a fixed number of queries.

Everything goes through ``visible_to`` / ``of_member``: a teammate's private highlights and notes,
the threads and comments on them, and other teams' annotations never reach the formatters.
Threads whose section disappeared in a re-import are not shown on the pages, so they are not
exported either (the admin backup keeps them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

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
    Section,
    SectionTag,
    Team,
    Thread,
)

ORPHANS_ANCHOR = "orphaned"


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
    highlights = (
        Highlight.objects.visible_to(user, team).select_related("author", "paragraph").prefetch_related("tags")
    )
    notes = Note.objects.visible_to(user, team).select_related("author", "paragraph")
    threads = Thread.objects.visible_to(user, team).exclude(section__isnull=True, highlight__isnull=True)
    comments = Comment.objects.visible_to(user, team).select_related("author")
    section_tags = SectionTag.objects.of_member(user, team).select_related("tag")
    if issue is not None:
        highlights, notes = highlights.filter(issue=issue), notes.filter(issue=issue)
        threads, comments = threads.filter(issue=issue), comments.filter(thread__issue=issue)
        section_tags = section_tags.filter(section__issue=issue)
    highlights, notes, threads = list(highlights), list(notes), list(threads)
    comments, section_tags = list(comments), list(section_tags)

    issue_ids = (
        {h.issue_id for h in highlights} | {n.issue_id for n in notes} | {t.issue_id for t in threads}
    )
    sections = list(Section.objects.filter(pk__in=_section_ids(highlights, notes, threads, section_tags)))
    issue_ids |= {s.issue_id for s in sections}
    issues = _issues(issue, issue_ids)
    index = _Index(sections, highlights, notes, threads, comments, section_tags)
    return ExportDocument(
        title=(f"{issue.title}" if issue else f"{team.name}: annotations"),
        team=team.name,
        requested_by=user.get_username(),
        generated=timezone.now(),
        url=absolute(export_path),
        issues=tuple(_issue(i, absolute, index) for i in issues),
    )


def _section_ids(highlights, notes, threads, section_tags) -> set[int]:
    """Sections to fetch: those of section threads, section tags and annotated paragraphs."""
    return {t.section_id for t in threads if t.section_id} | {st.section_id for st in section_tags} | {
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
        id=c.pk, author=c.author.get_username(), created=_local(c.created_at), modified=_local(c.updated_at),
        body="" if c.deleted else c.body, deleted=c.deleted, parent_id=c.parent_id, replies=replies,
    )


def _highlight(h: Highlight, thread: ExportThread | None) -> ExportHighlight:
    return ExportHighlight(
        id=h.pk, paragraph_id=h.paragraph_id, exact=h.exact, prefix=h.prefix, suffix=h.suffix,
        start=h.start, end=h.end, author=h.author.get_username(), visibility=h.visibility,
        colour=h.colour, is_claim=h.is_claim, claim_status=h.claim_status, due_date=h.due_date,
        note=h.note, tags=tuple(t.name for t in h.tags.all()), created=_local(h.created_at),
        modified=_local(h.updated_at), thread=thread,
    )


def _note(n: Note) -> ExportNote:
    return ExportNote(
        id=n.pk, paragraph_id=n.paragraph_id, paragraph_text=n.paragraph_text, body=n.body,
        author=n.author.get_username(), visibility=n.visibility, created=_local(n.created_at), modified=_local(n.updated_at),
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
        for st in section_tags:
            self.tags_by_section[st.section_id].append(st.tag.name)
        # issue id → section id (None: orphaned) → {"h": [...], "n": [...]}
        self.groups: dict[int, dict[int | None, dict[str, list]]] = defaultdict(
            lambda: defaultdict(lambda: {"h": [], "n": []})
        )
        for h in highlights:
            key = h.paragraph.section_id if h.paragraph_id else None
            self.groups[h.issue_id][key]["h"].append((h.paragraph_index, h.start, h.pk, h))
        for n in notes:
            key = n.paragraph.section_id if n.paragraph_id else None
            self.groups[n.issue_id][key]["n"].append((n.paragraph_index, n.created_at, n.pk, n))


def _issue(issue: Issue, absolute: Callable[[str], str], index: _Index) -> ExportIssue:
    by_section = index.groups[issue.pk]
    highlight_threads, comments_by_thread = index.highlight_threads, index.comments_by_thread
    tags_by_section = index.tags_by_section
    out = []
    for s in index.sections[issue.pk]:
        group = by_section.get(s.pk, {"h": [], "n": []})
        thread = _thread(index.section_threads.get(s.pk), comments_by_thread)
        if not (group["h"] or group["n"] or tags_by_section.get(s.pk) or (thread and thread.comments)):
            continue
        out.append(_section(s.pk, s.anchor, str(s), tuple(tags_by_section.get(s.pk, ())), group,
                            highlight_threads, comments_by_thread, thread))
    if None in by_section:
        out.append(_section(None, ORPHANS_ANCHOR, "Orphaned annotations", (), by_section[None],
                            highlight_threads, comments_by_thread, None))
    return ExportIssue(
        id=issue.pk, slug=issue.slug, title=issue.title, newsletter=issue.newsletter.name,
        number=issue.number, url=absolute(issue.get_absolute_url()), sections=tuple(out),
    )


def _section(pk, anchor, title, tags, group, highlight_threads, comments_by_thread, thread) -> ExportSection:
    return ExportSection(
        id=pk, anchor=anchor, title=title, tags=tags,
        highlights=tuple(
            _highlight(h, _thread(highlight_threads.get(h.pk), comments_by_thread))
            for *_, h in sorted(group["h"], key=lambda row: row[:3])
        ),
        notes=tuple(_note(n) for *_, n in sorted(group["n"], key=lambda row: row[:3])),
        thread=thread,
    )
