"""Team tags: free-form, case-insensitively unique per team, applied to highlights and sections."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.text import slugify

from articles.models import Section, SectionTag, Tag, Team
from articles.search.indexing import document_sync

from .membership import membership_require, owner_require

MAX_TAG_LENGTH = 60
RESERVED_SLUGS = frozenset({"autocomplete"})  # URL segments under /tags/


def tag_names_parse(raw: str | Iterable[str]) -> list[str]:
    """Comma-separated (or already split) names → cleaned, de-duplicated (case-insensitively)."""
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    names: dict[str, str] = {}
    for part in parts:
        name = " ".join(str(part).replace("\x00", "").split())
        if not name:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise ValidationError(f"Tag names are at most {MAX_TAG_LENGTH} characters.")
        names.setdefault(name.casefold(), name)
    return list(names.values())


def _unique_slug(team: Team, name: str, exclude_pk: int | None = None) -> str:
    base = slugify(name, allow_unicode=True)[:70] or "tag"
    if base in RESERVED_SLUGS:
        base += "-tag"
    taken = set(Tag.objects.filter(team=team, slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def tags_get_or_create(*, user, team: Team, names: Iterable[str]) -> list[Tag]:
    """The team's tags with these names, creating the missing ones (case-insensitive match)."""
    wanted = tag_names_parse(names)
    if not wanted:
        return []
    existing = {
        t.name.casefold(): t
        for t in Tag.objects.filter(team=team).annotate(lname=Lower("name")).filter(
            lname__in=[n.lower() for n in wanted]
        )
    }
    tags = []
    for name in wanted:
        tag = existing.get(name.casefold())
        if tag is None:
            try:
                with transaction.atomic():
                    tag = Tag.objects.create(team=team, name=name, slug=_unique_slug(team, name), created_by=user)
            except IntegrityError:  # created concurrently by a teammate
                tag = Tag.objects.annotate(lname=Lower("name")).get(team=team, lname=name.lower())
        tags.append(tag)
    return tags


def tag_rename(*, user, tag: Tag, name: str) -> Tag:
    """Owners only. Renaming onto an existing name is refused."""
    owner_require(user=user, team=tag.team)
    (name,) = tag_names_parse([name]) or [""]
    if not name:
        raise ValidationError("A tag needs a name.")
    clash = Tag.objects.annotate(lname=Lower("name")).filter(team=tag.team, lname=name.lower()).exclude(pk=tag.pk)
    if clash.exists():
        raise ValidationError(f"A tag named “{name}” exists already; merge into it instead.")
    tag.name, tag.slug = name, _unique_slug(tag.team, name, exclude_pk=tag.pk)
    tag.save(update_fields=["name", "slug"])
    document_sync(tag)
    return tag


@transaction.atomic
def tag_merge(*, user, source: Tag, target: Tag) -> Tag:
    """Owners only: move everything tagged ``source`` onto ``target`` (same team), then delete ``source``."""
    owner_require(user=user, team=source.team)
    if source.team_id != target.team_id or source.pk == target.pk:
        raise ValidationError("Tags can only be merged into another tag of the same team.")
    for highlight in source.highlights.all():
        highlight.tags.add(target)
    existing = set(target.section_tags.values_list("section_id", flat=True))
    source.section_tags.exclude(section_id__in=existing).update(tag=target)
    source.delete()
    document_sync(target)
    return target


def section_tags_add(*, user, team: Team, section: Section, names: str) -> list[Tag]:
    membership_require(user=user, team=team)
    tags = tags_get_or_create(user=user, team=team, names=tag_names_parse(names))
    for tag in tags:
        SectionTag.objects.get_or_create(tag=tag, section=section, defaults={"added_by": user})
    document_sync(section)
    return tags


def section_tag_remove(*, user, team: Team, section: Section, tag: Tag) -> None:
    membership_require(user=user, team=team)
    SectionTag.objects.filter(tag=tag, tag__team=team, section=section).delete()
    document_sync(section)
