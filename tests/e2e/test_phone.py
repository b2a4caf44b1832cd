"""Phone size (390×844, touch, mobile viewport): no page wider than the screen, the header's
Log out and search reachable, and a highlight made from a selection with no mouse or key event
(what a long-press leaves), with its popover and card on screen as bottom sheets."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Highlight, Paragraph
from articles.services import highlights, tags
from tests.e2e.conftest import PHONE, login_page
from tests.e2e.selection import on_screen, select_programmatically

pytestmark = pytest.mark.django_db(transaction=True)

PHRASE = "it reached 97.5% accuracy after practice"


def _pages(issue, para, tag_slug):
    return [
        reverse("articles:issue-list"), issue.get_absolute_url(), para.section.get_absolute_url(),
        reverse("articles:search") + "?q=robot", reverse("articles:tag-list"),
        reverse("articles:tag-detail", args=[tag_slug]), reverse("articles:activity"), reverse("articles:inbox"),
        reverse("articles:sources"), reverse("articles:person", args=["bob"]),
    ]


def test_no_page_is_wider_than_a_phone_and_the_header_is_reachable(browser, live_server, teams, users, small_issue):
    users["alice"].is_staff = True
    users["alice"].save()
    para = Paragraph.objects.get(section__issue=small_issue, text__startswith="Researchers trained")
    highlights.highlight_create(user=users["bob"], team=teams[0], paragraph=para, start=0, end=11, tags=["robotics"])
    tags.section_tags_add(user=users["alice"], team=teams[0], section=para.section, names="a-rather-long-tag-name")
    page = login_page(browser, live_server, "alice", "alice-pass-123", **PHONE)
    for path in _pages(small_issue, para, "robotics"):
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide"
        menu = page.get_by_role("button", name="Menu")
        expect(menu).to_have_attribute("aria-expanded", "false")
        menu.tap()
        logout = page.get_by_role("button", name="Log out")
        logout.scroll_into_view_if_needed()
        assert on_screen(page, logout), path
        search = page.get_by_role("searchbox", name="Search", exact=True)
        search.scroll_into_view_if_needed()
        assert on_screen(page, search), path
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("login"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_touch_selection_highlight_and_card_on_screen(browser, live_server, teams, users, small_issue):
    para = Paragraph.objects.get(section__issue=small_issue, text__startswith="Researchers trained")
    p_sel = f"#p-{para.pk}"
    page = login_page(browser, live_server, "alice", "alice-pass-123", **PHONE)
    page.goto(live_server.url + small_issue.get_absolute_url())

    select_programmatically(page, p_sel, PHRASE)
    popover = page.locator("#highlight-popover")
    expect(popover).to_be_visible()
    assert on_screen(page, popover)
    action = popover.get_by_role("button", name="Highlight", exact=True)
    assert action.bounding_box()["height"] >= 44
    action.tap()
    mark = page.locator(f"{p_sel} mark.hl")
    expect(mark).to_have_text(PHRASE)
    expect(popover).to_be_hidden()
    stored = Highlight.objects.get()
    start = para.text.index(PHRASE)
    assert (stored.exact, stored.start, stored.end) == (PHRASE, start, start + len(PHRASE))

    mark.tap()
    card = page.locator("#highlight-card")
    expect(card.locator(f"#card-{stored.pk}")).to_be_visible()
    assert on_screen(page, card)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


TARGET_SIZES = """() => [...document.querySelectorAll('button, input[type=submit], select')]
  .filter(el => el.offsetParent !== null)
  .map(el => ({label: (el.textContent || el.value || el.name || '').trim().slice(0, 30),
               cls: el.className, h: el.getBoundingClientRect().height,
               w: el.getBoundingClientRect().width}))"""


def test_touch_targets_primary_44px_others_24px(browser, live_server, teams, users, small_issue):
    """On a touch screen, primary actions (buttons, selects, submits) are at least 44 px tall;
    the small text buttons (Reply, Delete, tag ×) at least 24 × 24 px."""
    para = Paragraph.objects.get(section__issue=small_issue, text__startswith="Researchers trained")
    tags.section_tags_add(user=users["alice"], team=teams[0], section=para.section, names="robotics")
    page = login_page(browser, live_server, "alice", "alice-pass-123", **PHONE)
    for path in (small_issue.get_absolute_url(), reverse("articles:search") + "?q=robot"):
        page.goto(live_server.url + path)
        targets = page.evaluate(TARGET_SIZES)
        assert targets, path
        for t in targets:
            small = "link-button" in t["cls"] or "tag-remove" in t["cls"]
            floor = 24 if small else 44
            assert t["h"] >= floor - 0.5, f"{path}: {t} is under {floor}px"
            if small:
                assert t["w"] >= 23.5, f"{path}: {t} is narrower than 24px"
