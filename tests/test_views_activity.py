"""Activity feed, mentions inbox, unread markers and reading progress."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from articles.models import IssueRead, Paragraph
from articles.services import highlights, notes, threads

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def _soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def para(small_issue):
    """The first story's first paragraph."""
    return Paragraph.objects.get(section__issue=small_issue, text__startswith="Researchers trained")


def test_feed_shows_the_team_newest_first_with_new_markers(login, users, teams, para):
    team_a = teams[0]
    highlights.highlight_create(user=users["alice"], team=team_a, paragraph=para, start=0, end=11, is_claim=True)
    notes.note_create(user=users["alice"], team=team_a, paragraph=para, body="private thought", visibility="private")
    notes.note_create(user=users["alice"], team=team_a, paragraph=para, body="team note")
    thread = threads.thread_get_or_create(user=users["alice"], team=team_a, section=para.section)
    first = threads.comment_create(user=users["alice"], thread=thread, body="question @bob")
    threads.comment_create(user=users["bob"], thread=thread, body="answer", parent=first)
    notes.note_create(user=users["carol"], team=teams[1], paragraph=para, body="other team")
    bob = login(users["bob"])
    soup = _soup(bob.get("/activity/"))
    kinds = [li["class"][1] for li in soup.select("li.activity")]
    assert kinds == ["activity-reply", "activity-comment", "activity-note", "activity-claim"]
    assert "private thought" not in soup.get_text() and "other team" not in soup.get_text()
    # first visit: everything is new, except what bob wrote himself
    assert [li["class"][1] for li in soup.select("li.activity.is-new")] == ["activity-comment", "activity-note", "activity-claim"]
    assert soup.select_one("li.activity-note a")["href"] == f"{para.section.issue.get_absolute_url()}#p-{para.pk}"
    assert [li.select_one(".excerpt").get_text() for li in soup.select("li.activity") if li.select_one(".mention-badge")] == [
        "question @bob"
    ]
    soup = _soup(bob.get("/activity/"))
    assert soup.select("li.activity.is-new") == []
    threads.comment_create(user=users["alice"], thread=thread, body="follow-up")
    soup = _soup(bob.get("/activity/"))
    assert [li.select_one(".excerpt").get_text() for li in soup.select("li.activity.is-new")] == ["follow-up"]


def test_mentions_inbox_and_unread_count(login, users, teams, para):
    thread = threads.thread_get_or_create(user=users["alice"], team=teams[0], section=para.section)
    threads.comment_create(user=users["alice"], thread=thread, body="what do you think, @bob?")
    bob = login(users["bob"])
    header = _soup(bob.get("/")).select_one(".main-nav .unread-count")
    assert header.get_text() == "1"
    inbox = _soup(bob.get("/inbox/"))
    assert [li.select_one(".actor").get_text() for li in inbox.select("li.mention-item.is-new")] == ["alice"]
    assert _soup(bob.get("/")).select_one(".main-nav .unread-count") is None
    assert _soup(login(users["alice"]).get("/inbox/")).select("li.mention-item") == []


def test_unread_and_new_activity_markers_on_the_issue_list(login, users, teams, small_issue, para):
    bob = login(users["bob"])
    row = _soup(bob.get("/")).select_one("li.issue-row")
    assert row.select_one(".unread-badge").get_text() == "unread"
    bob.get(small_issue.get_absolute_url())
    row = _soup(bob.get("/")).select_one("li.issue-row")
    assert row.select_one(".unread-badge") is None and row.select_one(".activity-badge") is None
    notes.note_create(user=users["alice"], team=teams[0], paragraph=para, body="news")
    row = _soup(bob.get("/")).select_one("li.issue-row")
    assert row.select_one(".activity-badge").get_text() == "new activity"
    notes.note_create(user=users["carol"], team=teams[1], paragraph=para, body="not bob's business")
    bob.get(small_issue.get_absolute_url())
    assert _soup(bob.get("/")).select_one("li.issue-row .activity-badge") is None


def test_reading_progress_is_remembered(login, users, small_issue, para):
    bob = login(users["bob"], csrf=True)
    page = bob.get(small_issue.get_absolute_url())
    token = BeautifulSoup(page.content, "html.parser").body["hx-headers"].split('"X-CSRFToken": "')[1].split('"')[0]
    url = f"/issues/{small_issue.slug}/progress/"
    assert bob.get(url).status_code == 405
    assert bob.post(url, {"paragraph": para.pk, "progress": "0.4"}).status_code == 403  # no CSRF token
    assert bob.post(url, {"paragraph": para.pk, "progress": "0.4"}, headers={"X-CSRFToken": token}).status_code == 204
    read = IssueRead.objects.get(user=users["bob"], issue=small_issue)
    assert (read.paragraph_id, read.progress) == (para.pk, 0.4)
    soup = _soup(bob.get(small_issue.get_absolute_url()))
    assert soup.select_one(".continue a")["href"] == f"#p-{para.pk}"
    assert _soup(bob.get("/")).select_one("li.issue-row .progress").get_text() == "40% read"


def test_feed_and_list_query_counts_are_constant(login, users, teams, para, django_assert_max_num_queries):
    bob = login(users["bob"])
    bob.get("/activity/")  # the first visit creates the visit row
    thread = threads.thread_get_or_create(user=users["alice"], team=teams[0], section=para.section)
    threads.comment_create(user=users["alice"], thread=thread, body="the first comment")
    with django_assert_max_num_queries(25) as few_feed:
        bob.get("/activity/")
    with django_assert_max_num_queries(25) as few_list:
        bob.get("/")
    for i in range(15):
        highlights.highlight_create(user=users["alice"], team=teams[0], paragraph=para, start=i, end=i + 3)
        notes.note_create(user=users["alice"], team=teams[0], paragraph=para, body=f"note {i}")
        threads.comment_create(user=users["alice"], thread=thread, body=f"comment {i}")
    with django_assert_max_num_queries(25) as many_feed:
        bob.get("/activity/")
    with django_assert_max_num_queries(25) as many_list:
        bob.get("/")
    assert len(few_feed) == len(many_feed) and len(few_list) == len(many_list)
