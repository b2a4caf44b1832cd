"""Helpers every annotation view uses: the active team, htmx-or-redirect responses."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from articles.models import Membership, Team
from articles.selectors.teams import active_membership


def membership_or_404(request) -> Membership:
    """The user's membership of their active team; annotation endpoints do not exist for users
    without one."""
    membership = active_membership(request)
    if membership is None:
        raise Http404("You are not in a team yet.")
    return membership


def team_or_404(request) -> Team:
    return membership_or_404(request).team


def fragment(request, partial: str, context: dict, *, status: int = 200, retarget: str | None = None) -> HttpResponse:
    """Render ``articles/issue_detail.html#<partial>`` (the fragment htmx swaps)."""
    response = TemplateResponse(request, f"articles/issue_detail.html#{partial}", context, status=status)
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
        response = TemplateResponse(request, "articles/issue_detail.html#form-error", {"error": text}, status=422)
        response["HX-Retarget"] = "#flash"
        response["HX-Reswap"] = "innerHTML"
        return response
    messages.error(request, text)
    return redirect(fallback_url)
