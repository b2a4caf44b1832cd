"""More interactive features in Chromium: section tags with autocomplete, editing and deleting a
note (with the confirmation dialog), a highlight's own thread, the claims filter, the keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from articles.models import Note, Paragraph, SectionTag
from articles.services import highlights
from tests.e2e.conftest import login_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_tags_notes_claims_and_keyboard(browser, live_server, teams, users, small_issue):
    para = Paragraph.objects.get(section__issue=small_issue, text__startswith="Researchers trained")
    claim = highlights.highlight_create(user=users["bob"], team=teams[0], paragraph=para, start=0, end=11,
                                        is_claim=True, tags=["robotics"])
    section = para.section
    alice = login_page(browser, live_server, "alice", "alice-pass-123")
    alice.goto(live_server.url + small_issue.get_absolute_url())

    # section tags, with the team's existing tags suggested while typing
    tags_box = alice.locator(f"#section-tags-{section.pk}")
    tags_box.locator("input[name=names]").fill("robo")
    expect(alice.locator(f"#tag-options-s{section.pk} option")).to_have_count(1)  # (no eval: CSP)
    assert alice.locator(f"#tag-options-s{section.pk} option").get_attribute("value") == "robotics"
    tags_box.locator("input[name=names]").fill("robotics, hardware")
    tags_box.locator("button", has_text="Tag").click()
    alice.locator(f"#section-tags-{section.pk} a.tag", has_text="hardware").wait_for()
    assert sorted(alice.locator(f"#section-tags-{section.pk} a.tag").all_inner_texts()) == ["hardware", "robotics"]
    assert SectionTag.objects.count() == 2

    # a note: add, edit, delete (accepting the confirmation dialog)
    alice.locator(f"#p-{para.pk} .note-marker").click()
    panel = alice.locator(f"#notes-panel-{para.pk}")
    panel.locator("textarea[name=body]").fill("first version")
    panel.locator("button", has_text="Add note").click()
    panel.locator(".note .user-content", has_text="first version").wait_for()
    panel.locator(".note-actions a", has_text="Edit").click()
    panel.locator(".note-edit-form textarea").fill("second version with https://example.org/x")
    panel.locator(".note-edit-form button").click()
    panel.locator(".note .user-content a[href='https://example.org/x']").wait_for()
    assert Note.objects.get().version == 2
    alice.once("dialog", lambda dialog: dialog.accept())
    panel.locator(".note-actions button", has_text="Delete").click()
    alice.locator(f"#notes-panel-{para.pk} .empty").wait_for()
    assert not Note.objects.exists()
    assert alice.locator(f"#p-{para.pk} .note-count").inner_text() == "0"

    # keyboard: focus the highlight and press Enter → its card, with its own thread
    # the paragraph was just swapped in: its marks become focusable once marks.js has decorated
    # them (htmx:load), as for any reader tabbing to them
    mark = alice.locator(f"#p-{para.pk} mark.hl[tabindex]")
    mark.focus()
    alice.keyboard.press("Enter")
    card = alice.locator(f"#card-{claim.pk}")
    card.wait_for()
    card.locator(f"#thread-h{claim.pk} textarea[name=body]").last.fill("Source?")
    card.locator(f"#thread-h{claim.pk} .comment-form button").click()
    card.locator(f"#thread-h{claim.pk} .comment .user-content", has_text="Source?").wait_for()
    card.locator("select[name=status]").select_option("needs_source")
    card.locator(".claim-form button").click()
    alice.locator(f"#p-{para.pk} mark.hl-needs-source").wait_for()

    # the claims panel filters by status in place
    panel = alice.locator("#claims-panel")
    panel.locator("a", has_text="Supported").click()
    alice.locator("#claims-panel .claim-list .empty").wait_for()
    alice.locator("#claims-panel a", has_text="Needs source").click()
    alice.locator("#claims-panel .claim").first.wait_for()
    assert alice.locator("#claims-panel .claim").count() == 1
    alice.context.close()
