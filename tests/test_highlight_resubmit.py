"""Highlighting the same range twice (a double submit, or a second try with a note): one highlight,
and nothing that was sent is dropped — the new note, tags and colour are applied, or the answer
says nothing changed. Found by the load test (bench/load.py): 35 of 40 repeats lost their note."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from articles.models import Highlight, Paragraph
from articles.services import highlights
from tests.conftest import SMALL_ISSUE
from tests.factories import import_one

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


@pytest.fixture
def paragraph(db):
    """The 'Researchers trained …' paragraph of a small imported issue."""
    import_one(name="small.txt", raw=SMALL_ISSUE.encode())
    return Paragraph.objects.get(text__startswith="Researchers trained")


def _create(user, team, paragraph, **kwargs):
    start = paragraph.text.index("robot arm")
    return highlights.highlight_create(user=user, team=team, paragraph=paragraph, start=start, end=start + 9, **kwargs)


def _state(highlight):
    h = Highlight.objects.get(pk=highlight.pk)
    return h.colour, h.note, sorted(t.name for t in h.tags.all()), h.is_claim, h.version


def test_second_submit_applies_note_tags_and_colour(teams, users, paragraph):
    team, alice = teams[0], users["alice"]
    first = _create(alice, team, paragraph, note="first thought", tags=["robots"])
    again = _create(alice, team, paragraph, note="second thought", tags=["Robots", "arms"], colour="green", is_claim=True)
    assert again.pk == first.pk and Highlight.objects.count() == 1
    assert _state(first) == ("green", "second thought", ["arms", "robots"], True, 2)


def test_identical_double_submit_changes_nothing(teams, users, paragraph):
    team, alice = teams[0], users["alice"]
    first = _create(alice, team, paragraph, note="one", tags=["robots"], colour="blue")
    again = _create(alice, team, paragraph, note="one", tags=["robots"], colour="blue")
    assert again.pk == first.pk
    assert _state(first) == ("blue", "one", ["robots"], False, 1)  # no new version: an open editor stays valid


def test_empty_note_keeps_the_note_and_a_claim_stays_a_claim(teams, users, paragraph):
    team, alice = teams[0], users["alice"]
    first = _create(alice, team, paragraph, note="keep me", is_claim=True)
    _create(alice, team, paragraph, note="  ", colour="pink")
    assert _state(first) == ("pink", "keep me", [], True, 2)


def test_other_visibility_is_refused_not_ignored(teams, users, paragraph):
    team, alice = teams[0], users["alice"]
    first = _create(alice, team, paragraph, note="mine", visibility="private")
    with pytest.raises(ValidationError, match="only you can see it"):
        _create(alice, team, paragraph, note="for the team", tags=["robots"], visibility="team")
    h = Highlight.objects.get(pk=first.pk)
    assert (h.visibility, h.note, h.tags.count(), h.version) == ("private", "mine", 0, 1)


def test_view_answers_with_the_applied_highlight_or_a_422(client, teams, users, paragraph):
    client.force_login(users["alice"])
    start = paragraph.text.index("robot arm")
    post = {"paragraph": paragraph.pk, "start": start, "end": start + 9, "visibility": "team"}
    assert client.post("/highlights/", {**post, "note": "a", "colour": "yellow"}, headers=HX).status_code == 200
    second = client.post("/highlights/", {**post, "note": "b", "colour": "green", "tags": "arms"}, headers=HX)
    assert second.status_code == 200
    h = Highlight.objects.get()
    assert (h.note, h.colour, [t.name for t in h.tags.all()]) == ("b", "green", ["arms"])
    mark = BeautifulSoup(second.content, "html.parser").select_one(f"mark[data-highlight-ids='{h.pk}']")
    assert mark is not None and "hl-green" in mark["class"]
    refused = client.post("/highlights/", {**post, "note": "c", "visibility": "private"}, headers=HX)
    assert refused.status_code == 422
    assert "already highlighted" in BeautifulSoup(refused.content, "html.parser").get_text()
    assert Highlight.objects.get().note == "b"
