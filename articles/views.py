"""Thin views: one selector, one presenter, one template (a partial of it for htmx requests)."""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from . import presenters, selectors


@require_GET
@vary_on_headers("HX-Request")
def issue_list(request):
    newsletter = request.GET.get("newsletter") or None
    template = "articles/issue_list.html"
    if request.htmx:
        template += "#issue-list"
    return TemplateResponse(
        request,
        template,
        {
            "issues": selectors.issue_list(newsletter_slug=newsletter),
            "newsletters": selectors.newsletter_list(),
            "current_newsletter": newsletter,
        },
    )


@require_GET
def issue_detail(request, slug: str):
    issue = get_object_or_404(selectors.issue_for_reader(), slug=slug)
    older, newer = selectors.issue_neighbours(issue)
    page = presenters.issue_page(issue, older=older, newer=newer)
    return TemplateResponse(request, "articles/issue_detail.html", {"page": page})


@require_GET
def section_detail(request, slug: str, anchor: str):
    section = get_object_or_404(selectors.section_for_reader(), issue__slug=slug, anchor=anchor)
    return TemplateResponse(
        request, "articles/section_detail.html", {"view": presenters.section_view(section)}
    )
