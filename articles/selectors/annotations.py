"""Annotation reads for one user in their active team. Everything goes through ``visible_to`` /
``of_member``: private annotations of others never leave the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter

from django.db.models import Count, Max, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404

from articles.claims.selectors import claim_dismissals
from articles.models import (
    AnchorReport,
    Comment,
    Highlight,
    Issue,
    Note,
    Paragraph,
    Section,
    SectionTag,
    Tag,
    Team,
    Thread,
)


def _highlights(user, team: Team | None) -> QuerySet[Highlight]:
    """Visible highlights with what a card and a paragraph show: author, tags."""
    return Highlight.objects.visible_to(user, team).select_related("author").prefetch_related("tags")


MAX_ID = 2**63 - 1  # the largest primary key any database here stores (signed 64-bit)


def _one(queryset: QuerySet, what: str, **lookup):
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404(f"No such {what}.")
    return obj


def paragraph_get_for_annotation(*, user, team: Team | None, pk) -> Paragraph:
    """The paragraph a member annotates (with its section and issue); 404 without a team."""
    if team is None or not user.is_authenticated:
        raise Http404("You are not in a team yet.")
    return _one(Paragraph.objects.select_related("section__issue"), "paragraph", pk=pk)


def section_get_for_annotation(*, pk) -> Section:
    """The section a member tags or discusses, with its issue."""
    return _one(Section.objects.select_related("issue"), "section", pk=pk)


def highlight_get_visible(*, user, team: Team, pk, own: bool = False) -> Highlight:
    """A highlight ``user`` may see (``own``: that they wrote), with its issue and paragraph."""
    highlights = _highlights(user, team).select_related("issue", "paragraph__section__issue").defer(
        "issue__source_text", "paragraph__section__issue__source_text"
    )
    if own:
        highlights = highlights.filter(author=user)
    return _one(highlights, "highlight", pk=pk)


def highlights_for_cards(*, user, team: Team, ids: list[int]) -> list[Highlight]:
    """The visible highlights under a click (their cards); 404 when none is. Ids that no row can
    have (zero, negative, beyond 64 bits) are ignored instead of reaching the database."""
    ids = [i for i in ids if 0 < i <= MAX_ID]
    highlights = list(_highlights(user, team).filter(pk__in=ids).select_related("paragraph")) if ids else []
    if not highlights:
        raise Http404("No such highlight.")
    return highlights


def note_get_own(*, user, team: Team, pk, orphans: bool = False) -> Note:
    """A note ``user`` wrote (anchored; ``orphans``: or orphaned), with its paragraph and issue."""
    notes = Note.objects.visible_to(user, team).filter(author=user).select_related(
        "author", "paragraph__section__issue", "issue"
    )
    if not orphans:
        notes = notes.filter(paragraph__isnull=False)
    return _one(notes, "note", pk=pk)


def paragraph_notes(*, user, team: Team, paragraph: Paragraph) -> list[Note]:
    """The notes on ``paragraph`` the user may see, oldest first, authors joined."""
    return list(Note.objects.visible_to(user, team).select_related("author").filter(paragraph=paragraph))


def thread_find(*, user, team: Team, section: Section | None = None, highlight: Highlight | None = None) -> Thread | None:
    """The team's thread on ``section`` or ``highlight`` (None until someone comments)."""
    lookup = {"section": section} if section else {"highlight": highlight}
    return Thread.objects.visible_to(user, team).filter(**lookup).first()


def thread_get_visible(*, user, team: Team, pk) -> Thread:
    return _one(
        Thread.objects.visible_to(user, team).select_related("section__issue", "highlight__issue"), "thread", pk=pk
    )


def comment_get_visible(*, user, team: Team, thread: Thread, pk) -> Comment:
    """A comment of ``thread`` the user may see (the one a reply answers)."""
    return _one(Comment.objects.visible_to(user, team).filter(thread=thread), "comment", pk=pk)


def comment_get_own(*, user, team: Team, pk) -> Comment:
    """A comment ``user`` wrote and has not deleted, with its thread and what the thread is on."""
    comments = (
        Comment.objects.visible_to(user, team).filter(author=user, deleted=False)
        .select_related("thread__section__issue", "thread__highlight__issue", "thread__team")
    )
    return _one(comments, "comment", pk=pk)


def section_tags_of(*, user, team: Team, section: Section) -> list[Tag]:
    """The team's tags on ``section``."""
    return [st.tag for st in SectionTag.objects.of_member(user, team).filter(section=section).select_related("tag")]


# The fields of a highlight the issue page reads (``highlight_css``, the claims panel, orphans).
_MARK_FIELDS = ("id", "paragraph_id", "start", "end", "colour", "is_claim", "claim_status", "visibility")
_PAGE_FIELDS = {*_MARK_FIELDS, "team_id", "author_id", "issue_id", "exact", "due_date"}  # + claims, orphans


@cache
def _page_fields() -> list[str]:
    """``_PAGE_FIELDS`` in the model's field order, the order ``Model.from_db`` expects them in."""
    return [f.attname for f in Highlight._meta.concrete_fields if f.attname in _PAGE_FIELDS]


