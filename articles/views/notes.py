"""Per-paragraph notes: the panel (list, add, edit own, delete own)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles.forms import NoteEditForm, NoteForm
from articles.models import Paragraph
from articles.selectors.annotations import notes_visible
from articles.services import notes as note_services
from articles.services.errors import ConflictError

from .common import done, fragment, paragraph_item, refused, team_or_404
from .issue_page import issue_for_page, issue_page_response


def notes_panel_context(request, paragraph: Paragraph, team, *, form=None, conflict: str = "", editing=None):
    """What the notes panel of ``paragraph`` shows this user (also used by the issue page)."""
    notes = list(notes_visible(request.user, team).filter(paragraph=paragraph))
    return {
        "paragraph": paragraph,
        "notes": notes,
        "form": form or NoteForm(),
        "conflict": conflict,
        "editing": editing,
    }


def _url(paragraph: Paragraph) -> str:
    return f"{paragraph.section.issue.get_absolute_url()}#{paragraph.anchor}"


def _paragraph(pk: int) -> Paragraph:
    return get_object_or_404(Paragraph.objects.select_related("section__issue"), pk=pk)


@require_http_methods(["GET", "POST"])
def notes_panel(request, pk: int):
    """GET: the panel. POST: add a note, answer with the refreshed panel and margin marker."""
    team = team_or_404(request)
    paragraph = _paragraph(pk)
    if request.method == "GET":
        if not request.htmx:  # without JS: the issue page with this panel open
            return redirect(f"{paragraph.section.issue.get_absolute_url()}?notes={paragraph.pk}#{paragraph.anchor}")
        return fragment(request, "notes-panel", notes_panel_context(request, paragraph, team))
    form = NoteForm(request.POST)
    if not form.is_valid():
        return refused(request, ValidationError("Write a note (at most 10,000 characters)."), fallback_url=_url(paragraph))
    try:
        note_services.note_create(
            user=request.user, team=team, paragraph=paragraph,
            body=form.cleaned_data["body"], visibility=form.cleaned_data["visibility"],
        )
    except ValidationError as error:
        return refused(request, error, fallback_url=_url(paragraph))
    return _panel_with_marker(request, paragraph, team)


def _panel_with_marker(request, paragraph, team, **extra):
    context = notes_panel_context(request, paragraph, team, **extra)
    context["oob_item"] = paragraph_item(request, paragraph, team)
    return done(request, "notes-panel", context, fallback_url=_url(paragraph))


def _own_note(request, team, pk: int, *, orphans: bool = False):
    notes = notes_visible(request.user, team).filter(author=request.user).select_related("paragraph__section__issue", "issue")
    return get_object_or_404(notes if orphans else notes.filter(paragraph__isnull=False), pk=pk)


@require_GET
def note_edit_form(request, pk: int):
    team = team_or_404(request)
    note = _own_note(request, team, pk)
    form = NoteEditForm(initial={"body": note.body, "visibility": note.visibility, "version": note.version})
    context = notes_panel_context(request, note.paragraph, team, editing=(note, form))
    if not request.htmx:  # without JS: the whole issue page, this panel open in edit mode
        return issue_page_response(request, issue_for_page(note.issue_id), opened={"open_notes": context})
    return fragment(request, "notes-panel", context)


@require_POST
def note_edit(request, pk: int):
    team = team_or_404(request)
    note = _own_note(request, team, pk)
    paragraph = note.paragraph
    form = NoteEditForm(request.POST)
    if not form.is_valid():
        return refused(request, ValidationError("Write a note (at most 10,000 characters)."), fallback_url=_url(paragraph))
    try:
        note_services.note_update(
            user=request.user, note=note, body=form.cleaned_data["body"],
            version=form.cleaned_data["version"], visibility=form.cleaned_data["visibility"],
        )
    except ConflictError as error:
        note.refresh_from_db()
        fresh = NoteEditForm(initial={"body": form.cleaned_data["body"], "visibility": note.visibility, "version": note.version})
        if not request.htmx:  # keep the draft and say why, on the full page
            context = notes_panel_context(request, paragraph, team, conflict=str(error), editing=(note, fresh))
            return issue_page_response(request, issue_for_page(note.issue_id), opened={"open_notes": context}, status=409)
        return _panel_with_marker(request, paragraph, team, conflict=str(error), editing=(note, fresh))
    except ValidationError as error:
        return refused(request, error, fallback_url=_url(paragraph))
    return _panel_with_marker(request, paragraph, team)


@require_POST
def note_delete(request, pk: int):
    team = team_or_404(request)
    note = _own_note(request, team, pk, orphans=True)
    paragraph = note.paragraph
    note_services.note_delete(user=request.user, note=note)
    if paragraph is None:  # an orphaned note, deleted from the issue's orphan list
        return HttpResponse("") if request.htmx else redirect(f"{note.issue.get_absolute_url()}#orphans")
    return _panel_with_marker(request, paragraph, team)
