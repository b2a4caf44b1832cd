"""Team tags: list, a tag's page, autocomplete, section tagging, rename and merge (owners)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from articles.forms import TagMergeForm, TagNamesForm, TagRenameForm
from articles.permissions import is_team_owner
from articles.selectors.annotations import section_get_for_annotation, section_tags_of
from articles.selectors.tags import tag_find, tag_get_visible, tag_page, tags_matching, tags_with_counts
from articles.selectors.teams import active_membership
from articles.services import tags as tag_services

from .common import done, refused, team_or_404


@require_GET
def tag_list(request):
    team = team_or_404(request)
    tags = tags_with_counts(user=request.user, team=team)
    return TemplateResponse(
        request, "articles/tag_list.html",
        {"team": team, "tags": tags, "is_owner": is_team_owner(active_membership(request))},
    )


@require_GET
def tag_detail(request, slug: str):
    """Everything with this tag across all issues, newest first, linking back into the text."""
    team = team_or_404(request)
    page = tag_page(user=request.user, team=team, slug=slug)
    context = {
        "tag": page.tag, "highlights": page.highlights, "section_tags": page.section_tags,
        "is_owner": is_team_owner(active_membership(request)),
        "rename_form": TagRenameForm(initial={"name": page.tag.name}), "merge_form": TagMergeForm(),
        "other_tags": page.other_tags,
    }
    return TemplateResponse(request, "articles/tag_detail.html", context)


@require_GET
@vary_on_headers("HX-Request")
def tag_autocomplete(request):
    """``<option>`` elements of the team's tags starting with (or containing) what was typed."""
    team = team_or_404(request)
    typed = request.GET.get("tags", request.GET.get("names", request.GET.get("q", "")))
    fragment = typed.split(",")[-1].strip()
    tags = tags_matching(user=request.user, team=team, fragment=fragment)
    return TemplateResponse(request, "articles/tag_list.html#tag-options", {"tags": tags})


def _owned_tag(request, slug: str):
    team = team_or_404(request)
    if not is_team_owner(active_membership(request)):
        raise Http404("Only team owners manage tags.")
    return tag_get_visible(user=request.user, team=team, slug=slug)


@require_POST
@vary_on_headers("HX-Request")
def tag_rename(request, slug: str):
    tag = _owned_tag(request, slug)
    form = TagRenameForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("A tag needs a name of at most 60 characters.")
        tag = tag_services.tag_rename(user=request.user, tag=tag, name=form.cleaned_data["name"])
    except ValidationError as error:
        return refused(request, error, fallback_url=f"/tags/{slug}/")
    messages.success(request, f"Renamed to “{tag.name}”.")
    return redirect("articles:tag-detail", slug=tag.slug)


@require_POST
@vary_on_headers("HX-Request")
def tag_merge(request, slug: str):
    tag = _owned_tag(request, slug)
    form = TagMergeForm(request.POST)
    target = None
    if form.is_valid():
        target = tag_find(user=request.user, team=tag.team, slug=form.cleaned_data["into"])
    if target is None:
        return refused(request, "Choose a tag of your team to merge into.", fallback_url=f"/tags/{slug}/")
    try:
        tag_services.tag_merge(user=request.user, source=tag, target=target)
    except ValidationError as error:
        return refused(request, error, fallback_url=f"/tags/{slug}/")
    messages.success(request, f"Merged “{tag.name}” into “{target.name}”.")
    return redirect("articles:tag-detail", slug=target.slug)


@require_POST
@vary_on_headers("HX-Request")
def section_tags(request, pk: int):
    """Add tags to a section (comma-separated names), or remove one (``remove=<slug>``)."""
    team = team_or_404(request)
    section = section_get_for_annotation(pk=pk)
    url = section.get_issue_url()
    if request.POST.get("remove"):
        tag = tag_get_visible(user=request.user, team=team, slug=request.POST["remove"])
        tag_services.section_tag_remove(user=request.user, team=team, section=section, tag=tag)
    else:
        form = TagNamesForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError("Type one or more tag names, separated by commas.")
            tag_services.section_tags_add(user=request.user, team=team, section=section, names=form.cleaned_data["names"])
        except ValidationError as error:
            return refused(request, error, fallback_url=url)
    tags = section_tags_of(user=request.user, team=team, section=section)
    return done(request, "section-tags", {"section": section, "tags": tags}, fallback_url=url)
