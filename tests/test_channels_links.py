"""Saved links: permission, guarded fetch, page → issue, the background job and the command."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from articles.channels.links import link_job_create, link_job_execute, link_save
from articles.models import ImportJob, Issue, Paragraph
from tests.http_server import EMPTY_PAGE, HTML_PAGE, KETTLE, local_http  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def allow_private(settings):
    """Let the fetcher reach the test server on 127.0.0.1."""
    settings.DIGEST_FETCH_ALLOW_PRIVATE = True
    settings.DIGEST_MEMBERS_SAVE_LINKS = False
    return settings


def test_staff_saves_a_page_as_an_issue(local_http, staff):
    local_http.add("/post", HTML_PAGE)
    local_http.redirect("/short", "/post")
    [result] = link_save(url=local_http.url("/short"), user=staff)
    assert result.status == "created", str(result)
    issue = result.issue
    assert issue.url == local_http.url("/post")  # the URL after redirects
    texts = list(Paragraph.objects.filter(section__issue=issue).values_list("text", flat=True))
    assert KETTLE in texts
    [again] = link_save(url=local_http.url("/post"), user=staff)
    assert again.status == "unchanged" and again.issue == issue


def test_members_need_the_setting(local_http, users, allow_private):
    url = local_http.add("/post", HTML_PAGE)
    with pytest.raises(PermissionDenied, match="Only staff"):
        link_save(url=url, user=users["bob"])
    allow_private.DIGEST_MEMBERS_SAVE_LINKS = True
    assert link_save(url=url, user=users["bob"])[0].status == "created"
    with pytest.raises(PermissionDenied, match="team members"):  # dave is in no team
        link_save(url=url, user=users["dave"])
    assert local_http.count("/post") == 1  # refusals happen before any fetch


def test_invalid_url_is_refused(staff):
    for url in ("", "javascript:alert(1)", "file:///etc/passwd"):
        with pytest.raises(ValidationError):
            link_save(url=url, user=staff)


def test_page_without_an_article_is_a_clear_failure(local_http, staff):
    [result] = link_save(url=local_http.add("/empty", EMPTY_PAGE), user=staff)
    assert result.failed and not Issue.objects.exists()
    assert result.detail == "no article found on this page (nothing that reads like a newsletter or a post)"


def test_fetch_errors_are_failed_results(local_http, staff, allow_private):
    [missing] = link_save(url=local_http.url("/nope"), user=staff)
    assert missing.failed and missing.detail == "the server answered 404 Not Found"
    allow_private.DIGEST_FETCH_ALLOW_PRIVATE = False
    [private] = link_save(url=local_http.url("/nope"), user=staff)
    assert private.failed and "loopback" in private.detail
    assert not Issue.objects.exists()


def test_background_job_saves_the_link(local_http, staff):
    url = local_http.add("/post", HTML_PAGE)
    job = link_job_create(url=url, user=staff)
    assert (job.kind, job.status, job.current, job.created_by) == ("link", "queued", url, staff)
    assert local_http.requests == []  # nothing fetched when queueing
    link_job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.done == 1 and job.failed == 0
    assert Issue.objects.get(pk=job.report[0]["issue_id"]).url == url


def test_background_job_reports_failure(local_http, staff):
    job = link_job_create(url=local_http.url("/missing"), user=staff)
    link_job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "404" in job.error and job.report[0]["status"] == "failed"


def test_job_creation_checks_permission(reader):
    with pytest.raises(PermissionDenied):
        link_job_create(url="https://example.org/post", user=reader)
    assert not ImportJob.objects.exists()


def test_save_link_command(local_http, capsys):
    url = local_http.add("/post", HTML_PAGE)
    call_command("save_link", url)
    assert "created" in capsys.readouterr().out
    with pytest.raises(CommandError, match="could not be saved"):
        call_command("save_link", local_http.url("/missing"))
    assert "404 Not Found" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Enter an http"):
        call_command("save_link", "ftp://example.org/x")
