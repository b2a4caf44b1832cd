"""Feed channel: subscribe, fetch, import entries, status — against a real local HTTP server."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from articles.channels.feeds import feed_fetch, feed_subscribe
from articles.models import Feed, ImportJob, Issue, Paragraph
from tests.http_server import (  # noqa: F401
    ATOM,
    BILLION_LAUGHS,
    HTML_PAGE,
    KETTLE,
    OWLS,
    gzip_bomb,
    local_http,
    sample_rss,
)

pytestmark = pytest.mark.django_db

RSS_TYPE = "application/rss+xml; charset=utf-8"


@pytest.fixture(autouse=True)
def allow_private(settings):
    """Let the fetcher reach the test server on 127.0.0.1."""
    settings.DIGEST_FETCH_ALLOW_PRIVATE = True
    return settings


@pytest.fixture
def feed(local_http, staff):
    """A subscribed feed served by the local server (with an ETag)."""
    url = local_http.add("/feed.xml", sample_rss(), content_type=RSS_TYPE, etag='"v1"')
    return feed_subscribe(url=url, user=staff)


def _texts(issue: Issue) -> list[str]:
    return list(Paragraph.objects.filter(section__issue=issue).values_list("text", flat=True))


# ----------------------------------------------------------------------------- subscribe

def test_subscribe_is_staff_only_and_idempotent(local_http, staff, reader):
    url = local_http.url("/feed.xml")
    with pytest.raises(PermissionDenied):
        feed_subscribe(url=url, user=reader)
    first = feed_subscribe(url=url, user=staff)
    again = feed_subscribe(url=f"  {url} ", user=staff)
    assert first.pk == again.pk and Feed.objects.count() == 1
    assert first.added_by == staff and first.last_status == Feed.Status.NEW
    assert feed_subscribe(url=url, user=None).pk == first.pk  # the command line acts as the system


@pytest.mark.parametrize("url", ["", "not a url", "ftp://example.org/feed", "javascript:alert(1)",
                                 "https://example.org/" + "a" * 2000])
def test_subscribe_validates_the_url(staff, url):
    with pytest.raises(ValidationError):
        feed_subscribe(url=url, user=staff)
    assert not Feed.objects.exists()


# ----------------------------------------------------------------------------- fetch

def test_fetch_imports_every_entry_and_records_the_status(feed):
    report = feed_fetch(feed=feed)
    assert report.ok and report.status == Feed.Status.OK, report.summary()
    assert [r.status for r in report.results] == ["created"] * 4, [str(r) for r in report.results]
    feed.refresh_from_db()
    assert feed.title == "Tin Lab Notes"
    assert feed.last_status == "ok" and feed.last_error == "" and feed.last_fetched_at is not None
    assert feed.last_new_issues == 4 and feed.etag == '"v1"'
    assert [line["status"] for line in feed.last_report] == ["created"] * 4
    issues = Issue.objects.filter(newsletter=feed.newsletter)
    assert feed.newsletter is not None and issues.count() == 4
    kettle = issues.get(title="Kettles learn to listen")
    assert KETTLE in _texts(kettle)
    assert kettle.url == "https://tinlab.example/p/1" and kettle.published_at is not None
    job = ImportJob.objects.get(kind=ImportJob.Kind.FEED)
    assert (job.status, job.total, job.done, job.failed) == ("done", 4, 4, 0)
    assert job.report == feed.last_report and job.current == feed.url


def test_summary_only_entry_becomes_an_issue_of_the_summary(feed):
    feed_fetch(feed=feed)
    owls = Issue.objects.get(title="Owl census by microphone")
    assert owls.url == "https://tinlab.example/p/4"
    assert any(OWLS in text for text in _texts(owls))
    line = next(line for line in feed.last_report if line["issue_id"] == owls.pk)
    assert "summary" in line["detail"]


def test_second_fetch_without_validators_deduplicates_by_guid(feed, local_http):
    feed_fetch(feed=feed)
    local_http.routes["/feed.xml"].etag = ""  # a server without conditional GET
    report = feed_fetch(feed=feed)
    assert [r.status for r in report.results] == ["unchanged"] * 4
    feed.refresh_from_db()
    assert feed.last_new_issues == 0 and Issue.objects.count() == 4


def test_conditional_get_is_not_modified_and_imports_nothing(feed, local_http):
    feed_fetch(feed=feed)
    before = list(Issue.objects.values_list("pk", "source_sha256"))
    report = feed_fetch(feed=feed)
    assert report.status == Feed.Status.NOT_MODIFIED and report.results == []
    assert local_http.requests[-1][1]["If-None-Match"] == '"v1"'
    feed.refresh_from_db()
    assert feed.last_status == "not_modified" and feed.last_new_issues == 0
    assert list(Issue.objects.values_list("pk", "source_sha256")) == before
    assert ImportJob.objects.filter(kind="feed").count() == 2


def test_changed_entry_on_the_server_is_updated_in_place(feed, local_http):
    feed_fetch(feed=feed)
    kettle = Issue.objects.get(title="Kettles learn to listen")
    kept = Paragraph.objects.get(section__issue=kettle, text="Why it matters: tea will never be bitter again.")
    new_text = "A lab in Tinville taught an electric kettle to hear tea leaves settle, then to hum."
    local_http.add("/feed.xml", sample_rss(kettle=new_text), content_type=RSS_TYPE, etag='"v2"')
    report = feed_fetch(feed=feed)
    statuses = {r.name.split(": ", 1)[1]: str(r.status) for r in report.results}
    assert statuses["Kettles learn to listen"] == "updated"
    assert sorted(statuses.values()) == ["unchanged", "unchanged", "unchanged", "updated"]
    assert Issue.objects.count() == 4
    texts = _texts(Issue.objects.get(pk=kettle.pk))
    assert new_text in texts and KETTLE not in texts
    assert Paragraph.objects.filter(pk=kept.pk).exists()  # unchanged paragraphs keep their identity
    feed.refresh_from_db()
    assert feed.etag == '"v2"' and feed.last_new_issues == 0


def test_atom_feed(local_http):
    url = local_http.add("/atom.xml", ATOM, content_type="application/atom+xml")
    feed = feed_subscribe(url=url, user=None)
    report = feed_fetch(feed=feed)
    assert [r.status for r in report.results] == ["created"]
    issue = report.results[0].issue
    assert issue.title == "A loom that writes sonnets" and issue.url == "https://quietcircuits.example/loom"
    assert any("fourteen-line poems" in t for t in _texts(issue))
    feed.refresh_from_db()
    assert feed.title == "Quiet Circuits"


# ----------------------------------------------------------------------------- failing feeds

def _assert_error(feed, words: str):
    report = feed_fetch(feed=feed)
    assert report.status == Feed.Status.ERROR and not report.ok
    feed.refresh_from_db()
    assert feed.last_status == "error" and words in feed.last_error, feed.last_error
    assert feed.last_new_issues == 0 and feed.last_report == []
    assert not Issue.objects.exists()
    job = ImportJob.objects.filter(kind="feed").first()
    assert job.status == "failed" and words in job.error
    return report


def test_html_page_given_as_a_feed(local_http):
    feed = feed_subscribe(url=local_http.add("/blog", HTML_PAGE), user=None)
    _assert_error(feed, "this is a web page (text/html), not an RSS or Atom feed")


def test_feed_answering_404(local_http):
    feed = feed_subscribe(url=local_http.url("/gone.xml"), user=None)
    _assert_error(feed, "the server answered 404 Not Found")


def test_feed_timing_out(local_http, allow_private):
    allow_private.DIGEST_FETCH_TIMEOUT = 0.3
    feed = feed_subscribe(url=local_http.add("/slow.xml", sample_rss(), delay=1.5), user=None)
    _assert_error(feed, "did not answer within 0.3 seconds")


def test_feed_body_over_the_size_limit(local_http, allow_private):
    allow_private.DIGEST_FETCH_MAX_BYTES = 100_000
    body = sample_rss().replace(b"</channel>", b"<!--" + b"x" * 200_000 + b"--></channel>")
    feed = feed_subscribe(url=local_http.add("/huge.xml", body, content_type=RSS_TYPE), user=None)
    _assert_error(feed, "the response is larger than 97.7 KB")


def test_feed_gzip_bomb(local_http, allow_private):
    allow_private.DIGEST_FETCH_MAX_BYTES = 1024 * 1024
    feed = feed_subscribe(url=local_http.add("/bomb.xml", gzip_bomb(50 * 1024 * 1024), content_type=RSS_TYPE,
                                             headers={"Content-Encoding": "gzip"}), user=None)
    _assert_error(feed, "the response is larger than 1 MB")


def test_billion_laughs_feed(local_http):
    feed = feed_subscribe(url=local_http.add("/lol.xml", BILLION_LAUGHS, content_type=RSS_TYPE), user=None)
    _assert_error(feed, "XML entities")


def test_private_feed_refused_when_the_guard_is_on(local_http, allow_private):
    feed = feed_subscribe(url=local_http.add("/feed.xml", sample_rss()), user=None)
    allow_private.DIGEST_FETCH_ALLOW_PRIVATE = False
    _assert_error(feed, "loopback")
    assert local_http.requests == []


def test_error_after_success_keeps_issues_and_reports_the_error(feed, local_http):
    feed_fetch(feed=feed)
    del local_http.routes["/feed.xml"]
    report = feed_fetch(feed=feed)
    assert report.status == "error"
    feed.refresh_from_db()
    assert feed.last_status == "error" and "404" in feed.last_error and Issue.objects.count() == 4


# ----------------------------------------------------------------------------- command

def test_feeds_command_add_list_fetch(local_http, capsys):
    url = local_http.add("/feed.xml", sample_rss(), content_type=RSS_TYPE, etag='"v1"')
    call_command("feeds", "add", url)
    assert url in capsys.readouterr().out
    call_command("feeds", "fetch")
    out = capsys.readouterr().out
    assert out.count("created") >= 4 and "Kettles learn to listen" in out
    call_command("feeds", "fetch", url)
    assert "not modified" in capsys.readouterr().out
    call_command("feeds", "list")
    listed = capsys.readouterr().out
    assert url in listed and "Tin Lab Notes" in listed and "not_modified" in listed


def test_feeds_command_fails_only_when_a_feed_cannot_be_fetched(local_http, capsys):
    good = local_http.add("/feed.xml", sample_rss(), content_type=RSS_TYPE)
    bad = local_http.url("/missing.xml")
    call_command("feeds", "add", good)
    call_command("feeds", "add", bad)
    with pytest.raises(CommandError, match="1 of 2 feeds could not be fetched"):
        call_command("feeds", "fetch")
    out = capsys.readouterr().out
    assert "404 Not Found" in out and "Kettles learn to listen" in out  # the good feed still ran
    assert Issue.objects.count() == 4


def test_feeds_command_refused_entries_do_not_fail_the_run(local_http, capsys):
    feed_xml = sample_rss().replace(b"</channel>", b"<item><title>Empty one</title><guid>e-1</guid></item></channel>")
    url = local_http.add("/feed.xml", feed_xml, content_type=RSS_TYPE)
    call_command("feeds", "add", url)
    call_command("feeds", "fetch", url)  # no CommandError
    assert "failed" in capsys.readouterr().out
    feed = Feed.objects.get()
    assert feed.last_status == "ok" and any(line["status"] == "failed" for line in feed.last_report)


def test_feeds_command_errors(local_http):
    with pytest.raises(CommandError, match="Enter an http"):
        call_command("feeds", "add", "ftp://example.org/feed")
    with pytest.raises(CommandError, match="no feed"):
        call_command("feeds", "fetch", "https://unknown.example/feed")


def test_a_feed_imported_as_a_file_then_subscribed_stays_one_newsletter(local_http, staff):
    from articles.models import Newsletter
    from articles.services.importing import import_source

    body = sample_rss()
    file_results = import_source(name="feed.rss", raw=body.encode() if isinstance(body, str) else body)
    created = [r for r in file_results if r.issue is not None]
    assert created, [str(r) for r in file_results]
    url = local_http.add("/same.xml", body, content_type=RSS_TYPE)
    report = feed_fetch(feed=feed_subscribe(url=url, user=staff))
    assert report.status == Feed.Status.OK, report.error
    assert Newsletter.objects.count() == 1
    assert Issue.objects.count() == len(created)
    assert {r.issue.pk for r in report.results if r.issue is not None} == {r.issue.pk for r in created}
    assert Feed.objects.get().newsletter == Newsletter.objects.get()
