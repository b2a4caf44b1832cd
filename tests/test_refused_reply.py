"""A refused comment writes nothing: no empty thread row, no comment, no mention."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from articles.models import Comment, Highlight, Paragraph, Thread
from articles.services import highlights, threads

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


@pytest.fixture
def places(teams, users, small_issue):
    """Two paragraphs in different sections; a section thread with one comment in the first."""
    team_a, _ = teams
    first = Paragraph.objects.get(section__issue=small_issue, text__startswith="Researchers trained")
    other = Paragraph.objects.get(section__issue=small_issue, text__startswith="KettleBench")
    thread = threads.thread_get_or_create(user=users["alice"], team=team_a, section=first.section)
    comment = threads.comment_create(user=users["alice"], thread=thread, body="a top-level comment")
    return {"first": first, "other": other, "comment": comment}


def _counts():
    return Thread.objects.count(), Comment.objects.count()


@pytest.mark.parametrize("bad_parent", ["elsewhere", "missing", "huge", "zero"])
def test_reply_with_bad_parent_creates_no_thread(login, users, places, bad_parent):
    """A reply whose parent is in another thread, does not exist or is out of range: refused (422)
    and no thread is started on the untouched section."""
    parent = {"elsewhere": places["comment"].pk, "missing": places["comment"].pk + 999, "huge": 2**70,
              "zero": 0}[bad_parent]
    before = _counts()
    response = login(users["bob"]).post(
        f"/sections/{places['other'].section_id}/thread/", {"body": "a reply", "parent": parent}, headers=HX
    )
    assert response.status_code == 422
    assert _counts() == before
    assert not Thread.objects.filter(section=places["other"].section).exists()


def test_empty_comment_creates_no_thread(login, users, places):
    before = _counts()
    response = login(users["bob"]).post(f"/sections/{places['other'].section_id}/thread/", {"body": "   "}, headers=HX)
    assert response.status_code == 422
    assert _counts() == before


def test_service_refuses_before_writing(teams, users, places):
    """comment_post checks body and parent before thread_get_or_create runs."""
    team_a, _ = teams
    section = places["other"].section
    with pytest.raises(ValidationError):
        threads.comment_post(user=users["bob"], team=team_a, section=section, body="x", parent_id=places["comment"].pk)
    with pytest.raises(ValidationError):
        threads.comment_post(user=users["bob"], team=team_a, section=section, body="")
    assert not Thread.objects.filter(section=section).exists()


def test_reply_to_private_highlight_thread_of_someone_else_is_refused(teams, users, places):
    """A parent the user may not see (a thread on alice's private highlight) is refused like a
    missing one, on bob's own highlight's thread."""
    team_a, _ = teams
    p = places["first"]
    private = highlights.highlight_create(user=users["alice"], team=team_a, paragraph=p, start=0, end=5,
                                          visibility="private")
    hidden_thread = threads.thread_get_or_create(user=users["alice"], team=team_a, highlight=private)
    hidden = threads.comment_create(user=users["alice"], thread=hidden_thread, body="private musing")
    own = highlights.highlight_create(user=users["bob"], team=team_a, paragraph=p, start=6, end=10)
    before = _counts()
    with pytest.raises(ValidationError):
        threads.comment_post(user=users["bob"], team=team_a, highlight=own, body="hi", parent_id=hidden.pk)
    assert _counts() == before
    assert not Thread.objects.filter(highlight=own).exists()
    assert Highlight.objects.filter(pk=own.pk).exists()


def test_valid_reply_still_works(login, users, places):
    section_id = places["first"].section_id
    response = login(users["bob"]).post(
        f"/sections/{section_id}/thread/", {"body": "an answer", "parent": places["comment"].pk}, headers=HX
    )
    assert response.status_code == 200
    reply = Comment.objects.get(body="an answer")
    assert (reply.parent_id, reply.thread_id) == (places["comment"].pk, places["comment"].thread_id)
    first = threads.comment_post(user=users["bob"], team=places["comment"].thread.team,
                                 section=places["other"].section, body="first words")
    assert (first.parent_id, first.thread.section_id) == (None, places["other"].section_id)
