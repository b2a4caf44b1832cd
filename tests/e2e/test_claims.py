"""Suggested claims in Chromium: click the dotted sentence, accept it, see the claim; dismiss one."""

from __future__ import annotations

import pytest

from articles.models import ClaimDismissal, Highlight, Paragraph
from tests.e2e.conftest import login_page

pytestmark = pytest.mark.django_db(transaction=True)

SENTENCE = "Researchers trained a robot arm to sort buttons into bins and it reached 97.5% accuracy after practice."


def test_accept_a_suggested_claim_and_dismiss_another(browser, live_server, teams, users, small_issue):
    para = Paragraph.objects.get(section__issue=small_issue, text__startswith="Researchers trained")
    kettle = Paragraph.objects.get(section__issue=small_issue, text__startswith="KettleBench")
    p_sel = f"#p-{para.pk}"
    alice = login_page(browser, live_server, "alice", "alice-pass-123")
    alice.goto(live_server.url + small_issue.get_absolute_url())
    assert alice.locator("#claims-panel h2 .count").inner_text() == "(0)"

    # click the faint dotted sentence → the little menu → accept
    suggestion = alice.locator(f"{p_sel} span.claim-suggestion")
    assert suggestion.inner_text() == SENTENCE
    suggestion.click()
    menu = alice.locator("#claim-menu")
    menu.wait_for(state="visible")
    assert "percent" in menu.locator(".claim-menu-reasons").inner_text()
    menu.locator("button.do-accept-claim").click()

    mark = alice.locator(f"{p_sel} mark.hl.hl-claim")
    mark.wait_for()
    assert mark.inner_text() == SENTENCE
    assert alice.locator(f"{p_sel} span.claim-suggestion").count() == 0
    alice.locator("#claims-panel h2 .count", has_text="(1)").wait_for()
    assert menu.is_hidden()
    (claim,) = Highlight.objects.all()
    assert claim.is_claim and claim.exact == SENTENCE

    # the claim's card opens like any highlight's
    mark.click()
    alice.locator("#highlight-card .card select[name=status]").wait_for()
    alice.locator(".card-close").click()

    # dismiss another suggestion with the keyboard: it disappears, no claim is made
    other = alice.locator(f"#p-{kettle.pk} span.claim-suggestion")
    other.focus()
    alice.keyboard.press("Enter")
    menu.wait_for(state="visible")
    menu.locator("button.do-dismiss-claim").click()
    other.wait_for(state="detached")
    assert ClaimDismissal.objects.count() == 1 and Highlight.objects.count() == 1
    alice.context.close()
