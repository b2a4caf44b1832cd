"""The header's menu: folded behind a *Menu* button on a phone (closed at first, opened by a tap,
every link in it reachable, nothing wider than the screen, Escape closes it) and inline at desktop
width, where the button does not show."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, login_page
from tests.e2e.selection import on_screen

pytestmark = pytest.mark.django_db(transaction=True)

LINKS = ["Activity", "Mentions", "Tags", "Sources", "Admin"]


@pytest.fixture
def staff_alice(users):
    """alice, staff (so Sources and Admin are in her menu)."""
    users["alice"].is_staff = True
    users["alice"].save()
    return users["alice"]


def test_phone_menu_closed_then_opened(browser, live_server, teams, staff_alice, small_issue):
    page = login_page(browser, live_server, "alice", "alice-pass-123", **PHONE)
    page.goto(live_server.url + small_issue.get_absolute_url())
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    assert menu.bounding_box()["height"] >= 44
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#site-menu")).to_be_hidden()
    for name in LINKS:
        expect(page.get_by_role("link", name=name, exact=True)).to_be_hidden()
    expect(page.get_by_role("button", name="Log out")).to_be_hidden()
    # closed, the header is one row: the issue's title starts within the first 160 px
    assert page.locator("h1").bounding_box()["y"] < 160
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    menu.tap()
    expect(menu).to_have_attribute("aria-expanded", "true")
    for name in LINKS:
        link = page.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        assert on_screen(page, link), name
        assert link.bounding_box()["height"] >= 44, name
    for control in (page.get_by_role("searchbox", name="Search", exact=True), page.get_by_role("button", name="Log out")):
        control.scroll_into_view_if_needed()
        assert on_screen(page, control)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("link", name="Tags", exact=True).tap()
    page.wait_for_url(f"{live_server.url}/tags/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # the menu is closed again on the new page; Escape inside an open menu closes it
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.tap()
    page.get_by_role("link", name="Activity", exact=True).focus()
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    expect(page.locator("#site-menu")).to_be_hidden()


def test_desktop_menu_items_inline(browser, live_server, teams, staff_alice, small_issue):
    page = login_page(browser, live_server, "alice", "alice-pass-123", viewport={"width": 1366, "height": 800})
    page.goto(live_server.url + small_issue.get_absolute_url())
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    brand = page.get_by_role("link", name="Digest", exact=True).bounding_box()
    controls = [page.get_by_role("link", name=name, exact=True) for name in LINKS]
    controls += [page.get_by_role("searchbox", name="Search", exact=True), page.get_by_role("button", name="Log out")]
    for control in controls:
        expect(control).to_be_visible()
        box = control.bounding_box()
        # one row with the brand: every item's vertical middle within the brand's line
        assert abs((box["y"] + box["height"] / 2) - (brand["y"] + brand["height"] / 2)) < 20
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366


def test_no_menu_button_without_login(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    expect(page.get_by_role("button", name="Menu")).to_have_count(0)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_menu_passes_axe_closed_and_open(browser, live_server, teams, staff_alice, small_issue, scheme):
    from tests.e2e.axe import REFUSED, run_axe, serve_axe

    page = login_page(browser, live_server, "alice", "alice-pass-123", color_scheme=scheme, **PHONE)
    serve_axe(page.context, live_server.url)
    page.goto(live_server.url + small_issue.get_absolute_url())
    found = [("closed", v["impact"], v["id"], v["targets"]) for v in run_axe(page, live_server.url)]
    page.get_by_role("button", name="Menu").tap()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    found += [("open", v["impact"], v["id"], v["targets"]) for v in run_axe(page, live_server.url)]
    assert not [f for f in found if f[1] in REFUSED], found
