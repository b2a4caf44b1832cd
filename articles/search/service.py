"""``search()``: the one way to query the index. Privacy and filters are one ORM filter shared by
both backends; the backend only adds the full-text match and the rank."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, Q
from django.utils import timezone

from articles.models import Highlight, Issue, Membership, Note, SearchDocument, SectionTag, Team, Visibility

from . import candidates, postgres, sqlite
from .query import query_parse
from .results import SearchResults, results_build

LIMIT = 50
BACKENDS = {"sqlite": sqlite, "postgresql": postgres}


@dataclass(frozen=True)
class SearchFilters:
    newsletter: str = ""  # newsletter slug
    tag: str = ""  # slug of one of the team's tags
    author: str = ""  # username of a team member: only their annotations
    mine: bool = False  # only paragraphs with one of my notes
    date_from: datetime.date | None = None  # issue import date, inclusive
    date_to: datetime.date | None = None


def visible_documents(*, user, team: Team | None) -> Q:
    """Newsletter text for everyone; a team's annotations for its current members when shared,
    for their owner when private (mirrors ``visible_to`` of highlights, notes and comments)."""
    public = Q(team__isnull=True)
    if team is None or not (user and user.is_authenticated):
        return public
    member = Exists(Membership.objects.filter(team=team, user=user))
    return public | (Q(team=team) & member & (Q(visibility=Visibility.TEAM) | Q(owner=user)))


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filters_q(*, user, team: Team | None, filters: SearchFilters) -> Q:
    q = Q()
    # issue filters as ``issue_id IN (issues)``: the issues are read first, then their documents
    # by the issue index (a join would scan every document and look its issue up)
    issues = Q()
    if filters.newsletter:
        issues &= Q(newsletter__slug=filters.newsletter)
    if filters.date_from:
        issues &= Q(imported_at__gte=_day_start(filters.date_from))
    if filters.date_to and filters.date_to < datetime.date.max:  # "up to the end of time" filters nothing
        issues &= Q(imported_at__lt=_day_start(filters.date_to + datetime.timedelta(days=1)))
    if issues:
        q &= Q(issue_id__in=Issue.objects.filter(issues).values("pk"))
    if filters.author:
        q &= Q(author__username=filters.author, team__isnull=False)
    if filters.tag:  # sections carrying the tag, paragraphs with a highlight I can see carrying it
        tagged_sections = SectionTag.objects.of_member(user, team).filter(tag__slug=filters.tag)
        tagged_highlights = Highlight.objects.visible_to(user, team).filter(tags__slug=filters.tag)
        # one IN over a UNION, not an OR of two INs (which PostgreSQL answers with a full scan)
        sections = SearchDocument.objects.filter(section_id__in=tagged_sections.values("section_id"))
        paragraphs = SearchDocument.objects.filter(
            paragraph_id__in=tagged_highlights.filter(paragraph__isnull=False).values("paragraph_id")
        )
        q &= Q(pk__in=sections.values("pk").union(paragraphs.values("pk")))
    if filters.mine:
        my_notes = Note.objects.visible_to(user, team).filter(author=user, paragraph__isnull=False)
        q &= Q(paragraph_id__in=my_notes.values("paragraph_id"))
    return q


def search(*, user, team: Team | None, query: str, filters: SearchFilters | None = None, limit: int = LIMIT) -> SearchResults:
    """The best ``limit`` matches the user may see, grouped by issue and section: the candidate
    ids and count (``candidates.py``: bounded work whatever the number of matches), ranked by the
    backend, then those rows to show (snippets for them only)."""
    parsed = query_parse(query)
    if not parsed:
        return SearchResults(query=parsed, groups=[], count=0, limit=limit)
    filters = filters or SearchFilters()
    narrowing = filters_q(user=user, team=team, filters=filters)
    ids, count = candidates.ranked_ids(BACKENDS[connection.vendor], parsed, limit,
                                       visible=visible_documents(user=user, team=team), narrowing=narrowing or None)
    rows = SearchDocument.objects.filter(pk__in=ids).select_related("issue__newsletter", "section", "paragraph", "author")
    rows = rows.defer("vector", "issue__source_text", "paragraph__text", "paragraph__marks", "section__dek")
    by_id = {row.pk: row for row in rows} if ids else {}
    return results_build([by_id[pk] for pk in ids if pk in by_id], parsed, limit=limit,
                         count=min(count, candidates.WINDOW), more=count > candidates.WINDOW)
