"""The team's activity feed, the mentions inbox and reading progress."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_POST

from articles.models import Issue, Paragraph
from articles.selectors.activity import feed_last_seen, mentions_of, team_activity
from articles.services import reading as reading_services

from .common import team_or_404


@require_GET
def activity_feed(request):
    team = team_or_404(request)
    since = feed_last_seen(user=request.user, team=team)
    items = team_activity(user=request.user, team=team, since=since)
    reading_services.feed_seen(user=request.user, team=team)
    return TemplateResponse(request, "articles/activity.html", {"items": items, "since": since})


@require_GET
def inbox(request):
    team = team_or_404(request)
    mentions = list(mentions_of(user=request.user, team=team)[:100])
    reading_services.mentions_mark_read(user=request.user, mention_ids=[m.pk for m in mentions if m.read_at is None])
    return TemplateResponse(request, "articles/inbox.html", {"mentions": mentions})


@require_POST
def issue_progress(request, slug: str):
    """Where the reader is in the issue (sent by the page as they scroll): 204, nothing to swap."""
    issue = get_object_or_404(Issue.objects.only("pk"), slug=slug)
    paragraph_id = request.POST.get("paragraph", "")
    paragraph = (
        Paragraph.objects.filter(pk=paragraph_id, section__issue=issue).only("pk").first()
        if paragraph_id.isascii() and paragraph_id.isdigit() else None
    )
    try:
        progress = float(request.POST.get("progress", "0"))
    except ValueError:
        progress = 0.0
    reading_services.issue_progress_save(user=request.user, issue=issue, paragraph=paragraph, progress=progress)
    return HttpResponse(status=204)
