"""Regressions from the review of search, exports, the team archive and reading state."""

from __future__ import annotations

import datetime

import pytest
from bs4 import BeautifulSoup

from articles.backup.archive_export import team_archive_export
from articles.backup.archive_import import team_archive_import
from articles.models import Comment, Highlight, Paragraph, Tag
from articles.search.service import SearchFilters, search
from articles.services import highlights, notes, threads

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


@pytest.fixture
def para(small_issue):
    """The first story's first paragraph."""
    return Paragraph.objects.get(section__issue=small_issue, text__startswith="Researchers trained")


def _hits(user, team, query, filters=None) -> int:
    results = search(user=user, team=team, query=query, filters=filters)
    return sum(len(s.hits) for g in results.groups for s in g.sections)


def test_admin_deletes_and_tag_renames_reach_the_search_index(staff_client, users, teams, para):
    team_a = teams[0]
    h = highlights.highlight_create(user=users["bob"], team=team_a, paragraph=para, start=0, end=11,
                                    note="zanzibarword", tags=["oldtagname"])
    thread = threads.thread_get_or_create(user=users["bob"], team=team_a, section=para.section)
    top = threads.comment_create(user=users["bob"], thread=thread, body="quokkaword")
    threads.comment_create(user=users["alice"], thread=thread, body="wombatword reply", parent=top)
    alice = users["alice"]
    assert all(_hits(alice, team_a, q) for q in ("zanzibarword", "quokkaword", "wombatword"))
    staff_client.post("/admin/articles/comment/", {"action": "delete_selected", "_selected_action": [top.pk], "post": "yes"})
    staff_client.post(f"/admin/articles/highlight/{h.pk}/delete/", {"post": "yes"})
    assert not Comment.objects.exists() and not Highlight.objects.exists()
    for query in ("zanzibarword", "quokkaword", "wombatword"):
        assert _hits(alice, team_a, query) == 0, query
    tag = Tag.objects.get(name="oldtagname")
    highlights.highlight_create(user=users["bob"], team=team_a, paragraph=para, start=12, end=19, tags=["oldtagname"])
    url = f"/admin/articles/tag/{tag.pk}/change/"
    form = BeautifulSoup(staff_client.get(url).content, "html.parser").find("form", id="tag_form")
    data = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name") and i.get("type") != "submit"}
    data |= {s["name"]: (s.find("option", selected=True) or {}).get("value", "") for s in form.find_all("select")}
    data["name"] = "newtagname"
    assert staff_client.post(url, data).status_code == 302
    assert _hits(alice, team_a, "newtagname") == 1
    assert _hits(alice, team_a, "oldtagname") == 0


def test_a_restore_is_searchable(users, teams, para):
    team_a = teams[0]
    notes.note_create(user=users["alice"], team=team_a, paragraph=para, body="restoredword")
    archive = team_archive_export(team=team_a)
    team_a.delete()
    report = team_archive_import(data=archive)
    assert _hits(users["alice"], report.team, "restoredword") == 1


def test_a_restore_refuses_an_unsafe_team_slug(users, teams):
    archive = team_archive_export(team=teams[0])
    archive["team"]["slug"] = 'x";filename=evil.html;x="'
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        team_archive_import(data=archive)


def test_export_file_name_is_a_proper_header(login, users, teams, small_issue):
    teams[0].slug = "team-a"
    teams[0].save()
    response = login(users["alice"]).get(f"{small_issue.get_absolute_url()}export.md")
    assert response["Content-Disposition"] == 'attachment; filename="import-ai-7-team-a-annotations.md"'


def test_edge_inputs_do_not_crash(login, users, small_issue):
    bob = login(users["bob"])
    assert bob.get("/search/?q=robot&date_to=9999-12-31").status_code == 200
    assert _hits(users["bob"], None, "robot", SearchFilters(date_to=datetime.date.max)) >= 1
    url = f"/issues/{small_issue.slug}/progress/"
    assert bob.post(url, {"progress": "nan"}).status_code == 204
    assert bob.post(url, {"paragraph": "²", "progress": "inf"}).status_code == 204
    assert bob.get(f"{small_issue.get_absolute_url()}?thread=²&notes=²").status_code == 200


def test_own_annotations_are_not_news(login, users, teams, small_issue, para):
    alice = login(users["alice"])
    alice.get(small_issue.get_absolute_url())
    highlights.highlight_create(user=users["alice"], team=teams[0], paragraph=para, start=0, end=11)
    row = BeautifulSoup(alice.get("/").content, "html.parser").select_one("li.issue-row")
    assert row.select_one(".activity-badge") is None
    feed = BeautifulSoup(alice.get("/activity/").content, "html.parser")
    assert feed.select("li.activity") and not feed.select("li.activity.is-new")


def test_a_long_query_is_cut_not_dropped(login, users, small_issue):
    soup = BeautifulSoup(login(users["bob"]).get("/search/", {"q": "buttons " + "x" * 300}).content, "html.parser")
    assert soup.select_one("input[name=q]")["value"].startswith("buttons ")
