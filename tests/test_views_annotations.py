"""Annotation endpoints: authorization matrix, CSRF, methods, forged fields, conflicts, polling."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from articles.models import Comment, Highlight, Membership, Note, Paragraph, Tag
from articles.services import highlights, notes, threads

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


@pytest.fixture
def world(teams, users, small_issue):
    """alice's team highlight (tagged), team note, private note and section comment in team A."""
    team_a, _ = teams
    para = Paragraph.objects.get(section__issue=small_issue, text__startswith="Researchers trained")
    h = highlights.highlight_create(user=users["alice"], team=team_a, paragraph=para, start=0, end=11, tags=["robots"])
    note = notes.note_create(user=users["alice"], team=team_a, paragraph=para, body="team note")
    private = notes.note_create(user=users["alice"], team=team_a, paragraph=para, body="secret note", visibility="private")
    thread = threads.thread_get_or_create(user=users["alice"], team=team_a, section=para.section)
    comment = threads.comment_create(user=users["alice"], thread=thread, body="first comment")
    return {"para": para, "highlight": h, "note": note, "private": private, "comment": comment, "thread": thread,
            "tag": Tag.objects.get(name="robots"), "issue": small_issue}


def _client(login, users, who):
    return Client() if who == "anonymous" else login(users[who])


def _soup(response):
    return BeautifulSoup(response.content, "html.parser")


# --- who sees what -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("who", "status", "visible"),
    [("alice", 200, True), ("bob", 200, True), ("carol", 404, False), ("anonymous", 302, False)],
)
def test_view_highlight_card(login, users, world, who, status, visible):
    response = _client(login, users, who).get(f"/highlights/cards/?ids={world['highlight'].pk}", headers=HX)
    assert response.status_code == status
    if visible:
        assert _soup(response).select_one(".card-quote").get_text() == "“Researchers”"


@pytest.mark.parametrize(
    ("who", "notes_seen"),
    [("alice", ["team note", "secret note"]), ("bob", ["team note"]), ("carol", []), ("dave", None)],
)
def test_view_notes_panel(login, users, world, who, notes_seen):
    response = login(users[who]).get(f"/paragraphs/{world['para'].pk}/notes/", headers=HX)
    if notes_seen is None:
        assert response.status_code == 404  # no team: no annotation endpoints
        return
    texts = [n.get_text(strip=True) for n in _soup(response).select(".note .user-content")]
    assert texts == notes_seen


@pytest.mark.parametrize(("who", "count"), [("alice", 1), ("bob", 1), ("carol", 0)])
def test_view_thread(login, users, world, who, count):
    response = login(users[who]).get(f"/sections/{world['para'].section_id}/thread/", headers=HX)
    assert response.status_code == 200
    assert len(_soup(response).select(".comment .user-content")) == count


@pytest.mark.parametrize(("who", "status"), [("alice", 200), ("bob", 200), ("carol", 404), ("anonymous", 302)])
def test_view_tag_page(login, users, world, who, status):
    response = _client(login, users, who).get(f"/tags/{world['tag'].slug}/")
    assert response.status_code == status


def test_issue_page_shows_each_user_only_their_share(login, users, world):
    url = world["issue"].get_absolute_url()
    marker = f"#p-{world['para'].pk} .note-count"
    for who, marks, count in [("alice", 1, "2"), ("bob", 1, "1"), ("carol", 0, "0")]:
        soup = _soup(login(users[who]).get(url))
        assert len(soup.select("mark.hl")) == marks, who
        assert soup.select_one(marker).get_text() == count, who
        assert "secret note" not in soup.get_text()


# --- writes: create / edit / delete --------------------------------------------------------

@pytest.mark.parametrize(("who", "status"), [("alice", 200), ("bob", 200), ("carol", 200), ("dave", 404), ("anonymous", 302)])
def test_create_highlight(login, users, teams, world, who, status):
    data = {"paragraph": world["para"].pk, "start": 12, "end": 19, "team": teams[0].pk, "author": users["alice"].pk}
    response = _client(login, users, who).post("/highlights/", data, headers=HX)
    assert response.status_code == status
    if status == 200:
        created = Highlight.objects.exclude(pk=world["highlight"].pk).get()
        # forged team/author fields are ignored: the highlight is the requester's, in their own team
        assert created.author.username == who
        assert created.team == (teams[1] if who == "carol" else teams[0])


