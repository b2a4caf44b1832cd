"""axe-core on every page type, in the light and the dark colour scheme, with the annotation
panels open: no critical, serious or moderate violation (tags: see tests/e2e/axe.py).

The pages keep their Content-Security-Policy; axe is served from the site's origin (axe.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Paragraph
from articles.services import highlights, notes, tags, threads
from tests.e2e.axe import REFUSED, run_axe, serve_axe
from tests.e2e.conftest import login_page

pytestmark = pytest.mark.django_db(transaction=True)


def _annotate(teams, users, issue):
    para = Paragraph.objects.get(section__issue=issue, text__startswith="Researchers trained")
    claim = highlights.highlight_create(user=users["bob"], team=teams[0], paragraph=para, start=0, end=11,
                                        is_claim=True, tags=["robotics"], note="Check *this*.")
    highlights.highlight_create(user=users["alice"], team=teams[0], paragraph=para, start=60, end=75)
    notes.note_create(user=users["bob"], team=teams[0], paragraph=para, body="A **team** note.")
    tags.section_tags_add(user=users["alice"], team=teams[0], section=para.section, names="robotics, hardware")
    thread = threads.thread_get_or_create(user=users["bob"], team=teams[0], section=para.section)
    threads.comment_create(user=users["bob"], thread=thread, body="What do you think, @alice?")
    return para, claim


def _violations(page, origin, where, found):
    for v in run_axe(page, origin):
        found.append((where, v["impact"], v["id"], v["count"], v["targets"]))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_on_any_page(browser, live_server, teams, users, small_issue, scheme):
    users["alice"].is_staff = users["alice"].is_superuser = True
    users["alice"].save()
    para, claim = _annotate(teams, users, small_issue)
    origin = live_server.url
    page = login_page(browser, live_server, "alice", "alice-pass-123", color_scheme=scheme)
    serve_axe(page.context, origin)
    found: list[tuple] = []

    pages = [
        ("issue list", reverse("articles:issue-list")),
        ("section", para.section.get_absolute_url()),
        ("search", reverse("articles:search") + "?q=robot"),
        ("tags", reverse("articles:tag-list")),
        ("tag", reverse("articles:tag-detail", args=["robotics"])),
        ("topic", reverse("articles:topic-detail", args=[para.section.pk])),
        ("activity", reverse("articles:activity")),
        ("mentions", reverse("articles:inbox")),
        ("sources", reverse("articles:sources")),
        ("person", reverse("articles:person", args=["bob"])),
        ("admin import", reverse("admin:articles_issue_import")),
    ]
    for where, path in pages:
        page.goto(origin + path)
        _violations(page, origin, where, found)

    # the issue page, then with its highlight card, notes panel and discussion open
    page.goto(origin + small_issue.get_absolute_url())
    _violations(page, origin, "issue", found)
    page.locator(f"#p-{para.pk} mark.hl-claim").click()
    expect(page.locator(f"#card-{claim.pk} #thread-h{claim.pk} .comment-form")).to_be_visible()
    _violations(page, origin, "issue + card", found)
    page.locator(".card-close").click()
    page.locator(f"#p-{para.pk} .note-marker").click()
    expect(page.locator(f"#notes-panel-{para.pk} .note-form")).to_be_visible()
    _violations(page, origin, "issue + notes", found)
    page.locator(f"#thread-s{para.section.pk} .thread-open").click()
    expect(page.locator(f"#thread-s{para.section.pk} .comment-form")).to_be_visible()
    _violations(page, origin, "issue + thread", found)

    page.context.clear_cookies()
    page.goto(origin + reverse("login"))
    _violations(page, origin, "login", found)

    # every page, the admin import page included (its breadcrumb links underlined by static/css/admin.css)
    refused = [f for f in found if f[1] in REFUSED]
    assert not refused, f"{scheme}: " + "\n".join(map(repr, found))
