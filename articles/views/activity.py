"""The team's activity feed and the mentions inbox."""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from articles.selectors.activity import inbox_items, team_activity
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
    items = inbox_items(user=request.user, team=team)
    unread = [i.mention.pk for i in items if i.mention.read_at is None]
    reading_services.mentions_mark_read(user=request.user, mention_ids=unread)
    return TemplateResponse(request, "articles/inbox.html", {"items": items})