@pytest.mark.parametrize(("who", "status"), [("alice", 200), ("bob", 404), ("carol", 404), ("anonymous", 302)])
def test_edit_and_delete_highlight(login, users, world, who, status):
    client = _client(login, users, who)
    h = world["highlight"]
    edit = client.post(f"/highlights/{h.pk}/edit/", {"colour": "green", "visibility": "team", "tags": "x", "note": "n", "version": 1}, headers=HX)
    assert edit.status_code == status
    assert Highlight.objects.get(pk=h.pk).colour == ("green" if status == 200 else "yellow")
    delete = client.post(f"/highlights/{h.pk}/delete/", headers=HX)
    assert delete.status_code == status
    assert Highlight.objects.filter(pk=h.pk).exists() == (status != 200)


@pytest.mark.parametrize(("who", "status"), [("alice", 200), ("bob", 200), ("carol", 404), ("anonymous", 302)])
def test_review_claim(login, users, world, who, status):
    h = world["highlight"]
    Highlight.objects.filter(pk=h.pk).update(is_claim=True)
    response = _client(login, users, who).post(f"/highlights/{h.pk}/claim/", {"status": "disputed"}, headers=HX)
    assert response.status_code == status
    assert Highlight.objects.get(pk=h.pk).claim_status == ("disputed" if status == 200 else "unreviewed")


@pytest.mark.parametrize(("who", "status"), [("alice", 200), ("bob", 200), ("carol", 200), ("dave", 404), ("anonymous", 302)])
def test_create_note(login, users, teams, world, who, status):
    data = {"body": f"note by {who}", "visibility": "team", "team": teams[0].pk}
    response = _client(login, users, who).post(f"/paragraphs/{world['para'].pk}/notes/", data, headers=HX)
    assert response.status_code == status
    if status == 200:
        note = Note.objects.get(body=f"note by {who}")
        assert note.team == (teams[1] if who == "carol" else teams[0])


@pytest.mark.parametrize(
    ("who", "note_key", "status"),
    [("alice", "note", 200), ("alice", "private", 200), ("bob", "note", 404), ("bob", "private", 404),
     ("carol", "note", 404), ("anonymous", "note", 302)],
)
def test_edit_and_delete_note(login, users, world, who, note_key, status):
    client = _client(login, users, who)
    note = world[note_key]
    edit = client.post(f"/notes/{note.pk}/edit/", {"body": "edited", "visibility": "team", "version": 1}, headers=HX)
    assert edit.status_code == status
    assert (Note.objects.get(pk=note.pk).body == "edited") == (status == 200)
    assert client.post(f"/notes/{note.pk}/delete/", headers=HX).status_code == status
    assert Note.objects.filter(pk=note.pk).exists() == (status != 200)


@pytest.mark.parametrize(("who", "status"), [("alice", 200), ("bob", 200), ("carol", 200), ("anonymous", 302)])
def test_create_comment(login, users, teams, world, who, status):
    response = _client(login, users, who).post(
        f"/sections/{world['para'].section_id}/thread/", {"body": f"by {who}"}, headers=HX
    )
    assert response.status_code == status
    if status == 200:
        comment = Comment.objects.get(body=f"by {who}")
        assert comment.thread.team == (teams[1] if who == "carol" else teams[0])


@pytest.mark.parametrize(("who", "status"), [("alice", 200), ("bob", 404), ("carol", 404), ("anonymous", 302)])
def test_edit_and_delete_comment(login, users, world, who, status):
    client = _client(login, users, who)
    c = world["comment"]
    edit = client.post(f"/comments/{c.pk}/edit/", {"body": "edited", "version": 1}, headers=HX)
    assert edit.status_code == status
    assert (Comment.objects.get(pk=c.pk).body == "edited") == (status == 200)
    assert client.post(f"/comments/{c.pk}/delete/", headers=HX).status_code == status
    assert Comment.objects.filter(pk=c.pk).exists() == (status != 200)


