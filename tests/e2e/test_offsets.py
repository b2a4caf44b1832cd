"""Highlights after emoji, a ZWJ family, combining marks and right-to-left text land on the words
the reader selected: the browser's UTF-16 offsets become code points (static/js/digest.js)."""

from __future__ import annotations

import pytest

from articles.models import Highlight, Paragraph
from tests.e2e.conftest import PHONE, login_page, select_with_mouse
from tests.e2e.selection import select_programmatically
from tests.test_offsets_unicode import SAMPLES

pytestmark = pytest.mark.django_db(transaction=True)


def _issue_with_samples(make_issue):
    issue = make_issue(sections=1, paragraphs=len(SAMPLES))
    paragraphs = list(Paragraph.objects.filter(section__issue=issue).order_by("position"))
    for paragraph, (text, *_) in zip(paragraphs, SAMPLES, strict=True):
        paragraph.text, paragraph.marks = text, []
        paragraph.save()
    return issue, paragraphs


def test_mouse_selection_after_emoji_stores_the_selected_word(browser, live_server, teams, users, make_issue):
    issue, paragraphs = _issue_with_samples(make_issue)
    page = login_page(browser, live_server, "alice", "alice-pass-123")
    page.goto(live_server.url + issue.get_absolute_url())
    popover = page.locator("#highlight-popover")
    for paragraph, (text, word, start, _) in zip(paragraphs, SAMPLES, strict=True):
        p_sel = f"#p-{paragraph.pk}"
        select_with_mouse(page, p_sel, word)
        popover.wait_for(state="visible")
        assert popover.locator(".popover-quote").inner_text() == f"“{word}”"
        assert popover.locator("input[name=start]").input_value() == str(start)
        assert popover.locator("input[name=end]").input_value() == str(start + len(word))
        popover.get_by_role("button", name="Highlight", exact=True).click()
        page.locator(f"{p_sel} mark.hl").wait_for()
        assert page.locator(f"{p_sel} mark.hl").inner_text() == word
        stored = Highlight.objects.get(paragraph=paragraph)
        assert (stored.exact, stored.start, stored.end) == (word, start, start + len(word))
        assert text[stored.start:stored.end] == word
    assert Highlight.objects.count() == len(SAMPLES)


def test_touch_selection_after_emoji_on_a_phone_stores_the_selected_word(browser, live_server, teams, users, make_issue):
    issue, paragraphs = _issue_with_samples(make_issue)
    page = login_page(browser, live_server, "alice", "alice-pass-123", **PHONE)
    page.goto(live_server.url + issue.get_absolute_url())
    popover = page.locator("#highlight-popover")
    for paragraph, (_, word, start, _) in zip(paragraphs, SAMPLES, strict=True):
        p_sel = f"#p-{paragraph.pk}"
        select_programmatically(page, p_sel, word)
        popover.wait_for(state="visible")
        assert popover.locator("input[name=start]").input_value() == str(start)
        popover.get_by_role("button", name="Highlight", exact=True).tap()
        page.locator(f"{p_sel} mark.hl").wait_for()
        assert page.locator(f"{p_sel} mark.hl").inner_text() == word
        stored = Highlight.objects.get(paragraph=paragraph)
        assert (stored.exact, stored.start, stored.end) == (word, start, start + len(word))
