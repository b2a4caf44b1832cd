"""The team's *Orphaned annotations* page."""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from articles.selectors.orphans import team_orphans

from .common import team_or_404


@require_GET
def orphan_list(request):
    """Everything of the active team that lost its place (a deleted issue, a story a re-import
    dropped, a passage that could not be placed again), with where it was."""
    team = team_or_404(request)
    return TemplateResponse(
        request, "articles/orphans.html", {"team": team, "orphans": team_orphans(user=request.user, team=team)}
    )