@pytest.mark.parametrize(("who", "status"), [("alice", 302), ("bob", 404), ("carol", 404), ("anonymous", 302)])
def test_rename_and_merge_tags_owner_only(login, users, teams, world, who, status):
    client = _client(login, users, who)
    tag = world["tag"]
    other = Tag.objects.create(team=teams[0], name="automation", slug="automation", created_by=users["alice"])
    response = client.post(f"/tags/{tag.slug}/rename/", {"name": "robotics"})
    assert response.status_code == status
    renamed = who == "alice"
    assert Tag.objects.get(pk=tag.pk).name == ("robotics" if renamed else "robots")
    slug = Tag.objects.get(pk=tag.pk).slug
    assert client.post(f"/tags/{slug}/merge/", {"into": other.slug}).status_code == status
    assert Tag.objects.filter(pk=tag.pk).exists() == (not renamed)


# --- protocol ---------------------------------------------------------------------------------

WRITE_URLS = [
    "/highlights/", "/highlights/{h}/edit/", "/highlights/{h}/claim/", "/highlights/{h}/delete/",
    "/notes/{n}/edit/", "/notes/{n}/delete/", "/comments/{c}/edit/", "/comments/{c}/delete/",
    "/threads/{t}/resolve/", "/sections/{s}/tags/", "/tags/{tag}/rename/", "/tags/{tag}/merge/", "/team/",
]


def _fill(url, world):
    return url.format(
        h=world["highlight"].pk, n=world["note"].pk, c=world["comment"].pk, t=world["thread"].pk,
        s=world["para"].section_id, tag=world["tag"].slug,
    )


@pytest.mark.parametrize("url", WRITE_URLS)
def test_state_changing_endpoints_refuse_get(login, users, world, url):
    assert login(users["alice"]).get(_fill(url, world), headers=HX).status_code == 405


@pytest.mark.parametrize("url", WRITE_URLS + ["/paragraphs/{p}/notes/", "/sections/{s}/thread/"])
def test_csrf_is_enforced_on_htmx_posts(login, users, world, url):
    client = login(users["alice"], csrf=True)
    url = _fill(url.replace("{p}", str(world["para"].pk)), world)
    assert client.post(url, {"body": "x"}, headers=HX).status_code == 403
    # with the token the page puts in hx-headers, the same request passes the CSRF check
    page = client.get(world["issue"].get_absolute_url())
    token = _soup(page).body["hx-headers"].split('"X-CSRFToken": "')[1].split('"')[0]
    response = client.post(url, {"body": "x", "names": "t", "name": "n", "into": "none", "team": "0"},
                           headers={**HX, "X-CSRFToken": token})
    assert response.status_code != 403


def test_removed_member_loses_access_on_the_next_request(login, users, teams, world):
    bob = login(users["bob"])
    url = f"/highlights/cards/?ids={world['highlight'].pk}"
    assert bob.get(url, headers=HX).status_code == 200
    Membership.objects.filter(user=users["bob"], team=teams[0]).delete()
    assert bob.get(url, headers=HX).status_code == 404
    assert bob.post(f"/paragraphs/{world['para'].pk}/notes/", {"body": "x", "visibility": "team"}, headers=HX).status_code == 404


def test_second_save_of_same_note_gets_a_conflict(login, users, world):
    alice = login(users["alice"])
    url = f"/notes/{world['note'].pk}/edit/"
    first = alice.post(url, {"body": "tab one", "visibility": "team", "version": 1}, headers=HX)
    second = alice.post(url, {"body": "tab two", "visibility": "team", "version": 1}, headers=HX)
    assert first.status_code == second.status_code == 200
    conflict = _soup(second).select_one(".conflict")
    assert conflict is not None and "changed by someone else" in conflict.get_text()
    assert _soup(second).select_one("textarea[name=body]").get_text().strip() == "tab two"  # not lost
    assert Note.objects.get(pk=world["note"].pk).body == "tab one"


