"""Reads: each function owns its select_related/prefetch_related so no page does N+1."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from articles.models import Issue, IssueReference, Newsletter, Paragraph, RelatedStory, Section


def issue_list(*, newsletter_slug: str | None = None) -> QuerySet[Issue]:
    """Issues newest first on the bare issue table (no per-issue aggregate: sorting and cutting a
    page stay an index walk; ``reading.issue_list_page`` adds counts for the issues shown)."""
    issues = Issue.objects.select_related("newsletter").defer("source_text").newest_first()
    if newsletter_slug:
        issues = issues.filter(newsletter__slug=newsletter_slug)
    return issues


def newsletter_list() -> QuerySet[Newsletter]:
    return Newsletter.objects.annotate(issue_count=Count("issues")).filter(issue_count__gt=0)


def _paragraphs_with_references() -> QuerySet[Paragraph]:
    references = IssueReference.objects.select_related("target").only(
        "paragraph_id", "start", "end", "newsletter_name", "number", "target__slug"
    )
    return Paragraph.objects.order_by("position").prefetch_related(Prefetch("references", queryset=references))


def _related_stories() -> Prefetch:
    """Each story's related stories (best first) with their issues, for the "Related" list."""
    related = RelatedStory.objects.select_related("related__issue__newsletter").defer("related__issue__source_text")
    return Prefetch("related_links", queryset=related)


def issue_for_reader() -> QuerySet[Issue]:
    """Issues with everything the reading page shows: sections and their paragraphs (with their
    cross-issue references), each story's related stories, in order."""
    sections = Section.objects.order_by("position").prefetch_related(
        Prefetch("paragraphs", queryset=_paragraphs_with_references()), _related_stories()
    )
    return (
        Issue.objects.select_related("newsletter")
        .defer("source_text")
        .prefetch_related(Prefetch("sections", queryset=sections))
    )


def section_for_reader() -> QuerySet[Section]:
    return Section.objects.select_related("issue__newsletter").defer("issue__source_text").prefetch_related(
        Prefetch("paragraphs", queryset=_paragraphs_with_references()), _related_stories()
    )


def issue_get_for_reader(*, slug: str | None = None, pk: int | None = None) -> Issue:
    """One issue (by slug or id) with everything its page shows; Http404 when there is none."""
    issue = issue_for_reader().filter(**({"slug": slug} if pk is None else {"pk": pk})).first()
    if issue is None:
        raise Http404("No such issue.")
    return issue


def section_get_for_reader(*, slug: str, anchor: str) -> Section:
    """A section's own page: the section with its paragraphs; Http404 when there is none."""
    section = section_for_reader().filter(issue__slug=slug, anchor=anchor).first()
    if section is None:
        raise Http404("No such section.")
    return section


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
    elif issue.published_at is not None:
        dated = same.filter(number__isnull=True, published_at__isnull=False).exclude(pk=issue.pk)
        older = dated.filter(published_at__lt=issue.published_at).order_by("-published_at", "-pk").first()
        newer = dated.filter(published_at__gt=issue.published_at).order_by("published_at", "pk").first()
    else:
        unnumbered = same.filter(number__isnull=True).exclude(pk=issue.pk)
        older = unnumbered.filter(imported_at__lt=issue.imported_at).order_by("-imported_at").first()
        newer = unnumbered.filter(imported_at__gt=issue.imported_at).order_by("imported_at").first()
    return older, newer


def paragraph_index(paragraph: Paragraph) -> int:
    """The paragraph's 0-based position in its issue's reading order."""
    before = Paragraph.objects.filter(
        section__issue_id=paragraph.section.issue_id, section__position__lt=paragraph.section.position
    ).count()
    return before + paragraph.position
