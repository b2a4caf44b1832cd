"""Suggested claims: accept one as a claim highlight, or dismiss it for the team."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from articles.claims import services as claim_services
from articles.forms import ClaimSuggestionForm
from articles.models import Paragraph
from articles.selectors.annotations import issue_annotations, paragraph_get_for_annotation
from articles.selectors.panels import paragraph_item

from .common import claims_oob, done, refused, team_or_404


def _suggestion_request(request):
    """(team, paragraph, start, end) of the posted suggestion, or a refusal response."""
    team = team_or_404(request)
    form = ClaimSuggestionForm(request.POST)
    if not form.is_valid():
        return team, None, refused(request, ValidationError("That suggestion cannot be used."), fallback_url="/")
    data = form.cleaned_data
    paragraph = paragraph_get_for_annotation(user=request.user, team=team, pk=data["paragraph"])
    return team, (paragraph, data["start"], data["end"]), None


def _result(request, paragraph: Paragraph, team):
    """The re-rendered paragraph (swapped in place) and the claims panel (out of band)."""
    issue = paragraph.section.issue
    annotations = issue_annotations(issue=issue, user=request.user, team=team)
    context = {
        "item": paragraph_item(user=request.user, team=team, paragraph=paragraph, annotations=annotations),
        "oob_claims": claims_oob(request, issue, annotations),
    }
    return done(
        request, "paragraph", context,
        fallback_url=paragraph.get_absolute_url(), retarget=f"#{paragraph.anchor}",
    )


@require_POST
@vary_on_headers("HX-Request")
def claim_suggestion_accept(request):
    return _suggestion_action(request, claim_services.claim_suggestion_accept)


@require_POST
@vary_on_headers("HX-Request")
def claim_suggestion_dismiss(request):
    return _suggestion_action(request, claim_services.claim_suggestion_dismiss)


def _suggestion_action(request, action):
    """Accept or dismiss the suggested claim named by the POST, then answer with the paragraph."""
    team, target, refusal = _suggestion_request(request)
    if refusal:
        return refusal
    paragraph, start, end = target
    try:
        action(user=request.user, team=team, paragraph=paragraph, start=start, end=end)
    except ValidationError as error:
        return refused(request, error, fallback_url=paragraph.get_absolute_url())
    return _result(request, paragraph, team)
