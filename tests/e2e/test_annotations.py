"""Two teammates mark up an issue together in Chromium; an outsider sees none of it."""

from __future__ import annotations

import pytest

from articles.models import Highlight, Note, Paragraph
from tests.e2e.conftest import login_page, select_with_mouse

pytestmark = pytest.mark.django_db(transaction=True)

PHRASE = "it reached 97.5% accuracy after practice"


def _paragraph(issue, startswith):
    return Paragraph.objects.get(section__issue=issue, text__startswith=startswith)


def test_highlight_claim_note_thread_reply_and_privacy(browser, live_server, teams, users, small_issue):
    para = _paragraph(small_issue, "Researchers trained")
    p_sel = f"#p-{para.pk}"
    section = para.section
    url = live_server.url + small_issue.get_absolute_url()

    alice = login_page(browser, live_server, "alice", "alice-pass-123")
    alice.goto(url)

    # select a sentence with the mouse → popover → highlight as a claim with two tags
    select_with_mouse(alice, p_sel, PHRASE)
    popover = alice.locator("#highlight-popover")
    popover.wait_for(state="visible")
    assert popover.locator(".popover-quote").inner_text() == f"“{PHRASE}”"
    start = para.text.index(PHRASE)
    assert popover.locator("input[name=start]").input_value() == str(start)
    assert popover.locator("input[name=end]").input_value() == str(start + len(PHRASE))
    popover.locator("input[name=tags]").fill("robots, benchmarks")
    popover.locator("button.do-claim").click()
    mark = alice.locator(f"{p_sel} mark.hl-claim")
    mark.wait_for()
    assert mark.inner_text() == PHRASE
    assert popover.is_hidden()
    highlight = Highlight.objects.get()
    assert highlight.is_claim and sorted(highlight.tags.values_list("name", flat=True)) == ["benchmarks", "robots"]

    # the card opens on click and shows the tags
    mark.click()
    card = alice.locator("#highlight-card .card")
    card.wait_for()
    assert sorted(card.locator(".card-tags .tag").all_inner_texts()) == ["benchmarks", "robots"]
    card.locator("select[name=status]").select_option("disputed")
    card.locator(".claim-form button").click()
    alice.locator(f"{p_sel} mark.hl-disputed").wait_for()
    alice.locator(".card-close").click()

    # a team note and a private note on the paragraph
    alice.locator(f"{p_sel} .note-marker").click()
    panel = alice.locator(f"#notes-panel-{para.pk}")
    panel.locator("textarea[name=body]").wait_for()
    panel.locator("textarea[name=body]").fill("Check the **error bars**.")
    panel.locator("button[type=submit]", has_text="Add note").click()
    panel.locator(".note .user-content strong", has_text="error bars").wait_for()
    alice.locator(f"{p_sel} .note-count", has_text="1").wait_for()
    panel.locator("textarea[name=body]").fill("My private doubt.")
    panel.locator("select[name=visibility]").select_option("private")
    panel.locator("button[type=submit]", has_text="Add note").click()
    panel.locator(".note-private").wait_for()
    assert Note.objects.count() == 2

    # a thread on the section
    alice.locator(f"#thread-s{section.pk} .thread-open").click()
    thread = alice.locator(f"#thread-s{section.pk}")
    thread.locator("textarea[name=body]").last.fill("Is this result robust, @bob?")
    thread.locator(".comment-form button").click()
    thread.locator(".comment .mention", has_text="@bob").wait_for()

    # bob, a teammate, sees the claim and the team note but not the private one, and replies
    bob = login_page(browser, live_server, "bob", "bob-pass-123")
    bob.goto(url)
    assert bob.locator(f"{p_sel} mark.hl-claim").inner_text() == PHRASE
    assert bob.locator(f"{p_sel} .note-count").inner_text() == "1"
    bob.locator(f"{p_sel} .note-marker").click()
    bob_panel = bob.locator(f"#notes-panel-{para.pk}")
    bob_panel.locator(".note").first.wait_for()
    assert bob_panel.locator(".note").count() == 1
    assert "private doubt" not in bob_panel.inner_text()
    bob.locator(f"#thread-s{section.pk} .thread-open").click()
    bob_thread = bob.locator(f"#thread-s{section.pk}")
    bob_thread.locator(".reply-box summary").first.click()
    bob_thread.locator(".reply-box textarea").first.fill("Looks robust to me.")
    bob_thread.locator(".reply-box button").first.click()
    bob_thread.locator(".reply .user-content", has_text="Looks robust to me.").wait_for()

    # alice's open thread polls (every 15 s) and shows bob's reply without a reload
    alice.locator("body").click(position={"x": 5, "y": 5})  # nothing focused inside the thread
    alice.locator(f"#thread-s{section.pk} .reply .user-content", has_text="Looks robust to me.").wait_for(timeout=25_000)
    assert "reply to alice" in alice.locator(f"#thread-s{section.pk} .reply .reply-to").inner_text()

    # carol, in another team, sees none of it
    carol = login_page(browser, live_server, "carol", "carol-pass-123")
    carol.goto(url)
    assert carol.locator("mark").count() == 0
    assert carol.locator(f"{p_sel} .note-count").inner_text() == "0"
    assert carol.locator(".claims-panel .claim").count() == 0

    # a reload keeps everything
    alice.reload()
    assert alice.locator(f"{p_sel} mark.hl-disputed").inner_text() == PHRASE
    assert alice.locator(f"{p_sel} .note-count").inner_text() == "2"
    assert "(2)" in alice.locator(f"#thread-s{section.pk} .thread-open").inner_text()
    for page in (alice, bob, carol):
        page.context.close()


def test_selection_across_paragraphs_is_clipped_to_the_first(browser, live_server, teams, users, small_issue):
    first = _paragraph(small_issue, "Researchers trained")
    second = _paragraph(small_issue, "Why this matters")
    alice = login_page(browser, live_server, "alice", "alice-pass-123")
    alice.goto(live_server.url + small_issue.get_absolute_url())
    start_box = alice.evaluate(
        "([a]) => { const r = document.querySelector(a + ' .para-text').getClientRects()[0]; return {x: r.left + 1, y: r.top + r.height / 2}; }",
        [f"#p-{first.pk}"],
    )
    end_box = alice.locator(f"#p-{second.pk} .para-text").bounding_box()
    alice.mouse.move(start_box["x"], start_box["y"])
    alice.mouse.down()
    alice.mouse.move(end_box["x"] + 40, end_box["y"] + 5, steps=8)
    alice.mouse.up()
    popover = alice.locator("#highlight-popover")
    popover.wait_for(state="visible")
    assert popover.locator("input[name=paragraph]").input_value() == str(first.pk)
    assert popover.locator("input[name=start]").input_value() == "0"
    assert popover.locator("input[name=end]").input_value() == str(len(first.text))
    popover.locator("button.do-highlight").click()
    alice.locator(f"#p-{first.pk} mark").wait_for()
    assert alice.locator(f"#p-{first.pk} mark").inner_text() == first.text
    assert alice.locator(f"#p-{second.pk} mark").count() == 0
    alice.context.close()
