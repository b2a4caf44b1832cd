"""Team tags: list, a tag's page, autocomplete, section tagging, rename and merge (owners)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_POST

from articles.forms import TagMergeForm, TagNamesForm, TagRenameForm
from articles.models import Section, SectionTag
from articles.selectors.annotations import highlights_visible, tags_visible
from articles.selectors.teams import is_team_owner
from articles.services import tags as tag_services

from .common import done, refused, team_or_404


@require_GET
def tag_list(request):
    team = team_or_404(request)
    tags = tags_visible(request.user, team).annotate(
        highlight_count=Count(
            "highlights",
            filter=Q(highlights__visibility="team") | Q(highlights__author=request.user),
            distinct=True,
        ),
        section_count=Count("section_tags", distinct=True),
    )
    return TemplateResponse(
        request, "articles/tag_list.html", {"team": team, "tags": tags, "is_owner": is_team_owner(request)}
    )


@require_GET
def tag_detail(request, slug: str):
    """Everything with this tag across all issues, newest first, linking back into the text."""
    team = team_or_404(request)
    tag = get_object_or_404(tags_visible(request.user, team), slug=slug)
    highlights = (
        highlights_visible(request.user, team).filter(tags=tag)
        .select_related("issue__newsletter", "paragraph").order_by("-created_at")
    )
    sections = (
        SectionTag.objects.filter(tag=tag).select_related("section__issue__newsletter", "added_by").order_by("-created_at")
    )
    context = {
        "tag": tag, "highlights": highlights, "section_tags": sections, "is_owner": is_team_owner(request),
        "rename_form": TagRenameForm(initial={"name": tag.name}), "merge_form": TagMergeForm(),
        "other_tags": tags_visible(request.user, team).exclude(pk=tag.pk),
    }
    return TemplateResponse(request, "articles/tag_detail.html", context)


@require_GET
def tag_autocomplete(request):
    """``<option>`` elements of the team's tags starting with (or containing) what was typed."""
    team = team_or_404(request)
    typed = request.GET.get("tags", request.GET.get("names", request.GET.get("q", "")))
    fragment = typed.split(",")[-1].strip()
    tags = tags_visible(request.user, team)
    if fragment:
        tags = tags.filter(name__icontains=fragment)
    return TemplateResponse(request, "articles/tag_list.html#tag-options", {"tags": tags[:10]})


def _owned_tag(request, slug: str):
    team = team_or_404(request)
    if not is_team_owner(request):
        from django.http import Http404

        raise Http404("Only team owners manage tags.")
    return get_object_or_404(tags_visible(request.user, team), slug=slug)


@require_POST
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
def tag_merge(request, slug: str):
    tag = _owned_tag(request, slug)
    form = TagMergeForm(request.POST)
    target = None
    if form.is_valid():
        target = tags_visible(request.user, tag.team).filter(slug=form.cleaned_data["into"]).first()
    if target is None:
        return refused(request, "Choose a tag of your team to merge into.", fallback_url=f"/tags/{slug}/")
    try:
        tag_services.tag_merge(user=request.user, source=tag, target=target)
    except ValidationError as error:
        return refused(request, error, fallback_url=f"/tags/{slug}/")
    messages.success(request, f"Merged “{tag.name}” into “{target.name}”.")
    return redirect("articles:tag-detail", slug=target.slug)


@require_POST
def section_tags(request, pk: int):
    """Add tags to a section (comma-separated names), or remove one (``remove=<slug>``)."""
    team = team_or_404(request)
    section = get_object_or_404(Section.objects.select_related("issue"), pk=pk)
    url = f"{section.issue.get_absolute_url()}#{section.anchor}"
    if request.POST.get("remove"):
        tag = get_object_or_404(tags_visible(request.user, team), slug=request.POST["remove"])
        tag_services.section_tag_remove(user=request.user, team=team, section=section, tag=tag)
    else:
        form = TagNamesForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError("Type one or more tag names, separated by commas.")
            tag_services.section_tags_add(user=request.user, team=team, section=section, names=form.cleaned_data["names"])
        except ValidationError as error:
            return refused(request, error, fallback_url=url)
    tags = [st.tag for st in SectionTag.objects.of_member(request.user, team).filter(section=section).select_related("tag")]
    return done(request, "section-tags", {"section": section, "tags": tags}, fallback_url=url)