def test_double_clicked_submit_creates_one(login, users, world):
    alice = login(users["alice"])
    for _ in range(2):
        alice.post(f"/sections/{world['para'].section_id}/thread/", {"body": "twice"}, headers=HX)
        alice.post("/highlights/", {"paragraph": world["para"].pk, "start": 20, "end": 29}, headers=HX)
    assert Comment.objects.filter(body="twice").count() == 1
    assert Highlight.objects.filter(start=20, end=29).count() == 1


def test_idle_polling_answers_204(login, users, world):
    bob = login(users["bob"])
    url = f"/sections/{world['para'].section_id}/thread/"
    soup = _soup(bob.get(url, headers=HX))
    poll_url = soup.select_one(".thread-comments")["hx-get"]
    assert bob.get(poll_url, headers=HX).status_code == 204
    threads.comment_create(user=users["alice"], thread=world["thread"], body="news")
    fresh = bob.get(poll_url, headers=HX)
    assert fresh.status_code == 200
    assert [c.get_text(strip=True) for c in _soup(fresh).select(".comment .user-content")] == ["first comment", "news"]


def test_refused_input_is_a_422_message(login, users, world):
    response = login(users["alice"]).post("/highlights/", {"paragraph": world["para"].pk, "start": 5, "end": 5000}, headers=HX)
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#flash"
    assert _soup(response).select_one(".error").get_text() == "The selection is not inside this paragraph."


def test_plain_form_post_without_htmx_redirects_back(login, users, world):
    response = login(users["bob"]).post(f"/paragraphs/{world['para'].pk}/notes/", {"body": "no js", "visibility": "team"})
    assert response.status_code == 302
    assert response["Location"] == f"{world['issue'].get_absolute_url()}#p-{world['para'].pk}"
    assert Note.objects.filter(body="no js").exists()


def test_claims_filter(login, users, world):
    Highlight.objects.filter(pk=world["highlight"].pk).update(is_claim=True, claim_status="disputed")
    alice = login(users["alice"])
    url = world["issue"].get_absolute_url()
    disputed = _soup(alice.get(f"{url}?claims=disputed", headers={**HX, "HX-Target": "claims-panel"}))
    assert len(disputed.select(".claim")) == 1 and disputed.find("article") is None
    supported = _soup(alice.get(f"{url}?claims=supported", headers={**HX, "HX-Target": "claims-panel"}))
    assert len(supported.select(".claim")) == 0


def test_tag_autocomplete_lists_team_tags_only(login, users, teams, world):
    Tag.objects.create(team=teams[1], name="robots-b", slug="robots-b")
    options = _soup(login(users["bob"]).get("/tags/autocomplete/?tags=foo, rob", headers=HX)).select("option")
    assert [o["value"] for o in options] == ["robots"]


def test_notes_and_threads_open_without_javascript(login, users, world):
    bob = login(users["bob"])
    para = world["para"]
    redirect = bob.get(f"/paragraphs/{para.pk}/notes/")
    assert redirect.status_code == 302
    soup = _soup(bob.get(redirect["Location"]))
    panel = soup.select_one(f"#notes-panel-{para.pk}.notes-panel")
    assert [n.get_text(strip=True) for n in panel.select(".note .user-content")] == ["team note"]
    assert panel.select_one("form.note-form")["action"] == f"/paragraphs/{para.pk}/notes/"
    redirect = bob.get(f"/sections/{para.section_id}/thread/")
    soup = _soup(bob.get(redirect["Location"]))
    thread = soup.select_one(f"#thread-s{para.section_id}.thread")
    assert [c.get_text(strip=True) for c in thread.select(".comment .user-content")] == ["first comment"]
    assert thread.select_one("form.comment-form")["action"] == f"/sections/{para.section_id}/thread/"


# --- regressions from the security review ---------------------------------------------------

@pytest.fixture
def private_thread(users, teams, world):
    """bob's private highlight with a discussion only bob can read; returns (highlight, thread)."""
    h = highlights.highlight_create(user=users["bob"], team=teams[0], paragraph=world["para"], start=30, end=40,
                                    visibility="private", tags=["bob-secret-tag"])
    thread = threads.thread_get_or_create(user=users["bob"], team=teams[0], highlight=h)
    threads.comment_create(user=users["bob"], thread=thread, body="SECRET musing, @alice")
    return h, thread


