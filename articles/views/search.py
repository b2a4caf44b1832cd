"""The search page: ``/search/?q=…&newsletter=…`` (plain GET, bookmarkable) and its htmx fragments."""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from articles import selectors
from articles.forms import SearchForm
from articles.search.service import SearchFilters, search
from articles.selectors.tags import tag_choices
from articles.selectors.teams import active_team, team_members


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def search_page(request):
    team = active_team(request)
    values = SearchForm(request.GET).values()
    filters = SearchFilters(
        newsletter=values["newsletter"] or "", tag=values["tag"] or "", author=values["author"] or "",
        mine=bool(values["mine"]), date_from=values["date_from"], date_to=values["date_to"],
    )
    results = search(user=request.user, team=team, query=values["q"] or "", filters=filters)
    template = "articles/search.html"
    if request.htmx:  # the header box swaps the whole page body; the page's own form only results
        template += "#search-page" if request.htmx.target == "main" else "#search-results"
    return TemplateResponse(request, template, {
        "q": values["q"] or "", "filters": filters, "results": results,
        "newsletters": selectors.newsletter_list(),
        "tags": tag_choices(user=request.user, team=team),
        "members": team_members(team),
    })
