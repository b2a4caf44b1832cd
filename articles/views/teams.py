"""Picking the active team, and a teammate's page (what mentions link to)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from articles.selectors.teams import SESSION_KEY, memberships_of, person_page

from .common import team_or_404


@require_POST
def team_switch(request):
    wanted = request.POST.get("team")
    membership = next((m for m in memberships_of(request) if str(m.team_id) == wanted), None)
    if membership is None:
        raise Http404("Not one of your teams.")
    request.session[SESSION_KEY] = membership.team_id
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return redirect(next_url)


@require_GET
def person(request, username: str):
    """A teammate's team-visible highlights and comments in the active team."""
    team = team_or_404(request)
    page = person_page(user=request.user, team=team, username=username)
    context = {"person": page.person, "team": team, "highlights": page.highlights, "comments": page.comments}
    return TemplateResponse(request, "articles/person.html", context)
