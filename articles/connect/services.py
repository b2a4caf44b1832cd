"""Builders of the derived connections, run by ``derived.issue_derived_rebuild`` after each import:
cross-issue references (inside the file's transaction) and related stories (vectors inside it,
scoring after it; see :mod:`.related` and docs/CONNECT.md)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.text import slugify

from articles.models import Issue, IssueReference, Newsletter, NewsletterIdentity, Paragraph

# Related stories live in .related (an index, so the cost per import does not grow with the library).
from .related import (  # noqa: F401 (re-exported: the builders of derived data are found here)
    RELATED_LIMIT,
    RELATED_THRESHOLD,
    STORY_KINDS,
    issue_related_rebuild,
    issue_vectors_rebuild,
    related_index_rebuild,
    story_vectors_forget,
)
from .xrefs import find_xrefs


def issue_references_rebuild(*, issue: Issue) -> None:
    """Store every reference in ``issue``'s paragraphs, linked to the issues already imported, and
    point earlier unresolved references to ``issue`` at it (retroactive resolution).

    A name as written ("Import AI") is matched to a newsletter through its ``name:<slug>``
    identity, so renaming a newsletter in the admin keeps its references working. A reference to
    the issue itself (same newsletter and number) is not stored: it would only link the page to
    itself."""
    IssueReference.objects.filter(paragraph__section__issue=issue).delete()
    matches = [
        (paragraph.pk, match)
        for paragraph in Paragraph.objects.filter(section__issue=issue).only("pk", "text")
        for match in find_xrefs(paragraph.text)
    ]
    newsletter_of = _newsletters_by_written_name({m.newsletter_name for _, m in matches} | {issue.newsletter.name})
    newsletter_of.setdefault(issue.newsletter.name, issue.newsletter_id)
    found = [
        (paragraph_id, m) for paragraph_id, m in matches
        if (newsletter_of.get(m.newsletter_name), m.number) != (issue.newsletter_id, issue.number)
    ]
    wanted = Q(pk__in=[])
    for name, number in {(m.newsletter_name, m.number) for _, m in found}:
        if newsletter_of.get(name) is not None:
            wanted |= Q(newsletter_id=newsletter_of[name], number=number)
    targets = {
        (newsletter_id, number): pk
        for pk, newsletter_id, number in Issue.objects.filter(wanted).values_list("pk", "newsletter_id", "number")
    }
    IssueReference.objects.bulk_create(
        IssueReference(
            paragraph_id=paragraph_id, start=m.start, end=m.end, newsletter_name=m.newsletter_name,
            number=m.number, target_id=targets.get((newsletter_of.get(m.newsletter_name), m.number)),
        )
        for paragraph_id, m in found
    )
    # The issue's number may have changed (staff edit, re-import): let go of stale references.
    IssueReference.objects.filter(target=issue).exclude(number=issue.number).update(target=None)
    if issue.number is not None:
        waiting = IssueReference.objects.filter(number=issue.number, target__isnull=True)
        names = set(waiting.values_list("newsletter_name", flat=True).distinct())
        mine = [n for n, pk in _newsletters_by_written_name(names).items() if pk == issue.newsletter_id]
        if issue.newsletter.name in names:
            mine.append(issue.newsletter.name)
        if mine:
            waiting.filter(newsletter_name__in=mine).update(target=issue)


def _newsletters_by_written_name(names: set[str]) -> dict[str, int]:
    """Newsletter id for each name as written in a text: through its ``name:<slug>`` identity (so
    a renamed newsletter is still found), else a newsletter of exactly that name."""
    keys = {f"name:{slugify(name)}": name for name in names}
    found = {
        keys[key]: newsletter_id
        for key, newsletter_id in NewsletterIdentity.objects.filter(key__in=keys).values_list("key", "newsletter_id")
    }
    missing = names - found.keys()
    if missing:
        found |= dict(Newsletter.objects.filter(name__in=missing).values_list("name", "pk"))
    return found
