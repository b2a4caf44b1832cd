"""A staff member uploads a zip in the admin, lands on the job's page, and watches the progress
bar fill (htmx polling) while the worker imports; the final report lists every file."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from articles.models import ImportJob, Issue
from tests.e2e.conftest import login_page
from tests.job_samples import sample_files, zip_of
from tests.test_jobs import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_upload_zip_and_watch_progress(browser, live_server, staff):
    files = sample_files(8)
    page = login_page(browser, live_server, "editor", "editor-pass-123")
    page.goto(f"{live_server.url}/admin/articles/issue/import/")
    page.set_input_files("input[name=files]", files=[
        {"name": "eight-issues.zip", "mimeType": "application/zip", "buffer": zip_of(files)},
    ])
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(re.compile(r"/admin/articles/issue/import/\d+/$"))
    job = ImportJob.objects.get()
    assert page.url.endswith(f"/admin/articles/issue/import/{job.pk}/")
    progress = page.locator("#job-progress progress")
    expect(progress).to_have_attribute("value", "0")
    expect(page.locator("#job-progress")).to_have_attribute("hx-trigger", "every 1s")
    assert Issue.objects.count() == 0

    run_worker()  # the worker runs here, in the test's process, against the live server's database

    expect(page.locator("#job-progress")).not_to_have_attribute("hx-trigger", "every 1s", timeout=15_000)
    expect(progress).to_have_attribute("value", "8")
    expect(progress).to_have_attribute("max", "8")
    rows = page.locator("table.job-report tbody tr")
    expect(rows).to_have_count(8)
    names = [rows.nth(i).locator("td").first.inner_text() for i in range(8)]
    assert names == [f"eight-issues.zip/{name}" for name, _ in files]
    assert page.locator("table.job-report tbody tr td:nth-child(2)").all_inner_texts() == ["created"] * 8
    assert page.locator(".job-counts").inner_text().startswith("8 created, 0 updated, 0 unchanged, 0 failed")
    page.locator("table.job-report a").first.click()
    expect(page.locator("h1").first).to_contain_text(Issue.objects.order_by("pk").first().title)
    page.context.close()
