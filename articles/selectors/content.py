"""Reads: each function owns its select_related/prefetch_related so no page does N+1."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from articles.models import Issue, Newsletter, Paragraph, Section


def issue_list(*, newsletter_slug: str | None = None) -> QuerySet[Issue]:
    issues = (
        Issue.objects.select_related("newsletter")
        .annotate(section_count=Count("sections"))
        .defer("source_text")
        .newest_first()
    )
    if newsletter_slug:
        issues = issues.filter(newsletter__slug=newsletter_slug)
    return issues


def newsletter_list() -> QuerySet[Newsletter]:
    return Newsletter.objects.annotate(issue_count=Count("issues")).filter(issue_count__gt=0)


def issue_for_reader() -> QuerySet[Issue]:
    """Issues with everything the reading page shows: sections and their paragraphs, in order."""
    paragraphs = Paragraph.objects.order_by("position")
    sections = Section.objects.order_by("position").prefetch_related(
        Prefetch("paragraphs", queryset=paragraphs)
    )
    return (
        Issue.objects.select_related("newsletter")
        .defer("source_text")
        .prefetch_related(Prefetch("sections", queryset=sections))
    )


def section_for_reader() -> QuerySet[Section]:
    return Section.objects.select_related("issue__newsletter").defer("issue__source_text").prefetch_related(
        Prefetch("paragraphs", queryset=Paragraph.objects.order_by("position"))
    )


def issue_neighbours(issue: Issue) -> tuple[Issue | None, Issue | None]:
    """(older, newer) issue of the same newsletter, in the issue list's order."""
    same = (
        Issue.objects.filter(newsletter_id=issue.newsletter_id)
        .select_related("newsletter")
        .only("slug", "title", "number", "newsletter__name")
    )
    if issue.number is not None:
        older = same.filter(number__lt=issue.number).order_by("-number").first()
        newer = same.filter(number__gt=issue.number).order_by("number").first()
    else:
        unnumbered = same.filter(number__isnull=True).exclude(pk=issue.pk)
        older = unnumbered.filter(imported_at__lt=issue.imported_at).order_by("-imported_at").first()
        newer = unnumbered.filter(imported_at__gt=issue.imported_at).order_by("imported_at").first()
    return older, newer