@dataclass(frozen=True, slots=True)
class HighlightMark:
    """What a paragraph's marks need of a visible highlight (``presenters.highlight_css``, claim
    suggestions): the issue page's thousands of highlights are not built as model instances."""

    pk: int
    start: int
    end: int
    colour: str
    is_claim: bool
    claim_status: str
    visibility: str


@dataclass
class IssueAnnotations:
    """Everything the issue page shows on top of the text, fetched in a fixed number of queries."""

    # ``HighlightMark``s from ``issue_annotations``, model instances from ``paragraph_annotations``
    highlights_by_paragraph: dict[int, list[Highlight | HighlightMark]] = field(default_factory=dict)
    orphaned_highlights: list[Highlight] = field(default_factory=list)
    note_counts: dict[int, int] = field(default_factory=dict)
    orphaned_notes: list[Note] = field(default_factory=list)
    tags_by_section: dict[int, list[Tag]] = field(default_factory=dict)
    threads_by_section: dict[int, Thread] = field(default_factory=dict)
    claims: list[Highlight] = field(default_factory=list)
    anchor_reports: list[AnchorReport] = field(default_factory=list)
    # Claim suggestions are shown to team members only (accepting or dismissing needs a team).
    suggest_claims: bool = False
    dismissed_claims: set[tuple[int, int, int, str]] = field(default_factory=set)  # (paragraph, start, end, hash)


def issue_annotations(*, issue: Issue, user, team: Team | None) -> IssueAnnotations:
    result = IssueAnnotations()
    if team is None:
        return result
    # Only what the page shows of a highlight (its mark, the claims panel, the orphan list): its
    # tags, author and quote context are on the card, fetched by htmx when it is opened. At
    # thousands of highlights, loading tags and authors for every row was most of the page's time.
    # Rows become model instances only where the page needs a model (claims, orphans); the
    # marks of a paragraph need just a ``HighlightMark``.
    fields = _page_fields()
    rows = Highlight.objects.visible_to(user, team).filter(issue=issue).values_list(*fields)
    mark_of = itemgetter(*(fields.index(name) for name in _MARK_FIELDS))
    db = rows.db
    for row in rows:
        pk, paragraph_id, start, end, colour, is_claim, claim_status, visibility = mark_of(row)
        if paragraph_id is None or is_claim:
            highlight = Highlight.from_db(db, fields, row)
            if paragraph_id is None:
                result.orphaned_highlights.append(highlight)
            if is_claim:
                result.claims.append(highlight)
        if paragraph_id is not None:
            result.highlights_by_paragraph.setdefault(paragraph_id, []).append(
                HighlightMark(pk, start, end, colour, is_claim, claim_status, visibility)
            )
    if result.orphaned_highlights:  # the orphan list names their authors (one more query, rare)
        prefetch_related_objects(result.orphaned_highlights, "author")
    notes = Note.objects.visible_to(user, team).select_related("author").filter(issue=issue)
    for note in notes.defer("body", "paragraph_text"):
        if note.paragraph_id is None:
            result.orphaned_notes.append(note)
        else:
            result.note_counts[note.paragraph_id] = result.note_counts.get(note.paragraph_id, 0) + 1
    for section_tag in SectionTag.objects.of_member(user, team).filter(section__issue=issue).select_related("tag"):
        result.tags_by_section.setdefault(section_tag.section_id, []).append(section_tag.tag)
    threads = Thread.objects.visible_to(user, team).filter(issue=issue, section__isnull=False).annotate(
        comment_count=Count("comments", filter=Q(comments__deleted=False))
    )
    result.threads_by_section = {t.section_id: t for t in threads}
    reports = AnchorReport.objects.filter(highlight__in=Highlight.objects.visible_to(user, team).filter(issue=issue))
    latest = reports.aggregate(latest=Max("run_at"))["latest"]
    if latest is not None:
        result.anchor_reports = list(reports.filter(run_at=latest))
    result.suggest_claims = True
    result.dismissed_claims = claim_dismissals(user=user, team=team, issue=issue)
    return result


def paragraph_annotations(*, paragraph: Paragraph, user, team: Team | None) -> IssueAnnotations:
    """What one paragraph shows (its highlights, note count, dismissed claims): for re-rendering
    a single paragraph after a write, without loading the whole issue's annotations."""
    result = IssueAnnotations()
    if team is None:
        return result
    result.highlights_by_paragraph[paragraph.pk] = list(_highlights(user, team).filter(paragraph=paragraph))
    result.note_counts[paragraph.pk] = Note.objects.visible_to(user, team).filter(paragraph=paragraph).count()
    result.suggest_claims = True
    result.dismissed_claims = claim_dismissals(user=user, team=team, paragraph=paragraph)
    return result


def thread_with_comments(thread: Thread) -> list[Comment]:
    """Top-level comments with their replies prefetched (one level), authors joined."""
    replies = Comment.objects.select_related("author").order_by("created_at", "pk")
    return list(
        thread.comments.filter(parent__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies))
    )
