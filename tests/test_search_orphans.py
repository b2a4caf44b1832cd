"""Orphans of a deleted issue stay searchable by their team (and only as ``visible_to`` allows):
indexed with the issue title and story headline they last had, shown as orphans linking to the
team's Orphaned annotations page."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from articles.models import Paragraph, SearchDocument, SectionTag
from articles.search.indexing import index_rebuild
from articles.search.service import search
from articles.services.highlights import highlight_create
from articles.services.notes import note_create
from articles.services.orphans import issue_delete, user_delete
from articles.services.tags import section_tags_add
from articles.services.threads import comment_post

pytestmark = pytest.mark.django_db


def _hits(user, team, query) -> list[tuple[str, str, str]]:
    """(issue group title, kind, url) of every hit."""
    results = search(user=user, team=team, query=query)
    return [(g.title, h.kind, h.url) for g in results.groups for s in g.sections for h in s.hits]


@pytest.fixture
def orphaned(users, teams, small_issue, staff):
    """Team A's annotations on the small issue, which staff then delete: alice's team highlight
    (with bob's comment), her private note, a section tag; team B: carol's note."""
    paragraph = Paragraph.objects.get(section__issue=small_issue, text__startswith="Researchers trained")
    team_a, team_b = teams
    alice = users["alice"]
    highlight = highlight_create(user=alice, team=team_a, paragraph=paragraph, start=0, end=7, note="quagga shared")
    private = note_create(user=alice, team=team_a, paragraph=paragraph, body="quagga secret", visibility="private")
    comment_post(user=users["bob"], team=team_a, highlight=highlight, body="quagga reply")
    section_tags_add(user=alice, team=team_a, section=paragraph.section, names="zebratag")
    note_create(user=users["carol"], team=team_b, paragraph=paragraph, body="quagga other team")
    title, headline = small_issue.title, paragraph.section.headline
    issue_delete(user=staff, issue=small_issue)
    return {"highlight": highlight, "private": private, "title": title, "headline": headline}


def test_orphans_of_a_deleted_issue_are_indexed_with_their_snapshot(orphaned, users, teams):
    docs = SearchDocument.objects.filter(issue__isnull=True)
    assert sorted((d.kind, d.text, d.issue_title, d.section_headline) for d in docs) == sorted([
        ("highlight", "Researc\nquagga shared", orphaned["title"], orphaned["headline"]),
        ("note", "quagga secret", orphaned["title"], orphaned["headline"]),
        ("note", "quagga other team", orphaned["title"], orphaned["headline"]),
        ("comment", "quagga reply", orphaned["title"], orphaned["headline"]),
        ("tag", "zebratag", orphaned["title"], orphaned["headline"]),
    ])
    before = sorted(docs.values_list("kind", "object_id", "team_id", "owner_id", "visibility", "issue_title"))
    index_rebuild()  # a full rebuild keeps them
    assert sorted(docs.values_list("kind", "object_id", "team_id", "owner_id", "visibility", "issue_title")) == before


def test_a_private_orphaned_note_is_found_by_its_author_only(orphaned, users, teams):
    team_a, team_b = teams
    group = f"{orphaned['title']} (deleted)"
    note_url = f"/orphans/#orphan-note-{orphaned['private'].pk}"
    assert _hits(users["alice"], team_a, "secret") == [(group, "note", note_url)]
    assert _hits(users["bob"], team_a, "secret") == []
    assert _hits(users["carol"], team_b, "secret") == []
    assert _hits(users["dave"], None, "secret") == []
    # the team's shared orphans: every member; another team sees only its own
    highlight_url = f"/orphans/#orphan-highlight-{orphaned['highlight'].pk}"
    assert sorted(_hits(users["bob"], team_a, "quagga")) == sorted([
        (group, "highlight", highlight_url), (group, "comment", "/orphans/#orphan-threads"),
    ])
    assert [kind for _, kind, _ in _hits(users["carol"], team_b, "quagga")] == ["note"]
    section_tag = SectionTag.objects.get(tag__name="zebratag", section=None, issue=None)
    assert _hits(users["bob"], team_a, "zebratag") == [(group, "tag", f"/orphans/#orphan-section-tag-{section_tag.pk}")]


def test_a_deleted_members_orphans_stay_searchable_for_the_team(orphaned, users, teams, staff):
    user_delete(user=staff, account=users["alice"])
    bob = users["bob"]
    assert sorted(kind for _, kind, _ in _hits(bob, teams[0], "quagga")) == ["comment", "highlight"]
    assert not SearchDocument.objects.filter(kind="note", text="quagga secret").exists()  # went with her account


def test_search_page_shows_orphans_as_orphans(orphaned, users, teams, login):
    response = login(users["alice"]).get("/search/", {"q": "quagga"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    (group,) = soup.select("#search-results section.search-issue")
    assert group.select_one("h2 a").get_text() == f"{orphaned['title']} (deleted)"
    assert group.select_one("h2 a")["href"] == "/orphans/"
    meta = group.select_one("p.issue-meta.search-orphaned")
    assert meta.get_text(" ", strip=True) == "Issue deleted · kept in Orphaned annotations"
    assert meta.select_one("a")["href"] == "/orphans/"
    assert [h.get_text() for h in group.select("h3.search-section a")] == [orphaned["headline"]]
    links = sorted(a["href"] for a in group.select("li.search-result a.search-result-link"))
    assert links == sorted([f"/orphans/#orphan-highlight-{orphaned['highlight'].pk}", "/orphans/#orphan-threads",
                            f"/orphans/#orphan-note-{orphaned['private'].pk}"])
    labels = sorted(s.get_text() for s in group.select("span.search-label"))
    assert labels == ["Comment by bob", "Highlight by alice", "Note by alice (private)"]
