"""The activity feed shows notes and comments as their Markdown rendered by the one sanitizer
(articles/sanitize.py): formatting kept, scripts, handlers and javascript: links gone."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from articles.models import Paragraph
from articles.services import notes, threads

pytestmark = pytest.mark.django_db

PAYLOAD = (
    "**Bold claim** and _care_, see [the paper](https://example.org/paper)\n\n"
    "- first point\n- second point\n\n"
    "<script>alert('x')</script><img src=x onerror=alert(1)> [click](javascript:alert(2)) "
    '<a href="#" onclick="alert(3)">trap</a>'
)


def _feed(login, user) -> BeautifulSoup:
    response = login(user).get(reverse("articles:activity"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _assert_inert(root) -> None:
    assert root.find_all(["script", "img", "iframe", "style"]) == []
    for element in root.find_all(True):
        assert not [name for name in element.attrs if name.lower().startswith("on")], element
        assert not element.get("href", "").lower().startswith("javascript:"), element


def test_note_markdown_rendered_and_sanitized(login, teams, users, small_issue):
    para = Paragraph.objects.filter(section__issue=small_issue).first()
    notes.note_create(user=users["bob"], team=teams[0], paragraph=para, body=PAYLOAD)
    soup = _feed(login, users["alice"])
    item = soup.select_one("li.activity-note")
    excerpt = item.select_one(".excerpt.user-content")
    assert excerpt is not None and excerpt.has_attr("hx-disable")
    assert excerpt.find("strong").get_text() == "Bold claim"
    assert excerpt.find("em").get_text() == "care"
    link = excerpt.find("a", string="the paper")
    assert link["href"] == "https://example.org/paper" and "noopener" in link["rel"]
    assert [li.get_text() for li in excerpt.select("ul > li")] == ["first point", "second point"]
    assert "**" not in excerpt.get_text()  # no raw Markdown left
    _assert_inert(soup.select_one("main"))
    assert "alert(" not in str(excerpt.find_all("a"))


def test_comment_markdown_rendered_and_sanitized(login, teams, users, small_issue):
    section = small_issue.sections.first()
    threads.comment_post(user=users["bob"], team=teams[0], section=section, body=PAYLOAD)
    soup = _feed(login, users["alice"])
    excerpt = soup.select_one("li.activity-comment .excerpt.user-content")
    assert excerpt.find("strong").get_text() == "Bold claim"
    _assert_inert(soup.select_one("main"))


def test_highlight_quote_stays_plain_text(login, teams, users, small_issue):
    from articles.services import highlights

    para = Paragraph.objects.filter(section__issue=small_issue).first()
    highlights.highlight_create(user=users["bob"], team=teams[0], paragraph=para, start=0, end=10)
    item = _feed(login, users["alice"]).select_one("li.activity-highlight")
    assert item.select_one("blockquote.excerpt").get_text() == para.text[:10]
    assert item.select_one(".user-content") is None
