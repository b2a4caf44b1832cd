"""A reader types in the header search box, sees live results and lands on the paragraph."""

from __future__ import annotations

import re

import pytest

from articles.services.importing import import_files
from tests.seeds import seed_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_live_search_from_header_to_highlighted_paragraph(logged_in_page, live_server):
    import_files([(f"{p}.txt", seed_bytes(p)) for p in ["000", "001", "002", "003", "004"]])
    page = logged_in_page
    page.goto(f"{live_server.url}/")
    page.keyboard.press("/")  # focuses the header box
    assert page.evaluate("document.activeElement.id") == "site-search"
    page.keyboard.type("Streaming DiLo", delay=30)  # live results: no Enter
    page.wait_for_selector("#search-results mark.search-hit")
    page.wait_for_url(re.compile(r"/search/\?.*DiLo"))  # (a predicate string would need eval: CSP)
    assert page.locator("header.site-header").count() == 1  # swapped into the page, not reloaded
    marks = page.locator("#search-results li.search-kind-paragraph mark.search-hit").all_inner_texts()
    assert {m.lower() for m in marks} >= {"streaming", "diloco"}

    link = page.locator("#search-results li.search-kind-paragraph a.search-result-link").first
    href = link.get_attribute("href")
    assert "#p-" in href
    link.click()
    page.wait_for_url(f"**{href}")
    anchor = href.split("#", 1)[1]
    assert page.evaluate("location.hash") == f"#{anchor}"
    assert page.evaluate(f"document.getElementById('{anchor}').matches(':target')")
    assert "DiLoCo" in page.locator(f"#{anchor}").inner_text()
