"""Reading pages: issue list, issue page, section permalink, and the reader's progress."""

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from articles import presenters, selectors
from articles.selectors.annotations import issue_annotations
from articles.selectors.panels import panels_opened
from articles.selectors.reading import issue_list_page, issue_progress_target
from articles.selectors.teams import active_membership, active_team
from articles.services import reading as reading_services

from .issue_page import issue_page_response


def _id(value: str) -> int | None:
    """A positive id given in the query string or a form, else None."""
    return int(value) if value.isascii() and value.isdigit() else None


@require_GET
@vary_on_headers("HX-Request")
def issue_list(request):
    newsletter = request.GET.get("newsletter") or None
    template = "articles/issue_list.html"
    if request.htmx:
        template += "#issue-list"
    page = issue_list_page(
        user=request.user, team=active_team(request), newsletter_slug=newsletter, page_number=request.GET.get("page")
    )
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
    issue = selectors.issue_get_for_reader(slug=slug)
    # ``?notes=<paragraph>`` / ``?thread=<section>``: a panel opened by a plain link (no JS)
    opened = panels_opened(
        user=request.user, membership=active_membership(request), issue=issue,
        notes=_id(request.GET.get("notes", "")), thread=_id(request.GET.get("thread", "")),
    )
    response = issue_page_response(request, issue, opened=opened)
    if not request.htmx:
        reading_services.issue_opened(user=request.user, issue=issue)
    return response


@require_GET
def section_detail(request, slug: str, anchor: str):
    section = selectors.section_get_for_reader(slug=slug, anchor=anchor)
    annotations = issue_annotations(issue=section.issue, user=request.user, team=active_team(request))
    return TemplateResponse(
        request, "articles/section_detail.html", {"view": presenters.section_view(section, annotations)}
    )


@require_POST
def issue_progress(request, slug: str):
    """Where the reader is in the issue (sent by the page as they scroll): 204, nothing to swap."""
    issue, paragraph = issue_progress_target(slug=slug, paragraph_id=_id(request.POST.get("paragraph", "")))
    try:
        progress = float(request.POST.get("progress", "0"))
    except ValueError:
        progress = 0.0
    reading_services.issue_progress_save(user=request.user, issue=issue, paragraph=paragraph, progress=progress)
    return HttpResponse(status=204)
