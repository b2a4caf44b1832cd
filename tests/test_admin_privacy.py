"""No admin page shows private annotation text, a private-only tag name or another team's
comments: every admin URL of every registered model, visited with real ids by a superuser who is a
member of another team, plus the bulk delete confirmation of every model, contains none of the
planted markers."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.models import Comment, Feed, Highlight, ImportJob, Issue, Note, Paragraph, Tag
from articles.services import highlights, notes, threads
from tests.factories import team_create

pytestmark = pytest.mark.django_db

MARKERS = {
    "private note": "zqxprivatenotebody",
    "private highlight note": "zqxprivatehighlightnote",
    "private-only tag (alice)": "zqxprivtagalice",
    "private-only tag (bob)": "zqxprivtagbob",
    "comment in team A's section thread": "zqxteamcomment",
    "reply in team A's section thread": "zqxteamreply",
    "comment on a private highlight": "zqxprivthreadcomment",
    "team A's team note": "zqxteamnotebody",
    "team A's team highlight note": "zqxteamhighlightnote",
}

EMPTY_MODELS = []  # every registered model has rows, so every per-object page is visited


@pytest.fixture
def world(small_issue):
    """Team A (alice, bob) annotates privately and as a team; root is a superuser in team B."""
    team_a = team_create("Team A", alice="owner", bob="member")
    team_b = team_create("Team B", carol="owner")
    User = get_user_model()
    alice, bob = User.objects.get(username="alice"), User.objects.get(username="bob")
    root = User.objects.create_superuser("root", password="root-pass-123")
    team_b.memberships.create(user=root, role="owner")
    m = MARKERS
    p = Paragraph.objects.get(section__issue=small_issue, text__startswith="Researchers trained")
    q = Paragraph.objects.get(section__issue=small_issue, text__startswith="KettleBench")
    private_h = highlights.highlight_create(user=alice, team=team_a, paragraph=p, start=0, end=11, visibility="private",
                                           note=m["private highlight note"], tags=[m["private-only tag (alice)"]])
    highlights.highlight_create(user=bob, team=team_a, paragraph=q, start=0, end=11, visibility="private",
                                tags=[m["private-only tag (bob)"]])
    highlights.highlight_create(user=bob, team=team_a, paragraph=p, start=12, end=19,
                                note=m["team A's team highlight note"], tags=["shared-label"])
    notes.note_create(user=alice, team=team_a, paragraph=p, body=m["private note"], visibility="private")
    notes.note_create(user=bob, team=team_a, paragraph=q, body=m["team A's team note"])
    thread = threads.thread_get_or_create(user=bob, team=team_a, section=p.section)
    top = threads.comment_create(user=bob, thread=thread, body=m["comment in team A's section thread"])
    threads.comment_create(user=alice, thread=thread, body=m["reply in team A's section thread"], parent=top)
    private_thread = threads.thread_get_or_create(user=alice, team=team_a, highlight=private_h)
    threads.comment_create(user=alice, thread=private_thread, body=m["comment on a private highlight"])
    # root's own team writes too (visible to root: not markers)
    highlights.highlight_create(user=root, team=team_b, paragraph=p, start=0, end=11, note="root's own note",
                                tags=["root-label"])
    Group.objects.create(name="Editors")
    Feed.objects.create(url="https://example.org/feed.xml", newsletter=small_issue.newsletter)
    ImportJob.objects.create(kind=ImportJob.Kind.UPLOAD, created_by=root)
    # the login throttle's tables get rows too: one failed and one successful login
    from django.test import Client

    Client().post(reverse("admin:login"), {"username": "root", "password": "root-pass-123"})
    Client().post(reverse("admin:login"), {"username": "root", "password": "wrong"})
    from axes.models import AccessFailureLog

    AccessFailureLog.objects.create(username="root", ip_address="127.0.0.1", user_agent="test", http_accept="*/*",
                                    path_info="/admin/login/")
    from articles.tasks import feed_fetch  # a queued task: django-tasks' result table gets a row

    feed_fetch.enqueue(Feed.objects.get().pk)
    return {"root": root, "issue": small_issue, "team_a": team_a}


def _url_kwargs(pattern, obj_id):
    names = set(pattern.pattern.converters)
    if not names:
        return {}
    if names == {"object_id"}:
        return {"object_id": obj_id}
    if names == {"id"}:
        return {"id": obj_id}
    return None


def admin_pages(world) -> list[tuple[str, str, dict | None]]:
    """(method, url, data) for every named admin URL: the site's own pages, each registered
    model's pages once per object (all rows, hidden ones included), and its bulk delete page."""
    pages = [("GET", reverse("admin:index"), None), ("GET", reverse("admin:password_change"), None)]
    apps = {model._meta.app_label for model in admin.site._registry}
    pages += [("GET", reverse("admin:app_list", kwargs={"app_label": a}), None) for a in sorted(apps)]
    for model, model_admin in admin.site._registry.items():
        ids = [str(pk) for pk in model._default_manager.order_by("pk").values_list("pk", flat=True)]
        for pattern in model_admin.get_urls():
            if not pattern.name:
                continue  # the catch-all redirect to the change page
            converters = set(pattern.pattern.converters)
            if not converters:
                pages.append(("GET", reverse(f"admin:{pattern.name}"), None))
            elif converters == {"job_id"}:
                pages += [("GET", reverse(f"admin:{pattern.name}", kwargs={"job_id": i}), None)
                          for i in ImportJob.objects.values_list("pk", flat=True)]
            else:
                (key,) = converters
                pages += [("GET", reverse(f"admin:{pattern.name}", kwargs={key: i}), None) for i in ids]
        if ids and "delete_selected" in model_admin.get_actions(_request(world["root"])):
            changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            pages.append(("POST", changelist, {"action": "delete_selected", "_selected_action": ids}))
    return pages


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_no_admin_page_shows_a_private_marker(login, world):
    client = login(world["root"])
    pages = admin_pages(world)
    empty = sorted(m._meta.label for m in admin.site._registry if not m._default_manager.exists())
    assert empty == EMPTY_MODELS, empty
    statuses = {}
    leaks = []
    for method, url, data in pages:
        response = client.get(url) if method == "GET" else client.post(url, data)
        statuses[(method, url)] = response.status_code
        body = response.content.decode().lower()
        leaks += [(url, name) for name, marker in MARKERS.items() if marker in body]
    assert leaks == []
    odd = {k: v for k, v in statuses.items() if v not in (200, 302, 403)}  # 403: add/delete not allowed there
    assert odd == {}
    # the walk really reached the pages that used to leak
    issue_delete = reverse("admin:articles_issue_delete", args=[world["issue"].pk])
    assert statuses[("GET", issue_delete)] == 200
    assert sum(code == 200 for code in statuses.values()) >= 130
    from collections import Counter

    print(f"\nadmin privacy walk: {sorted(Counter(statuses.values()).items())}; {len(pages)} pages x {len(MARKERS)} markers = {len(pages) * len(MARKERS)} checks")


