"""The Sources page, add feed, Fetch now (queued, never fetched in the request), Save link."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from articles.channels.feeds import feed_subscribe
from articles.models import Feed, ImportJob, Newsletter
from tests.http_server import HTML_PAGE, local_http  # noqa: F401

pytestmark = pytest.mark.django_db

SOURCES = reverse("articles:sources")
SAVE = reverse("articles:link-save")


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def _feeds(n: int) -> list[Feed]:
    newsletter = Newsletter.objects.create(name="Tin Lab Notes", slug="tin-lab-notes")
    return [
        Feed.objects.create(url=f"https://tinlab.example/feed-{i}.xml", title=f"Tin Lab {i}", newsletter=newsletter,
                            last_status=Feed.Status.ERROR if i % 2 else Feed.Status.OK,
                            last_error="the server answered 404 Not Found" if i % 2 else "", last_new_issues=i)
        for i in range(n)
    ]


def test_sources_page_lists_feeds_with_their_status(staff_client):
    _feeds(2)
    soup = _soup(staff_client.get(SOURCES))
    rows = soup.select("#feed-list tr.feed-row")
    assert [r.select_one(".feed-name a").get_text(strip=True) for r in rows] == ["Tin Lab 0", "Tin Lab 1"]
    error_row = soup.select_one("tr.feed-status-error")
    assert error_row.select_one(".feed-error").get_text(strip=True) == "the server answered 404 Not Found"
    assert error_row.select_one(".feed-status").get_text(strip=True) == "Error"
    assert error_row.select_one(".feed-newsletter").get_text(strip=True) == "Tin Lab Notes"
    assert rows[0].select_one(".feed-fetched").get_text(strip=True) == "never"
    # forms with CSRF; the add form, the Save link box, the bookmarklet, the mailbox paragraph
    for form in soup.select("main form[method=post]"):
        assert form.select_one("input[name=csrfmiddlewaretoken]") is not None
    assert soup.select_one("form.feed-add")["action"] == reverse("articles:feed-add")
    assert soup.select_one("form.save-link-form")["action"] == SAVE
    assert soup.select_one(".mailbox").find(string=lambda s: "README" in s)
    # the header links to Sources for staff
    assert soup.select_one(f".user-nav a[href='{SOURCES}']").get_text() == "Sources"


def test_no_inline_scripts_or_styles(staff_client):
    _feeds(1)
    soup = _soup(staff_client.get(SOURCES))
    assert all(script.get("src") for script in soup.find_all("script"))
    assert not soup.select("[style]") and not soup.find_all("style")
    assert not [t for t in soup.find_all(True) if any(a.startswith("on") for a in t.attrs)]


def test_bookmarklet_opens_the_save_box_with_the_current_url(staff_client):
    href = _soup(staff_client.get(SOURCES)).select_one("a.bookmarklet-link")["href"]
    assert href.startswith("javascript:")
    assert "http://testserver/links/save/?url='+encodeURIComponent(location.href)" in href
    assert "window.open(" in href


def test_query_count_does_not_grow_with_feeds(staff_client, django_assert_num_queries):
    _feeds(2)
    with CaptureQueriesContext(connection) as two:
        assert staff_client.get(SOURCES).status_code == 200
    newsletter = Newsletter.objects.get()
    for i in range(2, 6):
        Feed.objects.create(url=f"https://other.example/{i}.xml", newsletter=newsletter)
    assert Feed.objects.count() == 6
    with django_assert_num_queries(len(two.captured_queries)):
        response = staff_client.get(SOURCES)
    assert len(_soup(response).select("tr.feed-row")) == 6


def test_htmx_refresh_returns_the_feed_list_fragment(staff_client):
    _feeds(2)
    response = staff_client.get(SOURCES, HTTP_HX_REQUEST="true")
    soup = _soup(response)
    assert soup.select_one("header") is None and len(soup.select("#feed-list tr.feed-row")) == 2
    assert "HX-Request" in response["Vary"]


def test_non_staff_get_403_everywhere(reader_client, staff):
    feed = feed_subscribe(url="https://tinlab.example/feed.xml", user=staff)
    assert reader_client.get(SOURCES).status_code == 403
    assert reader_client.post(reverse("articles:feed-add"), {"url": "https://x.example/feed"}).status_code == 403
    assert reader_client.post(reverse("articles:feed-fetch", args=[feed.pk])).status_code == 403
    assert reader_client.get(SAVE).status_code == 403
    assert reader_client.post(SAVE, {"url": "https://x.example/post"}).status_code == 403
    assert Feed.objects.count() == 1 and not DBTaskResult.objects.exists() and not ImportJob.objects.exists()
    nav = _soup(reader_client.get(reverse("articles:issue-list"))).select_one(".user-nav")
    assert nav.find("a", string="Sources") is None


def test_anonymous_is_sent_to_login(client):
    response = client.get(SOURCES)
    assert response.status_code == 302 and "/login" in response["Location"]


def test_add_feed(staff_client, staff):
    response = staff_client.post(reverse("articles:feed-add"), {"url": "https://tinlab.example/feed.xml"})
    assert response.status_code == 302 and response["Location"] == SOURCES
    feed = Feed.objects.get()
    assert feed.url == "https://tinlab.example/feed.xml" and feed.added_by == staff
    staff_client.post(reverse("articles:feed-add"), {"url": "https://tinlab.example/feed.xml"})
    assert Feed.objects.count() == 1  # idempotent
    soup = _soup(staff_client.get(SOURCES))
    assert soup.select_one("tr.feed-row .feed-status").get_text(strip=True) == "Not fetched yet"


def test_add_feed_refuses_a_bad_url(staff_client):
    response = staff_client.post(reverse("articles:feed-add"), {"url": "ftp://tinlab.example/feed"})
    assert response.status_code == 422 and not Feed.objects.exists()
    soup = _soup(response)
    assert "Enter an http:// or https:// URL." in soup.select_one(".messages").get_text()
    assert soup.select_one("#feed-url")["value"] == "ftp://tinlab.example/feed"


def test_fetch_now_enqueues_and_does_not_fetch(staff_client, local_http, settings):
    settings.DIGEST_FETCH_ALLOW_PRIVATE = True
    feed = feed_subscribe(url=local_http.url("/feed.xml"), user=None)
    response = staff_client.post(reverse("articles:feed-fetch", args=[feed.pk]))
    assert response.status_code == 302
    task = DBTaskResult.objects.get()
    assert task.task_path == "articles.tasks.feed_fetch" and task.args_kwargs["args"] == [feed.pk]
    assert local_http.requests == []  # nothing fetched in the request
    feed.refresh_from_db()
    assert feed.last_status == "new"


def test_fetch_now_with_htmx_returns_the_list(staff_client):
    [feed] = _feeds(1)
    response = staff_client.post(reverse("articles:feed-fetch", args=[feed.pk]), HTTP_HX_REQUEST="true")
    soup = _soup(response)
    assert "Queued" in soup.select_one("#feed-list .queued").get_text()
    assert DBTaskResult.objects.count() == 1


def test_fetch_now_needs_post(staff_client):
    [feed] = _feeds(1)
    assert staff_client.get(reverse("articles:feed-fetch", args=[feed.pk])).status_code == 405
    assert staff_client.post(reverse("articles:feed-fetch", args=[9999])).status_code == 404


def test_save_link_box_is_prefilled_from_the_query(staff_client):
    soup = _soup(staff_client.get(SAVE, {"url": "https://tinlab.example/p/1"}))
    assert soup.select_one("#link-url")["value"] == "https://tinlab.example/p/1"
    assert soup.select_one("form.save-link-form input[name=csrfmiddlewaretoken]") is not None
    assert soup.select_one("#feed-list") is None  # only the box


def test_save_link_queues_a_job_and_the_job_page_shows_the_issue(staff_client, local_http, settings):
    settings.DIGEST_FETCH_ALLOW_PRIVATE = True
    url = local_http.add("/post", HTML_PAGE)
    response = staff_client.post(SAVE, {"url": url})
    job = ImportJob.objects.get(kind="link")
    assert response.status_code == 302 and response["Location"] == reverse("articles:link-job", args=[job.pk])
    assert local_http.requests == []
    task = DBTaskResult.objects.get()
    assert task.task_path == "articles.tasks.link_job_run"
    soup = _soup(staff_client.get(response["Location"]))
    assert soup.select_one("#link-job")["hx-trigger"] == "every 2s"
    assert soup.select_one(".link-job-status").get_text(strip=True) == "Queued"

    # what the worker runs (the real db_worker runs in tests/e2e/test_feeds.py: it closes the
    # database connection, which a test inside a transaction cannot survive on PostgreSQL)
    from articles.tasks import link_job_run

    link_job_run.call(*task.args_kwargs["args"])
    soup = _soup(staff_client.get(response["Location"], HTTP_HX_REQUEST="true"))
    assert not soup.select_one("#link-job").has_attr("hx-get")
    issue_link = soup.select_one("a.link-job-issue")
    assert issue_link.get_text(strip=True) == "Tin Lab: the singing kettle"


def test_save_link_refuses_a_bad_url(staff_client):
    response = staff_client.post(SAVE, {"url": "javascript:alert(1)"})
    assert response.status_code == 422 and not ImportJob.objects.exists()


def test_members_save_links_only_with_the_setting(login, users, settings):
    bob = login(users["bob"])
    settings.DIGEST_MEMBERS_SAVE_LINKS = False
    assert bob.get(SAVE).status_code == 403
    settings.DIGEST_MEMBERS_SAVE_LINKS = True
    assert bob.get(SAVE).status_code == 200
    assert bob.get(SOURCES).status_code == 403  # the feeds stay staff-only
    response = bob.post(SAVE, {"url": "https://tinlab.example/p/9"})
    job = ImportJob.objects.get()
    assert job.created_by == users["bob"] and response.status_code == 302
    assert bob.get(reverse("articles:link-job", args=[job.pk])).status_code == 200
    assert login(users["alice"]).get(reverse("articles:link-job", args=[job.pk])).status_code == 404  # not hers
    assert login(users["dave"]).get(SAVE).status_code == 403  # in no team


def test_admin_lists_feeds_and_fetch_now_enqueues(staff_client):
    feeds = _feeds(2)
    changelist = reverse("admin:articles_feed_changelist")
    soup = _soup(staff_client.get(changelist))
    assert len(soup.select("#result_list tbody tr")) == 2
    assert "the server answered 404 Not Found" in soup.select_one("#result_list").get_text()
    response = staff_client.post(changelist, {"action": "fetch_now", "_selected_action": [f.pk for f in feeds]})
    assert response.status_code == 302
    assert sorted(t.args_kwargs["args"][0] for t in DBTaskResult.objects.all()) == sorted(f.pk for f in feeds)
