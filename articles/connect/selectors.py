"""Reads for the connections between issues: "Referenced by" backlinks and topic threads."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import F
from django.http import Http404

from articles.models import Highlight, Issue, IssueReference, RelatedStory, Section

from .services import STORY_KINDS

TOPIC_HOPS = 2


def issue_backlinks(issue: Issue) -> list[IssueReference]:
    """References in other issues that point at ``issue``, with their paragraph, section and issue
    (one query), newest citing issue first."""
    return list(
        IssueReference.objects.filter(target=issue)
        .exclude(paragraph__section__issue=issue)
        .select_related("paragraph__section__issue__newsletter")
        .defer("paragraph__section__issue__source_text")
        .order_by(
            F("paragraph__section__issue__number").desc(nulls_last=True),
            "-paragraph__section__issue__imported_at", "paragraph__section__position",
            "paragraph__position", "start",
        )
    )


def story_get(*, pk: int) -> Section:
    """The story (or tech tale) a topic page starts from, with its issue; Http404 otherwise."""
    story = (
        Section.objects.select_related("issue").defer("issue__source_text").filter(pk=pk, kind__in=STORY_KINDS).first()
    )
    if story is None:
        raise Http404("No such story.")
    return story


def topic_thread(section: Section, *, hops: int = TOPIC_HOPS) -> list[Section]:
    """``section``, its related stories and theirs (``hops`` deep), each once, in issue order
    (issue number, then import date). One query per hop plus one for the sections.
    Each story keeps at most a few related links, so a thread stays small."""
    seen = {section.pk}
    frontier = {section.pk}
    for _ in range(hops):
        linked = set(RelatedStory.objects.filter(section_id__in=frontier).values_list("related_id", flat=True))
        frontier = linked - seen
        seen |= frontier
        if not frontier:
            break
    return list(
        Section.objects.filter(pk__in=seen)
        .select_related("issue__newsletter")
        .defer("issue__source_text")
        .order_by(F("issue__number").asc(nulls_last=True), "issue__imported_at", "position")
    )


def topic_highlights(*, user, team, sections: list[Section]) -> dict[int, list[Highlight]]:
    """Highlights on ``sections`` that ``user`` may see in ``team`` (team + their own private
    ones), by section id, in reading order; empty without a team."""
    by_section: dict[int, list[Highlight]] = defaultdict(list)
    if team is None:
        return by_section
    highlights = (
        Highlight.objects.visible_to(user, team)
        .filter(paragraph__section__in=[s.pk for s in sections])
        .select_related("author", "paragraph", "issue")
        .defer("issue__source_text")
        .order_by("paragraph__position", "start", "pk")
    )
    for highlight in highlights:
        by_section[highlight.paragraph.section_id].append(highlight)
    return by_section