def test_issue_delete_confirmation_counts_instead_of_listing(login, world):
    response = login(world["root"]).get(reverse("admin:articles_issue_delete", args=[world["issue"].pk]))
    soup = BeautifulSoup(response.content, "html.parser")
    top = soup.select_one("#deleted-objects")
    items = [li.find(string=True, recursive=False).strip() for li in top.find_all("li")]
    assert items[0] == f"Issue: {world['issue']}"
    assert items[1] == "With them:"
    lines = items[2:]
    # annotations are not deleted with the issue: counted as the orphans each team keeps
    kept = lines[lines.index("Kept as orphans (on each team’s Orphaned annotations page):") + 1:]
    for expected in ["1 private note", "1 team note", "2 private highlights", "2 team highlights",
                     "2 threads (with their comments)"]:
        assert expected in kept, lines
    assert not any("highlight" in line or "note" in line or "comment" in line for line in lines[:lines.index(kept[0])])
    assert not any("zqx" in line for line in lines)


def test_bulk_delete_of_teams_counts(login, world):
    team_a = world["team_a"]
    response = login(world["root"]).post(
        reverse("admin:articles_team_changelist"), {"action": "delete_selected", "_selected_action": [team_a.pk]}
    )
    soup = BeautifulSoup(response.content, "html.parser")
    items = [li.find(string=True, recursive=False).strip() for li in soup.select("#content ul li")]
    assert "Team: Team A" in items and "3 tags" in items and "1 private note" in items


def test_admin_tag_list_hides_private_only_tags(login, world):
    client = login(world["root"])
    soup = BeautifulSoup(client.get(reverse("admin:articles_tag_changelist")).content, "html.parser")
    names = sorted(a.get_text() for a in soup.select("#result_list th.field-name a"))
    assert names == ["root-label", "shared-label"]
    hidden = Tag.objects.get(name=MARKERS["private-only tag (alice)"])
    assert client.get(reverse("admin:articles_tag_change", args=[hidden.pk])).status_code == 302  # "does not exist"
    assert client.get(reverse("admin:articles_tag_delete", args=[hidden.pk])).status_code == 302
    # alice, as staff, sees her own private tag but not bob's
    alice = get_user_model().objects.get(username="alice")
    alice.is_staff = alice.is_superuser = True
    alice.save()
    soup = BeautifulSoup(login(alice).get(reverse("admin:articles_tag_changelist")).content, "html.parser")
    names = sorted(a.get_text() for a in soup.select("#result_list th.field-name a"))
    assert names == ["root-label", "shared-label", MARKERS["private-only tag (alice)"]]


def test_annotation_text_shown_only_to_members(login, world):
    """alice (staff, team A) reads team A's comment text in the admin; root (team B) sees ids."""
    comment = Comment.objects.get(body=MARKERS["comment in team A's section thread"])
    alice = get_user_model().objects.get(username="alice")
    alice.is_staff = alice.is_superuser = True
    alice.save()
    url = reverse("admin:articles_comment_change", args=[comment.pk])
    assert MARKERS["comment in team A's section thread"] in login(alice).get(url).content.decode()
    root_page = login(world["root"]).get(url)
    assert root_page.status_code == 200
    soup = BeautifulSoup(root_page.content, "html.parser")
    assert soup.select_one("#content h2").get_text() == f"comment #{comment.pk}"
    private = Note.objects.get(body=MARKERS["private note"])
    assert login(world["root"]).get(reverse("admin:articles_note_change", args=[private.pk])).status_code == 302


def test_deleting_through_the_admin_logs_and_says_only_ids(login, world):
    client = login(world["root"])
    comment = Comment.objects.get(body=MARKERS["comment on a private highlight"])
    team_highlight = Highlight.objects.get(note=MARKERS["team A's team highlight note"])
    response = client.post(reverse("admin:articles_highlight_delete", args=[team_highlight.pk]), {"post": "yes"},
                           follow=True)
    assert f"highlight #{team_highlight.pk}" in response.content.decode()
    entries = list(LogEntry.objects.values_list("object_repr", flat=True))
    assert entries == [f"highlight #{team_highlight.pk}"]
    index = client.get(reverse("admin:index")).content.decode()
    assert not any(marker in index for marker in MARKERS.values())
    assert Comment.objects.filter(pk=comment.pk).exists()  # on alice's private highlight: not root's to delete
    assert Issue.objects.count() == 1
