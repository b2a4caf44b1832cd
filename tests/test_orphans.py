"""Annotations outlive what they point at: deleting an issue or a user, a re-import dropping a story
(docs/ANNOTATIONS.md, "Orphans")."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from articles.backup.archive_export import team_archive_export
from articles.models import Comment, Highlight, Note, SectionTag, Thread
from articles.services.highlights import highlight_create
from articles.services.newsletters import newsletter_merge
from articles.services.notes import note_create
from articles.services.orphans import issue_delete, user_delete
from articles.services.tags import section_tags_add
from articles.services.threads import comment_post
from tests.conftest import SMALL_ISSUE
from tests.factories import import_one, issue_create

pytestmark = pytest.mark.django_db


def _annotate(issue, users, team):
    """alice: a team highlight with a thread, a private note; bob: a comment; a section tag and a
    section thread on the first story."""
    paragraph = issue.sections.first().paragraphs.first()
    alice, bob = users["alice"], users["bob"]
    team_h = highlight_create(user=alice, team=team, paragraph=paragraph, start=0, end=7)
    private_n = note_create(user=alice, team=team, paragraph=paragraph, body="only-alice-zqx", visibility="private")
    comment_post(user=bob, team=team, highlight=team_h, body="bob says hi")
    section = issue.sections.first()
    section_tags_add(user=alice, team=team, section=section, names="robots")
    comment_post(user=alice, team=team, section=section, body="about this story")
    return team_h, private_n


def test_deleting_an_issue_keeps_every_annotation_as_an_orphan(users, teams, staff, login):
    team_a, _ = teams
    issue = issue_create(title="Issue to drop")
    team_h, private_n = _annotate(issue, users, team_a)
    counts = issue_delete(user=staff, issue=issue)
    assert (counts.highlights, counts.notes, counts.threads, counts.section_tags) == (1, 1, 2, 1)
    team_h.refresh_from_db()
    assert (team_h.issue_id, team_h.paragraph_id, team_h.issue_title, team_h.section_headline) == (
        None, None, "Issue to drop", "Story 0")
    assert Thread.objects.filter(team=team_a, issue=None).count() == 2
    assert Comment.objects.filter(thread__team=team_a).count() == 2
    st = SectionTag.objects.get()
    assert (st.section_id, st.issue_id, st.issue_title, st.section_headline) == (None, None, "Issue to drop", "Story 0")

    # the orphans page: bob sees the team's orphans, not alice's private note
    soup = BeautifulSoup(login(users["bob"]).get(reverse("articles:orphans")).content, "html.parser")
    assert [q.get_text() for q in soup.select(".orphan-highlight .orphan-quote")] == [f"“{team_h.exact}”"]
    assert soup.select(".orphan-note") == []
    assert {p.get_text(" ", strip=True) for p in soup.select(".orphan-place")} == {
        "Issue to drop (issue deleted) · Story 0"}
    assert [t.get_text() for t in soup.select(".orphan-section-tag .tag")] == ["robots"]
    assert sorted(c.get_text(" ", strip=True) for c in soup.select(".orphan-comment .user-content")) == [
        "about this story", "bob says hi"]
    soup = BeautifulSoup(login(users["alice"]).get(reverse("articles:orphans")).content, "html.parser")
    assert [n.get_text(strip=True) for n in soup.select(".orphan-note .user-content")] == ["only-alice-zqx"]

    # the team export lists them under the deleted issue's title
    markdown = login(users["bob"]).get(reverse("articles:team-export", args=["md"])).content.decode()
    assert "Issue to drop (deleted)" in markdown and team_h.exact in markdown and "robots" in markdown
    assert "only-alice-zqx" not in markdown

    # the team archive keeps them, issue null, with their snapshot
    archive = team_archive_export(team=team_a)
    (h,) = archive["highlights"]
    assert (h["issue"], h["issue_title"], h["section_headline"], h["exact"]) == (None, "Issue to drop", "Story 0", team_h.exact)
    assert [n["body"] for n in archive["notes"]] == ["only-alice-zqx"]
    assert [t["issue"] for t in archive["threads"]] == [None, None]
    assert [st["tag"] for st in archive["section_tags"]] == ["robots"]


def test_deleting_a_user_keeps_their_shared_work_as_former_member(users, teams, staff, login):
    team_a, _ = teams
    issue = issue_create()
    team_h, private_n = _annotate(issue, users, team_a)
    kept = user_delete(user=staff, account=users["alice"])
    assert (kept.highlights, kept.notes, kept.threads, kept.comments) == (1, 0, 1, 1)
    team_h.refresh_from_db()
    assert team_h.author_id is None and team_h.author_name == "former member"
    assert not Note.objects.filter(pk=private_n.pk).exists()  # private: gone with the account
    assert Thread.objects.filter(section__isnull=False, started_by=None).count() == 1
    assert Comment.objects.filter(author=None).count() == 1 and Comment.objects.count() == 2
    page = login(users["bob"]).get(issue.get_absolute_url())
    assert page.status_code == 200


def test_admin_user_delete_confirmation_counts_both(users, teams, staff, login):
    team_a, _ = teams
    _annotate(issue_create(), users, team_a)
    response = login(staff).get(reverse("admin:auth_user_delete", args=[users["alice"].pk]))
    soup = BeautifulSoup(response.content, "html.parser")
    items = [li.find(string=True, recursive=False).strip() for li in soup.select("#deleted-objects li")]
    assert "1 private note" in items
    assert items[items.index("Kept, shown as “former member”:") + 1] == (
        "1 team highlight, 1 thread they started, 1 comment")


def test_admin_issue_delete_offers_the_team_archive_and_deletes_through_the_service(users, teams, staff, login):
    team_a, _ = teams
    issue = issue_create(title="Admin drop")
    _annotate(issue, users, team_a)
    client = login(staff)
    soup = BeautifulSoup(client.get(reverse("admin:articles_issue_delete", args=[issue.pk])).content, "html.parser")
    offers = [li for li in soup.select("#deleted-objects li") if "Team archive" in li.get_text()]
    assert [li.get_text(" ", strip=True) for li in offers] == [
        "Team archive of Team A: run manage.py export_team team-a > team-a.json on the server first"]
    client.post(reverse("admin:articles_issue_delete", args=[issue.pk]), {"post": "yes"})
    assert Highlight.objects.filter(issue=None, issue_title="Admin drop").count() == 1
    # a staff member of the team gets the download (their own view of the team)
    alice = users["alice"]
    alice.is_staff = True
    alice.save()
    response = login(alice).get(reverse("admin:articles_team_archive", args=[team_a.pk]))
    assert response.status_code == 200 and response.json()["team"]["slug"] == "team-a"
    assert login(staff).get(reverse("admin:articles_team_archive", args=[team_a.pk])).status_code == 403


def test_reimport_dropping_a_story_orphans_its_tags_and_thread_and_says_so(users, teams):
    team_a, _ = teams
    issue = import_one(name="small.txt", raw=SMALL_ISSUE.encode()).issue
    kettles = issue.sections.get(headline__startswith="Kettles")
    paragraph = kettles.paragraphs.first()
    highlight_create(user=users["alice"], team=team_a, paragraph=paragraph, start=0, end=11)
    section_tags_add(user=users["alice"], team=team_a, section=kettles, names="tea, benchmarks")
    comment_post(user=users["bob"], team=team_a, section=kettles, body="kettles!")
    dropped = SMALL_ISSUE.split("***")[0] + "Thanks for reading!\n"
    result = import_one(name="small.txt", raw=dropped.encode())
    assert result.issue.pk == issue.pk
    assert result.detail.endswith("; 1 highlight, 2 section tags, 1 thread orphaned"), result.detail
    assert SectionTag.objects.filter(section=None, issue=issue, section_headline=kettles.headline).count() == 2
    thread = Thread.objects.get(team=team_a)
    assert (thread.section_id, thread.issue_id, thread.section_headline) == (None, issue.pk, kettles.headline)
    assert thread.is_orphan and thread.comments.count() == 1


def test_services_refuse_without_permission(users, teams):
    team_a, _ = teams
    issue = issue_create()
    with pytest.raises(PermissionDenied):
        issue_delete(user=users["alice"], issue=issue)
    with pytest.raises(PermissionDenied):
        user_delete(user=users["alice"], account=users["bob"])
    with pytest.raises(PermissionDenied):
        newsletter_merge(user=users["alice"], source=issue.newsletter, target=issue.newsletter)
    with pytest.raises(PermissionDenied):
        section_tags_add(user=users["carol"], team=team_a, section=issue.sections.first(), names="x")
    assert get_user_model().objects.filter(username="bob").exists() and SectionTag.objects.count() == 0


@pytest.mark.parametrize("n", [2, 10])
def test_orphans_page_query_count_is_constant(users, teams, staff, login, django_assert_num_queries, n):
    team_a, _ = teams
    issues = [issue_create() for _ in range(n)]
    for issue in issues:
        _annotate(issue, users, team_a)
        issue_delete(user=staff, issue=issue)
    client = login(users["bob"])
    with django_assert_num_queries(QUERIES):
        response = client.get(reverse("articles:orphans"))
    soup = BeautifulSoup(response.content, "html.parser")
    assert len(soup.select(".orphan-highlight")) == n and len(soup.select(".orphan-thread")) == 2 * n


QUERIES = 10  # session, user, memberships, unread mentions, + the six reads of team_orphans
