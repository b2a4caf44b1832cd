"""Sources (staff): subscribed feeds with their status, add a feed, "Fetch now" (queued for the
worker), the Save link box, the bookmarklet and how to connect a mailbox.

Nothing here fetches over the network in the request: "Fetch now" enqueues ``feed_fetch`` and
Save link enqueues a link job, then shows that job until the worker has imported the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from articles.channels.feeds import feed_fetch_enqueue, feed_subscribe
from articles.channels.links import can_save_links, check_can_save_links, link_job_create
from articles.models import ImportJob
from articles.selectors.sources import feed_get, feeds_overview, link_job_get

TEMPLATE = "articles/sources.html"


def _staff_only(request) -> None:
    if not request.user.is_staff:
        raise PermissionDenied("Only staff manage sources.")


def bookmarklet_href(request) -> str:
    """A ``javascript:`` URL that opens this site's Save link page for the current page. It is
    dragged to the bookmarks bar and runs on other sites, never as a script on our pages."""
    save_url = request.build_absolute_uri(reverse("articles:link-save"))
    return (
        "javascript:(function(){window.open('" + save_url + "?url='+encodeURIComponent(location.href),"
        "'digest-save','width=640,height=480');})();"
    )


def _sources_context(request, **extra) -> dict:
    return {
        "page": "sources", "feeds": feeds_overview(), "bookmarklet": bookmarklet_href(request),
        "link_url": "", **extra,
    }


@require_http_methods(["GET"])
@vary_on_headers("HX-Request")
def sources(request):
    _staff_only(request)
    context = _sources_context(request)
    if request.htmx:
        return TemplateResponse(request, f"{TEMPLATE}#feed-list", context)
    return TemplateResponse(request, TEMPLATE, context)


@require_POST
def feed_add(request):
    _staff_only(request)
    try:
        feed = feed_subscribe(url=request.POST.get("url", ""), user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return TemplateResponse(request, TEMPLATE, _sources_context(request, feed_url=request.POST.get("url", "")),
                                status=422)
    messages.success(request, f"Subscribed to {feed.url}. Press “Fetch now” to import its entries.")
    return redirect("articles:sources")


@require_POST
@vary_on_headers("HX-Request")
def feed_fetch_now(request, pk: int):
    _staff_only(request)
    feed = feed_get(pk=pk)
    feed_fetch_enqueue(feed=feed, user=request.user)
    text = f"Queued: {feed}. The worker fetches it in a moment; reload to see its status."
    if request.htmx:
        context = _sources_context(request, queued_feed_id=feed.pk, queued_message=text)
        return TemplateResponse(request, f"{TEMPLATE}#feed-list", context)
    messages.success(request, text)
    return redirect("articles:sources")


@require_http_methods(["GET", "POST"])
def link_save_view(request):
    """The Save link box (the bookmarklet opens it with ``?url=``); POST queues the page."""
    check_can_save_links(request.user)
    url = request.POST.get("url", "") if request.method == "POST" else request.GET.get("url", "")
    if request.method == "POST":
        try:
            job = link_job_create(url=url, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return redirect("articles:link-job", pk=job.pk)
    context = {"page": "save", "link_url": url[:2000]}
    return TemplateResponse(request, TEMPLATE, context, status=422 if request.method == "POST" else 200)


@require_http_methods(["GET"])
@vary_on_headers("HX-Request")
def link_job(request, pk: int):
    """A saved link's job: queued → running → done (a link to the issue) or failed (why)."""
    if not can_save_links(request.user):
        raise PermissionDenied("You cannot save links.")
    job, issue = link_job_get(user=request.user, pk=pk)
    pending = job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
    context = {"page": "job", "job": job, "issue": issue, "pending": pending}
    if request.htmx:
        return TemplateResponse(request, f"{TEMPLATE}#link-job", context)
    return TemplateResponse(request, TEMPLATE, context)
