"""Staff subscribe to a feed on the Sources page, press Fetch now, the worker runs, the issue is
there to read; the bookmarklet opens Save link for the page it is used on."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.management import call_command

from tests.e2e.conftest import login_page
from tests.http_server import HTML_PAGE, LIGHTHOUSE, local_http, sample_rss  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def editor(django_user_model, settings):
    """A staff user; the fetcher may reach the local test server on 127.0.0.1."""
    settings.DIGEST_FETCH_ALLOW_PRIVATE = True
    return django_user_model.objects.create_user("e2e-editor", password="e2e-editor-pass", is_staff=True)


def _run_worker() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)


def test_subscribe_fetch_now_and_read_the_new_issue(browser, live_server, editor, local_http):
    feed_url = local_http.add("/tinlab.xml", sample_rss(), content_type="application/rss+xml", etag='"e2e"')
    page = login_page(browser, live_server, "e2e-editor", "e2e-editor-pass")
    page.click(".user-nav a:text('Sources')")
    page.wait_for_url(f"{live_server.url}/sources/")

    page.fill("#feed-url", feed_url)
    page.click("form.feed-add button[type=submit]")
    page.wait_for_url(f"{live_server.url}/sources/")
    row = page.locator("#feed-list tr.feed-row")
    assert row.count() == 1
    assert row.locator(".feed-status").inner_text() == "Not fetched yet"

    row.locator("button.fetch-now").click()  # htmx: the list is swapped with a "Queued" note
    page.wait_for_selector("#feed-list .queued")
    assert local_http.count("/tinlab.xml") == 0  # the request only queued the fetch

    _run_worker()
    assert local_http.count("/tinlab.xml") == 1
    page.reload()
    row = page.locator("#feed-list tr.feed-row")
    assert row.locator(".feed-name a").inner_text() == "Tin Lab Notes"
    assert row.locator(".feed-status").inner_text() == "OK"
    assert row.locator(".feed-new").inner_text() == "4"
    assert row.locator(".feed-error").inner_text() == ""
    assert row.locator(".feed-fetched").inner_text() != "never"

    page.click("a.brand")
    page.wait_for_url(f"{live_server.url}/")
    titles = page.locator("#issue-list a.issue-title").all_inner_texts()
    assert "Foghorn ferry counts" in titles and "Kettles learn to listen" in titles
    page.click("#issue-list a.issue-title:text('Foghorn ferry counts')")
    page.wait_for_selector(".para-text")
    assert LIGHTHOUSE in page.locator(".para-text").all_inner_texts()
    page.context.close()


def test_bookmarklet_opens_save_link_and_the_job_shows_the_issue(browser, live_server, editor, local_http):
    post_url = local_http.add("/post", HTML_PAGE)
    page = login_page(browser, live_server, "e2e-editor", "e2e-editor-pass")
    page.goto(f"{live_server.url}/sources/")
    href = page.locator("a.bookmarklet-link").get_attribute("href")
    assert href.startswith("javascript:")

    page.goto(post_url)  # the page being read, on another site
    with page.expect_popup() as popup_info:
        page.evaluate(href.removeprefix("javascript:"))  # what clicking the bookmark runs
    popup = popup_info.value
    popup.wait_for_load_state()
    assert popup.url == f"{live_server.url}/links/save/?url={quote(post_url, safe='')}"
    assert popup.locator("#link-url").input_value() == post_url

    popup.click("form.save-link-form button[type=submit]")
    popup.wait_for_selector("#link-job.link-job-queued")
    _run_worker()
    popup.wait_for_selector("a.link-job-issue", timeout=8_000)  # htmx polls the job every 2 s
    popup.click("a.link-job-issue")
    popup.wait_for_selector(".para-text")
    assert "The team now wants to teach the toaster to whistle back." in popup.locator(".para-text").all_inner_texts()
    page.context.close()
