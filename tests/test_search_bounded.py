"""Search does bounded work whatever the number of matches (issue 11): a common word ranks only
its newest ``WINDOW`` visible matches and says "more than …"; a narrow filter ranks all of its
matches; privacy holds on both paths. ``WINDOW``/``NARROW`` are made small so a few notes show it."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.db import connection

from articles.models import Paragraph
from articles.search import candidates
from articles.search.service import SearchFilters, search
from articles.services import notes

pytestmark = pytest.mark.django_db


def _paragraphs(issue) -> list[Paragraph]:
    return list(Paragraph.objects.filter(section__issue=issue).order_by("section__position", "position"))


def _bodies(user, team, query, **filters) -> set[str]:
    results = search(user=user, team=team, query=query, filters=SearchFilters(**filters))
    return {h.snippet.replace('<mark class="search-hit">', "").replace("</mark>", "")
            for g in results.groups for s in g.sections for h in s.hits}


@pytest.fixture
def walrus_notes(small_issue, teams, users):
    """Alice's team: 8 shared walrus notes (oldest first) and Bob's private one; then, newer,
    6 walrus notes of team B."""
    team_a, team_b = teams
    paragraphs = _paragraphs(small_issue)
    shared = [notes.note_create(user=users["alice"], team=team_a, paragraph=paragraphs[i % len(paragraphs)],
                                body=f"walrus shared {i}") for i in range(8)]
    notes.note_create(user=users["bob"], team=team_a, paragraph=paragraphs[0], body="walrus private of bob",
                      visibility="private")
    for i in range(6):
        notes.note_create(user=users["carol"], team=team_b, paragraph=paragraphs[i % len(paragraphs)],
                          body=f"walrus rival {i}")
    return shared


def test_common_word_ranks_the_newest_window_and_counts_more(walrus_notes, teams, users, monkeypatch):
    monkeypatch.setattr(candidates, "WINDOW", 5)
    results = search(user=users["alice"], team=teams[0], query="walrus")
    assert (results.count, results.more, results.count_label) == (5, True, "more than 5 matches")
    # the newest five of alice's visible matches: not team B's newer notes, not bob's private one
    assert _bodies(users["alice"], teams[0], "walrus") == {f"walrus shared {i}" for i in range(3, 8)}


def test_fewer_matches_than_the_window_are_all_ranked(walrus_notes, teams, users):
    results = search(user=users["bob"], team=teams[0], query="walrus")
    assert (results.count, results.more, results.count_label) == (9, False, "9 matches")
    assert _bodies(users["bob"], teams[0], "walrus") == {f"walrus shared {i}" for i in range(8)} | {"walrus private of bob"}
    assert search(user=users["carol"], team=teams[1], query="walrus private").count == 0


def test_narrow_filter_ranks_all_its_matches_and_keeps_privacy(walrus_notes, teams, users, monkeypatch):
    monkeypatch.setattr(candidates, "WINDOW", 2)  # would cut a common word; the narrow path does not
    assert _bodies(users["alice"], teams[0], "walrus", author="alice") == {f"walrus shared {i}" for i in range(8)}
    assert _bodies(users["alice"], teams[0], "walrus", author="bob") == set()  # bob's note is private
    assert _bodies(users["bob"], teams[0], "walrus", author="bob") == {"walrus private of bob"}
    assert _bodies(users["carol"], teams[1], "walrus", author="alice") == set()


def test_a_filter_too_broad_to_be_narrow_takes_the_window(walrus_notes, teams, users, monkeypatch):
    narrow = _bodies(users["alice"], teams[0], "walrus", author="alice")
    monkeypatch.setattr(candidates, "NARROW", 3)  # alice's 8 notes are now "broad"
    assert _bodies(users["alice"], teams[0], "walrus", author="alice") == narrow
    monkeypatch.setattr(candidates, "WINDOW", 5)
    results = search(user=users["alice"], team=teams[0], query="walrus", filters=SearchFilters(author="alice"))
    assert (results.count, results.more) == (5, True)


def test_page_says_more_than(walrus_notes, teams, users, login, monkeypatch):
    monkeypatch.setattr(candidates, "WINDOW", 5)
    page = BeautifulSoup(login(users["alice"]).get("/search/", {"q": "walrus"}).content, "html.parser")
    assert page.select_one(".search-count").get_text(strip=True) == "More than 5 matches (the best 50)"
    page = BeautifulSoup(login(users["bob"]).get("/search/", {"q": "walrus private"}).content, "html.parser")
    assert page.select_one(".search-count").get_text(strip=True) == "1 match"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 prefix indexes are SQLite's")
def test_fts_table_has_prefix_indexes(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_searchdocument_fts'")
        assert "prefix='2 3 4'" in cursor.fetchone()[0]
