"""Tag reads for one member of a team. Which tags and highlights a user may see is decided by
``visible_to`` alone (a tag used only on someone's private highlight stays hidden)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from articles.models import Highlight, SectionTag, Tag, Team, Visibility

AUTOCOMPLETE_LIMIT = 10


def tags_with_counts(*, user, team: Team) -> QuerySet[Tag]:
    """The team's tags the user may see, each with how many highlights the user may see carry it
    and how many sections it is on (one query)."""
    seen = Highlight.objects.visible_to(user, team)
    return Tag.objects.visible_to(user, team).annotate(
        highlight_count=Count("highlights", filter=Q(highlights__in=seen), distinct=True),
        section_count=Count("section_tags", distinct=True),
    )


def tag_get_visible(*, user, team: Team, slug: str) -> Tag:
    tag = Tag.objects.visible_to(user, team).filter(slug=slug).first()
    if tag is None:
        raise Http404("No such tag.")
    return tag


def tag_find(*, user, team: Team, slug: str) -> Tag | None:
    """The visible tag ``slug`` of ``team``, or None."""
    return Tag.objects.visible_to(user, team).filter(slug=slug).first()


@dataclass(frozen=True)
class TagPage:
    tag: Tag
    highlights: QuerySet[Highlight]
    section_tags: QuerySet[SectionTag]
    other_tags: QuerySet[Tag]


def tag_page(*, user, team: Team, slug: str) -> TagPage:
    """Everything with the tag across all issues, newest first, and the team's other tags."""
    tag = tag_get_visible(user=user, team=team, slug=slug)
    highlights = (
        Highlight.objects.visible_to(user, team).filter(tags=tag)
        .select_related("author", "issue__newsletter", "paragraph").prefetch_related("tags").order_by("-created_at")
    )
    section_tags = (
        SectionTag.objects.filter(tag=tag).select_related("section__issue__newsletter", "added_by").order_by("-created_at")
    )
    return TagPage(tag, highlights, section_tags, Tag.objects.visible_to(user, team).exclude(pk=tag.pk))


def tags_matching(*, user, team: Team, fragment: str) -> QuerySet[Tag]:
    """The first few visible tags whose name contains ``fragment`` (all of them for "")."""
    tags = Tag.objects.visible_to(user, team)
    if fragment:
        tags = tags.filter(name__icontains=fragment)
    return tags[:AUTOCOMPLETE_LIMIT]


def tag_choices(*, user, team: Team | None) -> QuerySet[Tag] | list[Tag]:
    """The tags a search can be filtered by (none without a team)."""
    return Tag.objects.visible_to(user, team) if team else []


def tags_shown_in_admin(*, user) -> QuerySet[Tag]:
    """The tags the admin lists to ``user`` (superusers included): those any member of their team
    sees — on a team highlight or on a section — and those ``user`` uses or made themselves. A tag
    used only on other people's private highlights (or on nothing, made by someone else) is never
    shown: its name is as private as the highlights (docs/ANNOTATIONS.md)."""
    tagged = Highlight.objects.filter(tags=OuterRef("pk"))
    return Tag.objects.filter(
        Exists(tagged.filter(visibility=Visibility.TEAM))
        | Exists(SectionTag.objects.filter(tag=OuterRef("pk")))
        | Exists(tagged.filter(author=user))
        | Q(created_by=user)
    )
