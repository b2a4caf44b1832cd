"""Helpers every annotation view uses: the active team, htmx-or-redirect responses."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from articles.models import ClaimStatus, Issue, Membership, Team
from articles.presenters import IssuePage
from articles.selectors.annotations import IssueAnnotations
from articles.selectors.teams import active_membership

# The fragments htmx swaps: shared ones in their own files under templates/articles/fragments/,
# page parts as {% partialdef %} blocks of the issue page (the default).
FRAGMENTS = {
    "notes-panel": "articles/fragments/notes_panel.html",
    "highlight-card": "articles/fragments/highlight_card.html",
    "thread": "articles/fragments/thread.html",
    "thread-comments": "articles/fragments/thread.html#thread-comments",
    "form-error": "articles/fragments/form_error.html",
}


def membership_or_404(request) -> Membership:
    """The user's membership of their active team; annotation endpoints do not exist for users
    without one."""
    membership = active_membership(request)
    if membership is None:
        raise Http404("You are not in a team yet.")
    return membership


def team_or_404(request) -> Team:
    return membership_or_404(request).team


def fragment_template(partial: str) -> str:
    return FRAGMENTS.get(partial, f"articles/issue_detail.html#{partial}")


def claims_oob(request, issue: Issue, annotations: IssueAnnotations) -> dict | None:
    """The claims box of ``issue`` (``annotations``: the reader's), to re-render out of band after
    a write changed a claim: its count and list follow without a reload. None when the request
    comes from another page than the issue's (the section page has no claims box to swap); sent
    when the page is not said (no HX-Current-URL)."""
    current = urlsplit(request.htmx.current_url or "").path if request.htmx else ""
    if current and current != issue.get_absolute_url():
        return None
    return {"page": IssuePage.claims_only(issue, annotations), "claims": annotations.claims, "statuses": ClaimStatus.choices}


def fragment(request, partial: str, context: dict, *, status: int = 200, retarget: str | None = None) -> HttpResponse:
    """Render the fragment htmx swaps (see ``FRAGMENTS``), followed by the out-of-band parts the
    context asks for (``oob_item``: the paragraph; ``oob_claims``: the claims box; fragments/oob.html)."""
    context = {**context, "fragment_template": fragment_template(partial)}
    response = TemplateResponse(request, "articles/fragments/answer.html", context, status=status)
    if retarget:
        response["HX-Retarget"] = retarget
        response["HX-Reswap"] = "outerHTML"
    return response


def done(request, partial: str, context: dict, *, fallback_url: str, retarget: str | None = None) -> HttpResponse:
    """After a successful write: the fresh fragment for htmx, a redirect (PRG) for plain forms."""
    if request.htmx:
        return fragment(request, partial, context, retarget=retarget)
    return redirect(fallback_url)


def refused(request, error: ValidationError | str, *, fallback_url: str) -> HttpResponse:
    """A write refused for bad input: a 422 message swapped into ``#flash`` for htmx (htmx is
    configured in base.html to swap 422), a flash message and a redirect for plain forms."""
    text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    if request.htmx:
        response = TemplateResponse(request, FRAGMENTS["form-error"], {"error": text}, status=422)
        response["HX-Retarget"] = "#flash"
        response["HX-Reswap"] = "innerHTML"
        return response
    messages.error(request, text)
    return redirect(fallback_url)
