"""Every XSS payload through notes, comments, highlight notes and tag names, checked by parsing
the rendered pages: no script, no handler, no URL scheme outside http/https/mailto."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from articles.models import Paragraph, Tag
from articles.services import highlights, notes, threads
from tests.html_checks import assert_no_active_content
from tests.xss_payloads import XSS_PAYLOADS

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


@pytest.fixture
def para(small_issue):
    """The paragraph everything is attached to."""
    return Paragraph.objects.get(section__issue=small_issue, text__startswith="Researchers trained")


def test_payload_count():
    assert len(XSS_PAYLOADS) >= 60


def test_notes_panel_and_page_with_every_payload(login, users, teams, para, small_issue):
    for payload in XSS_PAYLOADS:
        notes.note_create(user=users["alice"], team=teams[0], paragraph=para, body=payload)
    bob = login(users["bob"])
    panel = bob.get(f"/paragraphs/{para.pk}/notes/", headers=HX)
    soup = BeautifulSoup(panel.content, "html.parser")
    assert len(soup.select(".note")) == len(XSS_PAYLOADS)
    assert_no_active_content(panel.content.decode(), within=".user-content", page=True)
    page = bob.get(small_issue.get_absolute_url()).content.decode()
    assert_no_active_content(page, page=True)


def test_thread_with_every_payload(login, users, teams, para):
    thread = threads.thread_get_or_create(user=users["alice"], team=teams[0], section=para.section)
    for i, payload in enumerate(XSS_PAYLOADS):
        threads.comment_create(user=users["alice" if i % 2 else "bob"], thread=thread, body=payload + f" #{i}")
    response = login(users["bob"]).get(f"/sections/{para.section_id}/thread/", headers=HX)
    soup = BeautifulSoup(response.content, "html.parser")
    assert len(soup.select(".comment")) == len(XSS_PAYLOADS)
    assert_no_active_content(response.content.decode(), within=".user-content", page=True)
    person = login(users["bob"]).get("/people/alice/").content.decode()
    assert_no_active_content(person, within=".user-content", page=True)


def test_highlight_notes_and_tag_names_with_every_payload(login, users, teams, para, small_issue):
    ids = []
    for i, payload in enumerate(XSS_PAYLOADS):
        name = " ".join(payload.split())[:60] or f"tag {i}"
        start = i % 10  # inside the paragraph's first word: every range is distinct and non-blank
        h = highlights.highlight_create(
            user=users["alice"], team=teams[0], paragraph=para, start=start, end=start + 1 + i // 10,
            note=payload, tags=[name],
        )
        ids.append(h.pk)
    bob = login(users["bob"])
    cards = bob.get(f"/highlights/cards/?ids={','.join(map(str, ids[:20]))}", headers=HX).content.decode()
    assert_no_active_content(cards, within=".user-content", page=True)
    tag_page = bob.get("/tags/").content.decode()
    assert_no_active_content(tag_page, page=True)
    shown = {a.get_text() for a in BeautifulSoup(tag_page, "html.parser").select(".tag-list a.tag")}
    assert shown == set(Tag.objects.filter(team=teams[0]).values_list("name", flat=True))  # text, not markup
    assert any("<script" in name.lower() for name in shown)
    for tag in Tag.objects.filter(team=teams[0])[:40]:
        assert_no_active_content(bob.get(f"/tags/{tag.slug}/").content.decode(), page=True)
    assert_no_active_content(bob.get(small_issue.get_absolute_url()).content.decode(), page=True)


def test_script_tag_name_is_shown_literally(login, users, teams, para):
    highlights.highlight_create(user=users["alice"], team=teams[0], paragraph=para, start=0, end=5, tags=["<script>"])
    page = login(users["bob"]).get("/tags/")
    soup = BeautifulSoup(page.content, "html.parser")
    assert [a.get_text() for a in soup.select(".tag-list a.tag")] == ["<script>"]
    assert soup.select("main script") == []
