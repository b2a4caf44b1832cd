"""Reading pages: issue list, issue page, section permalink."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from articles import presenters, selectors
from articles.models import Paragraph, Section
from articles.selectors.annotations import issue_annotations
from articles.selectors.activity import with_reading_state
from articles.selectors.teams import active_team
from articles.services.reading import issue_opened

from .issue_page import issue_page_response
from .notes import notes_panel_context
from .threads import section_thread_context


ISSUES_PER_PAGE = 50


@require_GET
@vary_on_headers("HX-Request")
def issue_list(request):
    newsletter = request.GET.get("newsletter") or None
    template = "articles/issue_list.html"
    if request.htmx:
        template += "#issue-list"
    issues = with_reading_state(
        selectors.issue_list(newsletter_slug=newsletter), user=request.user, team=active_team(request)
    )
    page = Paginator(issues, ISSUES_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        template,
        {
            "issues": page,
            "page_obj": page,
            "newsletters": selectors.newsletter_list(),
            "current_newsletter": newsletter,
        },
    )


@require_GET
@vary_on_headers("HX-Request")
def issue_detail(request, slug: str):
    issue = get_object_or_404(selectors.issue_for_reader(), slug=slug)
    response = issue_page_response(request, issue, opened=_opened_without_js(request, issue))
    if not request.htmx:
        issue_opened(user=request.user, issue=issue)
    return response


def _opened_without_js(request, issue) -> dict:
    """``?notes=<paragraph>`` / ``?thread=<section>``: a panel opened by a plain link (no JS)."""
    team = active_team(request)
    opened: dict = {}
    if team is None:
        return opened
    paragraph_id, section_id = request.GET.get("notes", ""), request.GET.get("thread", "")
    if paragraph_id.isascii() and paragraph_id.isdigit():
        paragraph = Paragraph.objects.filter(pk=paragraph_id, section__issue=issue).select_related("section__issue").first()
        if paragraph:
            opened["open_notes"] = notes_panel_context(request, paragraph, team)
    if section_id.isascii() and section_id.isdigit():
        section = Section.objects.filter(pk=section_id, issue=issue).select_related("issue").first()
        if section:
            opened["open_thread"] = section_thread_context(request, team, section)
    return opened


@require_GET
def section_detail(request, slug: str, anchor: str):
    section = get_object_or_404(selectors.section_for_reader(), issue__slug=slug, anchor=anchor)
    annotations = issue_annotations(issue=section.issue, user=request.user, team=active_team(request))
    return TemplateResponse(
        request, "articles/section_detail.html", {"view": presenters.section_view(section, annotations)}
    )
