"""Live consistency: after an htmx write, every place on the issue page that shows the changed
thing follows at once, by out-of-band swaps, with no reload: the claims box (count and list) after
a claim is made, reviewed, edited away or deleted; the paragraph's marks; the ✎ marker and its
count after notes are added and deleted; the section's tag list; a discussion after a comment.
A mention's link opens its discussion (section thread, or a highlight's card) at the comment."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from articles.models import Highlight, Note, Paragraph
from articles.services import highlights, threads
from tests.e2e.conftest import login_page, select_with_mouse

pytestmark = pytest.mark.django_db(transaction=True)

PHRASE = "reached 97.5% accuracy"


def _mark_no_reload(page):
    page.evaluate("() => { window.__sameDocument = true; }")


def _assert_no_reload(page):
    assert page.evaluate("() => window.__sameDocument === true"), "the page was reloaded"


def _open_issue(browser, live_server, issue, user="alice"):
    page = login_page(browser, live_server, user, f"{user}-pass-123", viewport={"width": 1366, "height": 800})
    page.goto(live_server.url + issue.get_absolute_url())
    _mark_no_reload(page)
    return page


def test_claims_box_follows_claim_writes(browser, live_server, teams, users, small_issue):
    para = Paragraph.objects.get(section__issue=small_issue, text__startswith="Researchers trained")
    p_sel = f"#p-{para.pk}"
    page = _open_issue(browser, live_server, small_issue)
    box = page.locator("#claims-panel")
    expect(box.locator("h2 .count")).to_have_text("(0)")
    expect(box.locator(".claim-list li.empty")).to_have_text("No claims.")

    # make a claim from a selection: the mark, and the claims box's count and list
    select_with_mouse(page, p_sel, PHRASE)
    page.locator("#highlight-popover").get_by_role("button", name="Highlight as claim").click()
    expect(page.locator(f"{p_sel} mark.hl-claim")).to_have_text(PHRASE)
    expect(box.locator("h2 .count")).to_have_text("(1)")
    expect(box.locator("li.claim")).to_have_count(1)
    expect(box.locator("li.claim .claim-status")).to_have_text("Unreviewed")
    expect(box.locator("li.claim a")).to_have_text(f"“{PHRASE}”")

    # review it in its card: the box shows the new status
    claim = Highlight.objects.get()
    page.locator(f"{p_sel} mark.hl-claim").click()
    card = page.locator(f"#card-{claim.pk}")
    card.locator("select[name=status]").select_option("disputed")
    card.locator(".claim-form").get_by_role("button", name="Save").click()
    expect(box.locator("li.claim-disputed .claim-status")).to_have_text("Disputed")
    expect(page.locator(f"{p_sel} mark.hl-disputed")).to_have_count(1)

    # edit it into a plain highlight: it leaves the claims box, the mark loses its claim class
    card = page.locator(f"#card-{claim.pk}")
    card.locator("summary", has_text="Edit").click()
    card.locator(".card-edit input[name=is_claim]").uncheck()
    card.locator(".card-edit").get_by_role("button", name="Save").click()
    expect(box.locator("h2 .count")).to_have_text("(0)")
    expect(page.locator(f"{p_sel} mark.hl-claim")).to_have_count(0)
    expect(page.locator(f"{p_sel} mark.hl")).to_have_count(1)

    # a claim again, then deleted: mark and box entry go
    card = page.locator(f"#card-{claim.pk}")
    card.locator("summary", has_text="Edit").click()
    card.locator(".card-edit input[name=is_claim]").check()
    card.locator(".card-edit").get_by_role("button", name="Save").click()
    expect(box.locator("h2 .count")).to_have_text("(1)")
    page.once("dialog", lambda dialog: dialog.accept())
    card = page.locator(f"#card-{claim.pk}")
    card.locator("summary", has_text="Edit").click()
    card.get_by_role("button", name="Delete highlight").click()
    expect(page.locator("#highlight-card .hint")).to_have_text("Highlight deleted.")
    expect(page.locator(f"{p_sel} mark.hl")).to_have_count(0)
    expect(box.locator("h2 .count")).to_have_text("(0)")
    expect(box.locator(".claim-list li.empty")).to_have_count(1)
    assert not Highlight.objects.exists()
    _assert_no_reload(page)


def test_note_marker_and_count_follow_notes(browser, live_server, teams, users, small_issue):
    para = Paragraph.objects.get(section__issue=small_issue, text__startswith="Researchers trained")
    page = _open_issue(browser, live_server, small_issue)
    marker = page.locator(f"#p-{para.pk} .note-marker")
    expect(marker).not_to_have_class("has-notes")
    marker.click()
    panel = page.locator(f"#notes-panel-{para.pk}")
    for text in ("first *note*", "second note"):
        panel.get_by_role("textbox", name="New note (Markdown)").fill(text)
        panel.get_by_role("button", name="Add note").click()
        expect(panel.locator("li.note")).to_have_count(1 if text.startswith("first") else 2)
    expect(marker).to_have_class("note-marker has-notes")
    expect(marker.locator(".note-count")).to_have_text("2")
    expect(marker).to_have_accessible_name("Notes on this paragraph: 2")

    first = Note.objects.get(body="first *note*")
    page.once("dialog", lambda dialog: dialog.accept())
    panel.locator(f"#note-{first.pk}").get_by_role("button", name="Delete").click()
    expect(panel.locator("li.note")).to_have_count(1)
    expect(page.locator(f"#p-{para.pk} .note-marker .note-count")).to_have_text("1")
    page.once("dialog", lambda dialog: dialog.accept())
    panel.locator("li.note").get_by_role("button", name="Delete").click()
    expect(panel.locator("li.empty")).to_have_text("No notes yet.")
    expect(page.locator(f"#p-{para.pk} .note-marker")).not_to_have_class("has-notes")
    _assert_no_reload(page)


def test_section_tags_and_discussion_follow(browser, live_server, teams, users, small_issue):
    para = Paragraph.objects.get(section__issue=small_issue, text__startswith="Researchers trained")
    section = para.section
    page = _open_issue(browser, live_server, small_issue)
    tags = page.locator(f"#section-tags-{section.pk}")
    tags.get_by_role("combobox", name="Add tags to this section").fill("robots, must read")
    tags.get_by_role("button", name="Tag").click()
    expect(tags.locator("a.tag")).to_have_text(["robots", "must read"])
    tags.get_by_role("button", name="Remove tag robots").click()
    expect(tags.locator("a.tag")).to_have_text(["must read"])

    page.locator(f"#thread-s{section.pk} .thread-open").click()
    thread = page.locator(f"#thread-s{section.pk}")
    thread.get_by_role("textbox", name="New comment").fill("Worth a **look**")
    thread.get_by_role("button", name="Comment").click()
    expect(thread.locator("li.comment .user-content strong")).to_have_text("look")
    _assert_no_reload(page)


def test_mention_link_opens_the_section_discussion_at_the_comment(browser, live_server, teams, users, small_issue):
    section = small_issue.sections.get(headline__startswith="Kettles")
    for i in range(12):  # enough comments that the mentioned one is below the fold of the thread
        threads.comment_post(user=users["bob"], team=teams[0], section=section, body=f"filler comment {i}\n\nmore")
    comment = threads.comment_post(user=users["bob"], team=teams[0], section=section, body="@alice look at this")
    page = login_page(browser, live_server, "alice", "alice-pass-123", viewport={"width": 1366, "height": 800})
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Mentions").click()
    page.locator("li.mention-item a", has_text=small_issue.title).click()
    page.wait_for_url(f"**/{small_issue.slug}/?thread={section.pk}#comment-{comment.pk}")
    target = page.locator(f"#comment-{comment.pk}")
    expect(target).to_be_visible()
    expect(target).to_be_in_viewport()
    expect(page.locator(f"#thread-s{section.pk} .comment-form")).to_be_visible()


def test_mention_link_opens_the_highlights_card_at_the_comment(browser, live_server, teams, users, small_issue):
    para = Paragraph.objects.get(section__issue=small_issue, text__startswith="KettleBench")
    highlight = highlights.highlight_create(user=users["bob"], team=teams[0], paragraph=para, start=0, end=11)
    for i in range(8):
        threads.comment_post(user=users["bob"], team=teams[0], highlight=highlight, body=f"filler {i}\n\nmore\n\nlines")
    comment = threads.comment_post(user=users["bob"], team=teams[0], highlight=highlight, body="@alice see here")
    page = login_page(browser, live_server, "alice", "alice-pass-123", viewport={"width": 1366, "height": 800})
    page.goto(live_server.url + "/inbox/")
    page.locator("li.mention-item a", has_text=small_issue.title).click()
    page.wait_for_url(f"**?card={highlight.pk}#comment-{comment.pk}")
    card = page.locator(f"#highlight-card #card-{highlight.pk}")
    expect(card).to_be_visible()
    target = card.locator(f"#comment-{comment.pk}")
    expect(target).to_contain_text("see here")
    expect(target).to_be_in_viewport()
    # the card still closes as any card does
    page.locator(".card-close").click()
    expect(page.locator("#highlight-card")).to_be_empty()
