"""Playwright against Debian's Chromium, driving pytest-django's live server on 127.0.0.1."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("DIGEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures here are
# ordinary synchronous test set-up, so Django's async-safety guard does not apply to them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent.name == "e2e":
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (skips only outside CI when it is not installed)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise FileNotFoundError(f"{CHROMIUM} is missing in CI")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# The site runs with its Content-Security-Policy on; a violation anywhere fails the test. Chromium
# reports one in the console ("Refused to … because it violates the following Content Security
# Policy directive"), and the page fires `securitypolicyviolation`, which the init script forwards
# to the console too (init scripts are injected by the browser, outside the page's policy).
CSP_CONSOLE_MARKERS = ("Content Security Policy", "Refused to")
CSP_EVENT_SCRIPT = """document.addEventListener('securitypolicyviolation', (e) => console.error(
  'securitypolicyviolation (Content Security Policy): ' + e.violatedDirective + ' blocked ' +
  (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));"""
_csp_violations: list[str] = []


def watch_csp(context):
    """Collect the CSP violations of every page of ``context`` for the current test."""
    context.add_init_script(CSP_EVENT_SCRIPT)

    def on_console(message):
        if any(marker in message.text for marker in CSP_CONSOLE_MARKERS):
            _csp_violations.append(f"{message.type}: {message.text} ({message.page.url if message.page else '?'})")

    context.on("console", on_console)
    return context


@pytest.fixture(autouse=True)
def csp_violations():
    """The CSP violations seen by this test's pages; any left at teardown fail the test."""
    _csp_violations.clear()
    yield _csp_violations
    seen, _csp_violations[:] = list(_csp_violations), []
    if seen:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(seen), pytrace=False)


@pytest.fixture
def page(browser):
    """A fresh browser context and page per test (CSP violations fail the test)."""
    context = watch_csp(browser.new_context())
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def logged_in_page(page, live_server, django_user_model):
    """A page logged in through the real login form as a fresh reader."""
    django_user_model.objects.create_user("e2e-reader", password="e2e-pass-9876")
    page.goto(f"{live_server.url}/")
    page.fill("input[name=username]", "e2e-reader")
    page.fill("input[name=password]", "e2e-pass-9876")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


# A phone: 390×844 CSS pixels, touch, mobile viewport (meta viewport honoured, zoom-out on overflow).
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}


@pytest.fixture
def phone_page(browser):
    """A fresh phone-sized touch context and page per test (CSP violations fail the test)."""
    context = watch_csp(browser.new_context(**PHONE))
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def login_page(browser, live_server, username: str, password: str, **context_options):
    """A new browser context (a separate person) logged in through the real login form;
    ``context_options`` go to ``browser.new_context`` (e.g. ``**PHONE``, ``color_scheme="dark"``)."""
    context = watch_csp(browser.new_context(**context_options))
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


SELECT_JS = """([selector, phrase]) => {
  const container = document.querySelector(selector + ' .para-text');
  const full = container.textContent;
  const start = full.indexOf(phrase);
  if (start < 0) throw new Error('phrase not found: ' + phrase);
  const end = start + phrase.length;
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  let seen = 0, node, range = document.createRange();
  while ((node = walker.nextNode())) {
    const len = node.textContent.length;
    if (seen <= start && start < seen + len) range.setStart(node, start - seen);
    if (seen < end && end <= seen + len) { range.setEnd(node, end - seen); break; }
    seen += len;
  }
  const rects = range.getClientRects();
  const first = rects[0], last = rects[rects.length - 1];
  return {x1: first.left + 1, y1: first.top + first.height / 2, x2: last.right - 1, y2: last.top + last.height / 2};
}"""


def select_with_mouse(page, paragraph_selector: str, phrase: str) -> None:
    """Drag the mouse over ``phrase`` inside the paragraph, as a reader would."""
    page.locator(paragraph_selector).scroll_into_view_if_needed()
    box = page.evaluate(SELECT_JS, [paragraph_selector, phrase])
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=8)
    page.mouse.up()
