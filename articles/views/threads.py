"""Discussion threads on sections and highlights; polled by open threads every 15 s."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles.forms import CommentEditForm, CommentForm
from articles.models import Section, Thread
from articles.selectors.annotations import comments_visible, highlights_visible, thread_with_comments, threads_visible
from articles.selectors.teams import is_team_owner
from articles.services import threads as thread_services
from articles.services.errors import ConflictError

from .common import done, fragment, refused, team_or_404
from .issue_page import issue_for_page, issue_page_response


def _stamp(thread: Thread | None) -> str:
    return f"{thread.changed_at.timestamp():.6f}" if thread else "0"


def _find_thread(request, team, *, section=None, highlight=None) -> Thread | None:
    lookup = {"section": section} if section else {"highlight": highlight}
    return threads_visible(request.user, team).filter(**lookup).first()


def _context(request, team, *, thread, section=None, highlight=None, conflict="", editing=None):
    target_url = (
        reverse("articles:section-thread", args=[section.pk])
        if section
        else reverse("articles:highlight-thread", args=[highlight.pk])
    )
    return {
        "thread": thread,
        "comments": thread_with_comments(thread) if thread else [],
        "target_url": target_url,
        "dom_id": f"thread-s{section.pk}" if section else f"thread-h{highlight.pk}",
        "stamp": _stamp(thread),
        "form": CommentForm(),
        "can_resolve": bool(thread) and (thread.started_by_id == request.user.pk or is_team_owner(request)),
        "conflict": conflict,
        "editing": editing,
    }


def _target(request, team, kind: str, pk: int):
    if kind == "section":
        return {"section": get_object_or_404(Section.objects.select_related("issue"), pk=pk)}
    return {"highlight": get_object_or_404(highlights_visible(request.user, team).select_related("issue"), pk=pk)}


def _issue_url(target) -> str:
    obj = target.get("section") or target.get("highlight")
    return obj.issue.get_absolute_url()


@require_http_methods(["GET", "POST"])
def thread_view(request, kind: str, pk: int):
    """GET: the thread fragment (204 when ``since`` shows nothing changed). POST: a new comment."""
    team = team_or_404(request)
    target = _target(request, team, kind, pk)
    if request.method == "GET":
        if not request.htmx:  # without JS: the issue page with this thread open
            return redirect(_no_js_url(target))
        thread = _find_thread(request, team, **target)
        if request.GET.get("since") == _stamp(thread):
            return HttpResponse(status=204)  # idle polling: one small query, no body, no swap
        context = _context(request, team, thread=thread, **target)
        return fragment(request, "thread-comments" if request.GET.get("since") else "thread", context)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return refused(request, ValidationError("Write a comment (at most 10,000 characters)."), fallback_url=_issue_url(target))
    thread = thread_services.thread_get_or_create(user=request.user, team=team, **target)
    parent = None
    if form.cleaned_data["parent"]:
        parent = get_object_or_404(comments_visible(request.user, team).filter(thread=thread), pk=form.cleaned_data["parent"])
    try:
        thread_services.comment_create(user=request.user, thread=thread, body=form.cleaned_data["body"], parent=parent)
    except ValidationError as error:
        return refused(request, error, fallback_url=_issue_url(target))
    thread.refresh_from_db()
    return done(request, "thread", _context(request, team, thread=thread, **target), fallback_url=_issue_url(target))


def _no_js_url(target: dict) -> str:
    if "section" in target:
        section = target["section"]
        return f"{section.issue.get_absolute_url()}?thread={section.pk}#{section.anchor}"
    highlight = target["highlight"]
    return f"{highlight.issue.get_absolute_url()}#p-{highlight.paragraph_id}"


def section_thread_context(request, team, section: Section) -> dict:
    """The open thread of ``section`` for the issue page (no-JS fallback)."""
    context = _context(request, team, thread=_find_thread(request, team, section=section), section=section)
    return {**context, "section_pk": section.pk}


def _own_comment(request, team, pk: int):
    return get_object_or_404(
        comments_visible(request.user, team).filter(author=request.user, deleted=False)
        .select_related("thread__section__issue", "thread__highlight__issue", "thread__team"),
        pk=pk,
    )


def _thread_target(thread: Thread) -> dict:
    if thread.section_id:
        return {"section": thread.section}
    if thread.highlight_id:
        return {"highlight": thread.highlight}
    raise Http404("This thread's section no longer exists.")


def _thread_response(request, team, comment, *, editing, conflict: str = "", status: int = 200):
    """The thread with ``comment`` in edit mode: a fragment for htmx; without JS the whole issue
    page with the thread open (section threads) — the draft and any conflict message kept."""
    thread = comment.thread
    context = _context(request, team, thread=thread, editing=editing, conflict=conflict, **_thread_target(thread))
    if request.htmx or thread.section_id is None:
        return fragment(request, "thread", context, status=200 if request.htmx else status)
    opened = {"open_thread": {**context, "section_pk": thread.section_id}}
    return issue_page_response(request, issue_for_page(thread.issue_id), opened=opened, status=status)


@require_GET
def comment_edit_form(request, pk: int):
    team = team_or_404(request)
    comment = _own_comment(request, team, pk)
    form = CommentEditForm(initial={"body": comment.body, "version": comment.version})
    return _thread_response(request, team, comment, editing=(comment, form))


@require_POST
def comment_edit(request, pk: int):
    team = team_or_404(request)
    comment = _own_comment(request, team, pk)
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
        return _thread_response(request, team, comment, editing=(comment, fresh), conflict=str(error), status=409)
    except ValidationError as error:
        return refused(request, error, fallback_url=_issue_url(target))
    comment.thread.refresh_from_db()
    return done(request, "thread", _context(request, team, thread=comment.thread, **target), fallback_url=_issue_url(target))


@require_POST
def comment_delete(request, pk: int):
    team = team_or_404(request)
    comment = _own_comment(request, team, pk)
    thread, target = comment.thread, _thread_target(comment.thread)
    thread_services.comment_delete(user=request.user, comment=comment)
    thread.refresh_from_db()
    return done(request, "thread", _context(request, team, thread=thread, **target), fallback_url=_issue_url(target))


@require_POST
def thread_resolve(request, pk: int):
    team = team_or_404(request)
    thread = get_object_or_404(threads_visible(request.user, team).select_related("section__issue", "highlight__issue"), pk=pk)
    target = _thread_target(thread)
    try:
        thread_services.thread_resolve(user=request.user, thread=thread, resolved=request.POST.get("resolved") != "0")
    except PermissionDenied:
        return refused(request, "Only the thread's starter or a team owner can resolve it.", fallback_url=_issue_url(target))
    return done(request, "thread", _context(request, team, thread=thread, **target), fallback_url=_issue_url(target))
