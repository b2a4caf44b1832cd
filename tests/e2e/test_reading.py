"""A reader logs in, filters the list, opens an issue and follows anchors — in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_filter_open_issue_and_follow_anchors(logged_in_page, live_server, seeded):
    page = logged_in_page
    page.goto(f"{live_server.url}/")
    assert page.locator("li.issue-row").count() == 5
    # htmx swaps the list in place and pushes the filter URL
    page.click("nav.newsletter-filter >> text=Forward Future")
    page.wait_for_url("**/?newsletter=forward-future")
    expect(page.locator("li.issue-row")).to_have_count(1)  # (no wait_for_function: its eval breaks CSP)
    assert page.locator("li.issue-row .issue-title").inner_text() == "Scale Is All You Need? Part 2-2"
    assert page.locator("header.site-header").count() == 1  # swapped a fragment, not a whole page

    page.click("text=All")
    expect(page.locator("li.issue-row")).to_have_count(5)
    page.click(f"text={seeded['000'].title}")
    page.wait_for_url(f"**{seeded['000'].get_absolute_url()}")
    assert page.locator("h1.issue-title").inner_text() == seeded["000"].title

    tale = seeded["000"].sections.get(kind="tech_tale")
    page.click(f"nav.toc a[href='#{tale.anchor}']")
    page.wait_for_url(f"**#{tale.anchor}")
    assert page.locator(f"#{tale.anchor} h2").inner_text() == "Reach out across space and love"
    assert page.evaluate(f"document.getElementById('{tale.anchor}').getBoundingClientRect().top") < 50

    page.click("a[rel=next]")
    page.wait_for_url(f"**{seeded['001'].get_absolute_url()}")


def test_links_in_html_issue_are_safe(logged_in_page, live_server, seeded):
    page = logged_in_page
    page.goto(live_server.url + seeded["002"].get_absolute_url())
    link = page.locator("a[href='https://arxiv.org/abs/2501.18512v1']")
    assert link.count() == 1
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert page.locator("text=Subscribe now").count() == 0


def test_paragraph_anchor_url_targets_paragraph(logged_in_page, live_server, seeded):
    paragraph = seeded["003"].sections.get(headline="Training Data").paragraphs.first()
    page = logged_in_page
    page.goto(f"{live_server.url}{seeded['003'].get_absolute_url()}#{paragraph.anchor}")
    assert page.evaluate("location.hash") == f"#{paragraph.anchor}"
    assert page.locator(f"#{paragraph.anchor}").evaluate("el => el.matches(':target')")
    assert "â" not in page.locator("article").inner_text()
