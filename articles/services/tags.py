"""Team tags: free-form, case-insensitively unique per team, applied to highlights and sections."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
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


def _slug_as_seen(team: Team, name: str, seen: QuerySet[Tag], exclude_pk: int | None = None) -> str:
    """The slug ``name`` gets as the actor sees the team's tags: the first of ``base``, ``base-2``, …
    that no tag in ``seen`` holds. A tag the actor cannot see that holds it moves to a slug nobody
    holds, so a slug never tells that a hidden tag exists (see docs/ANNOTATIONS.md)."""
    base = slugify(name, allow_unicode=True)[:70] or "tag"
    if base in RESERVED_SLUGS:
        base += "-tag"
    seen_slugs = set(seen.filter(team=team, slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in seen_slugs:
        slug, n = f"{base}-{n}", n + 1
    holder = Tag.objects.filter(team=team, slug=slug).exclude(pk=exclude_pk).first()
    if holder is not None:  # hidden from the actor: it makes room
        taken = set(Tag.objects.filter(team=team, slug__startswith=base).values_list("slug", flat=True))
        moved, m = f"{base}-{n}", n + 1
        while moved in taken:
            moved, m = f"{base}-{m}", m + 1
        Tag.objects.filter(pk=holder.pk).update(slug=moved)
    return slug


def _adopt(tag: Tag, *, name: str, seen: QuerySet[Tag]) -> Tag:
    """A tag the actor cannot see, asked for by name: it takes the actor's spelling and the slug
    a new tag of that name would get, exactly as if the name had been free."""
    slug = _slug_as_seen(tag.team, name, seen, exclude_pk=tag.pk)
    if (tag.name, tag.slug) != (name, slug):
        tag.name, tag.slug = name, slug
        tag.save(update_fields=["name", "slug"])
        document_sync(tag)
    return tag


def tags_get_or_create(*, user, team: Team, names: Iterable[str]) -> list[Tag]:
    """The team's tags with these names, creating the missing ones (case-insensitive match).

    Names are resolved as ``user`` sees the team's tags: a tag used only on a teammate's private
    highlights behaves as a free name (it is joined, in the user's spelling and with the slug a new
    tag would get), so no spelling or slug reveals it."""
    wanted = tag_names_parse(names)
    if not wanted:
        return []
    seen = Tag.objects.visible_to(user, team) if user is not None else Tag.objects.filter(team=team)
    with transaction.atomic():
        lowered = Tag.objects.filter(team=team).annotate(lname=Lower("name"))
        existing = {t.lname: t for t in lowered.filter(lname__in=[n.lower() for n in wanted])}
        seen_ids = set(seen.filter(pk__in=[t.pk for t in existing.values()]).values_list("pk", flat=True))
        tags = []
        for name in wanted:
            tag = existing.get(name.lower())
            if tag is None:
                try:
                    with transaction.atomic():
                        tag = Tag.objects.create(team=team, name=name, slug=_slug_as_seen(team, name, seen), created_by=user)
                except IntegrityError:  # created concurrently by a teammate
                    tag = lowered.get(lname=name.lower())
            elif tag.pk not in seen_ids:
                tag = _adopt(tag, name=name, seen=seen)
            tags.append(tag)
    return tags


def _absorb(hidden: Tag, *, into: Tag) -> None:
    """``hidden`` (a tag the renaming actor cannot see) joins ``into``: its highlights and sections
    carry ``into`` from now on, and it is deleted."""
    for highlight in hidden.highlights.all():
        highlight.tags.add(into)
    existing = set(into.section_tags.values_list("section_id", flat=True))
    hidden.section_tags.exclude(section_id__in=existing).update(tag=into)
    hidden.delete()


def _rename(tag: Tag, name: str, *, seen: QuerySet[Tag]) -> Tag:
    """Rename ``tag`` as an actor who sees ``seen``: a clash with a tag they can see is refused;
    a tag they cannot see holding the name is absorbed, so the answer is the free name's."""
    (name,) = tag_names_parse([name]) or [""]
    if not name:
        raise ValidationError("A tag needs a name.")
    with transaction.atomic():
        clash = (
            Tag.objects.annotate(lname=Lower("name")).filter(team=tag.team, lname=name.lower()).exclude(pk=tag.pk).first()
        )
        if clash is not None:
            if seen.filter(pk=clash.pk).exists():
                raise ValidationError(f"A tag named “{name}” exists already; merge into it instead.")
            _absorb(clash, into=tag)
        tag.name, tag.slug = name, _slug_as_seen(tag.team, name, seen, exclude_pk=tag.pk)
        tag.save(update_fields=["name", "slug"])
        document_sync(tag)
    return tag


@transaction.atomic
def tag_rename(*, user, tag: Tag, name: str) -> Tag:
    """Owners only. Renaming onto a name the owner can see is refused (merge instead); onto a name
    only hidden tags hold, it behaves as if the name were free (docs/ANNOTATIONS.md)."""
    owner_require(user=user, team=tag.team)
    return _rename(tag, name, seen=Tag.objects.visible_to(user, tag.team))


def tag_rename_by_staff(*, user, tag: Tag, name: str, seen: QuerySet[Tag]) -> Tag:
    """The admin's rename: staff with the change permission, names resolved over ``seen`` (the
    tags the admin shows this user, ``selectors.tags.tags_shown_in_admin``)."""
    if not (user.is_active and user.is_staff and user.has_perm("articles.change_tag")):
        raise PermissionDenied("only staff rename tags in the admin")
    return _rename(tag, name, seen=seen)


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


@transaction.atomic
def section_tags_add(*, user, team: Team, section: Section, names: str) -> list[Tag]:
    membership_require(user=user, team=team)
    tags = tags_get_or_create(user=user, team=team, names=tag_names_parse(names))
    snapshot = {"issue_id": section.issue_id, "issue_title": section.issue.title, "section_headline": section.headline}
    for tag in tags:
        SectionTag.objects.get_or_create(tag=tag, section=section, defaults={"added_by": user, **snapshot})
    document_sync(section)
    return tags


@transaction.atomic
def section_tag_remove(*, user, team: Team, section: Section, tag: Tag) -> None:
    membership_require(user=user, team=team)
    SectionTag.objects.filter(tag=tag, tag__team=team, section=section).delete()
    document_sync(section)
