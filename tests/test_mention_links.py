"""A mention's link opens its discussion at the comment, without JavaScript: a section's thread
with ``?thread=<section>``, a highlight's card and discussion with ``?card=<highlight>``, each
followed by ``#comment-<id>``, the comment's element on the page. The activity feed links the same."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from articles.models import Paragraph
from articles.services import highlights, threads

pytestmark = pytest.mark.django_db


def _soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _inbox_links(client) -> list[str]:
    return [a["href"] for a in _soup(client.get(reverse("articles:inbox"))).select("li.mention-item > a")]


def test_section_mention_opens_the_thread_at_the_comment(login, teams, users, small_issue):
    section = small_issue.sections.get(headline__startswith="Kettles")
    comment = threads.comment_post(user=users["bob"], team=teams[0], section=section, body="@alice have a look")
    client = login(users["alice"])
    (href,) = _inbox_links(client)
    url = urlsplit(href)
    assert url.path == small_issue.get_absolute_url()
    assert parse_qs(url.query) == {"thread": [str(section.pk)]} and url.fragment == f"comment-{comment.pk}"
    page = _soup(client.get(href))
    thread = page.select_one(f"#thread-s{section.pk}.thread")
    assert thread is not None and thread.select_one(f"li#comment-{comment.pk}") is not None
    assert thread.select_one(".comment-form textarea[name=body]") is not None
    feed = _soup(client.get(reverse("articles:activity")))
    assert feed.select_one("li.activity-comment > a")["href"] == href


def test_highlight_mention_opens_its_card_and_discussion(login, teams, users, small_issue):
    para = Paragraph.objects.get(section__issue=small_issue, text__startswith="KettleBench")
    highlight = highlights.highlight_create(user=users["bob"], team=teams[0], paragraph=para, start=0, end=11)
    first = threads.comment_post(user=users["bob"], team=teams[0], highlight=highlight, body="a first word")
    reply = threads.comment_post(
        user=users["bob"], team=teams[0], highlight=highlight, body="@alice and you?", parent_id=first.pk
    )
    client = login(users["alice"])
    (href,) = _inbox_links(client)
    assert href == f"{small_issue.get_absolute_url()}?card={highlight.pk}#comment-{reply.pk}"
    page = _soup(client.get(href))
    card = page.select_one(f"aside#highlight-card article#card-{highlight.pk}")
    assert card is not None and card.select_one(".card-quote").get_text() == "“KettleBench”"
    discussion = card.select_one(f"#thread-h{highlight.pk}.thread")
    assert discussion.select_one(f"li.reply#comment-{reply.pk}") is not None
    assert card.select_one(".thread-slot[hx-trigger=load]") is None  # rendered, not fetched


def test_card_param_shows_only_what_the_reader_may_see(login, teams, users, small_issue):
    para = Paragraph.objects.get(section__issue=small_issue, text__startswith="KettleBench")
    private = highlights.highlight_create(
        user=users["bob"], team=teams[0], paragraph=para, start=0, end=11, visibility="private"
    )
    page = _soup(login(users["alice"]).get(f"{small_issue.get_absolute_url()}?card={private.pk}"))
    assert page.select_one("aside#highlight-card").get_text(strip=True) == ""
    page = _soup(login(users["alice"]).get(f"{small_issue.get_absolute_url()}?card=999999"))
    assert page.select_one("aside#highlight-card").get_text(strip=True) == ""
