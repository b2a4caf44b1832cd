"""Export: a reader clicks "Export: Markdown" on an issue page and gets a file with their annotations."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import login_page
from tests.export_world import annotate

pytestmark = pytest.mark.django_db(transaction=True)


def test_export_markdown_download(browser, live_server, teams, users, small_issue):
    annotate(teams, users, small_issue)
    alice = login_page(browser, live_server, "alice", "alice-pass-123")
    alice.goto(live_server.url + small_issue.get_absolute_url())
    links = alice.locator(".export-links")
    assert links.inner_text() == "Export: Markdown · CSV · JSON-LD"
    with alice.expect_download() as info:
        links.get_by_role("link", name="Markdown").click()
    download = info.value
    assert download.suggested_filename == f"{small_issue.slug}-team-a-annotations.md"
    lines = Path(download.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"# {small_issue.title}"
    assert "> 97.5% accuracy" in lines and "  Source? @alice" in lines
    assert not any("500 questions" in line or "bob private thought" in line for line in lines)  # bob's private ones
    alice.context.close()