def test_private_highlight_thread_stays_private(login, users, private_thread):
    h, thread = private_thread
    alice = login(users["alice"])  # a team owner, not the author
    assert alice.get(f"/highlights/{h.pk}/thread/", headers=HX).status_code == 404
    assert alice.post(f"/threads/{thread.pk}/resolve/", headers=HX).status_code == 404
    assert "SECRET" not in alice.get("/people/bob/").content.decode()
    assert not users["alice"].mentions.exists()  # she cannot read it, so she is not told
    assert "SECRET" in login(users["bob"]).get("/people/bob/").content.decode()


def test_comment_endpoints_do_not_reveal_a_thread_made_private(login, users, teams, world):
    h = highlights.highlight_create(user=users["bob"], team=teams[0], paragraph=world["para"], start=50, end=60)
    thread = threads.thread_get_or_create(user=users["alice"], team=teams[0], highlight=h)
    mine = threads.comment_create(user=users["alice"], thread=thread, body="public question")
    highlights.highlight_update(user=users["bob"], highlight=h, visibility="private")
    threads.comment_create(user=users["bob"], thread=thread, body="SECRET answer")
    alice = login(users["alice"])
    for response in (alice.get(f"/comments/{mine.pk}/edit/form/", headers=HX),
                     alice.post(f"/comments/{mine.pk}/edit/", {"body": "x", "version": 1}, headers=HX)):
        assert response.status_code == 404 and b"SECRET" not in response.content


def test_tags_used_only_privately_are_not_revealed(login, users, private_thread):
    bob_tag = Tag.objects.get(name="bob-secret-tag")
    alice = login(users["alice"])
    assert alice.get(f"/tags/{bob_tag.slug}/").status_code == 404
    assert "bob-secret-tag" not in alice.get("/tags/").content.decode()
    assert alice.get("/tags/autocomplete/?tags=secret", headers=HX).content.strip() == b""
    assert "bob-secret-tag" in login(users["bob"]).get("/tags/").content.decode()


def test_anchor_report_lists_every_highlight_of_the_last_reimport(login, users, teams, world):
    from tests.conftest import SMALL_ISSUE
    from tests.factories import import_one

    kettle = Paragraph.objects.get(section__issue=world["issue"], text__startswith="KettleBench")
    highlights.highlight_create(user=users["alice"], team=teams[0], paragraph=kettle, start=0, end=11)
    import_one(name="small.txt", raw=SMALL_ISSUE.replace("Researchers trained", "Scientists trained").encode())
    soup = _soup(login(users["alice"]).get(world["issue"].get_absolute_url()))
    items = soup.select("#anchor-report li")
    assert len(items) == 2
    assert sorted(li.strong.get_text() for li in items) == ["Exact", "Orphaned"]


def test_people_page_query_count_is_constant(login, users, teams, world, django_assert_max_num_queries):
    bob = login(users["bob"])
    with django_assert_max_num_queries(20) as few:
        bob.get("/people/alice/")
    for start in range(12, 30, 3):
        highlights.highlight_create(user=users["alice"], team=teams[0], paragraph=world["para"], start=start, end=start + 2)
        threads.comment_create(user=users["alice"], thread=world["thread"], body=f"more {start}")
    with django_assert_max_num_queries(20) as many:
        bob.get("/people/alice/")
    assert len(few) == len(many)


def test_a_tag_named_autocomplete_has_its_own_page(login, users, teams, world):
    highlights.highlight_create(user=users["alice"], team=teams[0], paragraph=world["para"], start=12, end=19, tags=["autocomplete"])
    tag = Tag.objects.get(name="autocomplete")
    assert tag.slug != "autocomplete"
    assert _soup(login(users["bob"]).get(f"/tags/{tag.slug}/")).h1.get_text(strip=True) == "Taggedautocomplete"


