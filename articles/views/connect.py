"""The topic page: a story's thread of related stories across issues, with the team's highlights."""

from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from articles import presenters
from articles.connect.selectors import story_get, topic_highlights, topic_thread
from articles.selectors.teams import active_team


@require_GET
def topic_detail(request, pk: int):
    origin = story_get(pk=pk)
    sections = topic_thread(origin)
    highlights = topic_highlights(user=request.user, team=active_team(request), sections=sections)
    return TemplateResponse(
        request, "articles/topic_detail.html", {"page": presenters.topic_page(origin, sections, highlights)}
    )
