"""Reading pages: issue list, issue page, section permalink, and the reader's progress."""

from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from articles import presenters, selectors
from articles.selectors.annotations import highlights_for_cards, issue_annotations, thread_find
from articles.selectors.panels import panels_opened, thread_panel
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
    membership = active_membership(request)
    # ``?notes=<paragraph>`` / ``?thread=<section>`` / ``?card=<highlight>``: a panel, a thread or a
    # highlight's card (with its discussion) opened by a plain link, e.g. a mention's (no JS needed)
    opened = panels_opened(
        user=request.user, membership=membership, issue=issue,
        notes=_id(request.GET.get("notes", "")), thread=_id(request.GET.get("thread", "")),
    )
    opened.update(_card_opened(request, membership, issue, _id(request.GET.get("card", ""))))
    response = issue_page_response(request, issue, opened=opened)
    if not request.htmx:
        reading_services.issue_opened(user=request.user, issue=issue)
    return response


def _card_opened(request, membership, issue, highlight_id: int | None) -> dict:
    """``open_card``: the card of a visible highlight of ``issue``; ``open_card_thread``: its discussion."""
    if highlight_id is None or membership is None:
        return {}
    try:
        highlights = highlights_for_cards(user=request.user, team=membership.team, ids=[highlight_id])
    except Http404:
        return {}
    highlight = highlights[0]
    if highlight.issue_id != issue.pk:
        return {}
    thread = thread_find(user=request.user, team=membership.team, highlight=highlight)
    panel = thread_panel(user=request.user, membership=membership, thread=thread, highlight=highlight)
    return {"open_card": highlights, "open_card_thread": panel}


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
