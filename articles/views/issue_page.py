"""The full issue page, shared by the reading view and by the no-JS fallbacks of the panels."""

from __future__ import annotations

from django.template.response import TemplateResponse

from articles import presenters, selectors
from articles.connect.selectors import issue_backlinks
from articles.models import ClaimStatus, Issue, IssueRead
from articles.selectors.annotations import issue_annotations
from articles.selectors.teams import active_team


def issue_page_response(request, issue: Issue, *, opened: dict | None = None, status: int = 200):
    """The issue page (or its claims panel for htmx); ``opened``: a notes panel or thread to show
    open in place (``open_notes`` / ``open_thread`` contexts), for readers without JavaScript."""
    annotations = issue_annotations(issue=issue, user=request.user, team=active_team(request))
    claim_filter = request.GET.get("claims", "")
    context = {
        "claim_filter": claim_filter,
        "claim_statuses": ClaimStatus.choices,
        "claims": [c for c in annotations.claims if claim_filter in ("", c.claim_status)],
    }
    if request.htmx and request.htmx.target == "claims-panel":
        context["page"] = presenters.IssuePage(issue, [], None, None, annotations)
        return TemplateResponse(request, "articles/issue_detail.html#claims-panel", context)
    older, newer = selectors.issue_neighbours(issue)
    context["page"] = presenters.issue_page(
        issue, older=older, newer=newer, annotations=annotations, references=issue_backlinks(issue)
    )
    context["last_read"] = IssueRead.objects.filter(user=request.user, issue=issue).first()
    context.update(opened or {})
    return TemplateResponse(request, "articles/issue_detail.html", context, status=status)


def issue_for_page(issue_id: int) -> Issue:
    return selectors.issue_for_reader().get(pk=issue_id)
