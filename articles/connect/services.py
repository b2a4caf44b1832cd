"""Builders of the derived connections, run by ``derived.issue_derived_rebuild`` after each import
inside the file's transaction: cross-issue references and related stories (docs/CONNECT.md)."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.utils.text import slugify

from articles.models import (
    Issue,
    IssueReference,
    Newsletter,
    NewsletterIdentity,
    Paragraph,
    RelatedStory,
    SectionKind,
    StoryVector,
)

from .similarity import document_frequencies, term_counts, tfidf, top_related
from .xrefs import find_xrefs

STORY_KINDS = (SectionKind.STORY, SectionKind.TECH_TALE)
RELATED_LIMIT = 5  # best related stories kept per story (each pair is stored in both directions)
RELATED_THRESHOLD = 0.15  # minimum cosine; see docs/CONNECT.md for the measured seed scores


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


def issue_related_rebuild(*, issue: Issue) -> None:
    """Store the term vectors of ``issue``'s stories and their best related stories in other issues.

    Cost per import: one query loading every stored vector (O(V·t) for V stories of t distinct
    terms each) for the document frequencies and weights, then one cosine per (new story, other
    story) pair, each O(t). No text outside the imported issue is tokenised again."""
    stories = list(
        issue.sections.filter(kind__in=STORY_KINDS).prefetch_related(
            Prefetch("paragraphs", queryset=Paragraph.objects.only("section_id", "text"))
        )
    )
    StoryVector.objects.filter(section__issue=issue).delete()
    RelatedStory.objects.filter(Q(section__issue=issue) | Q(related__issue=issue)).delete()
    own = {
        story.pk: term_counts([story.headline, story.dek, *(p.text for p in story.paragraphs.all())])
        for story in stories
    }
    StoryVector.objects.bulk_create(StoryVector(section_id=pk, terms=terms) for pk, terms in own.items())
    others = {
        section_id: terms
        for section_id, terms in StoryVector.objects.exclude(section__issue=issue).values_list("section_id", "terms")
    }
    n_docs = len(own) + len(others)
    df = document_frequencies([*own.values(), *others.values()])
    other_weights = {pk: tfidf(terms, df, n_docs) for pk, terms in others.items()}
    pairs: dict[tuple[int, int], float] = {}
    for pk, terms in own.items():
        for other, score in top_related(tfidf(terms, df, n_docs), other_weights, limit=RELATED_LIMIT, threshold=RELATED_THRESHOLD):
            pairs[(pk, other)] = pairs[(other, pk)] = round(score, 4)
    RelatedStory.objects.bulk_create(
        RelatedStory(section_id=a, related_id=b, score=score) for (a, b), score in pairs.items()
    )

