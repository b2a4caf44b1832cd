"""The team's activity feed and the mentions inbox."""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from articles.selectors.activity import mentions_of, team_activity
from articles.selectors.reading import feed_last_seen
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