def test_section_page_has_the_annotation_tools(login, users, world):
    section = world["para"].section
    soup = _soup(login(users["bob"]).get(section.get_absolute_url()))
    assert soup.select_one("#highlight-card") is not None
    assert soup.select_one("form#highlight-popover")["hx-post"] == "/highlights/"
    assert len(soup.select("mark.hl")) == 1


def test_editing_and_conflicts_work_without_javascript(login, users, world):
    alice = login(users["alice"])
    note = world["note"]
    page = _soup(alice.get(f"/notes/{note.pk}/edit/form/"))
    assert page.select_one("header.site-header") is not None  # a whole page, not a fragment
    form = page.select_one(f"#notes-panel-{world['para'].pk} form.note-edit-form")
    assert form["action"] == f"/notes/{note.pk}/edit/"
    assert alice.post(f"/notes/{note.pk}/edit/", {"body": "first", "visibility": "team", "version": 1}).status_code == 302
    stale = alice.post(f"/notes/{note.pk}/edit/", {"body": "MY DRAFT", "visibility": "team", "version": 1})
    assert stale.status_code == 409
    soup = _soup(stale)
    assert "changed by someone else" in soup.select_one(".conflict").get_text()
    assert soup.select_one("form.note-edit-form textarea[name=body]").get_text().strip() == "MY DRAFT"
    comment = world["comment"]
    page = _soup(alice.get(f"/comments/{comment.pk}/edit/form/"))
    assert page.select_one("header.site-header") is not None
    assert alice.post(f"/comments/{comment.pk}/edit/", {"body": "v2", "version": 1}).status_code == 302
    stale = alice.post(f"/comments/{comment.pk}/edit/", {"body": "MY REPLY DRAFT", "version": 1})
    assert stale.status_code == 409
    assert "MY REPLY DRAFT" in _soup(stale).select_one(f"#thread-s{world['para'].section_id} textarea[name=body]").get_text()


def test_author_can_delete_an_orphaned_note(login, users, world):
    Note.objects.filter(pk=world["note"].pk).update(paragraph=None)
    alice = login(users["alice"])
    soup = _soup(alice.get(world["issue"].get_absolute_url()))
    orphan = soup.select_one("#orphans .orphan-note")
    assert orphan.select_one("form")["action"] == f"/notes/{world['note'].pk}/delete/"
    assert login(users["bob"]).post(f"/notes/{world['note'].pk}/delete/", headers=HX).status_code == 404
    response = alice.post(f"/notes/{world['note'].pk}/delete/", headers=HX)
    assert response.status_code == 200 and response.content == b""
    assert not Note.objects.filter(pk=world["note"].pk).exists()


def test_switching_the_active_team(login, users, teams, world):
    from articles.models import Membership

    team_a, team_b = teams
    Membership.objects.create(team=team_b, user=users["bob"])
    bob = login(users["bob"])
    url = world["issue"].get_absolute_url()
    soup = _soup(bob.get(url))
    assert [o.get_text() for o in soup.select(".team-switch option")] == ["Team A", "Team B"]
    assert len(soup.select("mark.hl")) == 1  # team A's highlight
    response = bob.post("/team/", {"team": team_b.pk, "next": url})
    assert response.status_code == 302 and response["Location"] == url
    soup = _soup(bob.get(url))
    assert soup.select_one(".team-switch option[selected]").get_text() == "Team B"
    assert len(soup.select("mark.hl")) == 0
    assert bob.post("/team/", {"team": 999, "next": url}).status_code == 404
    assert bob.post("/team/", {"team": team_a.pk, "next": "https://evil.test/"})["Location"] == "/"


def test_stale_highlight_edit_is_refused(login, users, world):
    alice = login(users["alice"])
    url = f"/highlights/{world['highlight'].pk}/edit/"
    data = {"colour": "green", "visibility": "team", "tags": "robots", "note": "from tab one", "version": 1}
    assert alice.post(url, data, headers=HX).status_code == 200
    stale = alice.post(url, {**data, "note": "from tab two"}, headers=HX)
    assert stale.status_code == 422
    assert "changed since you opened it" in _soup(stale).get_text()
    assert Highlight.objects.get(pk=world["highlight"].pk).note == "from tab one"
