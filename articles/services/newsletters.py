"""Newsletters by identity: find or create the newsletter an import belongs to; merge two.

An import never looks a newsletter up by its display name: the source gives a stable key
(``feed:<url>``, ``list:<List-Id>``, ``email:<sender>``, ``site:<host>``, ``name:<slug>``), and
:class:`~articles.models.NewsletterIdentity` maps it to the newsletter. Renaming a newsletter
therefore changes nothing for later imports, and merging one into another moves its keys along.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from articles.models import Feed, Issue, Newsletter, NewsletterIdentity

from .membership import staff_require

UNSORTED = "Unsorted"
_NAME_WORDS = re.compile(r"[A-Za-z][A-Za-z'’&+]*")


@dataclass(frozen=True)
class NewsletterChoice:
    newsletter: Newsletter
    note: str = ""  # said in the report when the name had to be derived


def name_from_file_name(file_name: str) -> str:
    """A newsletter name from a file name's leading words (``"ai-weekly-2026-11.md"`` →
    ``"Ai Weekly"``); ``""`` when the name has no words before its first digit."""
    stem = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    lead = re.split(r"\d", stem, maxsplit=1)[0]
    words = _NAME_WORDS.findall(lead.replace("_", " ").replace("-", " "))[:4]
    return " ".join(w[:1].upper() + w[1:] for w in words)


def newsletter_for_import(*, key: str, name: str, file_name: str) -> NewsletterChoice:
    """The newsletter for an imported item (call inside the import's transaction).

    ``key`` wins; with no key the name gives ``name:<slug>``; with neither, the name is derived from
    the file name's leading words, else "Unsorted", and the note says so.
    """
    note = ""
    name = " ".join(name.split())[:200]
    if not name:
        name = name_from_file_name(file_name) if not key else ""
        if name:
            note = f"newsletter not named by the source; filed under “{name}” (from the file name)"
        elif not key:
            name = UNSORTED
            note = f"newsletter not named by the source; filed under “{UNSORTED}”"
    if not key:
        key = f"name:{slugify(name) or 'unsorted'}"
    key = key[:500]
    identity = NewsletterIdentity.objects.select_related("newsletter").filter(key=key).first()
    if identity is not None:
        return NewsletterChoice(identity.newsletter, note)
    if not name:
        name = _name_from_key(key)
        note = f"newsletter not named by the source; filed under “{name}” (from {key})"
    newsletter = _newsletter_create(name)
    try:
        with transaction.atomic():
            NewsletterIdentity.objects.create(newsletter=newsletter, key=key)
    except IntegrityError:  # another worker created it a moment ago
        newsletter.delete()
        return NewsletterChoice(NewsletterIdentity.objects.get(key=key).newsletter, note)
    return NewsletterChoice(newsletter, note)


def _name_from_key(key: str) -> str:
    kind, _, value = key.partition(":")
    if kind == "email":
        value = value.split("@")[-1]
    value = re.sub(r"^https?://", "", value).removeprefix("www.")
    return value.split("/")[0][:200] or UNSORTED


def _newsletter_create(name: str) -> Newsletter:
    """A new newsletter called ``name`` (or "name (2)", … when the name is taken)."""
    candidate, n = name, 2
    while Newsletter.objects.filter(name=candidate).exists():
        candidate, n = f"{name} ({n})", n + 1
    base = slugify(candidate)[:190] or "newsletter"
    slug, n = base, 2
    while Newsletter.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return Newsletter.objects.create(name=candidate, slug=slug)


def newsletter_keys_link(*, keys: list[str]) -> None:
    """Make every key in ``keys`` lead to the same newsletter, the one the first already-known key
    leads to (nothing happens when none is known yet). The feed channel calls it with
    ``[feed:<url>, site:<host>]`` before and after importing, so a feed imported first as a file
    (``site:``) and then subscribed (``feed:``) stays one newsletter."""
    keys = [k[:500] for k in keys if k]
    with transaction.atomic():
        known = dict(NewsletterIdentity.objects.filter(key__in=keys).values_list("key", "newsletter_id"))
        target = next((known[k] for k in keys if k in known), None)
        if target is None:
            return
        for key in keys:
            if key not in known:
                NewsletterIdentity.objects.get_or_create(key=key, defaults={"newsletter_id": target})


@dataclass(frozen=True)
class MergeReport:
    issues_moved: int
    conflicts: int  # numbered issues that exist in both: kept in the source newsletter


def newsletter_merge(*, user, source: Newsletter, target: Newsletter) -> MergeReport:
    """Move ``source``'s issues, identities and feeds to ``target``; delete ``source`` when it is
    left empty. An issue whose number already exists in ``target`` stays where it is (nothing is
    lost), and the source newsletter is kept for it. Staff with the change permission only."""
    staff_require(user=user, perm="articles.change_newsletter")
    if source.pk == target.pk:
        return MergeReport(0, 0)
    with transaction.atomic():
        taken = set(Issue.objects.filter(newsletter=target, number__isnull=False).values_list("number", flat=True))
        movable = Issue.objects.filter(newsletter=source).exclude(number__in=taken)
        moved = movable.update(newsletter=target)
        conflicts = Issue.objects.filter(newsletter=source).count()
        NewsletterIdentity.objects.filter(newsletter=source).update(newsletter=target)
        Feed.objects.filter(newsletter=source).update(newsletter=target)
        if not conflicts:
            source.delete()
    return MergeReport(moved, conflicts)
