"""The issue page driven by keyboard alone: the skip link, one Tab stop per paragraph for its
suggested claims (arrow keys within), a visible focus ring, the highlight card taking focus and
giving it back on Escape, making a highlight (j, h, Enter; and a Shift+arrow selection), and
reaching the discussion."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from articles.models import Highlight, Paragraph
from articles.services import highlights
from tests.e2e.conftest import login_page

pytestmark = pytest.mark.django_db(transaction=True)

# Elements in the sequential Tab order (tabindex ≥ 0, enabled, rendered and not visibility:hidden).
TAB_STOPS_JS = """() => Array.from(document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]'))
  .filter(el => el.tabIndex >= 0 && !el.disabled && el.checkVisibility({visibilityProperty: true})
                && !el.closest('[hidden], dialog:not([open])'))
  .map(el => el.matches('.claim-suggestion') ? 'suggestion' : el.tagName.toLowerCase())"""


def _tab_stops(page) -> list[str]:
    return page.evaluate(TAB_STOPS_JS)


def test_skip_link_tab_stops_roving_claims_and_focus_ring(browser, live_server, teams, users, seeded):
    issue = max(seeded.values(), key=lambda i: Paragraph.objects.filter(section__issue=i).count())
    page = login_page(browser, live_server, "alice", "alice-pass-123")
    page.goto(live_server.url + issue.get_absolute_url())

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["y"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()

    stops = _tab_stops(page)
    print(f"Tab stops on {issue.slug}: {len(stops)} ({stops.count('suggestion')} suggested claims)")
    paragraphs_with_claims = page.locator("p.para:has(.claim-suggestion)").count()
    assert paragraphs_with_claims >= 3
    assert stops.count("suggestion") == paragraphs_with_claims

    # arrow keys move between a paragraph's suggestions; the focused one keeps the Tab stop
    para_id = page.evaluate("""() => Array.from(document.querySelectorAll('p.para')).find(p =>
      new Set(Array.from(p.querySelectorAll('.claim-suggestion')).map(s => s.dataset.claimStart)).size > 1).id""")
    para = page.locator(f"#{para_id}")
    first = para.locator(".claim-suggestion[tabindex='0']")
    first.focus()
    start = first.get_attribute("data-claim-start")
    page.keyboard.press("ArrowRight")
    focused = para.locator(".claim-suggestion:focus")
    expect(focused).to_have_attribute("tabindex", "0")
    assert focused.get_attribute("data-claim-start") != start
    assert para.locator(".claim-suggestion[tabindex='0']").count() == 1
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("ArrowLeft")
    expect(para.locator(".claim-suggestion:focus")).to_have_attribute("data-claim-start", start)
    # Enter opens the claim menu on the focused suggestion
    page.keyboard.press("Enter")
    expect(page.locator("#claim-menu .do-accept-claim")).to_be_focused()


def test_keyboard_only_highlight_card_focus_and_discussion(browser, live_server, teams, users, small_issue):
    para = Paragraph.objects.get(section__issue=small_issue, text__startswith="Researchers trained")
    existing = highlights.highlight_create(user=users["bob"], team=teams[0], paragraph=para, start=0, end=11)
    page = login_page(browser, live_server, "alice", "alice-pass-123")
    page.goto(live_server.url + small_issue.get_absolute_url())

    # the card takes focus when opened from the keyboard, and Escape gives it back to the mark
    mark = page.locator(f"#p-{para.pk} mark.hl[tabindex]")  # focusable once marks.js ran
    mark.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#card-{existing.pk}")).to_be_visible()
    expect(page.locator("#highlight-card")).to_be_focused()
    page.keyboard.press("Tab")  # into the card
    page.keyboard.press("Escape")
    expect(page.locator("#highlight-card .card")).to_have_count(0)
    expect(mark).to_be_focused()

    # j picks the first paragraph, j again the next…; h selects it and focuses Highlight; Enter
    target = Paragraph.objects.get(section__issue=small_issue, text__startswith="KettleBench")
    while not page.locator(f"#p-{target.pk}.is-current").count():
        page.keyboard.press("j")
    page.keyboard.press("h")
    popover = page.locator("#highlight-popover")
    expect(popover).to_be_visible()
    expect(popover.get_by_role("button", name="Highlight", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(f"#p-{target.pk} mark.hl")).to_have_text(target.text.strip())
    made = Highlight.objects.get(paragraph=target)
    assert (made.start, made.end, made.exact) == (0, len(target.text.strip()), target.text.strip())

    # a selection extended with Shift+arrows (as with caret browsing) shows the Highlight action too
    page.evaluate("""(id) => { const t = document.querySelector('#p-' + id + ' .para-text').firstChild;
      const r = document.createRange(); r.setStart(t, 0); r.setEnd(t, 1);
      const s = getSelection(); s.removeAllRanges(); s.addRange(r); }""", para.section.paragraphs.get(position=0).pk)
    for _ in range(4):
        page.keyboard.press("Shift+ArrowRight")
    expect(popover).to_be_visible()
    first = para.section.paragraphs.get(position=0)
    selected = page.evaluate("() => getSelection().toString()")
    assert len(selected) > 1 and first.text.startswith(selected)
    expect(popover.locator(".popover-quote")).to_have_text(f"“{selected.strip()}”")
    page.keyboard.press("h")
    expect(popover).to_be_hidden()  # hidden after the highlight was stored
    assert Highlight.objects.get(paragraph=first, author=users["alice"]).exact == selected.strip()

    # the section's discussion is reachable with Tab and opens with Enter
    page.locator(f"#p-{first.pk} .note-marker").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('.thread-open')"):
            break
    else:
        pytest.fail("the discussion link was not reached with Tab")
    page.keyboard.press("Enter")
    expect(page.locator(f"#thread-s{para.section.pk} .comment-form textarea")).to_be_visible()
