"""The Content-Security-Policy is on in the browser: an inline script is refused (and the guard in
conftest sees it), and the admin pages work under the policy without a single violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from articles.models import Issue, Newsletter
from tests.e2e.conftest import login_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_inline_script_is_refused_and_reported(logged_in_page, csp_violations):
    page = logged_in_page
    page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__inlineRan = true'; document.head.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__inlineRan === undefined")
    assert any("script-src" in v for v in csp_violations), csp_violations
    csp_violations.clear()  # expected here; anywhere else a violation fails the test


def test_admin_pages_work_under_the_policy(browser, live_server, staff, small_issue):
    Newsletter.objects.create(name="Another newsletter", slug="another")
    issue = Issue.objects.get()
    page = login_page(browser, live_server, "editor", "editor-pass-123")
    admin = f"{live_server.url}/admin"
    for path, marker in [
        ("/", "#content"),
        ("/articles/issue/", "#changelist"),
        (f"/articles/issue/{issue.pk}/change/", "#issue_form"),
        (f"/articles/issue/{issue.pk}/delete/", "#content form"),
        ("/articles/issue/import/", "input[name=files]"),
        ("/auth/user/", "#changelist"),
        ("/auth/user/add/", "#user_form"),
        ("/axes/accessattempt/", "#changelist"),
    ]:
        page.goto(admin + path)
        expect(page.locator(marker).first).to_be_visible()
    # The admin's own JavaScript runs: the changelist's select-all checkbox and the action menu.
    page.goto(f"{admin}/articles/newsletter/")
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text("2 of 2 selected")
    page.select_option("select[name=action]", "merge_newsletters")
    page.get_by_role("button", name="Go").click()
    expect(page.locator("input[name=merge_target]").first).to_be_visible()
    # Collapsible fieldsets and the related-object popups use admin JS too.
    page.goto(f"{admin}/auth/user/{staff.pk}/change/")
    expect(page.locator("#user_form")).to_be_visible()
    page.context.close()
