"""Keyboard shortcuts and remembered reading progress in Chromium."""

from __future__ import annotations

import pytest

from articles.models import IssueRead, Paragraph
from tests.e2e.conftest import login_page, select_with_mouse

pytestmark = pytest.mark.django_db(transaction=True)


def test_keyboard_and_progress(browser, live_server, teams, users, small_issue):
    paras = list(Paragraph.objects.filter(section__issue=small_issue).order_by("section__position", "position"))
    bob = login_page(browser, live_server, "bob", "bob-pass-123")
    bob.set_viewport_size({"width": 1000, "height": 400})
    bob.goto(live_server.url + small_issue.get_absolute_url())
    bob.keyboard.press("j")
    bob.keyboard.press("j")
    assert bob.locator("p.para.is-current").get_attribute("id") == f"p-{paras[1].pk}"
    bob.keyboard.press("k")
    assert bob.locator("p.para.is-current").get_attribute("id") == f"p-{paras[0].pk}"
    bob.keyboard.press("n")
    bob.locator(f"#notes-panel-{paras[0].pk}.notes-panel").wait_for()
    bob.keyboard.press("?")
    assert bob.locator("#shortcuts").is_visible()
    bob.keyboard.press("Escape")
    # h highlights the current selection
    target = paras[1]
    select_with_mouse(bob, f"#p-{target.pk}", target.text.split()[0])
    bob.locator("#highlight-popover").wait_for(state="visible")
    bob.keyboard.press("h")
    bob.locator(f"#p-{target.pk} mark.hl").wait_for()
    # scrolling reports where the reader is; the next visit offers to continue there
    bob.mouse.wheel(0, 2000)
    bob.wait_for_timeout(2500)
    read = IssueRead.objects.get(user=users["bob"], issue=small_issue)
    assert read.paragraph_id is not None and read.progress > 0
    bob.goto(live_server.url + "/")
    bob.goto(live_server.url + small_issue.get_absolute_url())
    assert bob.locator(".continue a").get_attribute("href") == f"#p-{read.paragraph_id}"
    bob.context.close()
