"""Highlights: create from a selection, show cards, edit, review claims, delete."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from articles.forms import ClaimReviewForm, HighlightCreateForm, HighlightEditForm
from articles.selectors.annotations import (
    highlight_get_visible,
    highlights_for_cards,
    issue_annotations,
    paragraph_get_for_annotation,
)
from articles.selectors.panels import paragraph_item
from articles.services import highlights as highlight_services
from articles.services.errors import ConflictError
from articles.services.tags import tag_names_parse

from .common import FRAGMENTS, claims_oob, done, refused, team_or_404


@require_POST
@vary_on_headers("HX-Request")
def highlight_create(request):
    team = team_or_404(request)
    form = HighlightCreateForm(request.POST)
    if not form.is_valid():
        return refused(request, ValidationError("That selection cannot be highlighted."), fallback_url="/")
    data = form.cleaned_data
    paragraph = paragraph_get_for_annotation(user=request.user, team=team, pk=data["paragraph"])
    try:
        highlight_services.highlight_create(
            user=request.user,
            team=team,
            paragraph=paragraph,
            start=data["start"],
            end=data["end"],
            colour=data["colour"] or "yellow",
            is_claim=data["is_claim"],
            tags=tag_names_parse(data["tags"]),
            note=data["note"],
            visibility=data["visibility"] or "team",
        )
    except ValidationError as error:
        return refused(request, error, fallback_url=paragraph.get_absolute_url())
    issue = paragraph.section.issue
    annotations = issue_annotations(issue=issue, user=request.user, team=team)
    context = {
        "item": paragraph_item(user=request.user, team=team, paragraph=paragraph, annotations=annotations),
        "oob_claims": claims_oob(request, issue, annotations),
    }
    return done(request, "paragraph", context, fallback_url=paragraph.get_absolute_url(), retarget=f"#{paragraph.anchor}")


@require_GET
@vary_on_headers("HX-Request")
def highlight_cards(request):
    """The card(s) of the highlight(s) under a click: quote, tags, note, author, time, thread."""
    team = team_or_404(request)
    try:
        ids = [int(i) for i in request.GET.get("ids", "").split(",") if i][:20]
    except ValueError:
        raise Http404 from None
    highlights = highlights_for_cards(user=request.user, team=team, ids=ids)
    return TemplateResponse(request, FRAGMENTS["highlight-card"], {"highlights": highlights})


@require_POST
@vary_on_headers("HX-Request")
def highlight_edit(request, pk: int):
    team = team_or_404(request)
    highlight = highlight_get_visible(user=request.user, team=team, pk=pk, own=True)
    form = HighlightEditForm(request.POST)
    url = highlight.issue.get_absolute_url()
    if not form.is_valid():
        return refused(request, ValidationError("Please check the highlight's fields."), fallback_url=url)
    data = form.cleaned_data
    try:
        highlight_services.highlight_update(
            user=request.user, highlight=highlight, note=data["note"], tags=tag_names_parse(data["tags"]),
            colour=data["colour"], visibility=data["visibility"], is_claim=data["is_claim"],
            version=data["version"],
        )
    except (ValidationError, ConflictError) as error:
        return refused(request, error if isinstance(error, ValidationError) else str(error), fallback_url=url)
    return _card_and_paragraph(request, highlight, team, url)


@require_POST
@vary_on_headers("HX-Request")
def claim_review(request, pk: int):
    team = team_or_404(request)
    highlight = highlight_get_visible(user=request.user, team=team, pk=pk)
    form = ClaimReviewForm(request.POST)
    url = highlight.issue.get_absolute_url()
    if not form.is_valid():
        return refused(request, ValidationError("Pick a status (and a valid date)."), fallback_url=url)
    try:
        highlight_services.claim_review(
            user=request.user, highlight=highlight, status=form.cleaned_data["status"],
            due_date=form.cleaned_data["due_date"],
        )
    except ValidationError as error:
        return refused(request, error, fallback_url=url)
    return _card_and_paragraph(request, highlight, team, url)


def _card_and_paragraph(request, highlight, team, url):
    """The updated card, plus, out of band, the paragraph (its colours and claim marks may have
    changed) and the claims box (a claim's status, or a highlight that became or stopped being one)."""
    highlight = highlight_get_visible(user=request.user, team=team, pk=highlight.pk)
    context = {"highlights": [highlight], **_out_of_band(request, team, highlight.issue, highlight.paragraph)}
    return done(request, "highlight-card", context, fallback_url=url)


def _out_of_band(request, team, issue, paragraph) -> dict:
    """What else on the issue page shows a highlight: its paragraph and the claims box."""
    if issue is None:
        return {}
    annotations = issue_annotations(issue=issue, user=request.user, team=team)
    context = {"oob_claims": claims_oob(request, issue, annotations)}
    if paragraph is not None:
        context["oob_item"] = paragraph_item(user=request.user, team=team, paragraph=paragraph, annotations=annotations)
    return context


@require_POST
@vary_on_headers("HX-Request")
def highlight_delete(request, pk: int):
    team = team_or_404(request)
    highlight = highlight_get_visible(user=request.user, team=team, pk=pk, own=True)
    paragraph, issue = highlight.paragraph, highlight.issue
    url = highlight.get_absolute_url()  # where it was (the orphans page once its issue is gone)
    highlight_services.highlight_delete(user=request.user, highlight=highlight)
    context = {"highlights": [], "deleted": True, **_out_of_band(request, team, issue, paragraph)}
    return done(request, "highlight-card", context, fallback_url=url)
