"""The full issue page, shared by the reading view and by the no-JS fallbacks of the panels."""

from __future__ import annotations

from django.template.response import TemplateResponse

from articles.models import ClaimStatus, Issue
from articles.presenters import IssuePage
from articles.selectors.annotations import issue_annotations
from articles.selectors.panels import issue_page_for_reader
from articles.selectors.reading import issue_read_get
from articles.selectors.teams import active_team


def issue_page_response(request, issue: Issue, *, opened: dict | None = None, status: int = 200):
    """The issue page (or its claims panel for htmx); ``opened``: a notes panel or thread to show
    open in place (``open_notes`` / ``open_thread`` panels), for readers without JavaScript.
    ``issue``: from ``selectors.issue_get_for_reader``."""
    team = active_team(request)
    annotations = issue_annotations(issue=issue, user=request.user, team=team)
    claim_filter = request.GET.get("claims", "")
    context = {
        "claim_filter": claim_filter,
        "claim_statuses": ClaimStatus.choices,
        "claims": [c for c in annotations.claims if claim_filter in ("", c.claim_status)],
    }
    if request.htmx and request.htmx.target == "claims-panel":
        context["page"] = IssuePage.claims_only(issue, annotations)
        return TemplateResponse(request, "articles/issue_detail.html#claims-panel", context)
    context["page"] = issue_page_for_reader(issue=issue, user=request.user, team=team, annotations=annotations)
    context["last_read"] = issue_read_get(user=request.user, issue=issue)
    context.update(opened or {})
    return TemplateResponse(request, "articles/issue_detail.html", context, status=status)
