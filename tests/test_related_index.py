"""Related stories through the candidate index: the same rows as scoring every stored story, with
counts kept incrementally, and scoring done outside the import's transaction."""

from __future__ import annotations

import pytest

from articles.connect.related import RELATED_LIMIT, RELATED_THRESHOLD, STORIES, related_index_rebuild
from articles.connect.similarity import document_frequencies, tfidf, top_related
from articles.models import RelatedStory, Section, StoryVector
from articles.models.connect import StoryTerm, TermStat
from articles.services.importing import issue_reparse

pytestmark = pytest.mark.django_db

SEEDS = ["000", "001", "002", "003", "004"]


def _brute_force(seeded) -> dict[tuple[int, int], float]:
    """What the former builder stored: at each import, every story of the issue scored against
    every story stored before it (document frequencies over all of them)."""
    vectors = dict(StoryVector.objects.values_list("section_id", "terms"))
    issue_of = dict(Section.objects.filter(pk__in=vectors).values_list("pk", "issue_id"))
    pairs: dict[tuple[int, int], float] = {}
    stored: dict[int, dict] = {}
    for prefix in SEEDS:
        own = {pk: t for pk, t in vectors.items() if issue_of[pk] == seeded[prefix].pk}
        stored |= own
        df = document_frequencies(stored.values())
        others = {pk: tfidf(t, df, len(stored)) for pk, t in stored.items() if pk not in own}
        for pk, terms in own.items():
            for other, score in top_related(tfidf(terms, df, len(stored)), others, limit=RELATED_LIMIT,
                                            threshold=RELATED_THRESHOLD):
                pairs[(pk, other)] = pairs[(other, pk)] = round(score, 4)
    return pairs


def _rows() -> dict[tuple[int, int], float]:
    return {(a, b): s for a, b, s in RelatedStory.objects.values_list("section_id", "related_id", "score")}


def test_seed_related_rows_are_those_of_scoring_every_story(seeded):
    expected = _brute_force(seeded)
    assert len(expected) >= 6
    assert _rows() == expected


def test_counts_are_kept_incrementally_and_match_a_full_recount(seeded):
    vectors = dict(StoryVector.objects.values_list("section_id", "terms"))
    df = document_frequencies(vectors.values())
    counted = dict(TermStat.objects.values_list("term", "df"))
    assert counted.pop(STORIES) == len(vectors) == 29
    assert counted == dict(df)
    issue_reparse(issue=seeded["002"])  # replaces its vectors: the counts stay exact
    counted = dict(TermStat.objects.values_list("term", "df"))
    assert counted.pop(STORIES) == 29 and counted == dict(df)
    indexed = StoryTerm.objects.count()
    assert 29 * 10 < indexed <= 29 * 40
    assert related_index_rebuild() == 29
    assert dict(TermStat.objects.exclude(term=STORIES).values_list("term", "df")) == dict(df)
    assert StoryTerm.objects.count() == indexed


def test_a_reimport_that_drops_a_story_takes_it_out_of_the_counts(seeded):
    from tests.factories import import_one

    two = "Import AI 7: Two\n\n***\n\nAlpha bravo charlie zulu story.\n\n***\n\nDelta echo foxtrot yankee story.\n"
    issue = import_one(name="two.txt", raw=two.encode()).issue
    before = dict(TermStat.objects.values_list("term", "df"))
    one = two.replace("\n\n***\n\nDelta echo foxtrot yankee story.\n", "\n")
    import_one(name="two.txt", raw=one.encode())
    after = dict(TermStat.objects.values_list("term", "df"))
    stories = StoryVector.objects.filter(section__issue=issue).count()
    assert after[STORIES] == StoryVector.objects.count() == 29 + stories
    dropped = {t for t in before if t not in after}
    assert dropped and all(before[t] == 1 for t in dropped)


def test_related_scoring_runs_after_the_import_transaction(seeded, django_capture_on_commit_callbacks):
    """The import's transaction holds the vectors; the related rows come from a later, short one."""
    from django.db import connection

    from articles.services import derived

    seen = []
    original = derived.AFTER_COMMIT[0]

    def spy(*, issue):
        seen.append(connection.in_atomic_block and len(connection.savepoint_ids))
        original(issue=issue)

    derived.AFTER_COMMIT[0] = spy
    try:
        issue_reparse(issue=seeded["000"])
    finally:
        derived.AFTER_COMMIT[0] = original
    assert seen == [0]  # no savepoint of the import open: only the test's own outer transaction
