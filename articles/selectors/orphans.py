"""The team's *Orphaned annotations* page: what lost its place and is kept (docs/ANNOTATIONS.md).

An orphan is a highlight or note without a paragraph (a re-import could not place it, or its
issue was deleted), a section tag without a section, or a thread whose story or issue is gone.
Each is shown with its snapshot: the issue's title and the story's headline when last seen.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from articles.models import Comment, Highlight, Note, SectionTag, Team, Thread, Visibility


@dataclass(frozen=True)
class TeamOrphans:
    highlights: list[Highlight]
    notes: list[Note]
    section_tags: list[SectionTag]
    threads: list[Thread]  # each with ``comments`` prefetched, oldest first

    @property
    def total(self) -> int:
        return len(self.highlights) + len(self.notes) + len(self.section_tags) + len(self.threads)


ORPHANED_THREAD = Q(issue__isnull=True) | Q(section__isnull=True, highlight__isnull=True)


def team_orphans(*, user, team: Team | None) -> TeamOrphans:
    """The orphans of ``team`` that ``user`` may see (visible_to: a private one only to its
    author), newest first. Six queries, whatever their number."""
    highlights = (
        Highlight.objects.visible_to(user, team).filter(paragraph__isnull=True)
        .select_related("author", "issue").prefetch_related("tags").order_by("-created_at", "-pk")
    )
    notes = (
        Note.objects.visible_to(user, team).filter(paragraph__isnull=True)
        .select_related("author", "issue").order_by("-created_at", "-pk")
    )
    section_tags = (
        SectionTag.objects.of_member(user, team).filter(section__isnull=True)
        .select_related("tag", "issue", "added_by").order_by("-created_at", "-pk")
    )
    comments = Comment.objects.filter(deleted=False).select_related("author").order_by("created_at", "pk")
    threads = (
        Thread.objects.visible_to(user, team).filter(ORPHANED_THREAD)
        .select_related("issue", "started_by", "highlight")
        .prefetch_related(Prefetch("comments", queryset=comments)).order_by("-changed_at", "-pk")
    )
    return TeamOrphans(list(highlights), list(notes), list(section_tags), list(threads))


def _count(n: int, word: str, plural: str) -> str:
    return f"{n} {word if n == 1 else plural}"


@dataclass(frozen=True)
class OrphanPreview:
    """What deleting some issues would leave orphaned: counts (private and team apart) and the
    teams concerned."""

    teams: list[Team]
    summary: list[str]


def issues_orphan_preview(*, issues) -> OrphanPreview:
    """For the admin's delete confirmation: what of ``issues`` every team keeps as orphans (six
    queries)."""
    lines = []
    for model, word in ((Highlight, "highlight"), (Note, "note")):
        by_visibility = dict(
            model.objects.filter(issue__in=issues).values_list("visibility").annotate(n=Count("pk")).order_by()
        )
        for visibility in ("team", "private"):
            if by_visibility.get(visibility):
                lines.append(_count(by_visibility[visibility], f"{visibility} {word}", f"{visibility} {word}s"))
    threads = Thread.objects.filter(issue__in=issues).count()
    section_tags = SectionTag.objects.filter(section__issue__in=issues).count()
    if threads:
        lines.append(_count(threads, "thread (with its comments)", "threads (with their comments)"))
    if section_tags:
        lines.append(_count(section_tags, "section tag", "section tags"))
    touched = (
        Q(highlights__issue__in=issues) | Q(notes__issue__in=issues) | Q(threads__issue__in=issues)
        | Q(tags__section_tags__section__issue__in=issues)
    )
    teams = list(Team.objects.filter(pk__in=Team.objects.filter(touched).values("pk")).order_by("name"))
    return OrphanPreview(teams=teams, summary=lines)


@dataclass(frozen=True)
class FormerMemberPreview:
    highlights: int
    notes: int
    threads: int
    comments: int

    def __bool__(self) -> bool:
        return bool(self.highlights or self.notes or self.threads or self.comments)

    def __str__(self) -> str:
        return ", ".join(
            _count(n, word, plural) for n, word, plural in (
                (self.highlights, "team highlight", "team highlights"), (self.notes, "team note", "team notes"),
                (self.threads, "thread they started", "threads they started"), (self.comments, "comment", "comments"),
            ) if n
        )


def former_member_preview(*, accounts) -> FormerMemberPreview:
    """For the admin's delete confirmation of users: what stays, authorless (four queries)."""
    shared = ~Q(visibility=Visibility.PRIVATE)
    return FormerMemberPreview(
        highlights=Highlight.objects.filter(shared, author__in=accounts).count(),
        notes=Note.objects.filter(shared, author__in=accounts).count(),
        threads=Thread.objects.filter(started_by__in=accounts).count(),
        comments=Comment.objects.filter(author__in=accounts).count(),
    )
