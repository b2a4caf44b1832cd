"""Per-paragraph notes: the panel (list, add, edit own, delete own)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from articles.forms import NoteEditForm, NoteForm
from articles.selectors.annotations import note_get_own, paragraph_get_for_annotation
from articles.selectors.content import issue_get_for_reader
from articles.selectors.panels import notes_panel as notes_panel_get
from articles.selectors.panels import paragraph_item
from articles.services import notes as note_services
from articles.services.errors import ConflictError

from .common import done, fragment, refused, team_or_404
from .issue_page import issue_page_response


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def notes_panel(request, pk: int):
    """GET: the panel. POST: add a note, answer with the refreshed panel and margin marker."""
    team = team_or_404(request)
    paragraph = paragraph_get_for_annotation(user=request.user, team=team, pk=pk)
    if request.method == "GET":
        if not request.htmx:  # without JS: the issue page with this panel open
            return redirect(paragraph.get_absolute_url(notes=paragraph.pk))
        return fragment(request, "notes-panel", {"panel": notes_panel_get(user=request.user, team=team, paragraph=paragraph)})
    form = NoteForm(request.POST)
    if not form.is_valid():
        return refused(
            request, ValidationError("Write a note (at most 10,000 characters)."), fallback_url=paragraph.get_absolute_url()
        )
    try:
        note_services.note_create(
            user=request.user, team=team, paragraph=paragraph,
            body=form.cleaned_data["body"], visibility=form.cleaned_data["visibility"],
        )
    except ValidationError as error:
        return refused(request, error, fallback_url=paragraph.get_absolute_url())
    return _panel_with_marker(request, paragraph, team)


def _panel_with_marker(request, paragraph, team, **extra):
    context = {
        "panel": notes_panel_get(user=request.user, team=team, paragraph=paragraph, **extra),
        "oob_item": paragraph_item(user=request.user, team=team, paragraph=paragraph),
    }
    return done(request, "notes-panel", context, fallback_url=paragraph.get_absolute_url())


@require_GET
@vary_on_headers("HX-Request")
def note_edit_form(request, pk: int):
    team = team_or_404(request)
    note = note_get_own(user=request.user, team=team, pk=pk)
    form = NoteEditForm(initial={"body": note.body, "visibility": note.visibility, "version": note.version})
    panel = notes_panel_get(user=request.user, team=team, paragraph=note.paragraph, editing=(note, form))
    if not request.htmx:  # without JS: the whole issue page, this panel open in edit mode
        return issue_page_response(request, issue_get_for_reader(pk=note.issue_id), opened={"open_notes": panel})
    return fragment(request, "notes-panel", {"panel": panel})


@require_POST
@vary_on_headers("HX-Request")
def note_edit(request, pk: int):
    team = team_or_404(request)
    note = note_get_own(user=request.user, team=team, pk=pk)
    paragraph = note.paragraph
    form = NoteEditForm(request.POST)
    if not form.is_valid():
        return refused(
            request, ValidationError("Write a note (at most 10,000 characters)."), fallback_url=paragraph.get_absolute_url()
        )
    try:
        note_services.note_update(
            user=request.user, note=note, body=form.cleaned_data["body"],
            version=form.cleaned_data["version"], visibility=form.cleaned_data["visibility"],
        )
    except ConflictError as error:
        note.refresh_from_db()
        fresh = NoteEditForm(initial={"body": form.cleaned_data["body"], "visibility": note.visibility, "version": note.version})
        if not request.htmx:  # keep the draft and say why, on the full page
            panel = notes_panel_get(user=request.user, team=team, paragraph=paragraph, conflict=str(error), editing=(note, fresh))
            issue = issue_get_for_reader(pk=note.issue_id)
            return issue_page_response(request, issue, opened={"open_notes": panel}, status=409)
        return _panel_with_marker(request, paragraph, team, conflict=str(error), editing=(note, fresh))
    except ValidationError as error:
        return refused(request, error, fallback_url=paragraph.get_absolute_url())
    return _panel_with_marker(request, paragraph, team)


@require_POST
@vary_on_headers("HX-Request")
def note_delete(request, pk: int):
    team = team_or_404(request)
    note = note_get_own(user=request.user, team=team, pk=pk, orphans=True)
    paragraph = note.paragraph
    note_services.note_delete(user=request.user, note=note)
    if paragraph is None:  # an orphaned note, deleted from the issue's orphan list
        return HttpResponse("") if request.htmx else redirect(note.get_absolute_url())
    return _panel_with_marker(request, paragraph, team)
