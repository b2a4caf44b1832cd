"""Discussion threads on sections and highlights; polled by open threads every 15 s."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from articles.forms import CommentEditForm, CommentForm
from articles.models import Thread
from articles.presenters import thread_stamp
from articles.selectors.annotations import (
    comment_get_own,
    highlight_get_visible,
    section_get_for_annotation,
    thread_find,
    thread_get_visible,
)
from articles.selectors.content import issue_get_for_reader
from articles.selectors.panels import thread_panel
from articles.services import threads as thread_services
from articles.services.errors import ConflictError

from .common import done, fragment, membership_or_404, refused
from .issue_page import issue_page_response


def _panel(request, membership, *, thread, conflict="", editing=None, **target):
    return thread_panel(
        user=request.user, membership=membership, thread=thread, conflict=conflict, editing=editing, **target
    )


def _target(request, team, kind: str, pk: int) -> dict:
    if kind == "section":
        return {"section": section_get_for_annotation(pk=pk)}
    return {"highlight": highlight_get_visible(user=request.user, team=team, pk=pk)}


def _issue_url(target: dict) -> str:
    obj = target.get("section") or target.get("highlight")
    return obj.issue.get_absolute_url()


def _no_js_url(target: dict) -> str:
    """Without JS: the issue page with this thread open (section threads) or at the highlight."""
    if "section" in target:
        section = target["section"]
        return section.get_issue_url(thread=section.pk)
    return target["highlight"].get_absolute_url()


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def thread_view(request, kind: str, pk: int):
    """GET: the thread fragment (204 when ``since`` shows nothing changed). POST: a new comment."""
    membership = membership_or_404(request)
    team = membership.team
    target = _target(request, team, kind, pk)
    if request.method == "GET":
        if not request.htmx:  # without JS: the issue page with this thread open
            return redirect(_no_js_url(target))
        thread = thread_find(user=request.user, team=team, **target)
        if request.GET.get("since") == thread_stamp(thread):
            return HttpResponse(status=204)  # idle polling: one small query, no body, no swap
        panel = _panel(request, membership, thread=thread, **target)
        return fragment(request, "thread-comments" if request.GET.get("since") else "thread", {"panel": panel})
    form = CommentForm(request.POST)
    if not form.is_valid():
        return refused(request, ValidationError("Write a comment (at most 10,000 characters)."), fallback_url=_issue_url(target))
    try:  # validated before anything is written: a refused reply leaves no empty thread
        comment = thread_services.comment_post(
            user=request.user, team=team, body=form.cleaned_data["body"], parent_id=form.cleaned_data["parent"], **target
        )
    except ValidationError as error:
        return refused(request, error, fallback_url=_issue_url(target))
    thread = comment.thread
    thread.refresh_from_db()
    return done(request, "thread", {"panel": _panel(request, membership, thread=thread, **target)}, fallback_url=_issue_url(target))


def _thread_target(thread: Thread) -> dict:
    if thread.section_id:
        return {"section": thread.section}
    if thread.highlight_id:
        return {"highlight": thread.highlight}
    raise Http404("This thread's section no longer exists.")


def _thread_response(request, membership, comment, *, editing, conflict: str = "", status: int = 200):
    """The thread with ``comment`` in edit mode: a fragment for htmx; without JS the whole issue
    page with the thread open (section threads) — the draft and any conflict message kept."""
    thread = comment.thread
    panel = _panel(request, membership, thread=thread, editing=editing, conflict=conflict, **_thread_target(thread))
    if request.htmx or thread.section_id is None:
        return fragment(request, "thread", {"panel": panel}, status=200 if request.htmx else status)
    issue = issue_get_for_reader(pk=thread.issue_id)
    return issue_page_response(request, issue, opened={"open_thread": panel}, status=status)


@require_GET
@vary_on_headers("HX-Request")
def comment_edit_form(request, pk: int):
    membership = membership_or_404(request)
    comment = comment_get_own(user=request.user, team=membership.team, pk=pk)
    form = CommentEditForm(initial={"body": comment.body, "version": comment.version})
    return _thread_response(request, membership, comment, editing=(comment, form))


@require_POST
@vary_on_headers("HX-Request")
def comment_edit(request, pk: int):
    membership = membership_or_404(request)
    comment = comment_get_own(user=request.user, team=membership.team, pk=pk)
    target = _thread_target(comment.thread)
    form = CommentEditForm(request.POST)
    if not form.is_valid():
        return refused(request, ValidationError("Write a comment (at most 10,000 characters)."), fallback_url=_issue_url(target))
    try:
        thread_services.comment_update(
            user=request.user, comment=comment, body=form.cleaned_data["body"], version=form.cleaned_data["version"]
        )
    except ConflictError as error:
        comment.refresh_from_db()
        fresh = CommentEditForm(initial={"body": form.cleaned_data["body"], "version": comment.version})
        return _thread_response(request, membership, comment, editing=(comment, fresh), conflict=str(error), status=409)
    except ValidationError as error:
        return refused(request, error, fallback_url=_issue_url(target))
    comment.thread.refresh_from_db()
    panel = _panel(request, membership, thread=comment.thread, **target)
    return done(request, "thread", {"panel": panel}, fallback_url=_issue_url(target))


@require_POST
@vary_on_headers("HX-Request")
def comment_delete(request, pk: int):
    membership = membership_or_404(request)
    comment = comment_get_own(user=request.user, team=membership.team, pk=pk)
    thread, target = comment.thread, _thread_target(comment.thread)
    thread_services.comment_delete(user=request.user, comment=comment)
    thread.refresh_from_db()
    return done(request, "thread", {"panel": _panel(request, membership, thread=thread, **target)}, fallback_url=_issue_url(target))


@require_POST
@vary_on_headers("HX-Request")
def thread_resolve(request, pk: int):
    membership = membership_or_404(request)
    thread = thread_get_visible(user=request.user, team=membership.team, pk=pk)
    target = _thread_target(thread)
    try:
        thread_services.thread_resolve(user=request.user, thread=thread, resolved=request.POST.get("resolved") != "0")
    except PermissionDenied:
        return refused(request, "Only the thread's starter or a team owner can resolve it.", fallback_url=_issue_url(target))
    return done(request, "thread", {"panel": _panel(request, membership, thread=thread, **target)}, fallback_url=_issue_url(target))
